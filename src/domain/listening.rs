//! Listening: an organisation's terms and the matcher that finds them in public posts.
//!
//! A term is a hashtag (`#acme`) or plain words (`Acme Widgets`), stored normalised
//! (lower case, single spaces). A hashtag matches a post's `tag` hashtags, or the same
//! hashtag written in its text; words match case-insensitively as whole words in the
//! post's text (its HTML stripped): `acme` matches "Acme," and "#acme", not "acmes".

use super::posts::html_to_text;
use super::text::{escape, sanitize_html};

/// Terms an organisation may have at most.
pub const MAX_TERMS: i64 = 100;
/// The longest term, in characters.
pub const MAX_TERM_CHARS: usize = 100;
/// The longest excerpt kept of a post, in characters of its text.
pub const EXCERPT_CHARS: usize = 500;

/// The normalised form of a term, or why it cannot be one.
pub fn normalize_term(input: &str) -> Result<String, String> {
    let words: Vec<&str> = input.split_whitespace().collect();
    let joined = words.join(" ").to_lowercase();
    if joined.is_empty() || joined.chars().count() > MAX_TERM_CHARS {
        return Err(format!("a term has 1 to {MAX_TERM_CHARS} characters"));
    }
    if let Some(tag) = joined.strip_prefix('#') {
        if tag.is_empty() || !tag.chars().all(is_tag_char) {
            return Err("a hashtag is # and letters, digits or _".into());
        }
        return Ok(joined);
    }
    if !joined.chars().any(char::is_alphanumeric) {
        return Err("a term needs a letter or a digit".into());
    }
    Ok(joined)
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// What the matcher reads of a post.
#[derive(Clone, Debug, Default)]
pub struct Post {
    /// Plain text, lower case, single spaces.
    text: String,
    /// Its `tag` hashtags, lower case, without `#`.
    hashtags: Vec<String>,
}

impl Post {
    /// A post's HTML `content` (and `name`, `summary`) and its hashtags' names.
    pub fn new(html: &[&str], hashtags: &[&str]) -> Post {
        let text = html
            .iter()
            .map(|h| html_to_text(h))
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        Post {
            text: text.split_whitespace().collect::<Vec<_>>().join(" "),
            hashtags: hashtags
                .iter()
                .map(|t| t.trim().trim_start_matches('#').to_lowercase())
                .filter(|t| !t.is_empty())
                .collect(),
        }
    }

    /// Whether the normalised `term` is in the post.
    pub fn matches(&self, term: &str) -> bool {
        match term.strip_prefix('#') {
            Some(tag) => {
                self.hashtags.iter().any(|t| t == tag)
                    || self.word(term, |c| c == '#' || is_tag_char(c), is_tag_char)
            }
            None => self.word(term, char::is_alphanumeric, char::is_alphanumeric),
        }
    }

    /// `needle` in the text with no word character right before (`joins_before`) or
    /// after (`joins_after`) it.
    fn word(
        &self,
        needle: &str,
        joins_before: impl Fn(char) -> bool,
        joins_after: impl Fn(char) -> bool,
    ) -> bool {
        self.text.match_indices(needle).any(|(at, m)| {
            let before = self.text[..at].chars().next_back();
            let after = self.text[at + m.len()..].chars().next();
            !before.is_some_and(&joins_before) && !after.is_some_and(&joins_after)
        })
    }

    /// The first of `terms` the post holds.
    pub fn first_match<'t>(&self, terms: &'t [String]) -> Option<&'t str> {
        terms.iter().find(|t| self.matches(t)).map(String::as_str)
    }
}

/// What staff see of a post: its sanitised HTML when short, else the start of its text
/// (escaped).
pub fn excerpt(html: &str) -> String {
    let text = html_to_text(html);
    if text.chars().count() <= EXCERPT_CHARS {
        return sanitize_html(html);
    }
    let short: String = text.chars().take(EXCERPT_CHARS).collect();
    escape(&format!("{}…", short.trim_end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(html: &str, tags: &[&str]) -> Post {
        Post::new(&[html], tags)
    }

    #[test]
    fn terms_are_normalised_or_refused() {
        assert_eq!(normalize_term("  #Acme ").unwrap(), "#acme");
        assert_eq!(normalize_term("Acme   Widgets").unwrap(), "acme widgets");
        assert!(normalize_term("").is_err());
        assert!(normalize_term("#").is_err());
        assert!(normalize_term("#a-b").is_err());
        assert!(normalize_term("!!").is_err());
        assert!(normalize_term(&"x".repeat(101)).is_err());
    }

    #[test]
    fn words_match_whole_and_in_any_case() {
        let p = post("<p>My <b>ACME</b> printer, again!</p>", &[]);
        assert!(p.matches("acme"));
        assert!(p.matches("acme printer"));
        assert!(!p.matches("acm"));
        assert!(!p.matches("printers"));
        assert!(post("Love #acme", &[]).matches("acme"));
        assert!(!post("acmecorp", &[]).matches("acme"));
        assert!(post("Über Café", &[]).matches("café"));
        assert!(!post("ücafé", &[]).matches("café"));
    }

    #[test]
    fn hashtags_match_tags_or_the_tag_in_the_text() {
        assert!(post("nothing here", &["#Acme"]).matches("#acme"));
        assert!(post(r#"<a href="/tags/acme">#<span>Acme</span></a>"#, &[]).matches("#acme"));
        assert!(!post("acme, no tag", &[]).matches("#acme"));
        assert!(!post("#acmecorp", &[]).matches("#acme"));
        assert!(!post("x##acme", &[]).matches("#acme"));
        let terms = vec!["#other".to_string(), "acme".to_string()];
        assert_eq!(post("ACME!", &[]).first_match(&terms), Some("acme"));
    }

    #[test]
    fn excerpts_are_sanitised_and_short() {
        assert_eq!(excerpt("<p>hi<script>x()</script></p>"), "<p>hi</p>");
        let long = format!("<p>{}</p>", "<b>a</b> ".repeat(400));
        let e = excerpt(&long);
        assert!(e.ends_with('…') && !e.contains('<'));
    }

    /// Property: a term written into any text at a word boundary is found, in any
    /// case, and a term glued to a word character on either side is not.
    #[test]
    fn a_term_is_found_exactly_at_word_boundaries() {
        let alphabet: Vec<char> = "ab cdE,.!#_-é\n<>".chars().collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..2000 {
            let mut noise = |len: usize| -> String {
                (0..len).map(|_| alphabet[next(alphabet.len())]).collect()
            };
            let (before, after) = (noise(12), noise(12));
            let text = format!("{before} AcMe Widgets {after}").replace(['<', '>'], " ");
            assert!(post(&text, &[]).matches("acme widgets"), "{text:?}");
            let glued = format!("{before} AcMe Widgetsx {after}").replace(['<', '>'], " ");
            // (The noise has no `m` or `w`: the term cannot appear in it by chance.)
            assert!(!post(&glued, &[]).matches("acme widgets"), "{glued:?}");
            let tagged = format!("{before} #AcMe {after}").replace(['<', '>'], " ");
            assert!(post(&tagged, &[]).matches("#acme"), "{tagged:?}");
            assert!(post(&noise(20), &["ACME"]).matches("#acme"));
        }
    }
}
