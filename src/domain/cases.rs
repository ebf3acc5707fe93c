//! Cases: their statuses, priorities and origins, the limits of what they hold, and the
//! CRM tokens (made, shown once, stored as a SHA-256).

use crate::error::{AppError, AppResult};
use sha2::{Digest, Sha256};

/// Where a case stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    PendingCustomer,
    PendingCompany,
    Solved,
    Closed,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Open,
        Status::PendingCustomer,
        Status::PendingCompany,
        Status::Solved,
        Status::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::PendingCustomer => "pending_customer",
            Status::PendingCompany => "pending_company",
            Status::Solved => "solved",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// [`Status::parse`], as a clear error.
    pub fn check(s: &str) -> AppResult<Status> {
        Status::parse(s.trim()).ok_or_else(|| {
            AppError::Invalid(
                "unknown status; a case is open, pending_customer, pending_company, solved or closed"
                    .into(),
            )
        })
    }

    pub fn is_open(self) -> bool {
        !matches!(self, Status::Solved | Status::Closed)
    }
}

/// How urgent a case is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

impl Priority {
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    pub fn parse(s: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// [`Priority::parse`], as a clear error.
    pub fn check(s: &str) -> AppResult<Priority> {
        Priority::parse(s.trim()).ok_or_else(|| {
            AppError::Invalid(
                "unknown priority; a case's priority is low, normal, high or urgent".into(),
            )
        })
    }
}

/// Who or what opened a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The customer, from their question or a group's page.
    Customer,
    /// A staff member (their actor), from the staff inbox.
    Staff { by: i64 },
    /// An escalation rule (its id).
    Rule { rule_id: i64 },
    /// Personal data found in a public post.
    PersonalData,
}

impl Origin {
    /// The stored `origin` and `origin_ref`.
    pub fn columns(self) -> (&'static str, Option<i64>) {
        match self {
            Origin::Customer => ("customer", None),
            Origin::Staff { by } => ("staff", Some(by)),
            Origin::Rule { rule_id } => ("rule", Some(rule_id)),
            Origin::PersonalData => ("personal_data", None),
        }
    }

    pub fn from_columns(origin: &str, reference: Option<i64>) -> Origin {
        match (origin, reference) {
            ("staff", Some(by)) => Origin::Staff { by },
            ("rule", Some(rule_id)) => Origin::Rule { rule_id },
            ("personal_data", _) => Origin::PersonalData,
            _ => Origin::Customer,
        }
    }
}

/// Limits (bytes).
pub const MAX_SUBJECT: usize = 200;
pub const MAX_MESSAGE: usize = 10_000;
pub const MAX_NOTE: usize = 500;
pub const MAX_TICKET_ID: usize = 100;
pub const MAX_TOKEN_NAME: usize = 100;
/// The most questions one case links.
pub const MAX_QUESTIONS: usize = 50;

/// A subject: trimmed, 1 to [`MAX_SUBJECT`] bytes, one line.
pub fn check_subject(s: &str) -> AppResult<String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(AppError::Invalid("a case needs a subject".into()));
    }
    if s.len() > MAX_SUBJECT {
        return Err(AppError::Invalid(format!(
            "a case's subject has at most {MAX_SUBJECT} bytes"
        )));
    }
    Ok(s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A message's text (Markdown): trimmed, 1 to [`MAX_MESSAGE`] bytes.
pub fn check_message(s: &str) -> AppResult<String> {
    let s = s.trim();
    if s.is_empty() {
        return Err(AppError::Invalid("write a message first".into()));
    }
    if s.len() > MAX_MESSAGE {
        return Err(AppError::Invalid(format!(
            "a message has at most {MAX_MESSAGE} bytes"
        )));
    }
    Ok(s.to_string())
}

/// A public note: trimmed, at most [`MAX_NOTE`] bytes; empty clears it.
pub fn check_note(s: &str) -> AppResult<Option<String>> {
    let s = s.trim();
    if s.len() > MAX_NOTE {
        return Err(AppError::Invalid(format!(
            "a public note has at most {MAX_NOTE} bytes"
        )));
    }
    Ok((!s.is_empty()).then(|| s.to_string()))
}

/// A CRM's ticket id: trimmed, printable, at most [`MAX_TICKET_ID`] bytes; empty clears it.
pub fn check_ticket_id(s: &str) -> AppResult<Option<String>> {
    let s = s.trim();
    if s.len() > MAX_TICKET_ID || s.chars().any(char::is_control) {
        return Err(AppError::Invalid(format!(
            "a ticket id is at most {MAX_TICKET_ID} bytes of printable text"
        )));
    }
    Ok((!s.is_empty()).then(|| s.to_string()))
}

/// A token's name: trimmed, 1 to [`MAX_TOKEN_NAME`] bytes.
pub fn check_token_name(s: &str) -> AppResult<String> {
    let s = s.trim();
    if s.is_empty() || s.len() > MAX_TOKEN_NAME || s.chars().any(char::is_control) {
        return Err(AppError::Invalid(format!(
            "name the token (1 to {MAX_TOKEN_NAME} bytes), e.g. the CRM it is for"
        )));
    }
    Ok(s.to_string())
}

/// The prefix of every CRM token.
pub const TOKEN_PREFIX: &str = "pdcrm_";

/// A new CRM token: `pdcrm_` and 32 random bytes in hex.
pub fn new_token() -> String {
    let key: [u8; 32] = rand::random();
    let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
    format!("{TOKEN_PREFIX}{hex}")
}

/// What is stored of a token: the hex of its SHA-256.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.trim().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What lists show of a token: its first characters.
pub fn token_display_prefix(token: &str) -> String {
    token.chars().take(TOKEN_PREFIX.len() + 6).collect()
}

/// A case number as written (`1042`, `#1042`).
pub fn parse_number(s: &str) -> Option<i64> {
    s.trim()
        .trim_start_matches('#')
        .parse()
        .ok()
        .filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_priorities_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.as_str()), Some(p));
        }
        assert!(Status::check("done").is_err());
        assert!(!Status::Solved.is_open() && Status::PendingCustomer.is_open());
    }

    #[test]
    fn tokens_are_hashed_and_numbers_parsed() {
        let t = new_token();
        assert!(t.starts_with(TOKEN_PREFIX) && t.len() == TOKEN_PREFIX.len() + 64);
        assert_eq!(token_hash(&t).len(), 64);
        assert_ne!(token_hash(&t), t);
        assert_eq!(parse_number("#1042"), Some(1042));
        assert_eq!(parse_number("x"), None);
        assert_eq!(
            Origin::from_columns("rule", Some(3)),
            Origin::Rule { rule_id: 3 }
        );
    }
}
