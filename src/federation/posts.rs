//! Questions (`Page`) and answers/comments (`Note`): their JSON, and storing objects
//! that arrive from other servers (Lemmy, Mastodon, Misskey, peerdesk…).

use super::objects::{domain_of, FedActor};
use super::{with_context, PUBLIC};
use crate::db::models::{Actor, Post};
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::traits::Object;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use url::Url;

/// Any object on the wire; lenient about shapes (string or array or object).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApObject {
    pub id: Url,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(flatten)]
    pub rest: Map<String, Value>,
}

impl ApObject {
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.rest.get(key).filter(|v| !v.is_null())
    }
}

/// Every id in a value that may be a string, an object with `id`/`href`, or an array.
pub fn ids(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().flat_map(|x| ids(Some(x))).collect(),
        Some(Value::Object(m)) => m
            .get("id")
            .or_else(|| m.get("href"))
            .and_then(Value::as_str)
            .map(|s| vec![s.to_string()])
            .unwrap_or_default(),
        _ => vec![],
    }
}

pub fn is_public(to: &[String]) -> bool {
    to.iter()
        .any(|t| t == PUBLIC || t == "as:Public" || t == "Public")
}

/// The ActivityPub JSON of a post (without `@context`). Deleted posts become tombstones.
pub async fn post_json(data: &Ctx, post: &Post) -> AppResult<Value> {
    let (base, post) = (data.base.clone(), post.clone());
    data.db
        .run(move |c| super::post_json::post_json(c, &base, &post))
        .await
}

pub async fn actor_by_url(data: &Ctx, url: &str) -> AppResult<Actor> {
    let u = url.to_string();
    if let Some(a) = data
        .db
        .run(move |c| queries::actors::by_ap_id(c, &u))
        .await?
    {
        if a.local || a.fetched_at.is_some() {
            return Ok(a);
        }
    }
    Ok(ObjectId::<FedActor>::from(Url::parse(url)?)
        .dereference(data)
        .await?
        .row)
}

/// A post by id: stored, or fetched from its server.
pub async fn post_by_url(data: &Ctx, url: &str) -> AppResult<Post> {
    Ok(ObjectId::<FedPost>::from(Url::parse(url)?)
        .dereference(data)
        .await?
        .0)
}

/// A stored post as activitypub_federation wants it (for fetching by id).
#[derive(Clone, Debug)]
pub struct FedPost(pub Post, Url);

impl TryFrom<Post> for FedPost {
    type Error = AppError;
    fn try_from(p: Post) -> AppResult<Self> {
        let url = Url::parse(&p.ap_id)?;
        Ok(FedPost(p, url))
    }
}

#[async_trait::async_trait]
impl Object for FedPost {
    type DataType = crate::state::AppState;
    type Kind = ApObject;
    type Error = AppError;

    fn id(&self) -> &Url {
        &self.1
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        // Posts are kept current by Update activities; never refetch on read.
        None
    }

    async fn read_from_id(object_id: Url, data: &Ctx) -> AppResult<Option<Self>> {
        let id = object_id.to_string();
        data.db
            .run(move |c| queries::posts::by_ap_id(c, &id))
            .await?
            .map(FedPost::try_from)
            .transpose()
    }

    async fn delete(&self, data: &Ctx) -> AppResult<()> {
        let p = self.0.clone();
        data.db
            .run(move |c| queries::posts::mark_deleted(c, &p))
            .await
    }

    fn is_deleted(&self) -> bool {
        self.0.deleted
    }

    async fn into_json(self, data: &Ctx) -> AppResult<ApObject> {
        Ok(serde_json::from_value(post_json(data, &self.0).await?)?)
    }

    async fn verify(json: &ApObject, expected_domain: &Url, _data: &Ctx) -> AppResult<()> {
        if domain_of(json.id.as_str()) != domain_of(expected_domain.as_str()) {
            return Err(AppError::Invalid(
                "object fetched from another domain".into(),
            ));
        }
        Ok(())
    }

    async fn from_json(json: ApObject, data: &Ctx) -> AppResult<Self> {
        let json = crate::domain::input::strip_nul_typed(json);
        super::incoming::store_remote(data, json)
            .await?
            .ok_or_else(|| AppError::NotFound("that object is not a public post in a group".into()))
            .and_then(FedPost::try_from)
    }
}

/// `@context`-wrapped JSON of a post, for serving.
pub async fn post_document(data: &Ctx, post: &Post) -> AppResult<Value> {
    Ok(with_context(post_json(data, post).await?))
}
