//! Cases (an organisation's private conversation with one customer), the questions
//! linked to them, their messages, and the organisations' CRM tokens.

use crate::db::ids::new_id;
use crate::db::queries::notifications::Notification;
use crate::db::schema::{
    case_counter as cc, case_messages as cm, case_questions as cq, cases as cs, crm_tokens as ct,
    notifications as n, users,
};
use crate::db::schema::{case_messages, cases, crm_tokens};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

/// The statuses in which a case is still open (not solved nor closed).
pub const OPEN_STATUSES: [&str; 3] = ["open", "pending_customer", "pending_company"];

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = cases)]
#[diesel(treat_none_as_null = true)]
pub struct Case {
    pub id: i64,
    /// Per instance, human readable (#1001).
    pub number: i64,
    pub organisation_id: i64,
    /// The group (actor) the case came from.
    pub group_id: Option<i64>,
    /// The customer's actor.
    pub customer_id: i64,
    pub subject: String,
    /// `open`, `pending_customer`, `pending_company`, `solved`, `closed`.
    pub status: String,
    /// `low`, `normal`, `high`, `urgent`.
    pub priority: String,
    /// A staff member's actor.
    pub assignee_id: Option<i64>,
    /// `customer`, `staff`, `rule`, `personal_data`.
    pub origin: String,
    /// The staff member's actor (origin `staff`) or the rule's id (origin `rule`).
    pub origin_ref: Option<i64>,
    pub crm_ticket_id: Option<String>,
    /// What the public thread shows about the case.
    pub public_note: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Case {
    pub fn is_open(&self) -> bool {
        OPEN_STATUSES.contains(&self.status.as_str())
    }
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = case_messages)]
pub struct CaseMessage {
    pub id: i64,
    pub case_id: i64,
    /// `customer`, `staff`, `crm`, `system`.
    pub author_kind: String,
    /// The author's actor (customer, staff).
    pub author_id: Option<i64>,
    pub body_md: String,
    pub body_html: String,
    /// The direct Note's id, for a message sent to or received from another server.
    pub ap_id: Option<String>,
    pub created_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = crm_tokens)]
pub struct CrmToken {
    pub id: i64,
    pub organisation_id: i64,
    pub name: String,
    pub token_hash: String,
    pub prefix: String,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// The next case number (on the caller's transaction; the counter row's lock
/// serialises concurrent openings).
pub fn next_number(conn: &mut DbConn) -> AppResult<i64> {
    with_conn!(conn, c => diesel::update(cc::table.find(1))
        .set(cc::last_number.eq(cc::last_number + 1))
        .execute(c))?;
    Ok(with_conn!(conn, c => cc::table.find(1).select(cc::last_number).first(c))?)
}

pub fn insert(conn: &mut DbConn, case: &Case) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(cs::table).values(case).execute(c))?;
    Ok(())
}

/// Saves a changed case (all its columns but id and number).
pub fn update(conn: &mut DbConn, case: &Case) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(cs::table.find(case.id))
        .set((
            cs::subject.eq(&case.subject),
            cs::status.eq(&case.status),
            cs::priority.eq(&case.priority),
            cs::assignee_id.eq(case.assignee_id),
            cs::crm_ticket_id.eq(&case.crm_ticket_id),
            cs::public_note.eq(&case.public_note),
            cs::group_id.eq(case.group_id),
            cs::updated_at.eq(case.updated_at),
        ))
        .execute(c))?;
    Ok(())
}

pub fn by_id(conn: &mut DbConn, id: i64) -> AppResult<Option<Case>> {
    Ok(with_conn!(conn, c => cs::table.find(id).select(Case::as_select()).first(c).optional())?)
}

pub fn by_number(conn: &mut DbConn, number: i64) -> AppResult<Option<Case>> {
    Ok(with_conn!(conn, c => cs::table
        .filter(cs::number.eq(number))
        .select(Case::as_select())
        .first(c)
        .optional())?)
}

/// Whether `customer` has a case of `org` that is still open.
pub fn has_open(conn: &mut DbConn, customer: i64, org: i64) -> AppResult<bool> {
    let n: i64 = with_conn!(conn, c => cs::table
        .filter(cs::customer_id.eq(customer))
        .filter(cs::organisation_id.eq(org))
        .filter(cs::status.eq_any(OPEN_STATUSES))
        .count()
        .get_result(c))?;
    Ok(n > 0)
}

/// A customer's cases, newest first.
pub fn of_customer(conn: &mut DbConn, customer: i64, limit: i64) -> AppResult<Vec<Case>> {
    Ok(with_conn!(conn, c => cs::table
        .filter(cs::customer_id.eq(customer))
        .order(cs::id.desc())
        .limit(limit)
        .select(Case::as_select())
        .load(c))?)
}

/// What a queue of cases is filtered by.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub status: Option<String>,
    pub priority: Option<String>,
    pub assignee: Option<i64>,
    /// Only the cases nobody is assigned.
    pub unassigned: bool,
    /// Only the cases still open (with no status chosen).
    pub open_only: bool,
}

/// An organisation's cases, newest first.
pub fn of_org(conn: &mut DbConn, org: i64, f: &Filter, limit: i64) -> AppResult<Vec<Case>> {
    Ok(with_conn!(conn, c => {
        let mut q = cs::table
            .filter(cs::organisation_id.eq(org))
            .select(Case::as_select())
            .order(cs::id.desc())
            .limit(limit)
            .into_boxed();
        if let Some(s) = &f.status {
            q = q.filter(cs::status.eq(s.clone()));
        } else if f.open_only {
            q = q.filter(cs::status.eq_any(OPEN_STATUSES));
        }
        if let Some(p) = &f.priority {
            q = q.filter(cs::priority.eq(p.clone()));
        }
        if let Some(a) = f.assignee {
            q = q.filter(cs::assignee_id.eq(a));
        }
        if f.unassigned {
            q = q.filter(cs::assignee_id.is_null());
        }
        q.load(c)
    })?)
}

/// Links `question` to `case` (once).
pub fn link(conn: &mut DbConn, case: i64, question: i64) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::insert_into(cq::table)
        .values((cq::case_id.eq(case), cq::question_id.eq(question), cq::linked_at.eq(now_ms())))
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(n > 0)
}

/// The questions linked to `case`, oldest link first.
pub fn questions_of(conn: &mut DbConn, case: i64) -> AppResult<Vec<i64>> {
    Ok(with_conn!(conn, c => cq::table
        .filter(cq::case_id.eq(case))
        .order(cq::linked_at.asc())
        .select(cq::question_id)
        .load(c))?)
}

/// The cases linked to `question`, oldest first.
pub fn of_question(conn: &mut DbConn, question: i64) -> AppResult<Vec<Case>> {
    Ok(with_conn!(conn, c => cs::table
        .filter(cs::id.eq_any(cq::table.filter(cq::question_id.eq(question)).select(cq::case_id)))
        .order(cs::id.asc())
        .select(Case::as_select())
        .load(c))?)
}

pub fn add_message(conn: &mut DbConn, m: &CaseMessage) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(cm::table).values(m).execute(c))?;
    Ok(())
}

/// A case's messages, oldest first.
pub fn messages(conn: &mut DbConn, case: i64) -> AppResult<Vec<CaseMessage>> {
    Ok(with_conn!(conn, c => cm::table
        .filter(cm::case_id.eq(case))
        .order(cm::id.asc())
        .select(CaseMessage::as_select())
        .load(c))?)
}

/// The message whose direct Note is `ap_id`.
pub fn message_by_ap_id(conn: &mut DbConn, ap_id: &str) -> AppResult<Option<CaseMessage>> {
    Ok(with_conn!(conn, c => cm::table
        .filter(cm::ap_id.eq(ap_id))
        .select(CaseMessage::as_select())
        .first(c)
        .optional())?)
}

/// The latest message of `case` that has a Note id (what the next one replies to).
pub fn last_federated(conn: &mut DbConn, case: i64) -> AppResult<Option<String>> {
    Ok(with_conn!(conn, c => cm::table
        .filter(cm::case_id.eq(case))
        .filter(cm::ap_id.is_not_null())
        .order(cm::id.desc())
        .select(cm::ap_id)
        .first::<Option<String>>(c)
        .optional())?
    .flatten())
}

/// The users who are staff of `org` (user id, actor id).
pub fn staff_of(conn: &mut DbConn, org: i64) -> AppResult<Vec<(i64, i64)>> {
    Ok(with_conn!(conn, c => users::table
        .filter(users::organisation_id.eq(org))
        .filter(users::suspended_at.is_null())
        .select((users::id, users::actor_id))
        .load(c))?)
}

/// Notifies the local users `to` (user ids) of `kind` about `case`: the subject is
/// `{case id}:{what}`, so each event notifies each user once.
pub fn notify(
    conn: &mut DbConn,
    to: &[i64],
    kind: &str,
    case: &Case,
    what: i64,
    by: Option<i64>,
) -> AppResult<()> {
    let now = now_ms();
    for user in to {
        let email_state = super::notifications::email_state_for(conn, *user, kind)?;
        let row = Notification {
            id: new_id(),
            user_id: *user,
            kind: kind.to_string(),
            subject: format!("{}:{what}", case.id),
            actor_id: by,
            post_id: None,
            badge: None,
            report_id: None,
            created_at: now,
            read_at: None,
            email_state: email_state.into(),
            emailed_at: None,
        };
        with_conn!(conn, c => diesel::insert_into(n::table)
            .values(&row)
            .on_conflict_do_nothing()
            .execute(c))?;
    }
    Ok(())
}

/// The case of a notification's subject (`{case id}:...`).
pub fn of_notification(conn: &mut DbConn, subject: &str) -> AppResult<Option<Case>> {
    match subject.split(':').next().and_then(|s| s.parse().ok()) {
        Some(id) => by_id(conn, id),
        None => Ok(None),
    }
}

pub fn insert_token(conn: &mut DbConn, t: &CrmToken) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(ct::table).values(t).execute(c))?;
    Ok(())
}

/// An organisation's tokens, newest first (revoked ones too).
pub fn tokens_of(conn: &mut DbConn, org: i64) -> AppResult<Vec<CrmToken>> {
    Ok(with_conn!(conn, c => ct::table
        .filter(ct::organisation_id.eq(org))
        .order(ct::id.desc())
        .select(CrmToken::as_select())
        .load(c))?)
}

pub fn token_by_hash(conn: &mut DbConn, hash: &str) -> AppResult<Option<CrmToken>> {
    Ok(with_conn!(conn, c => ct::table
        .filter(ct::token_hash.eq(hash))
        .select(CrmToken::as_select())
        .first(c)
        .optional())?)
}

pub fn touch_token(conn: &mut DbConn, id: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(ct::table.find(id))
        .set(ct::last_used_at.eq(now_ms()))
        .execute(c))?;
    Ok(())
}

/// Revokes the token `id` of `org`; false when there is no such token.
pub fn revoke_token(conn: &mut DbConn, org: i64, id: i64) -> AppResult<bool> {
    let n = with_conn!(conn, c => diesel::update(
        ct::table.filter(ct::id.eq(id)).filter(ct::organisation_id.eq(org)).filter(ct::revoked_at.is_null()),
    )
    .set(ct::revoked_at.eq(now_ms()))
    .execute(c))?;
    Ok(n > 0)
}

/// The public notes of cases on a remote question, as its group sent them:
/// (organisation, note), in the order sent.
pub fn remote_notes(conn: &mut DbConn, question: i64) -> AppResult<Vec<(String, String)>> {
    use crate::db::schema::remote_case_notes as rn;
    Ok(with_conn!(conn, c => rn::table
        .filter(rn::post_id.eq(question))
        .order(rn::position.asc())
        .select((rn::organisation, rn::content))
        .load(c))?)
}

/// Replaces the remote notes of `question` with `notes`; whether they changed.
pub fn replace_remote_notes(
    conn: &mut DbConn,
    question: i64,
    notes: &[(String, String)],
) -> AppResult<bool> {
    use crate::db::schema::remote_case_notes as rn;
    if remote_notes(conn, question)? == notes {
        return Ok(false);
    }
    let now = now_ms();
    let rows: Vec<_> = notes
        .iter()
        .enumerate()
        .map(|(i, (org, note))| {
            (
                rn::post_id.eq(question),
                rn::position.eq(i as i32),
                rn::organisation.eq(org.as_str()),
                rn::content.eq(note.as_str()),
                rn::received_at.eq(now),
            )
        })
        .collect();
    with_conn!(conn, c => {
        diesel::delete(rn::table.filter(rn::post_id.eq(question))).execute(c)?;
        match rows.is_empty() {
            true => Ok(0),
            false => diesel::insert_into(rn::table).values(&rows).execute(c),
        }
    })?;
    Ok(true)
}
