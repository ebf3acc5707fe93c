//! Community roles of a group ("Ambassador", "Curator"): a title shown beside the names
//! of the people who hold it, and privileges chosen from a fixed list. Moderators define
//! and assign them (`actions::roles`).

use crate::error::{AppError, AppResult};

/// Longest role name, in characters.
pub const MAX_NAME: usize = 40;
/// Roles a group may define at most.
pub const MAX_ROLES: usize = 20;

/// What a role may let its holders do in the group, besides showing its title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Privilege {
    /// Lock and unlock questions.
    Lock,
    /// Feature and unfeature questions.
    Feature,
    /// Read removed posts, as moderators do.
    SeeRemoved,
}

impl Privilege {
    pub const ALL: [Privilege; 3] = [Privilege::Lock, Privilege::Feature, Privilege::SeeRemoved];

    pub fn as_str(self) -> &'static str {
        match self {
            Privilege::Lock => "lock",
            Privilege::Feature => "feature",
            Privilege::SeeRemoved => "see_removed",
        }
    }

    pub fn parse(s: &str) -> Option<Privilege> {
        Privilege::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// A role's name, trimmed, or why it is refused.
pub fn name(s: &str) -> AppResult<String> {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() || s.chars().count() > MAX_NAME {
        return Err(AppError::Invalid(format!(
            "a role's name has 1 to {MAX_NAME} characters"
        )));
    }
    if s.chars().any(|c| c.is_control() || c == '<' || c == '>') {
        return Err(AppError::Invalid("a role's name is plain text".into()));
    }
    Ok(s)
}

/// Privileges by name, checked; duplicates dropped, in the list's order.
pub fn privileges(list: &[String]) -> AppResult<Vec<Privilege>> {
    let mut chosen = Vec::new();
    for s in list {
        let p = Privilege::parse(s.trim()).ok_or_else(|| {
            AppError::Invalid("privileges are lock, feature and see_removed".into())
        })?;
        if !chosen.contains(&p) {
            chosen.push(p);
        }
    }
    Ok(Privilege::ALL
        .into_iter()
        .filter(|p| chosen.contains(p))
        .collect())
}

/// Privileges as stored (space-separated names).
pub fn stored(privileges: &[Privilege]) -> String {
    privileges
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Privileges read back from storage (unknown names are left out).
pub fn from_stored(s: &str) -> Vec<Privilege> {
    s.split_whitespace().filter_map(Privilege::parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_privileges() {
        assert_eq!(
            name("  Community   Ambassador ").unwrap(),
            "Community Ambassador"
        );
        assert!(name("").is_err());
        assert!(name(&"x".repeat(41)).is_err());
        assert!(name("<b>").is_err());
        let p = privileges(&["see_removed".into(), "lock".into(), "lock".into()]).unwrap();
        assert_eq!(p, vec![Privilege::Lock, Privilege::SeeRemoved]);
        assert_eq!(from_stored(&stored(&p)), p);
        assert!(privileges(&["delete_everything".into()]).is_err());
    }
}
