//! Community roles of a group, as its moderators define and assign them: a title shown
//! beside the holder's name and privileges from a fixed list (`domain::roles`), used
//! through [`super::rules::may_use`]. Roles are this instance's: they are not federated.

use super::rules;
use crate::db::models::Actor;
use crate::db::queries::roles::{self as rq, GroupRole};
use crate::db::{ids, now_ms, queries, DbConn};
use crate::domain::roles::{self as dr, MAX_ROLES};
use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// A role's name and privileges, as a moderator sends them.
pub struct RoleInput {
    pub name: String,
    pub privileges: Vec<String>,
}

fn checked(input: &RoleInput) -> AppResult<(String, String)> {
    let name = dr::name(&input.name)?;
    let privileges = dr::privileges(&input.privileges)?;
    Ok((name, dr::stored(&privileges)))
}

/// Refuses a name another role of the group has (letter case aside).
fn check_unique(c: &mut DbConn, group_id: i64, name: &str, except: i64) -> AppResult<()> {
    let taken = rq::of_group(c, group_id)?
        .iter()
        .any(|r| r.id != except && r.name.to_lowercase() == name.to_lowercase());
    if taken {
        return Err(AppError::Conflict(
            "the group has a role of that name".into(),
        ));
    }
    Ok(())
}

/// The role `role_id` of `group`.
fn role_of(c: &mut DbConn, group: &Actor, role_id: i64) -> AppResult<GroupRole> {
    rq::by_id(c, role_id)?
        .filter(|r| r.group_id == group.id)
        .ok_or_else(|| AppError::NotFound("no such role in this group".into()))
}

/// Defines a role of `group` (its moderators).
pub async fn create(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    input: RoleInput,
) -> AppResult<GroupRole> {
    let (name, privileges) = checked(&input)?;
    let (moderator, group) = (moderator.clone(), group.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                rules::require_moderator(c, &group, &moderator)?;
                check_unique(c, group.id, &name, 0)?;
                if rq::of_group(c, group.id)?.len() >= MAX_ROLES {
                    return Err(AppError::Invalid(format!(
                        "a group has at most {MAX_ROLES} roles"
                    )));
                }
                let role = GroupRole {
                    id: ids::new_id(),
                    group_id: group.id,
                    name,
                    privileges,
                    created_at: now_ms(),
                };
                rq::insert(c, &role)?;
                Ok(role)
            })
        })
        .await
}

/// Renames a role or changes its privileges (its group's moderators).
pub async fn update(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    role_id: i64,
    input: RoleInput,
) -> AppResult<GroupRole> {
    let (name, privileges) = checked(&input)?;
    let (moderator, group) = (moderator.clone(), group.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                rules::require_moderator(c, &group, &moderator)?;
                let role = role_of(c, &group, role_id)?;
                check_unique(c, group.id, &name, role.id)?;
                rq::update(c, role.id, &name, &privileges)?;
                Ok(GroupRole {
                    name,
                    privileges,
                    ..role
                })
            })
        })
        .await
}

/// Deletes a role; its holders lose it (its group's moderators).
pub async fn delete(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    role_id: i64,
) -> AppResult<()> {
    let (moderator, group) = (moderator.clone(), group.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                rules::require_moderator(c, &group, &moderator)?;
                let role = role_of(c, &group, role_id)?;
                rq::delete(c, role.id)
            })
        })
        .await
}

/// Gives (`holds` true) or takes (`false`) the role `role_id` to `person`, a local or
/// remote person (its group's moderators). Returns whether anything changed.
pub async fn assign(
    state: &AppState,
    moderator: &Actor,
    group: &Actor,
    role_id: i64,
    person: &Actor,
    holds: bool,
) -> AppResult<bool> {
    if person.is_group() || person.deleted {
        return Err(AppError::Invalid("roles are for people".into()));
    }
    let (moderator, group, person) = (moderator.clone(), group.clone(), person.clone());
    state
        .db
        .run(move |c| {
            c.transaction(|c| {
                rules::require_moderator(c, &group, &moderator)?;
                let role = role_of(c, &group, role_id)?;
                if holds {
                    rq::assign(c, &role, person.id, moderator.id, now_ms())
                } else {
                    rq::unassign(c, role.id, person.id)
                }
            })
        })
        .await
}

/// A role of a group with its holders.
pub struct RoleWithHolders {
    pub role: GroupRole,
    pub holders: Vec<Actor>,
}

/// The roles of `group` with their holders, by name.
pub async fn of_group(state: &AppState, group: &Actor) -> AppResult<Vec<RoleWithHolders>> {
    let gid = group.id;
    state
        .db
        .run(move |c| {
            let roles = rq::of_group(c, gid)?;
            let holders = rq::holders(c, gid)?;
            let ids: Vec<i64> = holders.iter().map(|(_, a)| *a).collect();
            let actors = queries::actors::by_ids(c, &ids)?;
            Ok(roles
                .into_iter()
                .map(|role| RoleWithHolders {
                    holders: holders
                        .iter()
                        .filter(|(r, _)| *r == role.id)
                        .filter_map(|(_, a)| actors.iter().find(|x| x.id == *a).cloned())
                        .collect(),
                    role,
                })
                .collect())
        })
        .await
}

/// People to consider for a role: the group's top contributors by reputation earned in
/// it, best first, with their score (those holding a role already are left out).
pub async fn suggestions(
    state: &AppState,
    group: &Actor,
    limit: usize,
) -> AppResult<Vec<(Actor, i64)>> {
    let gid = group.id;
    state
        .db
        .run(move |c| {
            let holding: Vec<i64> = rq::holders(c, gid)?.into_iter().map(|(_, a)| a).collect();
            let board = queries::reputation::leaderboard(c, gid, 0, limit + holding.len())?;
            let board: Vec<(i64, i64)> = board
                .into_iter()
                .filter(|(a, s)| *s > 0 && !holding.contains(a))
                .take(limit)
                .collect();
            let ids: Vec<i64> = board.iter().map(|(a, _)| *a).collect();
            let actors = queries::actors::by_ids(c, &ids)?;
            Ok(board
                .into_iter()
                .filter_map(|(a, s)| {
                    actors
                        .iter()
                        .find(|x| x.id == a && !x.deleted && !x.is_group())
                        .map(|x| (x.clone(), s))
                })
                .collect())
        })
        .await
}

/// The role titles of `actor_ids` in `group_id`: (actor id, role names).
pub async fn titles(
    state: &AppState,
    group_id: i64,
    actor_ids: Vec<i64>,
) -> AppResult<Vec<(i64, String)>> {
    state
        .db
        .run(move |c| rq::titles(c, group_id, &actor_ids))
        .await
}

/// Every role `actor` holds: (group handle, role name).
pub async fn of_person(state: &AppState, actor: &Actor) -> AppResult<Vec<(Actor, String)>> {
    let id = actor.id;
    state
        .db
        .run(move |c| {
            let held = rq::of_actor(c, id)?;
            let gids: Vec<i64> = held.iter().map(|(g, _)| *g).collect();
            let groups = queries::actors::by_ids(c, &gids)?;
            Ok(held
                .into_iter()
                .filter_map(|(g, name)| {
                    groups.iter().find(|x| x.id == g).map(|x| (x.clone(), name))
                })
                .collect())
        })
        .await
}
