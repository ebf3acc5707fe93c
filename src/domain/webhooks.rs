//! Outgoing webhooks as the Standard Webhooks specification describes them: the event
//! types, the JSON bodies, the `whsec_` secrets and the `webhook-signature` header
//! (`v1,` + base64 of HMAC-SHA256 over `{id}.{timestamp}.{body}`, one per active secret,
//! space-separated). What is queued when is decided in `actions::webhooks`; the worker
//! that sends is `federation::webhooks`.

use crate::db::models::{Actor, Post};
use crate::db::rfc3339;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub const QUESTION_CREATED: &str = "question.created";
pub const ANSWER_CREATED: &str = "answer.created";
pub const ANSWER_ACCEPTED: &str = "answer.accepted";
pub const REPORT_CREATED: &str = "report.created";
pub const CASE_CREATED: &str = "case.created";
pub const CASE_UPDATED: &str = "case.updated";
pub const CASE_MESSAGE: &str = "case.message";

/// Every event type an endpoint may subscribe to.
pub const EVENT_TYPES: [&str; 7] = [
    QUESTION_CREATED,
    ANSWER_CREATED,
    ANSWER_ACCEPTED,
    REPORT_CREATED,
    CASE_CREATED,
    CASE_UPDATED,
    CASE_MESSAGE,
];

/// The most endpoints an organisation may have, and secrets an endpoint may hold.
pub const MAX_ENDPOINTS: usize = 20;
pub const MAX_SECRETS: usize = 5;

/// The event types of `types` (deduplicated, in [`EVENT_TYPES`] order); an unknown or
/// missing one is refused with the list of known ones.
pub fn check_events(types: &[String]) -> Result<Vec<&'static str>, String> {
    if types.is_empty() {
        return Err(format!(
            "choose at least one event type: {}",
            EVENT_TYPES.join(", ")
        ));
    }
    for t in types {
        if !EVENT_TYPES.contains(&t.as_str()) {
            return Err(format!(
                "unknown event type; event types are {}",
                EVENT_TYPES.join(", ")
            ));
        }
    }
    Ok(EVENT_TYPES
        .into_iter()
        .filter(|e| types.iter().any(|t| t == e))
        .collect())
}

/// A new secret: `whsec_` and the base64 of 32 random bytes.
pub fn new_secret() -> String {
    let key: [u8; 32] = rand::random();
    format!("whsec_{}", B64.encode(key))
}

/// The key of a `whsec_` secret (the base64 part, decoded).
pub fn secret_key(secret: &str) -> Option<Vec<u8>> {
    B64.decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .ok()
}

/// HMAC-SHA256 (RFC 2104) of `msg` under `key`.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    inner.update(msg);
    let inner = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner);
    outer.finalize().into()
}

/// The `webhook-signature` header for message `id` sent at `timestamp` (seconds) with
/// `body`: one `v1,SIGNATURE` per secret, space-separated.
pub fn signature(secrets: &[String], id: &str, timestamp: i64, body: &str) -> String {
    let signed = format!("{id}.{timestamp}.{body}");
    secrets
        .iter()
        .filter_map(|s| secret_key(s))
        .map(|key| format!("v1,{}", B64.encode(hmac_sha256(&key, signed.as_bytes()))))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `webhook-id` of a queued delivery.
pub fn message_id(delivery_id: i64) -> String {
    format!("msg_{delivery_id}")
}

/// A post as a payload shows it.
fn post(p: &Post, author: Option<&Actor>) -> Value {
    json!({
        "id": p.id.to_string(),
        "url": p.url.clone().unwrap_or_else(|| p.ap_id.clone()),
        "title": p.title,
        "question_id": p.question_id.map(|q| q.to_string()),
        "author": author.map(handle),
        "published": rfc3339(p.published_at),
    })
}

fn handle(a: &Actor) -> String {
    format!("{}@{}", a.name, a.domain)
}

fn group(g: &Actor) -> Value {
    json!({ "name": g.name, "handle": handle(g), "url": g.ap_id })
}

/// The body of an event: `{"type", "timestamp", "data"}`.
pub fn body(event_type: &str, at_ms: i64, data: Value) -> String {
    json!({ "type": event_type, "timestamp": rfc3339(at_ms), "data": data }).to_string()
}

/// `question.created`: `data.question`, `data.group`.
pub fn question_created(question: &Post, author: &Actor, g: &Actor, at_ms: i64) -> String {
    body(
        QUESTION_CREATED,
        at_ms,
        json!({ "question": post(question, Some(author)), "group": group(g) }),
    )
}

/// `answer.created`: `data.answer`, `data.question`, `data.group`.
pub fn answer_created(
    answer: &Post,
    author: &Actor,
    question: Option<&Post>,
    g: &Actor,
    at_ms: i64,
) -> String {
    body(
        ANSWER_CREATED,
        at_ms,
        json!({
            "answer": post(answer, Some(author)),
            "question": question.map(|q| post(q, None)),
            "group": group(g),
        }),
    )
}

/// `answer.accepted`: `data.answer`, `data.question`, `data.group`, `data.accepted_by`.
pub fn answer_accepted(
    question: &Post,
    answer: &Post,
    by: &Actor,
    g: &Actor,
    at_ms: i64,
) -> String {
    body(
        ANSWER_ACCEPTED,
        at_ms,
        json!({
            "answer": post(answer, None),
            "question": post(question, None),
            "group": group(g),
            "accepted_by": handle(by),
        }),
    )
}

/// `report.created`: `data.report` (the reason, the post and user reported; never the
/// reporter), `data.group`.
pub fn report_created(
    reason: &str,
    reported_post: Option<&Post>,
    reported: &Actor,
    g: &Actor,
    at_ms: i64,
) -> String {
    body(
        REPORT_CREATED,
        at_ms,
        json!({
            "report": {
                "reason": reason,
                "post": reported_post.map(|p| post(p, None)),
                "reported_user": handle(reported),
            },
            "group": group(g),
        }),
    )
}

/// A case as the payloads of case events show it.
pub struct CaseData<'a> {
    pub case: &'a crate::db::queries::cases::Case,
    pub url: String,
    pub organisation: &'a crate::db::models::Organisation,
    pub customer: &'a Actor,
    pub assignee: Option<&'a Actor>,
    pub questions: &'a [Post],
}

fn case_json(d: &CaseData) -> Value {
    json!({
        "number": d.case.number,
        "url": d.url,
        "subject": d.case.subject,
        "status": d.case.status,
        "priority": d.case.priority,
        "origin": d.case.origin,
        "organisation": { "id": d.organisation.id.to_string(), "name": d.organisation.name },
        "customer": handle(d.customer),
        "assignee": d.assignee.map(handle),
        "crm_ticket_id": d.case.crm_ticket_id,
        "public_note": d.case.public_note,
        "questions": d.questions.iter().map(|q| post(q, None)).collect::<Vec<_>>(),
        "created": rfc3339(d.case.created_at),
        "updated": rfc3339(d.case.updated_at),
    })
}

fn message_json(m: &crate::db::queries::cases::CaseMessage, author: Option<&Actor>) -> Value {
    json!({
        "id": m.id.to_string(),
        "author_kind": m.author_kind,
        "author": author.map(handle),
        "body": m.body_md,
        "created": rfc3339(m.created_at),
    })
}

/// `case.created`: `data.case`, and `data.message` (the customer's private details) when
/// the case was opened with some.
pub fn case_created(
    d: &CaseData,
    first: Option<(&crate::db::queries::cases::CaseMessage, Option<&Actor>)>,
    at_ms: i64,
) -> String {
    body(
        CASE_CREATED,
        at_ms,
        json!({ "case": case_json(d), "message": first.map(|(m, a)| message_json(m, a)) }),
    )
}

/// `case.updated`: `data.case` as it is now, `data.changed` (the fields that changed:
/// status, priority, assignee, crm_ticket_id, public_note, questions), `data.by`.
pub fn case_updated(d: &CaseData, changed: &[&str], by: &str, at_ms: i64) -> String {
    body(
        CASE_UPDATED,
        at_ms,
        json!({ "case": case_json(d), "changed": changed, "by": by }),
    )
}

/// `case.message`: `data.case`, `data.message`.
pub fn case_message(
    d: &CaseData,
    m: &crate::db::queries::cases::CaseMessage,
    author: Option<&Actor>,
    at_ms: i64,
) -> String {
    body(
        CASE_MESSAGE,
        at_ms,
        json!({ "case": case_json(d), "message": message_json(m, author) }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231() {
        // RFC 4231, test case 2.
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn signature_matches_the_specifications_example() {
        // The example of the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".to_string();
        let body = r#"{"test": 2432232314}"#;
        let sig = signature(&[secret], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body);
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn events_are_checked() {
        assert!(check_events(&[]).is_err());
        assert!(check_events(&["question.deleted".into()]).is_err());
        assert_eq!(
            check_events(&["answer.created".into(), "question.created".into()]).unwrap(),
            vec![QUESTION_CREATED, ANSWER_CREATED]
        );
    }
}
