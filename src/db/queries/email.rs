//! Email: users' addresses, single-use email tokens (stored hashed) and the mail outbox
//! (see `mail`), with the reads the mail worker makes of notifications.

use super::notifications::Notification;
use crate::db::schema::{notifications as n, users};
use crate::db::{now_ms, DbConn};
use crate::error::{AppError, AppResult};
use crate::with_conn;
use diesel::prelude::*;

diesel::table! {
    user_emails (user_id) {
        user_id -> BigInt,
        address -> Text,
        verified_at -> Nullable<BigInt>,
        lang -> Text,
        updated_at -> BigInt,
    }
}

diesel::table! {
    email_tokens (hash) {
        hash -> Text,
        user_id -> BigInt,
        purpose -> Text,
        address -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    mail_outbox (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        to_address -> Text,
        kind -> Text,
        payload -> Text,
        lang -> Text,
        state -> Text,
        attempts -> BigInt,
        next_attempt_at -> BigInt,
        created_at -> BigInt,
        sent_at -> Nullable<BigInt>,
        last_error -> Nullable<Text>,
    }
}

use email_tokens as et;
use mail_outbox as mo;
use user_emails as ue;

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = ue)]
pub struct UserEmail {
    pub user_id: i64,
    pub address: String,
    pub verified_at: Option<i64>,
    pub lang: String,
    pub updated_at: i64,
}

impl UserEmail {
    pub fn verified(&self) -> bool {
        self.verified_at.is_some()
    }
}

/// One email of the outbox.
#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = mo)]
#[diesel(treat_none_as_null = true)]
pub struct Mail {
    pub id: i64,
    pub user_id: Option<i64>,
    pub to_address: String,
    pub kind: String,
    pub payload: String,
    pub lang: String,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

/// A user's address, if any.
pub fn address(conn: &mut DbConn, user_id: i64) -> AppResult<Option<UserEmail>> {
    Ok(with_conn!(conn, c => ue::table
        .find(user_id)
        .select(UserEmail::as_select())
        .first(c)
        .optional())?)
}

/// Sets a user's address, unverified (the same address again keeps its verification).
/// Returns whether it is verified.
pub fn set_address(conn: &mut DbConn, user_id: i64, address: &str, lang: &str) -> AppResult<bool> {
    let now = now_ms();
    let current = self::address(conn, user_id)?;
    if let Some(cur) = &current {
        if cur.address.eq_ignore_ascii_case(address) && cur.verified() {
            with_conn!(conn, c => diesel::update(ue::table.find(user_id))
                .set((ue::lang.eq(lang), ue::updated_at.eq(now)))
                .execute(c))?;
            return Ok(true);
        }
        with_conn!(conn, c => diesel::update(ue::table.find(user_id))
            .set((ue::address.eq(address), ue::verified_at.eq(None::<i64>), ue::lang.eq(lang), ue::updated_at.eq(now)))
            .execute(c))?;
    } else {
        with_conn!(conn, c => diesel::insert_into(ue::table)
            .values((ue::user_id.eq(user_id), ue::address.eq(address), ue::lang.eq(lang), ue::updated_at.eq(now)))
            .execute(c))?;
    }
    Ok(false)
}

/// Removes a user's address.
pub fn remove_address(conn: &mut DbConn, user_id: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::delete(ue::table.find(user_id)).execute(c))?;
    Ok(())
}

/// The user whose verified address this is (case-insensitive).
pub fn verified_owner(conn: &mut DbConn, address: &str) -> AppResult<Option<i64>> {
    let owners: Vec<i64> = with_conn!(conn, c => ue::table
        .filter(ue::verified_at.is_not_null())
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>("lower(address) = ").bind::<diesel::sql_types::Text, _>(address.to_lowercase()))
        .select(ue::user_id)
        .limit(1)
        .load(c))?;
    Ok(owners.first().copied())
}

/// Marks a user's address verified if it is still `address`; `false` when it changed
/// since. A conflict when another account verified the same address first.
pub fn mark_verified(conn: &mut DbConn, user_id: i64, address: &str) -> AppResult<bool> {
    if let Some(owner) = verified_owner(conn, address)? {
        if owner != user_id {
            return Err(AppError::Conflict(
                "this address is verified by another account".into(),
            ));
        }
    }
    let n = with_conn!(conn, c => diesel::update(ue::table.find(user_id))
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>("lower(address) = ").bind::<diesel::sql_types::Text, _>(address.to_lowercase()))
        .set(ue::verified_at.eq(now_ms()))
        .execute(c))?;
    Ok(n == 1)
}

/// Stores a new token (its hash).
pub fn insert_token(
    conn: &mut DbConn,
    hash: &str,
    user_id: i64,
    purpose: &str,
    address: &str,
    expires_at: i64,
) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(et::table)
        .values((
            et::hash.eq(hash),
            et::user_id.eq(user_id),
            et::purpose.eq(purpose),
            et::address.eq(address),
            et::created_at.eq(now_ms()),
            et::expires_at.eq(expires_at),
        ))
        .execute(c))?;
    Ok(())
}

/// Uses a token: `(user, address)` when it exists for `purpose`, is unused and has not
/// expired; it is then used (a second use finds nothing).
pub fn use_token(conn: &mut DbConn, hash: &str, purpose: &str) -> AppResult<Option<(i64, String)>> {
    let now = now_ms();
    let found: Option<(i64, String)> = with_conn!(conn, c => et::table
        .find(hash)
        .filter(et::purpose.eq(purpose))
        .filter(et::used_at.is_null())
        .filter(et::expires_at.gt(now))
        .select((et::user_id, et::address))
        .first(c)
        .optional())?;
    let Some(found) = found else { return Ok(None) };
    let n = with_conn!(conn, c => diesel::update(et::table.find(hash))
        .filter(et::used_at.is_null())
        .set(et::used_at.eq(now))
        .execute(c))?;
    Ok((n == 1).then_some(found))
}

/// Whether a token exists for `purpose`, unused and unexpired (without using it).
pub fn token_valid(conn: &mut DbConn, hash: &str, purpose: &str) -> AppResult<bool> {
    let n: i64 = with_conn!(conn, c => et::table
        .find(hash)
        .filter(et::purpose.eq(purpose))
        .filter(et::used_at.is_null())
        .filter(et::expires_at.gt(now_ms()))
        .count()
        .get_result(c))?;
    Ok(n > 0)
}

/// Ends a user's unused tokens of a purpose; old expired tokens are deleted.
pub fn end_tokens(conn: &mut DbConn, user_id: i64, purpose: &str) -> AppResult<()> {
    let now = now_ms();
    with_conn!(conn, c => diesel::update(et::table)
        .filter(et::user_id.eq(user_id))
        .filter(et::purpose.eq(purpose))
        .filter(et::used_at.is_null())
        .set(et::used_at.eq(now))
        .execute(c))?;
    with_conn!(conn, c => diesel::delete(et::table)
        .filter(et::user_id.eq(user_id))
        .filter(et::expires_at.lt(now - 7 * 24 * 3600 * 1000))
        .execute(c))?;
    Ok(())
}

/// Queues an email.
pub fn enqueue(conn: &mut DbConn, mail: &Mail) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(mo::table).values(mail).execute(c))?;
    Ok(())
}

/// Emails due to be sent (pending, or sending with an expired lease), oldest first.
pub fn due(conn: &mut DbConn, limit: i64) -> AppResult<Vec<Mail>> {
    Ok(with_conn!(conn, c => mo::table
        .filter(mo::state.eq_any(["pending", "sending"]))
        .filter(mo::next_attempt_at.le(now_ms()))
        .order(mo::next_attempt_at.asc())
        .limit(limit)
        .select(Mail::as_select())
        .load(c))?)
}

/// Takes an email for sending until `lease_until`; `false` when another worker has it.
pub fn claim(conn: &mut DbConn, mail: &Mail, lease_until: i64) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::update(mo::table.find(mail.id))
        .filter(mo::state.eq_any(["pending", "sending"]))
        .filter(mo::attempts.eq(mail.attempts))
        .set((mo::state.eq("sending"), mo::attempts.eq(mail.attempts + 1), mo::next_attempt_at.eq(lease_until)))
        .execute(c))?;
    Ok(n == 1)
}

/// Marks an email sent and forgets its payload (tokens and texts).
pub fn mark_sent(conn: &mut DbConn, id: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(mo::table.find(id))
        .set((mo::state.eq("sent"), mo::sent_at.eq(now_ms()), mo::payload.eq(""), mo::last_error.eq(None::<String>)))
        .execute(c))?;
    Ok(())
}

/// Puts an email back for a later attempt, or gives it up (`next` is `None`).
pub fn mark_failed(conn: &mut DbConn, id: i64, next: Option<i64>, error: &str) -> AppResult<()> {
    let error: String = error.chars().take(300).collect();
    match next {
        Some(at) => with_conn!(conn, c => diesel::update(mo::table.find(id))
            .set((mo::state.eq("pending"), mo::next_attempt_at.eq(at), mo::last_error.eq(error)))
            .execute(c))?,
        None => with_conn!(conn, c => diesel::update(mo::table.find(id))
            .set((mo::state.eq("failed"), mo::payload.eq(""), mo::last_error.eq(error)))
            .execute(c))?,
    };
    Ok(())
}

/// Emails of a user queued or sent since `since_ms` of a kind (for tests and limits).
pub fn count_since(conn: &mut DbConn, user_id: i64, kind: &str, since_ms: i64) -> AppResult<i64> {
    Ok(with_conn!(conn, c => mo::table
        .filter(mo::user_id.eq(user_id))
        .filter(mo::kind.eq(kind))
        .filter(mo::created_at.ge(since_ms))
        .count()
        .get_result(c))?)
}

/// Notifications waiting for an immediate email, oldest first.
pub fn pending_notifications(conn: &mut DbConn, limit: i64) -> AppResult<Vec<Notification>> {
    Ok(with_conn!(conn, c => n::table
        .filter(n::email_state.eq("pending"))
        .order(n::id.asc())
        .limit(limit)
        .select(Notification::as_select())
        .load(c))?)
}

/// Users with digest notifications of which the oldest was made before `cutoff`.
pub fn digest_due_users(conn: &mut DbConn, cutoff: i64, limit: i64) -> AppResult<Vec<i64>> {
    Ok(with_conn!(conn, c => n::table
        .filter(n::email_state.eq("digest"))
        .filter(n::created_at.le(cutoff))
        .select(n::user_id)
        .distinct()
        .limit(limit)
        .load(c))?)
}

/// A user's notifications waiting for the digest, oldest first.
pub fn digest_notifications(conn: &mut DbConn, user_id: i64) -> AppResult<Vec<Notification>> {
    Ok(with_conn!(conn, c => n::table
        .filter(n::user_id.eq(user_id))
        .filter(n::email_state.eq("digest"))
        .order(n::id.asc())
        .limit(500)
        .select(Notification::as_select())
        .load(c))?)
}

/// Sets the email state of notifications (`sent` with the time, or `none`).
pub fn set_email_state(conn: &mut DbConn, ids: &[i64], state: &str) -> AppResult<()> {
    let at = (state == "sent").then(now_ms);
    with_conn!(conn, c => diesel::update(n::table.filter(n::id.eq_any(ids)))
        .set((n::email_state.eq(state), n::emailed_at.eq(at)))
        .execute(c))?;
    Ok(())
}

/// A user's name.
pub fn username(conn: &mut DbConn, user_id: i64) -> AppResult<Option<String>> {
    Ok(with_conn!(conn, c => users::table
        .find(user_id)
        .select(users::username)
        .first(c)
        .optional())?)
}

/// Drops the emails not yet sent of a user's notifications of some kinds.
pub fn drop_unsent_notifications(
    conn: &mut DbConn,
    user_id: i64,
    kinds: &[String],
) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(n::table
        .filter(n::user_id.eq(user_id))
        .filter(n::kind.eq_any(kinds))
        .filter(n::email_state.eq_any(["pending", "digest"])))
        .set(n::email_state.eq("none"))
        .execute(c))?;
    Ok(())
}

/// Notifications by id, oldest first.
pub fn notifications_by_ids(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<Notification>> {
    Ok(with_conn!(conn, c => n::table
        .filter(n::id.eq_any(ids))
        .order(n::id.asc())
        .select(Notification::as_select())
        .load(c))?)
}

/// Deletes sent and given-up emails made before `before`, and expired tokens.
pub fn purge(conn: &mut DbConn, before: i64) -> AppResult<usize> {
    let n = with_conn!(conn, c => diesel::delete(mo::table
        .filter(mo::state.eq_any(["sent", "failed"]))
        .filter(mo::created_at.lt(before)))
        .execute(c))?;
    with_conn!(conn, c => diesel::delete(et::table.filter(et::expires_at.lt(before))).execute(c))?;
    Ok(n)
}
