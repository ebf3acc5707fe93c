//! Prometheus metrics for operators, served at `/metrics` on their own address
//! (`--metrics-bind`, off by default) so that they are not public, as Lemmy does.
//!
//! Counters and histograms are recorded where the work happens (the `metrics` crate's
//! macros, no-ops until a recorder is installed); the queues' gauges are read from the
//! database on each scrape. Names:
//!
//! | metric | kind | meaning |
//! |---|---|---|
//! | `peerdesk_inbox_requests_total{status}` | counter | inbox requests by HTTP status |
//! | `peerdesk_inbox_batch_size` | summary | activities per batch commit |
//! | `peerdesk_inbox_batch_seconds` | summary | time to commit one batch |
//! | `peerdesk_deliveries_total{outcome}` | counter | delivery attempts: `delivered` or `failed` (retried later or given up) |
//! | `peerdesk_deliveries_pending` | gauge | deliveries waiting in the queue |
//! | `peerdesk_deliveries_failed` | gauge | deliveries given up |
//! | `peerdesk_ask_suggestions_opened` | gauge | ask forms that opened a suggested similar question |
//! | `peerdesk_ask_deflected` | gauge | of those, the ones that did not post (answered by self-service) |
//! | `peerdesk_inbound_queue_depth` | gauge | activities waiting in the durable inbound queue (`--inbox-queue`) |
//! | `peerdesk_group_questions_total{group}` | gauge | listed questions of a local group (the [`GROUP_LABELS`] groups with the most) |
//! | `peerdesk_group_unanswered{group}` | gauge | of those, without a visible answer |

use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// At most this many groups get the per-group gauges (those with the most questions), so
/// that the label set stays bounded however many groups there are.
pub const GROUP_LABELS: i64 = 50;

/// Installs the process-wide recorder (once; instances in one process share it).
pub fn install() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("another metrics recorder is installed; /metrics stays empty");
            }
            handle
        })
        .clone()
}

/// Serves `/metrics` on `listener` until the process ends.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) {
    install();
    let app = axum::Router::new()
        .route("/metrics", axum::routing::get(scrape))
        .with_state(state);
    if let Err(e) = axum::serve(listener, app).await {
        tracing::error!("metrics server stopped: {e}");
    }
}

async fn scrape(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.run(crate::db::queries::deliveries::stats).await {
        Ok(s) => {
            metrics::gauge!("peerdesk_deliveries_pending").set(s.pending as f64);
            metrics::gauge!("peerdesk_deliveries_failed").set(s.failed as f64);
        }
        Err(e) => tracing::warn!("metrics: reading the delivery queue failed: {e}"),
    }
    match state.db.run(crate::db::queries::asking::deflection).await {
        Ok(d) => {
            metrics::gauge!("peerdesk_ask_suggestions_opened").set(d.opened as f64);
            metrics::gauge!("peerdesk_ask_deflected").set(d.deflected as f64);
        }
        Err(e) => tracing::warn!("metrics: reading the ask counts failed: {e}"),
    }
    match state
        .db
        .run(|c| crate::db::queries::metrics::gauges(c, GROUP_LABELS))
        .await
    {
        Ok(groups) => {
            for (name, questions, unanswered) in groups {
                metrics::gauge!("peerdesk_group_questions_total", "group" => name.clone())
                    .set(questions as f64);
                metrics::gauge!("peerdesk_group_unanswered", "group" => name)
                    .set(unanswered as f64);
            }
        }
        Err(e) => tracing::warn!("metrics: reading the groups' questions failed: {e}"),
    }
    if let Some(queue) = state.inbound.get::<crate::federation::inbound::Queue>() {
        metrics::gauge!("peerdesk_inbound_queue_depth").set(queue.backlog() as f64);
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        install().render(),
    )
}
