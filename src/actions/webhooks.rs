//! Organisations' outgoing webhooks: managing endpoints (admins and the organisation's
//! staff) and queueing events in the transaction of the action that causes them.
//!
//! Every local action commits through [`super::commit`], whose outbox is wrapped in a
//! [`Tap`]: when the action records a new question or answer, an accepted answer or a
//! report, the tap queues one webhook delivery per endpoint that takes the event (the
//! endpoints of the organisations that the post's group recognises) on the same
//! connection, before the activity itself. An action that fails queues nothing.

use super::outbox::{Outbox, Outgoing};
use crate::db::models::{Actor, Organisation, Post, User, ANSWER, QUESTION};
use crate::db::queries;
use crate::db::queries::webhooks::{self as wq, Endpoint, Secret, WebhookDelivery};
use crate::db::{now_ms, DbConn};
use crate::domain::webhooks as hooks;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// The outbox of a local action, queueing webhooks before it records the activity.
pub struct Tap<'a>(pub &'a dyn Outbox);

impl Outbox for Tap<'_> {
    fn record(&self, c: &mut DbConn, actor: &Actor, event: Outgoing) -> AppResult<String> {
        queue_for(c, actor, &event)?;
        self.0.record(c, actor, event)
    }

    fn fault(&self) -> AppResult<()> {
        self.0.fault()
    }
}

/// Builds an event's body when some endpoint takes it.
type Payload<'a> = Box<dyn FnOnce(&mut DbConn) -> AppResult<String> + 'a>;

/// Queues the webhooks that `event` by `actor` causes, on the open transaction.
pub fn queue_for(c: &mut DbConn, actor: &Actor, event: &Outgoing) -> AppResult<usize> {
    let now = now_ms();
    let (group, kind, payload): (&Actor, &str, Payload) = match event {
        Outgoing::Create { post, group } if post.kind == QUESTION => (
            group,
            hooks::QUESTION_CREATED,
            Box::new(move |_| Ok(hooks::question_created(post, actor, group, now))),
        ),
        Outgoing::Create { post, group } if post.kind == ANSWER => (
            group,
            hooks::ANSWER_CREATED,
            Box::new(move |c| {
                let question = match post.question_id {
                    Some(q) => queries::posts::by_id(c, q)?,
                    None => None,
                };
                Ok(hooks::answer_created(
                    post,
                    actor,
                    question.as_ref(),
                    group,
                    now,
                ))
            }),
        ),
        Outgoing::Accept {
            question,
            answer,
            group,
        } => (
            group,
            hooks::ANSWER_ACCEPTED,
            Box::new(move |_| Ok(hooks::answer_accepted(question, answer, actor, group, now))),
        ),
        Outgoing::Report(r) => {
            let Some(group) = r.group.as_ref() else {
                return Ok(0);
            };
            (
                group,
                hooks::REPORT_CREATED,
                Box::new(move |_| {
                    Ok(hooks::report_created(
                        &r.reason,
                        r.post.as_ref(),
                        &r.author,
                        group,
                        now,
                    ))
                }),
            )
        }
        _ => return Ok(0),
    };
    queue_event(c, group.id, kind, payload)
}

/// Queues `kind` about a post in `group` for the endpoints that take it (the body is
/// built only when some do). Also used for events received by federation.
pub fn queue_event(
    c: &mut DbConn,
    group: i64,
    kind: &str,
    payload: impl FnOnce(&mut DbConn) -> AppResult<String>,
) -> AppResult<usize> {
    let endpoints = wq::subscribers(c, group, kind)?;
    if endpoints.is_empty() {
        return Ok(0);
    }
    let body = payload(c)?;
    wq::enqueue(c, &endpoints, kind, &body)
}

/// `question.created` and `answer.created` for posts received by federation (the new
/// ones of a batch or of one activity), on the transaction that stores them. Costs one
/// query when no group that recognises an organisation has an endpoint.
pub fn queue_received(c: &mut DbConn, posts: &[&Post]) -> AppResult<usize> {
    let groups = wq::groups_with_endpoints(c)?;
    if groups.is_empty() {
        return Ok(0);
    }
    let mut queued = 0;
    for post in posts {
        let Some(gid) = post.group_id.filter(|g| groups.contains(g)) else {
            continue;
        };
        let (Some(author), Some(group)) = (
            queries::actors::by_id(c, post.author_id)?,
            queries::actors::by_id(c, gid)?,
        ) else {
            continue;
        };
        let event = Outgoing::Create {
            post: (*post).clone(),
            group,
        };
        queued += queue_for(c, &author, &event)?;
    }
    Ok(queued)
}

/// `answer.accepted` for an accepted answer received by federation, chosen by `by`.
pub fn queue_received_accept(
    c: &mut DbConn,
    question: &Post,
    answer: &Post,
    by: &Actor,
) -> AppResult<usize> {
    let Some(gid) = question.group_id else {
        return Ok(0);
    };
    if !wq::groups_with_endpoints(c)?.contains(&gid) {
        return Ok(0);
    }
    let Some(group) = queries::actors::by_id(c, gid)? else {
        return Ok(0);
    };
    let event = Outgoing::Accept {
        question: question.clone(),
        answer: answer.clone(),
        group,
    };
    queue_for(c, by, &event)
}

/// Whether `user` may manage the webhooks of `org`: admins, and the organisation's staff.
pub fn may_manage(user: &User, org: i64) -> bool {
    user.is_admin || user.organisation_id == Some(org)
}

fn check_manage(user: &User, org: i64) -> AppResult<()> {
    if may_manage(user, org) {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only admins and the organisation's staff may manage its webhooks".into(),
        ))
    }
}

/// An endpoint's URL: http(s), allowed by the outgoing-URL policy.
fn check_url(state: &AppState, url: &str) -> AppResult<String> {
    let url = url.trim();
    if url.len() > 2000 {
        return Err(AppError::Invalid(
            "a webhook URL has at most 2000 bytes".into(),
        ));
    }
    state
        .net
        .check_str(url)
        .map_err(|why| AppError::Invalid(format!("this webhook URL cannot be used: {why}")))?;
    Ok(url.to_string())
}

/// An endpoint as its managers see it.
pub struct EndpointView {
    pub endpoint: Endpoint,
    /// Active secrets (the values are only shown when made).
    pub secrets: Vec<Secret>,
}

/// The organisation `org`, which must exist, for a manager.
pub async fn organisation(state: &AppState, user: &User, org: i64) -> AppResult<Organisation> {
    check_manage(user, org)?;
    state
        .db
        .run(move |c| queries::staff::org(c, org))
        .await?
        .ok_or_else(|| AppError::NotFound("no such organisation".into()))
}

/// An organisation's endpoints with their secrets.
pub async fn list(state: &AppState, user: &User, org: i64) -> AppResult<Vec<EndpointView>> {
    organisation(state, user, org).await?;
    state
        .db
        .run(move |c| {
            wq::of_org(c, org)?
                .into_iter()
                .map(|endpoint| {
                    let secrets = wq::secrets(c, endpoint.id)?;
                    Ok(EndpointView { endpoint, secrets })
                })
                .collect()
        })
        .await
}

/// Creates an endpoint; returns it with its secret (shown this once).
pub async fn create(
    state: &AppState,
    user: &User,
    org: i64,
    url: &str,
    events: &[String],
) -> AppResult<(Endpoint, Secret)> {
    organisation(state, user, org).await?;
    let url = check_url(state, url)?;
    let events = hooks::check_events(events).map_err(AppError::Invalid)?;
    let secret = hooks::new_secret();
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                if wq::of_org(c, org)?.len() >= hooks::MAX_ENDPOINTS {
                    return Err(AppError::Invalid(format!(
                        "an organisation has at most {} webhook endpoints",
                        hooks::MAX_ENDPOINTS
                    )));
                }
                let ep = wq::create(c, org, &url, &events, &secret)?;
                let secret = wq::secrets(c, ep.id)?
                    .pop()
                    .ok_or_else(|| AppError::Internal("secret not stored".into()))?;
                Ok((ep, secret))
            })
        })
        .await
}

/// The endpoint `id` of `org`, for a manager.
async fn endpoint_of(state: &AppState, user: &User, org: i64, id: i64) -> AppResult<Endpoint> {
    check_manage(user, org)?;
    state
        .db
        .run(move |c| wq::get(c, id))
        .await?
        .filter(|e| e.organisation_id == org)
        .ok_or_else(|| AppError::NotFound("no such webhook endpoint".into()))
}

/// Rotation: adds a new secret (returned, shown this once); the older ones stay active
/// until removed.
pub async fn rotate(state: &AppState, user: &User, org: i64, id: i64) -> AppResult<Secret> {
    endpoint_of(state, user, org, id).await?;
    let secret = hooks::new_secret();
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                if wq::secrets(c, id)?.len() >= hooks::MAX_SECRETS {
                    return Err(AppError::Invalid(format!(
                        "an endpoint has at most {} secrets; remove an old one first",
                        hooks::MAX_SECRETS
                    )));
                }
                wq::add_secret(c, id, &secret)
            })
        })
        .await
}

/// Removes one secret; the last one cannot be removed.
pub async fn remove_secret(
    state: &AppState,
    user: &User,
    org: i64,
    id: i64,
    secret: i64,
) -> AppResult<()> {
    endpoint_of(state, user, org, id).await?;
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                let secrets = wq::secrets(c, id)?;
                if !secrets.iter().any(|s| s.id == secret) {
                    return Err(AppError::NotFound("no such secret".into()));
                }
                if secrets.len() == 1 {
                    return Err(AppError::Invalid(
                        "an endpoint keeps at least one secret; rotate first".into(),
                    ));
                }
                wq::remove_secret(c, id, secret)?;
                Ok(())
            })
        })
        .await
}

/// Enables or disables an endpoint. Enabling ends its failure run; its waiting
/// deliveries go out again.
pub async fn set_enabled(
    state: &AppState,
    user: &User,
    org: i64,
    id: i64,
    enabled: bool,
) -> AppResult<Endpoint> {
    endpoint_of(state, user, org, id).await?;
    let who = user.username.clone();
    state
        .db
        .run(move |c| {
            let reason = format!("disabled by {who}");
            wq::set_enabled(c, id, enabled, Some(&reason))?;
            wq::get(c, id)?.ok_or_else(|| AppError::NotFound("no such webhook endpoint".into()))
        })
        .await
}

/// Deletes an endpoint with its secrets and its log.
pub async fn delete(state: &AppState, user: &User, org: i64, id: i64) -> AppResult<()> {
    endpoint_of(state, user, org, id).await?;
    state.db.run(move |c| wq::delete(c, id)).await
}

/// The latest deliveries of an endpoint, newest first.
pub async fn log(
    state: &AppState,
    user: &User,
    org: i64,
    id: i64,
) -> AppResult<(Endpoint, Vec<WebhookDelivery>)> {
    let ep = endpoint_of(state, user, org, id).await?;
    let rows = state.db.run(move |c| wq::log(c, id, 50)).await?;
    Ok((ep, rows))
}

/// Sends a delivery again, with the same webhook-id.
pub async fn redeliver(
    state: &AppState,
    user: &User,
    org: i64,
    id: i64,
    delivery: i64,
) -> AppResult<()> {
    endpoint_of(state, user, org, id).await?;
    if !state
        .db
        .run(move |c| wq::redeliver(c, id, delivery))
        .await?
    {
        return Err(AppError::NotFound("no such delivery".into()));
    }
    state.delivery_notify.notify_one();
    Ok(())
}
