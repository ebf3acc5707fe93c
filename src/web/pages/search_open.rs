//! `GET /search/open?p=ID` (a question or answer) or `?kb=ID` (a knowledge article): the
//! links of search results. Counts the click for the result's group (search deflection,
//! see `actions::search_clicks`) and redirects to the result.

use crate::actions::search_clicks::{self, Hit};
use crate::error::AppError;
use crate::state::Ctx;
use crate::web::layout::{error_page, redirect};
use crate::web::session::{anon_cookie, viewer_tr};
use axum::extract::Query;
use axum::http::{header, HeaderMap};
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OpenQuery {
    pub p: String,
    pub kb: String,
}

pub async fn open(data: Ctx, headers: HeaderMap, Query(q): Query<OpenQuery>) -> Response {
    let (v, tr) = viewer_tr(&data, &headers).await;
    let hit = match (q.p.parse::<i64>(), q.kb.parse::<i64>()) {
        (Ok(id), _) => Hit::Post(id),
        (_, Ok(id)) => Hit::Article(id),
        _ => {
            let e = AppError::NotFound("no such search result".into());
            return error_page(&data, &v, &tr, &e);
        }
    };
    let me = v.user.as_ref().map(|(_, a)| a);
    match search_clicks::open(&data, me, &v.anon, hit).await {
        Ok(path) => {
            let mut resp = redirect(&path);
            if v.new_anon {
                resp.headers_mut()
                    .append(header::SET_COOKIE, anon_cookie(&data.settings, &v.anon));
            }
            resp
        }
        Err(e) => error_page(&data, &v, &tr, &e),
    }
}
