//! Actors (`Person`, `Group`, `Application`, and whatever remote servers call theirs):
//! their JSON, and the activitypub_federation traits on our stored [`Actor`] row.

use super::with_context;
use crate::db::models::{Actor, Group};
use crate::db::{ids::new_id, now_ms, queries};
use crate::domain::text::markdown_to_html;
use crate::error::AppError;
use crate::state::Ctx;
use activitypub_federation::protocol::verification::verify_domains_match;
use activitypub_federation::traits::{Actor as ApActorTrait, Object};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKeyJson {
    pub id: String,
    pub owner: Url,
    pub public_key_pem: String,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared_inbox: Option<Url>,
}

/// An actor as it appears on the wire. Lenient: only `id`, `type`, `inbox` and
/// `publicKey` are required; everything else is kept when present.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApActor {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_username: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub inbox: Url,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outbox: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followers: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub following: Option<Url>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Endpoints>,
    pub public_key: PublicKeyJson,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icon: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manually_approves_followers: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Everything else the actor carries (`attachment`, `featured`, `moderators`…).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
}

/// Whether a URL from a remote document may be kept: `http` and `https` only (no
/// `javascript:`, `data:` or other schemes reach our pages and API).
pub fn is_web_url(s: &str) -> bool {
    Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
}

/// First http(s) URL out of an ActivityStreams `url`/`icon` value (string, Link, Image,
/// array); other schemes are dropped.
fn first_href(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => is_web_url(s).then(|| s.clone()),
        Value::Object(m) => m.get("href").or_else(|| m.get("url")).and_then(first_href),
        Value::Array(a) => a.iter().find_map(first_href),
        _ => None,
    }
}

impl ApActor {
    /// The row we store for a remote actor.
    pub fn to_row(&self) -> Actor {
        let now = now_ms();
        let name = self
            .preferred_username
            .clone()
            .filter(|n| !n.is_empty())
            .or_else(|| {
                self.id
                    .path_segments()
                    .and_then(|mut s| s.next_back().map(str::to_string))
            })
            .unwrap_or_default();
        Actor {
            id: new_id(),
            ap_id: self.id.to_string(),
            kind: self.kind.clone(),
            name,
            domain: super::wire::host_of(&self.id),
            local: false,
            display_name: self.name.clone(),
            summary: self.summary.clone(),
            inbox: self.inbox.to_string(),
            shared_inbox: self
                .endpoints
                .as_ref()
                .and_then(|e| e.shared_inbox.as_ref())
                .map(Url::to_string),
            outbox: self.outbox.as_ref().map(Url::to_string),
            followers_url: self.followers.as_ref().map(Url::to_string),
            url: self.url.as_ref().and_then(first_href),
            icon: self.icon.as_ref().and_then(first_href),
            public_key_id: self.public_key.id.clone(),
            public_key_pem: self.public_key.public_key_pem.clone(),
            private_key_pem: None,
            manually_approves: self.manually_approves_followers.unwrap_or(false),
            deleted: false,
            raw: serde_json::to_string(self).ok(),
            fetched_at: Some(now),
            created_at: now,
            updated_at: now,
        }
    }
}

/// The ActivityPub JSON of a local actor.
pub async fn local_actor_json(actor: &Actor, data: &Ctx) -> Result<Value, AppError> {
    let mut v = actor_document(actor);
    let m = v.as_object_mut().expect("object");
    match actor.kind.as_str() {
        "Group" => {
            let id = actor.id;
            let group = data
                .db
                .run(move |c| queries::groups::by_actor_id(c, id))
                .await?;
            add_group_fields(m, actor, group.as_ref());
        }
        "Person" => {
            let base = &actor.ap_id;
            super::staff::add_to_actor_json(data, actor, m).await?;
            m.insert("following".into(), json!(format!("{base}/following")));
            if let Some(s) = &actor.summary {
                m.insert("summary".into(), json!(markdown_to_html(s)));
                m.insert(
                    "source".into(),
                    json!({"content": s, "mediaType": "text/markdown"}),
                );
            }
        }
        _ => {}
    }
    Ok(with_context(v))
}

/// The document of a local group (without `@context`) with its settings, as an
/// `Update` of the group carries it.
pub fn group_document(actor: &Actor, group: Option<&Group>) -> Value {
    let mut v = actor_document(actor);
    add_group_fields(v.as_object_mut().expect("object"), actor, group);
    v
}

/// What every local actor's document has.
fn actor_document(actor: &Actor) -> Value {
    let mut v = json!({
        "id": actor.ap_id,
        "type": actor.kind,
        "preferredUsername": actor.name,
        "inbox": actor.inbox,
        "outbox": actor.outbox,
        "endpoints": {"sharedInbox": actor.shared_inbox},
        "publicKey": {
            "id": actor.public_key_id,
            "owner": actor.ap_id,
            "publicKeyPem": actor.public_key_pem,
        },
        "url": actor.url.clone().unwrap_or_else(|| actor.ap_id.clone()),
        "manuallyApprovesFollowers": actor.manually_approves,
        "discoverable": true,
        "published": super::timestamps::ap_time(actor.created_at),
    });
    let m = v.as_object_mut().expect("object");
    if let Some(n) = &actor.display_name {
        m.insert("name".into(), json!(n));
    }
    if let Some(f) = &actor.followers_url {
        m.insert("followers".into(), json!(f));
    }
    v
}

/// A group's properties (Lemmy's, for communities): its title, description and rules,
/// its moderators and featured collections.
fn add_group_fields(m: &mut serde_json::Map<String, Value>, actor: &Actor, group: Option<&Group>) {
    let base = &actor.ap_id;
    if let Some(g) = group {
        m.insert("name".into(), json!(g.title));
        m.insert("summary".into(), json!(markdown_to_html(&g.description_md)));
        m.insert(
            "source".into(),
            json!({"content": g.description_md, "mediaType": "text/markdown"}),
        );
        if !g.guidelines_md.is_empty() {
            m.insert("rules".into(), json!(markdown_to_html(&g.guidelines_md)));
        }
    }
    m.insert("moderators".into(), json!(format!("{base}/moderators")));
    m.insert("attributedTo".into(), json!(format!("{base}/moderators")));
    m.insert("featured".into(), json!(format!("{base}/featured")));
    m.insert("postingRestrictedToMods".into(), json!(false));
}

/// A stored actor with its parsed id, as activitypub_federation wants it.
#[derive(Clone, Debug)]
pub struct FedActor {
    pub row: Actor,
    id: Url,
}

impl TryFrom<Actor> for FedActor {
    type Error = AppError;
    fn try_from(row: Actor) -> Result<Self, AppError> {
        let id = Url::parse(&row.ap_id)?;
        Ok(FedActor { row, id })
    }
}

#[async_trait::async_trait]
impl Object for FedActor {
    type DataType = crate::state::AppState;
    type Kind = ApActor;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        if self.row.local {
            None
        } else {
            self.row
                .fetched_at
                .and_then(DateTime::from_timestamp_millis)
        }
    }

    async fn read_from_id(object_id: Url, data: &Ctx) -> Result<Option<Self>, AppError> {
        let id = object_id.to_string();
        data.db
            .run(move |c| queries::actors::by_ap_id(c, &id))
            .await?
            .map(FedActor::try_from)
            .transpose()
    }

    async fn delete(&self, data: &Ctx) -> Result<(), AppError> {
        let id = self.row.id;
        data.db
            .run(move |c| {
                queries::actors::mark_deleted(c, id)?;
                queries::follows::delete_all_of(c, id)?;
                Ok(())
            })
            .await
    }

    fn is_deleted(&self) -> bool {
        self.row.deleted
    }

    async fn into_json(self, data: &Ctx) -> Result<ApActor, AppError> {
        let v = local_actor_json(&self.row, data).await?;
        Ok(serde_json::from_value(v)?)
    }

    async fn verify(json: &ApActor, expected_domain: &Url, _data: &Ctx) -> Result<(), AppError> {
        verify_domains_match(&json.id, expected_domain)
            .map_err(|_| AppError::Invalid("actor id is on another domain".into()))?;
        if json.public_key.owner != json.id {
            return Err(AppError::Invalid(
                "actor publicKey.owner does not match its id".into(),
            ));
        }
        Ok(())
    }

    async fn from_json(json: ApActor, data: &Ctx) -> Result<Self, AppError> {
        let json = crate::domain::input::strip_nul_typed(json);
        let claim = super::staff::claim_in(&json.extra, data.net.insecure());
        let row = json.to_row();
        let row = data
            .db
            .run(move |c| queries::actors::upsert_remote(c, row))
            .await?;
        data.actor_cache.invalidate(&row.ap_id).await;
        super::staff::on_actor_fetched(data, &row, claim).await?;
        FedActor::try_from(row)
    }
}

impl ApActorTrait for FedActor {
    fn public_key_pem(&self) -> &str {
        &self.row.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        self.row.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        Url::parse(&self.row.inbox).unwrap_or_else(|_| self.id.clone())
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.row
            .shared_inbox
            .as_deref()
            .and_then(|s| Url::parse(s).ok())
    }
}
