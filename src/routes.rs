//! The HTTP router: federation endpoints, pages and the API.

use crate::federation::{inbox, routes as ap, wellknown};
use crate::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{Json, Router};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub fn router(_state: AppState) -> Router {
    let (api, openapi) = crate::api::router();
    let api = api.route("/openapi.json", get(move || async move { Json(openapi) }));
    Router::new()
        .route("/", get(crate::web::pages::home::home))
        .route(crate::web::STYLESHEET, get(crate::web::stylesheet))
        .route("/.well-known/webfinger", get(wellknown::webfinger))
        .route("/.well-known/nodeinfo", get(wellknown::nodeinfo_links))
        .route("/nodeinfo/2.1", get(wellknown::nodeinfo))
        .route(
            crate::federation::staff::WELL_KNOWN,
            get(crate::federation::staff::well_known),
        )
        .route("/actor", get(ap::instance_actor))
        .route("/inbox", post(inbox::shared_inbox))
        .route("/u/{name}", get(ap::person))
        .route("/u/{name}/inbox", post(inbox::actor_inbox))
        .route("/u/{name}/outbox", get(ap::person_outbox))
        .route("/u/{name}/followers", get(ap::person_followers))
        .route("/u/{name}/following", get(ap::person_following))
        .route("/g/{name}", get(ap::group))
        .route("/g/{name}/inbox", post(inbox::actor_inbox))
        .route("/g/{name}/outbox", get(ap::group_outbox))
        .route("/g/{name}/followers", get(ap::group_followers))
        .route("/g/{name}/moderators", get(ap::group_moderators))
        .route("/g/{name}/featured", get(ap::group_featured))
        .route("/activities/{kind}/{id}", get(ap::activity))
        .route("/q/{id}", get(ap::post))
        .route("/q/{id}/context", get(ap::context))
        .route("/a/{id}", get(ap::post))
        .route("/kb/{id}", get(ap::article))
        .route("/listening/notes/{id}", get(ap::listening_note))
        .nest("/api/v1", api.layer(DefaultBodyLimit::max(1024 * 1024)))
        .merge(crate::web::router().layer(DefaultBodyLimit::max(64 * 1024)))
        .fallback(crate::web::pages::not_found)
        .layer(axum::middleware::from_fn(crate::rejections::json_errors))
        .layer(axum::middleware::map_response(
            crate::server::security_headers,
        ))
        // gzip or brotli for text (pages, CSS, JS, JSON, XML) when the client accepts it;
        // images and small bodies are left as they are (tower-http's default predicate).
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
}
