//! The client records the resolution rules look inside: enrollments, services,
//! case-manager assignments, profile notes, attachments and their document types
//! forms (S-5) and effective-dated contact rows. Each carries its `RecordMeta`.

use crate::fields::Field;
use crate::ids::{ClientId, OrgId, ParseError, ProgramId, RecordId, UserId};
use crate::model::{RecordKind, RecordMeta};
use crate::text;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Anything stored with provenance: what redaction (S-9) and every decision look at.
pub trait HasMeta {
    fn meta(&self) -> &RecordMeta;
}

impl HasMeta for RecordMeta {
    fn meta(&self) -> &RecordMeta {
        self
    }
}

impl<T: HasMeta + ?Sized> HasMeta for &T {
    fn meta(&self) -> &RecordMeta {
        (**self).meta()
    }
}

/// A date range's end (inclusive; `None`: open) is not before its start; the error names
/// `field`. Every effective-dated row and release uses this one check.
pub fn check_end(
    field: &'static str,
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Result<(), ParseError> {
    if end.is_some_and(|e| e < start) {
        return Err(ParseError::new(field, "cannot be before the start date"));
    }
    Ok(())
}

/// Whether `on` falls in the range from `start` to `end` (inclusive; `None`: open).
pub fn is_within(start: NaiveDate, end: Option<NaiveDate>, on: NaiveDate) -> bool {
    start <= on && end.is_none_or(|e| on <= e)
}

fn check_kind(meta: &RecordMeta, kind: RecordKind) -> Result<(), ParseError> {
    if meta.kind == kind {
        Ok(())
    } else {
        Err(ParseError::new(
            "kind",
            format!("expected a {} record", kind.label()),
        ))
    }
}

/// HUD project types (2.02.6): the one list, in `hud`.
pub use crate::hud::ProjectType;

/// The dates of one enrollment. Built unchecked from storage so that R-7 can report
/// impossible dates entered elsewhere; [`EnrollmentDates::parse`] validates new input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrollmentDates {
    pub record: RecordId,
    pub org: OrgId,
    pub program: ProgramId,
    pub project_type: ProjectType,
    pub entry: NaiveDate,
    pub exit: Option<NaiveDate>,
    pub move_in: Option<NaiveDate>,
}

impl EnrollmentDates {
    /// Validates user input: exit not before entry; move-in only for permanent housing, within
    /// the stay.
    pub fn parse(self) -> Result<Self, ParseError> {
        if let Some(exit) = self.exit {
            if exit < self.entry {
                return Err(ParseError::new(
                    "exit_date",
                    "cannot be before the entry date",
                ));
            }
        }
        if let Some(m) = self.move_in {
            if !self.project_type.is_permanent_housing() {
                return Err(ParseError::new(
                    "move_in_date",
                    "only permanent housing projects record a housing move-in date",
                ));
            }
            if m < self.entry {
                return Err(ParseError::new(
                    "move_in_date",
                    "cannot be before the entry date",
                ));
            }
            if self.exit.is_some_and(|x| m > x) {
                return Err(ParseError::new(
                    "move_in_date",
                    "cannot be after the exit date",
                ));
            }
        }
        Ok(self)
    }
}

/// An enrollment (entry/exit) of a client in a program (S-2, R-6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrollment {
    pub meta: RecordMeta,
    pub case_name: String,
    pub program_name: String,
    pub dates: EnrollmentDates,
}

impl HasMeta for Enrollment {
    fn meta(&self) -> &RecordMeta {
        &self.meta
    }
}

/// The three kinds of service record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ServiceKind {
    Need,
    Transaction,
    Referral,
}

/// A need, service transaction or referral (S-2, R-11), with an optional case-management note
/// and time; the note text follows its own security setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub meta: RecordMeta,
    pub service_kind: ServiceKind,
    pub date: NaiveDate,
    pub description: String,
    pub case_management_minutes: Option<u32>,
    pub case_management_note: Option<String>,
    /// The setting of the case-management note (S-5 default for case notes: restricted).
    pub note_security: crate::model::SecuritySetting,
}

impl HasMeta for Service {
    fn meta(&self) -> &RecordMeta {
        &self.meta
    }
}

impl Service {
    pub fn parse(self) -> Result<Self, ParseError> {
        check_kind(&self.meta, RecordKind::Service)?;
        text::multi_line("description", &self.description, text::NOTE_MAX_CHARS)?;
        text::optional(
            "case_management_note",
            self.case_management_note.as_deref(),
            |f, n| text::multi_line(f, n, text::NOTE_MAX_CHARS),
        )?;
        if self.case_management_minutes.is_some_and(|m| m > 24 * 60) {
            return Err(ParseError::new(
                "case_management_minutes",
                "at most 1440 minutes (one day)",
            ));
        }
        Ok(self)
    }

    /// The meta the case-management note is judged by: the service's, with the note's setting
    /// and governed by it as if it were a form (S-5).
    pub fn note_meta(&self) -> RecordMeta {
        RecordMeta {
            kind: RecordKind::Form,
            security: Some(self.note_security),
            ..self.meta
        }
    }
}

/// The case manager of a head of household for one agency/program.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseManagerAssignment {
    pub meta: RecordMeta,
    pub head_of_household: ClientId,
    pub program: ProgramId,
    pub case_manager: UserId,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

impl HasMeta for CaseManagerAssignment {
    fn meta(&self) -> &RecordMeta {
        &self.meta
    }
}

impl CaseManagerAssignment {
    pub fn parse(self) -> Result<Self, ParseError> {
        check_kind(&self.meta, RecordKind::CaseManager)?;
        check_end("end_date", self.start, self.end)?;
        Ok(self)
    }

    pub fn is_current(&self, on: NaiveDate) -> bool {
        is_within(self.start, self.end, on)
    }
}

/// the case manager an assignment names is a user of the agency running the program,
/// which makes the assignment. `case_manager_org` is the organization of the named user (`None`:
/// no such user). Errors name `case_manager_id`.
pub fn check_case_manager_agency(
    case_manager_org: Option<OrgId>,
    agency: OrgId,
) -> Result<(), ParseError> {
    if case_manager_org == Some(agency) {
        Ok(())
    } else {
        Err(ParseError::new(
            "case_manager_id",
            "must be a user of the agency running the program",
        ))
    }
}

/// The answers of a form (an assessment): at most [`text::FORM_MAX_ANSWERS`], each keyed by a
/// single-line name of 1 to [`text::FORM_KEY_MAX_CHARS`] characters with a multi-line answer
/// (possibly empty) of at most [`text::FORM_ANSWER_MAX_CHARS`]. Errors name `answers`.
pub fn check_answers(
    answers: &std::collections::BTreeMap<String, String>,
) -> Result<(), ParseError> {
    if answers.len() > text::FORM_MAX_ANSWERS {
        return Err(ParseError::new(
            "answers",
            format!("at most {} answers", text::FORM_MAX_ANSWERS),
        ));
    }
    for (k, v) in answers {
        let fault = |e: text::TextError, what: &str| {
            ParseError::new("answers", format!("{what}: {}", e.fault))
        };
        text::single_line("answers", k, text::FORM_KEY_MAX_CHARS)
            .map_err(|e| fault(e, "a question's key"))?;
        text::optional("answers", Some(v), |f, a| {
            text::multi_line(f, a, text::FORM_ANSWER_MAX_CHARS)
        })
        .map_err(|e| fault(e, "an answer"))?;
    }
    Ok(())
}

/// A note on the client profile: conflict notes, correction notes, general notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileNote {
    pub meta: RecordMeta,
    pub text: String,
}

impl HasMeta for ProfileNote {
    fn meta(&self) -> &RecordMeta {
        &self.meta
    }
}

impl ProfileNote {
    pub fn parse(self) -> Result<Self, ParseError> {
        check_kind(&self.meta, RecordKind::ProfileNote)?;
        text::multi_line("text", &self.text, text::NOTE_MAX_CHARS)?;
        Ok(self)
    }
}

/// A note the rules ask the server to create (R-3 escalation, R-5 correction), before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteDraft {
    pub client: ClientId,
    pub text: String,
}

/// The type of an uploaded document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum DocumentType {
    BirthCertificate,
    ThirdPartyHomelessnessVerification,
    /// Leave out any specific diagnosis.
    DisabilityVerification,
    /// Always refused.
    SocialSecurityCard,
    /// A notice that the agency holds an SSN card copy and invites contact (R-9's alternative).
    SsnCopyOnFileNotice,
    PhotoId,
    IncomeVerification,
    ServiceAgreement,
    ReleaseOfInformation,
    Other,
}

impl DocumentType {
    /// the documents recommended on the profile of every head of household.
    pub const RECOMMENDED: [DocumentType; 3] = [
        DocumentType::BirthCertificate,
        DocumentType::ThirdPartyHomelessnessVerification,
        DocumentType::DisabilityVerification,
    ];

    pub fn label(self) -> &'static str {
        match self {
            DocumentType::BirthCertificate => "Birth certificate",
            DocumentType::ThirdPartyHomelessnessVerification => {
                "Third-party verification of homelessness"
            }
            DocumentType::DisabilityVerification => "Verification of disability",
            DocumentType::SocialSecurityCard => "Social Security card",
            DocumentType::SsnCopyOnFileNotice => "Notice: SSN card copy on file",
            DocumentType::PhotoId => "Photo ID",
            DocumentType::IncomeVerification => "Income verification",
            DocumentType::ServiceAgreement => "Service agreement",
            DocumentType::ReleaseOfInformation => "Signed release of information",
            DocumentType::Other => "Other document",
        }
    }
}

/// Where an attachment hangs: the client profile or a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AttachmentTarget {
    ClientProfile,
    Service(RecordId),
}

/// An attachment's metadata; the file itself is stored elsewhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentMeta {
    pub meta: RecordMeta,
    pub document_type: DocumentType,
    pub file_name: String,
    pub target: AttachmentTarget,
}

impl HasMeta for AttachmentMeta {
    fn meta(&self) -> &RecordMeta {
        &self.meta
    }
}

impl AttachmentMeta {
    /// Refuses Social Security cards and file names `text::file_name` refuses.
    pub fn parse(self) -> Result<Self, ParseError> {
        check_kind(&self.meta, RecordKind::Attachment)?;
        if self.document_type == DocumentType::SocialSecurityCard {
            return Err(ParseError::new(
                "document_type",
                "a Social Security card is never uploaded; attach a notice that your agency \
                 holds a copy instead",
            ));
        }
        text::file_name("file_name", &self.file_name)?;
        Ok(self)
    }
}

/// Assessment and other form types; the sensitive ones default to `RestrictToOrganization` (S-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FormType {
    CaseNotes,
    HmisBarriers,
    Health,
    Addictions,
    Legal,
    DomesticViolence,
    Income,
    Employment,
    Housing,
    Other,
}

impl FormType {
    /// S-5: the form types whose default is `RestrictToOrganization`.
    pub const RESTRICTED_BY_DEFAULT: [FormType; 6] = [
        FormType::CaseNotes,
        FormType::HmisBarriers,
        FormType::Health,
        FormType::Addictions,
        FormType::Legal,
        FormType::DomesticViolence,
    ];
}

/// The kind of a contact row: the several-answer fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ContactKind {
    Address,
    Phone,
    Email,
    EmergencyContact,
}

impl ContactKind {
    pub fn label(self) -> &'static str {
        match self {
            ContactKind::Address => "address",
            ContactKind::Phone => "phone",
            ContactKind::Email => "email",
            ContactKind::EmergencyContact => "emergency contact",
        }
    }

    /// the several-answer intake field this kind of contact row holds.
    pub fn field(self) -> Field {
        match self {
            ContactKind::Address => Field::Address,
            ContactKind::Phone => Field::Phone,
            ContactKind::Email => Field::Email,
            ContactKind::EmergencyContact => Field::EmergencyContact,
        }
    }
}

/// One effective-dated contact row: never overwritten, only end-dated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactRow {
    pub meta: RecordMeta,
    pub contact_kind: ContactKind,
    pub value: String,
    pub start: NaiveDate,
    /// Inclusive last day; `None` while current.
    pub end: Option<NaiveDate>,
}

impl HasMeta for ContactRow {
    fn meta(&self) -> &RecordMeta {
        &self.meta
    }
}

impl ContactRow {
    /// validates a row's dates (its value is validated when entered,
    /// [`parse_contact_value`]): an end date is not before the start date. Errors name
    /// `end_date`.
    pub fn parse(self) -> Result<Self, ParseError> {
        check_kind(&self.meta, RecordKind::FamilyContact)?;
        check_end("end_date", self.start, self.end)?;
        Ok(self)
    }

    pub fn is_current(&self, on: NaiveDate) -> bool {
        is_within(self.start, self.end, on)
    }
}

/// Validates a contact value for its kind; the error names the field.
pub fn parse_contact_value(kind: ContactKind, value: &str) -> Result<String, ParseError> {
    let v = value.trim();
    let field = kind.label();
    text::single_line(field, v, text::CONTACT_VALUE_MAX_CHARS)?;
    match kind {
        ContactKind::Email => {
            let mut parts = v.splitn(2, '@');
            let local = parts.next().unwrap_or("");
            let domain = parts.next().unwrap_or("");
            if local.is_empty() || !domain.contains('.') || v.contains(' ') {
                return Err(ParseError::new(field, "must look like name@example.org"));
            }
        }
        ContactKind::Phone => {
            let digits = v.chars().filter(char::is_ascii_digit).count();
            let ok = v
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().x".contains(c));
            if !ok || !(7..=15).contains(&digits) {
                return Err(ParseError::new(
                    field,
                    "must be a phone number of 7 to 15 digits",
                ));
            }
        }
        ContactKind::Address | ContactKind::EmergencyContact => {}
    }
    Ok(v.to_owned())
}
