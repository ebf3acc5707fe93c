//! Received activities, processed in batches (group commit).
//!
//! The inbox verifies each request on its own (size, digest, signature) and hands the
//! activity here. A processor collects what arrives while the previous batch is being
//! written and handles it together. Questions and replies that their authors' servers
//! send embedded in a `Create` — the bulk of the traffic — are placed from what the
//! database already holds (the groups from [`super::audience`]'s cache) and stored in
//! one transaction for the whole batch: a handful of statements for any number of
//! activities (received ids, posts, badges, answer counts, the group's announcements and
//! their deliveries). Planning a batch overlaps the previous one's commit (see
//! [`start`]). Every other activity, and
//! any the batch cannot place without fetching (an unknown question or group), goes
//! through [`super::activities::dispatch`] on its own. Each sender gets its own answer,
//! after its activity is committed, with the same status either path would give.

use super::audience::{self, Audience};
use super::incoming::{self, Incoming, Spot};
use super::posts::ApObject;
use super::wire::domain_of;
use super::wire::id_of;
use super::wire::ids;
use super::{outbox, relay};
use crate::db::models::{Activity, Actor, Post};
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::state::Ctx;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The first retry delay of a failing activity (see [`process_one`]; the durable queue
/// doubles it with each attempt).
pub const RETRY_BASE_MS: i64 = 5_000;

/// Activities taken into one batch at most.
const MAX_BATCH: usize = 256;

/// A verified activity waiting to be processed.
pub struct Job {
    pub activity: Value,
    pub signer: Actor,
    /// The embedded object of a `Create` the batch may store (see [`prepare`]).
    pub object: Option<Incoming>,
    /// The id was recorded as received already (by the durable queue).
    pub recorded: bool,
    pub reply: oneshot::Sender<AppResult<()>>,
}

pub type Sender = mpsc::Sender<Job>;

/// Reads what the batch needs of a `Create` sent by the author's own server: done in the
/// request's task, so that parsing and sanitising run in parallel. `None` sends the
/// activity down the one-by-one path, which also gives every refusal its answer.
pub fn prepare(activity: &Value, signer: &Actor) -> Option<Incoming> {
    if activity.get("type").and_then(Value::as_str) != Some("Create") {
        return None;
    }
    let object = activity.get("object").filter(|o| o.is_object())?;
    let obj = <ApObject as serde::Deserialize>::deserialize(object).ok()?;
    let same_server = domain_of(obj.id.as_str()).is_some()
        && domain_of(obj.id.as_str()) == domain_of(&signer.ap_id);
    if !same_server || !ids(obj.rest.get("attributedTo")).contains(&signer.ap_id) {
        return None;
    }
    // An idea's status is stored with the post by the one-by-one path only.
    if super::activities::idea::said(&obj.rest).is_some() {
        return None;
    }
    Incoming::read(&obj)
        .ok()
        .flatten()
        .filter(|inc| inc.author_url == signer.ap_id)
}

/// Starts the processor; returns the sender the inbox submits to and the task to run.
///
/// Two stages, each one batch at a time: a planner gathers what has arrived, reads what
/// the database knows of it and plans the writes, while the writer commits the batch
/// planned before. Planning overlaps the previous commit, so the planner may not see
/// that batch's posts: a reply to one of them cannot be placed and is processed on its
/// own once that batch is committed, and a duplicate of one is caught by the unique
/// keys when written. (Measured: two or three batches committing at once were slower
/// on both databases, the writes contending for the same rows, such as a busy
/// question's; overlapping the reads with the commit is not.)
pub fn start(data: Ctx) -> (Sender, impl std::future::Future<Output = ()>) {
    let (tx, mut rx) = mpsc::channel::<Job>(MAX_BATCH * 8);
    let (planned_tx, mut planned_rx) = mpsc::channel::<Plan>(1);
    let task = async move {
        let planner = async {
            let mut jobs = Vec::with_capacity(MAX_BATCH);
            // Gather only once the writer has taken the previous plan, so that a batch
            // holds everything that arrived while the one before it was committing.
            while let Ok(slot) = planned_tx.reserve().await {
                if rx.recv_many(&mut jobs, MAX_BATCH).await == 0 {
                    break;
                }
                slot.send(plan(&data, std::mem::take(&mut jobs)).await);
            }
        };
        let writer = async {
            while let Some(p) = planned_rx.recv().await {
                write(&data, p).await;
            }
        };
        tokio::join!(planner, writer);
    };
    (tx, task)
}

/// Processes one activity on its own. Unless the durable queue recorded it already, its
/// id is recorded and its body stored in the inbound queue in one transaction (a
/// duplicate is a no-op), then it is dispatched and the row dropped. If the process dies
/// mid-way the row stays, and is processed again once its lease ends (see
/// the inbound queue's sweep): so a copy that arrives meanwhile may be answered `202`, and
/// nothing acknowledged is lost. A failure that is not the activity's fault is answered
/// as such and retried from the stored row with back-off.
pub async fn process_one(
    data: &Ctx,
    signer: &Actor,
    activity: Value,
    recorded: bool,
) -> AppResult<()> {
    let mut row = None;
    if !recorded {
        let id = id_of(&activity).unwrap_or_default().to_string();
        let body = activity.to_string();
        let (signer_id, lease) = (signer.id, data.settings.inbox_lease_ms as i64);
        row = data
            .db
            .run(move |c| queries::inbound::begin(c, &id, signer_id, body, lease))
            .await?;
        if row.is_none() {
            return Ok(());
        }
    }
    if let Some(kind) = &data.settings.stall_activity {
        if activity.get("type").and_then(Value::as_str) == Some(kind.as_str()) {
            std::future::pending::<()>().await;
        }
    }
    let log_id = id_of(&activity).unwrap_or_default().to_string();
    let result = match super::activities::dispatch(data, signer, activity).await {
        // Something it refers to is gone or unreadable for good: of no use here, and
        // not worth a retry.
        Err(e @ (AppError::Gone(_) | AppError::RemoteUnreadable)) => {
            tracing::info!(id = %log_id, "ignoring an activity that refers to what cannot be read: {e}");
            Ok(())
        }
        other => other,
    };
    if let Some(row) = row {
        // The queue ends its own rows; this one is dropped, or kept for a retry.
        let retry = result.as_ref().is_err_and(AppError::is_transient);
        let ended = data
            .db
            .run(move |c| {
                if retry {
                    let at = crate::db::now_ms() + RETRY_BASE_MS;
                    queries::inbound::finish(c, &[], &[(row, 1, at)])
                } else {
                    queries::inbound::finish(c, &[row], &[])
                }
            })
            .await;
        if let Err(e) = ended {
            // The row is claimed again once its lease ends; handlers are idempotent.
            tracing::warn!("ending a processed activity failed: {e}");
        }
    }
    result
}

fn one_by_one(data: &Ctx, job: Job) {
    let data = data.clone();
    tokio::spawn(async move {
        let result = process_one(&data, &job.signer, job.activity, job.recorded).await;
        let _ = job.reply.send(result);
    });
}

/// A batch planned and waiting for the writer.
struct Plan {
    batch: Vec<Job>,
    /// `Err` when reading failed: the batch goes one by one.
    writes: AppResult<Writes>,
    /// Duplicates within the batch, processed once it is committed.
    after: Vec<Job>,
}

async fn plan(data: &Ctx, jobs: Vec<Job>) -> Plan {
    let (mut batch, mut after) = (Vec::new(), Vec::new());
    let (mut activities, mut objects) = (HashSet::new(), HashSet::new());
    for job in jobs {
        let activity_id = id_of(&job.activity).unwrap_or_default().to_string();
        match &job.object {
            // The same activity or object twice in one batch: the second goes after
            // the first is committed (and then finds it done).
            Some(_) if activities.contains(&activity_id) => after.push(job),
            Some(inc) if objects.insert(inc.ap_id.clone()) => {
                activities.insert(activity_id);
                batch.push(job);
            }
            Some(_) => after.push(job),
            None => one_by_one(data, job),
        }
    }
    let writes = if batch.is_empty() {
        Ok(Writes::default())
    } else {
        plan_batch(data, &mut batch).await
    };
    Plan {
        batch,
        writes,
        after,
    }
}

async fn write(data: &Ctx, plan: Plan) {
    let Plan {
        batch,
        writes,
        after,
    } = plan;
    let started = std::time::Instant::now();
    let committed = match writes {
        Ok(w) => commit(data, w).await,
        Err(e) => Err(e),
    };
    if !batch.is_empty() {
        metrics::histogram!("peerdesk_inbox_batch_size").record(batch.len() as f64);
        let took = started.elapsed().as_secs_f64();
        metrics::histogram!("peerdesk_inbox_batch_seconds").record(took);
    }
    match committed {
        Ok(replies) => {
            for (job, reply) in batch.into_iter().zip(replies) {
                match reply {
                    Some(result) => {
                        let _ = job.reply.send(result);
                    }
                    None => one_by_one(data, job),
                }
            }
        }
        Err(e) => {
            tracing::warn!(
                "batch of {} activities failed, retrying one by one: {e}",
                batch.len()
            );
            for job in batch {
                one_by_one(data, job);
            }
        }
    }
    for job in after {
        one_by_one(data, job);
    }
}

/// What the database holds that the batch's objects refer to.
#[derive(Default)]
struct Known {
    posts: HashMap<String, Post>,
    questions: HashMap<i64, Post>,
    /// Groups by id, and the ids of those named by ap_id among new questions' audiences.
    groups: HashMap<i64, Arc<Audience>>,
    group_ids: HashMap<String, i64>,
}

/// Reads the posts the batch's objects are or reply to (with their questions when the
/// parent is not one), and the groups new questions name; then the groups' audiences.
async fn load_known(data: &Ctx, jobs: &[(String, Incoming, i64)]) -> AppResult<Known> {
    let mut urls: Vec<String> = jobs.iter().map(|(_, inc, _)| inc.ap_id.clone()).collect();
    urls.extend(
        jobs.iter()
            .filter_map(|(_, inc, _)| inc.in_reply_to.clone()),
    );
    let candidates: Vec<String> = jobs
        .iter()
        .filter(|(_, inc, _)| inc.in_reply_to.is_none())
        .flat_map(|(_, inc, _)| inc.candidates.iter().cloned())
        .collect();
    let (posts, questions, named) = data
        .db
        .run(move |conn| {
            let posts = queries::posts::by_ap_ids(conn, &urls)?;
            let question_ids: Vec<i64> = posts
                .iter()
                .filter_map(|p| p.question_id.filter(|q| *q != p.id))
                .collect();
            let questions = if question_ids.is_empty() {
                Vec::new()
            } else {
                queries::posts::by_ids(conn, &question_ids)?
            };
            let named: Vec<(String, i64)> = if candidates.is_empty() {
                Vec::new()
            } else {
                queries::actors::by_ap_ids(conn, &candidates)?
                    .into_iter()
                    .filter(|g| g.is_group())
                    .map(|g| (g.ap_id, g.id))
                    .collect()
            };
            Ok((posts, questions, named))
        })
        .await?;
    let mut k = Known::default();
    let mut group_ids: Vec<i64> = posts.iter().filter_map(|p| p.group_id).collect();
    group_ids.extend(named.iter().map(|(_, id)| *id));
    k.groups = audience::of_groups(data, &group_ids).await?;
    k.group_ids = named.into_iter().collect();
    k.posts = posts.into_iter().map(|p| (p.ap_id.clone(), p)).collect();
    k.questions = questions.into_iter().map(|q| (q.id, q)).collect();
    Ok(k)
}

/// Where an object by `author` goes, from what is known (the group's audience, for its
/// announcements, and the [`Spot`] to admit it at); `None` when that needs a fetch, or
/// when it is a question in a group whose posting rule must be checked (the one-by-one
/// path asks [`crate::actions::rules::ask_refusal`]).
fn place<'k>(
    k: &'k Known,
    inc: &Incoming,
    author: i64,
    now: i64,
) -> Option<(&'k Audience, Spot<'k>)> {
    let (audience, parent, question_locked) = match &inc.in_reply_to {
        Some(url) => {
            let parent = k.posts.get(url)?;
            let group = k.groups.get(&parent.group_id?)?;
            let question_locked = parent
                .question_id
                .filter(|q| *q != parent.id)
                .is_some_and(|q| k.questions.get(&q).is_some_and(|q| q.locked));
            (&**group, Some(parent), question_locked)
        }
        None => inc
            .candidates
            .iter()
            .find_map(|c| k.groups.get(k.group_ids.get(c)?))
            .filter(|g| g.anyone_asks)
            .map(|g| (&**g, None, false))?,
    };
    if crate::actions::rules::is_private(&audience.group) {
        // A private group's members are checked one by one (see `incoming::prepare`).
        return None;
    }
    let spot = Spot {
        group: &audience.group,
        parent,
        question_locked,
        banned: audience.bans(author, now),
        may_ask: true,
    };
    Some((audience, spot))
}

/// A job that reaches the batch's transaction.
struct Planned {
    index: usize,
    activity_id: String,
    recorded: bool,
    /// The post to store; `None` when refused (its id is still recorded).
    post: Option<Post>,
    /// The group's announcements of it, with their delivery targets.
    announce: Vec<(Activity, Vec<(String, String)>)>,
}

/// The writes a batch plans: per job, `Some(result)` to answer once committed, or `None`
/// to process it one by one (not placeable without a fetch).
#[derive(Default)]
struct Writes {
    replies: Vec<Option<AppResult<()>>>,
    planned: Vec<Planned>,
    /// Thread contexts that new questions name (see `thread_context`).
    contexts: Vec<(String, String)>,
}

/// Reads what the batch refers to and plans its writes.
async fn plan_batch(data: &Ctx, jobs: &mut [Job]) -> AppResult<Writes> {
    let keys: Vec<(String, Incoming, i64)> = jobs
        .iter_mut()
        .map(|j| {
            let inc = j.object.take().expect("batched jobs carry their object");
            (
                id_of(&j.activity).unwrap_or_default().to_string(),
                inc,
                j.signer.id,
            )
        })
        .collect();
    let known = load_known(data, &keys).await?;
    let now = crate::db::now_ms();

    let mut replies: Vec<Option<AppResult<()>>> = Vec::with_capacity(jobs.len());
    // Per job that reaches the transaction: (activity id, post to store, announcements).
    let mut planned: Vec<Planned> = Vec::new();
    let mut targets: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    let mut contexts: Vec<(String, String)> = Vec::new();
    for (i, ((activity_id, inc, _), job)) in keys.into_iter().zip(jobs.iter()).enumerate() {
        if known.posts.contains_key(&inc.ap_id) {
            replies.push(None);
            continue;
        }
        let Some((audience, spot)) = place(&known, &inc, job.signer.id, now) else {
            replies.push(None);
            continue;
        };
        let group = &audience.group;
        contexts.extend(incoming::context_of(&inc, spot.parent));
        let post = match incoming::admit(inc, &job.signer, &spot) {
            Ok(p) => p,
            Err(e) => {
                // Refused: the id is still recorded, as on the one-by-one path.
                replies.push(Some(Err(e)));
                planned.push(Planned {
                    index: i,
                    activity_id,
                    recorded: job.recorded,
                    post: None,
                    announce: vec![],
                });
                continue;
            }
        };
        let mut announce = Vec::new();
        if relay::announces(data, group, &job.signer).await? {
            let followers = match targets.get(&group.id) {
                Some(t) => t,
                None => {
                    let t = outbox::targets(data, audience.inboxes.clone()).await?;
                    targets.entry(group.id).or_insert(t)
                }
            };
            announce = relay::announcements(
                &data.base,
                group,
                &job.activity,
                &job.signer.domain,
                followers,
            )?;
        }
        replies.push(Some(Ok(())));
        planned.push(Planned {
            index: i,
            activity_id,
            recorded: job.recorded,
            post: Some(post),
            announce,
        });
    }
    Ok(Writes {
        replies,
        planned,
        contexts,
    })
}

/// Commits a batch's writes in one transaction and settles each job's answer. A
/// duplicate (an activity received before, or an object stored meanwhile under another
/// activity) is answered as done.
async fn commit(data: &Ctx, writes: Writes) -> AppResult<Vec<Option<AppResult<()>>>> {
    let Writes {
        mut replies,
        planned,
        contexts,
    } = writes;
    if planned.is_empty() {
        return Ok(replies);
    }
    let app = (**data).clone();
    let (fresh, stored, queued, awards) = data
        .db
        .run(move |c| {
            c.transaction(|c| {
                let ids: Vec<&str> = planned
                    .iter()
                    .filter(|p| !p.recorded)
                    .map(|p| p.activity_id.as_str())
                    .collect();
                let fresh = queries::activities::mark_received_many(c, &ids)?;
                let mut planned: Vec<Planned> = planned
                    .into_iter()
                    .filter(|p| p.recorded || fresh.contains(&p.activity_id))
                    .collect();
                // The posts move out of their jobs; `owner` maps each back to its job.
                let (owner, posts): (Vec<usize>, Vec<Post>) = planned
                    .iter_mut()
                    .enumerate()
                    .filter_map(|(i, p)| p.post.take().map(|post| (i, post)))
                    .unzip();
                let (new, awards) = incoming::insert(c, &app, &posts, &contexts)?;
                crate::actions::webhooks::queue_received(c, &new)?;
                let new_ids: HashSet<&str> = new.iter().map(|p| p.ap_id.as_str()).collect();
                let stored: Vec<usize> = owner
                    .iter()
                    .zip(&posts)
                    .filter(|(_, post)| new_ids.contains(post.ap_id.as_str()))
                    .map(|(i, _)| *i)
                    .collect();
                let deliveries: Vec<(&Activity, &[(String, String)])> = stored
                    .iter()
                    .flat_map(|i| {
                        planned[*i]
                            .announce
                            .iter()
                            .map(|(a, to)| (a, to.as_slice()))
                    })
                    .collect();
                let queued = queries::deliveries::enqueue_many(c, &deliveries)?;
                queries::posts::bump_questions(c, &new)?;
                let stored: HashSet<usize> = stored.iter().map(|i| planned[*i].index).collect();
                let fresh: HashSet<usize> = planned.iter().map(|p| p.index).collect();
                Ok::<_, AppError>((fresh, stored, queued, awards))
            })
        })
        .await?;
    data.badges.remember(awards);
    if queued > 0 {
        data.delivery_notify.notify_one();
    }
    for (i, reply) in replies.iter_mut().enumerate() {
        if let Some(result) = reply {
            if !fresh.contains(&i) {
                // Received before: a duplicate is a no-op.
                *result = Ok(());
            } else if result.is_ok() && !stored.contains(&i) {
                // Stored meanwhile under another activity.
                *result = Ok(());
            }
        }
    }
    Ok(replies)
}
