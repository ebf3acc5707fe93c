//! What notifications are about and how they are e-mailed: the kinds and choices that
//! the notification tables store, and the mention finder that the notifier's scan uses
//! (see `domain::notify`).

use regex::Regex;

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
    /// A group welcomed the user on their first post in it or their follow.
    Welcome,
    /// Someone sent the user a private message.
    DirectMessage,
    /// A case was opened for the user, or in their organisation's queue.
    CaseCreated,
    /// A new message in one of the user's cases.
    CaseMessage,
    /// A case of the user's changed status.
    CaseStatus,
    /// A new question with a tag the user follows.
    FollowedTag,
    /// A new question by a person the user follows.
    FollowedPerson,
}

impl Kind {
    pub const ALL: [Kind; 15] = [
        Kind::Answer,
        Kind::Comment,
        Kind::Accepted,
        Kind::Mention,
        Kind::Badge,
        Kind::Removed,
        Kind::Locked,
        Kind::ReportResolved,
        Kind::Welcome,
        Kind::DirectMessage,
        Kind::CaseCreated,
        Kind::CaseMessage,
        Kind::CaseStatus,
        Kind::FollowedTag,
        Kind::FollowedPerson,
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
            Kind::Welcome => "welcome",
            Kind::DirectMessage => "direct_message",
            Kind::CaseCreated => "case_created",
            Kind::CaseMessage => "case_message",
            Kind::CaseStatus => "case_status",
            Kind::FollowedTag => "followed_tag",
            Kind::FollowedPerson => "followed_person",
        }
    }

    /// The email choice of this kind for a user who has not set one: what is written to
    /// the user alone (a private message, a case's messages and status) is e-mailed at
    /// once, the rest stays in the app.
    pub fn default_email(self) -> &'static str {
        match self {
            Kind::DirectMessage | Kind::CaseMessage | Kind::CaseStatus => "immediately",
            _ => DEFAULT_EMAIL,
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Email choices per kind; in-app notifications are always on.
pub const EMAIL_CHOICES: [&str; 3] = ["off", "immediately", "digest"];
/// The email choice of a kind the user has not set (but see [`Kind::default_email`]).
pub const DEFAULT_EMAIL: &str = "off";

/// The email choice in force for a notification `kind` when the user set `chosen`.
pub fn email_choice<'a>(kind: &str, chosen: Option<&'a str>) -> &'a str {
    chosen.unwrap_or_else(|| Kind::parse(kind).map_or(DEFAULT_EMAIL, Kind::default_email))
}

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
