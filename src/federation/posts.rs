//! Questions (`Page`) and answers/comments (`Note`): their JSON, objects as they arrive
//! ([`ApObject`]) and actors looked up by id. Storing received objects is
//! [`super::incoming`]'s.

use super::objects::FedActor;
use super::with_context;
use crate::db::models::{Actor, Post};
use crate::db::queries;
use crate::error::AppResult;
use crate::state::Ctx;
use activitypub_federation::fetch::object_id::ObjectId;
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

/// `@context`-wrapped JSON of a post, for serving.
pub async fn post_document(data: &Ctx, post: &Post) -> AppResult<Value> {
    Ok(with_context(post_json(data, post).await?))
}
