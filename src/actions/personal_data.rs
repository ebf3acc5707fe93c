//! Asking and answering with personal data in mind: before a question, answer or comment
//! is posted (and so federated), likely personal data in it (`domain::personal_data`:
//! e-mail addresses, phone and card numbers, the patterns the group names) is found, and
//! unless the author chose, the post is not made and the findings are returned
//! ([`Outcome::Flagged`]) for the form or the API to show. The author then posts anyway
//! ([`Choice::Post`]), edits, or moves the details into a private case
//! ([`Choice::MoveToCase`]): the public text gets a neutral marker instead, so that what
//! was moved is never in the post nor in what federates.

use super::cases;
use super::qa::After;
use crate::db::models::{Actor, Post};
use crate::db::queries;
use crate::domain::personal_data::{self as pd, Detector, Finding};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// What the author chose about personal data found in their post.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Choice {
    /// Not chosen yet: a post with findings is not made.
    #[default]
    Check,
    /// Post it as written.
    Post,
    /// Post it with the findings replaced by a marker, the details in a private case.
    MoveToCase,
}

impl Choice {
    /// `post`, `move_to_case`, anything else (or nothing) is [`Choice::Check`].
    pub fn parse(s: &str) -> Choice {
        match s {
            "post" => Choice::Post,
            "move_to_case" => Choice::MoveToCase,
            _ => Choice::Check,
        }
    }
}

/// A finding in one of the post's fields (`title` or `body`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub field: &'static str,
    pub finding: Finding,
}

/// A post made, or the findings that stopped it.
#[derive(Debug)]
pub enum Outcome {
    Posted(Box<Post>),
    Flagged(Vec<Flag>),
}

/// The detector for posts in `group`: the built-in kinds, and the group's patterns when
/// it is a group here.
pub async fn detector(state: &AppState, group_id: Option<i64>) -> AppResult<Detector> {
    let Some(gid) = group_id else {
        return Ok(Detector::default());
    };
    let stored = state
        .db
        .run(move |c| Ok(queries::groups::by_actor_id(c, gid)?.map(|g| g.personal_data_patterns)))
        .await?;
    Ok(Detector::new(pd::parse_patterns(
        stored.as_deref().unwrap_or_default(),
    )))
}

fn flags(d: &Detector, fields: &[(&'static str, &str)]) -> Vec<Flag> {
    fields
        .iter()
        .flat_map(|&(field, text)| {
            d.find(text)
                .into_iter()
                .map(move |finding| Flag { field, finding })
        })
        .collect()
}

/// The details moved out of a post: each finding's field, kind and text.
pub struct Moved {
    pub details: Vec<(String, String, String)>,
}

fn moved(fields: &[(&'static str, &str)], flags: &[Flag]) -> Moved {
    Moved {
        details: flags
            .iter()
            .map(|f| {
                let text = fields
                    .iter()
                    .find(|(n, _)| *n == f.field)
                    .map_or("", |(_, t)| f.finding.text(t));
                (
                    f.field.to_string(),
                    match &f.finding.kind {
                        pd::Kind::Pattern(name) => name.clone(),
                        k => k.code().to_string(),
                    },
                    text.to_string(),
                )
            })
            .collect(),
    }
}

/// The findings of `flags` in `field`.
pub fn of_field(flags: &[Flag], field: &str) -> Vec<Finding> {
    flags
        .iter()
        .filter(|f| f.field == field)
        .map(|f| f.finding.clone())
        .collect()
}

fn without(text: &str, field: &str, flags: &[Flag]) -> String {
    pd::remove(text, &of_field(flags, field))
}

/// Finds personal data in the fields `(name, text)` of a post in the group `group_id`
/// (a form's "Remove it": cut out what is found, for the author to review).
pub async fn find(
    state: &AppState,
    group_id: Option<i64>,
    fields: &[(&'static str, &str)],
) -> AppResult<Vec<Flag>> {
    Ok(flags(&detector(state, group_id).await?, fields))
}

/// Asks a question in `group` as [`super::qa::ask`] does, minding personal data.
pub async fn ask(
    state: &AppState,
    author: &Actor,
    group: &Actor,
    (title, body_md, tags): (&str, &str, Vec<String>),
    choice: Choice,
) -> AppResult<Outcome> {
    let d = detector(state, group.local.then_some(group.id)).await?;
    let fields = [("title", title), ("body", body_md)];
    let found = flags(&d, &fields);
    let post = match choice {
        Choice::Check if !found.is_empty() => return Ok(Outcome::Flagged(found)),
        Choice::MoveToCase if !found.is_empty() => {
            let after = case_of(state, author, group, moved(&fields, &found)).await?;
            let title = without(title, "title", &found);
            let body = without(body_md, "body", &found);
            let post = (title.as_str(), body.as_str(), tags);
            super::qa::ask_then(state, author, group, post, Some(after)).await?
        }
        _ => super::qa::ask(state, author, group, title, body_md, tags).await?,
    };
    Ok(Outcome::Posted(Box::new(post)))
}

/// Answers or comments under `parent` as [`super::qa::answer`] does, minding personal
/// data.
pub async fn answer(
    state: &AppState,
    author: &Actor,
    parent: &Post,
    body_md: &str,
    choice: Choice,
) -> AppResult<Outcome> {
    let d = detector(state, parent.group_id).await?;
    let fields = [("body", body_md)];
    let found = flags(&d, &fields);
    let post = match choice {
        Choice::Check if !found.is_empty() => return Ok(Outcome::Flagged(found)),
        Choice::MoveToCase if !found.is_empty() => {
            let gid = parent.group_id;
            let group = state
                .db
                .run(move |c| match gid {
                    Some(g) => queries::actors::by_id(c, g),
                    None => Ok(None),
                })
                .await?
                .ok_or_else(no_cases)?;
            let after = case_of(state, author, &group, moved(&fields, &found)).await?;
            let body = without(body_md, "body", &found);
            super::qa::answer_then(state, author, parent, &body, Some(after)).await?
        }
        _ => super::qa::answer(state, author, parent, body_md).await?,
    };
    Ok(Outcome::Posted(Box::new(post)))
}

/// The organisation whose private case would hold details moved out of a post in
/// `group`: the first one a group here recognises (`None`: nothing can be moved there).
pub async fn case_org(state: &AppState, group: &Actor) -> AppResult<Option<i64>> {
    if !group.local {
        return Ok(None);
    }
    let gid = group.id;
    let orgs = state
        .db
        .run(move |c| queries::staff::group_orgs(c, gid))
        .await?;
    Ok(orgs.first().map(|o| o.id))
}

/// Whether details found in a post under `group_id` can be moved into a private case.
pub async fn can_move(state: &AppState, group_id: Option<i64>) -> bool {
    let Some(gid) = group_id else {
        return false;
    };
    let group = state.db.run(move |c| queries::actors::by_id(c, gid)).await;
    match group {
        Ok(Some(g)) => matches!(case_org(state, &g).await, Ok(Some(_))),
        _ => false,
    }
}

/// Longest subject of the case (bytes, within the case's limit).
const SUBJECT: usize = 150;

/// What opens, in the post's transaction, a private case of `author` with the
/// organisation `group` recognises, linked to the post's question and holding `moved`
/// as its first message (refused before anything is posted when no organisation can).
async fn case_of(
    state: &AppState,
    author: &Actor,
    group: &Actor,
    moved: Moved,
) -> AppResult<After> {
    let org_id = case_org(state, group).await?.ok_or_else(no_cases)?;
    let (base, group_id, author_id) = (state.base.clone(), group.id, author.id);
    let details = moved
        .details
        .iter()
        .map(|(field, kind, text)| format!("- {kind} ({field}): {text}"))
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Box::new(move |c, outbox, post| {
        let qid = post.question_id.unwrap_or(post.id);
        let title = match post.is_question() {
            true => post.title.clone(),
            false => queries::posts::by_id(c, qid)?.and_then(|q| q.title),
        };
        let mut subject = format!("Personal data: {}", title.unwrap_or_default());
        if subject.len() > SUBJECT {
            let mut cut = SUBJECT;
            while !subject.is_char_boundary(cut) {
                cut -= 1;
            }
            subject.truncate(cut);
        }
        let new = cases::OpenCase {
            org_id,
            group_id: Some(group_id),
            customer_actor_id: author_id,
            question_ids: vec![qid],
            priority: cases::Priority::Normal,
            origin: cases::Origin::PersonalData,
            subject,
            private_details: Some(format!(
                "Moved out of {} before it was posted:\n\n{details}",
                post.ap_id
            )),
        };
        cases::open_in(c, outbox, &base, new)?;
        Ok(())
    }))
}

/// Refuses moving details when no private case can hold them.
pub fn no_cases() -> AppError {
    AppError::Invalid("moving details into a private case is not available in this group".into())
}
