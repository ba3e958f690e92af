//! P-2: the policy as data. Defaults are the SPEC; another CoC can load its own.

use crate::fields::{Field, FieldClass};
use crate::model::{RecordKind, SecuritySetting};
use crate::records::{DocumentType, FormType};
use serde::{Deserialize, Serialize};

/// The sharing tier of a record kind (SPEC section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Tier {
    /// T1: readable and editable by every organization.
    CommunityEditable,
    /// T2: readable by every organization, changeable only by the owner.
    CommunityReadOnly,
    /// T3/T4: governed by the record's own security setting.
    BySecuritySetting,
}

/// The configurable parts of the SPEC. Missing fields take the SPEC's defaults, so an older or
/// partial configuration still loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default)]
pub struct PolicyConfig {
    pub tiers: Vec<(RecordKind, Tier)>,
    /// Security setting a record of a governed kind gets when none is stored.
    pub default_security: SecuritySetting,
    /// Default length of an ROI in days (S-3: one year).
    pub roi_length_days: u32,
    /// S-3: how many days before its end an ROI in force shows on its agencies' reminder list
    /// (the home page's "releases ending soon", `GET /rois?ending_within_days=`).
    pub roi_reminder_days: u32,
    /// minimum number of contact attempts before escalation.
    pub escalation_min_attempts: u32,
    /// minimum days the attempts must span.
    pub escalation_min_days: u32,
    /// days after the agency-admin notice before the data center is reached.
    pub data_center_days: u32,
    /// the single-answer fields (legal name, date of birth, SSN).
    pub single_answer_fields: Vec<Field>,
    /// S-5: form types whose default setting is `RestrictToOrganization`; others default to
    /// `ShareWithRoiMou`.
    pub restricted_form_types: Vec<FormType>,
    /// document types whose default setting is `SharedWithAll` (the recommended documents).
    pub shared_with_all_documents: Vec<DocumentType>,
    /// P-5: consecutive failed sign-ins after which an account is locked.
    pub lockout_after_failures: u32,
    /// P-5: the first lock, in seconds; it doubles with each further failure.
    pub lockout_base_seconds: u32,
    /// P-5: the longest lock, in seconds.
    pub lockout_max_seconds: u32,
    /// S-9: lists and the profile name the agencies whose restricted records the reader may not
    /// see ("records restricted to Agency X exist": never their kind or number). Off by default:
    /// nothing hints at a hidden record.
    pub notice_of_restricted_records: bool,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        use RecordKind::*;
        Self {
            tiers: vec![
                (Intake, Tier::CommunityEditable),
                (FamilyContact, Tier::CommunityEditable),
                (Demographics, Tier::CommunityEditable),
                (Photo, Tier::CommunityEditable),
                (Enrollment, Tier::CommunityReadOnly),
                (Service, Tier::CommunityReadOnly),
                (CaseManager, Tier::CommunityReadOnly),
                (ProfileNote, Tier::CommunityReadOnly),
                (Attachment, Tier::BySecuritySetting),
                (Form, Tier::BySecuritySetting),
            ],
            default_security: SecuritySetting::ShareWithRoiMou,
            roi_length_days: 365,
            roi_reminder_days: 30,
            escalation_min_attempts: 3,
            escalation_min_days: 14,
            data_center_days: 30,
            single_answer_fields: Field::DEFAULT_SINGLE_ANSWER.to_vec(),
            restricted_form_types: FormType::RESTRICTED_BY_DEFAULT.to_vec(),
            shared_with_all_documents: DocumentType::RECOMMENDED.to_vec(),
            lockout_after_failures: 5,
            lockout_base_seconds: 60,
            lockout_max_seconds: 3600,
            notice_of_restricted_records: false,
        }
    }
}

impl PolicyConfig {
    /// The tier of a record kind; a kind the configuration forgot is governed by its setting
    /// (the most restrictive reading).
    pub fn tier(&self, kind: RecordKind) -> Tier {
        self.tiers
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, t)| *t)
            .unwrap_or(Tier::BySecuritySetting)
    }

    /// the class of a field. Contact fields are always several-answer.
    pub fn field_class(&self, field: Field) -> FieldClass {
        if field.is_contact() {
            FieldClass::SeveralAnswers
        } else if self.single_answer_fields.contains(&field) {
            FieldClass::SingleAnswer
        } else {
            FieldClass::Plain
        }
    }

    /// S-5: the default security setting of a form type.
    pub fn default_security_for_form(&self, form: FormType) -> SecuritySetting {
        if self.restricted_form_types.contains(&form) {
            SecuritySetting::RestrictToOrganization
        } else {
            SecuritySetting::ShareWithRoiMou
        }
    }

    /// S-5 / R-11: the default security setting of a service's case-management note: that of
    /// case notes (restricted to the organization by default).
    pub fn default_security_for_service_note(&self) -> SecuritySetting {
        self.default_security_for_form(FormType::CaseNotes)
    }

    /// the default security setting of an attachment of this document type.
    pub fn default_security_for_document(&self, doc: DocumentType) -> SecuritySetting {
        if self.shared_with_all_documents.contains(&doc) {
            SecuritySetting::SharedWithAll
        } else {
            SecuritySetting::ShareWithRoiMou
        }
    }

    /// P-5: how long an account is locked after its `failures`-th consecutive failed sign-in,
    /// in seconds; `None` while fewer than `lockout_after_failures`. The lock starts at
    /// `lockout_base_seconds` and doubles with each further failure, up to `lockout_max_seconds`.
    pub fn lockout_seconds(&self, failures: u32) -> Option<u32> {
        let after = self.lockout_after_failures.max(1);
        if failures < after {
            return None;
        }
        let doublings = (failures - after).min(16);
        let secs = u64::from(self.lockout_base_seconds) << doublings;
        Some(
            u32::try_from(secs)
                .unwrap_or(u32::MAX)
                .min(self.lockout_max_seconds),
        )
    }

    /// S-3: the last end date of an ROI that is "ending soon" on `today`: `within_days` days on
    /// (default: the policy's `roi_reminder_days`), inclusive.
    pub fn roi_reminder_until(
        &self,
        today: chrono::NaiveDate,
        within_days: Option<u32>,
    ) -> chrono::NaiveDate {
        let days = within_days.unwrap_or(self.roi_reminder_days);
        today
            .checked_add_days(chrono::Days::new(u64::from(days)))
            .unwrap_or(chrono::NaiveDate::MAX)
    }

    /// The ROI end date for a start date (S-3: inclusive, `roi_length_days` later).
    pub fn default_roi_end(&self, start: chrono::NaiveDate) -> chrono::NaiveDate {
        start
            .checked_add_days(chrono::Days::new(u64::from(self.roi_length_days)))
            .unwrap_or(chrono::NaiveDate::MAX)
    }
}

/// P-5: whether an account is locked at `now`: its lock (`locked_until`, set by
/// [`PolicyConfig::lockout_seconds`]) has not yet run out. A lock that ends exactly now is over.
pub fn is_locked(locked_until: Option<chrono::NaiveDateTime>, now: chrono::NaiveDateTime) -> bool {
    locked_until.is_some_and(|t| t > now)
}

/// P-5: whether a session has timed out at `now`: idle (no request) for longer than `idle`, or
/// older than `absolute` since sign-in, whatever its activity. A session exactly at a limit is
/// still valid.
pub fn session_timed_out(
    created_at: chrono::NaiveDateTime,
    last_seen_at: chrono::NaiveDateTime,
    now: chrono::NaiveDateTime,
    idle: chrono::Duration,
    absolute: chrono::Duration,
) -> bool {
    now - last_seen_at > idle || now - created_at > absolute
}

/// P-5: how long a session has left at `now` before it times out if no further request comes:
/// `(idle, absolute)`, each zero or more (see [`session_timed_out`]). The session ends at the
/// nearer of the two; only a request moves the idle one.
pub fn session_time_left(
    created_at: chrono::NaiveDateTime,
    last_seen_at: chrono::NaiveDateTime,
    now: chrono::NaiveDateTime,
    idle: chrono::Duration,
    absolute: chrono::Duration,
) -> (chrono::Duration, chrono::Duration) {
    let zero = chrono::Duration::zero();
    (
        (last_seen_at + idle - now).max(zero),
        (created_at + absolute - now).max(zero),
    )
}
