//! Server integration tests: the real server on a real port (0), a fresh SQLite database with the
//! demo data per test, and an HTTP client with a cookie jar. One binary, one module per area.

mod accounts;
mod answers;
mod audit;
mod audit_paging;
mod cache;
mod clients;
mod concurrency;
mod conflicts;
mod durability;
mod entry_exit;
mod households;
mod hud_codes;
mod hud_export;
mod hud_import;
mod hygiene;
mod idempotency;
mod intake;
mod links;
mod mou_impact;
mod notifications;
mod notify_email;
mod openapi;
mod records;
mod records_matrix;
mod records_race;
mod releases;
mod roi_reminders;
mod search;
mod session;
mod static_files;
mod support;
mod test_clock;
mod tidy;
mod views;
