//! Private one-to-one conversations, their messages and what each local participant
//! has read.

use crate::db::ids::new_id;
use crate::db::schema::{
    conversation_messages as cm, conversation_reads as cr, conversations as cv,
};
use crate::db::schema::{conversation_messages, conversations};
use crate::db::{now_ms, DbConn};
use crate::error::AppResult;
use crate::with_conn;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = conversations)]
pub struct Conversation {
    pub id: i64,
    /// The participant with the lower actor id.
    pub low_id: i64,
    pub high_id: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Conversation {
    /// Whether the actor `id` takes part.
    pub fn has(&self, id: i64) -> bool {
        self.low_id == id || self.high_id == id
    }

    /// The participant other than `me`.
    pub fn other(&self, me: i64) -> i64 {
        if self.low_id == me {
            self.high_id
        } else {
            self.low_id
        }
    }
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug, PartialEq)]
#[diesel(table_name = conversation_messages)]
#[diesel(treat_none_as_null = true)]
pub struct Message {
    pub id: i64,
    pub conversation_id: i64,
    pub author_id: i64,
    pub body_md: String,
    pub body_html: String,
    /// The direct Note's id (ours or the remote author's).
    pub ap_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub created_at: i64,
    pub deleted_at: Option<i64>,
}

/// The conversation of the actors `a` and `b`, made when there is none yet.
pub fn between(conn: &mut DbConn, a: i64, b: i64) -> AppResult<Conversation> {
    let (low, high) = if a < b { (a, b) } else { (b, a) };
    let found = with_conn!(conn, c => cv::table
        .filter(cv::low_id.eq(low))
        .filter(cv::high_id.eq(high))
        .select(Conversation::as_select())
        .first(c)
        .optional())?;
    if let Some(found) = found {
        return Ok(found);
    }
    let now = now_ms();
    let new = Conversation {
        id: new_id(),
        low_id: low,
        high_id: high,
        created_at: now,
        updated_at: now,
    };
    with_conn!(conn, c => diesel::insert_into(cv::table).values(&new).execute(c))?;
    Ok(new)
}

pub fn by_id(conn: &mut DbConn, id: i64) -> AppResult<Option<Conversation>> {
    Ok(with_conn!(conn, c => cv::table
        .find(id)
        .select(Conversation::as_select())
        .first(c)
        .optional())?)
}

/// The conversations of the actor `me`, the latest first.
pub fn of(conn: &mut DbConn, me: i64) -> AppResult<Vec<Conversation>> {
    Ok(with_conn!(conn, c => cv::table
        .filter(cv::low_id.eq(me).or(cv::high_id.eq(me)))
        .order(cv::updated_at.desc())
        .limit(200)
        .select(Conversation::as_select())
        .load(c))?)
}

/// Adds a message and moves its conversation up.
pub fn add_message(conn: &mut DbConn, m: &Message) -> AppResult<()> {
    with_conn!(conn, c => diesel::insert_into(cm::table).values(m).execute(c))?;
    with_conn!(conn, c => diesel::update(cv::table.find(m.conversation_id))
        .set(cv::updated_at.eq(m.created_at))
        .execute(c))?;
    Ok(())
}

/// A conversation's messages, oldest first (deleted ones included, to show as such).
pub fn messages(conn: &mut DbConn, conversation: i64) -> AppResult<Vec<Message>> {
    Ok(with_conn!(conn, c => cm::table
        .filter(cm::conversation_id.eq(conversation))
        .order(cm::id.asc())
        .select(Message::as_select())
        .load(c))?)
}

pub fn message(conn: &mut DbConn, id: i64) -> AppResult<Option<Message>> {
    Ok(with_conn!(conn, c => cm::table
        .find(id)
        .select(Message::as_select())
        .first(c)
        .optional())?)
}

/// The message whose Note is `ap_id`.
pub fn message_by_ap_id(conn: &mut DbConn, ap_id: &str) -> AppResult<Option<Message>> {
    Ok(with_conn!(conn, c => cm::table
        .filter(cm::ap_id.eq(ap_id))
        .select(Message::as_select())
        .first(c)
        .optional())?)
}

/// The latest message of a conversation that has a Note id (what the next replies to).
pub fn last_federated(conn: &mut DbConn, conversation: i64) -> AppResult<Option<String>> {
    Ok(with_conn!(conn, c => cm::table
        .filter(cm::conversation_id.eq(conversation))
        .filter(cm::ap_id.is_not_null())
        .order(cm::id.desc())
        .select(cm::ap_id)
        .first::<Option<String>>(c)
        .optional())?
    .flatten())
}

/// Marks a message deleted (its text is dropped).
pub fn mark_deleted(conn: &mut DbConn, id: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::update(cm::table.find(id))
        .set((
            cm::deleted_at.eq(Some(now_ms())),
            cm::body_md.eq(""),
            cm::body_html.eq(""),
        ))
        .execute(c))?;
    Ok(())
}

/// `actor` has read `conversation` up to the message `last`.
pub fn mark_read(conn: &mut DbConn, conversation: i64, actor: i64, last: i64) -> AppResult<()> {
    with_conn!(conn, c => diesel::delete(cr::table
        .filter(cr::conversation_id.eq(conversation))
        .filter(cr::actor_id.eq(actor)))
        .execute(c))?;
    with_conn!(conn, c => diesel::insert_into(cr::table)
        .values((
            cr::conversation_id.eq(conversation),
            cr::actor_id.eq(actor),
            cr::last_read_id.eq(last),
        ))
        .execute(c))?;
    Ok(())
}

/// How many messages of `conversation` by the other participant `actor` has not read.
pub fn unread(conn: &mut DbConn, conversation: i64, actor: i64) -> AppResult<i64> {
    let last: i64 = with_conn!(conn, c => cr::table
        .filter(cr::conversation_id.eq(conversation))
        .filter(cr::actor_id.eq(actor))
        .select(cr::last_read_id)
        .first(c)
        .optional())?
    .unwrap_or(0);
    Ok(with_conn!(conn, c => cm::table
        .filter(cm::conversation_id.eq(conversation))
        .filter(cm::author_id.ne(actor))
        .filter(cm::id.gt(last))
        .filter(cm::deleted_at.is_null())
        .count()
        .get_result(c))?)
}

/// The notification kind of a new private message.
pub const NOTIFY_KIND: &str = "direct_message";

/// Notifies the local user `user` of the message `m` (once per message): the subject is
/// `{conversation id}:{message id}`.
pub fn notify(conn: &mut DbConn, user: i64, m: &Message) -> AppResult<()> {
    use crate::db::queries::notifications::Notification;
    use crate::db::schema::notifications as n;
    let email_state = super::notifications::email_state_for(conn, user, NOTIFY_KIND)?;
    let row = Notification {
        id: new_id(),
        user_id: user,
        kind: NOTIFY_KIND.into(),
        subject: format!("{}:{}", m.conversation_id, m.id),
        actor_id: Some(m.author_id),
        post_id: None,
        badge: None,
        report_id: None,
        created_at: now_ms(),
        read_at: None,
        email_state: email_state.into(),
        emailed_at: None,
    };
    with_conn!(conn, c => diesel::insert_into(n::table)
        .values(&row)
        .on_conflict_do_nothing()
        .execute(c))?;
    Ok(())
}

/// The conversation id of a notification's subject.
pub fn of_notification(subject: &str) -> Option<i64> {
    subject.split(':').next().and_then(|s| s.parse().ok())
}
