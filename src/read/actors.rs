//! Users, groups and follows as the API and the pages show them.

use crate::db::models::{Actor, Group, User};
use crate::db::rfc3339;
use crate::domain::groups::WhoMayAsk;
use crate::domain::text::markdown_to_html;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A user or group, local or remote.
#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct ActorView {
    /// ActivityPub id.
    pub id: String,
    /// `name@host`
    pub handle: String,
    pub kind: String,
    pub name: String,
    pub display_name: Option<String>,
    pub local: bool,
    pub url: Option<String>,
    /// Staff of an organisation: verified by this instance (local) or by the
    /// organisation's domain (remote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff: Option<StaffView>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct StaffView {
    pub organisation: String,
    pub domain: String,
    /// False when the organisation's domain does not confirm the claim (an impostor, or
    /// not checked yet).
    pub verified: bool,
}

impl ActorView {
    pub fn with_staff(mut self, status: Option<&(String, String, bool)>) -> Self {
        self.staff = status.map(|(o, d, v)| StaffView {
            organisation: o.clone(),
            domain: d.clone(),
            verified: *v,
        });
        self
    }
}

impl From<&Actor> for ActorView {
    fn from(a: &Actor) -> Self {
        ActorView {
            id: a.ap_id.clone(),
            handle: a.handle(),
            kind: a.kind.clone(),
            name: a.name.clone(),
            display_name: a.display_name.clone(),
            local: a.local,
            url: a.url.clone(),
            staff: None,
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct ProfileView {
    #[serde(flatten)]
    pub actor: ActorView,
    pub bio: Option<String>,
    pub is_admin: bool,
    pub is_staff: bool,
    pub can_create_groups: bool,
    /// Suspended by the instance's admins: cannot sign in or act.
    pub suspended: bool,
    pub created_at: String,
}

impl ProfileView {
    pub fn new(user: &User, actor: &Actor) -> Self {
        ProfileView {
            actor: actor.into(),
            bio: actor.summary.clone(),
            is_admin: user.is_admin,
            is_staff: user.is_staff,
            can_create_groups: user.can_create_groups,
            suspended: user.suspended(),
            created_at: rfc3339(user.created_at),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct GroupView {
    #[serde(flatten)]
    pub actor: ActorView,
    pub title: String,
    pub description: String,
    pub description_html: String,
    pub guidelines: String,
    pub guidelines_html: String,
    /// Markdown sent to newcomers; empty for none.
    pub welcome_message: String,
    pub welcome_message_html: String,
    /// Who may ask questions in the group.
    pub who_may_ask: WhoMayAsk,
    /// `private`: only members read its questions; joining waits for approval.
    #[serde(default)]
    pub visibility: crate::domain::groups::Visibility,
    /// What the group's posts are: questions, or ideas (see `/groups/{name}/ideas`).
    #[serde(default)]
    pub kind: crate::domain::ideas::GroupKind,
    pub followers: i64,
    pub moderators: Vec<ActorView>,
    pub created_at: String,
}

impl GroupView {
    pub fn new(group: &Group, actor: &Actor, followers: i64, moderators: &[Actor]) -> Self {
        GroupView {
            actor: actor.into(),
            title: group.title.clone(),
            description: group.description_md.clone(),
            description_html: markdown_to_html(&group.description_md),
            guidelines: group.guidelines_md.clone(),
            guidelines_html: markdown_to_html(&group.guidelines_md),
            welcome_message: group.welcome_md.clone(),
            welcome_message_html: markdown_to_html(&group.welcome_md),
            who_may_ask: WhoMayAsk::of(group),
            visibility: crate::domain::groups::Visibility::of(actor),
            kind: Default::default(),
            followers,
            moderators: moderators.iter().map(ActorView::from).collect(),
            created_at: rfc3339(group.created_at),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct FollowView {
    pub target: ActorView,
    /// True until the remote side sends `Accept`.
    pub pending: bool,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct ActorList {
    pub total: i64,
    pub items: Vec<ActorView>,
}

#[derive(Serialize, Deserialize, ToSchema, Debug)]
pub struct FollowList {
    pub total: i64,
    pub items: Vec<FollowView>,
}
