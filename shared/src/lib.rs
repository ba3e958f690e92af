//! Hearth's domain model and every sharing and data-resolution rule of `SPEC.md`, as pure functions.
//!
//! This crate does no I/O and reads no clock: every date is a parameter. It compiles natively (for
//! the server, the authority) and to WASM (for the browser client, which uses the same functions to
//! hide, disable and explain controls). See `ARCHITECTURE.md`.

pub mod actions;
pub mod admin;
pub mod api;
pub mod dates;
pub mod decision;
pub mod display;
pub mod documents;
pub mod fields;
pub mod household;
pub mod hud;
pub mod ids;
pub mod impact;
pub mod input;
pub mod intake;
pub mod links;
pub mod matching;
pub mod model;
pub mod notify;
pub mod password;
pub mod policy;
pub mod records;
pub mod redact;
pub mod resolution;
pub mod sharing;
pub mod stored;
pub mod text;
pub mod timefmt;

pub use decision::{Decision, Reason};
pub use ids::{ClientId, HmisNumber, MouId, OrgId, ParseError, ProgramId, RecordId, RoiId, UserId};
pub use model::{Actor, Mou, Provenance, RecordKind, RecordMeta, Roi, Role, SecuritySetting};
pub use policy::PolicyConfig;
pub use sharing::{agency_scope, can_read, releases_for, AgencyScope, SharingContext};

pub use actions::{
    can_attach_mou_document, can_attach_roi_document, can_read_mou_document, can_see_roi,
    can_sign_mou, roi_ending_soon,
};
pub use actions::{
    can_change_mou, can_create, can_create_mou, can_delete, can_edit, can_end_date, can_revoke_roi,
    can_set_roi, can_set_security, can_upload, NewRecord, Upload,
};
pub use actions::{
    can_list_agency_rois, roi_in_agency_list, roi_reminder_due, roi_reminders, roi_status,
    RoiStatus,
};
pub use fields::{DocumentationType, Field, FieldClass};
pub use records::HasMeta;
pub use redact::{redact, withheld_notice, Redacted};
