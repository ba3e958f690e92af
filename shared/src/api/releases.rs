//! Wire types of ROIs (S-3) and MOUs (S-4, S-6): `/api/v1/clients/{id}/rois`, `/api/v1/rois/...`,
//! `/api/v1/mous/...`.

use crate::actions::MouStatus;
use crate::ids::{ClientId, HmisNumber, MouId, OrgId, RoiId};
use crate::model::{Revocation, Roi, Signature};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// `POST /api/v1/clients/{id}/rois`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRoiRequest {
    /// The organizations among which the client allows release; must include the caller's.
    pub organizations: Vec<OrgId>,
    /// Default: today.
    #[serde(default)]
    pub start: Option<NaiveDate>,
    /// Inclusive. Default: start + the policy's ROI length.
    #[serde(default)]
    pub end: Option<NaiveDate>,
    /// The caller attests that the client's signed release is on file at their agency. Required.
    #[serde(default)]
    pub attested: bool,
}

/// One ROI as the caller may see it, with whether it is in force today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoiView {
    #[serde(flatten)]
    pub roi: Roi,
    pub active: bool,
    pub has_document: bool,
}

/// `POST /api/v1/mous`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMouRequest {
    #[cfg_attr(feature = "schema", schemars(length(max = crate::actions::MOU_NAME_MAX_CHARS)))]
    pub name: String,
    pub organizations: Vec<OrgId>,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// `POST /api/v1/mous/{id}/signatures`: one organization's head's signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SignatureRequest {
    pub org: OrgId,
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::PERSON_NAME_MAX_CHARS)))]
    pub name: String,
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub title: String,
    pub date: NaiveDate,
}

/// `POST /api/v1/mous/{id}/terminate`: effective from `date` (default today).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TerminateRequest {
    #[serde(default)]
    pub date: Option<NaiveDate>,
}

/// One party of an MOU, with its name for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MouPartyView {
    pub org: OrgId,
    pub org_name: String,
    pub signature: Option<Signature>,
}

/// An MOU and where it stands today (S-6). Never carries the document itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MouView {
    pub id: MouId,
    pub name: String,
    pub parties: Vec<MouPartyView>,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub has_document: bool,
    pub terminated: Option<Revocation>,
    /// `incomplete` (with what is missing), `not_started`, `active`, `expired`, `terminated`.
    #[serde(flatten)]
    pub status: MouStatus,
}

/// `201` answer of a document upload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DocumentInfo {
    pub id: i64,
    pub content_type: String,
    pub size: u64,
}

/// One release ending soon (`GET /api/v1/rois?ending_within_days=`): an ROI in force that names
/// the caller's agency, with its client's HMIS number and name (tier 1, S-1) and its end date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EndingRoi {
    pub id: RoiId,
    pub client: ClientId,
    pub hmis_number: HmisNumber,
    pub first_name: String,
    pub last_name: String,
    pub orgs: Vec<OrgId>,
    pub start: NaiveDate,
    /// The last day it is in force (inclusive).
    pub end: NaiveDate,
    /// Days from today to `end` (0: it ends today).
    pub days_left: i64,
}

/// `GET /api/v1/rois?ending_within_days=`: the window asked for and the releases in it, soonest
/// end first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EndingRois {
    /// The window in days (the policy's `roi_reminder_days` unless asked otherwise).
    pub within_days: u32,
    /// The last end date in the window.
    pub until: NaiveDate,
    pub rois: Vec<EndingRoi>,
}

/// One row of the agency ROI list (`GET /api/v1/agency-rois`): an ROI naming the caller's
/// agency (every ROI for SystemAdmins), whatever its status, with its client's HMIS number and
/// name (tier 1, S-1) and where it stands today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AgencyRoi {
    pub id: RoiId,
    pub client: ClientId,
    pub hmis_number: HmisNumber,
    pub first_name: String,
    pub last_name: String,
    pub orgs: Vec<OrgId>,
    pub start: NaiveDate,
    /// The last day it is in force (inclusive).
    pub end: NaiveDate,
    pub revoked_on: Option<NaiveDate>,
    /// Where it stands today (`shared::roi_status`).
    pub status: crate::actions::RoiStatus,
}

/// `GET /api/v1/agency-rois?status=`: the day the statuses are computed on and the releases,
/// soonest end first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AgencyRois {
    pub today: NaiveDate,
    pub rois: Vec<AgencyRoi>,
}

/// One line of an MOU's impact preview, with the organizations' names (S-4, S-6). Counts only:
/// never a client's name or HMIS number (S-9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImpactRow {
    /// The organization whose users newly read (or no longer read) the records.
    pub reader: crate::api::OrgName,
    /// The organization that entered them.
    pub owner: crate::api::OrgName,
    pub kind: crate::model::RecordKind,
    pub records: u64,
    /// Distinct clients those records are about.
    pub clients: u64,
}

/// `GET /api/v1/mous/{id}/impact`: what each organization newly reads once the MOU is active
/// (`activate`), or loses once it is terminated (`terminate`), effective `on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MouImpactView {
    pub mou: MouId,
    pub change: crate::impact::MouChange,
    pub on: NaiveDate,
    /// By reader, then owner, then kind; only the lines where something changes.
    pub rows: Vec<ImpactRow>,
    /// By reader, then owner: the distinct clients of all kinds together.
    pub pairs: Vec<ImpactPair>,
}

/// The distinct clients on whom `reader` newly reads (or loses) any of `owner`'s records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ImpactPair {
    pub reader: crate::api::OrgName,
    pub owner: crate::api::OrgName,
    pub clients: u64,
}
