//! Outgoing email over SMTP (`lettre`): the transport from the settings and the mail
//! worker.
//!
//! Emails are queued in the `mail_outbox` table in the transaction that causes them
//! (`domain::email::queue`); notification emails are queued by the worker itself from
//! the notifications' email state, in one transaction with the state change. The worker
//! takes each due email with a lease (several at once, over pooled connections) (`sending`), renders it in the recipient's language
//! ([`render`]) and marks it sent right after the SMTP server accepted it; a failure is
//! retried with exponential back-off, a permanent refusal (5xx) is given up. Only a crash
//! between the server's acceptance and that mark can send an email twice. Payloads (they
//! hold the link tokens) are emptied once sent. Nothing secret is logged: errors are
//! SMTP replies and the SMTP password is never formatted.

pub mod render;

use crate::config::Settings;
use crate::db::now_ms;
use crate::db::queries::email as eq;
use crate::domain::email::QUEUED;
use crate::state::AppState;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

/// Attempts before an email is given up.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a worker holds an email it is sending.
const LEASE_MS: i64 = 120_000;
/// Sent and given-up emails are deleted after this long.
const KEEP_MS: i64 = 30 * 24 * 3600 * 1000;
const BATCH: i64 = 50;
/// Emails sent at once (over as many pooled SMTP connections).
const CONCURRENCY: usize = 8;

/// The SMTP connection and the sender address.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// The mailer of the settings; `None` when no email is configured.
    pub fn from_settings(s: &Settings) -> anyhow::Result<Option<Mailer>> {
        if !s.mail_enabled() {
            return Ok(None);
        }
        let host = s.smtp_host.clone().unwrap_or_default();
        let from: Mailbox = s
            .mail_from
            .as_deref()
            .unwrap_or_default()
            .parse()
            .map_err(|e| anyhow::anyhow!("--mail-from is not an email address: {e}"))?;
        let builder = match s.smtp_tls.as_str() {
            "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(25),
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&host)?,
            _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host)?,
        };
        let mut builder = builder.timeout(Some(Duration::from_secs(30)));
        if let Some(port) = s.smtp_port {
            builder = builder.port(port);
        }
        if let (Some(user), Some(password)) = (&s.smtp_user, &s.smtp_password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.0.clone()));
        }
        Ok(Some(Mailer {
            transport: builder.build(),
            from,
        }))
    }
}

/// One line about the email settings, for the start-up banner and log.
pub fn describe(s: &Settings) -> String {
    if !s.mail_enabled() {
        return "off (no --smtp-host and --mail-from): no email is sent".into();
    }
    let port = s.smtp_port.unwrap_or(match s.smtp_tls.as_str() {
        "none" => 25,
        "tls" => 465,
        _ => 587,
    });
    format!(
        "smtp {}:{port} ({}{}), from {}",
        s.smtp_host.as_deref().unwrap_or_default(),
        s.smtp_tls,
        if s.smtp_user.is_some() {
            ", with login"
        } else {
            ""
        },
        s.mail_from.as_deref().unwrap_or_default()
    )
}

/// Starts the mail worker when email is configured (says so once either way).
pub fn start(state: &AppState) -> anyhow::Result<Option<impl std::future::Future<Output = ()>>> {
    let mailer = Mailer::from_settings(&state.settings)?;
    tracing::info!("email: {}", describe(&state.settings));
    Ok(mailer.map(|m| run(state.clone(), m)))
}

/// The mail worker: queues notification emails and sends what is due.
pub async fn run(state: AppState, mailer: Mailer) {
    let interval = Duration::from_millis(state.settings.mail_interval_ms.max(50));
    let mut purged_at = 0;
    loop {
        if now_ms() - purged_at > 3600 * 1000 {
            purged_at = now_ms();
            if let Err(e) = state.db.run(|c| eq::purge(c, now_ms() - KEEP_MS)).await {
                tracing::warn!("purging the mail outbox failed: {e}");
            }
        }
        if let Err(e) = render::queue_notifications(&state).await {
            tracing::warn!("queueing notification emails failed: {e}");
        }
        if send_due(&state, &mailer).await > 0 {
            // There may be more: go on without waiting.
            continue;
        }
        tokio::select! {
            _ = QUEUED.notified() => {}
            _ = tokio::time::sleep(interval) => {}
        }
    }
}

/// The delay before attempt `attempts + 1`: the base (30 s), doubled per attempt up to
/// 128 times the base (about an hour).
pub fn retry_delay_ms(s: &Settings, attempts: i64) -> i64 {
    s.mail_retry_base_ms as i64 * (1 << (attempts - 1).clamp(0, 7))
}

/// Sends the emails that are due, [`CONCURRENCY`] at a time.
pub async fn send_due(state: &AppState, mailer: &Mailer) -> usize {
    use futures::StreamExt;
    let due = match state.db.run(|c| eq::due(c, BATCH)).await {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!("reading the mail outbox failed: {e}");
            return 0;
        }
    };
    futures::stream::iter(due)
        .map(|mail| send_one(state, mailer, mail))
        .buffer_unordered(CONCURRENCY)
        .filter(|sent| std::future::ready(*sent))
        .count()
        .await
}

/// Claims, sends and records one email; whether it was sent.
async fn send_one(state: &AppState, mailer: &Mailer, mail: eq::Mail) -> bool {
    let lease = now_ms() + LEASE_MS;
    let m = mail.clone();
    match state.db.run(move |c| eq::claim(c, &m, lease)).await {
        Ok(true) => {}
        Ok(false) => return false,
        Err(e) => {
            tracing::warn!("claiming an email failed: {e}");
            return false;
        }
    }
    let (id, attempts) = (mail.id, mail.attempts + 1);
    let outcome = match render::message(state, &mailer.from, &mail).await {
        Ok(msg) => mailer
            .transport
            .send(msg)
            .await
            .map(|_| ())
            .map_err(|e| (e.is_permanent(), format!("smtp: {e}"))),
        Err(e) => Err((true, format!("render: {e}"))),
    };
    let sent = outcome.is_ok();
    let result = match outcome {
        Ok(()) => state.db.run(move |c| eq::mark_sent(c, id)).await,
        Err((permanent, why)) => {
            let next = (!permanent && attempts < MAX_ATTEMPTS)
                .then(|| now_ms() + retry_delay_ms(&state.settings, attempts));
            tracing::warn!(
                "email {id} ({}) not sent, attempt {attempts}{}: {why}",
                mail.kind,
                if next.is_some() {
                    ", will retry"
                } else {
                    ", given up"
                }
            );
            state
                .db
                .run(move |c| eq::mark_failed(c, id, next, &why))
                .await
        }
    };
    if let Err(e) = result {
        tracing::warn!("recording email {id} failed: {e}");
    }
    sent
}

#[cfg(test)]
mod tests {
    use super::*;

    // A pooled transport starts a task: a runtime is needed.
    #[tokio::test]
    async fn retries_back_off_and_settings_are_described() {
        let mut s = Settings::for_domain("a.example", "127.0.0.1:1".parse().unwrap(), "sqlite://x");
        assert_eq!(retry_delay_ms(&s, 1), 30_000);
        assert_eq!(retry_delay_ms(&s, 2), 60_000);
        assert_eq!(retry_delay_ms(&s, 20), 30_000 * 128);
        assert!(describe(&s).starts_with("off"));
        assert!(Mailer::from_settings(&s).unwrap().is_none());
        s.smtp_host = Some("smtp.a.example".into());
        s.mail_from = Some("Help <help@a.example>".into());
        s.smtp_user = Some("help".into());
        s.smtp_password = Some(crate::config::Secret("hunter2".into()));
        let d = describe(&s);
        assert_eq!(
            d,
            "smtp smtp.a.example:587 (starttls, with login), from Help <help@a.example>"
        );
        assert!(
            !format!("{s:?}").contains("hunter2"),
            "the password is never shown"
        );
        assert!(Mailer::from_settings(&s).unwrap().is_some());
        s.mail_from = Some("not an address".into());
        assert!(Mailer::from_settings(&s).is_err());
    }
}
