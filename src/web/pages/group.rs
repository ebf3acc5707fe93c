//! The group page for browsers (`/g/{name}`; ActivityPub clients get the actor's JSON):
//! description, guidelines, who may ask when not everyone, the group's handle with a
//! copy button, following it (signed in: `actions::follows`, as the API), and its
//! questions with the API's sorts, tag filter and paging.

use super::{query_string, QuestionItem};
use crate::db::models::Actor;
use crate::db::queries;
use crate::db::queries::posts::Sort;
use crate::domain::groups::WhoMayAsk;
use crate::domain::ideas::{GroupKind, IdeaStatus};
use crate::domain::text::markdown_to_html;
use crate::error::{AppError, AppResult};
use crate::read::posts::views;
use crate::state::Ctx;
use crate::web::i18n::Tr;
use crate::web::layout::{error_page, respond, Layout};
use crate::web::session::{viewer_tr, Viewer};
use askama::Template;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::collections::HashMap;

/// The welcome (HTML), the popular tags (tag, followed) and the top contributors
/// (handle, profile path, followed) shown to a newcomer.
type GetStartedBox = (String, Vec<(String, bool)>, Vec<(String, String, bool)>);

/// Questions on one page of the list (as in the API).
const PER_PAGE: i64 = 30;

pub const SORTS: &[(&str, Sort)] = &[
    ("new", Sort::New),
    ("active", Sort::Active),
    ("top", Sort::Top),
    ("unanswered", Sort::Unanswered),
    ("solved", Sort::Solved),
];

pub struct SortLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage {
    l: Layout,
    handle: String,
    followers: i64,
    description_html: String,
    guidelines_html: String,
    sorts: Vec<SortLink>,
    tag: Option<String>,
    /// The follow form asks to accept the guidelines (a group with guidelines that the
    /// signed-in viewer does not follow).
    join_guidelines: bool,
    /// The viewer tried to join without accepting them.
    join_error: bool,
    /// For a newcomer: the welcome (HTML), popular tags and top contributors, each
    /// (name or handle, profile path, followed).
    get_started: Option<GetStartedBox>,
    /// With a tag filter and a signed-in viewer: whether they follow the tag.
    tag_followed: Option<bool>,
    /// The page to come back to after following or unfollowing the tag.
    tag_back: String,
    clear_tag: String,
    /// The ask form with this group chosen.
    ask_href: String,
    questions: Vec<QuestionItem>,
    page: i64,
    prev: Option<String>,
    next: Option<String>,
    follow: super::remote_follow::RemoteFollow,
    feed: String,
    /// The group's knowledge base.
    kb_href: String,
    /// The moderators' link to the console, with the open report count.
    moderation: Option<(String, i64)>,
    /// The moderators' link to the group's settings.
    settings_href: Option<String>,
    /// Where a signed-in viewer follows or unfollows the group (empty when signed out).
    follow_here: String,
    /// The signed-in viewer follows the group.
    following: bool,
    /// Their follow (a request to join a private group) waits for the moderators.
    pending: bool,
    /// The group is private: only its members read its questions.
    private: bool,
    /// The moderators' page of members and join requests.
    members_href: String,
    /// Who may ask, when not everyone (the page says so).
    asking: Option<String>,
    /// For a signed-in viewer: the organisations the group recognises, to open a case
    /// with (the form's address, the organisation's name).
    help_from: Vec<(String, String)>,
    /// An ideas group: its ideas by votes, with these status filters.
    ideas: bool,
    statuses: Vec<SortLink>,
}

/// The page of a local group (`actor` is what the route found: an error becomes a
/// readable 404 or 410 page).
pub async fn group_page(
    data: &Ctx,
    actor: AppResult<Actor>,
    headers: &HeaderMap,
    query: &HashMap<String, String>,
) -> Response {
    let (v, tr) = viewer_tr(data, headers).await;
    match render(data, actor, &v, &tr, query).await {
        Ok(page) => {
            let mut resp = respond(data, &v, StatusCode::OK, &page);
            super::remote_follow::allow_remote_redirect(data, &mut resp);
            resp
        }
        Err(e) => error_page(data, &v, &tr, &e),
    }
}

async fn render(
    data: &Ctx,
    actor: AppResult<Actor>,
    v: &Viewer,
    tr: &Tr,
    query: &HashMap<String, String>,
) -> AppResult<GroupPage> {
    let actor = actor?;
    let sort_name = query.get("sort").map(String::as_str).unwrap_or("new");
    let sort = SORTS
        .iter()
        .find(|(n, _)| *n == sort_name)
        .map(|(_, s)| *s)
        .ok_or_else(|| AppError::Invalid("unknown sort".into()))?;
    let tag = query
        .get("tag")
        .map(|t| t.trim().to_lowercase())
        .filter(|t| !t.is_empty() && t.len() <= 100);
    let page = query
        .get("page")
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 10_000);
    let status_name = query.get("status").cloned().unwrap_or_default();
    let status = match status_name.as_str() {
        "" => None,
        s => Some(IdeaStatus::parse(s).ok_or_else(|| AppError::Invalid("unknown status".into()))?),
    };
    let (id, t) = (actor.id, tag.clone());
    let me = v.user.as_ref().map(|(_, a)| a.id);
    let viewer = v.user.as_ref().map(|(_, a)| a.clone());
    let (group, followers, following, mut posts, ideas) = data
        .db
        .run(move |c| {
            let group = queries::groups::by_actor_id(c, id)?
                .ok_or_else(|| AppError::NotFound("no such group".into()))?;
            let followers = queries::follows::count_followers(c, id)?;
            let following = match me {
                Some(me) => Some(queries::follows::get(c, me, id)?.map(|f| f.pending)),
                None => None,
            };
            let readable = match &viewer {
                Some(v) => crate::actions::rules::readable_private_groups(c, Some(v))?,
                None => vec![],
            };
            let (offset, limit) = ((page - 1) * PER_PAGE, PER_PAGE + 1);
            if crate::actions::ideas::kind_in(c, id)? == GroupKind::Ideas {
                let status = status.map(IdeaStatus::as_str);
                let posts = queries::ideas::list(c, id, status, offset, limit)?;
                let ids: Vec<i64> = posts.iter().map(|p| p.id).collect();
                let ideas = queries::ideas::ideas_of(c, &ids)?;
                return Ok((group, followers, following, posts, Some(ideas)));
            }
            let posts = queries::posts::list_questions(
                c,
                Some(id),
                sort,
                t.as_deref(),
                (offset, limit),
                &readable,
            )?;
            Ok((group, followers, following, posts, None))
        })
        .await?;
    let more = posts.len() as i64 > PER_PAGE;
    posts.truncate(PER_PAGE as usize);
    let questions = views(data, v.user.as_ref().map(|(_, a)| a), posts)
        .await?
        .iter()
        .map(|p| {
            let mut item = QuestionItem::new(p, data.domain());
            if let Some(ideas) = &ideas {
                let idea = ideas.iter().find(|i| i.post_id.to_string() == p.id);
                let s = crate::actions::ideas::status_of(idea);
                item.idea = Some((
                    s.as_str().to_string(),
                    tr.t(&format!("idea-status-{}", s.as_str())),
                ));
            }
            item
        })
        .collect();
    let base_href = format!("/g/{}", actor.name);
    let statuses = match &ideas {
        None => Vec::new(),
        Some(_) => std::iter::once(("", tr.t("ideas-all")))
            .chain(
                IdeaStatus::ALL
                    .iter()
                    .map(|s| (s.as_str(), tr.t(&format!("idea-status-{}", s.as_str())))),
            )
            .map(|(value, label)| SortLink {
                label,
                href: match value {
                    "" => base_href.clone(),
                    v => format!("{base_href}?status={v}"),
                },
                current: value == status_name,
            })
            .collect(),
    };
    let base = format!("/g/{}", actor.name);
    let tag_s = tag.clone().unwrap_or_default();
    let link = |sort: &str, page: i64| {
        let p = page.to_string();
        let qs = query_string(&[
            ("sort", if sort == "new" { "" } else { sort }),
            ("status", &status_name),
            ("tag", &tag_s),
            ("page", if page > 1 { &p } else { "" }),
        ]);
        if qs.is_empty() {
            base.clone()
        } else {
            format!("{base}?{qs}")
        }
    };
    let sorts = SORTS
        .iter()
        .map(|(n, _)| SortLink {
            label: tr.t(&format!("sort-{n}")),
            href: link(n, 1),
            current: *n == sort_name,
        })
        .collect();
    let clear_tag = {
        let qs = query_string(&[("sort", if sort_name == "new" { "" } else { sort_name })]);
        if qs.is_empty() {
            base.clone()
        } else {
            format!("{base}?{qs}")
        }
    };
    let moderation = super::moderation::open_count(data, v, &actor)
        .await
        .map(|n| (format!("/g/{}/mod/reports", actor.name), n));
    let asking = match WhoMayAsk::of(&group) {
        WhoMayAsk::Everyone => None,
        w => Some(tr.t(&format!("group-asking-{}", w.as_str()))),
    };
    let help_from = match &v.user {
        Some(_) => {
            let gid = actor.id;
            data.db
                .run(move |c| crate::db::queries::staff::group_orgs(c, gid))
                .await?
                .into_iter()
                .map(|o| {
                    let href = format!("/cases/new?group={}&organisation={}", actor.id, o.id);
                    (href, o.name)
                })
                .collect()
        }
        None => Vec::new(),
    };
    let tag_followed = match (&v.user, &tag) {
        (Some((_, me)), Some(t)) => {
            let followed = crate::actions::interests::tags(data, me).await?;
            Some(followed.iter().any(|f| f == t))
        }
        _ => None,
    };
    let get_started = match &v.user {
        Some((_, me)) if following == Some(Some(false)) => {
            crate::actions::interests::get_started(data, me, &actor)
                .await?
                .map(|g| {
                    let people = g
                        .people
                        .iter()
                        .map(|(a, f)| {
                            let href = if a.local {
                                format!("/u/{}", a.name)
                            } else {
                                a.url.clone().unwrap_or_else(|| a.ap_id.clone())
                            };
                            (a.handle(), href, *f)
                        })
                        .collect();
                    (markdown_to_html(&g.welcome_md), g.tags, people)
                })
        }
        _ => None,
    };
    let join_guidelines = following == Some(None) && !group.guidelines_md.trim().is_empty();
    let out = GroupPage {
        ideas: ideas.is_some(),
        statuses,
        join_guidelines,
        join_error: false,
        get_started,
        tag_followed,
        tag_back: link(sort_name, page),
        help_from,
        settings_href: moderation
            .as_ref()
            .map(|_| format!("/g/{}/mod/settings", actor.name)),
        follow_here: match following {
            Some(_) => format!("/g/{}/follow-here", actor.name),
            None => String::new(),
        },
        following: following.flatten().is_some(),
        pending: following.flatten().unwrap_or(false),
        private: crate::actions::rules::is_private(&actor),
        members_href: format!("/g/{}/mod/members", actor.name),
        asking,
        moderation,
        follow: super::remote_follow::RemoteFollow::new(&actor),
        feed: format!("/g/{}/feed.atom", actor.name),
        kb_href: format!("/g/{}/kb", actor.name),
        l: Layout::new(data, v, tr, group.title),
        handle: actor.handle(),
        followers,
        description_html: markdown_to_html(&group.description_md),
        guidelines_html: markdown_to_html(&group.guidelines_md),
        sorts,
        tag,
        clear_tag,
        ask_href: format!("{base}/ask"),
        questions,
        page,
        prev: (page > 1).then(|| link(sort_name, page - 1)),
        next: more.then(|| link(sort_name, page + 1)),
    };
    Ok(out)
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct FollowForm {
    pub csrf: String,
    /// `follow` or `unfollow`.
    pub op: String,
    /// `on` when the viewer accepted the group's guidelines.
    pub accept_guidelines: String,
}

/// A signed-in user follows or unfollows the group (as `POST /follows` and
/// `DELETE /follows/{handle}` do), back to the group's page.
pub async fn follow_here(
    data: Ctx,
    headers: HeaderMap,
    axum::extract::Path(name): axum::extract::Path<String>,
    axum::Form(f): axum::Form<FollowForm>,
) -> Response {
    let back = format!("/g/{name}");
    let (v, tr) = viewer_tr(&data, &headers).await;
    if let Err(why) = crate::web::csrf::check(&data.base, &headers, &v, &f.csrf) {
        return crate::web::form::csrf_refused(&data, &v, &tr, why, &back);
    }
    let Some((_, me)) = &v.user else {
        return crate::web::layout::redirect(&crate::web::form::signin_to(&back));
    };
    let result = async {
        let (_, group) = crate::domain::groups::local_group(&data, &name).await?;
        match f.op.as_str() {
            "follow" => {
                let accepted = f.accept_guidelines == "on";
                match crate::actions::follows::join(&data, me, &group, accepted).await? {
                    Some(_) => Ok(()),
                    None => {
                        // Back to the group's page, saying what is missing.
                        let mut page = render(&data, Ok(group), &v, &tr, &HashMap::new()).await?;
                        page.join_error = true;
                        return Ok(Some(page));
                    }
                }
            }
            "unfollow" => crate::actions::follows::unfollow(&data, me, &group).await,
            _ => Err(AppError::Invalid("follow or unfollow".into())),
        }
        .map(|()| None)
    }
    .await;
    match result {
        Ok(Some(page)) => respond(&data, &v, StatusCode::UNPROCESSABLE_ENTITY, &page),
        Ok(None) => crate::web::layout::redirect(&back),
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
