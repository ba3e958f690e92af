//! Reusable pieces: the header, the session guard and the visibility badge.

mod badge;
mod header;
mod require_session;

pub use badge::{org_namer, VisibilityBadge};
pub use header::Header;
pub use require_session::RequireSession;
