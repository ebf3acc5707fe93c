//! A local user's profile (`/u/{name}` for browsers): their questions and answers,
//! reputation with its explained breakdown, badges and staff mark.

use super::{date_ms, Author, QuestionItem};
use crate::db::models::Actor;
use crate::db::queries;
use crate::domain::text::{markdown_to_html, sanitize_html};
use crate::error::{AppError, AppResult};
use crate::read::posts::views;
use crate::read::reputation::reputation_of;
use crate::state::Ctx;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

pub struct AnswerItem {
    pub href: String,
    pub question: String,
    pub score: i64,
    pub accepted: bool,
    pub date: String,
}

pub struct RepLine {
    pub what: String,
    pub points: i64,
    pub note: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct Profile {
    l: Layout,
    author: Author,
    bio_html: String,
    admin: bool,
    /// Suspended by the instance's admins.
    suspended: bool,
    since: String,
    reputation: i64,
    groups: Vec<(String, i64)>,
    lines: Vec<RepLine>,
    badges: Vec<(String, String)>,
    questions: Vec<QuestionItem>,
    answers: Vec<AnswerItem>,
    follow: super::remote_follow::RemoteFollow,
    /// The user's name, and the groups the viewer moderates (ban forms).
    name: String,
    ban_groups: Vec<super::mod_people::BanGroup>,
    /// Whom "Send a message" writes to: empty unless the viewer is signed in and
    /// someone else.
    message_to: String,
    /// Whether the viewer blocked this person (`_block.html`).
    blocked: bool,
    /// Whether the viewer follows this person's questions.
    person_followed: bool,
    block_person: String,
    block_back: String,
}

/// Lines of the reputation breakdown shown at most (the API has them all).
const LINES: usize = 50;

pub async fn profile_page(data: &Ctx, actor: AppResult<Actor>, headers: &HeaderMap) -> Response {
    let (v, tr) = viewer_tr(data, headers).await;
    match render(data, actor, &v, &tr).await {
        Ok(page) => {
            let mut resp = respond(data, &v, StatusCode::OK, &page);
            super::remote_follow::allow_remote_redirect(data, &mut resp);
            resp
        }
        Err(e) => error_page(data, &v, &tr, &e),
    }
}

async fn render(data: &Ctx, actor: AppResult<Actor>, v: &Viewer, tr: &Tr) -> AppResult<Profile> {
    let actor = actor?;
    let (aid, name) = (actor.id, actor.name.clone());
    let (user, posts) = data
        .db
        .run(move |c| {
            let user = queries::users::by_username(c, &name)?
                .ok_or_else(|| AppError::NotFound("no such user".into()))?
                .0;
            Ok((user, queries::posts::by_author(c, aid, 100)?))
        })
        .await?;
    let qids: Vec<i64> = posts
        .iter()
        .filter(|p| p.kind == "answer")
        .filter_map(|p| p.question_id)
        .collect();
    let questions_of_answers = data
        .db
        .run(move |c| queries::posts::by_ids(c, &qids))
        .await?;
    let rep = reputation_of(data, &actor).await?;
    let held = crate::actions::roles::of_person(data, &actor).await?;
    let shown = views(data, v.user.as_ref().map(|(_, a)| a), posts.clone()).await?;
    let mut questions = Vec::new();
    let mut answers = Vec::new();
    for (view, post) in shown.iter().zip(posts.iter()) {
        match post.kind.as_str() {
            "question" => questions.push(QuestionItem::new(view, data.domain())),
            "answer" => {
                let Some(q) = post
                    .question_id
                    .and_then(|q| questions_of_answers.iter().find(|x| x.id == q))
                    .filter(|q| q.visible() && q.public)
                else {
                    continue;
                };
                answers.push(AnswerItem {
                    href: format!("/q/{}#p{}", q.id, post.id),
                    question: q.title.clone().unwrap_or_default(),
                    score: view.score.into(),
                    accepted: view.accepted,
                    date: super::date(&view.published),
                });
            }
            _ => {}
        }
    }
    let staff = data
        .db
        .run(move |c| queries::staff::staff_status(c, &[aid]))
        .await?;
    let mut author_view = crate::read::actors::ActorView::from(&actor);
    author_view = author_view.with_staff(staff.get(&aid));
    let mut items = rep.events.clone();
    items.sort_by_key(|i| std::cmp::Reverse(i.at));
    let lines = items
        .iter()
        .take(LINES)
        .map(|i| RepLine {
            what: tr.t(&format!("rep-{}", i.kind.replace('_', "-"))),
            points: i.points,
            note: i.note.clone().unwrap_or_default(),
            date: date_ms(i.at),
        })
        .collect();
    let title = actor
        .display_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| actor.name.clone());
    let ban_groups =
        super::mod_people::ban_groups(data, v.user.as_ref().map(|(_, a)| a), &actor).await?;
    let person_followed = match &v.user {
        Some((_, me)) if me.id != actor.id => {
            crate::actions::interests::follows_person(data, me, &actor).await?
        }
        _ => false,
    };
    let (message_to, blocked) = match &v.user {
        Some((_, me)) if me.id != actor.id => (
            actor.handle(),
            crate::actions::blocks::is_blocked(data, me, &actor).await?,
        ),
        _ => (String::new(), false),
    };
    Ok(Profile {
        blocked,
        person_followed,
        block_person: actor.handle(),
        block_back: format!("/u/{}", actor.name),
        message_to,
        name: actor.name.clone(),
        ban_groups,
        follow: super::remote_follow::RemoteFollow::new(&actor),
        l: Layout::new(data, v, tr, title),
        author: Author {
            roles: held
                .into_iter()
                .map(|(g, r)| {
                    tr.args(
                        "role-in-group",
                        &[("title", r.into()), ("value", g.handle().into())],
                    )
                })
                .collect(),
            ..Author::new(&author_view)
        },
        bio_html: actor
            .summary
            .as_deref()
            .map(|s| sanitize_html(&markdown_to_html(s)))
            .unwrap_or_default(),
        admin: user.is_admin,
        suspended: user.suspended(),
        since: date_ms(user.created_at),
        reputation: rep.total,
        groups: rep
            .groups
            .iter()
            .map(|g| (g.group.clone(), g.score))
            .collect(),
        lines,
        badges: rep
            .badges
            .iter()
            .map(|b| {
                (
                    tr.t(&format!("badge-{}", b.badge.replace('_', "-"))),
                    super::date(&b.awarded_at),
                )
            })
            .collect(),
        questions,
        answers,
    })
}
