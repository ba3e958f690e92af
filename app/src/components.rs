//! The app's own small components (no UI kit): the frame (skip link, header, protected parent
//! route, route headings), the read states (loading, error), the form pieces (`Field`,
//! `EnumSelect`, `DateInput`, `FormError`), the confirmation `<dialog>`, the record card with its
//! visibility badge and the `DecisionGate` that hides or disables a control and says why.

mod badge;
mod confirm;
mod decision_gate;
mod field;
mod frame;
mod header;
mod record_card;
mod states;
mod timeline;

pub use badge::{org_namer, VisibilityBadge};
pub use confirm::ConfirmButton;
pub use decision_gate::{DecisionGate, GateMode};
pub use field::{field_error, DateInput, EnumSelect, Field, FormError, InputKind};
pub use frame::{Protected, RouteHeading, SkipLink};
pub use header::Header;
pub use record_card::RecordCard;
pub use states::{ErrorView, Loading};
pub use timeline::{Timeline, TimelineBar, TimelineLane, TimelineMark};
