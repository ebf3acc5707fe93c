//! The federation side of the transactional outbox: turns an action's
//! [`Outgoing`](crate::actions::Outgoing) event into the activities peerdesk sends
//! (Lemmy's and PieFed's shapes, see FEDERATION.md) and stores them with one delivery per
//! remote inbox, on the connection of the action's open transaction.
//!
//! FEP-1b12: an action in a group hosted here is announced by the group to every
//! follower's inbox; an action in a remote group is sent to that group's inbox (and to
//! the author being replied to), and the group's server announces it.

use super::{outbox, PUBLIC};
use crate::actions::{Outbox, Outgoing, Reported};
use crate::config::Settings;
use crate::db::models::{Actor, Post};
use crate::db::queries::{self, moderation as mq};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};

/// Builds and queues the activities of local actions.
pub struct Translator {
    base: String,
    domain: String,
    allowlist: bool,
    /// Sends anonymous reports.
    instance_actor: Actor,
    /// Tests: every n-th activity write fails (0: never).
    fault_every: u64,
    writes: AtomicU64,
}

impl Translator {
    pub fn new(settings: &Settings, base: &str, instance_actor: Actor) -> Translator {
        Translator {
            base: base.to_string(),
            domain: settings.domain.clone(),
            allowlist: settings.allowlist(),
            instance_actor,
            fault_every: settings.fault_outbox_every,
            writes: AtomicU64::new(0),
        }
    }

    /// The remote inboxes among `inboxes` with their domains: not on this instance nor
    /// on a refused one (read in the transaction); sorted and de-duplicated.
    fn targets(&self, c: &mut DbConn, inboxes: Vec<String>) -> AppResult<Vec<(String, String)>> {
        let mut targets = outbox::remote_targets(&self.domain, inboxes);
        let mut domains: Vec<String> = targets.iter().map(|(_, d)| d.clone()).collect();
        domains.sort();
        domains.dedup();
        let known = mq::instances_of(c, &domains)?;
        let refused = |d: &str| match known.iter().find(|i| i.domain == d) {
            Some(i) => i.blocked || (self.allowlist && !i.allowed),
            None => self.allowlist,
        };
        targets.retain(|(_, d)| !refused(d));
        Ok(targets)
    }

    /// Stores `activity` as sent by `actor` with its deliveries; returns the activity.
    fn send(
        &self,
        c: &mut DbConn,
        row_id: i64,
        actor: &Actor,
        activity: Value,
        inboxes: Vec<String>,
        public: bool,
    ) -> AppResult<Value> {
        self.fault()?;
        let targets = self.targets(c, inboxes)?;
        let row = outbox::activity_row(row_id, actor, &activity, public)?;
        queries::deliveries::enqueue(c, &row, &targets)?;
        Ok(activity)
    }

    /// Publishes an activity of `actor` about something in `group`, with a new id.
    /// Returns the id.
    fn publish(
        &self,
        c: &mut DbConn,
        actor: &Actor,
        group: &Actor,
        mut activity: Value,
        extra_inboxes: Vec<String>,
    ) -> AppResult<String> {
        let kind = activity["type"].as_str().unwrap_or("Activity").to_string();
        let (row_id, id) = outbox::activity_id(&self.base, &kind);
        activity["id"] = json!(id);
        self.publish_as(c, row_id, actor, group, activity, extra_inboxes)?;
        Ok(id)
    }

    /// [`Translator::publish`] for an activity whose id (`row_id`) is chosen.
    fn publish_as(
        &self,
        c: &mut DbConn,
        row_id: i64,
        actor: &Actor,
        group: &Actor,
        activity: Value,
        extra_inboxes: Vec<String>,
    ) -> AppResult<()> {
        if group.local {
            let stored = self.send(c, row_id, actor, activity, extra_inboxes, true)?;
            let inboxes = queries::follows::follower_inboxes(c, group.id)?;
            for (row, body, public) in super::qa::announcements_at(&self.base, group, &stored) {
                self.send(c, row, group, body, inboxes.clone(), public)?;
            }
        } else {
            let mut inboxes = vec![group.inbox.clone()];
            inboxes.extend(extra_inboxes);
            self.send(c, row_id, actor, activity, inboxes, true)?;
        }
        Ok(())
    }

    /// The inbox of a reply's parent author, when elsewhere.
    fn author_inbox(c: &mut DbConn, post: &Post) -> AppResult<Vec<String>> {
        let parent = match post.parent_id {
            Some(id) => queries::posts::by_id(c, id)?,
            None => None,
        };
        let Some(parent) = parent else {
            return Ok(vec![]);
        };
        Ok(queries::actors::by_id(c, parent.author_id)?
            .filter(|a| !a.local)
            .map(|a| vec![a.delivery_inbox().to_string()])
            .unwrap_or_default())
    }

    fn report(&self, c: &mut DbConn, reporter: &Actor, report: Reported) -> AppResult<String> {
        let Reported {
            post,
            author,
            group,
            reason,
            anonymous,
        } = report;
        let sender = if anonymous {
            &self.instance_actor
        } else {
            reporter
        };
        let object = post
            .as_ref()
            .map(|p| p.ap_id.clone())
            .unwrap_or_else(|| author.ap_id.clone());
        let mut first = None;
        if let Some(g) = group.as_ref().filter(|g| !g.local) {
            // Lemmy's shape: one object, the group in `to`, the reason in `summary`.
            let (row, id) = outbox::activity_id(&self.base, "Flag");
            let flag = json!({"id": id, "type": "Flag", "actor": sender.ap_id, "object": object, "to": [g.ap_id], "summary": reason, "content": reason, "audience": g.ap_id});
            self.send(c, row, sender, flag, vec![g.inbox.clone()], false)?;
            first = Some(id);
        }
        if !author.local && group.as_ref().is_none_or(|g| g.domain != author.domain) {
            // Mastodon's shape: the account and the statuses, the reason in `content`.
            let mut objects = vec![json!(author.ap_id)];
            if let Some(p) = &post {
                objects.push(json!(p.ap_id));
            }
            let (row, id) = outbox::activity_id(&self.base, "Flag");
            let flag = json!({"id": id, "type": "Flag", "actor": sender.ap_id, "object": objects, "content": reason, "summary": reason});
            let inbox = vec![author.delivery_inbox().to_string()];
            self.send(c, row, sender, flag, inbox, false)?;
            first.get_or_insert(id);
        }
        Ok(first.unwrap_or_default())
    }
}

/// `Create` or `Update` of a post's object.
fn create_or_update(kind: &str, actor: &Actor, group: &Actor, object: Value) -> Value {
    json!({
        "type": kind,
        "actor": actor.ap_id,
        "object": object,
        "to": [PUBLIC],
        "cc": [group.ap_id],
        "audience": group.ap_id,
    })
}

/// `Undo` of `inner` by `actor`, addressed like the group's other activities.
fn undo_in(actor: &Actor, group: &Actor, inner: Value) -> Value {
    json!({"type": "Undo", "actor": actor.ap_id, "object": inner, "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id})
}

fn vote_kind(value: i32) -> &'static str {
    if value > 0 {
        "Like"
    } else {
        "Dislike"
    }
}

impl Outbox for Translator {
    fn fault(&self) -> AppResult<()> {
        if self.fault_every > 0
            && (self.writes.fetch_add(1, Ordering::Relaxed) + 1).is_multiple_of(self.fault_every)
        {
            return Err(AppError::Internal("outbox write failed (injected)".into()));
        }
        Ok(())
    }

    fn record(&self, c: &mut DbConn, actor: &Actor, event: Outgoing) -> AppResult<String> {
        match event {
            Outgoing::Create { post, group } => {
                let object = super::post_json::post_json(c, &self.base, &post)?;
                let extra = Self::author_inbox(c, &post)?;
                let activity = create_or_update("Create", actor, &group, object);
                self.publish(c, actor, &group, activity, extra)
            }
            Outgoing::Update { post, group } => {
                let object = super::post_json::post_json(c, &self.base, &post)?;
                let activity = create_or_update("Update", actor, &group, object);
                let microblogs = super::microblog::follower_inboxes(c, &group)?;
                self.publish(c, actor, &group, activity, microblogs)
            }
            Outgoing::Delete { post, group } => {
                let activity = json!({
                    "type": "Delete",
                    "actor": actor.ap_id,
                    "object": post.ap_id,
                    "to": [PUBLIC],
                    "cc": [group.ap_id],
                    "audience": group.ap_id,
                });
                let microblogs = super::microblog::follower_inboxes(c, &group)?;
                self.publish(c, actor, &group, activity, microblogs)
            }
            Outgoing::Vote { post, group, value } => {
                let (row_id, id) = outbox::activity_id(&self.base, vote_kind(value));
                let activity = json!({
                    "id": id,
                    "type": vote_kind(value),
                    "actor": actor.ap_id,
                    "object": post.ap_id,
                    "to": [PUBLIC],
                    "cc": [group.ap_id],
                    "audience": group.ap_id,
                });
                self.publish_as(c, row_id, actor, &group, activity, vec![])?;
                Ok(id)
            }
            Outgoing::UndoVote {
                post,
                group,
                vote_ap_id,
                value,
            } => {
                let inner = json!({
                    "id": vote_ap_id,
                    "type": vote_kind(value),
                    "actor": actor.ap_id,
                    "object": post.ap_id,
                    "audience": group.ap_id,
                });
                self.publish(c, actor, &group, undo_in(actor, &group, inner), vec![])
            }
            Outgoing::Accept {
                question,
                answer,
                group,
            } => {
                let activity = json!({
                    "type": "ChooseAnswer",
                    "actor": actor.ap_id,
                    "object": answer.ap_id,
                    "target": question.ap_id,
                    "to": [PUBLIC],
                    "cc": [group.ap_id],
                    "audience": group.ap_id,
                });
                self.publish(c, actor, &group, activity, vec![])
            }
            Outgoing::UndoAccept {
                question,
                previous,
                group,
            } => {
                let inner = json!({"type": "ChooseAnswer", "actor": actor.ap_id, "object": previous.ap_id, "target": question.ap_id});
                self.publish(c, actor, &group, undo_in(actor, &group, inner), vec![])
            }
            Outgoing::Remove {
                post,
                group,
                reason,
                restore,
            } => {
                let delete = json!({
                    "type": "Delete", "actor": actor.ap_id, "object": post.ap_id, "summary": reason,
                    "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id,
                });
                let activity = match restore {
                    true => undo_in(actor, &group, delete),
                    false => delete,
                };
                self.publish(c, actor, &group, activity, vec![])
            }
            Outgoing::Lock {
                question,
                group,
                reason,
                locked,
            } => {
                let lock = json!({"type": "Lock", "actor": actor.ap_id, "object": question.ap_id, "summary": reason, "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id});
                let activity = match locked {
                    true => lock,
                    false => undo_in(actor, &group, lock),
                };
                self.publish(c, actor, &group, activity, vec![])
            }
            Outgoing::Ban {
                group,
                target,
                reason,
                expires_at,
                remove_data,
                lift,
            } => {
                let mut block = json!({
                    "type": "Block", "actor": actor.ap_id, "object": target.ap_id, "target": group.ap_id,
                    "summary": reason, "removeData": remove_data, "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id,
                });
                if let Some(e) = expires_at {
                    block["expires"] = json!(super::timestamps::ap_time(e));
                }
                let activity = match lift {
                    true => undo_in(actor, &group, block),
                    false => block,
                };
                self.publish(c, actor, &group, activity, vec![])
            }
            Outgoing::Moderator { group, target, add } => {
                let activity = json!({
                    "type": if add { "Add" } else { "Remove" }, "actor": actor.ap_id, "object": target.ap_id,
                    "target": format!("{}/moderators", group.ap_id), "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id,
                });
                self.publish(c, actor, &group, activity, vec![])
            }
            Outgoing::Feature {
                question,
                group,
                featured,
            } => {
                let activity = json!({
                    "type": if featured { "Add" } else { "Remove" }, "actor": actor.ap_id, "object": question.ap_id,
                    "target": format!("{}/featured", group.ap_id), "to": [PUBLIC], "cc": [group.ap_id], "audience": group.ap_id,
                });
                self.publish(c, actor, &group, activity, vec![])
            }
            Outgoing::Report(report) => self.report(c, actor, report),
            Outgoing::ResolveReport(closed) => {
                let crate::actions::ReportClosed {
                    report,
                    reporter,
                    post,
                    target,
                    group,
                } = *closed;
                let mut inboxes = vec![];
                if !reporter.local {
                    inboxes.push(reporter.delivery_inbox().to_string());
                }
                if let Some(g) = group.as_ref().filter(|g| !g.local) {
                    inboxes.push(g.inbox.clone());
                }
                let elsewhere =
                    |t: &&Actor| !t.local && group.as_ref().is_none_or(|g| g.domain != t.domain);
                if let Some(t) = target.as_ref().filter(elsewhere) {
                    inboxes.push(t.delivery_inbox().to_string());
                }
                if inboxes.is_empty() {
                    return Ok(String::new());
                }
                // The Flag as the other servers know it: sent by the reporter, or by the
                // instance actor for an anonymous report made here.
                let sent = match (&report.ap_id, reporter.local) {
                    (Some(id), true) => queries::activities::by_ap_id(c, id)?,
                    _ => None,
                };
                let flag_actor = match sent {
                    Some(a) if a.actor_id == self.instance_actor.id => {
                        self.instance_actor.ap_id.clone()
                    }
                    _ => reporter.ap_id.clone(),
                };
                let reported = match (&post, &target) {
                    (Some(p), _) => p.ap_id.clone(),
                    (None, Some(t)) => t.ap_id.clone(),
                    (None, None) => return Ok(String::new()),
                };
                let receiver = group.as_ref().unwrap_or(&self.instance_actor).ap_id.clone();
                let (row, id) = outbox::activity_id(&self.base, "Resolve");
                let resolve =
                    super::activities::resolve::Resolve::new(super::activities::resolve::Closed {
                        id: id.clone(),
                        moderator: actor,
                        report: &report,
                        flag_actor,
                        reported,
                        receiver,
                        group: group.as_ref(),
                        base: &self.base,
                    });
                let body = serde_json::to_value(&resolve)
                    .map_err(|e| AppError::Internal(format!("Resolve: {e}")))?;
                self.send(c, row, actor, body, inboxes, false)?;
                Ok(id)
            }
            Outgoing::Follow { target } => {
                let (row, activity) = outbox::follow(&self.base, actor, &target);
                let id = activity["id"].as_str().unwrap_or_default().to_string();
                self.send(c, row, actor, activity, vec![target.inbox.clone()], false)?;
                Ok(id)
            }
            Outgoing::Unfollow {
                target,
                follow_ap_id,
            } => {
                let inner = json!({
                    "id": follow_ap_id,
                    "type": "Follow",
                    "actor": actor.ap_id,
                    "object": target.ap_id,
                });
                let to = vec![json!(target.ap_id)];
                let (row, undo) = outbox::undo(&self.base, actor, inner, to);
                let id = undo["id"].as_str().unwrap_or_default().to_string();
                self.send(c, row, actor, undo, vec![target.inbox.clone()], false)?;
                Ok(id)
            }
        }
    }
}
