//! Asking (`/ask`, `/g/{name}/ask`): title, markdown body with a server-rendered
//! preview, tags and group, with the API's rules and limits (`actions::qa::ask`).
//!
//! While the title is typed, similar questions appear (solved ones first, with the first
//! lines of their accepted answer): htmx asks `/ask/similar`, and without JavaScript the
//! "check for similar questions" button does. Every ask form carries a random token;
//! opening a suggestion goes through `/ask/open`, which records it, and posting records
//! that too (`ask_sessions`): opened and not posted is a question answered by
//! self-service (see `db::queries::asking::deflection`).
//!
//! A user's first post in a group shows the group's welcome message and needs the tick
//! "I have read the guidelines"; a group whose posting rule refuses the user says so.
//!
//! The htmx fragments (similar questions, preview, guidelines) are in `ask_parts.rs`.

use super::personal_data::{notice, removed, Notice};
use crate::actions;
use crate::actions::personal_data::{self as pd, Outcome};
use crate::actions::rules::AskRefusal;
use crate::db::models::{Actor, Group};
use crate::db::{now_ms, queries};
use crate::domain::posts::{html_to_text, MAX_BODY, MAX_TAGS, MAX_TITLE, MIN_TITLE};
use crate::domain::ratelimit::Action;
use crate::domain::text::markdown_to_html;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, FieldErrors};
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::Deserialize;

#[path = "ask_parts.rs"]
mod parts;
pub use parts::{guidelines, preview, similar};

/// Suggestions shown at most.
const SUGGESTIONS: i64 = 5;
/// Knowledge articles shown at most, before the questions.
const ARTICLES: usize = 3;
/// Characters of an accepted answer shown under its suggestion.
const EXCERPT: usize = 220;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AskForm {
    pub csrf: String,
    /// The ask form's token (deflection counting).
    pub ask: String,
    pub group: String,
    pub title: String,
    pub body: String,
    /// Separated by commas or spaces.
    pub tags: String,
    /// `on` when "I have read the guidelines" is ticked.
    pub guidelines: String,
    /// `post` (the default), `preview` or `similar`.
    pub intent: String,
    /// The choice about personal data found: `post`, `move_to_case` or `remove`.
    pub personal_data: String,
}

/// A similar question, or a knowledge article (listed first).
pub struct Suggestion {
    /// A knowledge article rather than a question.
    pub article: bool,
    pub href: String,
    pub title: String,
    pub solved: bool,
    pub answers: i64,
    /// The first lines of the accepted answer.
    pub excerpt: Option<String>,
}

#[derive(Template)]
#[template(path = "ask.html")]
struct AskPage {
    l: Layout,
    groups: Vec<(String, String)>,
    form: AskForm,
    preview_html: String,
    checked: bool,
    similar: Vec<Suggestion>,
    /// The guidelines to accept (empty when the user has posted in the group before).
    guidelines_html: String,
    /// The group's welcome message, on a first post there.
    welcome_html: String,
    /// Why the group's posting rule refuses the user's question.
    refused: Option<String>,
    ticked: bool,
    errors: FieldErrors,
    /// The warning of personal data found.
    personal: Option<Notice>,
}

/// A new ask form's token.
fn new_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 18]>())
}

/// Whether a sent token looks like one of ours (it is only ever counted, per user).
fn valid_token(t: &str) -> bool {
    (16..=64).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn parse_tags(s: &str) -> Vec<String> {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .map(|t| t.trim_start_matches('#'))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The local groups (name, title, group, actor).
async fn groups(data: &Ctx) -> AppResult<Vec<(Group, Actor)>> {
    data.db.run(queries::groups::list_local).await
}

/// What a user's first post in `group` shows: the guidelines to accept and the group's
/// welcome message (each empty when none, or when the user has posted there before).
struct FirstPost {
    guidelines_html: String,
    welcome_html: String,
}

async fn first_post(data: &Ctx, author: &Actor, group: Option<&(Group, Actor)>) -> FirstPost {
    let none = || FirstPost {
        guidelines_html: String::new(),
        welcome_html: String::new(),
    };
    let Some((g, a)) = group else {
        return none();
    };
    if g.guidelines_md.trim().is_empty() && g.welcome_md.trim().is_empty() {
        return none();
    }
    let (me, gid) = (author.id, a.id);
    let posted = data
        .db
        .run(move |c| queries::asking::has_posted_in(c, me, gid))
        .await
        .unwrap_or_else(|e| {
            tracing::warn!("reading earlier posts failed: {e}");
            false
        });
    if posted {
        return none();
    }
    FirstPost {
        guidelines_html: markdown_to_html(&g.guidelines_md),
        welcome_html: markdown_to_html(&g.welcome_md),
    }
}

/// Why the posting rule of `group` refuses `author`'s question, readable; `None` when
/// it lets them ask.
async fn asking_refused(
    data: &Ctx,
    tr: &Tr,
    author: &Actor,
    group: Option<&(Group, Actor)>,
) -> Option<String> {
    let (_, a) = group?;
    match actions::groups::ask_refusal(data, a, author).await {
        Ok(Some(AskRefusal::NotFollower)) => Some(tr.t("ask-refused-followers")),
        Ok(Some(AskRefusal::NotMember)) => Some(tr.t("ask-refused-members")),
        Ok(None) => None,
        Err(e) => {
            tracing::warn!("reading the posting rule failed: {e}");
            None
        }
    }
}

/// Similar questions to `title`, with links through `/ask/open` for the form `token`.
async fn suggestions(
    data: &Ctx,
    title: &str,
    group: Option<i64>,
    token: &str,
) -> AppResult<Vec<Suggestion>> {
    if title.trim().chars().count() < MIN_TITLE || title.len() > MAX_TITLE * 4 {
        return Ok(vec![]);
    }
    let title = title.to_string();
    let articles = crate::read::articles::search(data, &title, group, ARTICLES).await?;
    let (questions, accepted) = data
        .db
        .run(move |c| {
            let qs = queries::asking::similar(c, &title, group, &[], SUGGESTIONS)?;
            let ids: Vec<i64> = qs.iter().filter_map(|q| q.accepted_answer_id).collect();
            Ok((qs, queries::posts::by_ids(c, &ids)?))
        })
        .await?;
    let token_q = if valid_token(token) {
        format!("&ask={token}")
    } else {
        String::new()
    };
    let articles = articles.into_iter().map(|a| Suggestion {
        article: true,
        href: format!("/ask/open?kb={}{token_q}", a.id),
        title: a.title,
        solved: false,
        answers: 0,
        excerpt: Some(excerpt(&html_to_text(&a.content_html))),
    });
    Ok(articles
        .chain(questions.into_iter().map(|q| {
            let excerpt = q
                .accepted_answer_id
                .and_then(|a| accepted.iter().find(|p| p.id == a && p.visible()))
                .map(|a| excerpt(&html_to_text(&a.content_html)));
            Suggestion {
                article: false,
                href: format!("/ask/open?q={}{token_q}", q.id),
                title: q.title.clone().unwrap_or_default(),
                solved: q.accepted_answer_id.is_some(),
                answers: q.answer_count.into(),
                excerpt,
            }
        }))
        .collect())
}

/// The first lines of a text, at most [`EXCERPT`] characters.
pub fn excerpt(text: &str) -> String {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(3)
        .collect();
    let joined = lines.join(" ");
    if joined.chars().count() <= EXCERPT {
        return joined;
    }
    let cut: String = joined.chars().take(EXCERPT).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > EXCERPT / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{cut}…")
}

/// What a link may prefill (the help widget's "Ask": `?title=&body=`).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Prefill {
    pub group: String,
    pub title: String,
    pub body: String,
}

/// The empty form (`/ask?group=NAME` preselects a group).
pub async fn ask_form(data: Ctx, headers: HeaderMap, Query(q): Query<Prefill>) -> Response {
    new_form(data, headers, q, "/ask").await
}

/// The empty form with the group preselected (title and body prefilled when given).
pub async fn ask_in_group(
    data: Ctx,
    headers: HeaderMap,
    Path(name): Path<String>,
    Query(mut q): Query<Prefill>,
) -> Response {
    let back = format!("/g/{name}/ask");
    q.group = name;
    new_form(data, headers, q, &back).await
}

async fn new_form(data: Ctx, headers: HeaderMap, p: Prefill, path: &str) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let clip = |s: &str, max: usize| s.chars().take(max).collect::<String>();
    let (title, body) = (clip(&p.title, MAX_TITLE), clip(&p.body, MAX_BODY));
    if v.user.is_none() {
        // Back to the same form, prefilled, after signing in.
        let group = if path == "/ask" { p.group.as_str() } else { "" };
        let q = super::query_string(&[("group", group), ("title", &title), ("body", &body)]);
        let back = if q.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{q}")
        };
        return redirect(&crate::web::form::signin_to(&back));
    }
    let form = AskForm {
        ask: new_token(),
        group: p.group,
        title,
        body,
        ..AskForm::default()
    };
    render(&data, &v, &tr, form, Render::default()).await
}

/// What a render of the form shows besides the form itself.
#[derive(Default)]
struct Render {
    preview: bool,
    similar: bool,
    errors: FieldErrors,
    status: Option<StatusCode>,
    personal: Option<Notice>,
}

async fn render(data: &Ctx, v: &Viewer, tr: &Tr, form: AskForm, r: Render) -> Response {
    let Some((_, me)) = &v.user else {
        return redirect("/signin");
    };
    let all = match groups(data).await {
        Ok(g) => g,
        Err(e) => return error_page(data, v, tr, &e),
    };
    let chosen = all.iter().find(|(_, a)| a.name == form.group);
    let first = first_post(data, me, chosen).await;
    let refused = asking_refused(data, tr, me, chosen).await;
    let similar = if r.similar {
        match suggestions(data, &form.title, chosen.map(|g| g.1.id), &form.ask).await {
            Ok(s) => s,
            Err(e) => return error_page(data, v, tr, &e),
        }
    } else {
        vec![]
    };
    let status = r.status.unwrap_or(if r.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    });
    let title = match chosen {
        Some((g, _)) => tr.s("ask-title-in", &g.title),
        None => tr.t("ask-title"),
    };
    let page = AskPage {
        l: Layout::new(data, v, tr, title),
        groups: all
            .iter()
            .map(|(g, a)| (a.name.clone(), g.title.clone()))
            .collect(),
        preview_html: if r.preview {
            markdown_to_html(&form.body)
        } else {
            String::new()
        },
        checked: r.similar,
        similar,
        guidelines_html: first.guidelines_html,
        welcome_html: first.welcome_html,
        refused,
        ticked: form.guidelines == "on",
        form,
        errors: r.errors,
        personal: r.personal,
    };
    respond(data, v, status, &page)
}

/// The form sent: previewed, checked for similar questions, or posted.
pub async fn ask(data: Ctx, headers: HeaderMap, Form(mut f): Form<AskForm>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(why) = csrf::check(&data.base, &headers, &v, &f.csrf) {
        return csrf_refused(&data, &v, &tr, why, "/ask");
    }
    let Some((user, me)) = &v.user else {
        return redirect("/signin");
    };
    if !valid_token(&f.ask) {
        f.ask = new_token();
    }
    match f.intent.as_str() {
        "preview" => {
            let r = Render {
                preview: true,
                ..Render::default()
            };
            return render(&data, &v, &tr, f, r).await;
        }
        "similar" => {
            let r = Render {
                similar: true,
                ..Render::default()
            };
            return render(&data, &v, &tr, f, r).await;
        }
        _ => {}
    }
    let all = match groups(&data).await {
        Ok(g) => g,
        Err(e) => return error_page(&data, &v, &tr, &e),
    };
    let chosen = all.iter().find(|(_, a)| a.name == f.group);
    let tags = parse_tags(&f.tags);
    let mut errors = FieldErrors::default();
    if chosen.is_none() {
        errors.add("group", tr.t("ask-group-missing"));
    }
    if !(MIN_TITLE..=MAX_TITLE).contains(&f.title.trim().chars().count()) {
        errors.add(
            "title",
            tr.args(
                "ask-title-length",
                &[
                    ("min", (MIN_TITLE as i64).into()),
                    ("max", (MAX_TITLE as i64).into()),
                ],
            ),
        );
    }
    if f.body.trim().is_empty() {
        errors.add("body", tr.t("ask-body-empty"));
    } else if f.body.len() > MAX_BODY {
        errors.add("body", tr.n("ask-body-long", MAX_BODY as i64));
    }
    if tags.len() > MAX_TAGS {
        errors.add("tags", tr.n("ask-tags-many", MAX_TAGS as i64));
    }
    if f.guidelines != "on"
        && !first_post(&data, me, chosen)
            .await
            .guidelines_html
            .is_empty()
    {
        errors.add("guidelines", tr.t("ask-guidelines-required"));
    }
    if !errors.is_empty() {
        let r = Render {
            errors,
            ..Render::default()
        };
        return render(&data, &v, &tr, f, r).await;
    }
    let Some((_, group)) = chosen else {
        return error_page(&data, &v, &tr, &AppError::Invalid("no group".into()));
    };
    let limited = data
        .limits
        .account(Action::Post, me.id, now_ms() - user.created_at);
    if f.personal_data == "remove" {
        let fields = [("title", f.title.as_str()), ("body", f.body.as_str())];
        if let Ok(flags) = pd::find(&data, Some(group.id), &fields).await {
            f.title = removed(&f.title, "title", &flags);
            f.body = removed(&f.body, "body", &flags);
        }
        return render(&data, &v, &tr, f, Render::default()).await;
    }
    let choice = pd::Choice::parse(&f.personal_data);
    let result = match limited {
        Ok(()) => pd::ask(&data, me, group, (&f.title, &f.body, tags), choice).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(Outcome::Flagged(flags)) => {
            let fields = [("title", f.title.as_str()), ("body", f.body.as_str())];
            let can_move = pd::can_move(&data, Some(group.id)).await;
            let r = Render {
                personal: Some(notice(&tr, &flags, &fields, can_move)),
                status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                ..Render::default()
            };
            render(&data, &v, &tr, f, r).await
        }
        Ok(Outcome::Posted(post)) => {
            let (token, uid, gid) = (f.ask.clone(), user.id, post.group_id);
            if let Err(e) = data
                .db
                .run(move |c| queries::asking::record(c, &token, uid, true, gid))
                .await
            {
                tracing::warn!("counting a posted ask form failed: {e}");
            }
            redirect(&format!("/q/{}", post.id))
        }
        Err(e) => {
            let mut errors = FieldErrors::default();
            let message = match &e {
                AppError::RateLimited { .. } => tr.t("form-too-many"),
                AppError::Forbidden(_) => asking_refused(&data, &tr, me, chosen)
                    .await
                    .unwrap_or_else(|| tr.t("ask-forbidden")),
                e if e.status().is_server_error() => {
                    tracing::error!("asking failed: {e}");
                    tr.t("error-internal-message")
                }
                _ => tr.t("error-bad-request-message"),
            };
            errors.add("", message);
            let r = Render {
                status: Some(e.status()),
                errors,
                ..Render::default()
            };
            render(&data, &v, &tr, f, r).await
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OpenQuery {
    pub q: String,
    /// A suggested knowledge article instead of a question.
    pub kb: String,
    pub ask: String,
}

/// Opens a suggested question or knowledge article, counting it for the ask form's
/// token (an article read instead of asking is self-service too).
pub async fn open(data: Ctx, headers: HeaderMap, Query(q): Query<OpenQuery>) -> Response {
    let article = !q.kb.is_empty();
    let id = if article { &q.kb } else { &q.q };
    let Ok(id) = id.parse::<i64>() else {
        let (v, tr) = viewer_tr(&data, &headers).await;
        return error_page(
            &data,
            &v,
            &tr,
            &AppError::NotFound("no such question".into()),
        );
    };
    let v = crate::web::session::viewer(&data, &headers).await;
    if let (Some((user, _)), true) = (&v.user, valid_token(&q.ask)) {
        let (token, uid) = (q.ask.clone(), user.id);
        if let Err(e) = data
            .db
            .run(move |c| {
                let group = if article {
                    queries::articles::by_id(c, id)?.map(|a| a.group_id)
                } else {
                    queries::posts::by_id(c, id)?.and_then(|p| p.group_id)
                };
                queries::asking::record(c, &token, uid, false, group)
            })
            .await
        {
            tracing::warn!("counting an opened suggestion failed: {e}");
        }
    }
    if article {
        return redirect(&format!("/kb/{id}"));
    }
    redirect(&format!("/q/{id}"))
}

#[cfg(test)]
#[path = "ask_tests.rs"]
mod tests;
