//! peerdesk: a federated customer-support community server.
//!
//! Layers: [`federation`] (ActivityPub), [`api`] (JSON client API), [`web`] (pages),
//! [`actions`] (every local product action, with its federation in one transaction),
//! [`domain`] (product logic, no HTTP types), [`db`] (schema, models, queries), [`mail`]
//! (outgoing email).

pub mod actions;
pub mod api;
pub mod app;
pub mod bench;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod federation;
pub mod mail;
pub mod read;
pub mod rejections;
pub mod routes;
pub mod server;
pub mod state;
pub mod telemetry;
pub mod web;
