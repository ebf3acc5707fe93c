//! Support groups: creation, the settings and their limits, the posting rule, finding a
//! local group. Changing the settings is an action (`actions::groups`).

use crate::db::models::{Actor, Group, User};
use crate::db::{now_ms, queries};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const MAX_TITLE: usize = 200;
pub const MAX_TEXT: usize = 20_000;
/// Longest welcome message, in bytes: a greeting, not a second set of guidelines.
pub const MAX_WELCOME: usize = 5_000;

/// A group's posting rule: who may ask questions in it. Answers and comments stay open
/// to everyone who may post in the group.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WhoMayAsk {
    /// Anyone not banned from the group.
    #[default]
    Everyone,
    /// The group's followers (here or elsewhere; a follow still pending does not count),
    /// and its moderators.
    Followers,
    /// The group's members: people with an account on the group's instance, and its
    /// moderators (wherever their account is).
    Members,
}

impl WhoMayAsk {
    pub const ALL: [WhoMayAsk; 3] = [
        WhoMayAsk::Everyone,
        WhoMayAsk::Followers,
        WhoMayAsk::Members,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WhoMayAsk::Everyone => "everyone",
            WhoMayAsk::Followers => "followers",
            WhoMayAsk::Members => "members",
        }
    }

    /// The rule a stored group names (an unknown value reads as the default).
    pub fn of(group: &Group) -> WhoMayAsk {
        WhoMayAsk::parse(&group.who_may_ask).unwrap_or_default()
    }

    pub fn parse(s: &str) -> Option<WhoMayAsk> {
        WhoMayAsk::ALL.into_iter().find(|w| w.as_str() == s)
    }
}

/// Who may read a group: everyone, or only its members (a private group, whose actor
/// manually approves followers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    #[default]
    Public,
    /// Its questions are for its members only; joining is by approval or invitation.
    Private,
}

impl Visibility {
    /// The visibility of a group's actor.
    pub fn of(actor: &Actor) -> Visibility {
        if actor.is_group() && actor.manually_approves {
            Visibility::Private
        } else {
            Visibility::Public
        }
    }

    pub fn is_private(self) -> bool {
        self == Visibility::Private
    }
}

/// A group's settings as its moderators edit them.
#[derive(Clone, Debug)]
pub struct Settings {
    pub title: String,
    pub description_md: String,
    pub guidelines_md: String,
    /// Empty for no welcome.
    pub welcome_md: String,
    pub who_may_ask: WhoMayAsk,
    /// Patterns of personal data, one `name: regex` a line (see `personal_data`).
    pub personal_data_patterns: String,
}

impl Settings {
    /// The settings a group has now.
    pub fn of(group: &Group) -> Settings {
        Settings {
            title: group.title.clone(),
            description_md: group.description_md.clone(),
            guidelines_md: group.guidelines_md.clone(),
            welcome_md: group.welcome_md.clone(),
            who_may_ask: WhoMayAsk::of(group),
            personal_data_patterns: group.personal_data_patterns.clone(),
        }
    }

    /// The first setting over its limit, if any.
    pub fn problem(&self) -> Option<Problem> {
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE {
            Some(Problem::Title)
        } else if self.description_md.len() > MAX_TEXT {
            Some(Problem::Description)
        } else if self.guidelines_md.len() > MAX_TEXT {
            Some(Problem::Guidelines)
        } else if self.welcome_md.len() > MAX_WELCOME {
            Some(Problem::Welcome)
        } else {
            None
        }
    }

    /// Checks the limits; the title is trimmed.
    pub fn checked(mut self) -> AppResult<Settings> {
        if let Some(p) = self.problem() {
            return Err(AppError::Invalid(p.message()));
        }
        self.personal_data_patterns =
            super::personal_data::check_patterns(&self.personal_data_patterns)?;
        self.title = self.title.trim().to_string();
        Ok(self)
    }

    /// What the group's actor document shows (title, description, guidelines) differs.
    pub fn changes_document(&self, before: &Group) -> bool {
        self.title != before.title
            || self.description_md != before.description_md
            || self.guidelines_md != before.guidelines_md
    }
}

/// A setting over its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    Title,
    Description,
    Guidelines,
    Welcome,
}

impl Problem {
    pub fn message(self) -> String {
        match self {
            Problem::Title => format!("a title is 1-{MAX_TITLE} characters"),
            Problem::Description => format!("a description is at most {MAX_TEXT} bytes"),
            Problem::Guidelines => format!("guidelines are at most {MAX_TEXT} bytes"),
            Problem::Welcome => format!("a welcome message is at most {MAX_WELCOME} bytes"),
        }
    }
}

/// Creates a local group (a `Group` actor); the creator becomes its first moderator.
pub async fn create_group(
    state: &AppState,
    creator: Option<&User>,
    name: &str,
    title: &str,
    description_md: &str,
    guidelines_md: &str,
) -> AppResult<(Group, Actor)> {
    super::validate_name(name)?;
    let settings = Settings {
        title: title.to_string(),
        description_md: description_md.to_string(),
        guidelines_md: guidelines_md.to_string(),
        welcome_md: String::new(),
        who_may_ask: WhoMayAsk::default(),
        personal_data_patterns: String::new(),
    };
    settings.checked()?;
    let mut actor = super::site::new_local_actor(
        &state.base,
        "Group",
        name,
        &format!("g/{name}"),
        (state.key_pair)()?,
    );
    actor.display_name = Some(title.to_string());
    let group = Group {
        actor_id: actor.id,
        title: title.to_string(),
        description_md: description_md.to_string(),
        guidelines_md: guidelines_md.to_string(),
        created_by: creator.map(|u| u.id),
        created_at: now_ms(),
        welcome_md: String::new(),
        who_may_ask: WhoMayAsk::default().as_str().to_string(),
        personal_data_patterns: String::new(),
    };
    let creator_actor = creator.map(|u| u.actor_id);
    let (g, a) = (group.clone(), actor.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                if queries::actors::local_by_name(c, &a.name)?.is_some() {
                    return Err(AppError::Conflict(format!(
                        "the name '{}' is taken",
                        a.name
                    )));
                }
                queries::actors::insert(c, &a)?;
                queries::groups::insert(c, &g)?;
                if let Some(mod_id) = creator_actor {
                    queries::groups::add_moderator(c, a.id, mod_id)?;
                }
                Ok(())
            })
        })
        .await?;
    Ok((group, actor))
}

/// A local group by name, with its actor.
pub async fn local_group(state: &AppState, name: &str) -> AppResult<(Group, Actor)> {
    let name = name.to_string();
    state
        .db
        .run(move |c| {
            let actor = queries::actors::local_by_name(c, &name)?
                .filter(|a| a.is_group() && !a.deleted)
                .ok_or_else(|| AppError::NotFound(format!("no group named '{name}'")))?;
            let group = queries::groups::by_actor_id(c, actor.id)?
                .ok_or_else(|| AppError::NotFound(format!("no group named '{name}'")))?;
            Ok((group, actor))
        })
        .await
}
