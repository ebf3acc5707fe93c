//! The reputation log, cached scores, badges and privileges.

use crate::db::ids::new_id;
use crate::db::models::{Actor, ReputationEvent, ANSWER, QUESTION};
use crate::db::reputation::{self as rep, Context, Score};
use crate::db::schema::{
    actors, badges, group_bans, group_privileges as gp, instances, posts, reputation_events as re,
    reputation_scores as rs, site,
};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;
use std::collections::HashSet;

fn local_domain(conn: &mut DbConn) -> AppResult<String> {
    Ok(with_conn!(conn, c => site::table
        .inner_join(actors::table.on(actors::id.eq(site::instance_actor_id)))
        .select(actors::domain)
        .first::<String>(c)
        .optional())?
    .unwrap_or_default())
}

pub fn context(conn: &mut DbConn) -> AppResult<Context> {
    let now = now_ms();
    let blocked: Vec<String> = with_conn!(conn, c => instances::table.filter(instances::blocked.eq(true)).select(instances::domain).load(c))?;
    let banned: Vec<(i64, i64)> = with_conn!(conn, c => group_bans::table
        .filter(group_bans::expires_at.is_null().or(group_bans::expires_at.gt(now)))
        .select((group_bans::group_id, group_bans::actor_id))
        .load(c))?;
    Ok(Context {
        local_domain: local_domain(conn)?,
        blocked_domains: blocked.into_iter().collect::<HashSet<_>>(),
        banned: banned.into_iter().collect(),
    })
}

pub fn events_of(conn: &mut DbConn, subject: i64) -> AppResult<Vec<ReputationEvent>> {
    Ok(
        with_conn!(conn, c => re::table.filter(re::subject_id.eq(subject)).order(re::id.asc()).select(ReputationEvent::as_select()).load(c))?,
    )
}

/// Appends an event about `subject` caused by `source` (an actor) and refreshes the
/// subject's cached score and badges.
pub fn record(
    conn: &mut DbConn,
    subject: i64,
    group: Option<i64>,
    kind: &str,
    value: i32,
    source: Option<i64>,
    post: Option<i64>,
) -> AppResult<()> {
    let now = now_ms();
    let (domain, fresh) = match source {
        Some(s) => with_conn!(conn, c => actors::table.find(s).select((actors::domain, actors::created_at)).first::<(String, i64)>(c).optional())?
            .map(|(d, created)| (d, now - created < rep::FRESH_ACCOUNT_MS))
            .unwrap_or_default(),
        None => (local_domain(conn)?, false),
    };
    let event = ReputationEvent {
        id: new_id(),
        subject_id: subject,
        group_id: group,
        kind: kind.to_string(),
        value,
        source_id: source,
        source_domain: domain,
        source_fresh: fresh,
        post_id: post,
        created_at: now,
    };
    // The event and the refreshed score become visible together.
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::insert_into(re::table).values(&event).execute(c))?;
        refresh(conn, subject)
    })
}

/// Recomputes a subject's score from the log into the cache, and awards badges earned.
pub fn refresh(conn: &mut DbConn, subject: i64) -> AppResult<()> {
    // The subject's row lock (PostgreSQL) orders concurrent refreshes: the later one reads
    // the log after the earlier committed, so the cache never misses an event.
    if let DbConn::Pg(c) = conn {
        actors::table
            .find(subject)
            .select(actors::id)
            .for_no_key_update()
            .first::<i64>(&mut **c)
            .optional()?;
    }
    let ctx = context(conn)?;
    let score = rep::compute(subject, &events_of(conn, subject)?, &ctx);
    let now = now_ms();
    with_conn!(conn, c => diesel::delete(rs::table.filter(rs::actor_id.eq(subject))).execute(c))?;
    let mut rows: Vec<(i64, i64)> = score
        .by_group
        .iter()
        .filter_map(|(g, s)| g.parse().ok().map(|g| (g, *s)))
        .collect();
    rows.push((0, score.total)); // group 0: the total (events outside groups count only here)
    for (g, s) in rows {
        with_conn!(conn, c => diesel::insert_into(rs::table)
            .values((rs::actor_id.eq(subject), rs::group_id.eq(g), rs::score.eq(s), rs::updated_at.eq(now)))
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    let accepted = score
        .items
        .iter()
        .filter(|i| i.kind == rep::KIND_ACCEPTED)
        .count();
    if accepted >= 1 {
        award(conn, subject, "first_accepted_answer")?;
    }
    if accepted >= 10 {
        award(conn, subject, "ten_accepted_answers")?;
    }
    Ok(())
}

/// Refreshes everyone whose events came from `domain` (after a block) or from `source`.
pub fn refresh_sources(
    conn: &mut DbConn,
    domain: Option<&str>,
    source: Option<i64>,
) -> AppResult<usize> {
    let subjects: Vec<i64> = with_conn!(conn, c => {
        let mut q = re::table.select(re::subject_id).distinct().into_boxed();
        if let Some(d) = domain {
            q = q.filter(re::source_domain.eq(d.to_string()));
        }
        if let Some(s) = source {
            q = q.filter(re::source_id.eq(s));
        }
        q.load(c)
    })?;
    for s in &subjects {
        refresh(conn, *s)?;
    }
    Ok(subjects.len())
}

pub fn cached(conn: &mut DbConn, actor: i64) -> AppResult<Vec<(i64, i64)>> {
    Ok(
        with_conn!(conn, c => rs::table.filter(rs::actor_id.eq(actor)).select((rs::group_id, rs::score)).load(c))?,
    )
}

/// The cached totals (group 0) of several actors: (actor, score) of those with one.
pub fn totals(conn: &mut DbConn, actors: &[i64]) -> AppResult<Vec<(i64, i64)>> {
    Ok(with_conn!(conn, c => rs::table
        .filter(rs::actor_id.eq_any(actors))
        .filter(rs::group_id.eq(0))
        .select((rs::actor_id, rs::score))
        .load(c))?)
}

/// Recomputes a score from the log without touching the cache.
pub fn recompute(conn: &mut DbConn, actor: i64) -> AppResult<Score> {
    let ctx = context(conn)?;
    Ok(rep::compute(actor, &events_of(conn, actor)?, &ctx))
}

/// Awards a badge once; returns whether it is new.
pub fn award(conn: &mut DbConn, actor: i64, badge: &str) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::insert_into(badges::table)
        .values((badges::actor_id.eq(actor), badges::badge.eq(badge), badges::awarded_at.eq(now_ms())))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

pub fn badges_of(conn: &mut DbConn, actor: i64) -> AppResult<Vec<(String, i64)>> {
    Ok(
        with_conn!(conn, c => badges::table.filter(badges::actor_id.eq(actor)).order(badges::awarded_at.asc()).select((badges::badge, badges::awarded_at)).load(c))?,
    )
}

/// Badges a batch awarded (or found awarded), to remember once it is committed.
pub type Awards = Vec<(i64, &'static str)>;

/// What a process remembers so that storing posts mostly skips the badge statements:
/// the badges known to be awarded (they are never taken back), and per question whether
/// it is its asker's first (and who asked).
pub struct BadgeMemo {
    awarded: moka::sync::Cache<(i64, &'static str), ()>,
    firsts: moka::sync::Cache<i64, Option<i64>>,
}

impl Default for BadgeMemo {
    fn default() -> Self {
        let ttl = std::time::Duration::from_secs(600);
        BadgeMemo {
            awarded: moka::sync::Cache::builder()
                .max_capacity(100_000)
                .time_to_live(ttl)
                .build(),
            firsts: moka::sync::Cache::builder()
                .max_capacity(10_000)
                .time_to_live(ttl)
                .build(),
        }
    }
}

impl BadgeMemo {
    /// Records badges as awarded: call after the transaction that awarded them commits.
    pub fn remember(&self, awards: Awards) {
        for a in awards {
            self.awarded.insert(a, ());
        }
    }
}

/// Badges for new posts: first question, first answer, and "welcomer" for answering
/// someone's first question. A few statements for any number of posts, none for what
/// `memo` already knows. Returns the awards for [`BadgeMemo::remember`].
pub fn on_new_posts(
    conn: &mut DbConn,
    posts: &[&crate::db::models::Post],
    memo: Option<&BadgeMemo>,
) -> AppResult<Awards> {
    let mut awards: Awards = Vec::new();
    let mut questions: Vec<i64> = Vec::new();
    for post in posts {
        if post.kind == QUESTION {
            awards.push((post.author_id, "first_question"));
        } else if post.kind == ANSWER {
            awards.push((post.author_id, "first_answer"));
            questions.extend(post.question_id);
        }
    }
    questions.sort_unstable();
    questions.dedup();
    // Per question: its asker when it is their first question.
    let mut firsts: Vec<(i64, i64)> = Vec::new();
    let unknown: Vec<i64> = questions
        .into_iter()
        .filter(|q| match memo.and_then(|m| m.firsts.get(q)) {
            Some(first) => {
                firsts.extend(first.map(|asker| (*q, asker)));
                false
            }
            None => true,
        })
        .collect();
    let asked: Vec<(i64, i64, i64)> = if unknown.is_empty() {
        Vec::new()
    } else {
        with_conn!(conn, c => posts::table
            .filter(posts::id.eq_any(&unknown))
            .select((posts::id, posts::author_id, posts::published_at))
            .load(c))?
    };
    for (q, asker, at) in asked {
        // Statements with fixed shapes: prepared once per connection and planned well.
        let earlier: bool = with_conn!(conn, c => diesel::select(diesel::dsl::exists(posts::table
            .filter(posts::author_id.eq(asker))
            .filter(posts::kind.eq(QUESTION))
            .filter(posts::published_at.lt(at))))
            .get_result(c))?;
        if let Some(m) = memo {
            m.firsts.insert(q, (!earlier).then_some(asker));
        }
        if !earlier {
            firsts.push((q, asker));
        }
    }
    for (q, asker) in firsts {
        awards.extend(
            posts
                .iter()
                .filter(|p| p.kind == ANSWER && p.question_id == Some(q))
                .filter(|p| p.author_id != asker)
                .map(|p| (p.author_id, "welcomer")),
        );
    }
    awards.sort_unstable();
    awards.dedup();
    let now = now_ms();
    let rows: Vec<_> = awards
        .iter()
        .filter(|a| !memo.is_some_and(|m| m.awarded.contains_key(*a)))
        .map(|(actor, badge)| {
            (
                badges::actor_id.eq(*actor),
                badges::badge.eq(*badge),
                badges::awarded_at.eq(now),
            )
        })
        .collect();
    for chunk in rows.chunks(300) {
        with_conn!(conn, c => diesel::insert_into(badges::table)
            .values(chunk)
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    Ok(awards)
}

/// Leaderboard of a group since `since` (ms): (actor id, score), best first.
pub fn leaderboard(
    conn: &mut DbConn,
    group: i64,
    since: i64,
    limit: usize,
) -> AppResult<Vec<(i64, i64)>> {
    let events: Vec<ReputationEvent> = with_conn!(conn, c => re::table
        .filter(re::group_id.eq(group))
        .filter(re::created_at.ge(since))
        .select(ReputationEvent::as_select())
        .load(c))?;
    let ctx = context(conn)?;
    let subjects: HashSet<i64> = events.iter().map(|e| e.subject_id).collect();
    let mut board: Vec<(i64, i64)> = subjects
        .into_iter()
        .map(|s| (s, rep::compute(s, &events, &ctx).total))
        .filter(|(_, score)| *score != 0)
        .collect();
    board.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    board.truncate(limit);
    Ok(board)
}

/// The top `limit` contributors of a group for a newcomer's "Get started" box: the
/// people (not groups, not deleted, not `except`) with the best positive score there,
/// best first. Reads the cached per-group scores (kept by `record` and `refresh`) with a
/// limit, instead of computing the whole [`leaderboard`] from the log.
pub fn top_contributors(
    conn: &mut DbConn,
    group: i64,
    except: i64,
    limit: i64,
) -> AppResult<Vec<Actor>> {
    Ok(with_conn!(conn, c => rs::table
        .inner_join(actors::table.on(actors::id.eq(rs::actor_id)))
        .filter(rs::group_id.eq(group))
        .filter(rs::score.gt(0))
        .filter(rs::actor_id.ne(except))
        .filter(actors::deleted.eq(false))
        .filter(actors::kind.ne("Group"))
        .order((rs::score.desc(), rs::actor_id.asc()))
        .limit(limit)
        .select(Actor::as_select())
        .load(c))?)
}

/// Privileges: (name, reputation needed), the group's settings over the defaults.
pub const DEFAULT_PRIVILEGES: [(&str, i64); 2] = [("edit_tags", 100), ("close_duplicates", 250)];

pub fn privileges(conn: &mut DbConn, group: i64) -> AppResult<Vec<(String, i64)>> {
    let set: Vec<(String, i64)> = with_conn!(conn, c => gp::table.filter(gp::group_id.eq(group)).select((gp::privilege, gp::min_reputation)).load(c))?;
    Ok(DEFAULT_PRIVILEGES
        .iter()
        .map(|(p, d)| {
            (
                p.to_string(),
                set.iter()
                    .find(|(n, _)| n == p)
                    .map(|(_, m)| *m)
                    .unwrap_or(*d),
            )
        })
        .collect())
}

pub fn set_privilege(conn: &mut DbConn, group: i64, privilege: &str, min: i64) -> AppResult<()> {
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::delete(gp::table.find((group, privilege))).execute(c))?;
        with_conn!(conn, c => diesel::insert_into(gp::table).values((gp::group_id.eq(group), gp::privilege.eq(privilege), gp::min_reputation.eq(min))).execute(c))?;
        Ok(())
    })
}
