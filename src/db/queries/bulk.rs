//! Bulk inserts on PostgreSQL with one statement shape whatever the number of rows.
//!
//! A multi-row `INSERT … VALUES (…), (…)` is a new statement for every row count, so the
//! server parses, analyses and plans it on every batch (diesel cannot keep it prepared).
//! Under inbox load that was about a quarter of PostgreSQL's CPU. Here each column is
//! bound as one array and `unnest`ed: `INSERT INTO t (a, b) SELECT * FROM unnest($1, $2)`.
//! The text never changes, so diesel prepares it once per connection (keyed by the
//! marker type) and the bind count stays at one per column, whatever the batch size.
//! SQLite keeps diesel's multi-row inserts: it parses statements cheaply in-process.
//! Nothing is sent when there are no rows.

use crate::db::models::{Activity, Delivery, Inbound, Post};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Array, BigInt, Bool, HasSqlType, Integer, Nullable, Text};
use std::marker::PhantomData;

/// One column's values, bound as an array.
struct Column<ST, U>(Vec<U>, PhantomData<ST>);

impl<ST: 'static, U> QueryFragment<Pg> for Column<ST, U>
where
    Pg: HasSqlType<ST>,
    Vec<U>: ToSql<Array<ST>, Pg>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_bind_param::<Array<ST>, Vec<U>>(&self.0)
    }
}

type Columns<'a> = Vec<Box<dyn QueryFragment<Pg> + 'a>>;

fn column<'a, ST: 'static, U: 'a>(values: Vec<U>) -> Box<dyn QueryFragment<Pg> + 'a>
where
    Pg: HasSqlType<ST>,
    Vec<U>: ToSql<Array<ST>, Pg>,
{
    Box::new(Column::<ST, U>(values, PhantomData))
}

/// `{head} SELECT * FROM unnest(<columns>) {tail}`; `Id` names the statement for
/// diesel's prepared-statement cache, so every statement needs its own.
struct Unnest<'a, Id> {
    head: &'static str,
    columns: Columns<'a>,
    tail: &'static str,
    id: PhantomData<Id>,
}

impl<'a, Id> Unnest<'a, Id> {
    fn new(head: &'static str, columns: Columns<'a>, tail: &'static str) -> Self {
        Unnest {
            head,
            columns,
            tail,
            id: PhantomData,
        }
    }
}

impl<Id: 'static> QueryId for Unnest<'_, Id> {
    type QueryId = Id;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<Id> QueryFragment<Pg> for Unnest<'_, Id> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql(self.head);
        out.push_sql(" SELECT * FROM unnest(");
        for (i, c) in self.columns.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            c.walk_ast(out.reborrow())?;
        }
        out.push_sql(") ");
        out.push_sql(self.tail);
        Ok(())
    }
}

/// Statements here return at most one text column (`RETURNING ap_id`).
impl<Id> Query for Unnest<'_, Id> {
    type SqlType = Text;
}

impl<Id> RunQueryDsl<PgConnection> for Unnest<'_, Id> {}

/// Collects one field of every row into a column.
fn each<'a, T, U>(rows: &'a [T], f: impl Fn(&'a T) -> U) -> Vec<U> {
    rows.iter().map(f).collect()
}

/// Inserts posts not stored yet (by id or `ap_id`); returns the `ap_id`s inserted.
pub fn posts(c: &mut PgConnection, rows: &[Post]) -> QueryResult<Vec<String>> {
    struct Id;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let columns: Columns = vec![
        column::<BigInt, _>(each(rows, |p| p.id)),
        column::<Text, _>(each(rows, |p| p.ap_id.as_str())),
        column::<Text, _>(each(rows, |p| p.kind.as_str())),
        column::<Nullable<BigInt>, _>(each(rows, |p| p.group_id)),
        column::<BigInt, _>(each(rows, |p| p.author_id)),
        column::<Nullable<BigInt>, _>(each(rows, |p| p.question_id)),
        column::<Nullable<BigInt>, _>(each(rows, |p| p.parent_id)),
        column::<Nullable<Text>, _>(each(rows, |p| p.title.as_deref())),
        column::<Text, _>(each(rows, |p| p.content_html.as_str())),
        column::<Nullable<Text>, _>(each(rows, |p| p.source_md.as_deref())),
        column::<Text, _>(each(rows, |p| p.search_text.as_str())),
        column::<Text, _>(each(rows, |p| p.tags.as_str())),
        column::<Nullable<Text>, _>(each(rows, |p| p.url.as_deref())),
        column::<Bool, _>(each(rows, |p| p.local)),
        column::<Bool, _>(each(rows, |p| p.public)),
        column::<Bool, _>(each(rows, |p| p.deleted)),
        column::<Bool, _>(each(rows, |p| p.removed)),
        column::<Bool, _>(each(rows, |p| p.locked)),
        column::<Nullable<BigInt>, _>(each(rows, |p| p.accepted_answer_id)),
        column::<Integer, _>(each(rows, |p| p.upvotes)),
        column::<Integer, _>(each(rows, |p| p.downvotes)),
        column::<Integer, _>(each(rows, |p| p.answer_count)),
        column::<BigInt, _>(each(rows, |p| p.published_at)),
        column::<Nullable<BigInt>, _>(each(rows, |p| p.updated_at)),
        column::<BigInt, _>(each(rows, |p| p.last_activity_at)),
        column::<BigInt, _>(each(rows, |p| p.created_at)),
        column::<Bool, _>(each(rows, |p| p.featured)),
    ];
    Unnest::<Id>::new(
        "INSERT INTO posts (id, ap_id, kind, group_id, author_id, question_id, parent_id, \
         title, content_html, source_md, search_text, tags, url, local, public, deleted, \
         removed, locked, accepted_answer_id, upvotes, downvotes, answer_count, \
         published_at, updated_at, last_activity_at, created_at, featured)",
        columns,
        "ON CONFLICT DO NOTHING RETURNING ap_id",
    )
    .get_results(c)
}

/// Records activity ids as received at `at`; returns those not recorded before.
pub fn received(c: &mut PgConnection, ap_ids: &[&str], at: i64) -> QueryResult<Vec<String>> {
    struct Id;
    if ap_ids.is_empty() {
        return Ok(Vec::new());
    }
    let columns: Columns = vec![
        column::<Text, _>(ap_ids.to_vec()),
        column::<BigInt, _>(vec![at; ap_ids.len()]),
    ];
    Unnest::<Id>::new(
        "INSERT INTO received_activities (ap_id, received_at)",
        columns,
        "ON CONFLICT DO NOTHING RETURNING ap_id",
    )
    .get_results(c)
}

pub fn activities(c: &mut PgConnection, rows: &[&Activity]) -> QueryResult<usize> {
    struct Id;
    if rows.is_empty() {
        return Ok(0);
    }
    let columns: Columns = vec![
        column::<BigInt, _>(each(rows, |a| a.id)),
        column::<Text, _>(each(rows, |a| a.ap_id.as_str())),
        column::<BigInt, _>(each(rows, |a| a.actor_id)),
        column::<Text, _>(each(rows, |a| a.kind.as_str())),
        column::<Text, _>(each(rows, |a| a.body.as_str())),
        column::<Bool, _>(each(rows, |a| a.public)),
        column::<BigInt, _>(each(rows, |a| a.created_at)),
    ];
    Unnest::<Id>::new(
        "INSERT INTO activities (id, ap_id, actor_id, kind, body, public, created_at)",
        columns,
        "",
    )
    .execute(c)
}

pub fn deliveries(c: &mut PgConnection, rows: &[Delivery]) -> QueryResult<usize> {
    struct Id;
    if rows.is_empty() {
        return Ok(0);
    }
    let columns: Columns = vec![
        column::<BigInt, _>(each(rows, |d| d.id)),
        column::<BigInt, _>(each(rows, |d| d.activity_id)),
        column::<Text, _>(each(rows, |d| d.inbox.as_str())),
        column::<Text, _>(each(rows, |d| d.domain.as_str())),
        column::<Text, _>(each(rows, |d| d.status.as_str())),
        column::<Integer, _>(each(rows, |d| d.attempts)),
        column::<BigInt, _>(each(rows, |d| d.next_attempt_at)),
        column::<BigInt, _>(each(rows, |d| d.locked_until)),
        column::<Nullable<Text>, _>(each(rows, |d| d.last_error.as_deref())),
        column::<BigInt, _>(each(rows, |d| d.created_at)),
        column::<BigInt, _>(each(rows, |d| d.updated_at)),
    ];
    Unnest::<Id>::new(
        "INSERT INTO deliveries (id, activity_id, inbox, domain, status, attempts, \
         next_attempt_at, locked_until, last_error, created_at, updated_at)",
        columns,
        "",
    )
    .execute(c)
}

/// Records instances first seen at `at` (known ones are left as they are).
pub fn instances(c: &mut PgConnection, domains: &[&str], at: i64) -> QueryResult<usize> {
    struct Id;
    if domains.is_empty() {
        return Ok(0);
    }
    let columns: Columns = vec![
        column::<Text, _>(domains.to_vec()),
        column::<BigInt, _>(vec![at; domains.len()]),
    ];
    Unnest::<Id>::new(
        "INSERT INTO instances (domain, first_seen_at)",
        columns,
        "ON CONFLICT DO NOTHING",
    )
    .execute(c)
}

pub fn inbound(c: &mut PgConnection, rows: &[Inbound]) -> QueryResult<usize> {
    struct Id;
    if rows.is_empty() {
        return Ok(0);
    }
    let columns: Columns = vec![
        column::<BigInt, _>(each(rows, |r| r.id)),
        column::<BigInt, _>(each(rows, |r| r.signer_id)),
        column::<Text, _>(each(rows, |r| r.activity.as_str())),
        column::<BigInt, _>(each(rows, |r| r.received_at)),
        column::<Integer, _>(each(rows, |r| r.attempts)),
        column::<BigInt, _>(each(rows, |r| r.next_attempt_at)),
        column::<BigInt, _>(each(rows, |r| r.locked_until)),
    ];
    Unnest::<Id>::new(
        "INSERT INTO inbound_queue (id, signer_id, activity, received_at, attempts, \
         next_attempt_at, locked_until)",
        columns,
        "",
    )
    .execute(c)
}
