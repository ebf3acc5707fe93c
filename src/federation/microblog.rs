//! Edits and deletions for the group's followers on microblog software.
//!
//! Mastodon and GoToSocial take every `Announce` as a boost of the announced id: they
//! fetch `/activities/update/…` or `/activities/delete/…`, find no status and drop it, so
//! the FEP-1b12 `Announce{Update}` / `Announce{Delete}` never change the post there. What
//! they apply is the author's own `Update` (object: the full `Page`/`Note`, same id) or
//! `Delete` (object: the post's id), signed by the author. When a local author edits or
//! deletes a post in a local group, that activity also goes to the followers that get
//! the group's plain `Announce` of a new post (all of them: group servers take it as a
//! repeat of the announced one).

use super::Ctx;
use crate::db::models::Actor;
use crate::db::queries;
use crate::error::AppResult;

/// Where a local author's `Update` / `Delete` of a post in `group` goes besides the
/// group's inbox: the followers of a local group (none for a remote group, whose server
/// announces it).
pub async fn follower_inboxes(data: &Ctx, group: &Actor) -> AppResult<Vec<String>> {
    if !group.local {
        return Ok(Vec::new());
    }
    let gid = group.id;
    data.db
        .run(move |c| queries::follows::follower_inboxes(c, gid))
        .await
}
