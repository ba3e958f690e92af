//! The records API's OpenAPI examples (`documented!`, one per endpoint of
//! `shared::api::endpoints`), built from the real
//! wire types (see `crate::openapi`).

use shared::api::endpoints as ep;
use shared::api::records::*;
use shared::records::{ContactKind, FormType};
use shared::{ClientId, ProgramId, RecordId, RecordKind, RecordMeta, SecuritySetting};

// Each kind's list and item, named after the kind so that each schema shows its kind's `details`
// (they are `RecordList` and `RecordItem`).
type EnrollmentRecordList = RecordList;

type ServiceRecordList = RecordList;

type ContactRecordList = RecordList;

type CaseManagerRecordList = RecordList;

type NoteRecordList = RecordList;

type FormRecordList = RecordList;

type AttachmentRecordList = RecordList;

type DemographicsRecordList = RecordList;

type PhotoRecordList = RecordList;

type EnrollmentRecordItem = RecordItem;

type ServiceRecordItem = RecordItem;

type CaseManagerRecordItem = RecordItem;

type NoteRecordItem = RecordItem;

type FormRecordItem = RecordItem;

type AttachmentRecordItem = RecordItem;

type DemographicsRecordItem = RecordItem;

type PhotoRecordItem = RecordItem;

/// A date of the demo's calendar (today is 2026-11-22).
fn ex_date(day: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default()
}

/// A record of Alex Rivera (client 1, HMIS 1001) written by Maria Lopez (user 3), a caseworker
/// of Bull City Shelter (org 2), this morning.
fn ex_item(
    id: i64,
    kind: RecordKind,
    security: Option<SecuritySetting>,
    (title, detail): (&str, &str),
    details: RecordDetails,
    reason: shared::Reason,
) -> RecordItem {
    RecordItem {
        meta: RecordMeta {
            id: RecordId(id),
            client: ClientId(1),
            kind,
            provenance: shared::Provenance {
                org: shared::OrgId(2),
                author: shared::UserId(3),
                created_at: ex_date(22).and_hms_opt(10, 15, 0).unwrap_or_default(),
            },
            security,
            deleted: false,
        },
        entered_by: shared::api::EnteredBy {
            user_name: "Dana Lee".into(),
            org_name: "Bull City Shelter".into(),
        },
        title: title.into(),
        detail: detail.into(),
        details: Some(details),
        reason,
    }
}

fn ex_list(item: RecordItem) -> RecordList {
    RecordList {
        records: vec![item],
        withheld_by: None,
    }
}

fn ex_new_enrollment() -> NewEnrollment {
    NewEnrollment {
        program_id: ProgramId(1),
        case_name: "Rivera household".into(),
        entry_date: ex_date(20),
        exit_date: None,
        move_in_date: None,
        head_of_household: true,
        prior_living_situation: Some(shared::hud::PriorLivingSituation::PlaceNotMeantForHabitation),
        disabling_condition: Some(shared::hud::NoYesReasons::No),
        enrollment_coc: shared::hud::CocCode::parse("NC-507").ok(),
        destination: None,
    }
}

fn ex_enrollment() -> RecordItem {
    let e = ex_new_enrollment();
    ex_item(
        401,
        RecordKind::Enrollment,
        None,
        (
            "Bull City Emergency Shelter · Rivera household",
            "Entry 2026-11-20 · active",
        ),
        RecordDetails::Enrollment(EnrollmentDetails {
            program_id: e.program_id,
            program_name: "Bull City Emergency Shelter".into(),
            case_name: e.case_name,
            entry_date: e.entry_date,
            exit_date: e.exit_date,
            move_in_date: e.move_in_date,
            head_of_household: e.head_of_household,
            prior_living_situation: e.prior_living_situation,
            disabling_condition: e.disabling_condition,
            enrollment_coc: e.enrollment_coc,
            destination: e.destination,
        }),
        shared::Reason::OwnOrganization,
    )
}

fn ex_new_service() -> NewService {
    NewService {
        service_kind: shared::records::ServiceKind::Transaction,
        date: ex_date(21),
        description: "Shelter night".into(),
        enrollment_id: Some(RecordId(3)),
        case_management_minutes: Some(30),
        case_management_note: Some(
            "Talked through housing options; Alex will bring a photo ID on Monday.".into(),
        ),
        note_security: None,
    }
}

fn ex_service() -> RecordItem {
    let s = ex_new_service();
    ex_item(
        402,
        RecordKind::Service,
        None,
        (
            "Service: Shelter night",
            "Provided 2026-11-21 · 30 min case management",
        ),
        RecordDetails::Service(ServiceDetails {
            service_kind: s.service_kind,
            date: s.date,
            description: s.description,
            enrollment_id: s.enrollment_id,
            case_management_minutes: s.case_management_minutes,
            case_management_note: s.case_management_note,
            note_security: SecuritySetting::RestrictToOrganization,
            note_hidden: false,
        }),
        shared::Reason::OwnOrganization,
    )
}

fn ex_new_contact() -> NewContact {
    NewContact {
        contact_kind: ContactKind::Phone,
        value: "(919) 555-0142".into(),
        start_date: ex_date(22),
        replaces: vec![RecordId(1)],
        client_directed: true,
        decline_note: false,
        notify_owners: true,
    }
}

fn ex_contact(end_date: Option<chrono::NaiveDate>) -> RecordItem {
    let c = ex_new_contact();
    let detail = match end_date {
        Some(e) => format!("(919) 555-0142 · since 2026-11-22 · until {e}"),
        None => "(919) 555-0142 · since 2026-11-22".into(),
    };
    ex_item(
        403,
        RecordKind::FamilyContact,
        None,
        ("Phone", &detail),
        RecordDetails::Contact(ContactDetails {
            contact_kind: c.contact_kind,
            value: c.value,
            start_date: c.start_date,
            end_date,
            entered_by: shared::OrgId(2),
        }),
        shared::Reason::SharedWithAll,
    )
}

fn ex_contact_change() -> ContactChangeResult {
    ContactChangeResult {
        row: ex_contact(None),
        end_dated: vec![RecordId(1)],
        left_current: vec![],
        correction_note: Some(RecordId(404)),
        // The replaced row was entered by the caller's own agency: nobody else to notify.
        may_notify: vec![],
        notified: vec![],
    }
}

fn ex_new_case_manager() -> NewCaseManager {
    NewCaseManager {
        program_id: ProgramId(1),
        case_manager_id: shared::UserId(3),
        start_date: ex_date(20),
        end_date: None,
    }
}

fn ex_case_manager() -> RecordItem {
    let c = ex_new_case_manager();
    ex_item(
        405,
        RecordKind::CaseManager,
        None,
        (
            "Case manager",
            "Maria Lopez · Bull City Emergency Shelter · assigned 2026-11-20",
        ),
        RecordDetails::CaseManager(CaseManagerDetails {
            head_of_household: ClientId(1),
            agency: shared::OrgId(2),
            program_id: c.program_id,
            case_manager_id: c.case_manager_id,
            start_date: c.start_date,
            end_date: c.end_date,
        }),
        shared::Reason::OwnOrganization,
    )
}

fn ex_note_input() -> NoteInput {
    NoteInput {
        text: "Prefers text messages after 5 pm; works mornings at the market.".into(),
    }
}

fn ex_note() -> RecordItem {
    let text = ex_note_input().text;
    ex_item(
        406,
        RecordKind::ProfileNote,
        None,
        ("Profile note", &text),
        RecordDetails::Note(NoteDetails { text: text.clone() }),
        shared::Reason::OwnOrganization,
    )
}

fn ex_new_form() -> NewForm {
    NewForm {
        form_type: FormType::Housing,
        answers: [
            ("current_living_situation", "Emergency shelter"),
            ("months_homeless_past_3_years", "4"),
            ("preferred_area", "Central Durham, near a bus line"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        security: None,
    }
}

fn ex_form(security: SecuritySetting) -> RecordItem {
    let f = ex_new_form();
    ex_item(
        407,
        RecordKind::Form,
        Some(security),
        ("Housing assessment", "Completed 2026-11-22"),
        RecordDetails::Form(FormDetails {
            form_type: f.form_type,
            answers: f.answers,
            security,
        }),
        shared::Reason::OwnOrganization,
    )
}

fn ex_attachment() -> RecordItem {
    ex_item(
        408,
        RecordKind::Attachment,
        Some(SecuritySetting::SharedWithAll),
        (
            "Birth certificate (birth-certificate-rivera.pdf)",
            "application/pdf, 184320 bytes",
        ),
        RecordDetails::Attachment(AttachmentDetails {
            document_type: shared::records::DocumentType::BirthCertificate,
            file_name: "birth-certificate-rivera.pdf".into(),
            content_type: "application/pdf".into(),
            size_bytes: 184_320,
            sha256: "9f2c4e1a7b3d5f60a8c2e4f6b1d3a5c7e9f0b2d4a6c8e1f3a5b7c9d0e2f4a6b8".into(),
            service_id: None,
            security: SecuritySetting::SharedWithAll,
        }),
        shared::Reason::SharedWithAll,
    )
}

fn ex_demographics_input() -> DemographicsInput {
    DemographicsInput {
        race_ethnicity: shared::hud::RaceEthnicitySet::parse([
            shared::hud::RaceEthnicity::White,
            shared::hud::RaceEthnicity::HispanicLatinaeo,
        ])
        .ok(),
        additional_race_ethnicity: Some("Puerto Rican".into()),
        religious_preference: None,
        citizenship_status: Some("U.S. citizen".into()),
    }
}

fn ex_demographics() -> RecordItem {
    let d = ex_demographics_input();
    ex_item(
        2,
        RecordKind::Demographics,
        None,
        (
            "Demographics",
            "Race and ethnicity, citizenship status recorded",
        ),
        RecordDetails::Demographics(DemographicsDetails {
            race_ethnicity: d.race_ethnicity,
            additional_race_ethnicity: d.additional_race_ethnicity,
            religious_preference: d.religious_preference,
            citizenship_status: d.citizenship_status,
            legacy_race: None,
            legacy_ethnicity: None,
        }),
        shared::Reason::SharedWithAll,
    )
}

fn ex_photo() -> RecordItem {
    ex_item(
        409,
        RecordKind::Photo,
        None,
        ("Photo", "image/jpeg, 48213 bytes"),
        RecordDetails::Photo(PhotoDetails {
            content_type: "image/jpeg".into(),
            size_bytes: 48_213,
            sha256: "3b8e1d0c5a7f9e2b4d6c8a0f1e3d5b7a9c2e4f6a8b0d1c3e5f7a9b2d4c6e8f0a".into(),
        }),
        shared::Reason::SharedWithAll,
    )
}

crate::documented!(ep::ListEnrollments {
    response: EnrollmentRecordList = ex_list(ex_enrollment());
});

crate::documented!(ep::CreateEnrollment {
    request: NewEnrollment = ex_new_enrollment();
    response: EnrollmentRecordItem = ex_enrollment();
});

crate::documented!(ep::ListServices {
    response: ServiceRecordList = ex_list(ex_service());
});

crate::documented!(ep::CreateService {
    request: NewService = ex_new_service();
    response: ServiceRecordItem = ex_service();
});

crate::documented!(ep::ListContacts {
    response: ContactRecordList = ex_list(ex_contact(None));
});

crate::documented!(ep::CreateContact {
    request: NewContact = ex_new_contact();
    response: ContactChangeResult = ex_contact_change();
});

crate::documented!(ep::ListCaseManagers {
    response: CaseManagerRecordList = ex_list(ex_case_manager());
});

crate::documented!(ep::CreateCaseManager {
    request: NewCaseManager = ex_new_case_manager();
    response: CaseManagerRecordItem = ex_case_manager();
});

crate::documented!(ep::ListNotes {
    response: NoteRecordList = ex_list(ex_note());
});

crate::documented!(ep::CreateNote {
    request: NoteInput = ex_note_input();
    response: NoteRecordItem = ex_note();
});

crate::documented!(ep::ListForms {
    response: FormRecordList = ex_list(ex_form(SecuritySetting::ShareWithRoiMou));
});

crate::documented!(ep::CreateForm {
    request: NewForm = ex_new_form();
    response: FormRecordItem = ex_form(SecuritySetting::ShareWithRoiMou);
});

crate::documented!(ep::ListAttachments {
    response: AttachmentRecordList = ex_list(ex_attachment());
});

crate::documented!(ep::UploadAttachment {
    response: AttachmentRecordItem = ex_attachment();
});

crate::documented!(ep::ListDemographics {
    response: DemographicsRecordList = ex_list(ex_demographics());
});

crate::documented!(ep::PutDemographics {
    request: DemographicsInput = ex_demographics_input();
    response: DemographicsRecordItem = ex_demographics();
});

crate::documented!(ep::ListPhotos {
    response: PhotoRecordList = ex_list(ex_photo());
});

crate::documented!(ep::PutPhoto {
    response: PhotoRecordItem = ex_photo();
});

crate::documented!(ep::GetPhoto {});

crate::documented!(ep::GetChecklist {
    response: Checklist = ex_checklist();
});

crate::documented!(ep::GetRecord {
    response: RecordItem = ex_form(SecuritySetting::ShareWithRoiMou);
});

crate::documented!(ep::UpdateRecord {
    request: RecordPatch = RecordPatch::Enrollment(EnrollmentPatch {
                move_in_date: Some(ex_date(30)),
                ..EnrollmentPatch::default()
            });
    response: RecordItem = ex_enrollment();
});

crate::documented!(ep::DeleteRecord {});

crate::documented!(ep::EndRecord {
    request: EndDateInput = EndDateInput {
                end_date: ex_date(22),
                client_directed: true,
                destination: None,
            };
    response: RecordItem = ex_contact(Some(ex_date(22)));
});

crate::documented!(ep::SetRecordSecurity {
    request: SecurityInput = SecurityInput {
                security: SecuritySetting::RestrictToOrganization,
            };
    response: RecordItem = ex_form(SecuritySetting::RestrictToOrganization);
});

crate::documented!(ep::GetRecordFile {});

fn ex_checklist() -> Checklist {
    use shared::records::DocumentType;
    use shared::resolution::ChecklistItem;
    let item = |document, on_file, reminder: Option<&str>| ChecklistItem {
        document,
        on_file,
        reminder: reminder.map(str::to_owned),
    };
    Checklist {
        head_of_household: true,
        documents: vec![
            item(DocumentType::BirthCertificate, true, None),
            item(
                DocumentType::ThirdPartyHomelessnessVerification,
                false,
                None,
            ),
            item(
                DocumentType::DisabilityVerification,
                false,
                Some("Leave out any information about specific diagnoses"),
            ),
        ],
        missing_case_managers: vec![MissingCaseManager {
            org: shared::OrgId(4),
            program_id: ProgramId(5),
            program_name: "Triangle Street Outreach".into(),
        }],
    }
}
