//! Notifications, their email preferences and the notifier's cursor.
//!
//! [`derive`] reads what was committed since a time (posts, accepted answers, badges,
//! moderators' actions, resolved reports, groups' welcomes) and inserts the
//! notifications it calls for.
//! Every read is a range on a time-ordered id or an indexed time column, and the unique
//! key `(user_id, kind, subject)` makes deriving the same window twice insert once.

use crate::db::ids::{first_id_at, new_id};
use crate::db::models::{ANSWER, COMMENT};
use crate::db::notification_kinds::{self as notify, Kind, Mentions};
use crate::db::schema::{
    badges, cursors, mod_log, notification_prefs as np, notifications as n, posts as p,
    reports as r, reputation_events as re, users,
};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;
use std::collections::{HashMap, HashSet};

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = n)]
#[diesel(treat_none_as_null = true)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub subject: String,
    pub actor_id: Option<i64>,
    pub post_id: Option<i64>,
    pub badge: Option<String>,
    pub report_id: Option<i64>,
    pub created_at: i64,
    pub read_at: Option<i64>,
    pub email_state: String,
    pub emailed_at: Option<i64>,
}

/// One notification the scan calls for, before recipients are resolved.
struct Candidate {
    /// The recipient's actor (notified only when it is a local user).
    to_actor: i64,
    kind: Kind,
    subject: String,
    /// Who did it (never notified of it).
    by: Option<i64>,
    post: Option<i64>,
    badge: Option<String>,
    report: Option<i64>,
}

/// Posts of the scan: (id, kind, author, question, parent, search text, html, local,
/// public).
type NewPost = (
    i64,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    String,
    String,
    bool,
    bool,
);

/// Rows read by one scan, at most this many per source.
const SCAN_LIMIT: i64 = 5_000;

/// What one scan did.
pub struct Scan {
    /// Notifications that were new.
    pub inserted: usize,
    /// When a source had more rows than one scan reads: the time up to which all was
    /// read (the next scan goes on from there instead of from the scan's start).
    pub read_until: Option<i64>,
}

/// The time (ms) at which an id of [`new_id`] was made.
fn ms_of(id: i64) -> i64 {
    (id >> 22) + crate::db::ids::EPOCH_MS
}

/// Inserts the notifications called for by what was committed at or after `since_ms`.
pub fn derive(conn: &mut DbConn, since_ms: i64, mentions: &Mentions) -> AppResult<Scan> {
    let lo = first_id_at(since_ms);
    let mut out: Vec<Candidate> = Vec::new();
    let mut read_until: Option<i64> = None;
    let mut full = |len: usize, last: Option<i64>| {
        if len as i64 >= SCAN_LIMIT {
            if let Some(t) = last {
                read_until = Some(read_until.map_or(t, |r: i64| r.min(t)));
            }
        }
    };

    // New answers and comments, and the mentions in any new post.
    let new: Vec<NewPost> = with_conn!(conn, c => p::table
        .filter(p::id.ge(lo))
        .filter(p::deleted.eq(false))
        .filter(p::removed.eq(false))
        .order(p::id.asc())
        .limit(SCAN_LIMIT)
        .select((p::id, p::kind, p::author_id, p::question_id, p::parent_id, p::search_text, p::content_html, p::local, p::public))
        .load(c))?;
    full(new.len(), new.last().map(|p| ms_of(p.0)));
    let parents: HashSet<i64> = new
        .iter()
        .filter_map(|(_, kind, _, q, parent, ..)| match kind.as_str() {
            ANSWER => *q,
            COMMENT => parent.or(*q),
            _ => None,
        })
        .collect();
    let authors = authors_of(conn, parents)?;
    let mut mentioned: Vec<(i64, i64, Vec<String>)> = Vec::new();
    for (id, kind, author, q, parent, text, html, local, public) in &new {
        let (target, k) = match kind.as_str() {
            ANSWER => (*q, Kind::Answer),
            COMMENT => (parent.or(*q), Kind::Comment),
            _ => (None, Kind::Answer),
        };
        if let Some(to) = target.and_then(|t| authors.get(&t)) {
            out.push(Candidate::post(*to, k, *id, *author));
        }
        if !public {
            // A private group's post: a mention must not tell a non-member what is in
            // it, so its mentions notify nobody.
            continue;
        }
        let names = mentions.names(text, html, *local);
        if !names.is_empty() {
            mentioned.push((*id, *author, names));
        }
    }
    let names: HashSet<&String> = mentioned.iter().flat_map(|m| m.2.iter()).collect();
    let by_name: HashMap<String, i64> = if names.is_empty() {
        HashMap::new()
    } else {
        with_conn!(conn, c => users::table
            .filter(users::username.eq_any(names.into_iter().collect::<Vec<_>>()))
            .select((users::username, users::actor_id))
            .load::<(String, i64)>(c))?
        .into_iter()
        .collect()
    };
    for (post, author, names) in &mentioned {
        for actor in names.iter().filter_map(|n| by_name.get(n)) {
            out.push(Candidate::post(*actor, Kind::Mention, *post, *author));
        }
    }

    let mut last_event = None;
    // Accepted answers (the reputation log records each acceptance).
    let accepted: Vec<(i64, Option<i64>)> = with_conn!(conn, c => re::table
        .filter(re::id.ge(lo))
        .filter(re::kind.eq(crate::db::reputation::KIND_ACCEPTED))
        .filter(re::value.gt(0))
        .order(re::id.asc())
        .limit(SCAN_LIMIT)
        .select((re::id, re::subject_id, re::post_id))
        .load::<(i64, i64, Option<i64>)>(c))?
    .into_iter()
    .map(|(id, s, p)| {
        last_event = Some(id);
        (s, p)
    })
    .collect();
    full(accepted.len(), last_event.map(ms_of));
    let answers: HashMap<i64, Option<i64>> = {
        let ids: Vec<i64> = accepted.iter().filter_map(|a| a.1).collect();
        with_conn!(conn, c => p::table.filter(p::id.eq_any(ids)).select((p::id, p::question_id)).load::<(i64, Option<i64>)>(c))?
            .into_iter()
            .collect()
    };
    let askers = authors_of(conn, answers.values().flatten().copied().collect())?;
    for (to, post) in accepted {
        let Some(post) = post else { continue };
        let by = answers
            .get(&post)
            .copied()
            .flatten()
            .and_then(|q| askers.get(&q).copied());
        out.push(Candidate {
            by,
            ..Candidate::post(to, Kind::Accepted, post, 0)
        });
    }

    // Badges earned.
    let earned: Vec<(i64, String)> = with_conn!(conn, c => badges::table
        .filter(badges::awarded_at.ge(since_ms))
        .order(badges::awarded_at.asc())
        .limit(SCAN_LIMIT)
        .select((badges::actor_id, badges::badge, badges::awarded_at))
        .load::<(i64, String, i64)>(c))?
    .into_iter()
    .map(|(a, b, t)| {
        last_event = Some(t);
        (a, b)
    })
    .collect();
    full(earned.len(), last_event);
    for (to, badge) in earned {
        out.push(Candidate {
            to_actor: to,
            kind: Kind::Badge,
            subject: badge.clone(),
            by: None,
            post: None,
            badge: Some(badge),
            report: None,
        });
    }

    // Moderators removing or locking someone's post.
    let actions: Vec<(i64, Option<i64>, Option<i64>, String)> = with_conn!(conn, c => mod_log::table
        .filter(mod_log::id.ge(lo))
        .filter(mod_log::action.eq_any(["remove", "lock"]))
        .filter(mod_log::post_id.is_not_null())
        .order(mod_log::id.asc())
        .limit(SCAN_LIMIT)
        .select((mod_log::id, mod_log::moderator_id, mod_log::post_id, mod_log::action))
        .load(c))?;
    full(actions.len(), actions.last().map(|a| ms_of(a.0)));
    let targets = authors_of(conn, actions.iter().filter_map(|a| a.2).collect())?;
    for (id, by, post, action) in actions {
        let Some(to) = post.and_then(|p| targets.get(&p)) else {
            continue;
        };
        let kind = if action == "lock" {
            Kind::Locked
        } else {
            Kind::Removed
        };
        out.push(Candidate {
            to_actor: *to,
            kind,
            subject: id.to_string(),
            by,
            post,
            badge: None,
            report: None,
        });
    }

    // Outcomes of reports.
    let resolved: Vec<(i64, i64, Option<i64>, Option<i64>)> = with_conn!(conn, c => r::table
        .filter(r::resolved_at.ge(since_ms))
        .order(r::resolved_at.asc())
        .limit(SCAN_LIMIT)
        .select((r::id, r::reporter_id, r::resolved_by, r::post_id, r::resolved_at))
        .load::<(i64, i64, Option<i64>, Option<i64>, Option<i64>)>(c))?
    .into_iter()
    .map(|(id, to, by, post, at)| {
        last_event = at;
        (id, to, by, post)
    })
    .collect();
    full(resolved.len(), last_event);
    for (id, to, by, post) in resolved {
        out.push(Candidate {
            to_actor: to,
            kind: Kind::ReportResolved,
            subject: id.to_string(),
            by,
            post,
            badge: None,
            report: Some(id),
        });
    }

    // Groups welcoming people (the subject is the welcome, whose message the
    // notification shows; the group is who did it).
    let welcomes = super::groups::welcomes_since(conn, lo, SCAN_LIMIT)?;
    full(welcomes.len(), welcomes.last().map(|w| ms_of(w.0)));
    for (id, group, person) in welcomes {
        out.push(Candidate {
            to_actor: person,
            kind: Kind::Welcome,
            subject: id.to_string(),
            by: Some(group),
            post: None,
            badge: None,
            report: None,
        });
    }
    // New questions with a tag or by a person someone follows (`followed_person` wins
    // over `followed_tag`, so each question notifies each follower once).
    let (asked, read, last) = super::interests::new_questions(conn, lo, SCAN_LIMIT)?;
    full(read, last.map(ms_of));
    for q in asked {
        for to in q.by_person {
            out.push(Candidate::post(to, Kind::FollowedPerson, q.post, q.author));
        }
        for to in q.by_tag {
            out.push(Candidate::post(to, Kind::FollowedTag, q.post, q.author));
        }
    }
    Ok(Scan {
        inserted: insert(conn, out)?,
        read_until,
    })
}

impl Candidate {
    fn post(to: i64, kind: Kind, post: i64, by: i64) -> Candidate {
        Candidate {
            to_actor: to,
            kind,
            subject: post.to_string(),
            by: Some(by),
            post: Some(post),
            badge: None,
            report: None,
        }
    }
}

/// Authors of posts, by post id.
fn authors_of(conn: &mut DbConn, ids: HashSet<i64>) -> AppResult<HashMap<i64, i64>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<i64> = ids.into_iter().collect();
    Ok(with_conn!(conn, c => p::table
        .filter(p::id.eq_any(ids))
        .select((p::id, p::author_id))
        .load::<(i64, i64)>(c))?
    .into_iter()
    .collect())
}

/// Keeps the candidates addressed to local users other than the doer and inserts them.
fn insert(conn: &mut DbConn, out: Vec<Candidate>) -> AppResult<usize> {
    let out: Vec<Candidate> = out
        .into_iter()
        .filter(|c| c.by != Some(c.to_actor))
        .collect();
    if out.is_empty() {
        return Ok(0);
    }
    let actors: Vec<i64> = out.iter().map(|c| c.to_actor).collect();
    // Nobody is notified of what a person they blocked did.
    let doers: Vec<i64> = out.iter().filter_map(|c| c.by).collect();
    let blocked: HashSet<(i64, i64)> = super::blocks::among(conn, &actors, &doers)?
        .into_iter()
        .collect();
    let out: Vec<Candidate> = out
        .into_iter()
        .filter(|c| c.by.is_none_or(|by| !blocked.contains(&(c.to_actor, by))))
        .collect();
    let locals: HashMap<i64, i64> = with_conn!(conn, c => users::table
        .filter(users::actor_id.eq_any(actors))
        .select((users::actor_id, users::id))
        .load::<(i64, i64)>(c))?
    .into_iter()
    .collect();
    let user_ids: Vec<i64> = locals.values().copied().collect();
    let prefs: HashMap<(i64, String), String> = with_conn!(conn, c => np::table
        .filter(np::user_id.eq_any(user_ids))
        .select((np::user_id, np::kind, np::email))
        .load::<(i64, String, String)>(c))?
    .into_iter()
    .map(|(u, k, e)| ((u, k), e))
    .collect();
    let now = now_ms();
    let rows: Vec<Notification> = out
        .into_iter()
        .filter_map(|c| {
            let user = *locals.get(&c.to_actor)?;
            let kind = c.kind.as_str().to_string();
            let email =
                notify::email_choice(&kind, prefs.get(&(user, kind.clone())).map(String::as_str));
            Some(Notification {
                id: new_id(),
                user_id: user,
                kind,
                subject: c.subject,
                actor_id: c.by,
                post_id: c.post,
                badge: c.badge,
                report_id: c.report,
                created_at: now,
                read_at: None,
                email_state: notify::email_state(email).to_string(),
                emailed_at: None,
            })
        })
        .collect();
    // Most candidates of a re-read window are there already: write only the others, so
    // that a scan that finds nothing new takes no write lock.
    let users: Vec<i64> = rows.iter().map(|r| r.user_id).collect();
    let subjects: Vec<&str> = rows.iter().map(|r| r.subject.as_str()).collect();
    let existing: HashSet<(i64, String, String)> = with_conn!(conn, c => n::table
        .filter(n::user_id.eq_any(&users))
        .filter(n::subject.eq_any(&subjects))
        .select((n::user_id, n::kind, n::subject))
        .load::<(i64, String, String)>(c))?
    .into_iter()
    .collect();
    let rows: Vec<Notification> = rows
        .into_iter()
        .filter(|r| !existing.contains(&(r.user_id, r.kind.clone(), r.subject.clone())))
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    // Few rows per scan: one statement each.
    conn.transaction(|conn| {
        let mut inserted = 0;
        for row in &rows {
            inserted += with_conn!(conn, c => diesel::insert_into(n::table)
                .values(row)
                .on_conflict_do_nothing()
                .execute(c))?;
        }
        Ok(inserted)
    })
}

/// A scanner's cursor (ms), if it has run before.
pub fn cursor(conn: &mut DbConn, name: &str) -> AppResult<Option<i64>> {
    Ok(with_conn!(conn, c => cursors::table.find(name).select(cursors::at).first(c).optional())?)
}

/// Moves a scanner's cursor forward (never back: several processes may scan).
pub fn set_cursor(conn: &mut DbConn, name: &str, at: i64) -> AppResult<()> {
    conn.transaction(|conn| {
        let current = cursor(conn, name)?;
        match current {
            None => with_conn!(conn, c => diesel::insert_into(cursors::table)
                .values((cursors::name.eq(name), cursors::at.eq(at)))
                .on_conflict_do_nothing()
                .execute(c))?,
            Some(cur) if cur < at => {
                with_conn!(conn, c => diesel::update(cursors::table.find(name))
                .filter(cursors::at.lt(at))
                .set(cursors::at.eq(at))
                .execute(c))?
            }
            Some(_) => 0,
        };
        Ok(())
    })
}

/// A user's notifications, newest first, older than `before` (an id) if given.
pub fn list(
    conn: &mut DbConn,
    user: i64,
    before: Option<i64>,
    limit: i64,
) -> AppResult<Vec<Notification>> {
    Ok(with_conn!(conn, c => {
        let mut q = n::table
            .filter(n::user_id.eq(user))
            .order(n::id.desc())
            .limit(limit)
            .select(Notification::as_select())
            .into_boxed();
        if let Some(b) = before {
            q = q.filter(n::id.lt(b));
        }
        q.load(c)
    })?)
}

pub fn unread_count(conn: &mut DbConn, user: i64) -> AppResult<i64> {
    Ok(with_conn!(conn, c => n::table
        .filter(n::user_id.eq(user))
        .filter(n::read_at.is_null())
        .count()
        .get_result(c))?)
}

/// Marks one notification of `user` read; `false` when the user has no such notification.
pub fn mark_read(conn: &mut DbConn, user: i64, id: i64) -> AppResult<bool> {
    let now = now_ms();
    let found: i64 = with_conn!(conn, c => n::table
        .filter(n::id.eq(id))
        .filter(n::user_id.eq(user))
        .count()
        .get_result(c))?;
    with_conn!(conn, c => diesel::update(n::table)
        .filter(n::id.eq(id))
        .filter(n::user_id.eq(user))
        .filter(n::read_at.is_null())
        .set(n::read_at.eq(now))
        .execute(c))?;
    Ok(found > 0)
}

/// Marks all of a user's notifications read; returns how many were unread.
pub fn mark_all_read(conn: &mut DbConn, user: i64) -> AppResult<usize> {
    let now = now_ms();
    Ok(with_conn!(conn, c => diesel::update(n::table)
        .filter(n::user_id.eq(user))
        .filter(n::read_at.is_null())
        .set(n::read_at.eq(now))
        .execute(c))?)
}

/// A user's email choices that differ from the default, by kind.
pub fn prefs(conn: &mut DbConn, user: i64) -> AppResult<HashMap<String, String>> {
    Ok(with_conn!(conn, c => np::table
        .filter(np::user_id.eq(user))
        .select((np::kind, np::email))
        .load::<(String, String)>(c))?
    .into_iter()
    .collect())
}

/// The email state a new notification of `kind` for `user` starts in: their choice for
/// the kind, or the kind's default.
pub fn email_state_for(conn: &mut DbConn, user: i64, kind: &str) -> AppResult<&'static str> {
    let chosen: Option<String> = with_conn!(conn, c => np::table
        .find((user, kind))
        .select(np::email)
        .first::<String>(c)
        .optional())?;
    Ok(notify::email_state(notify::email_choice(
        kind,
        chosen.as_deref(),
    )))
}

/// Sets a user's email choice for some kinds.
pub fn set_prefs(conn: &mut DbConn, user: i64, choices: &[(String, String)]) -> AppResult<()> {
    conn.transaction(|conn| {
        for (kind, email) in choices {
            with_conn!(conn, c => diesel::delete(np::table.find((user, kind))).execute(c))?;
            with_conn!(conn, c => diesel::insert_into(np::table)
                .values((np::user_id.eq(user), np::kind.eq(kind), np::email.eq(email)))
                .execute(c))?;
        }
        Ok(())
    })
}

/// One notification of `user`.
pub fn get(conn: &mut DbConn, user: i64, id: i64) -> AppResult<Option<Notification>> {
    Ok(with_conn!(conn, c => n::table
        .filter(n::id.eq(id))
        .filter(n::user_id.eq(user))
        .select(Notification::as_select())
        .first(c)
        .optional())?)
}

/// Inserts one notification made by an action (once per user, kind and subject).
pub fn insert_one(conn: &mut DbConn, row: &Notification) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(n::table)
        .values(row)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}
