//! The records API's OpenAPI operations (`OPERATIONS`) and their examples, built from the real
//! wire types (see `crate::openapi`).

use crate::example;
use crate::openapi::Op;
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
        title: title.into(),
        detail: detail.into(),
        details: Some(details),
        reason,
    }
}

fn ex_list(item: RecordItem, hidden_count: usize) -> RecordList {
    RecordList {
        records: vec![item],
        hidden_count,
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
        ethnicity: Some("Hispanic/Latina/e/o".into()),
        race: Some("White".into()),
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
            "Ethnicity, race, citizenship status recorded",
        ),
        RecordDetails::Demographics(DemographicsDetails {
            ethnicity: d.ethnicity,
            race: d.race,
            religious_preference: d.religious_preference,
            citizenship_status: d.citizenship_status,
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

/// Statuses of a client's list, a record's read and a file download.
const READ: &[u16] = &[200, 401, 404];

/// Statuses of a creation from a JSON body.
const CREATE: &[u16] = &[201, 401, 403, 404, 422];

/// Statuses of a creation that also writes or relies on existing records: 409 when they changed
/// between the request's read and its write (a simultaneous change came first; reload).
const CREATE_ON: &[u16] = &[201, 401, 403, 404, 409, 422];

/// Statuses of a change to one record from a JSON body; 409 when the record changed since the
/// request read it (a simultaneous change came first; nothing written, reload).
const CHANGE: &[u16] = &[200, 401, 403, 404, 409, 422];

const READERS: &str = "any signed-in user who may read the client (404 otherwise); each record \
    passes the shared read decision (`can_read`), the rest are only counted (S-9)";

pub const OPERATIONS: &[Op] = &[
    Op {
        method: "get",
        path: "/clients/{id}/enrollments",
        summary: "A client's enrollments the caller may read, each with its reason, and how many \
            are withheld (S-9)",
        who: READERS,
        request: None,
        response: Some(example!(EnrollmentRecordList, ex_list(ex_enrollment(), 1))),
        statuses: READ,
    },
    Op {
        method: "post",
        path: "/clients/{id}/enrollments",
        summary: "Enroll the client in a program; the enrollment is owned by the program's \
            agency, and exit and move-in dates are checked against the entry (R-6)",
        who: "a user of the agency running the program (`can_create`: nobody enrolls for another \
            agency, SystemAdmins included)",
        request: Some(example!(NewEnrollment, ex_new_enrollment())),
        response: Some(example!(EnrollmentRecordItem, ex_enrollment())),
        statuses: CREATE,
    },
    Op {
        method: "get",
        path: "/clients/{id}/services",
        summary: "A client's needs, services and referrals the caller may read; a \
            case-management note its own setting withholds is left out with `note_hidden` (S-5)",
        who: READERS,
        request: None,
        response: Some(example!(ServiceRecordList, ex_list(ex_service(), 0))),
        statuses: READ,
    },
    Op {
        method: "post",
        path: "/clients/{id}/services",
        summary: "Record a need, service transaction or referral, with an optional \
            case-management note and minutes (R-11); never deleted afterwards",
        who: "any agency, for itself (`can_create`); a note setting below the case-note default \
            needs an AgencyAdmin (S-5); `enrollment_id` must be a readable enrollment of this \
            client (404)",
        request: Some(example!(NewService, ex_new_service())),
        response: Some(example!(ServiceRecordItem, ex_service())),
        statuses: CREATE_ON,
    },
    Op {
        method: "get",
        path: "/clients/{id}/contacts",
        summary: "A client's effective-dated contact rows (address, phone, email, emergency \
            contact), current and ended (R-4)",
        who: READERS,
        request: None,
        response: Some(example!(ContactRecordList, ex_list(ex_contact(None), 0))),
        statuses: READ,
    },
    Op {
        method: "post",
        path: "/clients/{id}/contacts",
        summary: "A contact change at the client's direction: adds a row, end-dates the rows it \
            replaces and adds the correction note unless declined; never an overwrite (R-4, R-5). \
            409 (nothing written) when a replaced row changed since the caller loaded the rows: \
            a simultaneous change end-dated it, or it has already ended; reload and choose again",
        who: "any agency (`can_create`), with the client's direction attested \
            (`plan_contact_change`); each replaced row must be end-datable (`can_end_date`) and \
            a readable contact row of this client (404)",
        request: Some(example!(NewContact, ex_new_contact())),
        response: Some(example!(ContactChangeResult, ex_contact_change())),
        statuses: CREATE_ON,
    },
    Op {
        method: "get",
        path: "/clients/{id}/case-managers",
        summary: "A client's case-manager assignments the caller may read (R-10)",
        who: READERS,
        request: None,
        response: Some(example!(
            CaseManagerRecordList,
            ex_list(ex_case_manager(), 0)
        )),
        statuses: READ,
    },
    Op {
        method: "post",
        path: "/clients/{id}/case-managers",
        summary: "Assign a case manager to the client as head of household, in a program (R-10)",
        who: "a user of the agency running the program (`can_create`); the case manager must be \
            one of that agency's users (422)",
        request: Some(example!(NewCaseManager, ex_new_case_manager())),
        response: Some(example!(CaseManagerRecordItem, ex_case_manager())),
        statuses: CREATE,
    },
    Op {
        method: "get",
        path: "/clients/{id}/notes",
        summary: "A client's profile notes the caller may read (R-12)",
        who: READERS,
        request: None,
        response: Some(example!(NoteRecordList, ex_list(ex_note(), 0))),
        statuses: READ,
    },
    Op {
        method: "post",
        path: "/clients/{id}/notes",
        summary: "Add a profile note; only its author may later edit or delete it (R-12)",
        who: "any signed-in user who may read the client, for their own agency (`can_create`)",
        request: Some(example!(NoteInput, ex_note_input())),
        response: Some(example!(NoteRecordItem, ex_note())),
        statuses: CREATE,
    },
    Op {
        method: "get",
        path: "/clients/{id}/forms",
        summary: "A client's forms the caller may read under their security settings (S-3..S-5)",
        who: READERS,
        request: None,
        response: Some(example!(
            FormRecordList,
            ex_list(ex_form(SecuritySetting::ShareWithRoiMou), 2)
        )),
        statuses: READ,
    },
    Op {
        method: "post",
        path: "/clients/{id}/forms",
        summary: "Add a form with its answers; the setting defaults to the form type's (S-5)",
        who: "any agency, for itself (`can_create`); a setting below the form type's default \
            needs an AgencyAdmin, and `SharedWithAll` is for attachments only (S-5)",
        request: Some(example!(NewForm, ex_new_form())),
        response: Some(example!(
            FormRecordItem,
            ex_form(SecuritySetting::ShareWithRoiMou)
        )),
        statuses: CREATE,
    },
    Op {
        method: "get",
        path: "/clients/{id}/attachments",
        summary: "A client's attachments (metadata) the caller may read; the bytes are at \
            `GET /records/{id}/file` (R-9)",
        who: READERS,
        request: None,
        response: Some(example!(AttachmentRecordList, ex_list(ex_attachment(), 0))),
        statuses: READ,
    },
    Op {
        method: "post",
        path: "/clients/{id}/attachments",
        summary: "Upload an attachment (R-9): the body is the raw file, a PDF, JPEG or PNG by \
            content, with its `Content-Type` (application/pdf, image/jpeg or image/png; at most \
            the upload limit, 10 MiB by default); query `document_type` (a DocumentType, e.g. \
            `BirthCertificate`) and `file_name`, optional `security` (a SecuritySetting; default: \
            the document type's) and `service_id` (attach to one of the client's services, R-11)",
        who: "`can_upload`: any agency for itself; never a Social Security card; on a service, \
            only its owning agency; a setting below the document type's default needs an \
            AgencyAdmin (S-5)",
        request: None,
        response: Some(example!(AttachmentRecordItem, ex_attachment())),
        statuses: &[201, 401, 403, 404, 413, 422],
    },
    Op {
        method: "get",
        path: "/clients/{id}/demographics",
        summary: "A client's demographics set (tier 1, S-1), and any earlier sets a SystemAdmin \
            sees as tombstones",
        who: READERS,
        request: None,
        response: Some(example!(
            DemographicsRecordList,
            ex_list(ex_demographics(), 0)
        )),
        statuses: READ,
    },
    Op {
        method: "put",
        path: "/clients/{id}/demographics",
        summary: "Set the client's demographics, the whole set: 201 for the first, 200 when it \
            replaces the current one (kept in history, P-3); 409 (nothing written) when a \
            simultaneous PUT changed or created the set first",
        who: "any agency (S-1: `can_create` for the first set, `can_edit` after)",
        request: Some(example!(DemographicsInput, ex_demographics_input())),
        response: Some(example!(DemographicsRecordItem, ex_demographics())),
        statuses: &[200, 201, 401, 403, 404, 409, 422],
    },
    Op {
        method: "get",
        path: "/clients/{id}/photos",
        summary: "A client's photo records (metadata); the current photo's bytes are at \
            `GET /clients/{id}/photo`",
        who: READERS,
        request: None,
        response: Some(example!(PhotoRecordList, ex_list(ex_photo(), 0))),
        statuses: READ,
    },
    Op {
        method: "put",
        path: "/clients/{id}/photo",
        summary: "Set the client's photo: the body is the raw JPEG or PNG (by content) with its \
            `Content-Type` (image/jpeg or image/png), no query parameters; 201 for the first, 200 \
            when it replaces the current one (the old file is kept in history, P-3); 409 \
            (nothing written) when a simultaneous PUT came first",
        who: "any agency (S-1: `can_create` for the first photo, `can_edit` after)",
        request: None,
        response: Some(example!(PhotoRecordItem, ex_photo())),
        statuses: &[200, 201, 401, 403, 404, 409, 413, 422],
    },
    Op {
        method: "get",
        path: "/clients/{id}/photo",
        summary: "The client's current photo: the image bytes (image/jpeg or image/png), as an \
            attachment download; 404 when there is none",
        who: "any signed-in user who may read the client and the photo (`can_read`)",
        request: None,
        response: None,
        statuses: READ,
    },
    Op {
        method: "get",
        path: "/clients/{id}/checklist",
        summary:
            "Head-of-household checklist (R-9: birth certificate, homelessness and disability \
            verification on file?) and the household's open enrollments without a case manager \
            (R-10), from the records the caller may read",
        who: "any signed-in user who may read the client (each record through `can_read`)",
        request: None,
        response: Some(example!(Checklist, ex_checklist())),
        statuses: READ,
    },
    Op {
        method: "get",
        path: "/records/{id}",
        summary: "One record of any kind, with its details and the read decision's reason",
        who: "`can_read` (404 when missing or not readable, S-9; tombstones: SystemAdmins only, \
            P-3)",
        request: None,
        response: Some(example!(
            RecordItem,
            ex_form(SecuritySetting::ShareWithRoiMou)
        )),
        statuses: READ,
    },
    Op {
        method: "patch",
        path: "/records/{id}",
        summary: "Change a record; the old value is kept in history (P-3). The body is the \
            kind's: `NoteInput` (notes), `EnrollmentPatch`, `ServicePatch`, `CaseManagerPatch`, \
            `FormPatch`, `AttachmentPatch` or `DemographicsInput` (the whole set); contact rows \
            are never changed (R-4: end-date them), photos are replaced with \
            `PUT /clients/{id}/photo`. The patch applies to the record as the request read it: \
            409 (nothing written) when a simultaneous change came first",
        who: "`can_edit`: notes by their author (R-12), attachments by their uploader (R-9), \
            enrollments, services, case managers and forms by the owning agency (R-6, R-10, \
            R-11), demographics by anyone (S-1)",
        request: Some(example!(
            EnrollmentPatch,
            EnrollmentPatch {
                move_in_date: Some(ex_date(30)),
                ..EnrollmentPatch::default()
            }
        )),
        response: Some(example!(RecordItem, ex_enrollment())),
        statuses: CHANGE,
    },
    Op {
        method: "delete",
        path: "/records/{id}",
        summary: "Delete a record: a tombstone, kept for SystemAdmins (P-3); services are never \
            deleted (R-11), contact rows are end-dated instead (R-4)",
        who: "`can_delete`: notes by their author, attachments by their uploader, enrollments, \
            case managers and forms by the owning agency; never services, contact rows, \
            demographics or photos",
        request: None,
        response: None,
        statuses: &[204, 401, 403, 404, 409],
    },
    Op {
        method: "post",
        path: "/records/{id}/end",
        summary: "End-date a contact row (R-4, R-5), a case-manager assignment (R-10) or an \
            enrollment (its exit date, R-6); `end_date` is the last day",
        who: "`can_end_date`: a contact row by anyone at the client's direction \
            (`client_directed`) or by an AgencyAdmin of the agency that entered it; \
            case managers and enrollments by the owning agency",
        request: Some(example!(
            EndDateInput,
            EndDateInput {
                end_date: ex_date(22),
                client_directed: true,
            }
        )),
        response: Some(example!(RecordItem, ex_contact(Some(ex_date(22))))),
        statuses: CHANGE,
    },
    Op {
        method: "put",
        path: "/records/{id}/security",
        summary: "Change the security setting of a form or attachment, or of a service's \
            case-management note (S-5)",
        who: "`can_set_security`: forms and service notes by the owning agency, attachments by \
            their uploader; below the default needs an AgencyAdmin of the owning agency; \
            `SharedWithAll` is for attachments only",
        request: Some(example!(
            SecurityInput,
            SecurityInput {
                security: SecuritySetting::RestrictToOrganization,
            }
        )),
        response: Some(example!(
            RecordItem,
            ex_form(SecuritySetting::RestrictToOrganization)
        )),
        statuses: CHANGE,
    },
    Op {
        method: "get",
        path: "/records/{id}/file",
        summary: "An attachment's or photo's bytes, with its content type, as an attachment \
            download (`Content-Disposition: attachment`)",
        who: "`can_read` of the record (404 otherwise, and for records without a file)",
        request: None,
        response: None,
        statuses: READ,
    },
];

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
