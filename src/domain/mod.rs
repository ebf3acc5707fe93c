//! Product logic without HTTP types: accounts, groups, site set-up, text handling.

pub mod accounts;
pub mod cases;
pub mod client_addr;
pub mod email;
pub mod escalation;
pub mod groups;
pub mod ideas;
pub mod input;
pub mod instance;
pub mod listening;
pub mod login_limits;
pub mod names;
pub mod notify;
pub mod password_gate;
pub mod personal_data;
pub mod posts;
pub mod ratelimit;
pub mod roles;
pub mod satisfaction;
pub mod site;
pub mod text;
pub mod webhooks;
pub mod widget;

/// Local names (users and groups share one namespace, as WebFinger handles do).
pub fn validate_name(name: &str) -> Result<(), crate::error::AppError> {
    let ok = (2..=40).contains(&name.len())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
        && !name.starts_with('-');
    if ok {
        Ok(())
    } else {
        Err(crate::error::AppError::Invalid(
            "names are 2-40 characters of a-z, 0-9, '_' and '-'".into(),
        ))
    }
}
