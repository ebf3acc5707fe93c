//! Posts as a viewer may see them, and a thread's pages: what the API and the pages
//! both show.

use super::actors::ActorView;
use crate::db::models::{Actor, Post};
use crate::db::{queries, rfc3339};
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema, Debug, Clone)]
pub struct PostView {
    /// Local id (a string: it does not fit a JavaScript number).
    pub id: String,
    /// ActivityPub id.
    pub ap_id: String,
    /// `question`, `answer` or `comment`.
    pub kind: String,
    pub title: Option<String>,
    pub content_html: String,
    /// Markdown source, when known.
    pub source: Option<String>,
    pub tags: Vec<String>,
    pub author: ActorView,
    /// Handle of the group (`name@host`).
    pub group: Option<String>,
    pub question_id: Option<String>,
    pub parent_id: Option<String>,
    pub published: String,
    pub updated: Option<String>,
    pub score: i32,
    pub upvotes: i32,
    pub downvotes: i32,
    pub answer_count: i32,
    /// On questions: the accepted answer's id. On answers: whether it is the accepted one.
    pub accepted_answer_id: Option<String>,
    pub accepted: bool,
    pub locked: bool,
    /// Deleted by its author or removed by a moderator: its text is not shown (a removed
    /// post's author and the group's moderators still see it).
    pub deleted: bool,
    /// Removed by a moderator (and not deleted).
    #[serde(default)]
    pub removed: bool,
    pub local: bool,
    pub url: Option<String>,
}

/// Groups among `posts`' whose removed posts `viewer` may read: the groups it moderates
/// (admins: those hosted here), and those where a community role grants `see_removed`.
pub async fn moderated_groups(
    data: &Ctx,
    viewer: Option<&Actor>,
    posts: &[Post],
) -> AppResult<std::collections::HashSet<i64>> {
    let mut groups: Vec<i64> = posts
        .iter()
        .filter(|p| p.removed && !p.deleted)
        .filter(|p| viewer.is_some_and(|v| v.id != p.author_id))
        .filter_map(|p| p.group_id)
        .collect();
    groups.sort_unstable();
    groups.dedup();
    let mut may = std::collections::HashSet::new();
    let Some(viewer) = viewer.filter(|_| !groups.is_empty()) else {
        return Ok(may);
    };
    let found = data
        .db
        .run(move |c| queries::actors::by_ids(c, &groups))
        .await?;
    for group in found {
        let see_removed = crate::domain::roles::Privilege::SeeRemoved;
        if crate::actions::rules::can_use(data, &group, viewer, see_removed).await? {
            may.insert(group.id);
        }
    }
    Ok(may)
}

/// Whether `viewer` may read `post`'s text (see [`moderated_groups`]).
pub fn may_read(
    viewer: Option<&Actor>,
    moderated: &std::collections::HashSet<i64>,
    post: &Post,
) -> bool {
    post.visible()
        || (!post.deleted
            && (viewer.is_some_and(|v| v.id == post.author_id)
                || post.group_id.is_some_and(|g| moderated.contains(&g))))
}

/// Who sees detected personal data in posts from other servers when the admin hides it
/// on public pages: the instance's admins, and a group's moderators in its posts.
pub struct Unmasked {
    hide: bool,
    admin: bool,
    groups: std::collections::HashSet<i64>,
}

impl Unmasked {
    /// For `viewer` reading `posts` (nothing is masked when the setting is off).
    pub async fn of(data: &Ctx, viewer: Option<&Actor>, posts: &[Post]) -> AppResult<Unmasked> {
        let mut u = Unmasked {
            hide: data.instance.get().hide_remote_personal_data && posts.iter().any(|p| !p.local),
            admin: false,
            groups: Default::default(),
        };
        let Some(viewer) = viewer.filter(|v| u.hide && v.local) else {
            return Ok(u);
        };
        let mut gids: Vec<i64> = posts
            .iter()
            .filter(|p| !p.local)
            .filter_map(|p| p.group_id)
            .collect();
        gids.sort_unstable();
        gids.dedup();
        let vid = viewer.id;
        let (admin, groups) = data
            .db
            .run(move |c| {
                let admin = queries::users::by_actor_id(c, vid)?.is_some_and(|u| u.is_admin);
                let mut groups = Vec::new();
                for g in gids {
                    if queries::groups::is_moderator(c, g, vid)? {
                        groups.push(g);
                    }
                }
                Ok((admin, groups))
            })
            .await?;
        u.admin = admin;
        u.groups = groups.into_iter().collect();
        Ok(u)
    }

    /// Whether `post`'s personal data is masked for this viewer.
    pub fn masks(&self, post: &Post) -> bool {
        self.hide
            && !post.local
            && !self.admin
            && !post.group_id.is_some_and(|g| self.groups.contains(&g))
    }
}

/// `text` with the personal data found in it masked (`••••@example.com`); HTML stays
/// HTML (what is found never holds markup, and the mask is text).
pub fn masked(text: &str) -> String {
    let found = crate::domain::personal_data::Detector::default().find(text);
    crate::domain::personal_data::mask(text, &found)
}

/// Posts as `viewer` (signed in, or `None`) may see them: the text of a deleted post is
/// gone; that of a removed one only its author and the group's moderators see. The web
/// pages show the same views.
pub async fn views(
    data: &Ctx,
    viewer: Option<&Actor>,
    posts: Vec<Post>,
) -> AppResult<Vec<PostView>> {
    let moderated = moderated_groups(data, viewer, &posts).await?;
    let unmasked = Unmasked::of(data, viewer, &posts).await?;
    let mut actor_ids: Vec<i64> = posts
        .iter()
        .map(|p| p.author_id)
        .chain(posts.iter().filter_map(|p| p.group_id))
        .collect();
    let question_ids: Vec<i64> = posts
        .iter()
        .filter_map(|p| p.question_id.filter(|q| *q != p.id))
        .collect::<std::collections::BTreeSet<i64>>()
        .into_iter()
        .collect();
    actor_ids.sort();
    actor_ids.dedup();
    let (actors, questions, staff) = data
        .db
        .run(move |c| {
            Ok((
                queries::actors::by_ids(c, &actor_ids)?,
                queries::posts::by_ids(c, &question_ids)?,
                queries::staff::staff_status(c, &actor_ids)?,
            ))
        })
        .await?;
    let actors: HashMap<i64, Actor> = actors.into_iter().map(|a| (a.id, a)).collect();
    let accepted: HashMap<i64, Option<i64>> = questions
        .into_iter()
        .map(|q| (q.id, q.accepted_answer_id))
        .collect();
    posts
        .into_iter()
        .map(|p| {
            let author = actors
                .get(&p.author_id)
                .ok_or_else(|| AppError::Internal("post author missing".into()))?;
            let is_accepted = p
                .question_id
                .and_then(|q| accepted.get(&q).copied().flatten())
                == Some(p.id);
            let shown = may_read(viewer, &moderated, &p);
            let mask = unmasked.masks(&p);
            let text = |s: &str| if mask { masked(s) } else { s.to_string() };
            Ok(PostView {
                id: p.id.to_string(),
                kind: p.kind.clone(),
                title: p.title.as_deref().filter(|_| shown).map(text),
                content_html: if shown {
                    text(&p.content_html)
                } else {
                    String::new()
                },
                source: p.source_md.as_deref().filter(|_| shown).map(text),
                tags: if shown {
                    p.tags.split_whitespace().map(str::to_string).collect()
                } else {
                    vec![]
                },
                author: ActorView::from(author).with_staff(staff.get(&author.id)),
                group: p.group_id.and_then(|g| actors.get(&g)).map(Actor::handle),
                question_id: p.question_id.map(|q| q.to_string()),
                parent_id: p.parent_id.map(|q| q.to_string()),
                published: rfc3339(p.published_at),
                updated: p.updated_at.map(rfc3339),
                score: p.score(),
                upvotes: p.upvotes,
                downvotes: p.downvotes,
                answer_count: p.answer_count,
                accepted_answer_id: p.accepted_answer_id.map(|a| a.to_string()),
                accepted: is_accepted,
                locked: p.locked,
                deleted: !p.visible(),
                removed: p.removed && !p.deleted,
                local: p.local,
                url: p.url.clone(),
                ap_id: p.ap_id,
            })
        })
        .collect()
}

/// One page of a question's thread: the question, then the page's answers (best first)
/// and their comments; and whether a next page has answers. The API and the thread page
/// read a thread through this.
pub async fn load_thread(data: &Ctx, question: Post, page: i64) -> AppResult<(Vec<Post>, bool)> {
    data.db
        .run(move |c| {
            let p = queries::threads::page(c, &question, page)?;
            let mut posts = vec![question];
            posts.extend(p.answers);
            posts.extend(p.comments);
            Ok((posts, p.more))
        })
        .await
}
