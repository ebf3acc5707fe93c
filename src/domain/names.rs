//! Names that new accounts and groups may not take: they collide with routes
//! (`/actor`, `/inbox`, `/api`, the path prefixes `u`, `g`, `q`, `a`, …) or pose as
//! a role (`admin`, `staff`, `support`, …). Instance admins can still create such an
//! account with `peerdesk admin create-user`.

use crate::error::{AppError, AppResult};

pub const RESERVED: &[&str] = &[
    // Routes and route prefixes.
    "a",
    "g",
    "q",
    "u",
    "actor",
    "inbox",
    "outbox",
    "followers",
    "following",
    "featured",
    "moderators",
    "context",
    "activities",
    "api",
    "well-known",
    "well_known",
    "webfinger",
    "nodeinfo",
    "openapi",
    "static",
    "assets",
    "users",
    "groups",
    "questions",
    "answers",
    "posts",
    "search",
    "accounts",
    "sessions",
    "me",
    "follows",
    "resolve",
    "modlog",
    "reports",
    "instances",
    "deliveries",
    "reputation",
    "leaderboard",
    "privileges",
    "orgs",
    "organisations",
    "organizations",
    "stats",
    "login",
    "logout",
    "register",
    "signup",
    "sign-in",
    "sign-up",
    "settings",
    "instance",
    "peerdesk-staff",
    // Roles and the instance's own voice.
    "admin",
    "admins",
    "administrator",
    "administrators",
    "root",
    "system",
    "support",
    "help",
    "staff",
    "moderator",
    "mod",
    "mods",
    "official",
    "peerdesk",
    "security",
    "abuse",
    "postmaster",
    "webmaster",
    "hostmaster",
    "noreply",
    "no-reply",
    "everyone",
    "null",
    "undefined",
];

pub fn is_reserved(name: &str) -> bool {
    RESERVED.contains(&name.to_ascii_lowercase().as_str())
}

/// A name for a new user or group chosen through the API: well-formed and not reserved.
pub fn check_new_name(name: &str) -> AppResult<()> {
    super::validate_name(name)?;
    if is_reserved(name) {
        return Err(AppError::Invalid(
            "that name is reserved; choose another".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn reserved_names_are_refused_others_pass() {
        for n in ["admin", "inbox", "well-known", "u", "api"] {
            assert!(super::check_new_name(n).is_err(), "{n}");
        }
        super::check_new_name("alice").unwrap();
    }
}
