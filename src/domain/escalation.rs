//! Escalation rules: their kinds, what each kind's parameter may be, and the
//! priorities of the cases they open. Evaluating them is `actions::escalation`.

use crate::domain::posts::normalize_tags;

/// When a rule escalates a question of its group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// No answer N hours after it was published.
    UnansweredHours,
    /// No accepted answer N days after it was published.
    UnacceptedDays,
    /// Asked by a customer with an open case with the rule's organisation.
    OpenCase,
    /// Its title or text holds a keyword (case-insensitive).
    Keyword,
    /// It carries a tag.
    Tag,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::UnansweredHours,
        Kind::UnacceptedDays,
        Kind::OpenCase,
        Kind::Keyword,
        Kind::Tag,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::UnansweredHours => "unanswered_hours",
            Kind::UnacceptedDays => "unaccepted_days",
            Kind::OpenCase => "open_case",
            Kind::Keyword => "keyword",
            Kind::Tag => "tag",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// Whether the rule waits a number of hours or days after publication.
    pub fn is_timed(self) -> bool {
        matches!(self, Kind::UnansweredHours | Kind::UnacceptedDays)
    }
}

/// The priorities of cases (as `domain::cases` has them).
pub const PRIORITIES: [&str; 4] = ["low", "normal", "high", "urgent"];

pub fn check_priority(p: &str) -> Option<&'static str> {
    crate::domain::cases::Priority::parse(p.trim()).map(|p| p.as_str())
}

/// The most rules a group may have.
pub const MAX_RULES: usize = 50;
/// The longest wait: a year, in hours or in days.
pub const MAX_HOURS: i64 = 24 * 365;
pub const MAX_DAYS: i64 = 365;
/// A keyword's length in characters.
pub const MIN_KEYWORD: usize = 2;
pub const MAX_KEYWORD: usize = 100;

const HOUR_MS: i64 = 3_600_000;

/// What is wrong with a rule's parameter, for the field that holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    Hours,
    Days,
    Keyword,
    Tag,
}

impl Problem {
    pub fn message(self) -> String {
        match self {
            Problem::Hours => format!("the hours are a whole number from 1 to {MAX_HOURS}"),
            Problem::Days => format!("the days are a whole number from 1 to {MAX_DAYS}"),
            Problem::Keyword => {
                format!("a keyword has {MIN_KEYWORD} to {MAX_KEYWORD} characters")
            }
            Problem::Tag => "a tag has letters, digits, - or _".into(),
        }
    }
}

/// A rule's parameter as stored (hours or days as digits, the keyword in lower case,
/// the tag normalised as questions' tags are; empty for `open_case`) and its wait in ms.
pub fn parameter(kind: Kind, typed: &str) -> Result<(String, i64), Problem> {
    let typed = typed.trim();
    match kind {
        Kind::UnansweredHours => match typed.parse::<i64>() {
            Ok(n) if (1..=MAX_HOURS).contains(&n) => Ok((n.to_string(), n * HOUR_MS)),
            _ => Err(Problem::Hours),
        },
        Kind::UnacceptedDays => match typed.parse::<i64>() {
            Ok(n) if (1..=MAX_DAYS).contains(&n) => Ok((n.to_string(), n * 24 * HOUR_MS)),
            _ => Err(Problem::Days),
        },
        Kind::OpenCase => Ok((String::new(), 0)),
        Kind::Keyword => {
            let n = typed.chars().count();
            if (MIN_KEYWORD..=MAX_KEYWORD).contains(&n) && !typed.contains(['\n', '\r']) {
                Ok((typed.to_lowercase(), 0))
            } else {
                Err(Problem::Keyword)
            }
        }
        Kind::Tag => {
            let tag = normalize_tags(vec![typed.to_string()]);
            if tag.is_empty() || tag.contains(' ') {
                Err(Problem::Tag)
            } else {
                Ok((tag, 0))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_checked() {
        assert_eq!(
            parameter(Kind::UnansweredHours, " 24 "),
            Ok(("24".into(), 24 * HOUR_MS))
        );
        assert_eq!(parameter(Kind::UnansweredHours, "0"), Err(Problem::Hours));
        assert_eq!(parameter(Kind::UnacceptedDays, "x"), Err(Problem::Days));
        assert_eq!(parameter(Kind::Keyword, "Refund"), Ok(("refund".into(), 0)));
        assert_eq!(parameter(Kind::Keyword, "a"), Err(Problem::Keyword));
        assert_eq!(parameter(Kind::Tag, "#Billing"), Ok(("billing".into(), 0)));
        assert_eq!(parameter(Kind::Tag, "!!"), Err(Problem::Tag));
        assert_eq!(parameter(Kind::OpenCase, "ignored"), Ok((String::new(), 0)));
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
    }
}
