//! Hearth's domain model and every sharing and data-resolution rule of `SPEC.md`, as pure functions.
//!
//! This crate does no I/O and reads no clock: every date is a parameter. It compiles natively (for
//! the server, the authority) and to WASM (for the browser client, which uses the same functions to
//! hide, disable and explain controls). See `ARCHITECTURE.md`.

pub mod api;
pub mod decision;
pub mod ids;
pub mod model;
pub mod policy;
pub mod sharing;

pub use decision::{Decision, Reason};
pub use ids::{ClientId, HmisNumber, MouId, OrgId, ParseError, RecordId, RoiId, UserId};
pub use model::{Actor, Mou, Provenance, RecordKind, RecordMeta, Role, Roi, SecuritySetting};
pub use policy::PolicyConfig;
pub use sharing::{can_read, SharingContext};
