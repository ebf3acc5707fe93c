//! Reputation, computed on this instance from an append-only log of events it has seen.
//!
//! Weights: an upvote on an answer +10, on a question +5; a downvote -2; an accepted
//! answer +15; an answer marked staff-approved by a recognised organisation's staff (the
//! staff "helpful" mark) +10; content removed by a moderator -20; a report against the
//! user upheld -10.
//! Only the latest vote of an actor on a post counts. Rules against manipulation: votes
//! on one's own posts give nothing; the votes from one remote instance move one user's
//! score in one group by at most +50 / -20; votes from blocked instances and from actors
//! banned in the group are ignored (also retroactively, as scores are recomputed from the
//! log); votes from actors first seen here less than a day before they voted count half.

use crate::db::models::ReputationEvent;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

pub const UPVOTE_ANSWER: i64 = 10;
pub const UPVOTE_QUESTION: i64 = 5;
pub const DOWNVOTE: i64 = -2;
pub const ACCEPTED: i64 = 15;
/// The staff "helpful" mark: an answer marked staff-approved (withdrawn: nothing).
pub const STAFF_APPROVED: i64 = 10;
pub const REMOVED: i64 = -20;
pub const REPORT_UPHELD: i64 = -10;
pub const INSTANCE_CAP_UP: i64 = 50;
pub const INSTANCE_CAP_DOWN: i64 = -20;
pub const FRESH_ACCOUNT_MS: i64 = 24 * 3600 * 1000;

/// Event kinds in the log.
pub const VOTE_ANSWER: &str = "vote_answer";
pub const VOTE_QUESTION: &str = "vote_question";
pub const KIND_ACCEPTED: &str = "accepted";
pub const KIND_STAFF_APPROVED: &str = "staff_approved";
pub const KIND_REMOVED: &str = "removed";
pub const KIND_REPORT: &str = "report_upheld";

/// What the computation needs to know besides the events.
#[derive(Default)]
pub struct Context {
    pub local_domain: String,
    pub blocked_domains: HashSet<String>,
    /// (group id, actor id) of current bans.
    pub banned: HashSet<(i64, i64)>,
}

/// One line of an explained score.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Item {
    pub kind: String,
    pub group_id: Option<String>,
    pub post_id: Option<String>,
    pub source_domain: String,
    pub points: i64,
    /// Why the event counts less, or not at all.
    pub note: Option<String>,
    pub at: i64,
}

#[derive(Debug, Default, Clone, Serialize, utoipa::ToSchema)]
pub struct Score {
    pub total: i64,
    /// Per group id (as a string); events outside any group are under "".
    pub by_group: HashMap<String, i64>,
    pub items: Vec<Item>,
}

fn key(g: Option<i64>) -> String {
    g.map(|g| g.to_string()).unwrap_or_default()
}

/// Computes the score of one subject from its events (any order).
pub fn compute(subject: i64, events: &[ReputationEvent], ctx: &Context) -> Score {
    let mut events: Vec<&ReputationEvent> =
        events.iter().filter(|e| e.subject_id == subject).collect();
    events.sort_by_key(|e| e.id);
    // Latest event per (kind family, post, source): votes and toggles replace earlier ones.
    let mut latest: HashMap<(String, Option<i64>, Option<i64>), &ReputationEvent> = HashMap::new();
    for e in &events {
        let family = if e.kind == VOTE_ANSWER || e.kind == VOTE_QUESTION {
            "vote".to_string()
        } else {
            e.kind.clone()
        };
        let source = if family == "vote" || e.kind == KIND_REPORT {
            e.source_id
        } else {
            None
        };
        latest.insert((family, e.post_id, source), e);
    }
    let mut current: Vec<&ReputationEvent> = latest.into_values().collect();
    current.sort_by_key(|e| e.id);

    let mut score = Score::default();
    // Vote points per (group, remote domain), for the per-instance cap.
    let mut per_instance: HashMap<(Option<i64>, String), i64> = HashMap::new();
    for e in current {
        let mut note = None;
        let points = match e.kind.as_str() {
            VOTE_ANSWER | VOTE_QUESTION => {
                let base = match (e.value.signum(), e.kind.as_str()) {
                    (1, VOTE_ANSWER) => UPVOTE_ANSWER,
                    (1, _) => UPVOTE_QUESTION,
                    (-1, _) => DOWNVOTE,
                    _ => 0,
                };
                if base == 0 {
                    continue;
                }
                if e.source_id == Some(subject) {
                    note = Some("vote on own post".to_string());
                    0
                } else if ctx.blocked_domains.contains(&e.source_domain) {
                    note = Some(format!("{} is blocked", e.source_domain));
                    0
                } else if e
                    .group_id
                    .zip(e.source_id)
                    .is_some_and(|k| ctx.banned.contains(&k))
                {
                    note = Some("voter is banned from the group".to_string());
                    0
                } else {
                    let mut p = if e.source_fresh {
                        note = Some("new account: half weight".to_string());
                        base / 2
                    } else {
                        base
                    };
                    if e.source_domain != ctx.local_domain {
                        let sum = per_instance
                            .entry((e.group_id, e.source_domain.clone()))
                            .or_default();
                        let capped = (*sum + p).clamp(INSTANCE_CAP_DOWN, INSTANCE_CAP_UP);
                        if capped != *sum + p {
                            note = Some(format!("cap for votes from {} reached", e.source_domain));
                        }
                        p = capped - *sum;
                        *sum = capped;
                    }
                    p
                }
            }
            KIND_ACCEPTED if e.value > 0 => ACCEPTED,
            KIND_STAFF_APPROVED if e.value > 0 => STAFF_APPROVED,
            KIND_REMOVED if e.value > 0 => REMOVED,
            KIND_REPORT if e.value > 0 => REPORT_UPHELD,
            _ => continue,
        };
        score.total += points;
        *score.by_group.entry(key(e.group_id)).or_default() += points;
        score.items.push(Item {
            kind: e.kind.clone(),
            group_id: e.group_id.map(|g| g.to_string()),
            post_id: e.post_id.map(|p| p.to_string()),
            source_domain: e.source_domain.clone(),
            points,
            note,
            at: e.created_at,
        });
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: i64, kind: &str, value: i32, source: i64, domain: &str) -> ReputationEvent {
        ReputationEvent {
            id,
            subject_id: 1,
            group_id: Some(9),
            kind: kind.into(),
            value,
            source_id: Some(source),
            source_domain: domain.into(),
            source_fresh: false,
            post_id: Some(100),
            created_at: id,
        }
    }

    fn ctx() -> Context {
        Context {
            local_domain: "here".into(),
            ..Default::default()
        }
    }

    #[test]
    fn latest_vote_counts_and_self_votes_do_not() {
        let events = vec![
            ev(1, VOTE_ANSWER, 1, 2, "here"),
            ev(2, VOTE_ANSWER, -1, 2, "here"),
            ev(3, VOTE_ANSWER, 1, 1, "here"),
        ];
        let s = compute(1, &events, &ctx());
        assert_eq!(s.total, DOWNVOTE);
    }

    #[test]
    fn one_instance_is_capped_and_blocked_instances_do_not_count() {
        let events: Vec<_> = (0..20)
            .map(|i| ReputationEvent {
                post_id: Some(i),
                ..ev(i, VOTE_ANSWER, 1, 100 + i, "far")
            })
            .collect();
        assert_eq!(compute(1, &events, &ctx()).total, INSTANCE_CAP_UP);
        let mut c = ctx();
        c.blocked_domains.insert("far".into());
        assert_eq!(compute(1, &events, &c).total, 0);
    }

    #[test]
    fn staff_approval_counts_until_withdrawn() {
        let mut e = ev(1, KIND_STAFF_APPROVED, 1, 2, "here");
        e.source_id = None;
        assert_eq!(compute(1, &[e.clone()], &ctx()).total, STAFF_APPROVED);
        let withdrawn = ReputationEvent {
            id: 2,
            value: 0,
            ..e.clone()
        };
        assert_eq!(compute(1, &[e, withdrawn], &ctx()).total, 0);
    }

    #[test]
    fn fresh_accounts_count_half() {
        let mut e = ev(1, VOTE_ANSWER, 1, 2, "here");
        e.source_fresh = true;
        assert_eq!(compute(1, &[e], &ctx()).total, UPVOTE_ANSWER / 2);
    }
}
