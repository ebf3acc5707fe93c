//! Objects received from other servers: what peerdesk keeps of them ([`Incoming`]), where
//! they go and whether they are admitted. One set of rules for both receive paths: the
//! batched inbox ([`super::ingest`]) places an object from what the database holds, the
//! one-by-one path ([`prepare`]) fetches what it lacks (parent, group, author); both
//! admit it through [`admit`], store it through [`insert`] and have the group announce
//! it through [`super::relay`], in the transaction that stores it.

use super::objects::is_web_url;
use super::posts::{actor_by_url, post_json, ApObject};
use super::wire::domain_of;
use super::wire::id_of;
use super::wire::{ids, is_public};
use crate::db::models::{Actor, Post, ANSWER, COMMENT, QUESTION};
use crate::db::{ids::new_id, now_ms, queries, DbConn};
use crate::domain::posts::{derive_title, html_to_text, normalize_tags, search_text};
use crate::domain::text::sanitize_html;
use crate::error::{AppError, AppResult};
use crate::state::{AppState, Ctx};
use activitypub_federation::fetch::object_id::ObjectId;
use activitypub_federation::traits::Object;
use chrono::{DateTime, Utc};
use serde_json::Value;
use url::Url;

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
    /// The `context` collection it names, whatever its form (for backfill).
    pub context_collection: Option<String>,
    /// Addressed to everyone (else to a private group's members).
    pub public: bool,
}

impl Incoming {
    /// Reads an object. `None` for objects peerdesk does not keep (other types, and
    /// anything not public: direct messages are never published).
    pub fn read(obj: &ApObject) -> AppResult<Option<Incoming>> {
        let id = obj.id.to_string();
        if !matches!(obj.kind.as_str(), "Page" | "Note" | "Article" | "Question") {
            return Ok(None);
        }
        if obj.rest.contains_key("knowledgeBase") {
            // A group's knowledge article: kept by `activities::article`, not as a post.
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
        let public = is_public(&addressed);
        // Not public: kept only when addressed to a group's members (a private group's
        // followers collection, as Lemmy's private communities address it); anything
        // else is a direct or followers-only message, never published.
        let to_members = addressed
            .iter()
            .any(|a| a.ends_with("/followers") && !a.starts_with(author_url.as_str()));
        if !public && !to_members {
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
        let raw = obj
            .get("content")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let source = obj
            .get("source")
            .filter(|s| s.get("mediaType").and_then(Value::as_str) == Some("text/markdown"))
            .and_then(|s| s.get("content"))
            .and_then(Value::as_str);
        // An idea's status is kept apart from its text (see `activities::idea`).
        let (raw, source_md) = match super::activities::idea::said(&obj.rest) {
            Some(said) => super::activities::idea::strip(&said, raw, source),
            None => (raw.to_string(), source.map(str::to_string)),
        };
        let content = sanitize_html(&raw);
        Ok(Some(Incoming {
            public,
            in_reply_to: obj.get("inReplyTo").and_then(id_of).map(str::to_string),
            audience,
            candidates,
            source_md,
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
            context_collection: obj
                .get("context")
                .and_then(id_of)
                .filter(|c| is_web_url(c))
                .map(str::to_string),
            content,
            author_url,
            ap_id: id,
        }))
    }

    /// The revision an `Update` of a stored post makes: its new content, tags and title
    /// (a question keeps its title when the update names none).
    pub fn revision(self, old_title: Option<&str>, at: i64) -> queries::posts::Revision {
        let title = old_title.map(|old| {
            self.name.unwrap_or_else(|| {
                if old.is_empty() {
                    derive_title(&html_to_text(&self.content))
                } else {
                    old.to_string()
                }
            })
        });
        queries::posts::Revision {
            search_text: search_text(title.as_deref(), &self.content),
            title,
            source_md: self.source_md,
            content_html: self.content,
            tags: self.tags,
            updated_at: at,
        }
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
            // A private group's posts stay private here too.
            public: self.public && !crate::actions::rules::is_private(group),
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

/// A stored post by id.
pub async fn post_by_id(data: &Ctx, ap_id: &str) -> AppResult<Option<Post>> {
    let id = ap_id.to_string();
    data.db.run(move |c| queries::posts::by_ap_id(c, &id)).await
}

/// An object as its own server serves it, rather than as whoever forwarded it says.
pub async fn fetch_object(data: &Ctx, object_id: &str) -> AppResult<ApObject> {
    let url = url::Url::parse(object_id)?;
    let fetched =
        activitypub_federation::fetch::fetch_object_http::<_, ApObject>(&url, data).await?;
    if fetched.object.id.as_str() != object_id {
        return Err(AppError::Invalid("fetched object has another id".into()));
    }
    Ok(crate::domain::input::strip_nul_typed(fetched.object))
}

/// Where an object goes, as either receive path found it.
pub struct Spot<'a> {
    pub group: &'a Actor,
    /// The post it answers or comments on.
    pub parent: Option<&'a Post>,
    /// The parent's question is locked (when the parent is an answer).
    pub question_locked: bool,
    /// The author is banned from the group.
    pub banned: bool,
    /// The group's posting rule lets the author ask (see
    /// [`crate::actions::rules::ask_refusal`]); replies do not need it.
    pub may_ask: bool,
}

/// The post to store for `inc` by `author` at `spot`, or why it is refused (a banned
/// author, a question the group's posting rule does not allow, a locked question). The
/// one admission rule of both receive paths.
pub fn admit(inc: Incoming, author: &Actor, spot: &Spot) -> AppResult<Post> {
    if spot.banned {
        return Err(AppError::Forbidden(
            "the author is banned from this group".into(),
        ));
    }
    if spot.parent.is_none() && !spot.may_ask {
        return Err(AppError::Forbidden(
            "the group's posting rule does not let the author ask questions in it".into(),
        ));
    }
    inc.into_post(spot.group, author, spot.parent, spot.question_locked)
}

/// A question's thread context to remember (FEP-7888), when it names its own.
pub fn context_of(inc: &Incoming, parent: Option<&Post>) -> Option<(String, String)> {
    match (parent, &inc.context) {
        (None, Some(ctx)) => Some((inc.ap_id.clone(), ctx.clone())),
        _ => None,
    }
}

/// What the one-by-one path makes of an object.
pub enum Prepared {
    /// Stored already (and announced when it was).
    Known(Box<Post>),
    /// Not kept: not public, in no group known here, or by an author that cannot be had.
    Ignored,
    /// To store.
    New(Box<Admitted>),
}

/// A post admitted into `group`, to store with the thread context it names.
pub struct Admitted {
    pub post: Post,
    pub group: Actor,
    pub context: Option<(String, String)>,
    /// The `context` collection of a question, to complete its thread from once stored
    /// (when it was fetched, not sent: see [`store_remote`]).
    pub collection: Option<String>,
}

/// Reads, places and admits an object, fetching what is not known here: the post it
/// replies to, the group it names in `audience`, its author.
pub async fn prepare(data: &Ctx, obj: ApObject) -> AppResult<Prepared> {
    let id = obj.id.to_string();
    if let Some(existing) = {
        let id = id.clone();
        data.db
            .run(move |c| queries::posts::by_ap_id(c, &id))
            .await?
    } {
        return Ok(Prepared::Known(Box::new(existing)));
    }
    let Some(inc) = Incoming::read(&obj)? else {
        return Ok(Prepared::Ignored);
    };
    let author = match actor_by_url(data, &inc.author_url).await {
        Ok(a) => a,
        Err(e) if !e.is_transient() => {
            tracing::info!(%id, author = %inc.author_url, "object by an author that cannot be had: {e}");
            return Ok(Prepared::Ignored);
        }
        Err(e) => return Err(e),
    };
    let (group, parent) = place(data, &inc).await?;
    let Some(group) = group else {
        tracing::debug!(%id, "object is in no group known here; ignored");
        return Ok(Prepared::Ignored);
    };
    let question = parent
        .as_ref()
        .filter(|p| !p.locked)
        .and_then(|p| p.question_id.filter(|q| *q != p.id));
    let asks = parent.is_none();
    let (g, a) = (group.clone(), author.clone());
    let (banned, question_locked, may_ask) = data
        .db
        .run(move |c| {
            let banned = crate::actions::rules::is_banned(c, g.id, a.id)?;
            let locked = match question {
                Some(q) => queries::posts::by_id(c, q)?.is_some_and(|q| q.locked),
                None => false,
            };
            let may_ask = !asks || crate::actions::rules::ask_refusal(c, &g, &a)?.is_none();
            // A private group hosted here takes posts from its members only.
            if g.local
                && crate::actions::rules::is_private(&g)
                && !crate::actions::rules::is_member(c, &g, &a)?
            {
                return Err(AppError::Forbidden(
                    "this group is private: only its members may post in it".into(),
                ));
            }
            Ok((banned, locked, may_ask))
        })
        .await?;
    let context = context_of(&inc, parent.as_ref());
    let collection = inc.context_collection.clone().filter(|_| parent.is_none());
    let spot = Spot {
        group: &group,
        parent: parent.as_ref(),
        question_locked,
        banned,
        may_ask,
    };
    let post = admit(inc, &author, &spot)?;
    Ok(Prepared::New(Box::new(Admitted {
        post,
        group,
        context,
        collection,
    })))
}

/// The group and the parent of an object, fetching them when unknown.
async fn place(data: &Ctx, inc: &Incoming) -> AppResult<(Option<Actor>, Option<Post>)> {
    if let Some(parent_url) = &inc.in_reply_to {
        let parent = match post_by_url(data, parent_url).await {
            Ok(p) => p,
            // Gone, refused or unreadable for good: the reply has nowhere to go.
            Err(e) if !e.is_transient() => {
                tracing::info!(id = %inc.ap_id, parent = %parent_url, "reply to a parent that cannot be had: {e}");
                return Ok((None, None));
            }
            Err(e) => return Err(e),
        };
        let group = match parent.group_id {
            Some(g) => data.db.run(move |c| queries::actors::by_id(c, g)).await?,
            None => None,
        };
        return Ok((group, Some(parent)));
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
            return Ok((group, None));
        }
    }
    Ok((None, None))
}

/// Stores admitted posts on an open transaction, with their authors' badges and the
/// thread contexts they name. Returns those that were new (others were stored
/// meanwhile), for [`queries::posts::bump_questions`] (to call last: it locks the
/// questions' rows), and the badges to remember once committed.
pub fn insert<'p>(
    c: &mut DbConn,
    app: &AppState,
    posts: &'p [Post],
    contexts: &[(String, String)],
) -> AppResult<(Vec<&'p Post>, queries::reputation::Awards)> {
    if !contexts.is_empty() {
        queries::post_contexts::put(c, contexts)?;
    }
    queries::posts::insert_many(c, posts, Some(&app.badges))
}

/// [`insert`] of one admitted post, then its question's counters, on an open
/// transaction. Returns whether it was new (not stored meanwhile under another
/// activity) and the badges to remember once committed.
pub fn insert_one(
    c: &mut DbConn,
    app: &AppState,
    post: &Post,
    context: Option<(String, String)>,
) -> AppResult<(bool, queries::reputation::Awards)> {
    let contexts: Vec<_> = context.into_iter().collect();
    let (new, awards) = insert(c, app, std::slice::from_ref(post), &contexts)?;
    queries::posts::bump_questions(c, &new)?;
    Ok((!new.is_empty(), awards))
}

/// Stores an object fetched from its server (no activity to announce): [`prepare`] and
/// [`insert`]. `None` for objects peerdesk does not keep. A question fetched (the
/// parent of a reply, a post looked up or backfilled) may have a thread already: it is
/// completed in the background from the `context` collection the question names.
pub async fn store_remote(data: &Ctx, obj: ApObject) -> AppResult<Option<Post>> {
    let said = super::activities::idea::said(&obj.rest);
    let notes = super::activities::support_notes::said(&obj.rest);
    let (post, context, collection, group) = match prepare(data, obj).await? {
        Prepared::Known(p) => return Ok(Some(*p)),
        Prepared::Ignored => return Ok(None),
        Prepared::New(a) => (a.post, a.context, a.collection, a.group),
    };
    let app = (**data).clone();
    let (stored, awards) = data
        .db
        .run(move |c| {
            c.transaction(|c| {
                let (new, awards) = insert_one(c, &app, &post, context)?;
                if !new {
                    // Stored meanwhile under another activity.
                    let existing = queries::posts::by_ap_id(c, &post.ap_id)?
                        .ok_or_else(|| AppError::NotFound("post not found".into()))?;
                    return Ok((existing, awards));
                }
                if let Some(said) = &said {
                    super::activities::idea::first_status(c, &post, &group, said)?;
                }
                if let Some(notes) = &notes {
                    super::activities::support_notes::first_notes(c, &post, &group, notes)?;
                }
                Ok((post, awards))
            })
        })
        .await?;
    data.badges.remember(awards);
    if let Some(collection) = collection.filter(|_| !stored.local) {
        super::backfill::spawn_thread(data, &stored.ap_id, &collection);
    }
    Ok(Some(stored))
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
        store_remote(data, json)
            .await?
            .ok_or_else(|| AppError::NotFound("that object is not a public post in a group".into()))
            .and_then(FedPost::try_from)
    }
}
