//! Relays and listening (see FEDERATION.md, "Relays and listening").
//!
//! Sent, by the instance actor: the subscription to a relay, a `Follow` of
//! `https://www.w3.org/ns/activitystreams#Public` to a Mastodon-style relay's inbox, or
//! of the relay's actor for a LitePub (Pleroma) relay, and its `Undo`. By a staff
//! member: a public reply to a post found by listening, a `Create{Note}` with
//! `inReplyTo` the post, `to` Public and `cc` its author (mentioned), as Mastodon
//! sends a public reply.
//!
//! ```json
//! {"id": ".../activities/follow/1", "type": "Follow", "actor": "<base>/actor",
//!  "object": "https://www.w3.org/ns/activitystreams#Public"}
//! ```
//!
//! Received: the relay's `Accept` or `Reject` of our `Follow` (embedded or by id) sets
//! the subscription's state, and tells which actor the relay is. From an accepted
//! relay, an `Announce` (the object as a URI or embedded) or a `Create`/`Update` it
//! forwards (signed by the relay, not by the author) is read from the object's own
//! server and goes to the listening matcher only ([`crate::federation::listening`]):
//! never stored as a post, never a question, even when it names a group here.

use super::case_message::CaseDm;
use crate::db::models::Actor;
use crate::db::queries::listening as lq;
use crate::error::{AppError, AppResult};
use crate::federation::incoming::fetch_object;
use crate::federation::wire::{domain_of, id_of, same_server};
use crate::federation::PUBLIC;
use crate::state::Ctx;
use serde_json::{json, Value};

/// The `Create` (activity `id`) of `actor`'s public reply `note_id` to the post
/// `in_reply_to` of `author`: to Public, `cc` the author, who is mentioned.
pub fn reply(
    id: String,
    note_id: String,
    actor: &Actor,
    author: &Actor,
    in_reply_to: &str,
    body_md: &str,
    published: String,
) -> AppResult<Value> {
    let dm = CaseDm::new(
        id,
        note_id.clone(),
        actor,
        author,
        body_md,
        Some(in_reply_to.to_string()),
        published,
    );
    let mut v = dm.json()?;
    let cc = json!([author.ap_id]);
    v["object"]["to"] = json!([PUBLIC]);
    v["object"]["cc"] = cc.clone();
    v["to"] = json!([PUBLIC]);
    v["cc"] = cc;
    v["object"]["url"] = json!(note_id);
    Ok(v)
}

/// The relay subscription a received `Accept`/`Reject` answers, if it answers one.
async fn subscription(
    data: &Ctx,
    signer: &Actor,
    activity: &Value,
) -> AppResult<Option<lq::Relay>> {
    let object = activity.get("object").cloned().unwrap_or(Value::Null);
    let follow_id = id_of(&object).unwrap_or_default().to_string();
    let found = if follow_id.is_empty() {
        None
    } else {
        data.db
            .run(move |c| lq::relay_by_follow(c, &follow_id))
            .await?
    };
    // Some relays answer with a Follow without id: then the pending subscription on the
    // signer's server, if there is one.
    let found = match found {
        Some(r) => Some(r),
        None if object.get("object").and_then(id_of) == Some(PUBLIC)
            || object.get("object").and_then(id_of) == Some(signer.ap_id.as_str()) =>
        {
            data.db
                .run(lq::relays)
                .await?
                .into_iter()
                .find(|r| r.state == lq::PENDING && same_server(&r.inbox, &signer.ap_id))
        }
        None => None,
    };
    Ok(found)
}

/// A relay's `Accept` (`accepted`) or `Reject` of our subscription: `Ok(false)` when it
/// answers none (an answer to a follow of someone else).
pub async fn on_answer(
    data: &Ctx,
    signer: &Actor,
    activity: &Value,
    accepted: bool,
) -> AppResult<bool> {
    let Some(relay) = subscription(data, signer, activity).await? else {
        return Ok(false);
    };
    let litepub_other = relay
        .actor_ap_id
        .as_deref()
        .is_some_and(|a| a != signer.ap_id);
    if domain_of(&relay.inbox) != domain_of(&signer.ap_id) || litepub_other {
        return Err(AppError::Forbidden(
            "only the relay can answer its subscription".into(),
        ));
    }
    let state = if accepted { lq::ACCEPTED } else { lq::REJECTED };
    let actor = signer.ap_id.clone();
    data.db
        .run(move |c| lq::set_relay_state(c, relay.id, state, &actor))
        .await?;
    tracing::info!(relay = %signer.ap_id, state, "relay answered the subscription");
    Ok(true)
}

/// Whether `actor` is a relay this instance subscribes to (accepted).
pub async fn is_relay(data: &Ctx, actor: &str) -> AppResult<bool> {
    let a = actor.to_string();
    Ok(data
        .db
        .run(move |c| lq::accepted_relay_by_actor(c, &a))
        .await?
        .is_some())
}

/// The id of the post a relayed activity carries: the object of an `Announce` (a URI,
/// an object, or an activity whose object it is), of a forwarded `Create` or `Update`.
fn relayed_object(activity: &Value) -> Option<String> {
    let object = activity.get("object")?;
    let inner = match object.get("object") {
        // An announced activity (a `Create`): its object.
        Some(inner) if object.get("actor").is_some() => inner,
        _ => object,
    };
    id_of(inner).map(str::to_string)
}

/// An activity relayed by `relay`: its post, read from the post's own server (neither
/// the relay nor the activity is trusted for its content), goes to the matcher.
pub async fn on_relayed(data: &Ctx, relay: &Actor, activity: &Value) -> AppResult<()> {
    if !crate::federation::listening::has_terms(data).await? {
        return Ok(());
    }
    let Some(id) = relayed_object(activity) else {
        return Err(AppError::Invalid("relayed activity without object".into()));
    };
    if same_server(&id, &data.base) {
        return Ok(()); // our own post, relayed back
    }
    let obj = match fetch_object(data, &id).await {
        Ok(o) => o,
        Err(e) if !e.is_transient() => {
            tracing::info!(%id, relay = %relay.ap_id, "relayed object cannot be had: {e}");
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    crate::federation::listening::collect(data, &obj, "relay").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_post_of_a_relayed_activity() {
        let note = "https://m.example/notes/1";
        for a in [
            json!({"type": "Announce", "object": note}),
            json!({"type": "Announce", "object": {"id": note, "type": "Note"}}),
            json!({"type": "Announce", "object": {"id": "https://m.example/c/1",
                "type": "Create", "actor": "https://m.example/u/a", "object": {"id": note}}}),
            json!({"type": "Create", "object": {"id": note, "type": "Note"}}),
        ] {
            assert_eq!(relayed_object(&a).as_deref(), Some(note), "{a}");
        }
        assert_eq!(relayed_object(&json!({"type": "Announce"})), None);
    }
}
