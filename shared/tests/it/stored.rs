//! The stable texts of `shared::stored`: every enum that is stored in a column or written into
//! the audit log (P-4) round-trips `as_str` -> `from_str`, and its texts are the ones existing rows
//! hold (the variants' names, as the server always stored them). A failing table here means a
//! migration on both backends, not a new expectation.

use crate::common::d;
use shared::api::resolution::ContactOutcome;
use shared::records::{ContactKind, DocumentType, FormType, ServiceKind};
use shared::resolution::{
    AgreedValue, AttemptOutcome, ConflictState, ConflictStep, ContactAttempt, ContactMethod,
    EntryExitIssue,
};
use shared::*;
use std::fmt::Debug;
use std::str::FromStr;

/// Every value of `all` is stored as the text in `table` (in the same order) and reads back.
fn pinned<T>(all: &[T], table: &[&str], as_str: fn(T) -> &'static str)
where
    T: Copy + Debug + PartialEq + FromStr<Err = ParseError>,
{
    let texts: Vec<&str> = all.iter().map(|v| as_str(*v)).collect();
    assert_eq!(texts, table);
    for v in all {
        assert_eq!(as_str(*v).parse::<T>(), Ok(*v), "{v:?}");
    }
}

#[test]
fn p4_the_stored_texts_of_every_enum_are_the_stable_ones() {
    pinned(
        &Role::ALL,
        &["Caseworker", "AgencyAdmin", "SystemAdmin"],
        Role::as_str,
    );
    pinned(
        &RecordKind::ALL,
        &[
            "Intake",
            "FamilyContact",
            "Demographics",
            "Photo",
            "Enrollment",
            "Service",
            "CaseManager",
            "ProfileNote",
            "Attachment",
            "Form",
        ],
        RecordKind::as_str,
    );
    pinned(
        &SecuritySetting::ALL,
        &["SharedWithAll", "ShareWithRoiMou", "RestrictToOrganization"],
        SecuritySetting::as_str,
    );
    pinned(
        &Field::ALL,
        &[
            "LegalFirstName",
            "LegalMiddleName",
            "LegalLastName",
            "DateOfBirth",
            "Ssn",
            "Gender",
            "MaritalStatus",
            "Ethnicity",
            "Race",
            "ReligiousPreference",
            "CitizenshipStatus",
            "Address",
            "Phone",
            "Email",
            "EmergencyContact",
            "Sex",
            "VeteranStatus",
        ],
        Field::as_str,
    );
    pinned(
        &shared::intake::MaritalStatus::ALL,
        &[
            "never_married",
            "married",
            "domestic_partnership",
            "separated",
            "divorced",
            "widowed",
            "client_doesnt_know",
            "client_prefers_not_to_answer",
            "data_not_collected",
        ],
        shared::intake::MaritalStatus::as_str,
    );
    pinned(
        &DocumentationType::ALL,
        &[
            "BirthCertificate",
            "SocialSecurityAdministrationLetter",
            "SocialSecurityCard",
            "StateId",
            "Passport",
            "CourtOrder",
            "OtherGovernmentDocument",
        ],
        DocumentationType::as_str,
    );
    pinned(
        &ServiceKind::ALL,
        &["Need", "Transaction", "Referral"],
        ServiceKind::as_str,
    );
    pinned(
        &ContactKind::ALL,
        &["Address", "Phone", "Email", "EmergencyContact"],
        ContactKind::as_str,
    );
    pinned(
        &FormType::ALL,
        &[
            "CaseNotes",
            "HmisBarriers",
            "Health",
            "Addictions",
            "Legal",
            "DomesticViolence",
            "Income",
            "Employment",
            "Housing",
            "Other",
        ],
        FormType::as_str,
    );
    pinned(
        &DocumentType::ALL,
        &[
            "BirthCertificate",
            "ThirdPartyHomelessnessVerification",
            "DisabilityVerification",
            "SocialSecurityCard",
            "SsnCopyOnFileNotice",
            "PhotoId",
            "IncomeVerification",
            "ServiceAgreement",
            "ReleaseOfInformation",
            "Other",
        ],
        DocumentType::as_str,
    );
    pinned(
        &ContactMethod::ALL,
        &["Phone", "Email", "InPerson", "HmisMessage", "Other"],
        ContactMethod::as_str,
    );
    pinned(
        &ContactOutcome::ALL,
        &["no_answer", "left_message", "reached"],
        ContactOutcome::as_str,
    );
    pinned(
        &EntryExitIssue::ALL,
        &[
            "ExitBeforeEntry",
            "MoveInOutsideStay",
            "MoveInWithoutHousing",
            "HousedDuringResidentialStay",
            "OverlappingResidentialStays",
            "OverlappingHousedPeriods",
            "DuplicateEnrollment",
        ],
        EntryExitIssue::as_str,
    );
}

#[test]
fn an_unknown_text_is_a_parse_error_naming_the_field_and_the_accepted_texts() {
    assert_eq!(
        "caseworker".parse::<Role>(),
        Err(ParseError::new(
            "role",
            "must be one of Caseworker, AgencyAdmin, SystemAdmin"
        ))
    );
    assert_eq!(
        "Public".parse::<SecuritySetting>().unwrap_err().reason,
        "must be one of SharedWithAll, ShareWithRoiMou, RestrictToOrganization"
    );
    for (field, err) in [
        ("kind", "".parse::<RecordKind>().unwrap_err()),
        ("security", "".parse::<SecuritySetting>().unwrap_err()),
        ("field", "".parse::<Field>().unwrap_err()),
        ("document", "".parse::<DocumentationType>().unwrap_err()),
        ("service_kind", "".parse::<ServiceKind>().unwrap_err()),
        ("contact_kind", "".parse::<ContactKind>().unwrap_err()),
        ("form_type", "".parse::<FormType>().unwrap_err()),
        ("document_type", "".parse::<DocumentType>().unwrap_err()),
        ("how", "".parse::<ContactMethod>().unwrap_err()),
        ("outcome", "".parse::<ContactOutcome>().unwrap_err()),
        ("issue", "".parse::<EntryExitIssue>().unwrap_err()),
    ] {
        assert_eq!(err.field, field);
    }
    // Exact texts only: no case folding, no whitespace.
    assert!("enrollment".parse::<RecordKind>().is_err());
    assert!(" Enrollment".parse::<RecordKind>().is_err());
}

#[test]
fn the_conflict_states_and_steps_have_the_stored_snake_case_texts() {
    let on = d("2026-11-01");
    let states = [
        ConflictState::Open,
        ConflictState::Agreed {
            on,
            value: AgreedValue::Stated,
            updater: OrgId(2),
        },
        ConflictState::Escalated { on },
        ConflictState::DataCenter {
            on,
            review_requested_on: on,
        },
        ConflictState::Resolved { on },
    ];
    let names: Vec<&str> = states.iter().map(ConflictState::as_str).collect();
    assert_eq!(names, ConflictState::NAMES);
    // The name is the serde tag of the state's JSON, which is stored beside it.
    for s in &states {
        assert_eq!(serde_json::to_value(s).unwrap()["state"], s.as_str());
    }
    let attempt = ContactAttempt {
        on,
        method: ContactMethod::Phone,
        by: UserId(7),
        outcome: AttemptOutcome::NoContact,
    };
    let steps = [
        (ConflictStep::LogAttempt { attempt }, "log_attempt"),
        (
            ConflictStep::Agree {
                value: AgreedValue::Stored,
                updater: OrgId(2),
            },
            "agree",
        ),
        (ConflictStep::Resolve, "resolve"),
        (ConflictStep::Escalate, "escalate"),
        (
            ConflictStep::EscalateToDataCenter,
            "escalate_to_data_center",
        ),
    ];
    for (step, name) in &steps {
        assert_eq!(step.as_str(), *name);
        assert_eq!(serde_json::to_value(step).unwrap()["step"], *name);
    }
}

/// One value of every reason.
fn every_reason() -> Vec<Reason> {
    vec![
        Reason::SharedWithAll,
        Reason::ReadOnlyEnteredBy { org: OrgId(2) },
        Reason::OwnOrganization,
        Reason::SharedByRoi {
            roi: RoiId(4),
            until: d("2027-03-31"),
        },
        Reason::SharedByMou {
            mou: MouId(1),
            name: "Downtown".into(),
        },
        Reason::SystemAdministrator,
        Reason::RestrictedTo { org: OrgId(2) },
        Reason::Deleted,
        Reason::NotCovered,
        Reason::CommunityEditable,
        Reason::OnlyOwningAgency { org: OrgId(2) },
        Reason::OnlyAuthor { author: UserId(7) },
        Reason::YouAreTheAuthor,
        Reason::OnlyUploader {
            uploader: UserId(7),
        },
        Reason::YouUploaded,
        Reason::ServicesAreNeverDeleted,
        Reason::ContactDataIsEndDated,
        Reason::NeedsClientDirection,
        Reason::ClientDirected,
        Reason::AgencyAdminOfOwner { org: OrgId(2) },
        Reason::NeedsDocumentation {
            field: Field::Ssn,
            entered_by: OrgId(2),
        },
        Reason::Documented {
            document: DocumentationType::Passport,
        },
        Reason::EmptyValue,
        Reason::SocialSecurityCardRefused,
        Reason::NeedsAgencyAdmin { org: OrgId(2) },
        Reason::SettingNotAllowed {
            setting: SecuritySetting::ShareWithRoiMou,
        },
        Reason::NotYourAgency { org: OrgId(2) },
        Reason::OnlySystemAdmin,
        Reason::NotNamedOnRoi,
        Reason::RoiMustNameYourAgency,
        Reason::AlreadyEnded,
        Reason::EscalationTooEarly {
            attempts: 3,
            attempts_needed: 3,
            span_days: 10,
            days_needed: 3,
            next_attempt_on_or_after: Some(d("2026-12-01")),
        },
        Reason::DataCenterTooEarly {
            notified_on: d("2027-03-31"),
            on_or_after: d("2027-03-31"),
        },
        Reason::ThresholdsMet,
        Reason::NotAPartyToConflict,
        Reason::WrongConflictState,
        Reason::YourAgency,
        Reason::OnlyAttestingAgency { org: OrgId(2) },
        Reason::DocumentAlreadyAttached,
        Reason::NotNamedOnMou { org: OrgId(2) },
        Reason::AlreadySigned { org: OrgId(2) },
        Reason::OnlySystemAdminsManageOrganizations,
        Reason::OnlySystemAdminsManagePrograms,
        Reason::OnlyAdministratorsManageUsers,
        Reason::AgencyAdminsManageOwnAgencyOnly { org: OrgId(2) },
        Reason::OnlySystemAdminsManageSystemAdmins,
        Reason::NotOnYourOwnAccount,
        Reason::OwnPasswordNeedsCurrent,
        Reason::ManagesAsSystemAdmin,
        Reason::ManagesOwnAgency { org: OrgId(2) },
        Reason::YourOwnAccount,
        Reason::ReadsWholeAuditLog,
        Reason::ReadsOwnAgencyAudit { org: OrgId(2) },
        Reason::OnlyAdministratorsReadAudit,
        Reason::HeadOfHousehold,
        Reason::NotHeadOfHousehold { head: ClientId(4) },
        Reason::MayLinkRecords,
        Reason::SameRecord,
        Reason::AlreadyLinked {
            client: ClientId(4),
        },
        Reason::OnlyAdminOfLinkingAgency { org: OrgId(2) },
    ]
}

/// P-4: a reason's audit code is its variant's name, the head of the text the log always held
/// (`SharedByRoi { .. }`), so old and new entries are found by the same code; the API's JSON
/// `code` is the same name in snake_case.
#[test]
fn p4_a_reasons_audit_code_is_its_variant_name() {
    let all = every_reason();
    let mut codes: Vec<&str> = all.iter().map(Reason::code).collect();
    for r in &all {
        let debug = format!("{r:?}");
        let head = debug.split([' ', '{']).next().unwrap();
        assert_eq!(r.code(), head);
        assert!(r.to_string().starts_with(r.code()), "{r}");
        let snake: String = r
            .code()
            .chars()
            .enumerate()
            .flat_map(|(i, c)| {
                let sep = (i > 0 && c.is_ascii_uppercase()).then_some('_');
                sep.into_iter()
                    .chain(std::iter::once(c.to_ascii_lowercase()))
            })
            .collect();
        assert_eq!(serde_json::to_value(r).unwrap()["code"], snake, "{r}");
    }
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), all.len(), "one code per variant");
}

#[test]
fn p4_a_reasons_audit_text_is_its_code_and_its_data() {
    let table = [
        (Reason::SharedWithAll, "SharedWithAll"),
        (
            Reason::ReadOnlyEnteredBy { org: OrgId(3) },
            "ReadOnlyEnteredBy org=3",
        ),
        (
            Reason::SharedByRoi {
                roi: RoiId(4),
                until: d("2027-03-31"),
            },
            "SharedByRoi roi=4 until=2027-03-31",
        ),
        (
            Reason::SharedByMou {
                mou: MouId(1),
                name: "Downtown \"east\"".into(),
            },
            r#"SharedByMou mou=1 name="Downtown \"east\"""#,
        ),
        (
            Reason::NeedsDocumentation {
                field: Field::DateOfBirth,
                entered_by: OrgId(2),
            },
            "NeedsDocumentation field=DateOfBirth entered_by=2",
        ),
        (
            Reason::Documented {
                document: DocumentationType::Passport,
            },
            "Documented document=Passport",
        ),
        (
            Reason::SettingNotAllowed {
                setting: SecuritySetting::SharedWithAll,
            },
            "SettingNotAllowed setting=SharedWithAll",
        ),
        (
            Reason::EscalationTooEarly {
                attempts: 1,
                attempts_needed: 3,
                span_days: 2,
                days_needed: 14,
                next_attempt_on_or_after: None,
            },
            "EscalationTooEarly attempts=1 attempts_needed=3 span_days=2 days_needed=14 \
             next_attempt_on_or_after=none",
        ),
        (
            Reason::DataCenterTooEarly {
                notified_on: d("2026-11-01"),
                on_or_after: d("2026-12-01"),
            },
            "DataCenterTooEarly notified_on=2026-11-01 on_or_after=2026-12-01",
        ),
    ];
    for (reason, text) in table {
        assert_eq!(reason.to_string(), text);
    }
}
