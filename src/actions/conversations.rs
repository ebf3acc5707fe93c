//! Private one-to-one conversations between two people (here or on other servers).
//! Only the two participants see a conversation; a message to someone elsewhere goes
//! to them alone as a direct message ([`Outgoing::DirectMessage`]) and is never
//! announced, published or served.

use super::commit;
use super::outbox::{Outbox, Outgoing};
use crate::db::ids::new_id;
use crate::db::models::Actor;
use crate::db::queries;
use crate::db::queries::conversations::{self as cv, Conversation, Message};
use crate::db::{now_ms, DbConn};
use crate::domain::cases::check_message;
use crate::domain::text::markdown_to_html;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

fn not_found() -> AppError {
    AppError::NotFound("conversation not found".into())
}

/// A conversation as one participant sees it.
#[derive(Clone, Debug)]
pub struct Summary {
    pub conversation: Conversation,
    pub other: Actor,
    pub unread: i64,
    pub last: Option<Message>,
}

/// Refuses a sender or recipient who may not take part: a suspended account, a person
/// on a blocked server, anything but a person.
fn check_parties(c: &mut DbConn, from: &Actor, to: &Actor) -> AppResult<()> {
    if from.id == to.id {
        return Err(AppError::Invalid("you cannot message yourself".into()));
    }
    if to.is_group() {
        return Err(AppError::Invalid("only people can be messaged".into()));
    }
    for a in [from, to] {
        if a.local {
            let user = queries::users::by_actor_id(c, a.id)?;
            if user.as_ref().is_some_and(|u| u.suspended()) {
                return Err(AppError::Forbidden("this account is suspended".into()));
            }
        } else if queries::moderation::instance(c, &a.domain)?.is_some_and(|i| i.blocked) {
            return Err(AppError::Forbidden("this server is blocked here".into()));
        }
    }
    Ok(())
}

/// `from` (a local person) sends `body` (markdown) to `to`. The conversation of the two
/// is made on the first message.
pub async fn send(state: &AppState, from: &Actor, to: &Actor, body: &str) -> AppResult<Message> {
    let body = check_message(body)?;
    let (from, to) = (from.clone(), to.clone());
    commit(state, move |c, outbox| {
        check_parties(c, &from, &to)?;
        super::blocks::check_may_write(c, &from, &to)?;
        let conv = cv::between(c, from.id, to.id)?;
        store(c, outbox, &conv, &from, &to, &body)
    })
    .await
}

/// `from` replies in the conversation `id` (404 unless a participant).
pub async fn reply(state: &AppState, from: &Actor, id: i64, body: &str) -> AppResult<Message> {
    let body = check_message(body)?;
    let from = from.clone();
    commit(state, move |c, outbox| {
        let conv = cv::by_id(c, id)?
            .filter(|v| v.has(from.id))
            .ok_or_else(not_found)?;
        let to = queries::actors::by_id(c, conv.other(from.id))?.ok_or_else(not_found)?;
        check_parties(c, &from, &to)?;
        super::blocks::check_may_write(c, &from, &to)?;
        store(c, outbox, &conv, &from, &to, &body)
    })
    .await
}

fn store(
    c: &mut DbConn,
    outbox: &dyn Outbox,
    conv: &Conversation,
    from: &Actor,
    to: &Actor,
    body: &str,
) -> AppResult<Message> {
    let id = new_id();
    let in_reply_to = cv::last_federated(c, conv.id)?;
    let ap_id = if to.local {
        None
    } else {
        let event = Outgoing::DirectMessage {
            recipient: to.clone(),
            message_id: id,
            body_md: body.to_string(),
            in_reply_to: in_reply_to.clone(),
        };
        Some(outbox.record(c, from, event)?)
    };
    let m = Message {
        id,
        conversation_id: conv.id,
        author_id: from.id,
        body_md: body.to_string(),
        body_html: markdown_to_html(body),
        ap_id,
        in_reply_to,
        created_at: now_ms(),
        deleted_at: None,
    };
    cv::add_message(c, &m)?;
    cv::mark_read(c, conv.id, from.id, id)?;
    notify_recipient(c, to, &m)?;
    Ok(m)
}

/// A notification of `m` for `to` when they have an account here.
fn notify_recipient(c: &mut DbConn, to: &Actor, m: &Message) -> AppResult<()> {
    if let Some(user) = queries::users::by_actor_id(c, to.id)? {
        cv::notify(c, user.id, m)?;
    }
    Ok(())
}

/// A direct message received from `author` on another server for the local person
/// `to` (the Note `note_id`): kept once in their conversation.
pub async fn receive(
    state: &AppState,
    author: &Actor,
    to: &Actor,
    note_id: &str,
    html: &str,
    source: Option<String>,
    in_reply_to: Option<String>,
) -> AppResult<()> {
    let (author, to, note_id, html) = (
        author.clone(),
        to.clone(),
        note_id.to_string(),
        html.to_string(),
    );
    let text = source.unwrap_or_else(|| crate::domain::posts::html_to_text(&html));
    commit(state, move |c, _| {
        if cv::message_by_ap_id(c, &note_id)?.is_some() {
            return Ok(());
        }
        check_parties(c, &author, &to)?;
        if queries::blocks::blocked(c, to.id, author.id)? {
            // Dropped without a word: the sender learns nothing of the block.
            return Ok(());
        }
        let conv = cv::between(c, author.id, to.id)?;
        let m = Message {
            id: new_id(),
            conversation_id: conv.id,
            author_id: author.id,
            body_md: text,
            body_html: html,
            ap_id: Some(note_id),
            in_reply_to,
            created_at: now_ms(),
            deleted_at: None,
        };
        cv::add_message(c, &m)?;
        notify_recipient(c, &to, &m)
    })
    .await
}

/// The author on another server deleted their message `note_id` (by `signer`).
pub async fn receive_delete(state: &AppState, signer: &Actor, note_id: &str) -> AppResult<bool> {
    let (signer, note_id) = (signer.clone(), note_id.to_string());
    commit(state, move |c, _| {
        match cv::message_by_ap_id(c, &note_id)? {
            Some(m) if m.author_id == signer.id => {
                cv::mark_deleted(c, m.id)?;
                Ok(true)
            }
            Some(_) => Err(AppError::Forbidden("not the message's author".into())),
            None => Ok(false),
        }
    })
    .await
}

/// `by` deletes their own message `id`; the recipient elsewhere gets a `Delete`.
pub async fn delete(state: &AppState, by: &Actor, id: i64) -> AppResult<()> {
    let by = by.clone();
    commit(state, move |c, outbox| {
        let m = cv::message(c, id)?
            .filter(|m| m.author_id == by.id && m.deleted_at.is_none())
            .ok_or_else(|| AppError::NotFound("message not found".into()))?;
        let conv = cv::by_id(c, m.conversation_id)?.ok_or_else(not_found)?;
        let to = queries::actors::by_id(c, conv.other(by.id))?.ok_or_else(not_found)?;
        if let (false, Some(note_id)) = (to.local, m.ap_id.clone()) {
            outbox.record(
                c,
                &by,
                Outgoing::DeleteDirectMessage {
                    recipient: to,
                    note_id,
                },
            )?;
        }
        cv::mark_deleted(c, m.id)
    })
    .await
}

/// The conversations of `me`, the latest first, with the other participant and how
/// many messages `me` has not read.
pub async fn list(state: &AppState, me: &Actor) -> AppResult<Vec<Summary>> {
    let me = me.id;
    state
        .db
        .run(move |c| {
            let mut out = vec![];
            for conversation in cv::of(c, me)? {
                let Some(other) = queries::actors::by_id(c, conversation.other(me))? else {
                    continue;
                };
                let unread = cv::unread(c, conversation.id, me)?;
                let last = cv::messages(c, conversation.id)?.pop();
                out.push(Summary {
                    conversation,
                    other,
                    unread,
                    last,
                });
            }
            Ok(out)
        })
        .await
}

/// How many messages `me` has not read, over all conversations.
pub async fn unread_total(state: &AppState, me: &Actor) -> AppResult<i64> {
    Ok(list(state, me).await?.iter().map(|s| s.unread).sum())
}

/// The conversation `id` with its messages, for a participant (404 for anyone else),
/// marked read for them.
pub async fn open(
    state: &AppState,
    me: &Actor,
    id: i64,
) -> AppResult<(Conversation, Actor, Vec<Message>)> {
    let me = me.id;
    commit(state, move |c, _| {
        let conv = cv::by_id(c, id)?
            .filter(|v| v.has(me))
            .ok_or_else(not_found)?;
        let other = queries::actors::by_id(c, conv.other(me))?.ok_or_else(not_found)?;
        let messages = cv::messages(c, conv.id)?;
        if let Some(last) = messages.last() {
            cv::mark_read(c, conv.id, me, last.id)?;
        }
        Ok((conv, other, messages))
    })
    .await
}

/// `reporter` reports the message `id` they received: a report about its author in the
/// admins' queue, quoting the message; for an author on another server, also a `Flag`
/// to their server naming the message. Only the message's recipient may report it.
pub async fn report(state: &AppState, reporter: &Actor, id: i64, reason: &str) -> AppResult<()> {
    let reason = reason.trim().to_string();
    if reason.is_empty() || reason.len() > 2000 {
        return Err(AppError::Invalid(
            "a report needs a reason of at most 2000 bytes".into(),
        ));
    }
    let reporter = reporter.clone();
    commit(state, move |c, outbox| {
        let m =
            cv::message(c, id)?.ok_or_else(|| AppError::NotFound("message not found".into()))?;
        let conv = cv::by_id(c, m.conversation_id)?.ok_or_else(not_found)?;
        if !conv.has(reporter.id) {
            return Err(AppError::NotFound("message not found".into()));
        }
        if m.author_id == reporter.id {
            return Err(AppError::Invalid(
                "you cannot report your own message".into(),
            ));
        }
        let author = queries::actors::by_id(c, m.author_id)?.ok_or_else(not_found)?;
        let quoted: String = m.body_md.lines().map(|l| format!("> {l}\n")).collect();
        let row = crate::db::models::Report {
            id: new_id(),
            ap_id: None,
            reporter_id: reporter.id,
            reporter_domain: reporter.domain.clone(),
            group_id: None,
            target_actor_id: Some(author.id),
            post_id: None,
            reason: format!("{reason}\n\nPrivate message {}:\n{quoted}", m.id),
            status: "open".into(),
            resolution_note: None,
            resolved_by: None,
            resolved_at: None,
            created_at: now_ms(),
        };
        if !queries::moderation::insert_report(c, &row)? {
            return Ok(());
        }
        let event = Outgoing::Report(super::Reported {
            post: None,
            message: m.ap_id.clone(),
            author,
            group: None,
            reason,
            anonymous: false,
        });
        let flag = outbox.record(c, &reporter, event)?;
        if !flag.is_empty() {
            queries::moderation::set_report_ap_id(c, row.id, &flag)?;
        }
        Ok(())
    })
    .await
}
