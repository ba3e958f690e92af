//! Who may change what (SPEC section 2's last column, S-3, S-5, S-6, R-4..R-6, R-9..R-12):
//! create, edit, delete (a tombstone, P-3), end-date, set a security setting, upload, and manage
//! ROIs and MOUs. Every function returns a `Decision`; anything not covered is denied.

use crate::decision::{Decision, Reason};
use crate::ids::{ClientId, OrgId, ParseError, RoiId};
use crate::model::{
    Actor, Attestation, Mou, MouParty, RecordKind, RecordMeta, Roi, Role, SecuritySetting,
    Signature,
};
use crate::policy::{PolicyConfig, Tier};
use crate::records::{AttachmentTarget, DocumentType};
use crate::sharing::{can_read, SharingContext};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Nobody changes what they may not read, nor a tombstone (P-3).
fn must_read(
    actor: &Actor,
    record: &RecordMeta,
    ctx: &SharingContext<'_>,
    today: NaiveDate,
    policy: &PolicyConfig,
) -> Option<Decision> {
    if record.deleted {
        return Some(Decision::deny(Reason::Deleted));
    }
    let read = can_read(actor, record, ctx, today, policy);
    if read.allowed {
        None
    } else {
        Some(read)
    }
}

fn owner_only(actor: &Actor, record: &RecordMeta) -> Decision {
    let owner = record.provenance.org;
    if actor.org == owner {
        Decision::allow(Reason::YourAgency)
    } else {
        Decision::deny(Reason::OnlyOwningAgency { org: owner })
    }
}

fn author_only(actor: &Actor, record: &RecordMeta) -> Decision {
    if actor.user == record.provenance.author {
        Decision::allow(Reason::YouAreTheAuthor)
    } else {
        Decision::deny(Reason::OnlyAuthor {
            author: record.provenance.author,
        })
    }
}

fn uploader_only(actor: &Actor, record: &RecordMeta) -> Decision {
    if actor.user == record.provenance.author {
        Decision::allow(Reason::YouUploaded)
    } else {
        Decision::deny(Reason::OnlyUploader {
            uploader: record.provenance.author,
        })
    }
}

/// May `actor` edit `record`? S-1 tier-1 kinds: any agency (single-answer fields are further
/// checked by [`crate::resolution::check_single_answer_change`], contact rows by
/// [`crate::resolution::plan_contact_change`]). R-12 notes: the author. R-9 attachments: the
/// uploader. Everything else (R-6 enrollments, R-10 case managers, R-11 services, forms): the
/// owning agency. SystemAdmins edit under the same rules as anyone of their agency (S-7 is read).
pub fn can_edit(
    actor: &Actor,
    record: &RecordMeta,
    ctx: &SharingContext<'_>,
    today: NaiveDate,
    policy: &PolicyConfig,
) -> Decision {
    if let Some(denied) = must_read(actor, record, ctx, today, policy) {
        return denied;
    }
    match record.kind {
        RecordKind::ProfileNote => author_only(actor, record),
        RecordKind::Attachment => uploader_only(actor, record),
        kind if policy.tier(kind) == Tier::CommunityEditable => {
            Decision::allow(Reason::CommunityEditable)
        }
        _ => owner_only(actor, record),
    }
}

/// May `actor` delete (tombstone, P-3) `record`? R-11: services never. R-12: notes by their
/// author. R-9: attachments by their uploader. R-4: contact rows are end-dated, not deleted.
/// R-6 / R-10 / forms: the owning agency. Intake, demographics and photo: not covered (denied).
pub fn can_delete(
    actor: &Actor,
    record: &RecordMeta,
    ctx: &SharingContext<'_>,
    today: NaiveDate,
    policy: &PolicyConfig,
) -> Decision {
    if record.kind == RecordKind::Service {
        return Decision::deny(Reason::ServicesAreNeverDeleted);
    }
    if let Some(denied) = must_read(actor, record, ctx, today, policy) {
        return denied;
    }
    match record.kind {
        RecordKind::Service => Decision::deny(Reason::ServicesAreNeverDeleted),
        RecordKind::ProfileNote => author_only(actor, record),
        RecordKind::Attachment => uploader_only(actor, record),
        RecordKind::FamilyContact => Decision::deny(Reason::ContactDataIsEndDated),
        RecordKind::Enrollment | RecordKind::CaseManager | RecordKind::Form => {
            owner_only(actor, record)
        }
        RecordKind::Intake | RecordKind::Demographics | RecordKind::Photo => {
            Decision::deny(Reason::NotCovered)
        }
    }
}

/// May `actor` end-date `record` (as of a date the caller chooses)? R-4: a contact row, by anyone
/// acting at the client's direction; R-5: otherwise by an AgencyAdmin of the agency that entered
/// it. R-10: a case-manager assignment, by the assigning agency. R-6: an enrollment's exit, by the
/// owning agency. Other kinds have no end date.
pub fn can_end_date(
    actor: &Actor,
    record: &RecordMeta,
    client_directed: bool,
    ctx: &SharingContext<'_>,
    today: NaiveDate,
    policy: &PolicyConfig,
) -> Decision {
    if let Some(denied) = must_read(actor, record, ctx, today, policy) {
        return denied;
    }
    match record.kind {
        RecordKind::FamilyContact => {
            if client_directed {
                Decision::allow(Reason::ClientDirected)
            } else if actor.role == Role::AgencyAdmin && actor.org == record.provenance.org {
                Decision::allow(Reason::AgencyAdminOfOwner {
                    org: record.provenance.org,
                })
            } else {
                Decision::deny(Reason::NeedsClientDirection)
            }
        }
        RecordKind::CaseManager | RecordKind::Enrollment => owner_only(actor, record),
        _ => Decision::deny(Reason::NotCovered),
    }
}

/// S-5 / R-9: is `to` allowed for this kind of record at all?
fn setting_allowed(kind: RecordKind, to: SecuritySetting) -> bool {
    match kind {
        RecordKind::Attachment => true,
        RecordKind::Form => to != SecuritySetting::SharedWithAll,
        _ => false,
    }
}

/// S-5: a setting below the default needs an AgencyAdmin of the owning agency.
fn lowering_check(
    actor: &Actor,
    owner: OrgId,
    to: SecuritySetting,
    default: SecuritySetting,
) -> Option<Decision> {
    if to.strictness() < default.strictness()
        && !(actor.role == Role::AgencyAdmin && actor.org == owner)
    {
        Some(Decision::deny(Reason::NeedsAgencyAdmin { org: owner }))
    } else {
        None
    }
}

/// May `actor` set the security setting of `record` (a form or attachment) to `to`? `default` is
/// the record's default ([`PolicyConfig::default_security_for_form`] or
/// [`PolicyConfig::default_security_for_document`]). Forms: the owning agency; attachments: the
/// uploader. Raising is always allowed to them; lowering below the default needs an
/// AgencyAdmin of the owning agency, who may do it for any of the agency's records (S-5).
pub fn can_set_security(
    actor: &Actor,
    record: &RecordMeta,
    to: SecuritySetting,
    default: SecuritySetting,
    ctx: &SharingContext<'_>,
    today: NaiveDate,
    policy: &PolicyConfig,
) -> Decision {
    if let Some(denied) = must_read(actor, record, ctx, today, policy) {
        return denied;
    }
    if !setting_allowed(record.kind, to) {
        return Decision::deny(Reason::SettingNotAllowed { setting: to });
    }
    let owner = record.provenance.org;
    if let Some(denied) = lowering_check(actor, owner, to, default) {
        return denied;
    }
    let is_agency_admin = actor.role == Role::AgencyAdmin && actor.org == owner;
    match record.kind {
        RecordKind::Attachment if to.strictness() < default.strictness() && is_agency_admin => {
            Decision::allow(Reason::YourAgency)
        }
        RecordKind::Attachment => uploader_only(actor, record),
        _ => owner_only(actor, record),
    }
}

/// A record about to be created: its kind, the agency that will own it (the actor's, or the
/// agency running the program for enrollments and case-manager assignments) and, for forms, the
/// chosen and default settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRecord {
    pub client: ClientId,
    pub kind: RecordKind,
    pub owner: OrgId,
    pub security: Option<SecuritySetting>,
    pub default_security: Option<SecuritySetting>,
}

/// May `actor` create `new`? Records are created only for the actor's own agency (nobody writes on
/// behalf of another agency, SystemAdmins included); attachments go through [`can_upload`]; a form
/// setting below its default needs an AgencyAdmin (S-5).
pub fn can_create(actor: &Actor, new: &NewRecord) -> Decision {
    if new.owner != actor.org {
        return Decision::deny(Reason::NotYourAgency { org: new.owner });
    }
    if new.kind == RecordKind::Attachment {
        return Decision::deny(Reason::NotCovered);
    }
    if let Some(to) = new.security {
        if !setting_allowed(new.kind, to) {
            return Decision::deny(Reason::SettingNotAllowed { setting: to });
        }
        let default = new.default_security.unwrap_or(to);
        if let Some(denied) = lowering_check(actor, new.owner, to, default) {
            return denied;
        }
    }
    Decision::allow(Reason::YourAgency)
}

/// An upload about to be made. `service_owner` is the owning agency of the service when the
/// target is a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upload {
    pub client: ClientId,
    pub document_type: DocumentType,
    pub target: AttachmentTarget,
    pub service_owner: Option<OrgId>,
    pub setting: SecuritySetting,
}

/// May `actor` upload `upload`? R-9: a Social Security card never, for anyone. Attaching to a
/// service is editing it: the service's owning agency. A setting below the document type's
/// default needs an AgencyAdmin (S-5).
pub fn can_upload(actor: &Actor, upload: &Upload, policy: &PolicyConfig) -> Decision {
    if upload.document_type == DocumentType::SocialSecurityCard {
        return Decision::deny(Reason::SocialSecurityCardRefused);
    }
    if let AttachmentTarget::Service(_) = upload.target {
        match upload.service_owner {
            Some(org) if org == actor.org => {}
            Some(org) => return Decision::deny(Reason::OnlyOwningAgency { org }),
            None => return Decision::deny(Reason::NotCovered),
        }
    }
    let default = policy.default_security_for_document(upload.document_type);
    if let Some(denied) = lowering_check(actor, actor.org, upload.setting, default) {
        return denied;
    }
    Decision::allow(Reason::YourAgency)
}

/// S-3: may `actor` set an ROI naming `orgs`? Any user, if the ROI names their own agency and at
/// least one other.
pub fn can_set_roi(actor: &Actor, orgs: &[OrgId]) -> Decision {
    let names_own = orgs.contains(&actor.org);
    let names_other = orgs.iter().any(|o| *o != actor.org);
    if names_own && names_other {
        Decision::allow(Reason::YourAgency)
    } else {
        Decision::deny(Reason::RoiMustNameYourAgency)
    }
}

/// S-3: may `actor` revoke `roi` on `today`? Any user of an organization named on it, while it has
/// not already been revoked or expired.
pub fn can_revoke_roi(actor: &Actor, roi: &Roi, today: NaiveDate) -> Decision {
    if roi.revoked.is_some() || today > roi.end {
        return Decision::deny(Reason::AlreadyEnded);
    }
    if roi.names(actor.org) {
        Decision::allow(Reason::YourAgency)
    } else {
        Decision::deny(Reason::NotNamedOnRoi)
    }
}

/// An ROI as entered by a user (S-3), before validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRoi {
    pub client: ClientId,
    pub orgs: Vec<OrgId>,
    pub start: NaiveDate,
    /// Defaults to `start + roi_length_days` (P-2).
    pub end: Option<NaiveDate>,
    /// The user attests that the client's signed release is on file at their agency.
    pub release_on_file: bool,
    pub document: Option<String>,
}

/// Builds the ROI `actor` sets (S-3), with the attestation; errors name the field.
pub fn new_roi(
    actor: &Actor,
    id: RoiId,
    input: NewRoi,
    today: NaiveDate,
    policy: &PolicyConfig,
) -> Result<Roi, ParseError> {
    if !can_set_roi(actor, &input.orgs).allowed {
        return Err(ParseError::new(
            "orgs",
            "must name your agency and at least one other",
        ));
    }
    if !input.release_on_file {
        return Err(ParseError::new(
            "release_on_file",
            "confirm that the client's signed release is on file at your agency",
        ));
    }
    let end = input
        .end
        .unwrap_or_else(|| policy.default_roi_end(input.start));
    crate::records::check_end("end", input.start, Some(end))?;
    let mut orgs = input.orgs;
    orgs.sort();
    orgs.dedup();
    Ok(Roi {
        id,
        client: input.client,
        orgs,
        start: input.start,
        end,
        attestation: Attestation {
            by: actor.user,
            org: actor.org,
            on: today,
        },
        document: input.document.filter(|d| !d.trim().is_empty()),
        revoked: None,
    })
}

/// S-6: may `actor` create an MOU? SystemAdmins only.
pub fn can_create_mou(actor: &Actor) -> Decision {
    if actor.role == Role::SystemAdmin {
        Decision::allow(Reason::SystemAdministrator)
    } else {
        Decision::deny(Reason::OnlySystemAdmin)
    }
}

/// S-6: may `actor` change (record signatures, attach the document, change dates) or terminate
/// `mou` on `today`? SystemAdmins only, while it is not terminated or expired.
pub fn can_change_mou(actor: &Actor, mou: &Mou, today: NaiveDate) -> Decision {
    if actor.role != Role::SystemAdmin {
        return Decision::deny(Reason::OnlySystemAdmin);
    }
    if mou.terminated.is_some() || today > mou.end {
        return Decision::deny(Reason::AlreadyEnded);
    }
    Decision::allow(Reason::SystemAdministrator)
}

/// S-6: the life stage of an MOU on a date, for the admin screens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum MouStatus {
    /// Not active yet: these signatures or the document are missing.
    Incomplete {
        missing_signatures: Vec<OrgId>,
        missing_document: bool,
    },
    NotStarted,
    Active,
    Expired,
    Terminated {
        on: NaiveDate,
    },
}

/// S-6: where `mou` stands on `on`. Active only when complete, started, not ended, not terminated.
pub fn mou_status(mou: &Mou, on: NaiveDate) -> MouStatus {
    if let Some(t) = mou.terminated.as_ref().filter(|t| t.on <= on) {
        return MouStatus::Terminated { on: t.on };
    }
    if !mou.is_complete() {
        return MouStatus::Incomplete {
            missing_signatures: mou
                .parties
                .iter()
                .filter(|p| p.signature.is_none())
                .map(|p| p.org)
                .collect(),
            missing_document: mou.document.is_none(),
        };
    }
    if on < mou.start {
        MouStatus::NotStarted
    } else if on > mou.end {
        MouStatus::Expired
    } else {
        MouStatus::Active
    }
}

/// The longest MOU name, in characters.
pub const MOU_NAME_MAX_CHARS: usize = 200;

/// S-6: validates an MOU as entered: a name (at most [`MOU_NAME_MAX_CHARS`]), two or more
/// distinct organizations, complete signatures where given, start not after end. Errors name the
/// field.
pub fn validate_mou(mou: Mou) -> Result<Mou, ParseError> {
    crate::text::single_line("name", &mou.name, MOU_NAME_MAX_CHARS)?;
    let mut orgs: Vec<OrgId> = mou.parties.iter().map(|p| p.org).collect();
    orgs.sort();
    orgs.dedup();
    if orgs.len() != mou.parties.len() {
        return Err(ParseError::new("parties", "an organization is named twice"));
    }
    if orgs.len() < 2 {
        return Err(ParseError::new(
            "parties",
            "must name two or more organizations",
        ));
    }
    for MouParty { signature, .. } in &mou.parties {
        if let Some(sig) = signature {
            crate::text::person_name(
                "signature.name",
                &sig.name,
                crate::text::PERSON_NAME_MAX_CHARS,
            )?;
            crate::text::single_line(
                "signature.title",
                &sig.title,
                crate::text::SHORT_TEXT_MAX_CHARS,
            )?;
        }
    }
    crate::records::check_end("end", mou.start, Some(mou.end))?;
    Ok(mou)
}

/// S-6: `mou` as it is once `org`'s head has signed it with `signature` on `today`: the signature
/// is complete (name and title), dated no later than today, and the MOU still valid
/// ([`validate_mou`]). Errors name the field of the signature (`name`, `title`, `date`).
pub fn parse_mou_signature(
    mou: &Mou,
    org: OrgId,
    signature: Signature,
    today: NaiveDate,
) -> Result<Mou, ParseError> {
    let date = signature.date;
    let mut signed = mou.clone();
    for p in signed.parties.iter_mut().filter(|p| p.org == org) {
        p.signature = Some(signature.clone());
    }
    let signed = validate_mou(signed).map_err(|e| ParseError {
        field: e.field.trim_start_matches("signature.").to_owned(),
        reason: e.reason,
    })?;
    crate::dates::check("date", crate::dates::DateKind::Recorded, date, today)?;
    Ok(signed)
}

/// S-6: the day an early termination takes effect: `date`, by default `today`, and never in the
/// past (decisions already made stay explained by the record). Errors name `date`.
pub fn parse_mou_termination(
    date: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<NaiveDate, ParseError> {
    let on = date.unwrap_or(today);
    crate::dates::check("date", crate::dates::DateKind::Release, on, today)?;
    if on < today {
        return Err(ParseError::new("date", "cannot be in the past"));
    }
    Ok(on)
}

/// S-3: may `actor` attach the scan of the client's signed release to `roi` on `today`? Only a
/// user of the agency that attested the release is on file (it holds the paper), once, while the
/// ROI has not been revoked or expired. A wrong scan is not replaced: revoke and set a new ROI.
pub fn can_attach_roi_document(actor: &Actor, roi: &Roi, today: NaiveDate) -> Decision {
    if roi.revoked.is_some() || today > roi.end {
        return Decision::deny(Reason::AlreadyEnded);
    }
    if actor.org != roi.attestation.org {
        return Decision::deny(Reason::OnlyAttestingAgency {
            org: roi.attestation.org,
        });
    }
    if roi.document.is_some() {
        return Decision::deny(Reason::DocumentAlreadyAttached);
    }
    Decision::allow(Reason::YourAgency)
}

/// S-3 / S-7 / S-8: may `actor` see `roi` (and its scan)? Users of an organization named on it,
/// and SystemAdmins. The same set [`crate::sharing::releases_for`] sends to the browser.
pub fn can_see_roi(actor: &Actor, roi: &Roi) -> Decision {
    if actor.role == Role::SystemAdmin {
        Decision::allow(Reason::SystemAdministrator)
    } else if roi.names(actor.org) {
        Decision::allow(Reason::YourAgency)
    } else {
        Decision::deny(Reason::NotNamedOnRoi)
    }
}

/// S-3 / P-2: whether `roi` belongs on `actor`'s list of releases ending soon on `today`: one
/// the actor may see ([`can_see_roi`]) that names the actor's own agency, in force today, and
/// ending on or before `until` ([`PolicyConfig::roi_reminder_until`]).
pub fn roi_ending_soon(actor: &Actor, roi: &Roi, today: NaiveDate, until: NaiveDate) -> bool {
    can_see_roi(actor, roi).allowed
        && roi.names(actor.org)
        && roi.is_active(today)
        && roi.end <= until
}

/// S-6: may `actor` record `mou`'s signed document? As any change ([`can_change_mou`]), and only
/// once: the attached document is the record of what was signed.
pub fn can_attach_mou_document(actor: &Actor, mou: &Mou, today: NaiveDate) -> Decision {
    let change = can_change_mou(actor, mou, today);
    if !change.allowed {
        return change;
    }
    if mou.document.is_some() {
        return Decision::deny(Reason::DocumentAlreadyAttached);
    }
    change
}

/// S-6: may `actor` record `org`'s signature on `mou`? As any change, for a named organization
/// that has not signed yet (a recorded signature is not rewritten).
pub fn can_sign_mou(actor: &Actor, mou: &Mou, org: OrgId, today: NaiveDate) -> Decision {
    let change = can_change_mou(actor, mou, today);
    if !change.allowed {
        return change;
    }
    match mou.parties.iter().find(|p| p.org == org) {
        None => Decision::deny(Reason::NotNamedOnMou { org }),
        Some(p) if p.signature.is_some() => Decision::deny(Reason::AlreadySigned { org }),
        Some(_) => change,
    }
}

/// S-6: may `actor` read `mou`'s signed document? SystemAdmins and users of a named organization.
/// Everyone signed in may know an MOU exists and where it stands; only they read the paper.
pub fn can_read_mou_document(actor: &Actor, mou: &Mou) -> Decision {
    if actor.role == Role::SystemAdmin {
        Decision::allow(Reason::SystemAdministrator)
    } else if mou.names(actor.org) {
        Decision::allow(Reason::YourAgency)
    } else {
        Decision::deny(Reason::NotNamedOnMou { org: actor.org })
    }
}

/// P-2 / S-3: is `roi`'s "ending soon" reminder due on `today`? When it is in force today and
/// ends within the policy's `roi_reminder_days` ([`PolicyConfig::roi_reminder_until`]): the
/// same window as [`roi_ending_soon`]. A revoked or expired ROI, or one not started, never is.
/// The server sends it once per ROI (migration 0019 remembers it).
pub fn roi_reminder_due(roi: &Roi, today: NaiveDate, policy: &PolicyConfig) -> bool {
    roi.is_active(today) && roi.end <= policy.roi_reminder_until(today, None)
}

/// P-2 / R-13: the reminders `roi` raises on `today`, if due ([`roi_reminder_due`]): one to
/// the user who set it (attested the signed release is on file) and one to their agency's
/// AgencyAdmins, naming the client by `hmis` only. Empty when not due. A user who is both (an
/// AgencyAdmin who set it) is one recipient: the server stores one notification per user.
pub fn roi_reminders(
    roi: &Roi,
    hmis: &crate::ids::HmisNumber,
    today: NaiveDate,
    policy: &PolicyConfig,
) -> Vec<crate::notify::Notification> {
    use crate::notify::{Message, Notification, Recipient};
    if !roi_reminder_due(roi, today, policy) {
        return Vec::new();
    }
    let message = Message::RoiEndingSoon {
        roi: roi.id,
        client: roi.client,
        end: roi.end,
        org: roi.attestation.org,
    };
    [
        Recipient::User {
            user: roi.attestation.by,
        },
        Recipient::AgencyAdmins {
            org: roi.attestation.org,
        },
    ]
    .into_iter()
    .map(|to| Notification::new(to, hmis.clone(), message.clone()))
    .collect()
}

/// Where an ROI stands on a day, for the agency's list of releases and the client's consent
/// history (S-3; the "ending soon" window is P-2's `roi_reminder_days`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum RoiStatus {
    /// Starts later.
    NotStarted,
    /// In force, ending after the reminder window.
    Active,
    /// In force and ending within the reminder window: `days_left` days (0: ends today).
    EndingSoon { days_left: i64 },
    /// Its end date has passed.
    Expired,
    /// Revoked (on or before the day asked about).
    Revoked,
}

impl RoiStatus {
    /// The kinds a list filters by, in their display order.
    pub const FILTERS: [&'static str; 5] =
        ["active", "ending_soon", "expired", "revoked", "not_started"];

    /// The status's stable name (`FILTERS`).
    pub fn key(self) -> &'static str {
        match self {
            RoiStatus::NotStarted => "not_started",
            RoiStatus::Active => "active",
            RoiStatus::EndingSoon { .. } => "ending_soon",
            RoiStatus::Expired => "expired",
            RoiStatus::Revoked => "revoked",
        }
    }

    /// What a user reads: "Active", "Ends in 12 days", "Ends today", "Expired", "Revoked".
    pub fn label(self) -> String {
        match self {
            RoiStatus::NotStarted => "Not started".to_owned(),
            RoiStatus::Active => "Active".to_owned(),
            RoiStatus::EndingSoon { days_left: 0 } => "Ends today".to_owned(),
            RoiStatus::EndingSoon { days_left: 1 } => "Ends tomorrow".to_owned(),
            RoiStatus::EndingSoon { days_left } => format!("Ends in {days_left} days"),
            RoiStatus::Expired => "Expired".to_owned(),
            RoiStatus::Revoked => "Revoked".to_owned(),
        }
    }
}

/// S-3 / P-2: `roi`'s status on `today` ([`RoiStatus`]). Revocation wins over expiry.
pub fn roi_status(roi: &Roi, today: NaiveDate, policy: &PolicyConfig) -> RoiStatus {
    if roi.revoked.as_ref().is_some_and(|r| r.on <= today) {
        RoiStatus::Revoked
    } else if today > roi.end {
        RoiStatus::Expired
    } else if today < roi.start {
        RoiStatus::NotStarted
    } else if roi_reminder_due(roi, today, policy) {
        RoiStatus::EndingSoon {
            days_left: (roi.end - today).num_days(),
        }
    } else {
        RoiStatus::Active
    }
}

/// S-3 / S-7: may `actor` list the releases of information across an agency (the agency ROI
/// list)? Everyone signed in may, for the ROIs naming their own agency (each one they could see
/// on the client file anyway, [`can_see_roi`]); SystemAdmins, every agency's. Which ROIs: those
/// [`roi_in_agency_list`] keeps.
pub fn can_list_agency_rois(actor: &Actor) -> Decision {
    match actor.role {
        Role::SystemAdmin => Decision::allow(Reason::SystemAdministrator),
        Role::AgencyAdmin | Role::Caseworker => Decision::allow(Reason::YourAgency),
    }
}

/// S-3 / S-7: whether `roi` belongs on `actor`'s agency ROI list: every ROI for a
/// SystemAdmin, else those naming the actor's agency (the same as [`can_see_roi`]).
pub fn roi_in_agency_list(actor: &Actor, roi: &Roi) -> bool {
    can_list_agency_rois(actor).allowed && can_see_roi(actor, roi).allowed
}

/// S-6: may `actor` preview what activating or terminating an MOU would release or withdraw
/// (`crate::impact`)? SystemAdmins only, like every change to an MOU: the preview counts every
/// agency's records.
pub fn can_preview_mou_impact(actor: &Actor) -> Decision {
    can_create_mou(actor)
}
