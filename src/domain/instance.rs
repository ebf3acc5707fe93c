//! The instance's settings an admin changes at run time (the admin console's Instance
//! page): the site's name and description, registrations, who may create groups, the
//! federation mode and the rate limits. Each is as configured (its flag or `PEERDESK_*`
//! variable) until an admin sets it; what was set is stored and wins over the flag.
//!
//! Every process keeps the settings in force in memory ([`Live`]): read without a query,
//! replaced at once in the process that saved them and re-read from the database by the
//! others every few seconds ([`REFRESH`]).

use crate::config::Settings;
use crate::db::models::InstanceSettingsRow;
use crate::domain::ratelimit::InstanceLimits;
use crate::error::{AppError, AppResult};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// How often a process re-reads settings another process may have saved.
pub const REFRESH: Duration = Duration::from_secs(5);
/// The longest site name, in characters.
pub const MAX_NAME: usize = 100;
/// The longest site description (markdown), in bytes.
pub const MAX_DESCRIPTION: usize = 5_000;
/// The highest per-instance limit (per minute) that may be set.
pub const MAX_INSTANCE_LIMIT: u32 = 100_000;

/// Who may register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Registrations {
    Open,
    Closed,
    /// With an invitation an admin made.
    Invite,
}

impl Registrations {
    pub const ALL: [Registrations; 3] = [Self::Open, Self::Closed, Self::Invite];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Closed => "closed",
            Self::Invite => "invite",
        }
    }

    pub fn parse(s: &str) -> AppResult<Registrations> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| AppError::Invalid("registrations are open, closed or invite".into()))
    }
}

/// Who may create groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GroupCreation {
    /// Every local account.
    Anyone,
    /// Admins and the accounts an admin allowed (the "can create groups" role).
    Granted,
}

impl GroupCreation {
    pub const ALL: [GroupCreation; 2] = [Self::Anyone, Self::Granted];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Anyone => "anyone",
            Self::Granted => "granted",
        }
    }

    pub fn parse(s: &str) -> AppResult<GroupCreation> {
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == s)
            .ok_or_else(|| AppError::Invalid("group creation is anyone or granted".into()))
    }
}

/// The settings in force.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceSettings {
    pub name: String,
    /// Markdown.
    pub description: String,
    pub registrations: Registrations,
    pub group_creation: GroupCreation,
    /// Federate only with instances an admin allowed (otherwise with all not blocked).
    pub allowlist: bool,
    pub rate_limits: bool,
    pub instance_limits: InstanceLimits,
    /// Hide detected personal data in posts from other servers on public pages (for
    /// anonymous viewers and those who are not staff); the stored text stays as it is.
    pub hide_remote_personal_data: bool,
    /// What of this is set here rather than as configured (for the page).
    pub stored: InstanceSettingsRow,
}

impl InstanceSettings {
    /// The flags' values overridden by what an admin stored.
    pub fn effective(flags: &Settings, row: Option<&InstanceSettingsRow>) -> InstanceSettings {
        let stored = row.cloned().unwrap_or_default();
        let configured = InstanceLimits::from_settings(flags);
        let limit = |v: Option<i32>, flag: u32| v.map(|v| v.max(0) as u32).unwrap_or(flag);
        InstanceSettings {
            name: stored
                .name
                .clone()
                .unwrap_or_else(|| flags.site_name.clone()),
            description: stored.description.clone().unwrap_or_default(),
            registrations: match stored.registrations.as_deref() {
                Some(r) => Registrations::parse(r).unwrap_or(Registrations::Closed),
                None if flags.open_registrations => Registrations::Open,
                None => Registrations::Closed,
            },
            group_creation: match stored.group_creation.as_deref() {
                Some(g) => GroupCreation::parse(g).unwrap_or(GroupCreation::Granted),
                None if flags.anyone_creates_groups => GroupCreation::Anyone,
                None => GroupCreation::Granted,
            },
            allowlist: match stored.federation_mode.as_deref() {
                Some(m) => m == "allowlist",
                None => flags.allowlist(),
            },
            rate_limits: stored.rate_limits.unwrap_or(flags.rate_limits),
            instance_limits: InstanceLimits {
                posts: limit(stored.instance_post_limit, configured.posts),
                votes: limit(stored.instance_vote_limit, configured.votes),
                reports: limit(stored.instance_report_limit, configured.reports),
            },
            hide_remote_personal_data: stored.hide_remote_personal_data.unwrap_or(false),
            stored,
        }
    }

    pub fn open_registrations(&self) -> bool {
        self.registrations == Registrations::Open
    }

    pub fn federation_mode(&self) -> &'static str {
        if self.allowlist {
            "allowlist"
        } else {
            "blocklist"
        }
    }
}

/// The settings in force in this process.
pub struct Live(RwLock<Arc<InstanceSettings>>);

impl Live {
    pub fn new(settings: InstanceSettings) -> Live {
        Live(RwLock::new(Arc::new(settings)))
    }

    pub fn get(&self) -> Arc<InstanceSettings> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Puts `settings` in force; true when they differ from those before.
    pub fn set(&self, settings: InstanceSettings) -> bool {
        let mut current = self.0.write().unwrap_or_else(|e| e.into_inner());
        if **current == settings {
            return false;
        }
        *current = Arc::new(settings);
        true
    }
}

/// An edit of the settings, as the Instance page's form or the API sends it: `None`
/// puts a setting back to its configured value.
#[derive(Clone, Debug, Default)]
pub struct Edit {
    pub name: Option<String>,
    pub description: Option<String>,
    pub registrations: Option<String>,
    pub group_creation: Option<String>,
    pub federation_mode: Option<String>,
    pub rate_limits: Option<bool>,
    pub instance_post_limit: Option<u32>,
    pub instance_vote_limit: Option<u32>,
    pub instance_report_limit: Option<u32>,
    pub hide_remote_personal_data: Option<bool>,
}

impl Edit {
    /// Checks every value and gives the row to store (its time and author are the
    /// caller's).
    pub fn check(self) -> AppResult<InstanceSettingsRow> {
        let name = match self.name.map(|n| n.trim().to_string()) {
            Some(n) if n.is_empty() => {
                return Err(AppError::Invalid("the site needs a name".into()))
            }
            Some(n) if n.chars().count() > MAX_NAME => {
                return Err(AppError::Invalid(format!(
                    "site names are at most {MAX_NAME} characters"
                )))
            }
            n => n,
        };
        if self
            .description
            .as_ref()
            .is_some_and(|d| d.len() > MAX_DESCRIPTION)
        {
            return Err(AppError::Invalid(format!(
                "the description is at most {MAX_DESCRIPTION} bytes"
            )));
        }
        let registrations = match self.registrations {
            Some(r) => Some(Registrations::parse(&r)?.as_str().to_string()),
            None => None,
        };
        let group_creation = match self.group_creation {
            Some(g) => Some(GroupCreation::parse(&g)?.as_str().to_string()),
            None => None,
        };
        let federation_mode = match self.federation_mode.as_deref() {
            Some(m @ ("blocklist" | "allowlist")) => Some(m.to_string()),
            Some(_) => {
                return Err(AppError::Invalid(
                    "the federation mode is blocklist or allowlist".into(),
                ))
            }
            None => None,
        };
        let limit = |v: Option<u32>| -> AppResult<Option<i32>> {
            match v {
                Some(v) if v > MAX_INSTANCE_LIMIT => Err(AppError::Invalid(format!(
                    "per-instance limits are at most {MAX_INSTANCE_LIMIT} a minute (0: none)"
                ))),
                v => Ok(v.map(|v| v as i32)),
            }
        };
        Ok(InstanceSettingsRow {
            id: 1,
            name,
            description: self.description,
            registrations,
            group_creation,
            federation_mode,
            rate_limits: self.rate_limits,
            instance_post_limit: limit(self.instance_post_limit)?,
            instance_vote_limit: limit(self.instance_vote_limit)?,
            instance_report_limit: limit(self.instance_report_limit)?,
            updated_at: 0,
            updated_by: None,
            hide_remote_personal_data: self.hide_remote_personal_data,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags() -> Settings {
        Settings::for_domain(
            "example.test",
            "127.0.0.1:8080".parse().unwrap(),
            "sqlite::memory:",
        )
    }

    #[test]
    fn what_is_stored_wins_over_the_flags_and_none_is_as_configured() {
        let mut f = flags();
        f.open_registrations = true;
        f.instance_report_limit = 120;
        let s = InstanceSettings::effective(&f, None);
        assert_eq!(s.registrations, Registrations::Open);
        assert_eq!(s.instance_limits.reports, 120);
        assert_eq!(s.name, f.site_name);
        let row = Edit {
            registrations: Some("invite".into()),
            instance_report_limit: Some(5),
            federation_mode: Some("allowlist".into()),
            name: Some("  Acme help ".into()),
            ..Edit::default()
        }
        .check()
        .unwrap();
        let s = InstanceSettings::effective(&f, Some(&row));
        assert_eq!(s.registrations, Registrations::Invite);
        assert!(!s.open_registrations());
        assert_eq!(s.instance_limits.reports, 5);
        assert!(s.allowlist);
        assert_eq!(s.name, "Acme help");
        assert_eq!(s.rate_limits, f.rate_limits);
    }

    #[test]
    fn bad_values_are_refused() {
        for edit in [
            Edit {
                registrations: Some("sometimes".into()),
                ..Edit::default()
            },
            Edit {
                name: Some("   ".into()),
                ..Edit::default()
            },
            Edit {
                federation_mode: Some("open".into()),
                ..Edit::default()
            },
            Edit {
                instance_vote_limit: Some(MAX_INSTANCE_LIMIT + 1),
                ..Edit::default()
            },
            Edit {
                description: Some("x".repeat(MAX_DESCRIPTION + 1)),
                ..Edit::default()
            },
        ] {
            assert!(matches!(edit.check(), Err(AppError::Invalid(_))));
        }
    }
}
