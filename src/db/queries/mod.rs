//! Queries, grouped by table. Every function takes a [`DbConn`](super::DbConn) and is
//! called from inside [`Db::run`](super::Db::run).

pub mod activities;
pub mod actors;
pub mod deliveries;
pub mod follows;
pub mod groups;
pub mod inbound;
pub mod moderation;
pub mod posts;
pub mod reputation;
pub mod staff;
pub mod users;
