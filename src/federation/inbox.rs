//! The inbox: size cap, JSON parse, `Digest` and HTTP-signature verification, replay and
//! duplicate protection, then dispatch to [`super::activities`].
//!
//! Answers: `202` accepted (also for a duplicate, which is a no-op, and for an activity
//! of no use here, such as one whose actor or parent is gone: logged), `400` malformed,
//! `401` bad signature, `403` blocked instance, `413` too large; `5xx` only for failures
//! that may pass (a remote server that did not answer, our database unavailable), so
//! that the sender retries those and only those.

use super::objects::FedActor;
use super::signing::{verify_digest, SignedRequest};
use super::wire::{domain_of, id_of, single_object};
use crate::db::models::Actor;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use activitypub_federation::fetch::object_id::ObjectId;
use axum::body::Body;
use axum::extract::Path;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use url::Url;

pub async fn shared_inbox(data: Ctx, req: Request<Body>) -> AppResult<StatusCode> {
    counted(receive(&data, req).await)
}

/// Counts the answer by status (`peerdesk_inbox_requests_total`).
fn counted(result: AppResult<StatusCode>) -> AppResult<StatusCode> {
    let status = match &result {
        Ok(s) => *s,
        Err(e) => e.status(),
    };
    metrics::counter!("peerdesk_inbox_requests_total", "status" => status.as_str().to_owned())
        .increment(1);
    result
}

pub async fn actor_inbox(
    data: Ctx,
    Path(name): Path<String>,
    req: Request<Body>,
) -> AppResult<StatusCode> {
    // Only known inboxes are remembered: a new actor's inbox works at once, and a
    // deleted one's stays open for at most the cache's ten seconds, as the shared inbox.
    if !data.local_inboxes.contains_key(&name) {
        let key = name.clone();
        let exists = data
            .db
            .run(move |c| queries::actors::local_by_name(c, &key))
            .await?
            .is_some_and(|a| !a.deleted);
        if !exists {
            return counted(Err(AppError::NotFound("no such actor".into())));
        }
        data.local_inboxes.insert(name, ());
    }
    counted(receive(&data, req).await)
}

async fn receive(data: &Ctx, req: Request<Body>) -> AppResult<StatusCode> {
    let _slot = data
        .inbox_slots
        .clone()
        .try_acquire_owned()
        .map_err(|_| AppError::Unavailable("the inbox is busy; retry later".into()))?;
    let (parts, body) = req.into_parts();
    let max = data.settings.inbox_max_bytes;
    let too_large = || AppError::TooLarge(format!("activity bodies are limited to {max} bytes"));
    if let Some(len) = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
    {
        if len > max {
            // Read (and drop) a moderately oversized body so that the client gets the
            // 413 instead of a connection reset; close at once on anything larger.
            if len <= max.saturating_mul(4) {
                let _ = axum::body::to_bytes(body, len).await;
            }
            return Err(too_large());
        }
    }
    let bytes = axum::body::to_bytes(body, max)
        .await
        .map_err(|_| too_large())?;
    let mut activity: Value = serde_json::from_slice(&bytes).map_err(AppError::json_input)?;
    crate::domain::input::strip_nul_parsed(&bytes, &mut activity);
    let id = activity
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| AppError::Invalid("activity has no id".into()))?;
    let actor_id = activity
        .get("actor")
        .and_then(id_of)
        .ok_or_else(|| AppError::Invalid("activity has no actor".into()))?
        .to_string();
    let kind = activity
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    single_object(&activity)?;
    verify_digest(&parts.headers, &bytes)?;
    let signed = SignedRequest::parse(
        &parts.method,
        &parts.uri,
        &parts.headers,
        data.domain(),
        true,
    )?;

    let actor_url = Url::parse(&actor_id)?;
    let actor_domain = domain_of(&actor_id).unwrap_or_default();
    if actor_domain == data.domain() {
        return Err(AppError::Invalid(
            "activities from this instance's own actors are not accepted here".into(),
        ));
    }
    if domain_of(id).as_deref() != Some(actor_domain.as_str()) {
        return Err(AppError::Invalid(
            "activity id and actor are on different domains".into(),
        ));
    }
    if !data.settings.insecure_federation && actor_url.scheme() != "https" {
        return Err(AppError::Invalid("actor must use https".into()));
    }
    if super::policy::refused(data, &actor_domain).await? {
        return Err(AppError::Forbidden(format!(
            "instance {actor_domain} does not federate with this one"
        )));
    }
    if let Some(relay) = relay_forwarding(data, &actor_id, &kind, &signed).await? {
        super::activities::listening::on_relayed(data, &relay, &activity).await?;
        return Ok(StatusCode::ACCEPTED);
    }
    use crate::domain::ratelimit::Action;
    let limited = match kind.as_str() {
        "Create" | "Update" => Some(Action::Post),
        "Like" | "Dislike" => Some(Action::Vote),
        "Flag" => Some(Action::Report),
        _ => None,
    };

    // A `Delete` of an actor we never knew needs no work (Mastodon sends these widely).
    if kind == "Delete" && activity.get("object").and_then(id_of) == Some(actor_id.as_str()) {
        let known = {
            let a = actor_id.clone();
            data.db
                .run(move |c| queries::actors::by_ap_id(c, &a))
                .await?
        };
        if known.is_none() {
            tracing::debug!(%actor_id, "ignoring Delete of an unknown actor");
            return Ok(StatusCode::ACCEPTED);
        }
    }

    // A deleted actor's `Delete`s are still taken: deleting an account sends the
    // deletions of its posts and of the actor itself, in no set order.
    let deletes = kind == "Delete";
    let Some(signer) = verified_signer(data, &actor_url, &signed, deletes).await? else {
        tracing::info!(%actor_id, %kind, "ignoring an activity whose actor no longer exists");
        return Ok(StatusCode::ACCEPTED);
    };
    if let Some(action) = limited {
        data.limits.instance(action, &actor_domain)?;
    }

    if let Some(queue) = data.inbound.get::<crate::federation::inbound::Queue>() {
        queue.accept(data, id, &signer, &bytes).await?;
        return Ok(StatusCode::ACCEPTED);
    }
    let object = super::ingest::prepare(&activity, &signer);
    match data.ingest.get::<crate::federation::ingest::Sender>() {
        Some(batches) => {
            let (reply, answer) = tokio::sync::oneshot::channel();
            let job = super::ingest::Job {
                activity,
                signer,
                object,
                recorded: false,
                reply,
            };
            batches
                .send(job)
                .await
                .map_err(|_| AppError::Unavailable("the inbox is stopping".into()))?;
            answer
                .await
                .map_err(|_| AppError::Unavailable("the inbox is stopping".into()))??;
        }
        None => super::ingest::process_one(data, &signer, activity, false).await?,
    }
    Ok(StatusCode::ACCEPTED)
}

/// Finds the activity's actor (cache, database, or fetch) and checks that the request is
/// signed with its key. A failed check with a stored key refetches the actor once, so a
/// rotated key is picked up. `None` when an actor not known here is gone (its server
/// answers `404` or `410`): nothing it sends is of use. A known actor that was deleted
/// is refused with `410`, unless `deleted_ok` (its `Delete`s, checked with its stored key).
async fn verified_signer(
    data: &Ctx,
    actor_url: &Url,
    signed: &SignedRequest,
    deleted_ok: bool,
) -> AppResult<Option<Actor>> {
    let key = actor_url.to_string();
    let actor = match data.actor_cache.get(&key).await {
        Some(a) => a,
        None => {
            let fetched = ObjectId::<FedActor>::from(actor_url.clone())
                .dereference(data)
                .await;
            let a = match fetched {
                Ok(a) => a.row,
                Err(AppError::NotFound(_) | AppError::Gone(_)) => return Ok(None),
                Err(e) if !e.is_transient() => {
                    return Err(AppError::Unauthenticated(
                        "the signing actor's document could not be read".into(),
                    ))
                }
                Err(e) => return Err(e),
            };
            data.actor_cache.insert(key.clone(), a.clone()).await;
            a
        }
    };
    if actor.deleted && !deleted_ok {
        return Err(AppError::Gone("the actor was deleted".into()));
    }
    if key_matches(&actor, signed.key_id()) && signed.verify(&actor.public_key_pem)? {
        return Ok(Some(actor));
    }
    data.actor_cache.invalidate(&key).await;
    let fresh = ObjectId::<FedActor>::from(actor_url.clone())
        .dereference_forced(data)
        .await
        .map_err(|_| AppError::Unauthenticated("HTTP signature does not verify".into()))?
        .row;
    if key_matches(&fresh, signed.key_id()) && signed.verify(&fresh.public_key_pem)? {
        data.actor_cache.insert(key, fresh.clone()).await;
        return Ok(Some(fresh));
    }
    Err(AppError::Unauthenticated(
        "HTTP signature does not verify with the actor's key".into(),
    ))
}

/// A relay subscribed to that forwards someone else's post, signed with its own key (as
/// Mastodon-style relays forward a `Create`): the relay, once its signature verifies.
/// `None` for anything else (signed by its own actor, or by an actor that is no relay
/// here: the usual checks then refuse it).
async fn relay_forwarding(
    data: &Ctx,
    actor_id: &str,
    kind: &str,
    signed: &SignedRequest,
) -> AppResult<Option<Actor>> {
    let owner = signed.key_id().split('#').next().unwrap_or_default();
    if owner == actor_id || !matches!(kind, "Create" | "Update" | "Announce") {
        return Ok(None);
    }
    if !super::activities::listening::is_relay(data, owner).await? {
        return Ok(None);
    }
    verified_signer(data, &Url::parse(owner)?, signed, false).await
}

fn key_matches(actor: &Actor, key_id: &str) -> bool {
    key_id == actor.public_key_id || key_id.split('#').next() == Some(actor.ap_id.as_str())
}

/// The actor that signed a fetch (an HTTP-signed `GET`, as servers fetch with their
/// instance actor or a person): `401` when the request is not signed or the signature
/// does not verify, `403` from a refused instance.
pub async fn fetch_signer(
    data: &Ctx,
    method: &http::Method,
    uri: &http::Uri,
    headers: &http::HeaderMap,
) -> AppResult<Actor> {
    let signed = SignedRequest::parse(method, uri, headers, data.domain(), false)?;
    let actor_id = signed
        .key_id()
        .split('#')
        .next()
        .unwrap_or_default()
        .to_string();
    let url = Url::parse(&actor_id)
        .map_err(|_| AppError::Unauthenticated("the signature's keyId is not a URL".into()))?;
    let domain = domain_of(&actor_id).unwrap_or_default();
    if domain == data.domain() {
        return Err(AppError::Unauthenticated(
            "fetches signed by this instance's own actors are not accepted".into(),
        ));
    }
    if super::policy::refused(data, &domain).await? {
        return Err(AppError::Forbidden(
            "fetches from this instance are refused".into(),
        ));
    }
    verified_signer(data, &url, &signed, false)
        .await?
        .ok_or_else(|| AppError::Unauthenticated("the signing actor is gone".into()))
}
