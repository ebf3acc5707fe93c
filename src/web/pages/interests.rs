//! Following tags and people from the pages: `POST /follow-tag`, `/unfollow-tag` (on a
//! group's list filtered by a tag), `/follow-person`, `/unfollow-person` (on profiles),
//! then back there; and `GET /settings/following`, the list of what one follows. The
//! rules are the action's (`actions::interests`), the same as the API's.

use crate::actions::interests as act;
use crate::federation::follow::resolve_name;
use crate::state::Ctx;
use crate::web::csrf;
use crate::web::form::{csrf_refused, signin_to};
use crate::web::layout::{error_page, redirect, respond, Layout};
use crate::web::session::viewer_tr;
use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Form;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InterestForm {
    pub csrf: String,
    pub tag: String,
    /// `name`, `name@domain` or an actor URL.
    pub person: String,
    /// A path of this site to go back to.
    pub back: String,
}

impl InterestForm {
    fn back(&self) -> &str {
        let local = self.back.starts_with('/') && !self.back.starts_with("//");
        if local && !self.back.contains('\\') {
            &self.back
        } else {
            "/settings/following"
        }
    }
}

#[derive(Clone, Copy)]
enum Op {
    FollowTag,
    UnfollowTag,
    FollowPerson,
    UnfollowPerson,
}

/// `POST /follow-tag`.
pub async fn follow_tag(data: Ctx, headers: HeaderMap, Form(f): Form<InterestForm>) -> Response {
    change(data, headers, f, Op::FollowTag).await
}

/// `POST /unfollow-tag`.
pub async fn unfollow_tag(data: Ctx, headers: HeaderMap, Form(f): Form<InterestForm>) -> Response {
    change(data, headers, f, Op::UnfollowTag).await
}

/// `POST /follow-person`.
pub async fn follow_person(data: Ctx, headers: HeaderMap, Form(f): Form<InterestForm>) -> Response {
    change(data, headers, f, Op::FollowPerson).await
}

/// `POST /unfollow-person`.
pub async fn unfollow_person(
    data: Ctx,
    headers: HeaderMap,
    Form(f): Form<InterestForm>,
) -> Response {
    change(data, headers, f, Op::UnfollowPerson).await
}

async fn change(data: Ctx, headers: HeaderMap, f: InterestForm, op: Op) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let back = f.back().to_string();
    if let Err(why) = csrf::check(&data.base, &headers, &v, &f.csrf) {
        return csrf_refused(&data, &v, &tr, why, &back);
    }
    let Some((_, me)) = &v.user else {
        return redirect(&signin_to(&back));
    };
    let done = match op {
        Op::FollowTag => act::follow_tag(&data, me, &f.tag).await.map(|_| ()),
        Op::UnfollowTag => act::unfollow_tag(&data, me, &f.tag).await,
        Op::FollowPerson | Op::UnfollowPerson => match resolve_name(&data, f.person.trim()).await {
            Ok(p) if matches!(op, Op::FollowPerson) => act::follow_person(&data, me, &p).await,
            Ok(p) => act::unfollow_person(&data, me, &p).await,
            Err(e) => Err(e),
        },
    };
    match done {
        Ok(()) => redirect(&back),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}

#[derive(Template)]
#[template(path = "following.html")]
struct FollowingPage {
    l: Layout,
    tags: Vec<String>,
    /// (handle, profile link or the actor's URL).
    people: Vec<(String, String)>,
}

/// `GET /settings/following`: the tags and people the signed-in user follows.
pub async fn list(data: Ctx, headers: HeaderMap) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let Some((_, me)) = &v.user else {
        return redirect(&signin_to("/settings/following"));
    };
    let found = async {
        let tags = act::tags(&data, me).await?;
        let people = act::people(&data, me).await?;
        Ok::<_, crate::error::AppError>((tags, people))
    }
    .await;
    match found {
        Ok((tags, people)) => {
            let people = people
                .iter()
                .map(|a| {
                    let href = if a.local {
                        format!("/u/{}", a.name)
                    } else {
                        a.url.clone().unwrap_or_else(|| a.ap_id.clone())
                    };
                    (a.handle(), href)
                })
                .collect();
            let page = FollowingPage {
                l: Layout::new(&data, &v, &tr, tr.t("following-title")),
                tags,
                people,
            };
            respond(&data, &v, StatusCode::OK, &page)
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
