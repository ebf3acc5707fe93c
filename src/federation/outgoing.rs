//! The federation side of the transactional outbox: turns an action's
//! [`Outgoing`](crate::actions::Outgoing) event into the activities peerdesk sends
//! (Lemmy's and PieFed's shapes, see FEDERATION.md; typed in
//! [`super::activities`], one file per activity or family) and stores them with one
//! delivery per remote inbox, on the connection of the action's open transaction.
//!
//! FEP-1b12: an action in a group hosted here (an edit of the group itself too) is
//! announced by the group to every follower's inbox; an action in a remote group is sent to that group's inbox (and to
//! the author being replied to), and the group's server announces it.

use super::activities::add_remove::{AddOrRemove, Collection};
use super::activities::block::{Ban, Block};
use super::activities::case_message::{self, CaseDm};
use super::activities::choose_answer::ChooseAnswer;
use super::activities::create::{CreateOrUpdate, CreateOrUpdateType};
use super::activities::delete::{Delete, DeleteActor};
use super::activities::direct;
use super::activities::flag::Flag;
use super::activities::follow::Follow;
use super::activities::lock::Lock;
use super::activities::resolve::{Closed, Resolve};
use super::activities::sent::{to_json, Sent};
use super::activities::support_notes;
use super::activities::survey;
use super::activities::undo::Undo;
use super::activities::update_group::UpdateGroup;
use super::activities::vote::Vote;
use super::activities::welcome::Welcome;
use super::outbox;
use super::timestamps::ap_now;
use crate::actions::{ArticleChange, Outbox, Outgoing, Reported};
use crate::config::Settings;
use crate::db::models::{Actor, Post};
use crate::db::queries::articles::Article as ArticleRow;
use crate::db::queries::{self, moderation as mq};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};

/// Builds and queues the activities of local actions.
pub struct Translator {
    base: String,
    domain: String,
    /// The federation mode in force (allowlist or not).
    instance: std::sync::Arc<crate::domain::instance::Live>,
    /// Sends anonymous reports.
    instance_actor: Actor,
    /// Tests: every n-th activity write fails (0: never).
    fault_every: u64,
    writes: AtomicU64,
}

impl Translator {
    /// A direct `Create{Note}` from `actor` to `recipient` alone (a case message or a
    /// private message), delivered to the recipient's own inbox, never a shared one, so
    /// nobody else on their server is to see it. Returns the note's id.
    fn direct(
        &self,
        c: &mut DbConn,
        actor: &Actor,
        recipient: &Actor,
        note_id: String,
        body_md: &str,
        in_reply_to: Option<String>,
    ) -> AppResult<String> {
        let (row, id) = outbox::activity_id(&self.base, "Create");
        let dm = CaseDm::new(
            id,
            note_id.clone(),
            actor,
            recipient,
            body_md,
            in_reply_to,
            ap_now(),
        );
        self.send(
            c,
            row,
            actor,
            dm.json()?,
            vec![recipient.inbox.clone()],
            false,
        )?;
        Ok(note_id)
    }

    pub fn new(
        settings: &Settings,
        base: &str,
        instance_actor: Actor,
        instance: std::sync::Arc<crate::domain::instance::Live>,
    ) -> Translator {
        Translator {
            base: base.to_string(),
            domain: settings.domain.clone(),
            instance,
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
        let allowlist = self.instance.get().allowlist;
        let refused = |d: &str| match known.iter().find(|i| i.domain == d) {
            Some(i) => i.blocked || (allowlist && !i.allowed),
            None => allowlist,
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

    /// Stores `activity`, given a new id, as sent by `actor` with its deliveries (not
    /// public). Returns the id.
    fn send_new(
        &self,
        c: &mut DbConn,
        actor: &Actor,
        mut activity: impl Sent,
        inboxes: Vec<String>,
    ) -> AppResult<String> {
        let (row_id, id) = outbox::activity_id(&self.base, &activity.kind());
        activity.set_id(id.clone());
        self.send(c, row_id, actor, to_json(&activity)?, inboxes, false)?;
        Ok(id)
    }

    /// Publishes an activity of `actor` about something in `group`, with a new id.
    /// Returns the id.
    fn publish(
        &self,
        c: &mut DbConn,
        actor: &Actor,
        group: &Actor,
        mut activity: impl Sent,
        extra_inboxes: Vec<String>,
    ) -> AppResult<String> {
        let (row_id, id) = outbox::activity_id(&self.base, &activity.kind());
        activity.set_id(id.clone());
        self.publish_as(c, row_id, actor, group, to_json(&activity)?, extra_inboxes)?;
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
        // A private group's activities are for its members only: addressed to its
        // followers, not public (left out of every outbox), no microblog copies.
        let private = crate::actions::rules::is_private(group);
        let (mut activity, mut extra_inboxes) = (activity, extra_inboxes);
        if private {
            super::private::members_only(&mut activity, &super::private::followers_of(group));
            extra_inboxes.clear();
        }
        let public = !private;
        if group.local {
            let stored = self.send(c, row_id, actor, activity, extra_inboxes, public)?;
            let inboxes = queries::follows::follower_inboxes(c, group.id)?;
            for (row, announce, public) in super::qa::announcements(&self.base, group, &stored) {
                self.send(c, row, group, to_json(&announce)?, inboxes.clone(), public)?;
            }
        } else {
            let mut inboxes = vec![group.inbox.clone()];
            inboxes.extend(extra_inboxes);
            self.send(c, row_id, actor, activity, inboxes, public)?;
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

    /// A knowledge article written (`Create{Article}`), edited (`Update`) or retired
    /// (`Delete`), announced by its group as a question is; edits and retirements also
    /// go to the group's followers as the author's own (see `super::microblog`).
    fn article(
        &self,
        c: &mut DbConn,
        actor: &Actor,
        article: &ArticleRow,
        group: &Actor,
        change: ArticleChange,
    ) -> AppResult<String> {
        let (a, g) = (&actor.ap_id, &group.ap_id);
        match change {
            ArticleChange::Created | ArticleChange::Edited => {
                let object = super::activities::article::article_json(c, &self.base, article)?;
                let (kind, extra) = match change {
                    ArticleChange::Created => (CreateOrUpdateType::Create, vec![]),
                    _ => (
                        CreateOrUpdateType::Update,
                        super::microblog::follower_inboxes(c, group)?,
                    ),
                };
                let activity = CreateOrUpdate::new(kind, a, g, object);
                self.publish(c, actor, group, activity, extra)
            }
            ArticleChange::Retired => {
                let activity = Delete::by_author(a, g, &article.ap_id);
                let extra = super::microblog::follower_inboxes(c, group)?;
                self.publish(c, actor, group, activity, extra)
            }
        }
    }

    fn report(&self, c: &mut DbConn, reporter: &Actor, report: Reported) -> AppResult<String> {
        let Reported {
            post,
            message,
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
        let object = post.as_ref().map_or(&author.ap_id, |p| &p.ap_id);
        let mut first = None;
        if let Some(g) = group.as_ref().filter(|g| !g.local) {
            // Lemmy's shape: one object, the group in `to`, the reason in `summary`.
            let flag = Flag::to_group(&sender.ap_id, &g.ap_id, object, &reason);
            first = Some(self.send_new(c, sender, flag, vec![g.inbox.clone()])?);
        }
        if !author.local && group.as_ref().is_none_or(|g| g.domain != author.domain) {
            // Mastodon's shape: the account and the statuses, the reason in `content`.
            let posts = post
                .as_ref()
                .map(|p| p.ap_id.as_str())
                .or(message.as_deref());
            let flag = Flag::to_author(&sender.ap_id, &author.ap_id, posts, &reason);
            let inbox = vec![author.delivery_inbox().to_string()];
            let id = self.send_new(c, sender, flag, inbox)?;
            first.get_or_insert(id);
        }
        Ok(first.unwrap_or_default())
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
                let kind = CreateOrUpdateType::Create;
                let activity = CreateOrUpdate::new(kind, &actor.ap_id, &group.ap_id, object);
                self.publish(c, actor, &group, activity, extra)
            }
            Outgoing::Update { post, group } => {
                let object = super::post_json::post_json(c, &self.base, &post)?;
                let kind = CreateOrUpdateType::Update;
                let activity = CreateOrUpdate::new(kind, &actor.ap_id, &group.ap_id, object);
                let mut inboxes = super::microblog::follower_inboxes(c, &group)?;
                inboxes.extend(Self::author_inbox(c, &post)?);
                self.publish(c, actor, &group, activity, inboxes)
            }
            Outgoing::SupportNotes { question, group } => {
                let mut object = super::post_json::post_json(c, &self.base, &question)?;
                if let Some(m) = object.as_object_mut() {
                    support_notes::add(c, &question, m, true)?;
                }
                let kind = CreateOrUpdateType::Update;
                let activity = CreateOrUpdate::new(kind, &actor.ap_id, &group.ap_id, object);
                let mut inboxes = super::microblog::follower_inboxes(c, &group)?;
                inboxes.extend(Self::author_inbox(c, &question)?);
                self.publish(c, actor, &group, activity, inboxes)
            }
            Outgoing::Delete { post, group } => {
                let activity = Delete::by_author(&actor.ap_id, &group.ap_id, &post.ap_id);
                // Also to the author a reply answers, who had it from us directly.
                let mut inboxes = super::microblog::follower_inboxes(c, &group)?;
                inboxes.extend(Self::author_inbox(c, &post)?);
                self.publish(c, actor, &group, activity, inboxes)
            }
            Outgoing::Vote { post, group, value } => {
                let activity = Vote::new(value, &actor.ap_id, &group.ap_id, &post.ap_id);
                self.publish(c, actor, &group, activity, vec![])
            }
            Outgoing::UndoVote {
                post,
                group,
                vote_ap_id,
                value,
            } => {
                let (a, g) = (&actor.ap_id, &group.ap_id);
                let vote = Vote::earlier(vote_ap_id, value, a, g, &post.ap_id);
                self.publish(c, actor, &group, Undo::in_group(a, g, vote), vec![])
            }
            Outgoing::Accept {
                question,
                answer,
                group,
            } => {
                let (a, g) = (&actor.ap_id, &group.ap_id);
                let activity = ChooseAnswer::new(a, g, &question.ap_id, &answer.ap_id);
                self.publish(c, actor, &group, activity, vec![])
            }
            Outgoing::UndoAccept {
                question,
                previous,
                group,
            } => {
                let (a, g) = (&actor.ap_id, &group.ap_id);
                let choice = ChooseAnswer::earlier(a, &question.ap_id, &previous.ap_id);
                self.publish(c, actor, &group, Undo::in_group(a, g, choice), vec![])
            }
            Outgoing::Remove {
                post,
                group,
                reason,
                restore,
            } => {
                let (a, g) = (&actor.ap_id, &group.ap_id);
                let delete = Delete::removal(a, g, &post.ap_id, &reason);
                match restore {
                    true => self.publish(c, actor, &group, Undo::in_group(a, g, delete), vec![]),
                    false => self.publish(c, actor, &group, delete, vec![]),
                }
            }
            Outgoing::Lock {
                question,
                group,
                reason,
                locked,
            } => {
                let (a, g) = (&actor.ap_id, &group.ap_id);
                let lock = Lock::new(a, g, &question.ap_id, &reason);
                match locked {
                    true => self.publish(c, actor, &group, lock, vec![]),
                    false => self.publish(c, actor, &group, Undo::in_group(a, g, lock), vec![]),
                }
            }
            Outgoing::Ban {
                group,
                target,
                reason,
                expires_at,
                remove_data,
                lift,
            } => {
                let (a, g) = (&actor.ap_id, &group.ap_id);
                let ban = Ban {
                    person: &target.ap_id,
                    reason: &reason,
                    expires: expires_at.map(super::timestamps::ap_time),
                    remove_data,
                };
                let block = Block::new(a, g, ban);
                match lift {
                    true => self.publish(c, actor, &group, Undo::in_group(a, g, block), vec![]),
                    false => self.publish(c, actor, &group, block, vec![]),
                }
            }
            Outgoing::Moderator { group, target, add } => {
                let (a, g) = (&actor.ap_id, &group.ap_id);
                let activity = AddOrRemove::new(add, a, g, Collection::Moderators, &target.ap_id);
                self.publish(c, actor, &group, activity, vec![])
            }
            Outgoing::Feature {
                question,
                group,
                featured,
            } => {
                let (a, g) = (&actor.ap_id, &group.ap_id);
                let q = &question.ap_id;
                let activity = AddOrRemove::new(featured, a, g, Collection::Featured, q);
                self.publish(c, actor, &group, activity, vec![])
            }
            Outgoing::UpdateGroup { group } => {
                let settings = queries::groups::by_actor_id(c, group.id)?;
                let document = super::objects::group_document(&group, settings.as_ref());
                let activity = UpdateGroup::new(&actor.ap_id, &group.ap_id, document);
                self.publish(c, actor, &group, activity, vec![])
            }
            Outgoing::Welcome { person, welcome_md } => {
                // To the person's own inbox: nobody else on their server is to see it.
                let (row, id) = outbox::activity_id(&self.base, "Create");
                let welcome = Welcome::new(id.clone(), row, actor, &person, &welcome_md, ap_now());
                self.send(
                    c,
                    row,
                    actor,
                    welcome.json()?,
                    vec![person.inbox.clone()],
                    false,
                )?;
                Ok(id)
            }
            Outgoing::CaseMessage {
                customer,
                message_id,
                body_md,
                in_reply_to,
            } => {
                let note_id = case_message::note_id(&self.base, message_id);
                self.direct(c, actor, &customer, note_id, &body_md, in_reply_to)
            }
            Outgoing::DirectMessage {
                recipient,
                message_id,
                body_md,
                in_reply_to,
            } => {
                let note_id = direct::note_id(&self.base, message_id);
                self.direct(c, actor, &recipient, note_id, &body_md, in_reply_to)
            }
            Outgoing::Survey {
                asker,
                survey_id,
                body_md,
            } => {
                let note_id = survey::note_id(&self.base, survey_id);
                self.direct(c, actor, &asker, note_id, &body_md, None)
            }
            Outgoing::DeleteDirectMessage { recipient, note_id } => {
                let (row, id) = outbox::activity_id(&self.base, "Delete");
                let del = direct::delete(&id, actor, &recipient, &note_id);
                self.send(c, row, actor, del, vec![recipient.inbox.clone()], false)?;
                Ok(id)
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
                let resolve = Resolve::new(Closed {
                    id: id.clone(),
                    moderator: actor,
                    report: &report,
                    flag_actor,
                    reported,
                    receiver,
                    group: group.as_ref(),
                    base: &self.base,
                });
                self.send(c, row, actor, to_json(&resolve)?, inboxes, false)?;
                Ok(id)
            }
            Outgoing::Follow { target } => {
                let follow = Follow::new(&actor.ap_id, &target.ap_id);
                self.send_new(c, actor, follow, vec![target.inbox.clone()])
            }
            Outgoing::Unfollow {
                target,
                follow_ap_id,
            } => {
                let follow = Follow::earlier(follow_ap_id, &actor.ap_id, &target.ap_id);
                let undo = Undo::to(&actor.ap_id, vec![target.ap_id.clone()], follow);
                self.send_new(c, actor, undo, vec![target.inbox.clone()])
            }
            Outgoing::AnswerFollow {
                follower,
                follow_ap_id,
                accept,
            } => {
                use super::activities::follow::{AcceptOrReject, AcceptOrRejectType};
                let kind = match accept {
                    true => AcceptOrRejectType::Accept,
                    false => AcceptOrRejectType::Reject,
                };
                let (row, id) = outbox::activity_id(&self.base, &kind.to_string());
                let follow = serde_json::json!({"id": follow_ap_id, "actor": follower.ap_id});
                let answer = AcceptOrReject::new(id.clone(), kind, &actor.ap_id, &follow);
                let inbox = vec![follower.inbox.clone()];
                self.send(c, row, actor, to_json(&answer)?, inbox, false)?;
                Ok(id)
            }
            Outgoing::Article {
                article,
                group,
                change,
            } => self.article(c, actor, &article, &group, change),
            Outgoing::RelayFollow { inbox, object } => {
                let follow = Follow::earlier(None, &actor.ap_id, &object);
                self.send_new(c, actor, follow, vec![inbox])
            }
            Outgoing::RelayUnfollow {
                inbox,
                object,
                follow_ap_id,
            } => {
                let follow = Follow::earlier(Some(follow_ap_id), &actor.ap_id, &object);
                let undo = Undo::to(&actor.ap_id, vec![object], follow);
                self.send_new(c, actor, undo, vec![inbox])
            }
            Outgoing::ListeningReply {
                author,
                in_reply_to,
                note_id,
                body_md,
            } => {
                let (row, id) = outbox::activity_id(&self.base, "Create");
                let create = super::activities::listening::reply(
                    id.clone(),
                    note_id,
                    actor,
                    &author,
                    &in_reply_to,
                    &body_md,
                    ap_now(),
                )?;
                let inbox = vec![author.delivery_inbox().to_string()];
                self.send(c, row, actor, create, inbox, true)?;
                Ok(id)
            }
            Outgoing::DeleteAccount => {
                // As Mastodon and Lemmy do: to every server this one knows an actor of
                // (the account's followers among them).
                let inboxes = queries::people::remote_inboxes(c)?;
                let (row, id) = outbox::activity_id(&self.base, "Delete");
                let mut activity = DeleteActor::new(&actor.ap_id);
                activity.set_id(id.clone());
                self.send(c, row, actor, to_json(&activity)?, inboxes, true)?;
                Ok(id)
            }
        }
    }
}
