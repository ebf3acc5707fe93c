//! A real HTTP server on 127.0.0.1 that answers each path as a test scripts it: any
//! status, content type and body, optionally after a delay (longer than the instance's
//! request timeout, to stand for a server that does not answer).
#![allow(dead_code)]

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone)]
struct Reply {
    status: StatusCode,
    content_type: String,
    body: String,
    delay: Duration,
}

#[derive(Clone)]
pub struct Scripted {
    /// `http://localhost:PORT`
    pub base: String,
    replies: Arc<Mutex<HashMap<String, Reply>>>,
}

async fn answer(State(s): State<Scripted>, req: Request) -> Response {
    let reply = s.replies.lock().unwrap().get(req.uri().path()).cloned();
    let Some(r) = reply else {
        return (StatusCode::NOT_FOUND, "nothing scripted here").into_response();
    };
    if !r.delay.is_zero() {
        tokio::time::sleep(r.delay).await;
    }
    (r.status, [(header::CONTENT_TYPE, r.content_type)], r.body).into_response()
}

impl Scripted {
    pub async fn start() -> Scripted {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let s = Scripted {
            base: format!("http://localhost:{port}"),
            replies: Default::default(),
        };
        let app = Router::new().fallback(answer).with_state(s.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        s
    }

    /// Answers `path` (query ignored) with `status`, `content_type` and `body`; returns
    /// its URL.
    pub fn reply(&self, path: &str, status: u16, content_type: &str, body: &str) -> String {
        self.reply_after(path, status, content_type, body, Duration::ZERO)
    }

    /// [`Scripted::reply`] after `delay`.
    pub fn reply_after(
        &self,
        path: &str,
        status: u16,
        content_type: &str,
        body: &str,
        delay: Duration,
    ) -> String {
        self.replies.lock().unwrap().insert(
            path.to_string(),
            Reply {
                status: StatusCode::from_u16(status).unwrap(),
                content_type: content_type.to_string(),
                body: body.to_string(),
                delay,
            },
        );
        format!("{}{path}", self.base)
    }
}

/// A URL on 127.0.0.1 where nothing listens (connections are refused).
pub async fn refused_url(path: &str) -> String {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    format!("http://localhost:{port}{path}")
}
