//! Reports, the moderation log, removals, locks and instance policies.

use crate::db::ids::new_id;
use crate::db::models::{Instance, ModLogEntry, Report};
use crate::db::schema::{actors, instances as i, mod_log, posts as p, reports as r, votes};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// Stores a report unless the same report (same activity id, or the same reporter about
/// the same thing while still open) is already there. Returns whether it was new.
pub fn insert_report(conn: &mut DbConn, report: &Report) -> AppResult<bool> {
    conn.transaction(|conn| {
        if let Some(ap) = &report.ap_id {
            let exists: bool = with_conn!(conn, c => diesel::select(diesel::dsl::exists(
                r::table.filter(r::ap_id.eq(ap)))).get_result(c))?;
            if exists {
                return Ok(false);
            }
        }
        let (rep, post, target) = (report.reporter_id, report.post_id, report.target_actor_id);
        let open: bool = with_conn!(conn, c => diesel::select(diesel::dsl::exists(
            r::table
                .filter(r::reporter_id.eq(rep))
                .filter(r::status.eq("open"))
                .filter(diesel::dsl::sql::<diesel::sql_types::Bool>("COALESCE(post_id, 0) = ")
                    .bind::<diesel::sql_types::BigInt, _>(post.unwrap_or(0)))
                .filter(diesel::dsl::sql::<diesel::sql_types::Bool>("COALESCE(target_actor_id, 0) = ")
                    .bind::<diesel::sql_types::BigInt, _>(target.unwrap_or(0))),
        )).get_result(c))?;
        if open {
            return Ok(false);
        }
        with_conn!(conn, c => diesel::insert_into(r::table).values(report).execute(c))?;
        Ok(true)
    })
}

/// Open (or all) reports of a group's queue, or of the instance queue (`group = None`).
pub fn reports(conn: &mut DbConn, group: Option<i64>, only_open: bool) -> AppResult<Vec<Report>> {
    Ok(with_conn!(conn, c => {
        let mut q = r::table.select(Report::as_select()).order(r::created_at.asc()).into_boxed();
        q = match group {
            Some(g) => q.filter(r::group_id.eq(g)),
            None => q.filter(r::group_id.is_null()),
        };
        if only_open {
            q = q.filter(r::status.eq("open"));
        }
        q.limit(500).load(c)
    })?)
}

/// What reports are folded by in a queue: the post reported, or the user reported
/// without a post.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FoldKey {
    Post(i64),
    User(i64),
}

impl FoldKey {
    pub fn of(r: &Report) -> FoldKey {
        match r.post_id {
            Some(p) => FoldKey::Post(p),
            None => FoldKey::User(r.target_actor_id.unwrap_or(0)),
        }
    }
}

/// One page of a group's open reports, folded by what they are about (the reports on one
/// post or user together, oldest first), the fold whose first report is oldest first;
/// and whether more folds follow. Only the page's reports are loaded, however long the
/// queue is.
pub fn open_folds(
    conn: &mut DbConn,
    group: i64,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Vec<Report>>, bool)> {
    use diesel::dsl::min;
    let by_post: Vec<(Option<i64>, Option<i64>)> = with_conn!(conn, c => r::table
        .filter(r::group_id.eq(group))
        .filter(r::status.eq("open"))
        .filter(r::post_id.is_not_null())
        .group_by(r::post_id)
        .select((r::post_id, min(r::created_at)))
        .load(c))?;
    let by_user: Vec<(Option<i64>, Option<i64>)> = with_conn!(conn, c => r::table
        .filter(r::group_id.eq(group))
        .filter(r::status.eq("open"))
        .filter(r::post_id.is_null())
        .group_by(r::target_actor_id)
        .select((r::target_actor_id, min(r::created_at)))
        .load(c))?;
    let mut keys: Vec<(i64, FoldKey)> = by_post
        .into_iter()
        .filter_map(|(p, at)| Some((at?, FoldKey::Post(p?))))
        .chain(
            by_user
                .into_iter()
                .filter_map(|(u, at)| Some((at?, FoldKey::User(u.unwrap_or(0))))),
        )
        .collect();
    keys.sort_unstable();
    let more = keys.len() as i64 > offset.max(0) + limit;
    let page: Vec<FoldKey> = keys
        .into_iter()
        .skip(offset.max(0) as usize)
        .take(limit.max(0) as usize)
        .map(|(_, k)| k)
        .collect();
    let posts: Vec<i64> = page
        .iter()
        .filter_map(|k| match k {
            FoldKey::Post(p) => Some(*p),
            FoldKey::User(_) => None,
        })
        .collect();
    let users: Vec<i64> = page
        .iter()
        .filter_map(|k| match k {
            FoldKey::User(u) => Some(*u),
            FoldKey::Post(_) => None,
        })
        .collect();
    let mut rows: Vec<Report> = with_conn!(conn, c => r::table
        .filter(r::group_id.eq(group))
        .filter(r::status.eq("open"))
        .filter(r::post_id.eq_any(&posts))
        .select(Report::as_select())
        .load(c))?;
    if !users.is_empty() {
        let about_users: Vec<Report> = with_conn!(conn, c => r::table
            .filter(r::group_id.eq(group))
            .filter(r::status.eq("open"))
            .filter(r::post_id.is_null())
            .filter(r::target_actor_id.eq_any(&users))
            .select(Report::as_select())
            .load(c))?;
        rows.extend(about_users);
    }
    rows.sort_by_key(|r| (r.created_at, r.id));
    let mut folds: Vec<Vec<Report>> = page.iter().map(|_| Vec::new()).collect();
    for row in rows {
        if let Some(i) = page.iter().position(|k| *k == FoldKey::of(&row)) {
            folds[i].push(row);
        }
    }
    Ok((folds.into_iter().filter(|f| !f.is_empty()).collect(), more))
}

/// The open reports of a group folded with report `id` (about the same post or user),
/// oldest first; empty when `id` is not an open report of the group.
pub fn open_fold_of(conn: &mut DbConn, group: i64, id: i64) -> AppResult<Vec<Report>> {
    let Some(report) = report(conn, id)? else {
        return Ok(Vec::new());
    };
    if report.group_id != Some(group) || report.status != "open" {
        return Ok(Vec::new());
    }
    let key = FoldKey::of(&report);
    let mut rows: Vec<Report> = with_conn!(conn, c => {
        let q = r::table
            .filter(r::group_id.eq(group))
            .filter(r::status.eq("open"))
            .select(Report::as_select())
            .order((r::created_at.asc(), r::id.asc()))
            .into_boxed();
        match key {
            FoldKey::Post(p) => q.filter(r::post_id.eq(p)).load(c),
            FoldKey::User(u) => q.filter(r::post_id.is_null()).filter(r::target_actor_id.eq(u)).load(c),
        }
    })?;
    rows.retain(|r| FoldKey::of(r) == key);
    Ok(rows)
}

pub fn report(conn: &mut DbConn, id: i64) -> AppResult<Option<Report>> {
    Ok(with_conn!(conn, c => r::table.find(id).select(Report::as_select()).first(c).optional())?)
}

pub fn resolve_report(
    conn: &mut DbConn,
    id: i64,
    status: &str,
    note: &str,
    by: i64,
) -> AppResult<()> {
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::update(r::table.find(id))
            .set((r::status.eq(status), r::resolution_note.eq(note), r::resolved_by.eq(by), r::resolved_at.eq(now_ms())))
            .execute(c))?;
        if let Some(rep) = report(conn, id)? {
            if let Some(target) = rep.target_actor_id {
                let upheld = i32::from(status == "resolved");
                let kind = crate::db::reputation::KIND_REPORT;
                super::reputation::record(conn, target, rep.group_id, kind, upheld, Some(rep.reporter_id), rep.post_id)?;
            }
        }
        Ok(())
    })
}

/// Records the id of the `Flag` sent for a report made here.
pub fn set_report_ap_id(conn: &mut DbConn, id: i64, ap_id: &str) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(r::table.find(id)).set(r::ap_id.eq(ap_id)).execute(c))?;
    Ok(())
}

/// The report stored under the activity id `ap_id`.
pub fn report_by_ap_id(conn: &mut DbConn, ap_id: &str) -> AppResult<Option<Report>> {
    Ok(with_conn!(conn, c => r::table
        .filter(r::ap_id.eq(ap_id))
        .select(Report::as_select())
        .first(c)
        .optional())?)
}

/// The reports about the post `post` (or, without a post, the actor `target`).
pub fn reports_about(
    conn: &mut DbConn,
    post: Option<i64>,
    target: Option<i64>,
) -> AppResult<Vec<Report>> {
    if post.is_none() && target.is_none() {
        return Ok(vec![]);
    }
    Ok(with_conn!(conn, c => {
        let mut q = r::table.select(Report::as_select()).into_boxed();
        q = match post {
            Some(p) => q.filter(r::post_id.eq(p)),
            None => q.filter(r::post_id.is_null()).filter(r::target_actor_id.eq(target.unwrap_or(0))),
        };
        q.limit(100).load(c)
    })?)
}

/// Marks a report closed by another server (`status` `resolved`), or open again
/// (`None`), without a verdict of our own (no reputation event).
pub fn mark_report(conn: &mut DbConn, id: i64, closed_by: Option<i64>) -> AppResult<()> {
    let (status, at) = match closed_by {
        Some(_) => ("resolved", Some(now_ms())),
        None => ("open", None),
    };
    with_conn!(conn, c => diesel::update(r::table.find(id))
        .set((r::status.eq(status), r::resolved_by.eq(closed_by), r::resolved_at.eq(at)))
        .execute(c))?;
    Ok(())
}

/// How many reports a reporter filed here, and how many were upheld.
pub fn reporter_history(conn: &mut DbConn, reporter: i64) -> AppResult<(i64, i64)> {
    let total: i64 =
        with_conn!(conn, c => r::table.filter(r::reporter_id.eq(reporter)).count().get_result(c))?;
    let upheld: i64 = with_conn!(conn, c => r::table
        .filter(r::reporter_id.eq(reporter))
        .filter(r::status.eq("resolved"))
        .count()
        .get_result(c))?;
    Ok((total, upheld))
}

pub struct LogEntry<'a> {
    pub group_id: Option<i64>,
    pub moderator_id: Option<i64>,
    pub action: &'a str,
    pub target_actor_id: Option<i64>,
    pub post_id: Option<i64>,
    pub domain: Option<&'a str>,
    pub reason: &'a str,
}

pub fn log(conn: &mut DbConn, e: LogEntry) -> AppResult<()> {
    let row = ModLogEntry {
        id: new_id(),
        group_id: e.group_id,
        moderator_id: e.moderator_id,
        action: e.action.to_string(),
        target_actor_id: e.target_actor_id,
        post_id: e.post_id,
        domain: e.domain.map(str::to_string),
        reason: e.reason.to_string(),
        created_at: now_ms(),
    };
    with_conn!(conn, c => diesel::insert_into(mod_log::table).values(&row).execute(c))?;
    Ok(())
}

/// The public log of a group (`Some`) or of the instance (`None`: instance-level actions).
pub fn mod_log(conn: &mut DbConn, group: Option<i64>, limit: i64) -> AppResult<Vec<ModLogEntry>> {
    Ok(with_conn!(conn, c => {
        let q = mod_log::table.select(ModLogEntry::as_select()).order(mod_log::id.desc()).limit(limit).into_boxed();
        match group {
            Some(g) => q.filter(mod_log::group_id.eq(g)).load(c),
            None => q.filter(mod_log::group_id.is_null()).load(c),
        }
    })?)
}

pub fn set_removed(conn: &mut DbConn, post_id: i64, removed: bool) -> AppResult<()> {
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::update(p::table.find(post_id)).set(p::removed.eq(removed)).execute(c))?;
        if let Some(post) = super::posts::by_id(conn, post_id)? {
            if !post.deleted {
                super::post_activities::set_hidden(conn, &post, removed)?;
            }
            super::reputation::record(
                conn,
                post.author_id,
                post.group_id,
                crate::db::reputation::KIND_REMOVED,
                i32::from(removed),
                None,
                Some(post.id),
            )?;
            if let Some(q) = post.question_id.filter(|q| *q != post.id) {
                super::posts::recount_answers(conn, q)?;
            }
        }
        Ok(())
    })
}

pub fn set_locked(conn: &mut DbConn, post_id: i64, locked: bool) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(p::table.find(post_id)).set(p::locked.eq(locked)).execute(c))?;
    Ok(())
}

pub fn set_featured(conn: &mut DbConn, post_id: i64, featured: bool) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(p::table.find(post_id)).set(p::featured.eq(featured)).execute(c))?;
    Ok(())
}

pub fn featured(conn: &mut DbConn, group_id: i64) -> AppResult<Vec<String>> {
    Ok(with_conn!(conn, c => p::table
        .filter(p::group_id.eq(group_id))
        .filter(p::featured.eq(true))
        .filter(p::deleted.eq(false))
        .filter(p::removed.eq(false))
        .select(p::ap_id)
        .load(c))?)
}

/// Removes every post of an actor in a group (or everywhere with `None`).
pub fn remove_posts_of(conn: &mut DbConn, author: i64, group: Option<i64>) -> AppResult<usize> {
    let ids: Vec<i64> = with_conn!(conn, c => {
        let q = p::table.filter(p::author_id.eq(author)).filter(p::removed.eq(false)).select(p::id).into_boxed();
        match group {
            Some(g) => q.filter(p::group_id.eq(g)).load(c),
            None => q.load(c),
        }
    })?;
    for id in &ids {
        set_removed(conn, *id, true)?;
    }
    Ok(ids.len())
}

pub fn instance(conn: &mut DbConn, domain: &str) -> AppResult<Option<Instance>> {
    Ok(
        with_conn!(conn, c => i::table.find(domain).select(Instance::as_select()).first(c).optional())?,
    )
}

/// The policy rows of `domains` (those known), in a few statements.
pub fn instances_of(conn: &mut DbConn, domains: &[String]) -> AppResult<Vec<Instance>> {
    let mut out = Vec::new();
    for chunk in domains.chunks(500) {
        out.extend(with_conn!(conn, c => i::table
            .filter(i::domain.eq_any(chunk))
            .select(Instance::as_select())
            .load(c))?);
    }
    Ok(out)
}

pub fn instances(conn: &mut DbConn) -> AppResult<Vec<Instance>> {
    Ok(
        with_conn!(conn, c => i::table.order(i::domain.asc()).select(Instance::as_select()).load(c))?,
    )
}

/// Sets an instance's policy. Blocking also fails its pending deliveries and recounts the
/// votes its users cast.
pub fn set_policy(
    conn: &mut DbConn,
    domain: &str,
    blocked: bool,
    silenced: bool,
    allowed: bool,
) -> AppResult<()> {
    conn.transaction(|conn| {
        super::deliveries::ensure_instance(conn, domain)?;
        with_conn!(conn, c => diesel::update(i::table.find(domain))
            .set((i::blocked.eq(blocked), i::silenced.eq(silenced), i::allowed.eq(allowed)))
            .execute(c))?;
        if blocked {
            use crate::db::schema::deliveries as d;
            with_conn!(conn, c => diesel::update(d::table.filter(d::domain.eq(domain)).filter(d::status.eq("pending")))
                .set((d::status.eq("failed"), d::last_error.eq("instance is blocked")))
                .execute(c))?;
        }
        let voted: Vec<i64> = with_conn!(conn, c => votes::table
            .inner_join(actors::table.on(actors::id.eq(votes::actor_id)))
            .filter(actors::domain.eq(domain))
            .select(votes::post_id)
            .distinct()
            .load(c))?;
        for post in voted {
            super::posts::recount(conn, post)?;
        }
        super::reputation::refresh_sources(conn, Some(domain), None)?;
        Ok(())
    })
}

/// How many reports are open in a group's queue.
pub fn count_open_reports(conn: &mut DbConn, group: i64) -> AppResult<i64> {
    Ok(with_conn!(conn, c => r::table
        .filter(r::group_id.eq(group))
        .filter(r::status.eq("open"))
        .count()
        .get_result(c))?)
}

/// Closed (resolved or dismissed) reports of a group's queue, most recently closed first,
/// those whose reason or note contains `text` (any case) when given.
pub fn closed_reports(
    conn: &mut DbConn,
    group: i64,
    text: Option<&str>,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<Report>> {
    use diesel::sql_types::Text;
    let pattern = text.map(|t| {
        let escaped = t
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("%{escaped}%")
    });
    Ok(with_conn!(conn, c => {
        let mut q = r::table
            .select(Report::as_select())
            .filter(r::group_id.eq(group))
            .filter(r::status.ne("open"))
            .order((r::resolved_at.desc(), r::id.desc()))
            .into_boxed();
        if let Some(p) = &pattern {
            q = q.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("(LOWER(reason) LIKE ")
                    .bind::<Text, _>(p.clone())
                    .sql(" ESCAPE '\\' OR LOWER(COALESCE(resolution_note, '')) LIKE ")
                    .bind::<Text, _>(p.clone())
                    .sql(" ESCAPE '\\')"),
            );
        }
        q.offset(offset).limit(limit).load(c)
    })?)
}

/// How often the log shows each of `actors`' posts removed from, and each banned from,
/// `group`, in one query: (actor, removals, bans) of those with any.
pub fn actions_against_many(
    conn: &mut DbConn,
    group: i64,
    actors: &[i64],
) -> AppResult<Vec<(i64, i64, i64)>> {
    let rows: Vec<(Option<i64>, String, i64)> = with_conn!(conn, c => mod_log::table
        .filter(mod_log::group_id.eq(group))
        .filter(mod_log::target_actor_id.eq_any(actors))
        .filter(mod_log::action.eq_any(["remove", "ban"]))
        .group_by((mod_log::target_actor_id, mod_log::action))
        .select((mod_log::target_actor_id, mod_log::action, diesel::dsl::count_star()))
        .load(c))?;
    let mut out: Vec<(i64, i64, i64)> = Vec::new();
    for (actor, action, n) in rows {
        let Some(actor) = actor else { continue };
        let i = match out.iter().position(|(a, _, _)| *a == actor) {
            Some(i) => i,
            None => {
                out.push((actor, 0, 0));
                out.len() - 1
            }
        };
        if action == "remove" {
            out[i].1 = n;
        } else {
            out[i].2 = n;
        }
    }
    Ok(out)
}

/// A page of the public log of a group (`Some`) or of the instance (`None`), newest
/// first, only of `action` and of `moderator` when given.
pub fn mod_log_page(
    conn: &mut DbConn,
    group: Option<i64>,
    action: Option<&str>,
    moderator: Option<i64>,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<ModLogEntry>> {
    Ok(with_conn!(conn, c => {
        let mut q = mod_log::table
            .select(ModLogEntry::as_select())
            .order(mod_log::id.desc())
            .into_boxed();
        q = match group {
            Some(g) => q.filter(mod_log::group_id.eq(g)),
            None => q.filter(mod_log::group_id.is_null()),
        };
        if let Some(a) = action {
            q = q.filter(mod_log::action.eq(a.to_string()));
        }
        if let Some(m) = moderator {
            q = q.filter(mod_log::moderator_id.eq(m));
        }
        q.offset(offset).limit(limit).load(c)
    })?)
}

/// The moderators who appear in the log of a group (`Some`) or of the instance.
pub fn log_moderators(conn: &mut DbConn, group: Option<i64>) -> AppResult<Vec<i64>> {
    let ids: Vec<Option<i64>> = with_conn!(conn, c => {
        let q = mod_log::table.select(mod_log::moderator_id).distinct().into_boxed();
        match group {
            Some(g) => q.filter(mod_log::group_id.eq(g)).load(c),
            None => q.filter(mod_log::group_id.is_null()).load(c),
        }
    })?;
    Ok(ids.into_iter().flatten().collect())
}
