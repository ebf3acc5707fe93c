//! The organisations' CRMs: their API tokens (made by the organisation's staff or an
//! admin, shown once, stored as a SHA-256, revocable) and what a token may do: set the
//! status or the CRM's own ticket id of one of its organisation's cases, and add a
//! message to it. Another organisation's case does not exist for the token (404).

use super::cases::{self, Status};
use super::commit;
use crate::db::ids::new_id;
use crate::db::models::User;
use crate::db::now_ms;
use crate::db::queries;
use crate::db::queries::cases::{self as cq, Case, CaseMessage, CrmToken};
use crate::domain::cases as dc;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

fn check_manage(user: &User, org: i64) -> AppResult<()> {
    if super::webhooks::may_manage(user, org) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only admins and the organisation's staff manage its CRM tokens".into(),
        ))
    }
}

/// An organisation's tokens, newest first (the revoked ones too).
pub async fn tokens(state: &AppState, user: &User, org: i64) -> AppResult<Vec<CrmToken>> {
    check_manage(user, org)?;
    state
        .db
        .run(move |c| {
            queries::staff::org(c, org)?
                .ok_or_else(|| AppError::NotFound("no such organisation".into()))?;
            cq::tokens_of(c, org)
        })
        .await
}

/// Makes a token named `name` for `org`; returns it with its value (shown this once).
pub async fn create_token(
    state: &AppState,
    user: &User,
    org: i64,
    name: &str,
) -> AppResult<(CrmToken, String)> {
    check_manage(user, org)?;
    let name = dc::check_token_name(name)?;
    let value = dc::new_token();
    let row = CrmToken {
        id: new_id(),
        organisation_id: org,
        name,
        token_hash: dc::token_hash(&value),
        prefix: dc::token_display_prefix(&value),
        created_by: Some(user.id),
        created_at: now_ms(),
        last_used_at: None,
        revoked_at: None,
    };
    let stored = row.clone();
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                queries::staff::org(c, org)?
                    .ok_or_else(|| AppError::NotFound("no such organisation".into()))?;
                cq::insert_token(c, &stored)
            })
        })
        .await?;
    Ok((row, value))
}

/// Revokes the token `id` of `org`.
pub async fn revoke_token(state: &AppState, user: &User, org: i64, id: i64) -> AppResult<()> {
    check_manage(user, org)?;
    if state.db.run(move |c| cq::revoke_token(c, org, id)).await? {
        Ok(())
    } else {
        Err(AppError::NotFound("no such token".into()))
    }
}

/// The live token whose value is `value` (401 otherwise); its use is recorded.
pub async fn authenticate(state: &AppState, value: &str) -> AppResult<CrmToken> {
    let hash = dc::token_hash(value);
    let token = state
        .db
        .run(move |c| {
            let t = cq::token_by_hash(c, &hash)?.filter(|t| t.revoked_at.is_none());
            if let Some(t) = &t {
                cq::touch_token(c, t.id)?;
            }
            Ok(t)
        })
        .await?;
    token.ok_or_else(|| {
        AppError::Unauthenticated(
            "unknown or revoked CRM token: Authorization: Bearer pdcrm_…".into(),
        )
    })
}

/// The case `number` of the token's organisation (404 for any other).
fn case_of(c: &mut crate::db::DbConn, token: &CrmToken, number: i64) -> AppResult<Case> {
    cq::by_number(c, number)?
        .filter(|k| k.organisation_id == token.organisation_id)
        .ok_or_else(|| AppError::NotFound("no such case".into()))
}

/// The CRM sets the status and/or its ticket id (`Some("")` clears it) of a case.
pub async fn update(
    state: &AppState,
    token: &CrmToken,
    number: i64,
    status: Option<&str>,
    ticket_id: Option<&str>,
) -> AppResult<Case> {
    let status = status.map(Status::check).transpose()?;
    let ticket = ticket_id.map(dc::check_ticket_id).transpose()?;
    let (token, base) = (token.clone(), state.base.clone());
    commit(state, move |c, _| {
        let case = case_of(c, &token, number)?;
        let mut next = case.clone();
        let mut changed: Vec<&str> = Vec::new();
        if let Some(s) = status.filter(|s| s.as_str() != case.status) {
            next.status = s.as_str().into();
            changed.push("status");
        }
        if let Some(t) = ticket.filter(|t| *t != case.crm_ticket_id) {
            next.crm_ticket_id = t;
            changed.push("crm_ticket_id");
        }
        if changed.is_empty() {
            return Ok(case);
        }
        let by = format!("crm:{}", token.name);
        cases::apply_changes(c, &base, next, &changed, &by, None)
    })
    .await
}

/// The CRM adds a message to a case (sent to a customer elsewhere by the case's
/// assignee, or by the instance when nobody is assigned).
pub async fn message(
    state: &AppState,
    token: &CrmToken,
    number: i64,
    body: &str,
) -> AppResult<CaseMessage> {
    let body = dc::check_message(body)?;
    let (token, base) = (token.clone(), state.base.clone());
    commit(state, move |c, outbox| {
        let case = case_of(c, &token, number)?;
        if case.status == Status::Closed.as_str() {
            return Err(AppError::Invalid(
                "this case is closed; reopen it first".into(),
            ));
        }
        let customer = queries::actors::by_id(c, case.customer_id)?
            .ok_or_else(|| AppError::NotFound("no such case".into()))?;
        let sender = match case.assignee_id {
            Some(a) => queries::actors::by_id(c, a)?.filter(|a| a.local),
            None => None,
        };
        let m = cases::store_message(c, outbox, &case, &customer, "crm", sender.as_ref(), &body)?;
        cases::after_message(c, &base, case, &m, None)?;
        Ok(m)
    })
    .await
}
