//! The domain model of SPEC sections 1 and 2: roles, actors, record kinds, security settings,
//! provenance, releases of information (ROIs) and memoranda of understanding (MOUs).

use crate::ids::{ClientId, MouId, OrgId, RecordId, RoiId, UserId};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// The three roles of SPEC section 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Role {
    Caseworker,
    AgencyAdmin,
    SystemAdmin,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Caseworker => "Caseworker",
            Role::AgencyAdmin => "Agency administrator",
            Role::SystemAdmin => "System administrator",
        }
    }
}

/// Who is acting: the subject of every decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Actor {
    pub user: UserId,
    pub org: OrgId,
    pub role: Role,
}

/// The record kinds of SPEC section 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum RecordKind {
    Intake,
    FamilyContact,
    Demographics,
    Photo,
    Enrollment,
    Service,
    CaseManager,
    ProfileNote,
    Attachment,
    Form,
}

impl RecordKind {
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::Intake => "Intake",
            RecordKind::FamilyContact => "Family and contact",
            RecordKind::Demographics => "Demographics",
            RecordKind::Photo => "Photo",
            RecordKind::Enrollment => "Enrollment",
            RecordKind::Service => "Service",
            RecordKind::CaseManager => "Case manager",
            RecordKind::ProfileNote => "Profile note",
            RecordKind::Attachment => "Attachment",
            RecordKind::Form => "Form",
        }
    }
}

/// Security setting of forms and attachments (SPEC S-3..S-5, R-9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum SecuritySetting {
    /// Readable by every organization (attachments only, R-9).
    SharedWithAll,
    /// Readable by other organizations under an active ROI or MOU (S-3, S-4).
    ShareWithRoiMou,
    /// Readable only by the owning organization (and SystemAdmins, S-7).
    RestrictToOrganization,
}

impl SecuritySetting {
    /// Higher is more restrictive.
    pub fn strictness(self) -> u8 {
        match self {
            SecuritySetting::SharedWithAll => 0,
            SecuritySetting::ShareWithRoiMou => 1,
            SecuritySetting::RestrictToOrganization => 2,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SecuritySetting::SharedWithAll => "Shared with all agencies",
            SecuritySetting::ShareWithRoiMou => "Shared under ROI or MOU",
            SecuritySetting::RestrictToOrganization => "Restricted to own agency",
        }
    }
}

/// Who created a record, where and when (SPEC section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Provenance {
    pub org: OrgId,
    pub author: UserId,
    /// Written by `timefmt` (the same text as chrono's, more cheaply: every record carries one).
    #[serde(serialize_with = "crate::timefmt::serialize")]
    pub created_at: NaiveDateTime,
}

/// What the rules need to know about one stored record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordMeta {
    pub id: RecordId,
    pub client: ClientId,
    pub kind: RecordKind,
    pub provenance: Provenance,
    /// Present for forms and attachments; ignored for the other kinds, whose tier is fixed.
    pub security: Option<SecuritySetting>,
    /// Tombstoned (P-3): hidden from everyone but SystemAdmins.
    pub deleted: bool,
}

/// The setting user's attestation that the client's signed release is on file at their agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Attestation {
    pub by: UserId,
    pub org: OrgId,
    pub on: NaiveDate,
}

/// A revocation of an ROI or termination of an MOU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Revocation {
    pub by: UserId,
    pub on: NaiveDate,
}

/// A release of information for one client among named organizations (S-3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Roi {
    pub id: RoiId,
    pub client: ClientId,
    /// Always includes the attesting user's organization.
    pub orgs: Vec<OrgId>,
    pub start: NaiveDate,
    /// Inclusive: the ROI is active on its end date.
    pub end: NaiveDate,
    pub attestation: Attestation,
    /// A reference to the attached scan, if any.
    pub document: Option<String>,
    pub revoked: Option<Revocation>,
}

impl Roi {
    /// Active from its start date up to and including its end date, unless revoked on or before `on`.
    pub fn is_active(&self, on: NaiveDate) -> bool {
        let revoked = self.revoked.as_ref().is_some_and(|r| r.on <= on);
        !revoked && self.start <= on && on <= self.end
    }

    pub fn names(&self, org: OrgId) -> bool {
        self.orgs.contains(&org)
    }
}

/// One organization's head's signature on an MOU (S-6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Signature {
    pub name: String,
    pub title: String,
    pub date: NaiveDate,
}

/// One party of an MOU and its signature, if recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MouParty {
    pub org: OrgId,
    pub signature: Option<Signature>,
}

/// A memorandum of understanding among two or more organizations, covering every client (S-4, S-6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Mou {
    pub id: MouId,
    pub name: String,
    pub parties: Vec<MouParty>,
    /// A reference to the signed document, once attached.
    pub document: Option<String>,
    pub start: NaiveDate,
    /// Inclusive.
    pub end: NaiveDate,
    pub terminated: Option<Revocation>,
}

impl Mou {
    /// Every named organization has signed and the signed document is attached.
    pub fn is_complete(&self) -> bool {
        self.parties.len() >= 2
            && self.parties.iter().all(|p| p.signature.is_some())
            && self.document.is_some()
    }

    /// Complete, within its dates, and not terminated on or before `on`.
    pub fn is_active(&self, on: NaiveDate) -> bool {
        let terminated = self.terminated.as_ref().is_some_and(|t| t.on <= on);
        self.is_complete() && !terminated && self.start <= on && on <= self.end
    }

    pub fn names(&self, org: OrgId) -> bool {
        self.parties.iter().any(|p| p.org == org)
    }
}
