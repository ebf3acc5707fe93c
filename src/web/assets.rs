//! The stylesheet and scripts, embedded in the binary and served at
//! `/static/{hash}/{name}`: the content hash in the URL lets browsers cache them for a
//! year (`immutable`); a new build has new URLs.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "peerdesk.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../../static/peerdesk.css"),
    },
    Asset {
        name: "peerdesk.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/peerdesk.js"),
    },
    Asset {
        name: "vendor/htmx-2.0.11.min.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/vendor/htmx-2.0.11.min.js"),
    },
    Asset {
        name: "widget.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../../static/widget.css"),
    },
    Asset {
        name: "widget.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/widget.js"),
    },
];

pub const CSS: &str = "peerdesk.css";
pub const JS: &str = "peerdesk.js";
pub const HTMX: &str = "vendor/htmx-2.0.11.min.js";
/// The help widget's own stylesheet and script (`pages::embed`).
pub const WIDGET_CSS: &str = "widget.css";
pub const WIDGET_JS: &str = "widget.js";

/// Content hashes (12 hex digits), in the order of `ASSETS`.
static HASHES: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            Sha256::digest(a.body)
                .iter()
                .take(6)
                .map(|b| format!("{b:02x}"))
                .collect()
        })
        .collect()
});

/// The URL of an embedded file.
pub fn url(name: &str) -> String {
    let i = ASSETS
        .iter()
        .position(|a| a.name == name)
        .expect("a known asset");
    format!("/static/{}/{}", HASHES[i], name)
}

/// `GET /static/{hash}/{*name}`. An outdated hash (a page from an earlier build) still
/// gets the current file, but without the long cache.
pub async fn serve(Path((hash, name)): Path<(String, String)>) -> Response {
    let Some(i) = ASSETS.iter().position(|a| a.name == name) else {
        return (StatusCode::NOT_FOUND, "no such file").into_response();
    };
    let cache = if HASHES[i] == hash {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [
            (header::CONTENT_TYPE, ASSETS[i].mime),
            (header::CACHE_CONTROL, cache),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        ASSETS[i].body,
    )
        .into_response()
}
