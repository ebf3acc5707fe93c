//! The ideas exchange on the thread page of an idea (`/q/{id}`): its status badge,
//! explanation and history, following it, and for its curators (the group's moderators,
//! admins, recognised staff) the status form and the merge form. Each form posts to
//! `/q/{id}/idea/...`, calls `actions::ideas` as the API does, and comes back to the
//! thread; a refusal is the thread again with what was typed and the message.

use super::thread::Draft;
use super::thread_forms::{message, refusal_status, Ctx2};
use crate::actions::ideas;
use crate::domain::ideas::{IdeaStatus, MAX_EXPLANATION};
use crate::error::AppError;
use crate::read::ideas::IdeaDetail;
use crate::state::Ctx;
use crate::web::i18n::Tr;
use crate::web::layout::redirect;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

/// What the idea forms had when refused.
#[derive(Default)]
pub struct IdeaDraft {
    pub status: String,
    pub explanation: String,
    pub into: String,
    pub note: String,
}

/// A status as the pages show it: its value (the badge's class) and its name.
pub struct StatusLabel {
    pub value: &'static str,
    pub label: String,
}

impl StatusLabel {
    pub fn new(tr: &Tr, status: IdeaStatus) -> StatusLabel {
        StatusLabel {
            value: status.as_str(),
            label: tr.t(&format!("idea-status-{}", status.as_str())),
        }
    }
}

/// One line of an idea's history.
pub struct HistoryLine {
    pub status: StatusLabel,
    pub explanation: String,
    pub by: String,
    pub at: String,
}

/// The idea part of the thread page.
pub struct IdeaPanel {
    pub status: StatusLabel,
    pub explanation: String,
    /// The idea a duplicate was merged into (its page).
    pub merged_into: Option<String>,
    pub history: Vec<HistoryLine>,
    pub following: bool,
    pub may_curate: bool,
    /// The statuses to choose from, the current one marked.
    pub choices: Vec<(StatusLabel, bool)>,
    pub draft: IdeaDraft,
}

impl IdeaPanel {
    pub fn new(d: IdeaDetail, tr: &Tr, draft: IdeaDraft) -> IdeaPanel {
        let chosen = match draft.status.as_str() {
            "" => d.status.as_str().to_string(),
            s => s.to_string(),
        };
        IdeaPanel {
            status: StatusLabel::new(tr, d.status),
            explanation: d.explanation,
            merged_into: d.merged_into.map(|id| format!("/q/{id}")),
            history: d
                .history
                .into_iter()
                .rev()
                .map(|h| HistoryLine {
                    status: StatusLabel::new(tr, h.status),
                    explanation: h.explanation,
                    by: h.by.unwrap_or_default(),
                    at: super::date(&h.at),
                })
                .collect(),
            following: d.following,
            may_curate: d.may_curate && d.status != IdeaStatus::Merged,
            choices: IdeaStatus::CHOSEN
                .into_iter()
                .map(|s| (StatusLabel::new(tr, s), s.as_str() == chosen))
                .collect(),
            draft,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    pub csrf: String,
    pub status: String,
    pub explanation: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MergeForm {
    pub csrf: String,
    /// The other idea: its id or its address here (`/q/{id}`).
    pub into: String,
    pub note: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FollowForm {
    pub csrf: String,
    /// `follow` or `unfollow`.
    pub op: String,
}

/// The refused form's message, by the action's refusal.
fn refusal(tr: &Tr, e: &AppError) -> String {
    match e {
        AppError::Forbidden(_) => tr.t("idea-refused"),
        AppError::Conflict(_) => tr.t("idea-merged-already"),
        AppError::Invalid(_) | AppError::NotFound(_) => tr.t("idea-invalid"),
        e => message(tr, e, false, "-"),
    }
}

/// Sets the idea's status.
pub async fn status(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> Response {
    let back = format!("/q/{id}#idea");
    let (cx, actor, back) =
        match Ctx2::posting(&data, &headers, id, Some(&f.csrf), Some(back)).await {
            Ok(posting) => posting,
            Err(resp) => return resp,
        };
    let result = match IdeaStatus::parse(&f.status).filter(|s| *s != IdeaStatus::Merged) {
        Some(s) => ideas::set_status(&data, &actor, cx.qid, s, &f.explanation)
            .await
            .map(|_| ()),
        None => Err(AppError::Invalid("choose a status".into())),
    };
    match result {
        Ok(()) => redirect(&back),
        Err(e) => {
            let mut draft = Draft::default();
            let too_long = f.explanation.trim().chars().count() > MAX_EXPLANATION;
            let text = match &e {
                AppError::Invalid(_) if too_long => {
                    cx.tr.n("idea-explanation-too-long", MAX_EXPLANATION as i64)
                }
                e => refusal(&cx.tr, e),
            };
            draft.errors.add("idea", text);
            draft.idea = IdeaDraft {
                status: f.status,
                explanation: f.explanation,
                ..IdeaDraft::default()
            };
            cx.thread(&data, draft, refusal_status(&e)).await
        }
    }
}

/// Merges the idea into another one.
pub async fn merge(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<MergeForm>,
) -> Response {
    let (cx, actor, _) = match Ctx2::posting(&data, &headers, id, Some(&f.csrf), None).await {
        Ok(posting) => posting,
        Err(resp) => return resp,
    };
    let into = f
        .into
        .trim()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .and_then(|s| s.split('#').next())
        .and_then(|s| s.parse::<i64>().ok());
    let result = match into {
        Some(into) => ideas::merge(&data, &actor, cx.qid, into, &f.note).await,
        None => Err(AppError::Invalid("name the other idea".into())),
    };
    match (result, into) {
        (Ok(_), Some(into)) => redirect(&format!("/q/{into}")),
        (Ok(_), None) => redirect(&format!("/q/{}", cx.qid)),
        (Err(e), _) => {
            let mut draft = Draft::default();
            let text = match &e {
                AppError::Invalid(_) | AppError::NotFound(_) => cx.tr.t("idea-merge-unknown"),
                e => refusal(&cx.tr, e),
            };
            draft.errors.add("merge", text);
            draft.idea = IdeaDraft {
                into: f.into,
                note: f.note,
                ..IdeaDraft::default()
            };
            cx.thread(&data, draft, refusal_status(&e)).await
        }
    }
}

/// Follows or unfollows the idea.
pub async fn follow(
    data: Ctx,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<FollowForm>,
) -> Response {
    let back = format!("/q/{id}#idea");
    let (cx, actor, back) =
        match Ctx2::posting(&data, &headers, id, Some(&f.csrf), Some(back)).await {
            Ok(posting) => posting,
            Err(resp) => return resp,
        };
    let result = ideas::follow(&data, &actor, cx.qid, f.op != "unfollow").await;
    match result {
        Ok(()) => redirect(&back),
        Err(e) => {
            let mut draft = Draft::default();
            draft.errors.add("idea", refusal(&cx.tr, &e));
            cx.thread(&data, draft, refusal_status(&e)).await
        }
    }
}
