//! Likely personal data in a post's text: e-mail addresses, phone numbers, payment-card
//! numbers (Luhn-checked) and the patterns a group configures (order numbers, serials).
//!
//! [`Detector::find`] returns where each finding is (byte offsets into the text) and its
//! kind; [`remove`] replaces the findings with a neutral marker (moving them into a private
//! case) and [`mask`] hides them for display (posts from other servers on public pages).
//! Nothing here stores or sends anything.

use crate::error::{AppError, AppResult};
use regex::Regex;
use std::sync::LazyLock;

/// Named patterns a group may configure, at most.
pub const MAX_PATTERNS: usize = 20;
/// A pattern's source, at most (characters).
pub const MAX_PATTERN_LEN: usize = 200;
/// A pattern's name, at most (characters).
pub const MAX_PATTERN_NAME: usize = 40;
/// The compiled size a pattern may take (bytes), so that a group's pattern cannot make
/// every post slow.
const PATTERN_SIZE_LIMIT: usize = 64 * 1024;
/// What replaces moved details in the public text.
pub const MOVED_MARKER: &str = "[moved to a private case]";

/// What a finding is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Email,
    Phone,
    Card,
    /// A pattern the group configured, by its name.
    Pattern(String),
}

impl Kind {
    /// `email`, `phone`, `card` or `pattern` (as the API names it).
    pub fn code(&self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Card => "card",
            Kind::Pattern(_) => "pattern",
        }
    }
}

/// Likely personal data at `start..end` (bytes) of the text searched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
}

impl Finding {
    /// The text found.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or_default()
    }

    /// Where it is in characters (Unicode scalar values), as the API reports it.
    pub fn char_span(&self, text: &str) -> (usize, usize) {
        let start = text.get(..self.start).map_or(0, |s| s.chars().count());
        (start, start + self.text(text).chars().count())
    }
}

/// A group's pattern: its name and its regular expression.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub name: String,
    pub regex: Regex,
}

/// Checks and compiles a group's pattern; the error says what is wrong with it.
pub fn compile(name: &str, source: &str) -> AppResult<Pattern> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_PATTERN_NAME {
        return Err(AppError::Invalid(format!(
            "a pattern's name is 1 to {MAX_PATTERN_NAME} characters"
        )));
    }
    if source.trim().is_empty() || source.chars().count() > MAX_PATTERN_LEN {
        return Err(AppError::Invalid(format!(
            "a pattern is 1 to {MAX_PATTERN_LEN} characters"
        )));
    }
    let regex = regex::RegexBuilder::new(source)
        .size_limit(PATTERN_SIZE_LIMIT)
        .dfa_size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => {
                AppError::Invalid("the pattern is too complex; make it simpler".into())
            }
            _ => AppError::Invalid("the pattern is not a valid regular expression".into()),
        })?;
    if regex.is_match("") {
        return Err(AppError::Invalid(
            "the pattern matches empty text; it must match something".into(),
        ));
    }
    Ok(Pattern {
        name: name.to_string(),
        regex,
    })
}

/// Parses a group's patterns as the settings store them: one `name: regex` a line.
/// Lines that no longer compile are skipped (they were checked when saved).
pub fn parse_patterns(stored: &str) -> Vec<Pattern> {
    stored
        .lines()
        .filter_map(|l| l.split_once(':'))
        .filter_map(|(n, r)| compile(n, r.trim()).ok())
        .collect()
}

/// Checks patterns as a moderator writes them (one `name: regex` a line) and returns
/// them normalised for storing, or the first problem with its line number.
pub fn check_patterns(text: &str) -> AppResult<String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((name, source)) = line.split_once(':') else {
            return Err(AppError::Invalid(format!(
                "line {}: write a name, a colon and the pattern (order: ORD-[0-9]{{6}})",
                i + 1
            )));
        };
        let p = compile(name, source.trim())
            .map_err(|e| AppError::Invalid(format!("line {}: {e}", i + 1)))?;
        out.push(format!("{}: {}", p.name, source.trim()));
    }
    if out.len() > MAX_PATTERNS {
        return Err(AppError::Invalid(format!(
            "at most {MAX_PATTERNS} patterns"
        )));
    }
    Ok(out.join("\n"))
}

/// The first line (from 1) of `text` that [`check_patterns`] refuses, if any; 0 when
/// the lines are fine but too many.
pub fn bad_line(text: &str) -> Option<usize> {
    check_patterns(text).err()?;
    Some(
        text.lines()
            .position(|l| !l.trim().is_empty() && check_patterns(l).is_err())
            .map_or(0, |i| i + 1),
    )
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z0-9._%+\-]+@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)*\.[a-z]{2,24}\b")
        .expect("valid")
});
static CARD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b\d(?:[ \-]?\d){12,18}\b").expect("valid"));
/// International (+…), national with a leading 0 (or its area code in brackets), and the
/// North American 3-3-4 form.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\+[1-9]\d{0,3}(?:[ .\-/]?(?:\(\d{1,5}\)|\d{1,5})){1,6}",
        r"|(?:\(0\d{1,5}\)|\b0\d{1,5})(?:[ .\-/]?\d{2,8}){1,4}\b",
        r"|(?:\(\d{3}\) ?|\b\d{3}[.\-])\d{3}[.\-]\d{4}\b",
    ))
    .expect("valid")
});

fn digits(s: &str) -> Vec<u32> {
    s.chars().filter_map(|c| c.to_digit(10)).collect()
}

/// The Luhn check of a card number's digits.
pub fn luhn(d: &[u32]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| match (i % 2 == 1, x * 2) {
            (false, _) => x,
            (true, y) if y > 9 => y - 9,
            (true, y) => y,
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether the digits start like a card of a known scheme with one of its lengths (a
/// long number of another kind, such as an id, rarely does both and passes Luhn).
fn card_scheme(d: &[u32]) -> bool {
    let prefix = |n: usize| d.iter().take(n).fold(0, |acc, &x| acc * 10 + x);
    let len = d.len();
    let (p1, p2, p3, p4) = (prefix(1), prefix(2), prefix(3), prefix(4));
    match () {
        // Visa
        _ if p1 == 4 => matches!(len, 13 | 16 | 19),
        // Mastercard
        _ if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) => len == 16,
        // American Express
        _ if p2 == 34 || p2 == 37 => len == 15,
        // Discover, UnionPay, Maestro
        _ if p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 => matches!(len, 16 | 19),
        _ if p2 == 62 => (16..=19).contains(&len),
        _ if p2 == 50 || (56..=58).contains(&p2) || p2 == 67 => matches!(len, 16 | 19),
        // JCB, Diners Club
        _ if (3528..=3589).contains(&p4) => (16..=19).contains(&len),
        _ if p2 == 36 || (300..=305).contains(&p3) => len == 14,
        _ if p2 == 38 || p2 == 39 => len == 16,
        _ => false,
    }
}

fn is_card(s: &str) -> bool {
    let d = digits(s);
    card_scheme(&d) && luhn(&d)
}

/// An ISBN's check digit holds (ISBN-10 or ISBN-13 starting 978/979).
fn is_isbn(d: &[u32]) -> bool {
    let weighted =
        |w: &dyn Fn(usize) -> u32| -> u32 { d.iter().enumerate().map(|(i, &x)| w(i) * x).sum() };
    match d.len() {
        10 => weighted(&|i| 10 - i as u32).is_multiple_of(11),
        13 => {
            (d[..3] == [9, 7, 8] || d[..3] == [9, 7, 9])
                && weighted(&|i| if i % 2 == 1 { 3 } else { 1 }).is_multiple_of(10)
        }
        _ => false,
    }
}

fn is_phone(text: &str, start: usize, end: usize) -> bool {
    let s = &text[start..end];
    let d = digits(s);
    let international = s.starts_with('+');
    let enough = if international {
        (8..=15).contains(&d.len())
    } else {
        (9..=13).contains(&d.len())
    };
    if !enough {
        return false;
    }
    // Part of a longer token (a version, a path, an id, a URL).
    let before = text[..start].chars().next_back();
    if before.is_some_and(|c| c.is_alphanumeric() || ".-/_#=:@+".contains(c)) {
        return false;
    }
    let after = text[end..].chars().next();
    if after.is_some_and(|c| c.is_alphanumeric() || c == '@') {
        return false;
    }
    if after == Some('.') && text[end + 1..].starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    // A book number: after "ISBN", or hyphenated with a valid check digit.
    if after_isbn(text, start) || (!international && s.contains('-') && is_isbn(&d)) {
        return false;
    }
    true
}

/// The text before `start` ends with "ISBN" (and a colon or dash).
fn after_isbn(text: &str, start: usize) -> bool {
    let lead = text[..start]
        .trim_end_matches([' ', ':', '-'])
        .to_ascii_lowercase();
    lead.ends_with("isbn") || lead.ends_with("isbn-10") || lead.ends_with("isbn-13")
}

/// Finds likely personal data: the group's patterns first (so that an order number the
/// group names is reported as such and not as a phone number), then cards, e-mail
/// addresses and phone numbers; findings never overlap and come in text order.
#[derive(Clone, Debug, Default)]
pub struct Detector {
    pub patterns: Vec<Pattern>,
}

impl Detector {
    pub fn new(patterns: Vec<Pattern>) -> Self {
        Detector { patterns }
    }

    pub fn find(&self, text: &str) -> Vec<Finding> {
        let mut found: Vec<Finding> = Vec::new();
        let mut add = |f: Finding| {
            if f.end > f.start && !found.iter().any(|g| f.start < g.end && g.start < f.end) {
                found.push(f);
            }
        };
        for p in &self.patterns {
            for m in p.regex.find_iter(text) {
                add(Finding {
                    kind: Kind::Pattern(p.name.clone()),
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
        for m in EMAIL.find_iter(text) {
            // A fediverse handle (@name@host) is not an e-mail address.
            let handle = text[..m.start()].ends_with('@');
            if !handle {
                add(Finding {
                    kind: Kind::Email,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
        for m in CARD.find_iter(text) {
            if is_card(m.as_str()) && !after_isbn(text, m.start()) {
                add(Finding {
                    kind: Kind::Card,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
        for m in PHONE.find_iter(text) {
            if is_phone(text, m.start(), m.end()) {
                add(Finding {
                    kind: Kind::Phone,
                    start: m.start(),
                    end: m.end(),
                });
            }
        }
        found.sort_by_key(|f| f.start);
        found
    }
}

/// `text` with each finding replaced by [`MOVED_MARKER`].
pub fn remove(text: &str, found: &[Finding]) -> String {
    replace(text, found, |_, _| MOVED_MARKER.to_string())
}

/// `text` with each finding cut out (the author removes what was found).
pub fn cut(text: &str, found: &[Finding]) -> String {
    replace(text, found, |_, _| String::new())
}

/// `text` with each finding masked: an e-mail address keeps its domain
/// (`••••@example.com`), a phone number its last two digits and a card its last four;
/// a group's pattern is masked whole.
pub fn mask(text: &str, found: &[Finding]) -> String {
    replace(text, found, |f, s| match f.kind {
        Kind::Email => match s.rsplit_once('@') {
            Some((_, domain)) => format!("••••@{domain}"),
            None => "••••".into(),
        },
        Kind::Phone => keep_last_digits(s, 2),
        Kind::Card => keep_last_digits(s, 4),
        Kind::Pattern(_) => "••••".into(),
    })
}

fn keep_last_digits(s: &str, keep: usize) -> String {
    let total = s.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    s.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen + keep > total {
                    c
                } else {
                    '•'
                }
            } else {
                c
            }
        })
        .collect()
}

fn replace(text: &str, found: &[Finding], with: impl Fn(&Finding, &str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for f in found {
        if f.start < at || f.end > text.len() {
            continue;
        }
        out.push_str(&text[at..f.start]);
        out.push_str(&with(f, &text[f.start..f.end]));
        at = f.end;
    }
    out.push_str(&text[at..]);
    out
}

#[cfg(test)]
#[path = "personal_data_tests.rs"]
mod tests;
