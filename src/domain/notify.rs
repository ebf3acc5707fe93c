//! The notifier: a background task that derives notifications from committed state.
//!
//! Local actions and activities arriving by federation (batched or not) end up as rows
//! in the same tables, so the notifier reads those tables instead of hooking every path
//! that writes them: nothing is notified twice, and a crash loses nothing (the next scan
//! finds what the last one missed). Every second it scans from a little before its
//! cursor (kept in the database, shared by all processes): ids are time-ordered, but
//! a transaction can commit after later ones, so each scan re-reads a short window and
//! every minute a longer one ([`LAG_MS`]); the unique key on notifications keeps the
//! re-reads from inserting twice.

use crate::db::now_ms;
use crate::db::queries::notifications as nq;
use crate::state::AppState;
use regex::Regex;
use std::time::Duration;

/// The longest a transaction may take to commit and still notify.
pub const LAG_MS: i64 = 120_000;
/// The window re-read on every scan.
pub const SHORT_LAG_MS: i64 = 5_000;
/// Scans between two scans of the long window.
const LONG_EVERY: u64 = 60;
const CURSOR: &str = "notifier";

/// What a notification is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An answer to the user's question.
    Answer,
    /// A comment on the user's post.
    Comment,
    /// The user's answer was accepted.
    Accepted,
    /// The user was mentioned in a post.
    Mention,
    /// The user earned a badge.
    Badge,
    /// A moderator removed the user's post.
    Removed,
    /// A moderator locked the user's question.
    Locked,
    /// The user's report was resolved or dismissed.
    ReportResolved,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Answer,
        Kind::Comment,
        Kind::Accepted,
        Kind::Mention,
        Kind::Badge,
        Kind::Removed,
        Kind::Locked,
        Kind::ReportResolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Answer => "answer",
            Kind::Comment => "comment",
            Kind::Accepted => "accepted",
            Kind::Mention => "mention",
            Kind::Badge => "badge",
            Kind::Removed => "removed",
            Kind::Locked => "locked",
            Kind::ReportResolved => "report_resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Email choices per kind; in-app notifications are always on.
pub const EMAIL_CHOICES: [&str; 3] = ["off", "immediately", "digest"];
/// The email choice of a kind the user has not set.
pub const DEFAULT_EMAIL: &str = "off";

/// The email state a new notification starts in, for a user's email choice.
pub fn email_state(choice: &str) -> &'static str {
    match choice {
        "immediately" => "pending",
        "digest" => "digest",
        _ => "none",
    }
}

/// Finds mentions of local users in a post: `@name@this.domain` in its text (or `@name`
/// in a local post: in a remote one it names a user of the author's server), and links
/// to `BASE/u/name` in its HTML (how remote servers render mentions).
pub struct Mentions {
    domain: String,
    text: Regex,
    link: Regex,
}

impl Mentions {
    pub fn new(base: &str, domain: &str) -> Mentions {
        Mentions {
            domain: domain.to_ascii_lowercase(),
            text: Regex::new(
                r"(?:^|[^\w@/])@([A-Za-z0-9_]{1,64})(?:@([A-Za-z0-9.:\-]+[A-Za-z0-9]))?",
            )
            .expect("mention pattern"),
            link: Regex::new(&format!(
                r#"href="{}/u/([A-Za-z0-9_]{{1,64}})""#,
                regex::escape(base)
            ))
            .expect("link pattern"),
        }
    }

    /// The local user names a post mentions (lowercase, each once).
    pub fn names(&self, text: &str, html: &str, local_post: bool) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in self.text.captures_iter(text) {
            let local = c.get(2).map_or(local_post, |d| {
                d.as_str().eq_ignore_ascii_case(&self.domain)
            });
            if local {
                out.push(c[1].to_ascii_lowercase());
            }
        }
        for c in self.link.captures_iter(html) {
            out.push(c[1].to_ascii_lowercase());
        }
        out.sort();
        out.dedup();
        out
    }
}

/// One scan from `since_ms`, moving the shared cursor to the scan's start.
pub async fn scan(state: &AppState, mentions: std::sync::Arc<Mentions>, since_ms: i64) -> usize {
    let started = now_ms();
    let result = state
        .db
        .run(move |c| {
            let scan = nq::derive(c, since_ms, &mentions)?;
            // After a long pause, go on from where this scan stopped reading.
            nq::set_cursor(c, CURSOR, scan.read_until.unwrap_or(started))?;
            Ok(scan.inserted)
        })
        .await;
    match result {
        Ok(n) => n,
        Err(e) => {
            tracing::warn!("notifier scan failed: {e}");
            0
        }
    }
}

/// The notifier loop (one per process; processes sharing a database share the cursor).
pub async fn run(state: AppState) {
    let mentions = std::sync::Arc::new(Mentions::new(&state.base, state.domain()));
    let mut ticks: u64 = 0;
    loop {
        let cursor = state.db.run(|c| nq::cursor(c, CURSOR)).await.ok().flatten();
        // First run: start from now, the past is not news.
        let cursor = cursor.unwrap_or_else(now_ms);
        let lag = if ticks.is_multiple_of(LONG_EVERY) {
            LAG_MS
        } else {
            SHORT_LAG_MS
        };
        scan(&state, mentions.clone(), cursor - lag).await;
        ticks += 1;
        tokio::time::sleep(Duration::from_millis(state.settings.notify_interval_ms)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_local_mentions_only() {
        let m = Mentions::new("https://a.example", "a.example");
        let names = m.names(
            "hi @Alice and @bob@a.example, not @carol@b.example nor me@dave.example",
            r#"<a href="https://a.example/u/erin">@erin</a> <a href="https://b.example/u/zed">"#,
            true,
        );
        assert_eq!(names, ["alice", "bob", "erin"]);
        let remote = m.names("@alice and @bob@a.example", "", false);
        assert_eq!(remote, ["bob"]);
    }

    #[test]
    fn kinds_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(email_state("digest"), "digest");
        assert_eq!(email_state("off"), "none");
    }
}
