//! `ChooseAnswer` (peerdesk's, `peerdesk:ChooseAnswer`): the accepted answer of a
//! question chosen; `object` is the answer, `target` the question. Clearing it sends an
//! `Undo` ([`super::undo`]) of the `ChooseAnswer` of the answer accepted until then,
//! embedded without id nor addressing.
//!
//! ```json
//! {"type": "ChooseAnswer", "actor": "<asker or moderator>", "object": "<answer>",
//!  "target": "<question>", "to": ["https://www.w3.org/ns/activitystreams#Public"],
//!  "cc": ["<group>"], "audience": "<group>", "id": ".../activities/chooseanswer/1"}
//! ```
//!
//! Received: accepted from the asker or the group's moderators
//! ([`crate::actions::rules::may_accept`]), or announced by the question's group.

use super::sent::{kinds, public, sent};
use crate::db::models::Post;
use crate::db::queries;
use crate::error::{AppError, AppResult};
use crate::federation::incoming::{post_by_id, post_by_url};
use crate::federation::qa;
use crate::federation::relay::{self, Origin};
use crate::federation::wire::object_id;
use crate::state::Ctx;
use serde::{Deserialize, Serialize};
use serde_json::Value;

kinds!(ChooseAnswerType { ChooseAnswer });

/// An accepted answer chosen.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChooseAnswer {
    #[serde(rename = "type")]
    pub kind: ChooseAnswerType,
    pub actor: String,
    pub object: String,
    pub target: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cc: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

sent!(ChooseAnswer);

impl ChooseAnswer {
    /// `actor` accepts `answer` to `question` in `group`.
    pub fn new(actor: &str, group: &str, question: &str, answer: &str) -> Self {
        ChooseAnswer {
            to: Some(public()),
            cc: Some(vec![group.into()]),
            audience: Some(group.into()),
            ..ChooseAnswer::earlier(actor, question, answer)
        }
    }

    /// The choice of `answer` as embedded in the `Undo` that clears it.
    pub fn earlier(actor: &str, question: &str, answer: &str) -> Self {
        ChooseAnswer {
            kind: ChooseAnswerType::ChooseAnswer,
            actor: actor.into(),
            object: answer.into(),
            target: question.into(),
            to: None,
            cc: None,
            audience: None,
            id: None,
        }
    }
}

async fn chosen(data: &Ctx, origin: &Origin<'_>, answer_id: &str) -> AppResult<(Post, Post)> {
    let answer = match post_by_id(data, answer_id).await? {
        Some(p) => p,
        None => post_by_url(data, answer_id).await?,
    };
    if answer.kind != crate::db::models::ANSWER || !answer.visible() {
        return Err(AppError::Invalid(
            "ChooseAnswer object is not an answer".into(),
        ));
    }
    let qid = answer
        .question_id
        .ok_or_else(|| AppError::Invalid("ChooseAnswer object is not an answer".into()))?;
    let question = data
        .db
        .run(move |c| queries::posts::by_id(c, qid))
        .await?
        .ok_or_else(|| AppError::NotFound("question not found".into()))?;
    let allowed = match origin.via {
        Some(group) => question.group_id == Some(group.id),
        None => qa::may_accept(data, origin.actor, &question).await?,
    };
    if !allowed {
        return Err(AppError::Forbidden(
            "only the asker or the group's moderators can accept an answer".into(),
        ));
    }
    Ok((question, answer))
}

pub async fn on_choose_answer(data: &Ctx, origin: &Origin<'_>, activity: &Value) -> AppResult<()> {
    let answer_id = object_id(activity);
    let (question, answer) = chosen(data, origin, &answer_id).await?;
    if question.accepted_answer_id != Some(answer.id) {
        let (qid, aid) = (question.id, answer.id);
        let rows = relay::plan_for(data, origin, &question, activity).await?;
        let by = origin.actor.clone();
        relay::commit(data, rows, move |c| {
            queries::posts::set_accepted(c, qid, Some(aid))?;
            crate::actions::webhooks::queue_received_accept(c, &question, &answer, &by)?;
            Ok(((), true))
        })
        .await?;
    }
    Ok(())
}

pub async fn on_undo_choose_answer(
    data: &Ctx,
    origin: &Origin<'_>,
    activity: &Value,
    inner: &Value,
) -> AppResult<()> {
    let answer_id = object_id(inner);
    let (question, answer) = chosen(data, origin, &answer_id).await?;
    if question.accepted_answer_id == Some(answer.id) {
        let qid = question.id;
        let rows = relay::plan_for(data, origin, &question, activity).await?;
        relay::commit(data, rows, move |c| {
            queries::posts::set_accepted(c, qid, None)?;
            Ok(((), true))
        })
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::sent::{to_json, Sent};
    use super::*;
    use serde_json::json;

    const ALICE: &str = "https://h.example/u/alice";
    const GROUP: &str = "https://h.example/g/printers";
    const Q: &str = "https://h.example/q/1";
    const A: &str = "https://h.example/a/2";

    #[test]
    fn choose_answer_keeps_its_shape() {
        let mut c = ChooseAnswer::new(ALICE, GROUP, Q, A);
        assert_eq!(c.kind(), "ChooseAnswer");
        c.set_id("https://h.example/activities/chooseanswer/3".into());
        assert_eq!(
            to_json(&c).unwrap(),
            json!({
                "type": "ChooseAnswer",
                "actor": ALICE,
                "object": A,
                "target": Q,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [GROUP],
                "audience": GROUP,
                "id": "https://h.example/activities/chooseanswer/3",
            })
        );
        assert_eq!(
            to_json(&ChooseAnswer::earlier(ALICE, Q, A)).unwrap(),
            json!({"type": "ChooseAnswer", "actor": ALICE, "object": A, "target": Q})
        );
    }
}
