//! Row types. Timestamps are epoch milliseconds (`*_at: i64`).

use super::schema::*;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug, PartialEq)]
#[diesel(table_name = actors)]
#[diesel(treat_none_as_null = true)]
pub struct Actor {
    pub id: i64,
    pub ap_id: String,
    pub kind: String,
    pub name: String,
    pub domain: String,
    pub local: bool,
    pub display_name: Option<String>,
    pub summary: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub outbox: Option<String>,
    pub followers_url: Option<String>,
    pub url: Option<String>,
    pub icon: Option<String>,
    pub public_key_id: String,
    pub public_key_pem: String,
    pub private_key_pem: Option<String>,
    pub manually_approves: bool,
    pub deleted: bool,
    pub raw: Option<String>,
    pub fetched_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Actor {
    /// `name@domain`, the handle WebFinger resolves.
    pub fn handle(&self) -> String {
        format!("{}@{}", self.name, self.domain)
    }

    pub fn is_group(&self) -> bool {
        self.kind == "Group"
    }

    /// Where deliveries to this actor go: its shared inbox if it has one.
    pub fn delivery_inbox(&self) -> &str {
        self.shared_inbox.as_deref().unwrap_or(&self.inbox)
    }
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub actor_id: i64,
    pub username: String,
    pub password_hash: String,
    pub is_admin: bool,
    pub is_staff: bool,
    pub can_create_groups: bool,
    pub created_at: i64,
    pub organisation_id: Option<i64>,
    /// Suspended by an admin since then: cannot sign in, sessions refused.
    pub suspended_at: Option<i64>,
    pub suspension_reason: Option<String>,
}

impl User {
    pub fn suspended(&self) -> bool {
        self.suspended_at.is_some()
    }
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = groups)]
pub struct Group {
    pub actor_id: i64,
    pub title: String,
    pub description_md: String,
    pub guidelines_md: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
    /// Markdown sent to newcomers; empty for none.
    pub welcome_md: String,
    /// The posting rule: `everyone`, `followers` or `members` (see `domain::groups`).
    pub who_may_ask: String,
    /// Patterns of personal data the group names, one `name: regex` a line (see
    /// `domain::personal_data`).
    pub personal_data_patterns: String,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = follows)]
pub struct Follow {
    pub follower_id: i64,
    pub target_id: i64,
    pub pending: bool,
    pub activity_ap_id: Option<String>,
    pub created_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = activities)]
pub struct Activity {
    pub id: i64,
    pub ap_id: String,
    pub actor_id: i64,
    pub kind: String,
    pub body: String,
    pub public: bool,
    pub created_at: i64,
}

/// A verified activity waiting in the durable inbound queue.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = crate::db::schema::inbound_queue)]
pub struct Inbound {
    pub id: i64,
    pub signer_id: i64,
    pub activity: String,
    pub received_at: i64,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub locked_until: i64,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = deliveries)]
pub struct Delivery {
    pub id: i64,
    pub activity_id: i64,
    pub inbox: String,
    pub domain: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub locked_until: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug, serde::Serialize, utoipa::ToSchema)]
#[diesel(table_name = instances)]
pub struct Instance {
    pub domain: String,
    pub first_seen_at: i64,
    pub last_success_at: Option<i64>,
    pub last_failure_at: Option<i64>,
    pub failure_streak: i32,
    pub retry_at: i64,
    pub delivered_count: i64,
    pub failed_count: i64,
    pub blocked: bool,
    pub silenced: bool,
    pub allowed: bool,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = site)]
pub struct Site {
    pub id: i32,
    pub instance_actor_id: i64,
    pub name: String,
    pub description: String,
    pub created_at: i64,
}

/// What an admin set on the Instance page (one row, id 1); `None`: as configured.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug, Default, PartialEq)]
#[diesel(table_name = instance_settings, treat_none_as_null = true)]
pub struct InstanceSettingsRow {
    pub id: i32,
    pub name: Option<String>,
    pub description: Option<String>,
    pub registrations: Option<String>,
    pub group_creation: Option<String>,
    pub federation_mode: Option<String>,
    pub rate_limits: Option<bool>,
    pub instance_post_limit: Option<i32>,
    pub instance_vote_limit: Option<i32>,
    pub instance_report_limit: Option<i32>,
    pub updated_at: i64,
    pub updated_by: Option<i64>,
    pub hide_remote_personal_data: Option<bool>,
}

/// An invitation to register (registrations by invitation); the code itself is not kept.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub id: i64,
    pub code_hash: String,
    pub created_by: Option<i64>,
    pub note: String,
    pub max_uses: i32,
    pub uses: i32,
    pub expires_at: Option<i64>,
    pub revoked: bool,
    pub created_at: i64,
}

/// A question (`kind = "question"`, a `Page`), an answer (a reply to a question) or a
/// comment (a reply to an answer or comment); both of the latter are `Note`s.
#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = posts)]
#[diesel(treat_none_as_null = true)]
pub struct Post {
    pub id: i64,
    pub ap_id: String,
    pub kind: String,
    pub group_id: Option<i64>,
    pub author_id: i64,
    pub question_id: Option<i64>,
    pub parent_id: Option<i64>,
    pub title: Option<String>,
    pub content_html: String,
    pub source_md: Option<String>,
    pub search_text: String,
    pub tags: String,
    pub url: Option<String>,
    pub local: bool,
    pub public: bool,
    pub deleted: bool,
    pub removed: bool,
    pub locked: bool,
    pub accepted_answer_id: Option<i64>,
    pub upvotes: i32,
    pub downvotes: i32,
    pub answer_count: i32,
    pub published_at: i64,
    pub updated_at: Option<i64>,
    pub last_activity_at: i64,
    pub created_at: i64,
    pub featured: bool,
}

impl Post {
    pub fn is_question(&self) -> bool {
        self.kind == QUESTION
    }
    pub fn score(&self) -> i32 {
        self.upvotes - self.downvotes
    }
    /// Shown to readers (deleted and removed posts keep their place in the thread).
    pub fn visible(&self) -> bool {
        !self.deleted && !self.removed
    }
}

pub const QUESTION: &str = "question";
pub const ANSWER: &str = "answer";
pub const COMMENT: &str = "comment";

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = post_edits)]
pub struct PostEdit {
    pub id: i64,
    pub post_id: i64,
    pub title: Option<String>,
    pub content_html: String,
    pub source_md: Option<String>,
    pub edited_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = votes)]
pub struct Vote {
    pub post_id: i64,
    pub actor_id: i64,
    pub value: i32,
    pub ap_id: Option<String>,
    pub created_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = reports)]
pub struct Report {
    pub id: i64,
    pub ap_id: Option<String>,
    pub reporter_id: i64,
    pub reporter_domain: String,
    pub group_id: Option<i64>,
    pub target_actor_id: Option<i64>,
    pub post_id: Option<i64>,
    pub reason: String,
    pub status: String,
    pub resolution_note: Option<String>,
    pub resolved_by: Option<i64>,
    pub resolved_at: Option<i64>,
    pub created_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = mod_log)]
pub struct ModLogEntry {
    pub id: i64,
    pub group_id: Option<i64>,
    pub moderator_id: Option<i64>,
    pub action: String,
    pub target_actor_id: Option<i64>,
    pub post_id: Option<i64>,
    pub domain: Option<String>,
    pub reason: String,
    pub created_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug, serde::Serialize, utoipa::ToSchema)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    #[serde(serialize_with = "crate::db::models::id_string")]
    #[schema(value_type = String)]
    pub id: i64,
    pub name: String,
    pub domain: String,
    pub logo_url: Option<String>,
    #[serde(skip)]
    pub created_at: i64,
}

pub fn id_string<S: serde::Serializer>(id: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&id.to_string())
}

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = staff_claims)]
pub struct StaffClaim {
    pub actor_id: i64,
    pub org_name: String,
    pub org_domain: String,
    pub verified: bool,
    pub reason: String,
    pub checked_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = reputation_events)]
pub struct ReputationEvent {
    pub id: i64,
    pub subject_id: i64,
    pub group_id: Option<i64>,
    pub kind: String,
    pub value: i32,
    pub source_id: Option<i64>,
    pub source_domain: String,
    pub source_fresh: bool,
    pub post_id: Option<i64>,
    pub created_at: i64,
}
