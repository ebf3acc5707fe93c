//! The HTTP server loop: axum's router served by hyper with a header read timeout, so a
//! client that opens a connection and sends a partial request (or nothing) is
//! disconnected after `--header-read-timeout-ms` instead of holding it open. Each request
//! carries the client's address as `ConnectInfo<SocketAddr>`, as `axum::serve` with
//! connect info would give it. [`security_headers`] adds the headers every response
//! carries.

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto::Builder;
use hyper_util::service::TowerToHyperService;
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Accepts connections on `listener` and serves `router` on each. When this future is
/// dropped (the instance stops), open connections finish the request they are serving and
/// close, as with `axum::serve`.
pub async fn serve(listener: TcpListener, router: Router, header_read_timeout: Duration) {
    let (stopping, stopped) = tokio::sync::watch::channel(());
    let _stopping = stopping;
    loop {
        let (stream, remote) = match listener.accept().await {
            Ok(conn) => conn,
            Err(e) => {
                // Out of file descriptors and the like: wait instead of spinning.
                tracing::warn!("accepting a connection failed: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = router
            .clone()
            .map_request(move |mut req: axum::http::Request<Incoming>| {
                req.extensions_mut().insert(ConnectInfo(remote));
                req.map(axum::body::Body::new)
            });
        let mut stopped = stopped.clone();
        tokio::spawn(async move {
            let mut builder = Builder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(header_read_timeout);
            let io = TokioIo::new(stream);
            let service = TowerToHyperService::new(service);
            let conn = builder.serve_connection_with_upgrades(io, service);
            tokio::pin!(conn);
            let result = tokio::select! {
                result = conn.as_mut() => result,
                _ = stopped.changed() => {
                    conn.as_mut().graceful_shutdown();
                    conn.await
                }
            };
            if let Err(e) = result {
                tracing::trace!("connection ended: {e}");
            }
        });
    }
}

/// The pages' policy: nothing but this server's own style sheets, scripts and images
/// (and images from https or data URLs), forms posting here only, never framed.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; script-src 'self'; connect-src 'self'; \
     style-src 'self'; img-src 'self' https: data:; form-action 'self'; \
     frame-ancestors 'none'; base-uri 'none'";

/// Adds `Content-Security-Policy`, `X-Content-Type-Options: nosniff`, `Referrer-Policy:
/// same-origin` and `X-Frame-Options: DENY` to a response that does not set them itself.
/// A response whose own policy lets other sites frame it (the help widget's
/// `frame-ancestors`) gets no `X-Frame-Options`, which would forbid it again.
pub async fn security_headers(mut resp: axum::response::Response) -> axum::response::Response {
    use axum::http::{header, HeaderValue};
    let headers = resp.headers_mut();
    let framable = headers
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|csp| {
            csp.contains("frame-ancestors") && !csp.contains("frame-ancestors 'none'")
        });
    if !framable {
        headers
            .entry(header::X_FRAME_OPTIONS)
            .or_insert_with(|| HeaderValue::from_static("DENY"));
    }
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        headers
            .entry(name)
            .or_insert_with(|| HeaderValue::from_static(value));
    }
    resp
}
