//! The knowledge base: a solved thread turned into an article (prefilled with the
//! question's title and the accepted answer), edited with its history kept, marked
//! reviewed, retired. Articles are written in groups hosted here by the group's
//! moderators, the instance's admins and staff of an organisation the group recognises
//! ([`rules::may_write_articles`]). Each change federates in its own transaction: the
//! article as an `Article`, created, updated or deleted (see FEDERATION.md).

use super::{commit, rules, ArticleChange, Outbox, Outgoing};
use crate::db::ids::new_id;
use crate::db::models::{Actor, Post};
use crate::db::queries::articles::{self as aq, Article, Revision};
use crate::db::{now_ms, queries, DbConn};
use crate::domain::posts::{
    html_to_text, normalize_tags, MAX_BODY, MAX_TAGS, MAX_TITLE, MIN_TITLE,
};
use crate::domain::text::markdown_to_html;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// What an author writes: title, markdown body, product tags.
#[derive(Clone, Debug, Default)]
pub struct ArticleInput {
    pub title: String,
    pub body_md: String,
    pub tags: Vec<String>,
}

/// What is wrong with an article, per field (`title`, `body`, `tags`), as Fluent keys of
/// the pages; empty when nothing is.
pub fn problems(input: &ArticleInput) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![];
    let n = input.title.trim().chars().count();
    if !(MIN_TITLE..=MAX_TITLE).contains(&n) {
        out.push(("title", "kb-error-title"));
    }
    if input.body_md.trim().is_empty() || input.body_md.len() > MAX_BODY {
        out.push(("body", "kb-error-body"));
    }
    if input.tags.len() > MAX_TAGS {
        out.push(("tags", "kb-error-tags"));
    }
    out
}

fn check(input: &ArticleInput) -> AppResult<()> {
    match problems(input).first().map(|p| p.0) {
        None => Ok(()),
        Some("title") => Err(AppError::Invalid(format!(
            "an article title is {MIN_TITLE}-{MAX_TITLE} characters"
        ))),
        Some("body") => Err(AppError::Invalid(format!(
            "an article's text is not empty and at most {MAX_BODY} bytes"
        ))),
        Some(_) => Err(AppError::Invalid(format!("at most {MAX_TAGS} tags"))),
    }
}

/// A solved thread ready to be written up: the question, its group and the prefilled
/// article (the question's title and tags, the accepted answer's text).
#[derive(Clone, Debug)]
pub struct Draft {
    pub question: Post,
    pub group: Actor,
    pub input: ArticleInput,
}

/// The question `question_id`, solved, in a group hosted here that `actor` writes
/// articles for, with its prefill.
fn draft_in(c: &mut DbConn, actor: &Actor, question_id: i64) -> AppResult<Draft> {
    let question = super::post(c, question_id)?;
    if !question.is_question() || !question.visible() {
        return Err(AppError::NotFound("question not found".into()));
    }
    let group = rules::group_of(c, &question)?;
    if !group.local {
        return Err(AppError::Invalid(
            "articles are written in groups hosted here".into(),
        ));
    }
    rules::require_article_writer(c, &group, actor)?;
    let accepted = match question.accepted_answer_id {
        Some(id) => queries::posts::by_id(c, id)?.filter(|a| a.visible()),
        None => None,
    };
    let Some(answer) = accepted else {
        return Err(AppError::Invalid(
            "only a solved question (one with an accepted answer) can become an article".into(),
        ));
    };
    let body_md = answer
        .source_md
        .clone()
        .unwrap_or_else(|| html_to_text(&answer.content_html));
    let input = ArticleInput {
        title: question.title.clone().unwrap_or_default(),
        body_md,
        tags: question
            .tags
            .split_whitespace()
            .map(str::to_string)
            .collect(),
    };
    Ok(Draft {
        question,
        group,
        input,
    })
}

/// The prefilled article for the question `question_id` (refused as [`create`] would).
pub async fn draft(state: &AppState, actor: &Actor, question_id: i64) -> AppResult<Draft> {
    let actor = actor.clone();
    state
        .db
        .run(move |c| draft_in(c, &actor, question_id))
        .await
}

/// Writes an article from the solved question `question_id`.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    question_id: i64,
    input: ArticleInput,
) -> AppResult<Article> {
    check(&input)?;
    let (actor, base) = (actor.clone(), state.base.clone());
    commit(state, move |c, outbox| {
        let draft = draft_in(c, &actor, question_id)?;
        let id = new_id();
        let now = now_ms();
        let article = Article {
            id,
            ap_id: format!("{base}/kb/{id}"),
            group_id: draft.group.id,
            title: input.title.trim().to_string(),
            content_html: markdown_to_html(&input.body_md),
            body_md: input.body_md,
            tags: normalize_tags(input.tags),
            source_question_id: Some(draft.question.id),
            source_ap_id: Some(draft.question.ap_id.clone()),
            author_id: actor.id,
            created_at: now,
            updated_at: now,
            reviewed_at: now,
            retired_at: None,
            local: true,
        };
        aq::insert(c, &article)?;
        let change = ArticleChange::Created;
        record(c, outbox, &actor, &article, draft.group, change)?;
        Ok(article)
    })
    .await
}

/// The local article `id` and its group, if `actor` may change it.
fn writable(c: &mut DbConn, actor: &Actor, id: i64) -> AppResult<(Article, Actor)> {
    let article = aq::by_id(c, id)?
        .filter(|a| a.local)
        .ok_or_else(|| AppError::NotFound("article not found".into()))?;
    let group = queries::actors::by_id(c, article.group_id)?
        .ok_or_else(|| AppError::NotFound("group not found".into()))?;
    rules::require_article_writer(c, &group, actor)?;
    if article.retired() {
        return Err(AppError::Gone("this article was retired".into()));
    }
    Ok((article, group))
}

fn record(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    actor: &Actor,
    article: &Article,
    group: Actor,
    change: ArticleChange,
) -> AppResult<()> {
    let event = Outgoing::Article {
        article: article.clone(),
        group,
        change,
    };
    outbox.record(c, actor, event)?;
    Ok(())
}

/// Edits an article: the earlier version goes into its history, and the edit counts as
/// a review.
pub async fn edit(
    state: &AppState,
    actor: &Actor,
    id: i64,
    input: ArticleInput,
) -> AppResult<Article> {
    check(&input)?;
    let actor = actor.clone();
    commit(state, move |c, outbox| {
        let (earlier, group) = writable(c, &actor, id)?;
        let now = now_ms().max(earlier.updated_at + 1);
        let revision = Revision {
            id: new_id(),
            article_id: id,
            editor_id: actor.id,
            title: earlier.title.clone(),
            body_md: earlier.body_md.clone(),
            tags: earlier.tags.clone(),
            created_at: now,
        };
        let article = Article {
            title: input.title.trim().to_string(),
            content_html: markdown_to_html(&input.body_md),
            body_md: input.body_md,
            tags: normalize_tags(input.tags),
            updated_at: now,
            reviewed_at: now,
            ..earlier
        };
        aq::update(c, &article, Some(&revision))?;
        record(c, outbox, &actor, &article, group, ArticleChange::Edited)?;
        Ok(article)
    })
    .await
}

/// Marks an article reviewed now: it is still correct as it stands. Not federated (the
/// review date is shown here).
pub async fn mark_reviewed(state: &AppState, actor: &Actor, id: i64) -> AppResult<()> {
    let actor = actor.clone();
    commit(state, move |c, _| {
        writable(c, &actor, id)?;
        aq::set_reviewed(c, id, now_ms())
    })
    .await
}

/// Retires an article: it leaves the lists, search and suggestions, and other servers
/// get its `Delete`.
pub async fn retire(state: &AppState, actor: &Actor, id: i64) -> AppResult<()> {
    let actor = actor.clone();
    commit(state, move |c, outbox| {
        let (article, group) = writable(c, &actor, id)?;
        let now = now_ms();
        aq::set_retired(c, id, Some(now))?;
        let article = Article {
            retired_at: Some(now),
            ..article
        };
        record(c, outbox, &actor, &article, group, ArticleChange::Retired)
    })
    .await
}

/// Whether `actor` may write articles in `group` (for showing the buttons).
pub async fn may_write(state: &AppState, group: &Actor, actor: &Actor) -> AppResult<bool> {
    if !group.local {
        return Ok(false);
    }
    let (group, actor) = (group.clone(), actor.clone());
    state
        .db
        .run(move |c| rules::may_write_articles(c, &group, &actor))
        .await
}

/// The stale articles `actor` looks after: in every group for an admin, else in the
/// groups they moderate or whose recognised organisation they work for. Stale: not
/// reviewed for `--kb-stale-days`.
pub async fn stale_for(state: &AppState, actor: &Actor, admin: bool) -> AppResult<Vec<Article>> {
    let before = now_ms() - (state.settings.kb_stale_days.min(100_000) as i64) * 86_400_000;
    let actor = actor.clone();
    state
        .db
        .run(move |c| {
            let all = aq::stale(c, before, None)?;
            if admin {
                return Ok(all);
            }
            let mut out = vec![];
            for article in all {
                let Some(group) = queries::actors::by_id(c, article.group_id)? else {
                    continue;
                };
                if rules::may_write_articles(c, &group, &actor)? {
                    out.push(article);
                }
            }
            Ok(out)
        })
        .await
}
