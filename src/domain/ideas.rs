//! The ideas exchange: a group's kind (questions or ideas), an idea's statuses, the
//! explanation's limits, and the text fallback that a status change carries in the
//! idea's federated content (so that servers that do not know `ideaStatus`, Mastodon and
//! Lemmy among them, still show it). The actions are `actions::ideas`.

use crate::error::{AppError, AppResult};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Longest explanation of a status change, in characters.
pub const MAX_EXPLANATION: usize = 2_000;

/// What a group's posts are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    /// Questions and answers.
    #[default]
    Questions,
    /// Ideas that members vote on and staff give a status.
    Ideas,
}

impl GroupKind {
    pub const ALL: [GroupKind; 2] = [GroupKind::Questions, GroupKind::Ideas];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::Questions => "questions",
            GroupKind::Ideas => "ideas",
        }
    }

    pub fn parse(s: &str) -> Option<GroupKind> {
        GroupKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// An idea's status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IdeaStatus {
    #[default]
    New,
    UnderReview,
    Planned,
    InProgress,
    Shipped,
    Declined,
    /// A duplicate, merged into another idea (set by merging, not chosen).
    Merged,
}

impl IdeaStatus {
    pub const ALL: [IdeaStatus; 7] = [
        IdeaStatus::New,
        IdeaStatus::UnderReview,
        IdeaStatus::Planned,
        IdeaStatus::InProgress,
        IdeaStatus::Shipped,
        IdeaStatus::Declined,
        IdeaStatus::Merged,
    ];

    /// The statuses staff choose from (all but `merged`).
    pub const CHOSEN: [IdeaStatus; 6] = [
        IdeaStatus::New,
        IdeaStatus::UnderReview,
        IdeaStatus::Planned,
        IdeaStatus::InProgress,
        IdeaStatus::Shipped,
        IdeaStatus::Declined,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdeaStatus::New => "new",
            IdeaStatus::UnderReview => "under_review",
            IdeaStatus::Planned => "planned",
            IdeaStatus::InProgress => "in_progress",
            IdeaStatus::Shipped => "shipped",
            IdeaStatus::Declined => "declined",
            IdeaStatus::Merged => "merged",
        }
    }

    pub fn parse(s: &str) -> Option<IdeaStatus> {
        IdeaStatus::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The status in English, as the text fallback shows it.
    pub fn label(self) -> &'static str {
        match self {
            IdeaStatus::New => "New",
            IdeaStatus::UnderReview => "Under review",
            IdeaStatus::Planned => "Planned",
            IdeaStatus::InProgress => "In progress",
            IdeaStatus::Shipped => "Shipped",
            IdeaStatus::Declined => "Declined",
            IdeaStatus::Merged => "Merged",
        }
    }
}

/// A status change as staff write it: the status chosen and its explanation (trimmed).
pub fn check_change(status: IdeaStatus, explanation: &str) -> AppResult<String> {
    if status == IdeaStatus::Merged {
        return Err(AppError::Invalid(
            "an idea is marked merged by merging it into another".into(),
        ));
    }
    let explanation = explanation.trim();
    if explanation.chars().count() > MAX_EXPLANATION {
        return Err(AppError::Invalid(format!(
            "an explanation is at most {MAX_EXPLANATION} characters"
        )));
    }
    Ok(explanation.to_string())
}

/// The text fallback appended to an idea's federated `content` for its status (none for
/// a new idea without explanation): a rule, the status in bold (for a merged idea, with
/// a link to the idea it was merged into) and the explanation. Written the same way by
/// every peerdesk, so a receiver removes it again ([`strip_fallback`]).
pub fn fallback_html(status: IdeaStatus, explanation: &str, merged_into: Option<&str>) -> String {
    if status == IdeaStatus::New && explanation.is_empty() {
        return String::new();
    }
    let head = match (status, merged_into) {
        (IdeaStatus::Merged, Some(url)) => {
            let url = escape(url);
            format!("Idea status: Merged into <a href=\"{url}\">{url}</a>")
        }
        _ => format!("Idea status: {}", status.label()),
    };
    let mut out = format!("<hr><p><strong>{head}</strong></p>");
    if !explanation.is_empty() {
        out.push_str(&format!("<p>{}</p>", escape(explanation)));
    }
    out
}

/// Escapes text for the fallback (and nothing more, so that it reads the same after a
/// sanitiser's pass).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `content` without the fallback of its status, when it ends with it.
pub fn strip_fallback<'a>(
    content: &'a str,
    status: IdeaStatus,
    explanation: &str,
    merged_into: Option<&str>,
) -> &'a str {
    let fallback = fallback_html(status, explanation, merged_into);
    match fallback.is_empty() {
        true => content,
        false => content.strip_suffix(fallback.as_str()).unwrap_or(content),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_kinds_round_trip() {
        for s in IdeaStatus::ALL {
            assert_eq!(IdeaStatus::parse(s.as_str()), Some(s));
        }
        for k in GroupKind::ALL {
            assert_eq!(GroupKind::parse(k.as_str()), Some(k));
        }
        assert!(check_change(IdeaStatus::Merged, "").is_err());
        assert!(check_change(IdeaStatus::Planned, &"x".repeat(MAX_EXPLANATION + 1)).is_err());
        assert_eq!(check_change(IdeaStatus::Planned, " Soon ").unwrap(), "Soon");
    }

    #[test]
    fn the_fallback_is_appended_and_stripped_again() {
        let body = "<p>Dark mode</p>";
        let fb = fallback_html(IdeaStatus::Planned, "Q3 <b>", None);
        assert_eq!(
            fb,
            "<hr><p><strong>Idea status: Planned</strong></p><p>Q3 &lt;b&gt;</p>"
        );
        let sent = format!("{body}{fb}");
        assert_eq!(
            strip_fallback(&sent, IdeaStatus::Planned, "Q3 <b>", None),
            body
        );
        assert_eq!(fallback_html(IdeaStatus::New, "", None), "");
        let merged = fallback_html(IdeaStatus::Merged, "", Some("https://h.example/q/1"));
        assert!(merged.contains("href=\"https://h.example/q/1\""));
    }
}
