//! Private conversations (`/conversations`): only their two participants see one;
//! anyone else gets `404`, as for a conversation that does not exist.

use super::{parse_id, ApiJson, Auth};
use crate::actions::conversations as act;
use crate::db::models::Actor;
use crate::db::queries::conversations::Message;
use crate::db::rfc3339;
use crate::domain::ratelimit::Action;
use crate::error::{AppResult, ErrorBody};
use crate::federation::follow::resolve_name;
use crate::state::Ctx;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ConversationSummary {
    pub id: String,
    /// The other participant's handle (`name@domain`).
    pub with: String,
    /// Messages of the other participant the caller has not read.
    pub unread: i64,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConversationMessage {
    pub id: String,
    /// The author's handle.
    pub author: String,
    /// Markdown (or the text of a message received from another server); empty once
    /// deleted.
    pub body: String,
    pub body_html: String,
    pub deleted: bool,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConversationView {
    pub id: String,
    pub with: String,
    pub messages: Vec<ConversationMessage>,
}

fn message(m: &Message, me: &Actor, other: &Actor) -> ConversationMessage {
    let author = if m.author_id == me.id { me } else { other };
    ConversationMessage {
        id: m.id.to_string(),
        author: author.handle(),
        body: m.body_md.clone(),
        body_html: m.body_html.clone(),
        deleted: m.deleted_at.is_some(),
        created_at: rfc3339(m.created_at),
    }
}

/// The caller's conversations, the latest first.
#[utoipa::path(get, path = "/conversations", tag = "conversations", security(("bearer" = [])),
    responses((status = 200, body = Vec<ConversationSummary>), (status = 401, body = ErrorBody)))]
pub async fn list_conversations(
    data: Ctx,
    auth: Auth,
) -> AppResult<Json<Vec<ConversationSummary>>> {
    let rows = act::list(&data, &auth.actor).await?;
    Ok(Json(
        rows.iter()
            .map(|s| ConversationSummary {
                id: s.conversation.id.to_string(),
                with: s.other.handle(),
                unread: s.unread,
                updated_at: rfc3339(s.conversation.updated_at),
            })
            .collect(),
    ))
}

/// One conversation with its messages (its participants only); marks it read.
#[utoipa::path(get, path = "/conversations/{id}", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = ConversationView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_conversation(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<Json<ConversationView>> {
    let (conv, other, messages) =
        act::open(&data, &auth.actor, parse_id(&id, "conversation")?).await?;
    Ok(Json(ConversationView {
        id: conv.id.to_string(),
        with: other.handle(),
        messages: messages
            .iter()
            .map(|m| message(m, &auth.actor, &other))
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct StartConversation {
    /// Who to write to: `name` (here), `name@domain` or an actor URL.
    pub to: String,
    /// Markdown.
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct SentMessage {
    pub conversation_id: String,
    #[serde(flatten)]
    pub message: ConversationMessage,
}

/// Send a private message to someone, here or on another server (the conversation of
/// the two is made on the first one).
#[utoipa::path(post, path = "/conversations", tag = "conversations", security(("bearer" = [])),
    request_body = StartConversation,
    responses((status = 201, body = SentMessage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn start_conversation(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<StartConversation>,
) -> AppResult<(StatusCode, Json<SentMessage>)> {
    auth.rate_limit(&data, Action::Post)?;
    let to = resolve_name(&data, &body.to).await?;
    let m = act::send(&data, &auth.actor, &to, &body.body).await?;
    Ok((
        StatusCode::CREATED,
        Json(SentMessage {
            conversation_id: m.conversation_id.to_string(),
            message: message(&m, &auth.actor, &to),
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct NewConversationMessage {
    /// Markdown.
    pub body: String,
}

/// Reply in a conversation (its participants only).
#[utoipa::path(post, path = "/conversations/{id}/messages", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = NewConversationMessage,
    responses((status = 201, body = SentMessage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn add_conversation_message(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NewConversationMessage>,
) -> AppResult<(StatusCode, Json<SentMessage>)> {
    auth.rate_limit(&data, Action::Post)?;
    let m = act::reply(
        &data,
        &auth.actor,
        parse_id(&id, "conversation")?,
        &body.body,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(SentMessage {
            conversation_id: m.conversation_id.to_string(),
            message: message(&m, &auth.actor, &auth.actor),
        }),
    ))
}

/// Delete one's own message; a recipient on another server gets a `Delete`.
#[utoipa::path(delete, path = "/conversations/messages/{id}", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_conversation_message(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    act::delete(&data, &auth.actor, parse_id(&id, "message")?).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct MessageReport {
    /// Why it is abusive.
    pub reason: String,
}

/// Report a message one received: it reaches the admins here (quoting it) and, for an
/// author on another server, their server as a `Flag`.
#[utoipa::path(post, path = "/conversations/messages/{id}/report", tag = "conversations", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = MessageReport,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn report_conversation_message(
    data: Ctx,
    auth: Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<MessageReport>,
) -> AppResult<StatusCode> {
    auth.rate_limit(&data, Action::Report)?;
    act::report(&data, &auth.actor, parse_id(&id, "message")?, &body.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct NewBlock {
    /// Who to block: `name` (here), `name@domain` or an actor URL.
    pub person: String,
}

#[derive(Serialize, ToSchema)]
pub struct BlockedPerson {
    /// `name@domain`.
    pub handle: String,
}

/// The people the caller blocked, newest first.
#[utoipa::path(get, path = "/blocks", tag = "conversations", security(("bearer" = [])),
    responses((status = 200, body = Vec<BlockedPerson>), (status = 401, body = ErrorBody)))]
pub async fn list_blocks(data: Ctx, auth: Auth) -> AppResult<Json<Vec<BlockedPerson>>> {
    let people = crate::actions::blocks::list(&data, &auth.actor).await?;
    Ok(Json(
        people
            .iter()
            .map(|a| BlockedPerson { handle: a.handle() })
            .collect(),
    ))
}

/// Block someone: they can no longer write to the caller, their direct messages from
/// other servers are dropped, and nothing they do notifies the caller. Nobody is told.
#[utoipa::path(post, path = "/blocks", tag = "conversations", security(("bearer" = [])),
    request_body = NewBlock,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn block_person(
    data: Ctx,
    auth: Auth,
    ApiJson(body): ApiJson<NewBlock>,
) -> AppResult<StatusCode> {
    let other = resolve_name(&data, &body.person).await?;
    crate::actions::blocks::block(&data, &auth.actor, &other).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unblock someone (`name`, `name@domain` or an actor URL).
#[utoipa::path(delete, path = "/blocks/{person}", tag = "conversations", security(("bearer" = [])),
    params(("person" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn unblock_person(
    data: Ctx,
    auth: Auth,
    Path(person): Path<String>,
) -> AppResult<StatusCode> {
    let other = resolve_name(&data, &person).await?;
    crate::actions::blocks::unblock(&data, &auth.actor, &other).await?;
    Ok(StatusCode::NO_CONTENT)
}
