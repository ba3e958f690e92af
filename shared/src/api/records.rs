//! Wire types of the client records API (`/api/v1/clients/{id}/...`, `/api/v1/records/{id}`):
//! each record kind's fields, the create and update bodies, and the redacted lists (S-9).

use crate::api::{EnteredBy, OrgName};
use crate::decision::Reason;
use crate::hud::{CocCode, Destination, NoYesReasons, PriorLivingSituation, RaceEthnicitySet};
use crate::ids::{ClientId, OrgId, ProgramId, RecordId, UserId};
use crate::model::{RecordMeta, SecuritySetting};
use crate::records::{ContactKind, DocumentType, FormType, ServiceKind};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A form's answers: question key to answer text (stored as a JSON object).
pub type Answers = BTreeMap<String, String>;

/// The fields of one record, by kind. `None` on a [`RecordItem`] for records entered before the
/// per-kind tables existed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RecordDetails {
    Enrollment(EnrollmentDetails),
    Service(ServiceDetails),
    Contact(ContactDetails),
    Demographics(DemographicsDetails),
    CaseManager(CaseManagerDetails),
    Note(NoteDetails),
    Form(FormDetails),
    Attachment(AttachmentDetails),
    Photo(PhotoDetails),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct EnrollmentDetails {
    pub program_id: ProgramId,
    pub program_name: String,
    pub case_name: String,
    pub entry_date: NaiveDate,
    pub exit_date: Option<NaiveDate>,
    pub move_in_date: Option<NaiveDate>,
    /// Derived, never entered: whether the client was head of their household on the entry date
    /// (`shared::household::head_of_household`, HUD's Enrollment.RelationshipToHoH), set when the
    /// enrollment is written. ask the household, not this.
    pub head_of_household: bool,
    /// 3.917 at project start; `None`: not recorded.
    #[serde(default)]
    pub prior_living_situation: Option<PriorLivingSituation>,
    /// 3.08 at project start.
    #[serde(default)]
    pub disabling_condition: Option<NoYesReasons>,
    /// 3.16 (`NC-507`).
    #[serde(default)]
    pub enrollment_coc: Option<CocCode>,
    /// 3.12 at exit; only with an exit date.
    #[serde(default)]
    pub destination: Option<Destination>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServiceDetails {
    pub service_kind: ServiceKind,
    pub date: NaiveDate,
    pub description: String,
    pub enrollment_id: Option<RecordId>,
    pub case_management_minutes: Option<u32>,
    /// `None` when there is no note or the reader may not read it (then `note_hidden`).
    pub case_management_note: Option<String>,
    pub note_security: SecuritySetting,
    /// S-5: a note exists but its own setting withholds it from the reader.
    pub note_hidden: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ContactDetails {
    pub contact_kind: ContactKind,
    pub value: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    /// the agency that entered the row (also `meta.provenance.org`).
    pub entered_by: OrgId,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DemographicsDetails {
    /// 3.04 race and ethnicity (one multi-select); `None`: not recorded.
    #[serde(default)]
    pub race_ethnicity: Option<RaceEthnicitySet>,
    /// 3.04.2 additional race and ethnicity detail, the client's words.
    #[serde(default)]
    pub additional_race_ethnicity: Option<String>,
    pub religious_preference: Option<String>,
    pub citizenship_status: Option<String>,
    /// The free-text race answer entered before 3.04 was a code list (migration 0016), kept
    /// read-only where it did not match a code; gone once the set is next replaced (the old
    /// set stays in the record's history).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_race: Option<String>,
    /// The free-text ethnicity answer of before migration 0016, as `legacy_race`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legacy_ethnicity: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseManagerDetails {
    pub head_of_household: ClientId,
    pub agency: OrgId,
    pub program_id: ProgramId,
    pub case_manager_id: UserId,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NoteDetails {
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FormDetails {
    pub form_type: FormType,
    pub answers: Answers,
    pub security: SecuritySetting,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AttachmentDetails {
    pub document_type: DocumentType,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: u64,
    pub sha256: String,
    /// `None`: on the client profile; else the service it is attached to.
    pub service_id: Option<RecordId>,
    pub security: SecuritySetting,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PhotoDetails {
    pub content_type: String,
    pub size_bytes: u64,
    pub sha256: String,
}

/// One record the reader may see, with the read decision's reason (S-9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordItem {
    pub meta: RecordMeta,
    /// S-2: the entering user's and organization's names.
    pub entered_by: EnteredBy,
    pub title: String,
    pub detail: String,
    pub details: Option<RecordDetails>,
    pub reason: Reason,
}

/// `GET /api/v1/clients/{id}/{kind}`: the visible records of one kind (S-9: and nothing about
/// the others, unless the policy's notice names the agencies restricting some).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordList {
    pub records: Vec<RecordItem>,
    /// S-9: absent by default; with the policy's notice on, the agencies whose restricted
    /// records of this kind exist (`redact::withheld_notice`), never how many.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld_by: Option<Vec<OrgName>>,
}

/// `POST /api/v1/clients/{id}/enrollments`. The owning agency is the program's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewEnrollment {
    pub program_id: ProgramId,
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub case_name: String,
    pub entry_date: NaiveDate,
    #[serde(default)]
    pub exit_date: Option<NaiveDate>,
    #[serde(default)]
    pub move_in_date: Option<NaiveDate>,
    /// Accepted for compatibility and ignored: the household decides (see
    /// `EnrollmentDetails::head_of_household`).
    #[serde(default)]
    pub head_of_household: bool,
    /// 3.917 (e.g. `place_not_meant_for_habitation`, `emergency_shelter`).
    #[serde(default)]
    pub prior_living_situation: Option<PriorLivingSituation>,
    /// 3.08 (`no`, `yes`, `client_doesnt_know`, `client_prefers_not_to_answer`,
    /// `data_not_collected`).
    #[serde(default)]
    pub disabling_condition: Option<NoYesReasons>,
    /// 3.16 (`NC-507`).
    #[serde(default)]
    pub enrollment_coc: Option<CocCode>,
    /// 3.12; only with `exit_date`.
    #[serde(default)]
    pub destination: Option<Destination>,
}

/// `POST /api/v1/clients/{id}/services`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewService {
    pub service_kind: ServiceKind,
    pub date: NaiveDate,
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::NOTE_MAX_CHARS)))]
    pub description: String,
    #[serde(default)]
    pub enrollment_id: Option<RecordId>,
    #[serde(default)]
    pub case_management_minutes: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::NOTE_MAX_CHARS)))]
    pub case_management_note: Option<String>,
    /// Defaults to the case-note default (S-5: restricted).
    #[serde(default)]
    pub note_security: Option<SecuritySetting>,
}

/// `POST /api/v1/clients/{id}/contacts`: a contact change: a new row, end-dating the
/// rows it replaces, at the client's direction; the correction note unless declined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewContact {
    pub contact_kind: ContactKind,
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::CONTACT_VALUE_MAX_CHARS)))]
    pub value: String,
    pub start_date: NaiveDate,
    #[serde(default)]
    pub replaces: Vec<RecordId>,
    pub client_directed: bool,
    #[serde(default)]
    pub decline_note: bool,
    /// notify the AgencyAdmins of the agencies whose rows this change replaces.
    #[serde(default)]
    pub notify_owners: bool,
}

/// The answer to a contact change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ContactChangeResult {
    pub row: RecordItem,
    pub end_dated: Vec<RecordId>,
    pub left_current: Vec<RecordId>,
    pub correction_note: Option<RecordId>,
    /// agencies whose rows were replaced; the user may notify their AgencyAdmins.
    pub may_notify: Vec<OrgId>,
    /// The agencies whose AgencyAdmins were notified (`notify_owners`).
    #[serde(default)]
    pub notified: Vec<OrgId>,
}

/// `PUT /api/v1/clients/{id}/demographics`: the whole set (S-1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DemographicsInput {
    /// 3.04: one or more races, or one of `client_doesnt_know`, `client_prefers_not_to_answer`,
    /// `data_not_collected` alone.
    #[serde(default)]
    pub race_ethnicity: Option<RaceEthnicitySet>,
    /// 3.04.2: the client's own words.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::ADDITIONAL_RACE_ETHNICITY_MAX_CHARS)))]
    pub additional_race_ethnicity: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub religious_preference: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub citizenship_status: Option<String>,
}

/// `POST /api/v1/clients/{id}/case-managers`; the client is the head of household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCaseManager {
    pub program_id: ProgramId,
    pub case_manager_id: UserId,
    pub start_date: NaiveDate,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
}

/// `POST /api/v1/clients/{id}/notes`, and the update of a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::NOTE_MAX_CHARS)))]
    pub text: String,
}

/// `POST /api/v1/clients/{id}/forms`. The setting defaults to the form type's (S-5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewForm {
    pub form_type: FormType,
    pub answers: Answers,
    #[serde(default)]
    pub security: Option<SecuritySetting>,
}

/// `PATCH /api/v1/records/{id}` of an enrollment: the fields to change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EnrollmentPatch {
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub case_name: Option<String>,
    pub entry_date: Option<NaiveDate>,
    pub move_in_date: Option<NaiveDate>,
    /// Accepted for compatibility and ignored: the household decides.
    pub head_of_household: Option<bool>,
    #[serde(default)]
    pub prior_living_situation: Option<PriorLivingSituation>,
    #[serde(default)]
    pub disabling_condition: Option<NoYesReasons>,
    #[serde(default)]
    pub enrollment_coc: Option<CocCode>,
    /// 3.12; only of an exited enrollment (its exit is `POST /records/{id}/end`).
    #[serde(default)]
    pub destination: Option<Destination>,
}

/// `PATCH /api/v1/records/{id}` of a service.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ServicePatch {
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::NOTE_MAX_CHARS)))]
    pub description: Option<String>,
    pub date: Option<NaiveDate>,
    pub case_management_minutes: Option<u32>,
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::NOTE_MAX_CHARS)))]
    pub case_management_note: Option<String>,
}

/// `PATCH /api/v1/records/{id}` of a case-manager assignment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseManagerPatch {
    pub case_manager_id: Option<UserId>,
    pub start_date: Option<NaiveDate>,
}

/// `PATCH /api/v1/records/{id}` of a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FormPatch {
    pub answers: Option<Answers>,
}

/// `PATCH /api/v1/records/{id}` of an attachment (R-9: its uploader only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AttachmentPatch {
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::FILE_NAME_MAX_CHARS)))]
    pub file_name: Option<String>,
    pub document_type: Option<DocumentType>,
}

/// `PATCH /api/v1/records/{id}`: the patch of the record's kind. The server reads the body as
/// the patch of the kind of the record it changes (422 naming the field another kind's patch
/// does not have).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum RecordPatch {
    Enrollment(EnrollmentPatch),
    Service(ServicePatch),
    CaseManager(CaseManagerPatch),
    Form(FormPatch),
    Attachment(AttachmentPatch),
    Note(NoteInput),
    Demographics(DemographicsInput),
}

/// `POST /api/v1/records/{id}/end`: end-date a contact row, a case-manager assignment
/// or an enrollment (its exit, R-6). `end_date` is the inclusive last day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EndDateInput {
    pub end_date: NaiveDate,
    /// the user attests the change is made at the client's direction (contact rows).
    #[serde(default)]
    pub client_directed: bool,
    /// 3.12: where the client went, with an enrollment's exit (only enrollments have one).
    #[serde(default)]
    pub destination: Option<Destination>,
}

/// `PUT /api/v1/records/{id}/security` (S-5) of a form or attachment, or of a service's note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SecurityInput {
    pub security: SecuritySetting,
}

/// `GET /api/v1/clients/{id}/checklist`: R-9's recommended documents for a head of household and
/// R-10's programs where the household has no case manager, from what the caller may read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Checklist {
    /// Head of household today, as the client's household says (a client in no household is
    /// their own head: `shared::household::head_of_household`).
    pub head_of_household: bool,
    /// Empty when not a head of household.
    pub documents: Vec<crate::resolution::ChecklistItem>,
    pub missing_case_managers: Vec<MissingCaseManager>,
}

/// An open enrollment of the household with no current case manager of its agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MissingCaseManager {
    pub org: OrgId,
    pub program_id: ProgramId,
    pub program_name: String,
}
