use super::*;

#[test]
fn excerpts_and_tags() {
    assert_eq!(
        excerpt("Install 2.1.\n\nIt fixes E42."),
        "Install 2.1. It fixes E42."
    );
    let long = "word ".repeat(100);
    let e = excerpt(&long);
    assert!(e.ends_with('…') && e.chars().count() <= EXCERPT + 1, "{e}");
    assert_eq!(parse_tags("a, b  #c,,"), vec!["a", "b", "c"]);
    assert!(valid_token(&new_token()));
    assert!(!valid_token("short") && !valid_token("has space in it here!"));
}
