//! Queueing outgoing activities for delivery: their ids, their stored rows and their
//! remote targets; and the `Accept` or `Reject` of a received `Follow`.

use super::wire::domain_of;
use crate::db::models::{Activity, Actor};
use crate::db::{ids::new_id, now_ms, queries};
use crate::error::AppResult;
use crate::state::AppState;
use crate::state::Ctx;
use serde_json::Value;
use url::Url;

/// A new activity id on this instance and the row id it is stored under.
pub fn new_activity_id(state: &AppState, kind: &str) -> (i64, String) {
    activity_id(&state.base, kind)
}

/// A new activity id on the instance at `base` and the row id it is stored under.
pub fn activity_id(base: &str, kind: &str) -> (i64, String) {
    let id = new_id();
    (
        id,
        format!("{}/activities/{}/{}", base, kind.to_lowercase(), id),
    )
}

/// The inboxes among `inboxes` that are valid URLs not on the `local` domain, with their
/// domains; sorted and de-duplicated.
pub fn remote_targets(local: &str, inboxes: Vec<String>) -> Vec<(String, String)> {
    let mut targets: Vec<(String, String)> = inboxes
        .into_iter()
        .filter_map(|inbox| {
            let url = Url::parse(&inbox).ok()?;
            let domain = domain_of(url.as_str())?;
            (domain != local).then_some((inbox, domain))
        })
        .collect();
    targets.sort();
    targets.dedup();
    targets
}

/// The remote inboxes among `inboxes` to deliver to, with their domains: valid URLs, not
/// on this instance and not on a refused instance; sorted and de-duplicated.
pub async fn targets(data: &Ctx, inboxes: Vec<String>) -> AppResult<Vec<(String, String)>> {
    let targets = remote_targets(data.domain(), inboxes);
    super::policy::filter_targets(data, targets).await
}

/// The stored row of `activity` (which must have `id` and `type`) as sent by the local
/// `actor`: its body is the activity with our `@context` in front.
pub fn activity_row(
    row_id: i64,
    actor: &Actor,
    activity: &Value,
    public: bool,
) -> AppResult<Activity> {
    Ok(Activity {
        id: row_id,
        ap_id: activity["id"].as_str().unwrap_or_default().to_string(),
        actor_id: actor.id,
        kind: activity["type"].as_str().unwrap_or("Activity").to_string(),
        body: super::to_json_with_context(activity)?,
        public,
        created_at: now_ms(),
    })
}

/// Stores `activity` as sent by the local `actor` and queues one delivery per distinct
/// remote inbox (see [`targets`]). Returns the activity (the stored body without its
/// `@context`).
pub async fn send(
    data: &Ctx,
    row_id: i64,
    actor: &Actor,
    activity: Value,
    inboxes: Vec<String>,
    public: bool,
) -> AppResult<Value> {
    let targets = targets(data, inboxes).await?;
    let row = activity_row(row_id, actor, &activity, public)?;
    let queued = data
        .db
        .run(move |c| queries::deliveries::enqueue(c, &row, &targets))
        .await?;
    if queued > 0 {
        data.delivery_notify.notify_one();
    }
    Ok(activity)
}
