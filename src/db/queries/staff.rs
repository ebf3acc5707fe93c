//! Organisations, their staff, and staff claims of remote actors.

use crate::db::ids::new_id;
use crate::db::models::{Organisation, StaffClaim};
use crate::db::schema::{
    actors, group_organisations as go, organisations as o, staff_claims as sc, users,
};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;
use std::collections::HashMap;

pub fn create_org(
    conn: &mut DbConn,
    name: &str,
    domain: &str,
    logo: Option<&str>,
) -> AppResult<Organisation> {
    let org = Organisation {
        id: new_id(),
        name: name.to_string(),
        domain: domain.to_lowercase(),
        logo_url: logo.map(str::to_string),
        created_at: now_ms(),
    };
    with_conn!(conn, c => diesel::insert_into(o::table).values(&org).execute(c))?;
    Ok(org)
}

pub fn orgs(conn: &mut DbConn) -> AppResult<Vec<Organisation>> {
    Ok(
        with_conn!(conn, c => o::table.order(o::name.asc()).select(Organisation::as_select()).load(c))?,
    )
}

pub fn org(conn: &mut DbConn, id: i64) -> AppResult<Option<Organisation>> {
    Ok(
        with_conn!(conn, c => o::table.find(id).select(Organisation::as_select()).first(c).optional())?,
    )
}

pub fn set_user_org(conn: &mut DbConn, user_id: i64, org: Option<i64>) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(users::table.find(user_id))
        .set((users::organisation_id.eq(org), users::is_staff.eq(org.is_some())))
        .execute(c))?;
    Ok(())
}

/// The organisation a local actor is staff of.
pub fn org_of_actor(conn: &mut DbConn, actor_id: i64) -> AppResult<Option<Organisation>> {
    Ok(with_conn!(conn, c => users::table
        .inner_join(o::table.on(users::organisation_id.eq(o::id.nullable())))
        .filter(users::actor_id.eq(actor_id))
        .select(Organisation::as_select())
        .first(c)
        .optional())?)
}

/// Ids of local staff actors of organisations whose domain is `domain`.
pub fn staff_of_domain(conn: &mut DbConn, domain: &str) -> AppResult<Vec<(String, String)>> {
    Ok(with_conn!(conn, c => users::table
        .inner_join(o::table.on(users::organisation_id.eq(o::id.nullable())))
        .inner_join(actors::table.on(actors::id.eq(users::actor_id)))
        .filter(o::domain.eq(domain))
        .select((actors::ap_id, o::name))
        .load(c))?)
}

pub fn set_group_orgs(conn: &mut DbConn, group_id: i64, orgs: &[i64]) -> AppResult<()> {
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::delete(go::table.filter(go::group_id.eq(group_id))).execute(c))?;
        for org in orgs {
            with_conn!(conn, c => diesel::insert_into(go::table)
                .values((go::group_id.eq(group_id), go::organisation_id.eq(*org)))
                .execute(c))?;
        }
        Ok(())
    })
}

pub fn group_orgs(conn: &mut DbConn, group_id: i64) -> AppResult<Vec<Organisation>> {
    Ok(with_conn!(conn, c => go::table
        .inner_join(o::table.on(o::id.eq(go::organisation_id)))
        .filter(go::group_id.eq(group_id))
        .select(Organisation::as_select())
        .load(c))?)
}

pub fn upsert_claim(conn: &mut DbConn, claim: &StaffClaim) -> AppResult<()> {
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::delete(sc::table.find(claim.actor_id)).execute(c))?;
        with_conn!(conn, c => diesel::insert_into(sc::table).values(claim).execute(c))?;
        Ok(())
    })
}

pub fn claim(conn: &mut DbConn, actor_id: i64) -> AppResult<Option<StaffClaim>> {
    Ok(
        with_conn!(conn, c => sc::table.find(actor_id).select(StaffClaim::as_select()).first(c).optional())?,
    )
}

pub fn delete_claim(conn: &mut DbConn, actor_id: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::delete(sc::table.find(actor_id)).execute(c))?;
    Ok(())
}

pub fn claims(conn: &mut DbConn) -> AppResult<Vec<(StaffClaim, String)>> {
    Ok(with_conn!(conn, c => sc::table
        .inner_join(actors::table.on(actors::id.eq(sc::actor_id)))
        .select((StaffClaim::as_select(), actors::ap_id))
        .load(c))?)
}

pub fn stale_claims(conn: &mut DbConn, before: i64) -> AppResult<Vec<(StaffClaim, String)>> {
    Ok(with_conn!(conn, c => sc::table
        .inner_join(actors::table.on(actors::id.eq(sc::actor_id)))
        .filter(sc::checked_at.lt(before))
        .select((StaffClaim::as_select(), actors::ap_id))
        .load(c))?)
}

/// Staff status of actors: `(organisation name, organisation domain, verified)`. Local
/// staff are vouched for by this instance; remote ones by their organisation's domain.
pub fn staff_status(
    conn: &mut DbConn,
    actor_ids: &[i64],
) -> AppResult<HashMap<i64, (String, String, bool)>> {
    let local: Vec<(i64, String, String)> = with_conn!(conn, c => users::table
        .inner_join(o::table.on(users::organisation_id.eq(o::id.nullable())))
        .filter(users::actor_id.eq_any(actor_ids))
        .select((users::actor_id, o::name, o::domain))
        .load(c))?;
    let remote: Vec<StaffClaim> = with_conn!(conn, c => sc::table
        .filter(sc::actor_id.eq_any(actor_ids))
        .select(StaffClaim::as_select())
        .load(c))?;
    let mut out: HashMap<i64, (String, String, bool)> = remote
        .into_iter()
        .map(|c| (c.actor_id, (c.org_name, c.org_domain, c.verified)))
        .collect();
    for (id, name, domain) in local {
        out.insert(id, (name, domain, true));
    }
    Ok(out)
}
