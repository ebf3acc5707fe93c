//! Questions and answers: ask, answer or comment, edit, delete, vote, accept. A first
//! post in a group welcomes its author ([`super::groups::welcome_newcomer`]).

use super::{commit, rules, Outbox, Outgoing};
use crate::db::models::{Actor, Post, ANSWER, COMMENT, QUESTION};
use crate::db::{ids::new_id, now_ms, queries, DbConn};
use crate::domain::posts::{check_body, check_question, normalize_tags, search_text};
use crate::domain::text::markdown_to_html;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A new local post by `author` in `group`, under `parent` (an answer or comment) or a
/// question (no parent). Its id is `{base}/q/{id}` for a question, `{base}/a/{id}` else.
fn new_local_post(
    base: &str,
    author: &Actor,
    group: &Actor,
    parent: Option<&Post>,
    title: Option<String>,
    body_md: &str,
    tags: Vec<String>,
) -> Post {
    let id = new_id();
    let now = now_ms();
    let content_html = markdown_to_html(body_md);
    let (kind, ap_id) = match parent {
        None => (QUESTION, format!("{base}/q/{id}")),
        Some(p) if p.is_question() => (ANSWER, format!("{base}/a/{id}")),
        Some(_) => (COMMENT, format!("{base}/a/{id}")),
    };
    Post {
        id,
        url: Some(ap_id.clone()),
        ap_id,
        kind: kind.into(),
        group_id: Some(group.id),
        author_id: author.id,
        question_id: Some(parent.map(|p| p.question_id.unwrap_or(p.id)).unwrap_or(id)),
        parent_id: parent.map(|p| p.id),
        search_text: search_text(title.as_deref(), &content_html),
        title,
        content_html,
        source_md: Some(body_md.to_string()),
        tags: normalize_tags(tags),
        local: true,
        // A private group's posts are never public.
        public: !rules::is_private(group),
        deleted: false,
        removed: false,
        locked: false,
        accepted_answer_id: None,
        upvotes: 0,
        downvotes: 0,
        answer_count: 0,
        published_at: now,
        updated_at: None,
        last_activity_at: now,
        created_at: now,
        featured: false,
    }
}

/// What else a post's transaction does once the post is stored (a private case of what
/// was moved out of it: `super::personal_data`).
pub(super) type After = Box<dyn FnOnce(&mut DbConn, &dyn Outbox, &Post) -> AppResult<()> + Send>;

/// Asks a question in `group` (here or elsewhere).
pub async fn ask(
    state: &AppState,
    author: &Actor,
    group: &Actor,
    title: &str,
    body_md: &str,
    tags: Vec<String>,
) -> AppResult<Post> {
    ask_then(state, author, group, (title, body_md, tags), None).await
}

/// [`ask`], and `after` in the same transaction.
pub(super) async fn ask_then(
    state: &AppState,
    author: &Actor,
    group: &Actor,
    (title, body_md, tags): (&str, &str, Vec<String>),
    after: Option<After>,
) -> AppResult<Post> {
    check_question(title, body_md, &tags)?;
    let post = new_local_post(
        &state.base,
        author,
        group,
        None,
        Some(title.trim().to_string()),
        body_md,
        tags,
    );
    let (author, group) = (author.clone(), group.clone());
    commit(state, move |c, outbox| {
        rules::check_may_ask(c, &group, &author)?;
        super::groups::welcome_newcomer(c, outbox, &group, &author)?;
        let post = publish(c, outbox, &author, post, group)?;
        // Asked after opening search results: those were not self-service.
        queries::search_clicks::asked(c, author.id, post.published_at)?;
        if let Some(after) = after {
            after(c, outbox, &post)?;
        }
        Ok(post)
    })
    .await
}

/// Answers a question, or comments on an answer or comment (`parent`).
pub async fn answer(
    state: &AppState,
    author: &Actor,
    parent: &Post,
    body_md: &str,
) -> AppResult<Post> {
    answer_then(state, author, parent, body_md, None).await
}

/// [`answer`], and `after` in the same transaction.
pub(super) async fn answer_then(
    state: &AppState,
    author: &Actor,
    parent: &Post,
    body_md: &str,
    after: Option<After>,
) -> AppResult<Post> {
    check_body(body_md)?;
    let (author, parent_id, body_md) = (author.clone(), parent.id, body_md.to_string());
    let base = state.base.clone();
    commit(state, move |c, outbox| {
        let parent = super::post(c, parent_id)?;
        if parent.deleted || parent.removed {
            return Err(AppError::Gone("that post was deleted".into()));
        }
        let group = rules::group_of(c, &parent)?;
        rules::check_may_take_part(c, &group, &author)?;
        rules::open_question(c, &parent)?;
        super::groups::welcome_newcomer(c, outbox, &group, &author)?;
        let post = new_local_post(
            &base,
            &author,
            &group,
            Some(&parent),
            None,
            &body_md,
            vec![],
        );
        let post = publish(c, outbox, &author, post, group)?;
        // Asked after opening search results: those were not self-service.
        queries::search_clicks::asked(c, author.id, post.published_at)?;
        if let Some(after) = after {
            after(c, outbox, &post)?;
        }
        Ok(post)
    })
    .await
}

/// The author edits a post (its earlier version is kept in the history).
pub async fn edit(
    state: &AppState,
    actor: &Actor,
    post: &Post,
    title: Option<String>,
    body_md: &str,
    tags: Option<Vec<String>>,
) -> AppResult<Post> {
    let (actor, pid, body_md) = (actor.clone(), post.id, body_md.to_string());
    commit(state, move |c, outbox| {
        let post = super::post(c, pid)?;
        if post.author_id != actor.id {
            return Err(AppError::Forbidden(
                "only the author can edit a post".into(),
            ));
        }
        if post.deleted {
            return Err(AppError::Gone("that post was deleted".into()));
        }
        if post.removed {
            return Err(AppError::Forbidden(
                "a moderator removed this post; it cannot be edited".into(),
            ));
        }
        let title = if post.is_question() {
            Some(title.unwrap_or_else(|| post.title.clone().unwrap_or_default()))
        } else {
            None
        };
        let tags = tags
            .map(normalize_tags)
            .unwrap_or_else(|| post.tags.clone());
        match &title {
            Some(t) => check_question(t, &body_md, &[])?,
            None => check_body(&body_md)?,
        }
        let html = markdown_to_html(&body_md);
        let rev = queries::posts::Revision {
            search_text: search_text(title.as_deref(), &html),
            title,
            content_html: html,
            source_md: Some(body_md),
            tags,
            updated_at: now_ms(),
        };
        queries::posts::update_content(c, &post, rev)?;
        let updated = super::post(c, pid)?;
        let group = rules::group_of(c, &updated)?;
        outbox.record(
            c,
            &actor,
            Outgoing::Update {
                post: updated.clone(),
                group,
            },
        )?;
        Ok(updated)
    })
    .await
}

/// The author deletes a post; it stays in its thread as a tombstone.
pub async fn delete(state: &AppState, actor: &Actor, post: &Post) -> AppResult<()> {
    let (actor, pid) = (actor.clone(), post.id);
    commit(state, move |c, outbox| {
        let post = super::post(c, pid)?;
        delete_in(c, outbox, &actor, post)
    })
    .await
}

/// [`delete`] inside an open transaction: the author's deletion of `post` and its
/// `Delete` (also used when an admin deletes an account with its posts).
pub(crate) fn delete_in(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    actor: &Actor,
    post: Post,
) -> AppResult<()> {
    if post.author_id != actor.id {
        return Err(AppError::Forbidden(
            "only the author can delete a post".into(),
        ));
    }
    if post.deleted {
        return Ok(());
    }
    queries::posts::mark_deleted(c, &post)?;
    let group = rules::group_of(c, &post)?;
    outbox.record(c, actor, Outgoing::Delete { post, group })?;
    Ok(())
}

/// Votes +1 (`Like`), -1 (`Dislike`) or 0 (withdraws the earlier vote).
pub async fn vote(state: &AppState, voter: &Actor, post: &Post, value: i32) -> AppResult<()> {
    let (voter, pid) = (voter.clone(), post.id);
    commit(state, move |c, outbox| {
        let post = super::post(c, pid)?;
        if post.deleted || post.removed {
            return Err(AppError::Gone("that post was deleted".into()));
        }
        let group = rules::group_of(c, &post)?;
        rules::check_may_take_part(c, &group, &voter)?;
        let previous = queries::posts::vote(c, pid, voter.id)?;
        if previous.as_ref().map(|v| v.value) == Some(value.signum())
            || (previous.is_none() && value == 0)
        {
            return Ok(());
        }
        if let Some(prev) = previous {
            queries::posts::set_vote(c, pid, voter.id, 0, None)?;
            let event = Outgoing::UndoVote {
                post: post.clone(),
                group: group.clone(),
                vote_ap_id: prev.ap_id,
                value: prev.value,
            };
            outbox.record(c, &voter, event)?;
        }
        if value != 0 {
            let event = Outgoing::Vote {
                post,
                group,
                value: value.signum(),
            };
            let vote_id = outbox.record(c, &voter, event)?;
            queries::posts::set_vote(c, pid, voter.id, value.signum(), Some(&vote_id))?;
        }
        Ok(())
    })
    .await
}

/// Marks `answer` as the accepted answer of `question` (or clears it with `None`).
pub async fn accept(
    state: &AppState,
    actor: &Actor,
    question: &Post,
    answer: Option<&Post>,
) -> AppResult<()> {
    let (actor, qid, aid) = (actor.clone(), question.id, answer.map(|a| a.id));
    commit(state, move |c, outbox| {
        let question = super::post(c, qid)?;
        if !question.is_question() {
            return Err(AppError::Invalid(
                "only questions have accepted answers".into(),
            ));
        }
        if !rules::may_accept(c, &actor, &question)? {
            return Err(AppError::Forbidden(
                "only the asker, the group's moderators and staff can accept an answer".into(),
            ));
        }
        let answer = match aid {
            Some(id) => {
                let a = super::post(c, id)?;
                if a.question_id != Some(question.id) || a.kind != ANSWER || !a.visible() {
                    return Err(AppError::Invalid(
                        "that is not an answer to this question".into(),
                    ));
                }
                Some(a)
            }
            None => None,
        };
        let group = rules::group_of(c, &question)?;
        let previous = question.accepted_answer_id;
        queries::posts::set_accepted(c, qid, aid)?;
        let event = match answer {
            Some(answer) => Outgoing::Accept {
                question,
                answer,
                group,
            },
            None => {
                let Some(prev) = previous else { return Ok(()) };
                let previous = queries::posts::by_id(c, prev)?
                    .ok_or_else(|| AppError::NotFound("previous answer not found".into()))?;
                Outgoing::UndoAccept {
                    question,
                    previous,
                    group,
                }
            }
        };
        outbox.record(c, &actor, event)?;
        Ok(())
    })
    .await
}

/// Stores a new local post and records its `Create` in the same transaction.
fn publish(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    author: &Actor,
    post: Post,
    group: Actor,
) -> AppResult<Post> {
    queries::posts::insert(c, &post)?;
    outbox.record(
        c,
        author,
        Outgoing::Create {
            post: post.clone(),
            group,
        },
    )?;
    Ok(post)
}
