//! Organisations' webhook endpoints, their signing secrets, and the persistent webhook
//! delivery queue (which is also each endpoint's delivery log).

use crate::db::ids::new_id;
use crate::db::queries::notifications::Notification;
use crate::db::schema::{
    group_organisations as go, notifications as n, users, webhook_deliveries as wd,
    webhook_endpoints as we, webhook_secrets as ws,
};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

/// The notification kind that tells admins an endpoint was disabled.
pub const DISABLED_NOTICE: &str = "webhook_disabled";

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = webhook_endpoints)]
pub struct Endpoint {
    pub id: i64,
    pub organisation_id: i64,
    pub url: String,
    /// Space-separated event types.
    pub events: String,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Endpoint {
    pub fn subscribes(&self, event_type: &str) -> bool {
        self.events.split(' ').any(|e| e == event_type)
    }
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = webhook_secrets)]
pub struct Secret {
    pub id: i64,
    pub endpoint_id: i64,
    pub secret: String,
    pub created_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = webhook_deliveries)]
pub struct WebhookDelivery {
    pub id: i64,
    pub endpoint_id: i64,
    pub event_type: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: i64,
    pub locked_until: i64,
    pub last_error: Option<String>,
    pub response_code: Option<i32>,
    pub delivered_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

use crate::db::schema::{webhook_deliveries, webhook_endpoints, webhook_secrets};

/// Stores a new endpoint with its first secret.
pub fn create(
    conn: &mut DbConn,
    org: i64,
    url: &str,
    events: &[&str],
    secret: &str,
) -> AppResult<Endpoint> {
    let now = now_ms();
    let ep = Endpoint {
        id: new_id(),
        organisation_id: org,
        url: url.to_string(),
        events: events.join(" "),
        enabled: true,
        disabled_reason: None,
        failing_since: None,
        created_at: now,
        updated_at: now,
    };
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::insert_into(we::table).values(&ep).execute(c))?;
        add_secret(conn, ep.id, secret)?;
        Ok(ep)
    })
}

/// An organisation's endpoints, oldest first.
pub fn of_org(conn: &mut DbConn, org: i64) -> AppResult<Vec<Endpoint>> {
    Ok(with_conn!(conn, c => we::table
        .filter(we::organisation_id.eq(org))
        .order(we::id.asc())
        .select(Endpoint::as_select())
        .load(c))?)
}

pub fn get(conn: &mut DbConn, id: i64) -> AppResult<Option<Endpoint>> {
    Ok(with_conn!(conn, c => we::table
        .find(id)
        .select(Endpoint::as_select())
        .first(c)
        .optional())?)
}

/// An endpoint's active secrets, oldest first.
pub fn secrets(conn: &mut DbConn, endpoint: i64) -> AppResult<Vec<Secret>> {
    Ok(with_conn!(conn, c => ws::table
        .filter(ws::endpoint_id.eq(endpoint))
        .order(ws::id.asc())
        .select(Secret::as_select())
        .load(c))?)
}

pub fn add_secret(conn: &mut DbConn, endpoint: i64, secret: &str) -> AppResult<Secret> {
    let row = Secret {
        id: new_id(),
        endpoint_id: endpoint,
        secret: secret.to_string(),
        created_at: now_ms(),
    };
    with_conn!(conn, c => diesel::insert_into(ws::table).values(&row).execute(c))?;
    Ok(row)
}

/// Removes one secret of `endpoint`; false when there is no such secret.
pub fn remove_secret(conn: &mut DbConn, endpoint: i64, secret: i64) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::delete(
        ws::table.filter(ws::endpoint_id.eq(endpoint)).filter(ws::id.eq(secret)),
    )
    .execute(c))?;
    Ok(n > 0)
}

/// Enables (clearing the failure run; what waited is due at once, its attempts counted
/// afresh) or disables an endpoint with a reason.
pub fn set_enabled(
    conn: &mut DbConn,
    endpoint: i64,
    enabled: bool,
    reason: Option<&str>,
) -> AppResult<()> {
    let now = now_ms();
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::update(we::table.find(endpoint))
            .set((
                we::enabled.eq(enabled),
                we::disabled_reason.eq(reason.filter(|_| !enabled)),
                we::failing_since.eq(None::<i64>),
                we::updated_at.eq(now),
            ))
            .execute(c))?;
        if enabled {
            with_conn!(conn, c => diesel::update(
                wd::table.filter(wd::endpoint_id.eq(endpoint)).filter(wd::status.eq(PENDING)),
            )
            .set((wd::attempts.eq(0), wd::next_attempt_at.eq(now)))
            .execute(c))?;
        }
        Ok(())
    })
}

/// Deletes an endpoint with its secrets and deliveries.
pub fn delete(conn: &mut DbConn, endpoint: i64) -> AppResult<()> {
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::delete(wd::table.filter(wd::endpoint_id.eq(endpoint))).execute(c))?;
        with_conn!(conn, c => diesel::delete(ws::table.filter(ws::endpoint_id.eq(endpoint))).execute(c))?;
        with_conn!(conn, c => diesel::delete(we::table.find(endpoint)).execute(c))?;
        Ok(())
    })
}

/// The enabled endpoints that take `event_type` about posts in `group`: those of the
/// organisations the group recognises.
pub fn subscribers(conn: &mut DbConn, group: i64, event_type: &str) -> AppResult<Vec<i64>> {
    let eps: Vec<Endpoint> = with_conn!(conn, c => we::table
        .filter(we::enabled.eq(true))
        .filter(we::organisation_id.eq_any(
            go::table.filter(go::group_id.eq(group)).select(go::organisation_id),
        ))
        .select(Endpoint::as_select())
        .load(c))?;
    Ok(eps
        .into_iter()
        .filter(|e| e.subscribes(event_type))
        .map(|e| e.id)
        .collect())
}

/// The enabled endpoints of the organisation `org` that take `event_type`.
pub fn subscribers_of_org(conn: &mut DbConn, org: i64, event_type: &str) -> AppResult<Vec<i64>> {
    Ok(of_org(conn, org)?
        .into_iter()
        .filter(|e| e.enabled && e.subscribes(event_type))
        .map(|e| e.id)
        .collect())
}

/// The groups that recognise an organisation with an enabled endpoint.
pub fn groups_with_endpoints(conn: &mut DbConn) -> AppResult<std::collections::HashSet<i64>> {
    let ids: Vec<i64> = with_conn!(conn, c => go::table
        .filter(go::organisation_id.eq_any(
            we::table.filter(we::enabled.eq(true)).select(we::organisation_id),
        ))
        .select(go::group_id)
        .load(c))?;
    Ok(ids.into_iter().collect())
}

/// Queues one delivery of `payload` per endpoint (on the caller's transaction).
pub fn enqueue(
    conn: &mut DbConn,
    endpoints: &[i64],
    event_type: &str,
    payload: &str,
) -> AppResult<usize> {
    let now = now_ms();
    let rows: Vec<WebhookDelivery> = endpoints
        .iter()
        .map(|e| WebhookDelivery {
            id: new_id(),
            endpoint_id: *e,
            event_type: event_type.to_string(),
            payload: payload.to_string(),
            status: PENDING.into(),
            attempts: 0,
            next_attempt_at: now,
            locked_until: 0,
            last_error: None,
            response_code: None,
            delivered_at: None,
            created_at: now,
            updated_at: now,
        })
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    Ok(with_conn!(conn, c => diesel::insert_into(wd::table).values(&rows).execute(c))?)
}

/// Claims up to `limit` due deliveries of enabled endpoints for `lease_ms`.
pub fn claim(conn: &mut DbConn, limit: i64, lease_ms: i64) -> AppResult<Vec<WebhookDelivery>> {
    let now = now_ms();
    conn.transaction(|conn| {
        macro_rules! due {
            () => {
                wd::table
                    .filter(wd::status.eq(PENDING))
                    .filter(wd::next_attempt_at.le(now))
                    .filter(wd::locked_until.le(now))
                    .filter(
                        wd::endpoint_id
                            .eq_any(we::table.filter(we::enabled.eq(true)).select(we::id)),
                    )
                    .order(wd::next_attempt_at.asc())
                    .limit(limit)
                    .select(WebhookDelivery::as_select())
            };
        }
        let rows: Vec<WebhookDelivery> = match conn {
            DbConn::Pg(c) => due!().for_update().skip_locked().load(&mut **c)?,
            DbConn::Sqlite(c) => due!().load(&mut **c)?,
        };
        if !rows.is_empty() {
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            with_conn!(conn, c => diesel::update(wd::table.filter(wd::id.eq_any(&ids)))
                .set(wd::locked_until.eq(now + lease_ms))
                .execute(c))?;
        }
        Ok(rows)
    })
}

/// A delivery the endpoint took (2xx): recorded, and the endpoint's failure run ends.
pub fn delivered(conn: &mut DbConn, d: &WebhookDelivery, code: i32) -> AppResult<()> {
    let now = now_ms();
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::update(wd::table.find(d.id))
            .set((
                wd::status.eq(DELIVERED),
                wd::attempts.eq(d.attempts + 1),
                wd::locked_until.eq(0),
                wd::response_code.eq(Some(code)),
                wd::last_error.eq(None::<String>),
                wd::delivered_at.eq(Some(now)),
                wd::updated_at.eq(now),
            ))
            .execute(c))?;
        with_conn!(conn, c => diesel::update(we::table.find(d.endpoint_id))
            .set(we::failing_since.eq(None::<i64>))
            .execute(c))?;
        Ok(())
    })
}

/// How a failed attempt is handled.
pub struct Retry {
    pub base_ms: u64,
    /// Attempts of one delivery before the endpoint is disabled.
    pub max_attempts: i32,
    /// How long an endpoint may fail continuously before it is disabled.
    pub disable_after_ms: i64,
}

/// A failed attempt: schedules the retry with exponential back-off. When the endpoint
/// has failed for too long (or this delivery too often) the endpoint is disabled and
/// every local admin is notified; returns whether it was.
pub fn attempt_failed(
    conn: &mut DbConn,
    d: &WebhookDelivery,
    code: Option<i32>,
    error: &str,
    retry: &Retry,
) -> AppResult<bool> {
    let now = now_ms();
    let attempts = d.attempts + 1;
    let next = now + super::deliveries::backoff_ms(retry.base_ms, attempts);
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::update(wd::table.find(d.id))
            .set((
                wd::attempts.eq(attempts),
                wd::next_attempt_at.eq(next),
                wd::locked_until.eq(0),
                wd::response_code.eq(code),
                wd::last_error.eq(Some(error.chars().take(300).collect::<String>())),
                wd::updated_at.eq(now),
            ))
            .execute(c))?;
        let Some(ep) = get(conn, d.endpoint_id)? else {
            return Ok(false);
        };
        let since = ep.failing_since.unwrap_or(now);
        if ep.failing_since.is_none() {
            with_conn!(conn, c => diesel::update(we::table.find(ep.id))
                .set(we::failing_since.eq(Some(now)))
                .execute(c))?;
        }
        let too_long = now - since >= retry.disable_after_ms;
        let too_often = retry.max_attempts > 0 && attempts >= retry.max_attempts;
        if !ep.enabled || !(too_long || too_often) {
            return Ok(false);
        }
        let reason = if too_long {
            "failing continuously for too long"
        } else {
            "too many failed attempts in a row"
        };
        with_conn!(conn, c => diesel::update(we::table.find(ep.id))
            .set((
                we::enabled.eq(false),
                we::disabled_reason.eq(Some(reason)),
                we::updated_at.eq(now),
            ))
            .execute(c))?;
        notify_admins(conn, ep.id, now)?;
        Ok(true)
    })
}

/// A notification to every local admin that endpoint `id` was disabled.
fn notify_admins(conn: &mut DbConn, endpoint: i64, now: i64) -> AppResult<()> {
    let admins: Vec<i64> = with_conn!(conn, c => users::table
        .filter(users::is_admin.eq(true))
        .select(users::id)
        .load(c))?;
    let rows: Vec<Notification> = admins
        .into_iter()
        .map(|user| Notification {
            id: new_id(),
            user_id: user,
            kind: DISABLED_NOTICE.into(),
            subject: format!("{endpoint}:{now}"),
            actor_id: None,
            post_id: None,
            badge: None,
            report_id: None,
            created_at: now,
            read_at: None,
            email_state: "none".into(),
            emailed_at: None,
        })
        .collect();
    for row in &rows {
        with_conn!(conn, c => diesel::insert_into(n::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    Ok(())
}

/// The latest `limit` deliveries of an endpoint, newest first.
pub fn log(conn: &mut DbConn, endpoint: i64, limit: i64) -> AppResult<Vec<WebhookDelivery>> {
    Ok(with_conn!(conn, c => wd::table
        .filter(wd::endpoint_id.eq(endpoint))
        .order(wd::id.desc())
        .limit(limit)
        .select(WebhookDelivery::as_select())
        .load(c))?)
}

/// Sends a delivery of `endpoint` again (same webhook-id): due now, its attempts
/// counted afresh. False when the endpoint has no such delivery.
pub fn redeliver(conn: &mut DbConn, endpoint: i64, delivery: i64) -> AppResult<bool> {
    let now = now_ms();
    let n = with_conn!(conn, c => diesel::update(
        wd::table.filter(wd::endpoint_id.eq(endpoint)).filter(wd::id.eq(delivery)),
    )
    .set((
        wd::status.eq(PENDING),
        wd::attempts.eq(0),
        wd::next_attempt_at.eq(now),
        wd::locked_until.eq(0),
        wd::updated_at.eq(now),
    ))
    .execute(c))?;
    Ok(n > 0)
}

/// How long delivered webhooks stay in the log.
pub const LOG_KEPT_MS: i64 = 30 * 24 * 3600 * 1000;

/// Drops delivered webhooks older than `before` from the log (housekeeping).
pub fn prune_delivered(conn: &mut DbConn, before: i64) -> AppResult<usize> {
    Ok(with_conn!(conn, c => diesel::delete(
        wd::table.filter(wd::status.eq(DELIVERED)).filter(wd::created_at.lt(before)),
    )
    .execute(c))?)
}

/// Deliveries of all endpoints by status (tests, monitoring).
pub fn count(conn: &mut DbConn, status: &str) -> AppResult<i64> {
    Ok(with_conn!(conn, c => wd::table
        .filter(wd::status.eq(status))
        .count()
        .get_result(c))?)
}
