//! A person blocks someone (here or on another server): the blocked person can no longer
//! write to them, their direct messages from elsewhere are dropped, and nothing they do
//! notifies the person who blocked them. Kept here only: no activity tells the blocked
//! person, as in Lemmy (Mastodon sends a `Block`; we do not reveal it).

use crate::db::models::Actor;
use crate::db::queries::{self, blocks};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// `me` blocks `other`.
pub async fn block(state: &AppState, me: &Actor, other: &Actor) -> AppResult<()> {
    if me.id == other.id {
        return Err(AppError::Invalid("you cannot block yourself".into()));
    }
    if other.is_group() {
        return Err(AppError::Invalid(
            "only people can be blocked; leave the group instead".into(),
        ));
    }
    let (me, other) = (me.id, other.id);
    state
        .db
        .run(move |c| blocks::block(c, me, other).map(|_| ()))
        .await
}

/// `me` unblocks `other` (nothing when they had not blocked them).
pub async fn unblock(state: &AppState, me: &Actor, other: &Actor) -> AppResult<()> {
    let (me, other) = (me.id, other.id);
    state
        .db
        .run(move |c| blocks::unblock(c, me, other).map(|_| ()))
        .await
}

/// The people `me` blocked, newest first.
pub async fn list(state: &AppState, me: &Actor) -> AppResult<Vec<Actor>> {
    let me = me.id;
    state
        .db
        .run(move |c| {
            let ids = blocks::of(c, me)?;
            let mut actors = queries::actors::by_ids(c, &ids)?;
            actors.sort_by_key(|a| ids.iter().position(|id| *id == a.id));
            Ok(actors)
        })
        .await
}

/// Whether `me` blocked `other`.
pub async fn is_blocked(state: &AppState, me: &Actor, other: &Actor) -> AppResult<bool> {
    let (me, other) = (me.id, other.id);
    state.db.run(move |c| blocks::blocked(c, me, other)).await
}

/// Refuses a message from `from` to `to` when either blocked the other.
pub(crate) fn check_may_write(c: &mut DbConn, from: &Actor, to: &Actor) -> AppResult<()> {
    if blocks::blocked(c, from.id, to.id)? {
        return Err(AppError::Forbidden(
            "you blocked this person: unblock them to write to them".into(),
        ));
    }
    if blocks::blocked(c, to.id, from.id)? {
        return Err(AppError::Forbidden(
            "this person does not take messages from you".into(),
        ));
    }
    Ok(())
}
