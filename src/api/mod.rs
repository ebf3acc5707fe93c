//! The JSON client API under `/api/v1`, described by an OpenAPI document generated from
//! the same route registrations (`/api/v1/openapi.json`).

pub mod accounts;
pub mod admin;
pub mod articles;
pub mod cases;
pub mod conversations;
pub mod email;
pub mod escalation;
pub mod follows;
pub mod groups;
pub mod ideas;
pub mod instance;
pub mod interests;
pub mod listening;
pub mod metrics;
pub mod moderation;
pub mod notifications;
pub mod personal_data;
pub mod private_groups;
pub mod questions;
pub mod reputation;
pub mod roles;
pub mod staff;
pub mod surveys;
pub mod webhooks;
pub mod widget;

use crate::db::models::{Actor, Post, User};
use crate::db::{now_ms, queries};
use crate::domain::ratelimit::Action;
use crate::error::AppError;
use crate::state::AppState;
use crate::state::Ctx;
use activitypub_federation::config::Data;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "peerdesk API", description = "Client API of a peerdesk instance."),
    servers((url = "/api/v1")),
    modifiers(&BearerAuth),
    tags((name = "accounts"), (name = "groups"), (name = "follows"), (name = "questions"), (name = "moderation"), (name = "staff"), (name = "reputation"), (name = "admin"), (name = "notifications"), (name = "webhooks"), (name = "cases"), (name = "articles"), (name = "conversations"), (name = "ideas"), (name = "listening")),
    components(schemas(webhooks::WebhookEvent))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes and their OpenAPI description, built together.
pub fn router() -> (axum::Router, utoipa::openapi::OpenApi) {
    let (router, api) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(accounts::register))
        .routes(routes!(accounts::login, accounts::logout))
        .routes(routes!(accounts::me, accounts::update_me))
        .routes(routes!(accounts::user))
        // email
        .routes(routes!(email::get_email, email::set_email))
        .routes(routes!(email::verify_email))
        .routes(routes!(email::forgot_password))
        .routes(routes!(email::reset_password))
        .routes(routes!(groups::list_groups, groups::create_group))
        .routes(routes!(groups::get_group, groups::update_group))
        .routes(routes!(groups::add_moderator))
        .routes(routes!(groups::remove_moderator))
        .routes(routes!(groups::ban))
        .routes(routes!(groups::unban))
        .routes(routes!(groups::followers))
        .routes(routes!(private_groups::requests))
        .routes(routes!(private_groups::approve))
        .routes(routes!(private_groups::reject))
        .routes(routes!(private_groups::add_member))
        .routes(routes!(private_groups::invite))
        .routes(routes!(private_groups::join))
        .routes(routes!(follows::follow))
        .routes(routes!(follows::unfollow))
        .routes(routes!(follows::following))
        .routes(routes!(follows::resolve))
        .routes(routes!(questions::ask, questions::list))
        .routes(routes!(questions::thread))
        .routes(routes!(questions::answer))
        .routes(routes!(questions::edit, questions::delete))
        .routes(routes!(questions::edits))
        .routes(routes!(questions::vote))
        .routes(routes!(questions::accept))
        .routes(routes!(questions::search))
        .routes(routes!(questions::user_posts))
        .routes(routes!(questions::resolve_object))
        .routes(routes!(moderation::create_report, moderation::reports))
        .routes(routes!(moderation::resolve))
        .routes(routes!(moderation::remove))
        .routes(routes!(moderation::restore))
        .routes(routes!(moderation::lock))
        .routes(routes!(moderation::feature))
        .routes(routes!(moderation::modlog))
        .routes(routes!(moderation::instances))
        .routes(routes!(moderation::set_instance))
        .routes(routes!(moderation::purge))
        .routes(routes!(staff::create_org))
        .routes(routes!(staff::orgs))
        .routes(routes!(staff::set_staff))
        .routes(routes!(staff::claims))
        .routes(routes!(staff::org_staff))
        .routes(routes!(staff::set_group_orgs))
        .routes(routes!(staff::stats))
        .routes(routes!(metrics::group_metrics))
        .routes(routes!(metrics::staff_metrics))
        .routes(routes!(reputation::reputation))
        .routes(routes!(reputation::leaderboard))
        .routes(routes!(reputation::privileges, reputation::set_privilege))
        .routes(routes!(admin::deliveries))
        .routes(routes!(admin::deflection))
        .routes(routes!(admin::set_roles))
        .routes(routes!(instance::get_instance, instance::put_instance))
        .routes(routes!(
            instance::create_invitation,
            instance::list_invitations
        ))
        .routes(routes!(instance::revoke_invitation))
        .routes(routes!(instance::hand_over))
        .routes(routes!(instance::delete_group))
        .routes(routes!(admin::set_suspension))
        .routes(routes!(admin::delete_account))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::mark_all_read))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(
            notifications::preferences,
            notifications::set_preferences
        ))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::update, webhooks::delete))
        .routes(routes!(webhooks::rotate))
        .routes(routes!(webhooks::remove_secret))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::redeliver))
        .routes(routes!(cases::open_case, cases::my_cases))
        .routes(routes!(cases::get_case, cases::update_case))
        .routes(routes!(cases::add_case_message))
        .routes(routes!(cases::case_queue))
        .routes(routes!(cases::customer_view))
        .routes(routes!(cases::crm_tokens, cases::create_crm_token))
        .routes(routes!(cases::revoke_crm_token))
        .routes(routes!(cases::crm_update_case))
        .routes(routes!(cases::crm_add_message))
        .routes(routes!(articles::list))
        .routes(routes!(articles::get, articles::edit, articles::retire))
        .routes(routes!(articles::history))
        .routes(routes!(articles::create))
        .routes(routes!(articles::reviewed))
        .routes(routes!(escalation::list, escalation::create))
        .routes(routes!(escalation::update, escalation::delete))
        .routes(routes!(escalation::escalations))
        .routes(routes!(
            conversations::list_conversations,
            conversations::start_conversation
        ))
        .routes(routes!(conversations::get_conversation))
        .routes(routes!(conversations::add_conversation_message))
        .routes(routes!(conversations::delete_conversation_message))
        .routes(routes!(conversations::report_conversation_message))
        .routes(routes!(
            conversations::list_blocks,
            conversations::block_person
        ))
        .routes(routes!(conversations::unblock_person))
        .routes(routes!(widget::get, widget::set))
        .routes(routes!(roles::list, roles::create))
        .routes(routes!(roles::update, roles::delete))
        .routes(routes!(roles::assign, roles::unassign))
        .routes(routes!(roles::suggestions))
        .routes(routes!(ideas::list))
        .routes(routes!(ideas::get))
        .routes(routes!(ideas::set_status))
        .routes(routes!(ideas::merge))
        .routes(routes!(ideas::follow, ideas::unfollow))
        .routes(routes!(ideas::set_kind))
        .routes(routes!(listening::relays, listening::add_relay))
        .routes(routes!(listening::remove_relay))
        .routes(routes!(listening::terms, listening::add_term))
        .routes(routes!(listening::remove_term))
        .routes(routes!(listening::queue))
        .routes(routes!(listening::update_item))
        .routes(routes!(listening::reply))
        .routes(routes!(listening::invite))
        .routes(routes!(surveys::get_survey))
        .routes(routes!(surveys::answer_survey))
        .routes(routes!(interests::list_tags, interests::follow_tag))
        .routes(routes!(interests::unfollow_tag))
        .routes(routes!(interests::list_people, interests::follow_person))
        .routes(routes!(interests::unfollow_person))
        .split_for_parts();
    (router, api)
}

/// The OpenAPI document (also served at `/api/v1/openapi.json`).
pub fn openapi() -> utoipa::openapi::OpenApi {
    router().1
}

/// `Json` whose rejections (malformed JSON, wrong content type, missing fields) become
/// [`AppError`]s with a JSON body. Strings with control characters (NUL among them) are
/// refused with `400` (see [`crate::domain::input::check_json`]).
pub struct ApiJson<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, AppError> {
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(req, state).await?;
        crate::domain::input::check_json(&value)?;
        T::deserialize(value)
            .map(ApiJson)
            // The client's own body: its field names and types help it.
            .map_err(|e| AppError::Invalid(format!("invalid request body: {e}")))
    }
}

impl From<axum::extract::rejection::JsonRejection> for AppError {
    fn from(r: axum::extract::rejection::JsonRejection) -> Self {
        use axum::extract::rejection::JsonRejection as J;
        match &r {
            J::MissingJsonContentType(_) => AppError::Unsupported(r.body_text()),
            _ if r.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::TooLarge(r.body_text())
            }
            _ => AppError::Invalid(r.body_text()),
        }
    }
}

/// Parses an id from a path or body (ids are strings in the API: they do not fit a
/// JavaScript number).
pub fn parse_id(id: &str, what: &str) -> Result<i64, AppError> {
    id.parse()
        .map_err(|_| AppError::Invalid(format!("{what} ids are numbers")))
}

/// A question, answer or comment by its local id.
pub async fn load_post(data: &Ctx, id: &str) -> Result<Post, AppError> {
    let id = parse_id(id, "post")?;
    data.db
        .run(move |c| queries::posts::by_id(c, id))
        .await?
        .ok_or_else(|| AppError::NotFound("no such post".into()))
}

/// The signed-in user, from `Authorization: Bearer TOKEN`.
pub struct Auth {
    pub user: User,
    pub actor: Actor,
    pub token: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|t| t.trim().to_string())
            .ok_or_else(|| {
                AppError::Unauthenticated("sign in first: Authorization: Bearer TOKEN".into())
            })?;
        let data = Data::<AppState>::from_request_parts(parts, state)
            .await
            .map_err(|(_, m)| AppError::Internal(m.into()))?;
        let (user, actor) = crate::domain::accounts::authenticate(&data, &token).await?;
        Ok(Auth { user, actor, token })
    }
}

/// `Option<Auth>`: `None` without an `Authorization` header; a header with a bad token
/// is still refused.
impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Option<Self>, AppError> {
        if !parts
            .headers
            .contains_key(axum::http::header::AUTHORIZATION)
        {
            return Ok(None);
        }
        <Auth as FromRequestParts<S>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}

impl Auth {
    /// Applies the per-account rate limit of `action` (lower for new accounts).
    pub fn rate_limit(&self, data: &Ctx, action: Action) -> Result<(), AppError> {
        data.limits
            .account(action, self.actor.id, now_ms() - self.user.created_at)
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        crate::actions::rules::require_admin(&self.user)
    }
}
