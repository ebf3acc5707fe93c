//! `Resolve` of a report (Lemmy's shape): a moderator closed a report. Sent when a report
//! closed here came from another server or was about content or a user from another
//! server; accepted for reports peerdesk sent, from the servers they were sent to.
//!
//! ```json
//! {"id": ".../activities/resolve/1", "type": "Resolve", "actor": "<moderator>",
//!  "to": ["<group or instance actor>"], "audience": "<group>",
//!  "object": {"id": "<the Flag's id>", "type": "Flag", "actor": "<reporter>",
//!             "to": ["<group or instance actor>"], "object": "<post or user>",
//!             "summary": "<reason>"}}
//! ```

use super::super::relay::Origin;
use super::super::wire::{id_of, ids};
use super::flag::Flag;
use crate::db::models::{Actor, Report};
use crate::db::queries::{self, moderation as mq};
use crate::db::DbConn;
use crate::error::AppResult;
use crate::state::Ctx;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A report closed by a moderator.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Resolve {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub actor: String,
    pub to: Vec<String>,
    /// The report as the servers it reached know it (Lemmy's `Report`).
    pub object: Flag,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

/// What the translator knows of a report being closed.
pub struct Closed<'a> {
    pub id: String,
    pub moderator: &'a Actor,
    pub report: &'a Report,
    /// The actor the `Flag` was sent as (the reporter, or the instance actor).
    pub flag_actor: String,
    /// The post or user reported.
    pub reported: String,
    /// The group of the report, or the instance actor without one.
    pub receiver: String,
    pub group: Option<&'a Actor>,
    /// Used for a report stored without the `Flag`'s id.
    pub base: &'a str,
}

impl Resolve {
    pub fn new(closed: Closed<'_>) -> Resolve {
        let Closed {
            id,
            moderator,
            report,
            flag_actor,
            reported,
            receiver,
            group,
            base,
        } = closed;
        let flag_id = report
            .ap_id
            .clone()
            .unwrap_or_else(|| format!("{base}/activities/flag/{}", report.id));
        Resolve {
            id,
            kind: "Resolve".into(),
            actor: moderator.ap_id.clone(),
            to: vec![receiver.clone()],
            object: Flag::as_known(flag_id, flag_actor, receiver, reported, &report.reason),
            audience: group.map(|g| g.ap_id.clone()),
        }
    }
}

/// The local reports a received `Flag` (embedded or by id) stands for.
fn reports_for(c: &mut DbConn, domain: &str, flag: &Value) -> AppResult<Vec<Report>> {
    if let Some(r) = id_of(flag)
        .map(|id| mq::report_by_ap_id(c, id))
        .transpose()?
        .flatten()
    {
        return Ok(vec![r]);
    }
    // Lemmy embeds a new `Flag` with a new id: find ours by reporter and object.
    let reporter = match flag.get("actor").and_then(id_of) {
        Some(a) => queries::actors::by_ap_id(c, a)?.filter(|a| a.local),
        None => None,
    };
    let Some(reporter) = reporter else {
        return Ok(vec![]);
    };
    let as_instance = reporter.kind == "Application";
    let mut out = vec![];
    for id in ids(flag.get("object")) {
        let post = queries::posts::by_ap_id(c, &id)?;
        let actor = match post {
            Some(_) => None,
            None => queries::actors::by_ap_id(c, &id)?,
        };
        let about = mq::reports_about(c, post.map(|p| p.id), actor.map(|a| a.id))?;
        out.extend(
            about
                .into_iter()
                .filter(|r| r.reporter_domain == domain)
                .filter(|r| as_instance || r.reporter_id == reporter.id),
        );
    }
    Ok(out)
}

/// Whether `by` (or the group `via` that announced it) speaks for a server `report`
/// was sent to: the home of the post's group or of the reported user.
fn trusted(c: &mut DbConn, report: &Report, by: &Actor, via: Option<i64>) -> AppResult<bool> {
    let post = match report.post_id {
        Some(p) => queries::posts::by_id(c, p)?,
        None => None,
    };
    if let Some(gid) = post.as_ref().and_then(|p| p.group_id) {
        if via == Some(gid) {
            return Ok(true);
        }
        if queries::actors::by_id(c, gid)?.is_some_and(|g| !g.local && g.domain == by.domain) {
            return Ok(true);
        }
    }
    let target = match report.target_actor_id {
        Some(t) => queries::actors::by_id(c, t)?,
        None => None,
    };
    Ok(target.is_some_and(|t| !t.local && t.domain == by.domain))
}

/// A received `Resolve` (or, with `undo`, its `Undo`): closes (reopens) the reports
/// peerdesk sent that it stands for. Anything else is ignored.
pub async fn receive(
    data: &Ctx,
    origin: &Origin<'_>,
    resolve: &Value,
    undo: bool,
) -> AppResult<()> {
    let flag = resolve.get("object").cloned().unwrap_or(Value::Null);
    let domain = data.domain().to_string();
    let by = origin.actor.clone();
    let via = origin.via.map(|g| g.id);
    let changed = data
        .db
        .run(move |c| {
            let mut n = 0;
            for r in reports_for(c, &domain, &flag)? {
                let open = r.status == "open";
                if r.reporter_domain != domain || open == undo || !trusted(c, &r, &by, via)? {
                    continue;
                }
                mq::mark_report(c, r.id, (!undo).then_some(by.id))?;
                n += 1;
            }
            Ok(n)
        })
        .await?;
    if changed == 0 {
        tracing::info!(undo, "Resolve about no report of ours ignored");
    }
    Ok(())
}
