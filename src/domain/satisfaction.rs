//! Satisfaction surveys: the answers, the lenient reading of a reply ("yes", "Ja,
//! danke!", "nope"…), and the text of the direct message sent to an asker on another
//! server.

/// How far back a pass looks for acceptances, and for questions past the wait: what is
/// older is never surveyed (no flood of surveys for old threads when the feature is
/// switched on or the interval was long off).
pub const LOOKBACK_MS: i64 = 14 * 86_400_000;

/// The longest comment kept with an answer (characters).
pub const MAX_COMMENT: usize = 2_000;

/// An answer to "Did this solve your problem?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
        }
    }

    /// `yes` or `no` exactly (forms and the API).
    pub fn parse(s: &str) -> Option<Answer> {
        match s.trim().to_ascii_lowercase().as_str() {
            "yes" => Some(Answer::Yes),
            "no" => Some(Answer::No),
            _ => None,
        }
    }
}

const YES: &[&str] = &[
    "yes",
    "y",
    "yep",
    "yeah",
    "yup",
    "sure",
    "solved",
    "resolved",
    "fixed",
    "works",
    "worked",
    "ok",
    "okay",
    "ja",
    "jap",
    "jo",
    "jep",
    "jawohl",
    "genau",
    "gelöst",
    "geloest",
    "klappt",
    "funktioniert",
];
const NO: &[&str] = &[
    "no", "n", "nope", "nah", "not", "unsolved", "nein", "nee", "nö", "noe", "nicht", "leider",
];

/// Reads a reply's text as an answer: its first word after the mentions (`@…`) in
/// English or German, case and punctuation ignored, or a thumbs up or down;
/// `None` when it reads as neither.
pub fn read_reply(text: &str) -> Option<Answer> {
    let word = text.split_whitespace().find(|w| !w.starts_with('@'))?;
    if word.contains(['👍', '✅']) {
        return Some(Answer::Yes);
    }
    if word.contains(['👎', '❌']) {
        return Some(Answer::No);
    }
    let w = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    if YES.contains(&w.as_str()) {
        Some(Answer::Yes)
    } else if NO.contains(&w.as_str()) {
        Some(Answer::No)
    } else {
        None
    }
}

/// The direct message to an asker on another server about `title` (`url`: the thread).
pub fn message(title: &str, url: &str) -> String {
    let title: String = title.chars().filter(|c| !matches!(c, '[' | ']')).collect();
    format!(
        "Did this solve your problem? Your question [{title}]({url}) has an answer.\n\n\
         Reply **yes** or **no** (you may add a comment), or like this message for yes.\n\n\
         Hat das Ihr Problem gelöst? Antworten Sie mit **ja** oder **nein**."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_read_leniently() {
        for yes in [
            "yes",
            "Yes!",
            "@help@a.example yes, thanks",
            "@localhost:8080@localhost:8080 Yes, thanks! It works now.",
            "YEAH it works",
            "Ja, danke!",
            "Gelöst.",
            "👍",
        ] {
            assert_eq!(read_reply(yes), Some(Answer::Yes), "{yes}");
        }
        for no in [
            "no",
            "No.",
            "@x nope",
            "Nein, leider nicht",
            "nö",
            "not really",
            "👎",
        ] {
            assert_eq!(read_reply(no), Some(Answer::No), "{no}");
        }
        for neither in ["", "maybe", "I will try tomorrow, yes"] {
            assert_eq!(read_reply(neither), None, "{neither}");
        }
        assert_eq!(Answer::parse(" YES "), Some(Answer::Yes));
        assert_eq!(Answer::parse("ja"), None);
    }
}
