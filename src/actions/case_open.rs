//! Opening a case as someone signed in asks for it (the API's `POST /cases` and the
//! pages' forms): a customer from their question or a group's page, or staff from a
//! question of their staff inbox. Which organisation, which customer and which origin
//! follow from who asks and what for; then [`super::cases::open`].

use super::cases::{self, OpenCase, Origin, Priority};
use crate::db::models::{Actor, Post};
use crate::db::queries;
use crate::db::queries::cases::Case;
use crate::domain::cases as dc;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A request to open a case.
#[derive(Clone, Debug, Default)]
pub struct OpenRequest {
    /// Questions to link (the first one names the group and, for staff, the customer).
    pub question_ids: Vec<i64>,
    /// The organisation; by default the one the group recognises (for staff: theirs).
    pub organisation_id: Option<i64>,
    /// The group, when opened from a group's page without a question.
    pub group_id: Option<i64>,
    /// By default the first question's title.
    pub subject: Option<String>,
    pub private_details: Option<String>,
    /// By default `normal`.
    pub priority: Option<String>,
}

/// Opens a case for `by` (see the module's description).
pub async fn open_request(state: &AppState, by: &Actor, req: OpenRequest) -> AppResult<Case> {
    let priority = match req.priority.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() => dc::Priority::check(p)?,
        _ => Priority::Normal,
    };
    let by2 = by.clone();
    let ids = req.question_ids.clone();
    let (staff_org, questions) = state
        .db
        .run(move |c| {
            let org = super::rules::staff_org(c, &by2)?;
            let mut qs: Vec<Post> = Vec::new();
            for id in &ids {
                let q = queries::posts::by_id(c, *id)?
                    .filter(|q| q.is_question() && q.visible())
                    .ok_or_else(|| AppError::NotFound("no such question".into()))?;
                qs.push(q);
            }
            Ok((org, qs))
        })
        .await?;
    let first = questions.first();
    let group_id = req.group_id.or_else(|| first.and_then(|q| q.group_id));
    let subject = match req.subject.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => s.to_string(),
        _ => first
            .and_then(|q| q.title.clone())
            .ok_or_else(|| AppError::Invalid("a case needs a subject".into()))?,
    };
    // Staff opening a case about someone else's question.
    let as_staff = staff_org.as_ref().filter(|o| {
        first.is_some_and(|q| q.author_id != by.id)
            && req.organisation_id.is_none_or(|id| id == o.id)
    });
    let new = if let Some(org) = as_staff {
        let customer = first.map(|q| q.author_id).unwrap_or_default();
        if questions.iter().any(|q| q.author_id != customer) {
            return Err(AppError::Invalid(
                "the questions of one case are asked by one customer".into(),
            ));
        }
        let (gid, oid) = (group_id, org.id);
        let recognised = match gid {
            Some(g) => {
                state
                    .db
                    .run(move |c| queries::staff_console::recognises(c, g, oid))
                    .await?
            }
            None => false,
        };
        if !recognised {
            return Err(AppError::Forbidden(
                "this group does not recognise your organisation's staff".into(),
            ));
        }
        OpenCase {
            org_id: org.id,
            group_id,
            customer_actor_id: customer,
            question_ids: req.question_ids,
            priority,
            origin: Origin::Staff { by: by.id },
            subject,
            private_details: req.private_details,
        }
    } else {
        let org_id = match req.organisation_id {
            Some(o) => o,
            None => {
                let gid = group_id.ok_or_else(|| {
                    AppError::Invalid("open a case from a question or a group's page".into())
                })?;
                let orgs = state
                    .db
                    .run(move |c| queries::staff::group_orgs(c, gid))
                    .await?;
                match orgs.as_slice() {
                    [one] => one.id,
                    [] => {
                        return Err(AppError::Invalid(
                            "this group recognises no organisation to open a case with".into(),
                        ))
                    }
                    _ => {
                        return Err(AppError::Invalid(
                            "choose the organisation this case is for".into(),
                        ))
                    }
                }
            }
        };
        OpenCase {
            org_id,
            group_id,
            customer_actor_id: by.id,
            question_ids: req.question_ids,
            priority,
            origin: Origin::Customer,
            subject,
            private_details: req.private_details,
        }
    };
    cases::open(state, new).await
}
