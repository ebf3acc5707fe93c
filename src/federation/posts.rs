//! Questions (`Page`) and answers/comments (`Note`): their JSON, and storing objects
//! that arrive from other servers (Lemmy, Mastodon, Misskey, peerdesk…).

use super::inbox::id_of;
use super::objects::{domain_of, is_web_url, FedActor};
use super::{with_context, PUBLIC};
use crate::db::models::{Actor, Post, ANSWER, COMMENT, QUESTION};
use crate::db::{ids::new_id, now_ms, queries};
use crate::domain::posts::{derive_title, html_to_text, normalize_tags, search_text};
use crate::domain::text::sanitize_html;
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
    fn get(&self, key: &str) -> Option<&Value> {
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

/// Where an incoming object belongs.
struct Placement {
    group: Option<Actor>,
    parent: Option<Post>,
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

/// What peerdesk keeps of an object received from another server, read without I/O
/// (sanitised content, title, tags, where it claims to belong).
#[derive(Clone, Debug)]
pub struct Incoming {
    pub ap_id: String,
    pub author_url: String,
    /// The post it answers or comments on.
    pub in_reply_to: Option<String>,
    /// Groups it names in `audience` (fetched when unknown).
    pub audience: Vec<String>,
    /// Every actor that may be its group, in order: `audience`, mentions, addressees.
    pub candidates: Vec<String>,
    content: String,
    source_md: Option<String>,
    tags: String,
    name: Option<String>,
    url: Option<String>,
    published: i64,
    comments_disabled: bool,
    /// The FEP-7888 `context` it names, other than peerdesk's own form for it.
    pub context: Option<String>,
}

impl Incoming {
    /// Reads an object. `None` for objects peerdesk does not keep (other types, and
    /// anything not public: direct messages are never published).
    pub fn read(obj: &ApObject) -> AppResult<Option<Incoming>> {
        let id = obj.id.to_string();
        if !matches!(obj.kind.as_str(), "Page" | "Note" | "Article" | "Question") {
            return Ok(None);
        }
        let author_url = ids(obj.get("attributedTo"))
            .into_iter()
            .next()
            .ok_or_else(|| AppError::Invalid("object has no attributedTo".into()))?;
        if domain_of(&author_url) != domain_of(&id) {
            return Err(AppError::Invalid(
                "object and its author are on different servers".into(),
            ));
        }
        let mut addressed = ids(obj.get("to"));
        addressed.extend(ids(obj.get("cc")));
        if !is_public(&addressed) {
            tracing::info!(%id, "not storing a non-public object (direct messages are never published)");
            return Ok(None);
        }
        // Lemmy and FEP-1b12 peers name the group in `audience`; microblogs mention it.
        let audience = ids(obj.get("audience"));
        let mut candidates = audience.clone();
        candidates.extend(
            obj.get("tag")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|t| t.get("type").and_then(Value::as_str) == Some("Mention"))
                .flat_map(|t| ids(t.get("href"))),
        );
        candidates.extend(addressed);
        let content = sanitize_html(
            obj.get("content")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        );
        Ok(Some(Incoming {
            in_reply_to: obj.get("inReplyTo").and_then(id_of).map(str::to_string),
            audience,
            candidates,
            source_md: obj
                .get("source")
                .filter(|s| s.get("mediaType").and_then(Value::as_str) == Some("text/markdown"))
                .and_then(|s| s.get("content"))
                .and_then(Value::as_str)
                .map(str::to_string),
            tags: normalize_tags(
                obj.get("tag")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter(|t| t.get("type").and_then(Value::as_str) == Some("Hashtag"))
                    .filter_map(|t| t.get("name").and_then(Value::as_str))
                    .map(str::to_string)
                    .collect(),
            ),
            name: obj
                .get("name")
                .and_then(Value::as_str)
                .map(|n| html_to_text(n).trim().to_string())
                .filter(|n| !n.is_empty()),
            url: obj
                .get("url")
                .and_then(|u| ids(Some(u)).into_iter().find(|u| is_web_url(u))),
            published: obj
                .get("published")
                .and_then(Value::as_str)
                .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
                .map(|d| d.timestamp_millis())
                .unwrap_or_else(now_ms)
                .min(now_ms()),
            comments_disabled: obj.get("commentsEnabled").and_then(Value::as_bool) == Some(false),
            context: super::thread_context::named(obj.get("context"), &id),
            content,
            author_url,
            ap_id: id,
        }))
    }

    /// The row to store for this object by `author` in `group`, under `parent` (a question
    /// or an answer) when it is a reply. Refused when the question is locked.
    pub fn into_post(
        self,
        group: &Actor,
        author: &Actor,
        parent: Option<&Post>,
        question_locked: bool,
    ) -> AppResult<Post> {
        let (kind, question_id, parent_id, title) = match parent {
            None => {
                let title = self
                    .name
                    .unwrap_or_else(|| derive_title(&html_to_text(&self.content)));
                (QUESTION, None, None, Some(title))
            }
            Some(parent) => {
                if parent.locked || question_locked {
                    return Err(AppError::Forbidden("the question is locked".into()));
                }
                let kind = if parent.is_question() {
                    ANSWER
                } else {
                    COMMENT
                };
                let q = parent.question_id.unwrap_or(parent.id);
                (kind, Some(q), Some(parent.id), None)
            }
        };
        let post_id = new_id();
        Ok(Post {
            id: post_id,
            ap_id: self.ap_id,
            kind: kind.into(),
            group_id: Some(group.id),
            author_id: author.id,
            question_id: question_id.or(Some(post_id)),
            parent_id,
            search_text: search_text(title.as_deref(), &self.content),
            title,
            content_html: self.content,
            source_md: self.source_md,
            tags: self.tags,
            url: self.url,
            local: false,
            public: true,
            deleted: false,
            removed: false,
            locked: self.comments_disabled,
            accepted_answer_id: None,
            upvotes: 0,
            downvotes: 0,
            answer_count: 0,
            published_at: self.published,
            updated_at: None,
            last_activity_at: self.published,
            created_at: now_ms(),
            featured: false,
        })
    }
}

async fn place(data: &Ctx, inc: &Incoming) -> AppResult<Placement> {
    if let Some(parent_url) = &inc.in_reply_to {
        let parent = match post_by_url(data, parent_url).await {
            Ok(p) => p,
            // Gone, refused or unreadable for good: the reply has nowhere to go.
            Err(e) if !e.is_transient() => {
                tracing::info!(id = %inc.ap_id, parent = %parent_url, "reply to a parent that cannot be had: {e}");
                return Ok(Placement {
                    group: None,
                    parent: None,
                });
            }
            Err(e) => return Err(e),
        };
        let group = match parent.group_id {
            Some(g) => data.db.run(move |c| queries::actors::by_id(c, g)).await?,
            None => None,
        };
        return Ok(Placement {
            group,
            parent: Some(parent),
        });
    }
    for c in &inc.candidates {
        let c2 = c.clone();
        let known = data
            .db
            .run(move |db| queries::actors::by_ap_id(db, &c2))
            .await?;
        let group = match known {
            Some(a) if a.is_group() => Some(a),
            Some(_) => None,
            None if inc.audience.contains(c) => {
                let a = actor_by_url(data, c).await?;
                a.is_group().then_some(a)
            }
            None => None,
        };
        if group.is_some() {
            return Ok(Placement {
                group,
                parent: None,
            });
        }
    }
    Ok(Placement {
        group: None,
        parent: None,
    })
}

/// Stores an object received from (or fetched from) another server, after checking that
/// it comes from its author's server. Returns `None` for objects peerdesk does not keep
/// (not public, or not in any group).
pub async fn store_remote(data: &Ctx, obj: ApObject) -> AppResult<Option<Post>> {
    let id = obj.id.to_string();
    if let Some(existing) = {
        let id = id.clone();
        data.db
            .run(move |c| queries::posts::by_ap_id(c, &id))
            .await?
    } {
        return Ok(Some(existing));
    }
    let Some(inc) = Incoming::read(&obj)? else {
        return Ok(None);
    };
    let author = match actor_by_url(data, &inc.author_url).await {
        Ok(a) => a,
        Err(e) if !e.is_transient() => {
            tracing::info!(%id, author = %inc.author_url, "object by an author that cannot be had: {e}");
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let placement = place(data, &inc).await?;
    let Some(group) = placement.group else {
        tracing::debug!(%id, "object is in no group known here; ignored");
        return Ok(None);
    };
    let (gid, aid) = (group.id, author.id);
    if data
        .db
        .run(move |c| crate::actions::rules::is_banned(c, gid, aid))
        .await?
    {
        return Err(AppError::Forbidden(
            "the author is banned from this group".into(),
        ));
    }
    let question_locked = match &placement.parent {
        Some(parent) if !parent.locked => {
            let q = parent.question_id.unwrap_or(parent.id);
            data.db
                .run(move |c| queries::posts::by_id(c, q))
                .await?
                .is_some_and(|q| q.locked)
        }
        _ => false,
    };
    let context: Vec<_> = match (&placement.parent, &inc.context) {
        (None, Some(ctx)) => vec![(inc.ap_id.clone(), ctx.clone())],
        _ => vec![],
    };
    let post = inc.into_post(&group, &author, placement.parent.as_ref(), question_locked)?;
    let (stored, _) = data
        .db
        .run(move |c| {
            queries::post_contexts::put(c, &context)?;
            queries::posts::insert(c, &post)
        })
        .await?;
    Ok(Some(stored))
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
        store_remote(data, json)
            .await?
            .ok_or_else(|| AppError::NotFound("that object is not a public post in a group".into()))
            .and_then(FedPost::try_from)
    }
}

/// `@context`-wrapped JSON of a post, for serving.
pub async fn post_document(data: &Ctx, post: &Post) -> AppResult<Value> {
    Ok(with_context(post_json(data, post).await?))
}
