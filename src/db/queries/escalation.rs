//! Escalation rules, what they escalated, and the evaluator's set-based scans: one query
//! per rule kind finds the (rule, question) pairs due, across every enabled rule of that
//! kind, skipping those already escalated (an anti-join on the unique key).

use crate::db::ids::new_id;
use crate::db::notification_kinds as notify;
use crate::db::queries::cases::Case;
use crate::db::queries::notifications::Notification;
use crate::db::queries::webhooks::PENDING;
use crate::db::schema::{case_counter as cc, case_questions as cq, cases as cs};
use crate::db::schema::{escalation_rules, escalations};
use crate::db::schema::{
    escalation_rules as er, escalations as es, notification_prefs as np, notifications as n,
    posts as p, users, webhook_deliveries as wd,
};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::with_conn;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use std::collections::{HashMap, HashSet};

/// How far back the keyword, tag and open-case rules look: questions published in the
/// last 7 days (and since the rule was made), so that a pass reads a week of questions,
/// not the group's history.
pub const LOOKBACK_MS: i64 = 7 * 86_400_000;

/// The notification kind that tells an organisation's staff about an escalation.
pub const NOTICE: &str = "escalation";

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = escalation_rules)]
pub struct Rule {
    pub id: i64,
    pub group_id: i64,
    pub kind: String,
    pub parameter: String,
    pub wait_ms: i64,
    pub organisation_id: i64,
    pub priority: String,
    pub enabled: bool,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = escalations)]
pub struct Escalation {
    pub id: i64,
    pub rule_id: i64,
    pub question_id: i64,
    pub group_id: i64,
    pub organisation_id: i64,
    pub priority: String,
    pub case_id: Option<i64>,
    pub created_at: i64,
}

pub fn insert_rule(conn: &mut DbConn, rule: &Rule) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(er::table).values(rule).execute(c))?;
    Ok(())
}

/// A group's rules, oldest first.
pub fn rules_of(conn: &mut DbConn, group: i64) -> AppResult<Vec<Rule>> {
    Ok(with_conn!(conn, c => er::table
        .filter(er::group_id.eq(group))
        .order(er::id.asc())
        .select(Rule::as_select())
        .load(c))?)
}

pub fn rule(conn: &mut DbConn, id: i64) -> AppResult<Option<Rule>> {
    Ok(with_conn!(conn, c => er::table
        .find(id)
        .select(Rule::as_select())
        .first(c)
        .optional())?)
}

/// Every enabled rule (the evaluator reads them once per pass).
pub fn enabled_rules(conn: &mut DbConn) -> AppResult<Vec<Rule>> {
    Ok(with_conn!(conn, c => er::table
        .filter(er::enabled.eq(true))
        .select(Rule::as_select())
        .load(c))?)
}

pub fn set_enabled(conn: &mut DbConn, id: i64, enabled: bool) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(er::table.find(id))
        .set(er::enabled.eq(enabled))
        .execute(c))?;
    Ok(())
}

/// Deletes a rule and its record of what it escalated (the cases it opened stay).
pub fn delete_rule(conn: &mut DbConn, id: i64) -> AppResult<()> {
    conn.transaction(|conn| {
        with_conn!(conn, c => diesel::delete(es::table.filter(es::rule_id.eq(id))).execute(c))?;
        with_conn!(conn, c => diesel::delete(er::table.find(id)).execute(c))?;
        Ok(())
    })
}

/// A group's latest escalations, newest first.
pub fn recent(conn: &mut DbConn, group: i64, limit: i64) -> AppResult<Vec<Escalation>> {
    Ok(with_conn!(conn, c => es::table
        .filter(es::group_id.eq(group))
        .order((es::created_at.desc(), es::id.desc()))
        .limit(limit)
        .select(Escalation::as_select())
        .load(c))?)
}

/// How many escalations there are (benchmarks and tests).
pub fn count(conn: &mut DbConn) -> AppResult<i64> {
    Ok(with_conn!(conn, c => es::table.count().get_result(c))?)
}

/// Records that `e.rule_id` escalated `e.question_id`; false when it already had (a
/// process racing on the same database got there first).
pub fn insert(conn: &mut DbConn, e: &Escalation) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::insert_into(es::table)
        .values(e)
        .on_conflict((es::rule_id, es::question_id))
        .do_nothing()
        .execute(c))?;
    Ok(n == 1)
}

pub fn set_case(conn: &mut DbConn, escalation: i64, case: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(es::table.find(escalation))
        .set(es::case_id.eq(Some(case)))
        .execute(c))?;
    Ok(())
}

/// A notification of the escalation to each of the organisation's staff (its local
/// users not suspended); returns how many.
pub fn notify_staff(conn: &mut DbConn, e: &Escalation, author: i64) -> AppResult<usize> {
    let staff: Vec<i64> = with_conn!(conn, c => users::table
        .filter(users::organisation_id.eq(e.organisation_id))
        .filter(users::suspended_at.is_null())
        .select(users::id)
        .load(c))?;
    let rows: Vec<Notification> = staff
        .into_iter()
        .map(|user| Notification {
            id: new_id(),
            user_id: user,
            kind: NOTICE.into(),
            subject: e.id.to_string(),
            actor_id: Some(author),
            post_id: Some(e.question_id),
            badge: None,
            report_id: None,
            created_at: e.created_at,
            read_at: None,
            email_state: "none".into(),
            emailed_at: None,
        })
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    Ok(with_conn!(conn, c => diesel::insert_into(n::table)
        .values(&rows)
        .execute(c))?)
}

/// The rules `ids` (a chunk's rules, read at once).
pub fn rules_by_ids(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<Rule>> {
    Ok(with_conn!(conn, c => er::table
        .filter(er::id.eq_any(ids))
        .select(Rule::as_select())
        .load(c))?)
}

/// Rows per multi-row insert of the bulk writes below (well under both databases' limits
/// on bound values).
const ROWS_PER_INSERT: usize = 500;

/// Records a chunk of escalations with multi-row inserts; the ids of those that landed.
/// A pair the rule has escalated already (a process racing on the same database got
/// there first) is skipped by the unique key. `rows` come sorted by (rule, question),
/// so that two processes on PostgreSQL wait for each other's keys in one order (no
/// deadlock).
pub fn insert_many(conn: &mut DbConn, rows: &[Escalation]) -> AppResult<HashSet<i64>> {
    for part in rows.chunks(ROWS_PER_INSERT) {
        let values: Vec<_> = part
            .iter()
            .map(|e| {
                (
                    es::id.eq(e.id),
                    es::rule_id.eq(e.rule_id),
                    es::question_id.eq(e.question_id),
                    es::group_id.eq(e.group_id),
                    es::organisation_id.eq(e.organisation_id),
                    es::priority.eq(&e.priority),
                    es::case_id.eq(e.case_id),
                    es::created_at.eq(e.created_at),
                )
            })
            .collect();
        with_conn!(conn, c => diesel::insert_into(es::table)
            .values(&values)
            .on_conflict((es::rule_id, es::question_id))
            .do_nothing()
            .execute(c))?;
    }
    // The ids are new: those present are the rows this insert wrote.
    let mut landed = HashSet::new();
    for part in rows.chunks(ROWS_PER_INSERT) {
        let ids: Vec<i64> = part.iter().map(|e| e.id).collect();
        let found: Vec<i64> = with_conn!(conn, c => es::table
            .filter(es::id.eq_any(&ids))
            .select(es::id)
            .load(c))?;
        landed.extend(found);
    }
    Ok(landed)
}

/// Takes `n` case numbers at once (one bump of the counter, whose row lock serialises
/// concurrent openings on PostgreSQL); the first of them.
pub fn reserve_case_numbers(conn: &mut DbConn, n: i64) -> AppResult<i64> {
    with_conn!(conn, c => diesel::update(cc::table.find(1))
        .set(cc::last_number.eq(cc::last_number + n))
        .execute(c))?;
    let last: i64 = with_conn!(conn, c => cc::table.find(1).select(cc::last_number).first(c))?;
    Ok(last - n + 1)
}

/// Inserts cases, each linked to its one question (`links`: case, question), with
/// multi-row inserts.
pub fn insert_cases(
    conn: &mut DbConn,
    cases: &[Case],
    links: &[(i64, i64)],
    at: i64,
) -> AppResult<()> {
    for part in cases.chunks(ROWS_PER_INSERT) {
        with_conn!(conn, c => diesel::insert_into(cs::table).values(part).execute(c))?;
    }
    for part in links.chunks(ROWS_PER_INSERT) {
        let values: Vec<_> = part
            .iter()
            .map(|(case, q)| {
                (
                    cq::case_id.eq(*case),
                    cq::question_id.eq(*q),
                    cq::linked_at.eq(at),
                )
            })
            .collect();
        with_conn!(conn, c => diesel::insert_into(cq::table).values(&values).execute(c))?;
    }
    Ok(())
}

/// The local users of `actors`: actor id to user id.
pub fn users_of_actors(conn: &mut DbConn, actors: &[i64]) -> AppResult<HashMap<i64, i64>> {
    let mut out = HashMap::new();
    for part in actors.chunks(ROWS_PER_INSERT) {
        let rows: Vec<(i64, i64)> = with_conn!(conn, c => users::table
            .filter(users::actor_id.eq_any(part))
            .select((users::actor_id, users::id))
            .load(c))?;
        out.extend(rows);
    }
    Ok(out)
}

/// The email state a new notification of `kind` starts in for each of `users` (their
/// choice, or the kind's default), read at once.
pub fn email_states(
    conn: &mut DbConn,
    users: &[i64],
    kind: &str,
) -> AppResult<HashMap<i64, &'static str>> {
    let mut chosen: HashMap<i64, String> = HashMap::new();
    for part in users.chunks(ROWS_PER_INSERT) {
        let rows: Vec<(i64, String)> = with_conn!(conn, c => np::table
            .filter(np::user_id.eq_any(part))
            .filter(np::kind.eq(kind))
            .select((np::user_id, np::email))
            .load(c))?;
        chosen.extend(rows);
    }
    Ok(users
        .iter()
        .map(|u| {
            let choice = notify::email_choice(kind, chosen.get(u).map(String::as_str));
            (*u, notify::email_state(choice))
        })
        .collect())
}

/// Inserts notifications with multi-row inserts.
pub fn insert_notifications(conn: &mut DbConn, rows: &[Notification]) -> AppResult<()> {
    for part in rows.chunks(ROWS_PER_INSERT) {
        with_conn!(conn, c => diesel::insert_into(n::table).values(part).execute(c))?;
    }
    Ok(())
}

/// Queues webhook deliveries (endpoint, event type, payload) with multi-row inserts,
/// on the caller's transaction.
pub fn enqueue_many(conn: &mut DbConn, rows: &[(i64, &str, &str)], at: i64) -> AppResult<()> {
    for part in rows.chunks(ROWS_PER_INSERT) {
        let values: Vec<_> = part
            .iter()
            .map(|(endpoint, kind, payload)| {
                (
                    wd::id.eq(new_id()),
                    wd::endpoint_id.eq(*endpoint),
                    wd::event_type.eq(*kind),
                    wd::payload.eq(*payload),
                    wd::status.eq(PENDING),
                    wd::attempts.eq(0),
                    wd::next_attempt_at.eq(at),
                    wd::locked_until.eq(0i64),
                    wd::created_at.eq(at),
                    wd::updated_at.eq(at),
                )
            })
            .collect();
        with_conn!(conn, c => diesel::insert_into(wd::table).values(&values).execute(c))?;
    }
    Ok(())
}

/// Up to `limit` (rule, question) pairs due under the enabled rules of `kind` at `now`,
/// oldest questions first. Every kind looks at a group's questions that are neither
/// deleted, removed nor locked, not yet escalated by the rule and not linked to a case;
/// the timed kinds at
/// those whose deadline (publication + the wait) has passed, but not before the rule
/// existed; the others at questions published since the rule was made and within
/// [`LOOKBACK_MS`].
pub fn due(conn: &mut DbConn, kind: &str, now: i64, limit: i64) -> AppResult<Vec<(i64, i64)>> {
    // Literals, not binds, so that the planners can use the partial indexes.
    let condition = match kind {
        "unanswered_hours" => "posts.answer_count = 0",
        "unaccepted_days" => "posts.accepted_answer_id IS NULL",
        "keyword" => {
            "lower(posts.search_text) LIKE '%' || replace(replace(replace(\
             escalation_rules.parameter, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' ESCAPE '\\'"
        }
        "tag" => {
            "(' ' || posts.tags || ' ') LIKE '% ' || replace(replace(replace(\
             escalation_rules.parameter, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || ' %' ESCAPE '\\'"
        }
        "open_case" => OPEN_CASE,
        _ => return Ok(Vec::new()),
    };
    let timed = matches!(kind, "unanswered_hours" | "unaccepted_days");
    // A number formatted into the text, not a bind, for the same reason.
    let window = if timed {
        format!(
            "posts.published_at <= {now} - escalation_rules.wait_ms \
             AND posts.published_at >= escalation_rules.created_at - escalation_rules.wait_ms"
        )
    } else {
        format!(
            "posts.published_at >= escalation_rules.created_at AND posts.published_at >= {}",
            now - LOOKBACK_MS
        )
    };
    let rows = with_conn!(conn, c => p::table
        .inner_join(er::table.on(p::group_id.eq(er::group_id.nullable())))
        .filter(er::kind.eq(kind))
        .filter(er::enabled.eq(true))
        .filter(sql::<Bool>(
            "posts.kind = 'question' AND NOT posts.deleted AND NOT posts.removed \
             AND NOT posts.locked",
        ))
        .filter(sql::<Bool>(&window))
        .filter(sql::<Bool>(condition))
        .filter(sql::<Bool>(
            "NOT EXISTS (SELECT 1 FROM escalations WHERE escalations.rule_id = \
             escalation_rules.id AND escalations.question_id = posts.id)",
        ))
        .filter(sql::<Bool>(NOT_IN_A_CASE))
        .order(p::published_at.asc())
        .limit(limit)
        .select((er::id, p::id))
        .load::<(i64, i64)>(c))?;
    Ok(rows)
}

/// The question is not linked to a case already (of any organisation: one queue at a
/// time; an index probe per question).
const NOT_IN_A_CASE: &str = "NOT EXISTS (SELECT 1 FROM case_questions \
     WHERE case_questions.question_id = posts.id)";

/// The asker has a case with the rule's organisation that is neither solved nor closed.
const OPEN_CASE: &str = "EXISTS (SELECT 1 FROM cases WHERE cases.customer_id = posts.author_id \
     AND cases.organisation_id = escalation_rules.organisation_id \
     AND cases.status NOT IN ('solved', 'closed'))";

/// Benchmarks: `count` open questions by `author` spread over `groups` and over the
/// period `(from, to)`, ids from `first_id`. One in 20 is unanswered, one in 50 mentions
/// "refund" and one in 50 is tagged `billing`; none has an accepted answer.
pub fn seed_questions(
    conn: &mut DbConn,
    groups: &[i64],
    author: i64,
    count: i64,
    (from, to): (i64, i64),
    first_id: i64,
) -> AppResult<()> {
    let step = ((to - from) / count.max(1)).max(1);
    conn.transaction(|conn| {
        for chunk in (0..count).collect::<Vec<_>>().chunks(500) {
            let rows: Vec<String> = chunk
                .iter()
                .map(|&i| {
                    let q = first_id + i;
                    let at = from + i * step;
                    let group = groups[i as usize % groups.len()];
                    let answers = i32::from(i % 20 != 0);
                    let text = if i % 50 == 7 {
                        format!("Question {i} about a Refund")
                    } else {
                        format!("Question {i} about the printer")
                    };
                    let tags = if i % 50 == 9 {
                        "billing printer"
                    } else {
                        "printer"
                    };
                    format!(
                        "({q}, 'https://bench.invalid/p/{q}', 'question', {group}, {author}, \
                         'Question {i}', '<p>Body</p>', '{text}', '{tags}', {answers}, \
                         {at}, {at}, {at}, TRUE, TRUE)"
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO posts (id, ap_id, kind, group_id, author_id, title, content_html, \
                 search_text, tags, answer_count, published_at, last_activity_at, created_at, \
                 local, public) VALUES {}",
                rows.join(", ")
            );
            with_conn!(conn, c => diesel::sql_query(&sql).execute(c))?;
        }
        Ok(())
    })
}

/// Benchmarks and tests: adds `word` to the text of the `count` questions seeded from
/// `first_id` (so that a keyword rule matches them all).
pub fn mention_all(conn: &mut DbConn, first_id: i64, count: i64, word: &str) -> AppResult<()> {
    let text = format!(" {word}");
    with_conn!(conn, c => diesel::update(
        p::table.filter(p::id.ge(first_id)).filter(p::id.lt(first_id + count)),
    )
    .set(p::search_text.eq(sql::<diesel::sql_types::Text>("search_text || ").bind::<diesel::sql_types::Text, _>(text)))
    .execute(c))?;
    Ok(())
}
