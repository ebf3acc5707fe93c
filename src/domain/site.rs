//! Local actors' rows: the ids and addresses of a new user, group or instance actor.

use crate::db::models::Actor;
use crate::db::now_ms;

/// Builds a new local actor row with its key pair `(private PEM, public PEM)` (made by
/// the state's `key_pair`). `path` is `u/NAME`, `g/NAME` or `actor`.
pub fn new_local_actor(
    base: &str,
    kind: &str,
    name: &str,
    path: &str,
    (private_pem, public_pem): (String, String),
) -> Actor {
    let ap_id = format!("{base}/{path}");
    let now = now_ms();
    let domain = base.split("://").nth(1).unwrap_or(base).to_string();
    Actor {
        id: crate::db::ids::new_id(),
        public_key_id: format!("{ap_id}#main-key"),
        inbox: format!("{ap_id}/inbox"),
        shared_inbox: Some(format!("{base}/inbox")),
        outbox: Some(format!("{ap_id}/outbox")),
        followers_url: Some(format!("{ap_id}/followers")),
        url: Some(ap_id.clone()),
        ap_id,
        kind: kind.into(),
        name: name.into(),
        domain,
        local: true,
        display_name: None,
        summary: None,
        icon: None,
        public_key_pem: public_pem,
        private_key_pem: Some(private_pem),
        manually_approves: false,
        deleted: false,
        raw: None,
        fetched_at: None,
        created_at: now,
        updated_at: now,
    }
}
