//! The outbox seam: what a local action must federate, in product terms, and the trait
//! through which it is recorded in the action's transaction (implemented by
//! `federation::outgoing`).

use crate::db::models::{Actor, Post, Report};
use crate::db::DbConn;
use crate::error::AppResult;

/// What a local action must federate, in product terms.
#[derive(Clone, Debug)]
pub enum Outgoing {
    /// A new question, answer or comment.
    Create { post: Post, group: Actor },
    /// An edited post.
    Update { post: Post, group: Actor },
    /// The author deleted a post.
    Delete { post: Post, group: Actor },
    /// An up (`value > 0`) or down vote.
    Vote {
        post: Post,
        group: Actor,
        value: i32,
    },
    /// An earlier vote withdrawn.
    UndoVote {
        post: Post,
        group: Actor,
        /// The earlier vote's activity id and value.
        vote_ap_id: Option<String>,
        value: i32,
    },
    /// An accepted answer chosen.
    Accept {
        question: Post,
        answer: Post,
        group: Actor,
    },
    /// The accepted answer cleared (`previous` was accepted).
    UndoAccept {
        question: Post,
        previous: Post,
        group: Actor,
    },
    /// A moderator removed (or restored) a post.
    Remove {
        post: Post,
        group: Actor,
        reason: String,
        restore: bool,
    },
    /// A moderator locked (or unlocked) a question.
    Lock {
        question: Post,
        group: Actor,
        reason: String,
        locked: bool,
    },
    /// A moderator banned someone from a group (or lifted the ban).
    Ban {
        group: Actor,
        target: Actor,
        reason: String,
        expires_at: Option<i64>,
        remove_data: bool,
        lift: bool,
    },
    /// A moderator added (or removed) a moderator.
    Moderator {
        group: Actor,
        target: Actor,
        add: bool,
    },
    /// A moderator featured (or unfeatured) a question.
    Feature {
        question: Post,
        group: Actor,
        featured: bool,
    },
    /// The public notes of cases on a question of a group hosted here were set, changed
    /// or cleared: the group's `Update` of the question, carrying its notes (an empty list
    /// when none is left).
    SupportNotes { question: Post, group: Actor },
    /// A moderator changed what the document of a group hosted here shows (title,
    /// description, guidelines).
    UpdateGroup { group: Actor },
    /// A group hosted here welcomes a newcomer from elsewhere (the sender is the group),
    /// with a message to them alone.
    Welcome { person: Actor, welcome_md: String },
    /// A case's message to its customer on another server: a direct note to them alone
    /// (never announced, never public), replying to `in_reply_to` (the case's previous
    /// federated message). `record` returns the note's id, which the message keeps.
    CaseMessage {
        customer: Actor,
        message_id: i64,
        body_md: String,
        in_reply_to: Option<String>,
    },
    /// A private message to someone on another server (`in_reply_to`: the
    /// conversation's previous federated message).
    DirectMessage {
        recipient: Actor,
        message_id: i64,
        body_md: String,
        in_reply_to: Option<String>,
    },
    /// A satisfaction survey to an asker on another server: a direct note to them alone
    /// (sent by the instance actor), whose replies and votes answer it. `record`
    /// returns the note's id, which the survey keeps.
    Survey {
        asker: Actor,
        survey_id: i64,
        body_md: String,
    },
    /// A private message withdrawn by its author (`note_id`: its Note).
    DeleteDirectMessage { recipient: Actor, note_id: String },
    /// A report, to the servers concerned.
    Report(Reported),
    /// A report closed here, to the servers concerned: the reporter's, the content's.
    ResolveReport(Box<ReportClosed>),
    /// A follow of a remote actor.
    Follow { target: Actor },
    /// A follow of a remote actor ended (`follow_ap_id` was its activity).
    Unfollow {
        target: Actor,
        follow_ap_id: Option<String>,
    },
    /// A private group's moderator answered the `Follow` (`follow_ap_id`) of a remote
    /// follower: `Accept` when approved, `Reject` when not (or a member removed).
    AnswerFollow {
        follower: Actor,
        follow_ap_id: Option<String>,
        accept: bool,
    },
    /// A knowledge article of a group hosted here was written, edited or retired.
    Article {
        article: crate::db::queries::articles::Article,
        group: Actor,
        change: ArticleChange,
    },
    /// The instance actor subscribes to a relay: a `Follow` of `object` (Public for a
    /// Mastodon-style relay, the relay's actor for a LitePub one) sent to `inbox`.
    RelayFollow { inbox: String, object: String },
    /// The subscription `follow_ap_id` ended (`Undo` of that `Follow`).
    RelayUnfollow {
        inbox: String,
        object: String,
        follow_ap_id: String,
    },
    /// A public reply (`note_id`) to a post `in_reply_to` of `author` found by listening.
    ListeningReply {
        author: Actor,
        in_reply_to: String,
        note_id: String,
        body_md: String,
    },
    /// The account was deleted (by an admin): the actor's deletion of itself, to the
    /// servers that may know it.
    DeleteAccount,
}

/// What happened to a knowledge article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArticleChange {
    Created,
    Edited,
    Retired,
}

/// A report closed here: the report, its reporter, the post and user reported and the
/// group concerned.
#[derive(Clone, Debug)]
pub struct ReportClosed {
    pub report: Report,
    pub reporter: Actor,
    pub post: Option<Post>,
    pub target: Option<Actor>,
    pub group: Option<Actor>,
}

/// A report to federate: about `post` (if any) by `author`, in `group` (if any); sent
/// as the instance when `anonymous`.
#[derive(Clone, Debug)]
pub struct Reported {
    pub post: Option<Post>,
    /// The Note of a reported private message (when `post` is none).
    pub message: Option<String>,
    pub author: Actor,
    pub group: Option<Actor>,
    pub reason: String,
    pub anonymous: bool,
}

/// Records outgoing events on the connection of the action's open transaction: the
/// federation layer builds the activities and queues their deliveries there.
pub trait Outbox: Send + Sync {
    /// Records what `actor` did. Returns the id of the activity sent for it (the `Like`
    /// of a vote, the `Follow`, …), which the action may store.
    fn record(&self, c: &mut DbConn, actor: &Actor, event: Outgoing) -> AppResult<String>;

    /// Tests (`--fault-outbox-every N`): fails every N-th write of activities, those of
    /// local actions and those the inbox queues (a group's announcements, answers to
    /// follows) alike.
    fn fault(&self) -> AppResult<()> {
        Ok(())
    }
}
