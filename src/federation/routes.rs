//! ActivityPub endpoints of local actors: actor documents (with HTML for browsers),
//! collections and stored activities.

use super::objects::local_actor_json;
use super::private::{check_fetch, Fetch};
use super::{with_context, AP_CONTENT_TYPE};
use crate::db::models::Actor;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use axum::extract::{Path, Query};
use axum::http::{header, HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};

const PAGE_SIZE: i64 = 50;

/// Whether the client asked for ActivityPub JSON rather than a page.
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| {
            a.contains("application/activity+json") || a.contains("application/ld+json")
        })
}

pub fn ap_json(value: Value) -> Response {
    ([(header::CONTENT_TYPE, AP_CONTENT_TYPE)], axum::Json(value)).into_response()
}

async fn local_actor(data: &Ctx, name: &str, kind: &str) -> AppResult<Actor> {
    let n = name.to_string();
    let actor = data
        .db
        .run(move |c| queries::actors::local_by_name(c, &n))
        .await?
        .filter(|a| a.kind == kind)
        .ok_or_else(|| AppError::NotFound(format!("no {} named '{name}'", kind.to_lowercase())))?;
    if actor.deleted {
        return Err(AppError::Gone(format!("{name} was deleted")));
    }
    Ok(actor)
}

async fn actor_response(data: &Ctx, actor: Actor, headers: &HeaderMap) -> AppResult<Response> {
    if wants_activity_json(headers) {
        Ok(ap_json(local_actor_json(&actor, data).await?))
    } else {
        crate::web::actor_page(data, &actor).await
    }
}

pub async fn person(
    data: Ctx,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let actor = local_actor(&data, &name, "Person").await;
    if !wants_activity_json(&headers) {
        return Ok(crate::web::pages::profile::profile_page(&data, actor, &headers).await);
    }
    actor_response(&data, actor?, &headers).await
}

pub async fn group(
    data: Ctx,
    Path(name): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
    headers: HeaderMap,
) -> AppResult<Response> {
    let actor = local_actor(&data, &name, "Group").await;
    if !wants_activity_json(&headers) {
        return Ok(crate::web::pages::group::group_page(&data, actor, &headers, &q).await);
    }
    actor_response(&data, actor?, &headers).await
}

/// The instance actor, named as the site is (the Instance page's name).
pub async fn instance_actor(data: Ctx) -> AppResult<Response> {
    let mut actor = data.instance_actor.clone();
    actor.display_name = Some(data.instance.get().name.clone());
    Ok(ap_json(local_actor_json(&actor, &data).await?))
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

fn collection(id: &str, total: i64, items: Option<(i64, Vec<String>)>) -> Value {
    match items {
        None => with_context(json!({
            "id": id,
            "type": "OrderedCollection",
            "totalItems": total,
            "first": format!("{id}?page=1"),
        })),
        Some((page, items)) => {
            let mut v = json!({
                "id": format!("{id}?page={page}"),
                "type": "OrderedCollectionPage",
                "partOf": id,
                "totalItems": total,
                "orderedItems": items,
            });
            if page * PAGE_SIZE < total && page < crate::domain::input::MAX_PAGE {
                v["next"] = json!(format!("{id}?page={}", page + 1));
            }
            if page > 1 {
                v["prev"] = json!(format!("{id}?page={}", page - 1));
            }
            with_context(v)
        }
    }
}

async fn followers_of(data: Ctx, actor: Actor, q: PageQuery) -> AppResult<Response> {
    let id = format!("{}/followers", actor.ap_id);
    let aid = actor.id;
    let page = q
        .page
        .map(|p| crate::domain::input::page(Some(p)))
        .transpose()?;
    let (total, items) = data
        .db
        .run(move |c| {
            let total = queries::follows::count_followers(c, aid)?;
            let items = match page {
                Some(p) => Some((
                    p,
                    queries::follows::followers(c, aid, (p - 1) * PAGE_SIZE, PAGE_SIZE)?
                        .into_iter()
                        .map(|a| a.ap_id)
                        .collect(),
                )),
                None => None,
            };
            Ok((total, items))
        })
        .await?;
    Ok(ap_json(collection(&id, total, items)))
}

pub async fn person_followers(
    data: Ctx,
    Path(name): Path<String>,
    q: Query<PageQuery>,
) -> AppResult<Response> {
    let actor = local_actor(&data, &name, "Person").await?;
    followers_of(data, actor, q.0).await
}

pub async fn group_followers(
    data: Ctx,
    Path(name): Path<String>,
    q: Query<PageQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let actor = local_actor(&data, &name, "Group").await?;
    check_fetch(&data, &actor, &(method, uri, headers)).await?;
    followers_of(data, actor, q.0).await
}

pub async fn person_following(
    data: Ctx,
    Path(name): Path<String>,
    q: Query<PageQuery>,
) -> AppResult<Response> {
    let actor = local_actor(&data, &name, "Person").await?;
    let id = format!("{}/following", actor.ap_id);
    let aid = actor.id;
    let page = q
        .page
        .map(|p| crate::domain::input::page(Some(p)))
        .transpose()?;
    let (total, items) = data
        .db
        .run(move |c| {
            let total = queries::follows::count_following(c, aid)?;
            let items = match page {
                Some(p) => Some((
                    p,
                    queries::follows::following(c, aid, (p - 1) * PAGE_SIZE, PAGE_SIZE)?
                        .into_iter()
                        .filter(|(_, pending)| !pending)
                        .map(|(a, _)| a.ap_id)
                        .collect(),
                )),
                None => None,
            };
            Ok((total, items))
        })
        .await?;
    Ok(ap_json(collection(&id, total, items)))
}

async fn outbox_of(data: Ctx, actor: Actor) -> AppResult<Response> {
    let aid = actor.id;
    let (total, items) = data
        .db
        .run(move |c| {
            Ok((
                queries::activities::count_public(c, aid)?,
                queries::activities::outbox(c, aid, 20)?,
            ))
        })
        .await?;
    let items: Vec<Value> = items
        .into_iter()
        .filter_map(|a| serde_json::from_str::<Value>(&a.body).ok())
        .map(|mut v| {
            if let Value::Object(m) = &mut v {
                m.remove("@context");
            }
            v
        })
        .collect();
    Ok(ap_json(with_context(json!({
        "id": format!("{}/outbox", actor.ap_id),
        "type": "OrderedCollection",
        "totalItems": total,
        "orderedItems": items,
    }))))
}

pub async fn person_outbox(data: Ctx, Path(name): Path<String>) -> AppResult<Response> {
    let actor = local_actor(&data, &name, "Person").await?;
    outbox_of(data, actor).await
}

pub async fn group_outbox(
    data: Ctx,
    Path(name): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let actor = local_actor(&data, &name, "Group").await?;
    check_fetch(&data, &actor, &(method, uri, headers)).await?;
    outbox_of(data, actor).await
}

pub async fn group_moderators(data: Ctx, Path(name): Path<String>) -> AppResult<Response> {
    let actor = local_actor(&data, &name, "Group").await?;
    let gid = actor.id;
    let mods = data
        .db
        .run(move |c| queries::groups::moderators(c, gid))
        .await?;
    let items: Vec<String> = mods.into_iter().map(|a| a.ap_id).collect();
    Ok(ap_json(with_context(json!({
        "id": format!("{}/moderators", actor.ap_id),
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    }))))
}

pub async fn group_featured(data: Ctx, Path(name): Path<String>) -> AppResult<Response> {
    let actor = local_actor(&data, &name, "Group").await?;
    let gid = actor.id;
    let items = data
        .db
        .run(move |c| queries::moderation::featured(c, gid))
        .await?;
    Ok(ap_json(with_context(json!({
        "id": format!("{}/featured", actor.ap_id),
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    }))))
}

/// A stored outgoing activity (only public ones are served).
pub async fn activity(data: Ctx, Path((_kind, id)): Path<(String, i64)>) -> AppResult<Response> {
    let row = data
        .db
        .run(move |c| queries::activities::by_id(c, id))
        .await?
        .filter(|a| a.public)
        .ok_or_else(|| AppError::NotFound("no such activity".into()))?;
    let v: Value = serde_json::from_str(&row.body)?;
    Ok(ap_json(v))
}

/// A local post for a fetch: a public one, or one of a private group fetched by one of
/// its members' servers (see [`check_fetch`]).
async fn local_post(data: &Ctx, id: i64, request: &Fetch) -> AppResult<crate::db::models::Post> {
    let found = data
        .db
        .run(move |c| {
            let Some(post) = queries::posts::by_id(c, id)?.filter(|p| p.local) else {
                return Ok(None);
            };
            let group = match (post.public, post.group_id) {
                (false, Some(g)) => queries::actors::by_id(c, g)?,
                _ => None,
            };
            Ok(Some((post, group)))
        })
        .await?;
    let not_found = || AppError::NotFound("no such post".into());
    match found {
        Some((post, _)) if post.public => Ok(post),
        Some((post, Some(group))) if crate::actions::rules::is_private(&group) => {
            check_fetch(data, &group, request).await?;
            Ok(post)
        }
        _ => Err(not_found()),
    }
}

/// A local question (`/q/{id}`) or answer (`/a/{id}`): ActivityPub JSON or a page.
pub async fn post(
    data: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let page = crate::domain::input::page(q.page)?;
    if !wants_activity_json(&headers) {
        return Ok(crate::web::pages::thread::thread_page(&data, id, page, &headers).await);
    }
    let post = local_post(&data, id, &(method, uri, headers)).await?;
    let doc = super::posts::post_document(&data, &post).await?;
    let status = if !post.visible() {
        axum::http::StatusCode::GONE
    } else {
        axum::http::StatusCode::OK
    };
    Ok((status, ap_json(doc)).into_response())
}

/// The thread of a question as a FEP-7888 `context` collection of its public posts,
/// question first, then as published; paged (100 ids a page), the first page embedded.
pub async fn context(
    data: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> AppResult<Response> {
    let page = crate::domain::input::page(q.page)?;
    let post = local_post(&data, id, &(method, uri, headers)).await?;
    let members = !post.public;
    let qid = post.question_id.unwrap_or(post.id);
    let (total, items) = data
        .db
        .run(move |c| queries::threads::context(c, qid, page, members))
        .await?;
    let collection = format!("{}/context", post.ap_id);
    let page_id = |n: i64| format!("{collection}?page={n}");
    let mut page_doc = json!({
        "id": page_id(page),
        "type": "OrderedCollectionPage",
        "partOf": collection,
        "orderedItems": items,
    });
    if page * queries::threads::CONTEXT_PER_PAGE < total && page < crate::domain::input::MAX_PAGE {
        page_doc["next"] = json!(page_id(page + 1));
    }
    if page > 1 {
        page_doc["prev"] = json!(page_id(page - 1));
    }
    if q.page.is_some() {
        return Ok(ap_json(with_context(page_doc)));
    }
    Ok(ap_json(with_context(json!({
        "id": collection,
        "type": "OrderedCollection",
        "totalItems": total,
        "first": page_doc,
    }))))
}

/// A local knowledge article (`/kb/{id}`): its `Article` JSON (a `Tombstone`, `410`,
/// once retired), or its page.
pub async fn article(data: Ctx, Path(id): Path<i64>, headers: HeaderMap) -> AppResult<Response> {
    if !wants_activity_json(&headers) {
        return Ok(crate::web::pages::kb::article_page(&data, id, None, &headers).await);
    }
    let base = data.base.clone();
    let (doc, retired) = data
        .db
        .run(move |c| {
            let article = queries::articles::by_id(c, id)?
                .filter(|a| a.local)
                .ok_or_else(|| AppError::NotFound("no such article".into()))?;
            let doc = super::activities::article::article_json(c, &base, &article)?;
            Ok((doc, article.retired()))
        })
        .await?;
    let status = if retired {
        axum::http::StatusCode::GONE
    } else {
        axum::http::StatusCode::OK
    };
    Ok((status, ap_json(with_context(doc))).into_response())
}

/// A staff member's public reply from the listening queue (the Note, as sent).
pub async fn listening_note(data: Ctx, Path(id): Path<i64>) -> AppResult<Response> {
    let note_id = crate::actions::listening::reply_note_id(&data.base, id);
    let key = note_id.clone();
    let found = data
        .db
        .run(move |c| {
            let Some(item) = queries::listening::item_by_reply(c, &key)? else {
                return Ok(None);
            };
            let staff = match item.handled_by {
                Some(a) => queries::actors::by_id(c, a)?,
                None => None,
            };
            let author = queries::actors::by_ap_id(c, &item.author_ap_id)?;
            Ok(staff.zip(author).map(|(s, a)| (item, s, a)))
        })
        .await?;
    let Some((item, staff, author)) = found else {
        return Err(AppError::NotFound("no such note".into()));
    };
    let create = super::activities::listening::reply(
        String::new(),
        note_id,
        &staff,
        &author,
        &item.object_ap_id,
        item.reply_md.as_deref().unwrap_or_default(),
        super::timestamps::ap_time(item.updated_at),
    )?;
    Ok(ap_json(with_context(create["object"].clone())))
}
