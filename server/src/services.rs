//! The use cases: each takes the actor and parsed input, asks the shared decision, writes through
//! `db`, and audits. Routes call these; these never see HTTP beyond the session extractor.

pub mod access;
pub mod accounts;
pub mod audit;
pub mod auth;
pub mod bootstrap;
pub mod clients;
pub mod conflicts;
pub mod entry_exit;
pub mod households;
pub mod hud_csv;
pub mod hud_export;
pub mod hud_import;
pub mod idempotency;
pub mod intake;
pub mod jobs;
pub mod links;
pub mod notify;
pub mod records;
pub mod releases;
pub mod resolution;
pub mod session;
