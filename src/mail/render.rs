//! What the instance's emails say: plain text and HTML, in the recipient's language
//! (Fluent, `mail-*` keys), with the instance's name; and the queueing of notification
//! emails (immediate ones and daily digests) from the notifications' email state.

use crate::db::notification_kinds::Kind;
use crate::db::queries::email as eq;
use crate::db::queries::notifications::Notification;
use crate::db::queries::{self};
use crate::db::{now_ms, DbConn};
use crate::domain::email::{queue, unsubscribe_token, QUEUED};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::web::i18n::Tr;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, Message, MultiPart};
use std::collections::HashMap;

/// Queues the emails of notifications that are due: each `pending` one (the user chose
/// "immediately") and, per user, the `digest` ones once the oldest is a digest period
/// old. Users without a verified address get none (the notifications stay in-app).
pub async fn queue_notifications(state: &AppState) -> AppResult<usize> {
    let cutoff = now_ms() - (state.settings.mail_digest_secs as i64) * 1000;
    let queued = state
        .db
        .run(move |c| {
            let mut queued = 0;
            let pending = eq::pending_notifications(c, 200)?;
            let mut by_user: HashMap<i64, Vec<Notification>> = HashMap::new();
            for n in pending {
                by_user.entry(n.user_id).or_default().push(n);
            }
            for (user, notes) in by_user {
                queued += queue_for(c, user, &notes, false)?;
            }
            for user in eq::digest_due_users(c, cutoff, 100)? {
                let notes = eq::digest_notifications(c, user)?;
                queued += queue_for(c, user, &notes, true)?;
            }
            Ok(queued)
        })
        .await?;
    if queued > 0 {
        QUEUED.notify_waiters();
    }
    Ok(queued)
}

/// Queues one user's notification emails (one each, or one digest of all) and marks the
/// notifications emailed, in one transaction.
fn queue_for(
    conn: &mut DbConn,
    user: i64,
    notes: &[Notification],
    digest: bool,
) -> AppResult<usize> {
    let ids: Vec<i64> = notes.iter().map(|n| n.id).collect();
    if ids.is_empty() {
        return Ok(0);
    }
    let address = eq::address(conn, user)?.filter(|a| a.verified());
    conn.transaction(|c| {
        let Some(a) = &address else {
            eq::set_email_state(c, &ids, "none")?;
            return Ok(0);
        };
        if digest {
            queue(
                c,
                user,
                &a.address,
                "digest",
                serde_json::json!({ "ids": ids }),
                &a.lang,
            )?;
        } else {
            for id in &ids {
                queue(
                    c,
                    user,
                    &a.address,
                    "notification",
                    serde_json::json!({ "ids": [id] }),
                    &a.lang,
                )?;
            }
        }
        eq::set_email_state(c, &ids, "sent")?;
        Ok(if digest { 1 } else { ids.len() })
    })
}

/// Text in HTML (the five special characters; emails keep their spaces readable).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An email's subject and bodies.
struct Content {
    subject: String,
    text: String,
    html: String,
    unsubscribe: Option<String>,
}

/// The message of an outbox email.
pub async fn message(state: &AppState, from: &Mailbox, mail: &eq::Mail) -> AppResult<Message> {
    let tr = Tr::new(&mail.lang);
    let payload: serde_json::Value = serde_json::from_str(&mail.payload)
        .map_err(|_| AppError::Internal("unreadable email payload".into()))?;
    let c = match mail.kind.as_str() {
        "verify" => token_mail(state, &tr, &payload, "verify"),
        "reset" => token_mail(state, &tr, &payload, "reset"),
        "notification" | "digest" => {
            notification_mail(state, &tr, mail, &payload, mail.kind == "digest").await?
        }
        _ => return Err(AppError::Internal("unknown email kind".into())),
    };
    let to: Mailbox = mail
        .to_address
        .parse()
        .map_err(|_| AppError::Invalid("not a valid email address".into()))?;
    let mut b = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(c.subject)
        .message_id(Some(format!(
            "<{}.{}@{}>",
            mail.id,
            mail.kind,
            state.domain()
        )));
    if let Some(url) = &c.unsubscribe {
        b = b
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ));
    }
    b.multipart(MultiPart::alternative_plain_html(c.text, c.html))
        .map_err(|e| AppError::Internal(format!("building an email failed: {e}")))
}

fn html_page(tr: &Tr, site: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family:system-ui,sans-serif;line-height:1.5;max-width:40rem\">{body}\
         <p style=\"color:#555\">— {}</p></body></html>",
        tr.code(),
        escape(site),
        escape(site)
    )
}

fn link_html(url: &str, label: &str) -> String {
    format!("<p><a href=\"{}\">{}</a></p>", escape(url), escape(label))
}

/// A verification or reset email: one link with a token.
fn token_mail(state: &AppState, tr: &Tr, payload: &serde_json::Value, what: &str) -> Content {
    let instance = state.instance.get();
    let site = &instance.name;
    let token = payload["token"].as_str().unwrap_or_default();
    let (url, subject, intro, action) = if what == "verify" {
        (
            format!("{}/email/verify?t={token}", state.base),
            tr.s("mail-verify-subject", site),
            tr.s("mail-verify-body", site),
            tr.t("mail-verify-action"),
        )
    } else {
        let name = payload["username"].as_str().unwrap_or_default();
        (
            format!("{}/password/reset?t={token}", state.base),
            tr.s("mail-reset-subject", site),
            tr.s("mail-reset-body", name),
            tr.t("mail-reset-action"),
        )
    };
    let ignore = tr.t("mail-ignore");
    Content {
        text: format!("{intro}\n\n{url}\n\n{ignore}\n\n— {site}\n"),
        html: html_page(
            tr,
            site,
            &format!(
                "<p>{}</p>{}<p>{}</p>",
                escape(&intro),
                link_html(&url, &action),
                escape(&ignore)
            ),
        ),
        subject,
        unsubscribe: None,
    }
}

/// One notification as a line and a link.
struct Line {
    text: String,
    url: String,
}

async fn notification_mail(
    state: &AppState,
    tr: &Tr,
    mail: &eq::Mail,
    payload: &serde_json::Value,
    digest: bool,
) -> AppResult<Content> {
    let ids: Vec<i64> = payload["ids"]
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_i64()).collect())
        .unwrap_or_default();
    let user = mail.user_id.unwrap_or_default();
    let (notes, actors, posts, username, cases) = state
        .db
        .run(move |c| {
            let notes = eq::notifications_by_ids(c, &ids)?;
            let mut cases: HashMap<i64, (i64, String)> = HashMap::new();
            for n in notes.iter().filter(|n| n.kind.starts_with("case_")) {
                if let Some(k) = queries::cases::of_notification(c, &n.subject)? {
                    cases.insert(n.id, (k.number, k.subject));
                }
            }
            let mut actor_ids: Vec<i64> = notes.iter().filter_map(|n| n.actor_id).collect();
            actor_ids.sort_unstable();
            actor_ids.dedup();
            let actors = queries::actors::by_ids(c, &actor_ids)?;
            let post_ids: Vec<i64> = notes.iter().filter_map(|n| n.post_id).collect();
            let mut posts = queries::posts::by_ids(c, &post_ids)?;
            let question_ids: Vec<i64> = posts.iter().filter_map(|p| p.question_id).collect();
            posts.extend(queries::posts::by_ids(c, &question_ids)?);
            Ok((
                notes,
                actors,
                posts,
                eq::username(c, user)?.unwrap_or_default(),
                cases,
            ))
        })
        .await?;
    if notes.is_empty() {
        return Err(AppError::NotFound("the notifications are gone".into()));
    }
    let base = &state.base;
    let instance = state.instance.get();
    let site = &instance.name;
    let lines: Vec<Line> = notes
        .iter()
        .map(|n| {
            let post = n.post_id.and_then(|id| posts.iter().find(|p| p.id == id));
            let qid = post.map(|p| p.question_id.unwrap_or(p.id));
            let question = qid.and_then(|q| posts.iter().find(|p| p.id == q));
            let title = question
                .filter(|q| q.visible())
                .and_then(|q| q.title.clone())
                .unwrap_or_default();
            let actor = n.actor_id.and_then(|id| actors.iter().find(|a| a.id == id));
            let kind = Kind::parse(&n.kind);
            let case = cases.get(&n.id);
            let what = match kind {
                Some(Kind::Badge) => n.badge.clone().unwrap_or_default(),
                Some(Kind::DirectMessage) => actor
                    .map(|a| format!("@{}", a.handle()))
                    .unwrap_or_default(),
                Some(Kind::CaseCreated | Kind::CaseMessage | Kind::CaseStatus) => {
                    case.map(|(_, subject)| subject.clone()).unwrap_or_default()
                }
                Some(Kind::Welcome) => actor
                    .and_then(|g| g.display_name.clone())
                    .unwrap_or_default(),
                _ => title,
            };
            let mut text = tr.s(&format!("mail-note-{}", n.kind), &what);
            if let Some(a) = actor.filter(|_| {
                !matches!(
                    kind,
                    Some(
                        Kind::Removed
                            | Kind::Locked
                            | Kind::ReportResolved
                            | Kind::Welcome
                            | Kind::DirectMessage
                    )
                )
            }) {
                text.push(' ');
                text.push_str(&tr.s("mail-note-by", &format!("@{}", a.handle())));
            }
            let url = match (qid, n.post_id, actor) {
                _ if kind == Some(Kind::DirectMessage) => format!(
                    "{base}/messages/{}",
                    queries::conversations::of_notification(&n.subject).unwrap_or_default()
                ),
                _ if case.is_some() => {
                    format!(
                        "{base}/cases/{}",
                        case.map(|(number, _)| *number).unwrap_or(0)
                    )
                }
                (Some(q), Some(p), _) if q != p => format!("{base}/q/{q}#p{p}"),
                (Some(q), _, _) => format!("{base}/q/{q}"),
                (None, _, Some(g)) if kind == Some(Kind::Welcome) && g.local => {
                    format!("{base}/g/{}", g.name)
                }
                (None, _, _) if kind == Some(Kind::Welcome) => format!("{base}/notifications"),
                _ => format!("{base}/u/{username}"),
            };
            Line { text, url }
        })
        .collect();
    let kind = (!digest).then(|| Kind::parse(&notes[0].kind)).flatten();
    let unsubscribe = format!(
        "{base}/email/unsubscribe?t={}",
        unsubscribe_token(state, user, kind)
    );
    let subject = if digest {
        tr.s("mail-digest-subject", site)
    } else {
        format!("{} · {site}", lines[0].text)
    };
    let intro = if digest {
        tr.n("mail-digest-intro", lines.len() as i64)
    } else {
        tr.s("mail-notification-intro", site)
    };
    let open = tr.t("mail-open");
    let stop = if digest || kind.is_none() {
        tr.t("mail-unsubscribe-all")
    } else {
        tr.t("mail-unsubscribe-kind")
    };
    let settings_url = format!("{base}/settings/email");
    let settings = tr.t("mail-settings");
    let mut text = format!("{intro}\n\n");
    let mut html = format!("<p>{}</p><ul>", escape(&intro));
    for l in &lines {
        text.push_str(&format!("* {}\n  {}\n\n", l.text, l.url));
        html.push_str(&format!(
            "<li>{} — <a href=\"{}\">{}</a></li>",
            escape(&l.text),
            escape(&l.url),
            escape(&open)
        ));
    }
    html.push_str("</ul>");
    text.push_str(&format!(
        "{stop}: {unsubscribe}\n{settings}: {settings_url}\n\n— {site}\n"
    ));
    html.push_str(&format!(
        "<p style=\"font-size:small\"><a href=\"{}\">{}</a> · <a href=\"{}\">{}</a></p>",
        escape(&unsubscribe),
        escape(&stop),
        escape(&settings_url),
        escape(&settings)
    ));
    Ok(Content {
        subject,
        text,
        html: html_page(tr, site, &html),
        unsubscribe: Some(unsubscribe),
    })
}
