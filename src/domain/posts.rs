//! Rules for questions and answers: sizes, titles, tags, search text.

use crate::error::{AppError, AppResult};

pub const MAX_TITLE: usize = 200;
pub const MIN_TITLE: usize = 3;
pub const MAX_BODY: usize = 50_000;
pub const MAX_TAGS: usize = 10;

pub fn check_question(title: &str, body: &str, tags: &[String]) -> AppResult<()> {
    let n = title.trim().chars().count();
    if !(MIN_TITLE..=MAX_TITLE).contains(&n) {
        return Err(AppError::Invalid(format!(
            "a question title is {MIN_TITLE}-{MAX_TITLE} characters"
        )));
    }
    if tags.len() > MAX_TAGS {
        return Err(AppError::Invalid(format!("at most {MAX_TAGS} tags")));
    }
    check_body(body)
}

pub fn check_body(body: &str) -> AppResult<()> {
    if body.trim().is_empty() {
        return Err(AppError::Invalid("the text is empty".into()));
    }
    if body.len() > MAX_BODY {
        return Err(AppError::Invalid(format!(
            "the text is longer than {MAX_BODY} bytes"
        )));
    }
    Ok(())
}

/// Lower-case tags of letters, digits, `-` and `_`, without `#`, de-duplicated; stored
/// space-separated.
pub fn normalize_tags(tags: Vec<String>) -> String {
    let mut out: Vec<String> = tags
        .into_iter()
        .map(|t| {
            t.trim_start_matches('#')
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .take(40)
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect();
    let mut seen = std::collections::HashSet::new();
    out.retain(|t| seen.insert(t.clone()));
    out.truncate(MAX_TAGS);
    out.join(" ")
}

/// Plain text of sanitised HTML (tags dropped, common entities decoded).
pub fn html_to_text(html: &str) -> String {
    // Block elements and line breaks end a word; inline ones (`<strong>`) do not.
    const BLOCKS: [&str; 13] = [
        "p",
        "br",
        "div",
        "li",
        "ul",
        "ol",
        "tr",
        "td",
        "th",
        "blockquote",
        "pre",
        "h",
        "hr",
    ];
    let mut out = String::with_capacity(html.len());
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (Some(name), '>') => {
                let n = name
                    .trim_start_matches('/')
                    .split_whitespace()
                    .next()
                    .unwrap_or("");
                let n = n.trim_end_matches('/').to_ascii_lowercase();
                if BLOCKS
                    .iter()
                    .any(|b| n == *b || (*b == "h" && n.len() == 2 && n.starts_with('h')))
                {
                    out.push(' ');
                }
                tag = None;
            }
            (Some(name), c) => name.push(c),
            (None, c) => out.push(c),
        }
    }
    let text = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A title for a question that arrived without one (a microblog post): its first
/// sentence or line, without leading mentions, shortened to 120 characters.
pub fn derive_title(text: &str) -> String {
    let words: Vec<&str> = text
        .split_whitespace()
        .skip_while(|w| w.starts_with('@'))
        .collect();
    let text = words.join(" ");
    let end = text
        .char_indices()
        .find(|(_, c)| matches!(c, '?' | '.' | '!' | '\n'))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(text.len());
    let first = text[..end].trim();
    let title: String = first.chars().take(120).collect();
    if title.chars().count() < first.chars().count() {
        format!("{}…", title.trim_end())
    } else if title.is_empty() {
        "(untitled question)".into()
    } else {
        title
    }
}

/// What full-text search indexes for a post.
pub fn search_text(title: Option<&str>, content_html: &str) -> String {
    let body = html_to_text(content_html);
    match title {
        Some(t) => format!("{t} {body}"),
        None => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_from_microblog_posts() {
        assert_eq!(
            derive_title("@acme @bob My printer jams. Help?"),
            "My printer jams."
        );
        assert_eq!(derive_title("Why does it beep"), "Why does it beep");
        assert_eq!(derive_title("@acme"), "(untitled question)");
        let long = "word ".repeat(60);
        assert!(derive_title(&long).ends_with('…'));
    }

    #[test]
    fn html_to_text_strips_markup() {
        assert_eq!(
            html_to_text("<p>Hi <b>there</b> &amp; you</p>"),
            "Hi there & you"
        );
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(
            normalize_tags(vec!["#Wifi".into(), "wifi".into(), "set up!".into()]),
            "wifi setup"
        );
    }
}
