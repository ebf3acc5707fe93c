//! WebFinger (`/.well-known/webfinger`) and NodeInfo 2.1.

use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct WebfingerQuery {
    resource: Option<String>,
}

pub async fn webfinger(data: Ctx, Query(q): Query<WebfingerQuery>) -> AppResult<Response> {
    let resource = q
        .resource
        .ok_or_else(|| AppError::Invalid("the resource parameter is required".into()))?;
    let domain = data.domain().to_string();
    let name = if let Some(acct) = resource.strip_prefix("acct:") {
        let (name, host) = acct
            .rsplit_once('@')
            .ok_or_else(|| AppError::Invalid("resource must be acct:name@host".into()))?;
        if !host.eq_ignore_ascii_case(&domain) {
            return Err(AppError::NotFound(format!("{host} is not this instance")));
        }
        name.to_string()
    } else if let Some(path) = resource.strip_prefix(&data.base) {
        // Reverse look-up by actor URL, as Mastodon does.
        path.trim_start_matches('/')
            .split('/')
            .nth(1)
            .unwrap_or_default()
            .to_string()
    } else {
        return Err(AppError::Invalid("unsupported resource".into()));
    };
    let actor = if name == domain || resource == data.instance_actor.ap_id {
        data.instance_actor.clone()
    } else {
        data.db
            .run(move |c| queries::actors::local_by_name(c, &name))
            .await?
            .filter(|a| !a.deleted)
            .ok_or_else(|| AppError::NotFound("no such account or group".into()))?
    };
    let mut self_link = json!({
        "rel": "self",
        "type": "application/activity+json",
        "href": actor.ap_id,
    });
    if actor.is_group() {
        self_link["properties"] = json!({"https://www.w3.org/ns/activitystreams#type": "Group"});
    }
    let body = json!({
        "subject": format!("acct:{}@{}", actor.name, domain),
        "aliases": [actor.ap_id],
        "links": [
            self_link,
            {
                "rel": "http://webfinger.net/rel/profile-page",
                "type": "text/html",
                "href": actor.url.clone().unwrap_or_else(|| actor.ap_id.clone()),
            }
        ],
    });
    Ok((
        [(header::CONTENT_TYPE, "application/jrd+json")],
        axum::Json(body),
    )
        .into_response())
}

pub async fn nodeinfo_links(data: Ctx) -> Response {
    axum::Json(json!({
        "links": [{
            "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1",
            "href": format!("{}/nodeinfo/2.1", data.base),
        }]
    }))
    .into_response()
}

pub async fn nodeinfo(data: Ctx) -> AppResult<Response> {
    let (users, groups, posts) = data
        .db
        .run(|c| {
            Ok((
                queries::users::count(c)?,
                queries::actors::count_local(c, "Group")?,
                queries::posts::count_local(c)?,
            ))
        })
        .await?;
    let instance = data.instance.get();
    let body = json!({
        "version": "2.1",
        "software": {
            "name": "peerdesk",
            "version": env!("CARGO_PKG_VERSION"),
            "repository": "https://github.com/peerdesk/peerdesk",
            "homepage": "https://github.com/peerdesk/peerdesk",
        },
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": instance.open_registrations(),
        "usage": {
            "users": {"total": users},
            "localPosts": posts,
        },
        "metadata": {
            "nodeName": instance.name,
            "nodeDescription": instance.description,
            "groups": groups,
        },
    });
    Ok((
        [(
            header::CONTENT_TYPE,
            "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/2.1#\"",
        )],
        axum::Json(body),
    )
        .into_response())
}
