//! What the activities we send share: [`Sent`], the trait through which the outgoing
//! side gives an activity its id (`https://DOMAIN/activities/{type in lower case}/{n}`,
//! named by its `type`), the public addressing of a group's activities, and
//! serialising them.
//!
//! An activity about a post or a group is public and addressed to the group:
//!
//! ```json
//! {"to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["<group>"],
//!  "audience": "<group>"}
//! ```

use super::super::PUBLIC;
use crate::error::{AppError, AppResult};
use serde::Serialize;
use serde_json::Value;

/// An activity we send, built without its id; the sender gives it one.
pub trait Sent: Serialize {
    /// The `type`, which names the id.
    fn kind(&self) -> String;
    /// Sets the `id`.
    fn set_id(&mut self, id: String);
}

/// Implements [`Sent`] for activities with a `kind` and an optional `id`.
macro_rules! sent {
    ($($t:ty),* $(,)?) => {
        $(impl $crate::federation::activities::sent::Sent for $t {
            fn kind(&self) -> String {
                self.kind.to_string()
            }
            fn set_id(&mut self, id: String) {
                self.id = Some(id);
            }
        })*
    };
}
pub(crate) use sent;

/// `to` of a public activity: the public collection.
pub fn public() -> Vec<String> {
    vec![PUBLIC.to_string()]
}

/// `activity` as JSON. Our own activities always serialise; a failure is ours
/// ([`AppError::Internal`]).
pub fn to_json<A: Serialize + ?Sized>(activity: &A) -> AppResult<Value> {
    serde_json::to_value(activity).map_err(|e| AppError::Internal(format!("activity JSON: {e}")))
}

/// Declares a one-variant enum naming a `type` (like activitypub_federation's kinds),
/// for the types that the ActivityStreams vocabulary does not define, or a family of
/// types.
macro_rules! kinds {
    ($(#[$m:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($variant),+
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(match self {
                    $(Self::$variant => stringify!($variant)),+
                })
            }
        }
    };
}
pub(crate) use kinds;
