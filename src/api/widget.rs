//! The help widget's settings of a group: the sites that may embed it
//! (`actions::widget`), and the snippet to put into them.

use super::{ApiJson, Auth};
use crate::actions;
use crate::error::{AppResult, ErrorBody};
use crate::state::Ctx;
use axum::extract::Path;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A group's help widget.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct WidgetView {
    /// Origins that may embed it (`https://docs.example.com`); empty: any site.
    pub allowed_origins: Vec<String>,
    /// The framed page.
    pub url: String,
    /// The snippet to put into a page (`data-topic` chooses the suggestions).
    pub snippet: String,
}

#[derive(Deserialize, ToSchema)]
pub struct WidgetBody {
    /// Origins that may embed the widget (at most 20); empty: any site.
    pub allowed_origins: Vec<String>,
}

fn view(data: &Ctx, name: &str, allowed_origins: Vec<String>) -> WidgetView {
    WidgetView {
        allowed_origins,
        url: format!("{}/embed/g/{name}", data.base),
        snippet: format!(
            "<script src=\"{}/embed.js\" data-group=\"{name}\" data-topic=\"\" async></script>",
            data.base
        ),
    }
}

/// A local group's help widget.
#[utoipa::path(get, path = "/groups/{name}/widget", operation_id = "get_widget", tag = "groups",
    params(("name" = String, Path)),
    responses((status = 200, body = WidgetView), (status = 404, body = ErrorBody)))]
pub async fn get(data: Ctx, Path(name): Path<String>) -> AppResult<Json<WidgetView>> {
    let (_, group) = crate::domain::groups::local_group(&data, &name).await?;
    let origins = actions::widget::origins(&data, &group).await?;
    Ok(Json(view(&data, &group.name, origins)))
}

/// Set the sites that may embed the group's help widget (its moderators).
#[utoipa::path(put, path = "/groups/{name}/widget", operation_id = "set_widget", tag = "groups", security(("bearer" = [])),
    params(("name" = String, Path)), request_body = WidgetBody,
    responses((status = 200, body = WidgetView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set(
    data: Ctx,
    auth: Auth,
    Path(name): Path<String>,
    ApiJson(body): ApiJson<WidgetBody>,
) -> AppResult<Json<WidgetView>> {
    let (_, group) = crate::domain::groups::local_group(&data, &name).await?;
    let origins =
        actions::widget::set_origins(&data, &auth.actor, &group, body.allowed_origins).await?;
    Ok(Json(view(&data, &group.name, origins)))
}
