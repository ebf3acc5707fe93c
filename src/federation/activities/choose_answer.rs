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

use super::sent::{kinds, public, sent};
use serde::{Deserialize, Serialize};

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
