//! The read side shared by the callers (`api/` and `web/`): posts, actors and
//! reputation as a viewer may see them, a thread's pages, and the client's address.
//! It reads through `db/` queries and never changes anything.

pub mod actors;
pub mod articles;
pub mod cases;
pub mod client;
pub mod ideas;
pub mod metrics;
pub mod posts;
pub mod reputation;
