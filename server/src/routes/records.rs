//! The client records API (SPEC section 2): lists and creation under `/api/v1/clients/{id}/...`,
//! one record under `/api/v1/records/{id}`. Every read and write is decided by `shared` (read,
//! create, edit, delete, end-date, security, upload, contact plan) and audited (P-4); every change
//! keeps the old value in `record_history` (P-3). A record the caller may not read is 404.

use super::Json;
use crate::auth::AuthUser;
use crate::db::records::store_file;
use crate::db::records::{self as store, NewRow, StoredFile};
use crate::db::{self, ClientRow, RecordRow};
use crate::error::ApiError;
use crate::example;
use crate::openapi::Op;
use crate::routes::PathId;
use crate::state::AppState;
use axum::body::{Body, HttpBody};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use serde::de::DeserializeOwned;
use serde_json::Value;
use shared::actions::{can_upload, NewRecord, Upload};
use shared::api::records::*;
use shared::records::{
    AttachmentMeta, AttachmentTarget, CaseManagerAssignment, ContactKind, ContactRow,
    EnrollmentDates, FormType, ProfileNote, Service,
};
use shared::resolution::{
    check_single_answer_change, plan_contact_change, ContactChange, ContactPlanError,
};
use shared::{
    can_create, can_delete, can_edit, can_end_date, can_read, can_set_security, Actor, ClientId,
    Decision, Field, Mou, ProgramId, RecordId, RecordKind, RecordMeta, Roi, SecuritySetting,
    SharingContext,
};
use sqlx::AnyConnection;
use std::collections::HashMap;

// ---- OpenAPI: the operations and their examples ---------------------------------------------

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
        // The replaced row was entered by the caller's own agency: nobody else to notify (R-5).
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

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/clients/{id}/enrollments",
            get(list_of(RecordKind::Enrollment)).post(create_enrollment),
        )
        .route(
            "/clients/{id}/services",
            get(list_of(RecordKind::Service)).post(create_service),
        )
        .route(
            "/clients/{id}/contacts",
            get(list_of(RecordKind::FamilyContact)).post(create_contact),
        )
        .route(
            "/clients/{id}/case-managers",
            get(list_of(RecordKind::CaseManager)).post(create_case_manager),
        )
        .route(
            "/clients/{id}/notes",
            get(list_of(RecordKind::ProfileNote)).post(create_note),
        )
        .route(
            "/clients/{id}/forms",
            get(list_of(RecordKind::Form)).post(create_form),
        )
        .route(
            "/clients/{id}/attachments",
            get(list_of(RecordKind::Attachment)).post(upload_attachment),
        )
        .route(
            "/clients/{id}/demographics",
            get(list_of(RecordKind::Demographics)).put(put_demographics),
        )
        .route("/clients/{id}/photos", get(list_of(RecordKind::Photo)))
        .route("/clients/{id}/photo", put(put_photo).get(get_photo))
        .route("/clients/{id}/checklist", get(checklist))
        .route(
            "/records/{id}",
            get(get_record).patch(update_record).delete(delete_record),
        )
        .route("/records/{id}/end", post(end_record))
        .route("/records/{id}/security", put(set_security))
        .route("/records/{id}/file", get(get_file))
}

/// The `GET` handler of a client's records of one kind. Routed as `get(list_of(kind))`, so the
/// OpenAPI route check (a source scan for `get(`, `post(`, ...) sees the method.
fn list_of(
    kind: RecordKind,
) -> impl Fn(State<AppState>, AuthUser, PathId) -> ListFuture + Clone + Send + Sync + 'static {
    move |state, auth, PathId(id)| Box::pin(list(state, auth, id, kind))
}

type ListFuture = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<axum::Json<RecordList>, ApiError>> + Send>,
>;

// ---- loading, deciding, auditing ------------------------------------------------------------

/// A client as seen by the caller, with the releases every decision needs.
struct Scope {
    client: ClientRow,
    rois: Vec<Roi>,
    mous: Vec<Mou>,
}

impl Scope {
    fn ctx(&self) -> SharingContext<'_> {
        SharingContext {
            rois: &self.rois,
            mous: &self.mous,
        }
    }
}

/// The client, if it exists and the caller may read its intake; else 404.
async fn scope(state: &AppState, auth: &AuthUser, id: ClientId) -> Result<Scope, ApiError> {
    let client = db::client_by_id(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let rois = db::rois_of_client(&state.pool, client.id).await?;
    let mous = db::all_mous(&state.pool).await?;
    let s = Scope { client, rois, mous };
    let read = can_read(
        &auth.actor,
        &s.client.meta,
        &s.ctx(),
        state.clock.today(),
        &state.policy,
    );
    if read.allowed {
        Ok(s)
    } else {
        Err(ApiError::NotFound)
    }
}

/// One record and its client's scope; 404 when either is missing or the record is unreadable.
async fn load(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
) -> Result<(RecordRow, Scope, Decision), ApiError> {
    let mut conn = state.pool.acquire().await?;
    let row = store::record(&mut conn, RecordId(id))
        .await?
        .ok_or(ApiError::NotFound)?;
    drop(conn);
    let s = scope(state, auth, row.meta.client).await?;
    let read = can_read(
        &auth.actor,
        &row.meta,
        &s.ctx(),
        state.clock.today(),
        &state.policy,
    );
    if !read.allowed {
        return Err(ApiError::NotFound);
    }
    Ok((row, s, read))
}

async fn audit(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    action: &str,
    reason: &str,
) -> Result<(), ApiError> {
    auth.audit(state, Some(&s.client.hmis_number), action, reason)
        .await
}

/// A write decision: allowed, or audited and refused with its reason (403).
async fn decide(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    action: &str,
    d: Decision,
) -> Result<Decision, ApiError> {
    if d.allowed {
        return Ok(d);
    }
    audit(
        state,
        auth,
        s,
        &format!("refused: {action}"),
        &format!("{:?}", d.reason),
    )
    .await?;
    Err(ApiError::Forbidden(d.reason))
}

/// The record as the caller sees it: the service note is withheld when its own setting says so.
fn item(
    state: &AppState,
    actor: &Actor,
    ctx: &SharingContext<'_>,
    row: RecordRow,
    details: Option<RecordDetails>,
    reason: shared::Reason,
) -> RecordItem {
    let details = match details {
        Some(RecordDetails::Note(_)) => Some(RecordDetails::Note(NoteDetails {
            text: row.detail.clone(),
        })),
        Some(RecordDetails::Service(mut sd)) => {
            let service = to_service(row.meta, &sd);
            let note = can_read(
                actor,
                &service.note_meta(),
                ctx,
                state.clock.today(),
                &state.policy,
            );
            if !note.allowed && sd.case_management_note.is_some() {
                sd.case_management_note = None;
                sd.note_hidden = true;
            }
            Some(RecordDetails::Service(sd))
        }
        d => d,
    };
    RecordItem {
        meta: row.meta,
        title: row.title,
        detail: row.detail,
        details,
        reason,
    }
}

fn to_service(meta: RecordMeta, sd: &ServiceDetails) -> Service {
    Service {
        meta,
        service_kind: sd.service_kind,
        date: sd.date,
        description: sd.description.clone(),
        case_management_minutes: sd.case_management_minutes,
        case_management_note: sd.case_management_note.clone(),
        note_security: sd.note_security,
    }
}

/// The full stored value (note unredacted), as `record_history` keeps it.
fn snapshot(row: &RecordRow, details: &Option<RecordDetails>) -> String {
    serde_json::json!({
        "meta": row.meta,
        "title": row.title,
        "detail": row.detail,
        "details": details,
    })
    .to_string()
}

/// Parses a JSON body into `T`, naming the offending top-level field in the 422.
fn parse_body<T: DeserializeOwned>(body: Value) -> Result<T, ApiError> {
    let err = match serde_json::from_value::<T>(body.clone()) {
        Ok(v) => return Ok(v),
        Err(e) => e.to_string(),
    };
    for prefix in ["missing field `", "unknown field `"] {
        if let Some(rest) = err.strip_prefix(prefix) {
            let field = rest.split('`').next().unwrap_or("body");
            return Err(ApiError::validation(field, err.clone()));
        }
    }
    // A wrong type: the field whose removal changes the error is the culprit.
    if let Value::Object(map) = &body {
        for key in map.keys() {
            let mut without = map.clone();
            without.remove(key);
            match serde_json::from_value::<T>(Value::Object(without)) {
                Ok(_) => return Err(ApiError::validation(key, err)),
                Err(e) if e.to_string().contains(&format!("`{key}`")) => {
                    return Err(ApiError::validation(key, err))
                }
                Err(_) => {}
            }
        }
    }
    Err(ApiError::validation("body", err))
}

fn text(field: &str, v: &str, max: usize) -> Result<String, ApiError> {
    let t = v.trim();
    if t.is_empty() {
        return Err(ApiError::validation(field, "cannot be empty"));
    }
    if t.chars().count() > max || t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ApiError::validation(
            field,
            format!("at most {max} characters, no control characters"),
        ));
    }
    Ok(t.to_owned())
}

fn opt_text(field: &str, v: &Option<String>) -> Result<Option<String>, ApiError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => text(field, t, 200).map(Some),
    }
}

fn form_label(t: FormType) -> &'static str {
    match t {
        FormType::CaseNotes => "Case notes",
        FormType::HmisBarriers => "HMIS barriers assessment",
        FormType::Health => "Health assessment",
        FormType::Addictions => "Addictions assessment",
        FormType::Legal => "Legal assessment",
        FormType::DomesticViolence => "Domestic violence assessment",
        FormType::Income => "Income assessment",
        FormType::Employment => "Employment assessment",
        FormType::Housing => "Housing assessment",
        FormType::Other => "Other form",
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The profile's `title` and `detail` for a record's details (never a service's note).
async fn summary(
    conn: &mut AnyConnection,
    d: &RecordDetails,
    created: chrono::NaiveDate,
) -> Result<(String, String), ApiError> {
    Ok(match d {
        RecordDetails::Enrollment(e) => {
            let mut detail = format!("Entry {}", e.entry_date);
            match e.exit_date {
                Some(x) => detail.push_str(&format!(" · exit {x}")),
                None => detail.push_str(" · active"),
            }
            if let Some(m) = e.move_in_date {
                detail.push_str(&format!(" · moved in {m}"));
            }
            (format!("{} · {}", e.program_name, e.case_name), detail)
        }
        RecordDetails::Service(s) => {
            let kind = match s.service_kind {
                shared::records::ServiceKind::Need => "Need",
                shared::records::ServiceKind::Transaction => "Service",
                shared::records::ServiceKind::Referral => "Referral",
            };
            let mut detail = format!("Provided {}", s.date);
            if let Some(m) = s.case_management_minutes {
                detail.push_str(&format!(" · {m} min case management"));
            }
            (format!("{kind}: {}", s.description), detail)
        }
        RecordDetails::Contact(c) => {
            let mut detail = format!("{} · since {}", c.value, c.start_date);
            if let Some(e) = c.end_date {
                detail.push_str(&format!(" · until {e}"));
            }
            (capitalized(c.contact_kind.label()), detail)
        }
        RecordDetails::Demographics(d) => {
            let recorded: Vec<&str> = [
                (d.ethnicity.is_some(), "ethnicity"),
                (d.race.is_some(), "race"),
                (d.religious_preference.is_some(), "religious preference"),
                (d.citizenship_status.is_some(), "citizenship status"),
            ]
            .iter()
            .filter(|(set, _)| *set)
            .map(|(_, n)| *n)
            .collect();
            let detail = if recorded.is_empty() {
                "Nothing recorded".to_owned()
            } else {
                capitalized(&format!("{} recorded", recorded.join(", ")))
            };
            ("Demographics".to_owned(), detail)
        }
        RecordDetails::CaseManager(c) => {
            let user = store::user_name(conn, c.case_manager_id).await?;
            let program = store::program(conn, c.program_id).await?;
            let mut detail = format!(
                "{} · {} · assigned {}",
                user.unwrap_or_else(|| "Unknown user".to_owned()),
                program.map(|p| p.name).unwrap_or_default(),
                c.start_date
            );
            if let Some(e) = c.end_date {
                detail.push_str(&format!(" · ended {e}"));
            }
            ("Case manager".to_owned(), detail)
        }
        RecordDetails::Note(n) => ("Profile note".to_owned(), n.text.clone()),
        RecordDetails::Form(f) => (
            form_label(f.form_type).to_owned(),
            format!("Completed {created}"),
        ),
        RecordDetails::Attachment(a) => (
            format!("{} ({})", a.document_type.label(), a.file_name),
            format!("{}, {} bytes", a.content_type, a.size_bytes),
        ),
        RecordDetails::Photo(p) => (
            "Photo".to_owned(),
            format!("{}, {} bytes", p.content_type, p.size_bytes),
        ),
    })
}

/// Creates a record with its details in one transaction, with its creation in history. A
/// record it refers to (`on`: a service's enrollment) is claimed first, so that it cannot be
/// deleted meanwhile (409 if it was).
#[allow(clippy::too_many_arguments)] // each is one fact of the new row; a struct would only rename them
async fn insert(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    kind: RecordKind,
    owner: shared::OrgId,
    security: Option<SecuritySetting>,
    details: RecordDetails,
    reason: &Decision,
    on: Option<&RecordRow>,
) -> Result<RecordItem, ApiError> {
    let now = state.clock.now();
    // Read before the transaction: on SQLite its first statement must be a write (`claim`).
    let (title, detail) = summary(&mut *state.pool.acquire().await?, &details, now.date()).await?;
    let mut tx = state.pool.begin().await?;
    if let Some(on) = on {
        if !store::claim(&mut tx, on).await? {
            return Err(ApiError::changed_meanwhile(format!(
                "record #{}",
                on.meta.id
            )));
        }
    }
    let id = store::insert_record(
        &mut tx,
        NewRow {
            client: s.client.id,
            kind,
            org: owner,
            author: auth.actor.user,
            at: now,
            security,
            title: &title,
            detail: &detail,
        },
    )
    .await
    .map_err(|e| singleton_taken(e, kind))?;
    store::write_details(&mut tx, id, &details, false).await?;
    store::history(&mut tx, id, now, &auth.actor, "create", "null").await?;
    let row = store::record(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    audit(
        state,
        auth,
        s,
        &format!("create {} record #{}", kind.label(), id),
        &format!("{:?}", reason.reason),
    )
    .await?;
    let read = can_read(&auth.actor, &row.meta, &s.ctx(), now.date(), &state.policy);
    Ok(item(
        state,
        &auth.actor,
        &s.ctx(),
        row,
        Some(details),
        read.reason,
    ))
}

/// A second live demographics set or photo of a client: the database refuses it (migration
/// 0009), because another first `PUT` came first. 409, like any change that lost a race.
fn singleton_taken(e: sqlx::Error, kind: RecordKind) -> ApiError {
    if matches!(kind, RecordKind::Demographics | RecordKind::Photo)
        && db::accounts::is_unique_violation(&e)
    {
        ApiError::changed_meanwhile(format!("the client's {}", kind.label().to_lowercase()))
    } else {
        e.into()
    }
}

/// Claims `seen` for a change (the first statement of the change's transaction, see
/// `store::claim`) and checks that its detail row is still `seen_details`: whatever the change
/// was decided and validated on is what it overwrites. Else 409, and nothing is written.
async fn claim(
    conn: &mut AnyConnection,
    seen: &RecordRow,
    seen_details: &Option<RecordDetails>,
) -> Result<(), ApiError> {
    if store::claim(conn, seen).await? && store::details(conn, &seen.meta).await? == *seen_details {
        Ok(())
    } else {
        Err(ApiError::changed_meanwhile(format!(
            "record #{}",
            seen.meta.id
        )))
    }
}

fn new_record(s: &Scope, kind: RecordKind, owner: shared::OrgId) -> NewRecord {
    NewRecord {
        client: s.client.id,
        kind,
        owner,
        security: None,
        default_security: None,
    }
}

fn created(item: RecordItem) -> Response {
    (StatusCode::CREATED, axum::Json(item)).into_response()
}

// ---- lists and reads ------------------------------------------------------------------------

/// `GET /clients/{id}/{kind}`: the records of one kind the caller may read, each with its reason,
/// and how many are withheld (S-9). Tombstones are shown to SystemAdmins only (P-3).
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    id: i64,
    kind: RecordKind,
) -> Result<axum::Json<RecordList>, ApiError> {
    let s = scope(&state, &auth, ClientId(id)).await?;
    let mut conn = state.pool.acquire().await?;
    let rows = store::of_client(&mut conn, s.client.id, &[kind]).await?;
    let today = state.clock.today();
    let redacted = shared::redact(&auth.actor, today, &s.ctx(), &state.policy, rows);
    let mut reasons: Vec<String> = redacted
        .visible
        .iter()
        .map(|(_, r)| format!("{r:?}"))
        .collect();
    reasons.sort();
    reasons.dedup();
    // The visible records' details in one query (the hidden ones' are never read).
    let metas: Vec<&RecordMeta> = redacted.visible.iter().map(|(r, _)| &r.meta).collect();
    let mut details = store::details_of(&mut conn, &metas).await?;
    drop(conn);
    let mut records = Vec::with_capacity(redacted.visible.len());
    for (row, reason) in redacted.visible {
        let d = details.remove(&row.meta.id);
        records.push(item(&state, &auth.actor, &s.ctx(), row, d, reason));
    }
    audit(
        &state,
        &auth,
        &s,
        &format!("list {} records", kind.label()),
        &format!(
            "{} shown, {} withheld; {}",
            records.len(),
            redacted.hidden_count,
            reasons.join("; ")
        ),
    )
    .await?;
    Ok(axum::Json(RecordList {
        records,
        hidden_count: redacted.hidden_count,
    }))
}

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

/// `GET /clients/{id}/checklist`: the R-9 document checklist of a head of household and the
/// R-10 case-manager gaps, computed by the shared rules from the records the caller may read.
async fn checklist(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<axum::Json<Checklist>, ApiError> {
    let s = scope(&state, &auth, ClientId(id)).await?;
    let today = state.clock.today();
    let mut conn = state.pool.acquire().await?;
    let kinds = [
        RecordKind::Enrollment,
        RecordKind::Attachment,
        RecordKind::CaseManager,
    ];
    let rows = store::of_client(&mut conn, s.client.id, &kinds).await?;
    let visible = shared::redact(&auth.actor, today, &s.ctx(), &state.policy, rows).visible;
    let metas: Vec<&RecordMeta> = visible.iter().map(|(r, _)| &r.meta).collect();
    let mut details = store::details_of(&mut conn, &metas).await?;
    let program_ids: Vec<ProgramId> = details
        .values()
        .filter_map(|d| match d {
            RecordDetails::Enrollment(e) => Some(e.program_id),
            _ => None,
        })
        .collect();
    let programs = store::programs(&mut conn, &program_ids).await?;
    drop(conn);
    let (mut head, mut enrollments, mut attachments, mut managers) =
        (false, Vec::new(), Vec::new(), Vec::new());
    let mut program_names = HashMap::new();
    for (row, _) in visible {
        match details.remove(&row.meta.id) {
            Some(RecordDetails::Enrollment(e)) => {
                head |= e.head_of_household;
                if let Some(program) = programs.get(&e.program_id) {
                    program_names.insert(program.id, program.name.clone());
                    enrollments.push(EnrollmentDates {
                        record: row.meta.id,
                        org: row.meta.provenance.org,
                        program: e.program_id,
                        project_type: program.project_type,
                        entry: e.entry_date,
                        exit: e.exit_date,
                        move_in: e.move_in_date,
                    });
                }
            }
            Some(RecordDetails::Attachment(a)) => attachments.push(AttachmentMeta {
                meta: row.meta,
                document_type: a.document_type,
                file_name: a.file_name,
                target: a
                    .service_id
                    .map_or(AttachmentTarget::ClientProfile, AttachmentTarget::Service),
            }),
            Some(RecordDetails::CaseManager(c)) => managers.push(CaseManagerAssignment {
                meta: row.meta,
                head_of_household: c.head_of_household,
                program: c.program_id,
                case_manager: c.case_manager_id,
                start: c.start_date,
                end: c.end_date,
            }),
            _ => {}
        }
    }
    let documents = shared::resolution::head_of_household_checklist(head, &attachments);
    let missing = if head {
        shared::resolution::missing_case_managers(s.client.id, &enrollments, &managers, today)
    } else {
        Vec::new()
    };
    audit(
        &state,
        &auth,
        &s,
        "read head-of-household checklist",
        &format!(
            "{} of {} documents on file, {} programs without a case manager",
            documents.iter().filter(|d| d.on_file).count(),
            documents.len(),
            missing.len()
        ),
    )
    .await?;
    Ok(axum::Json(Checklist {
        head_of_household: head,
        documents,
        missing_case_managers: missing
            .into_iter()
            .map(|(org, program_id)| MissingCaseManager {
                org,
                program_id,
                program_name: program_names.get(&program_id).cloned().unwrap_or_default(),
            })
            .collect(),
    }))
}

/// `GET /records/{id}`: one record, 404 when missing or unreadable.
async fn get_record(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<axum::Json<RecordItem>, ApiError> {
    let (row, s, read) = load(&state, &auth, id).await?;
    let mut conn = state.pool.acquire().await?;
    let details = store::details(&mut conn, &row.meta).await?;
    drop(conn);
    audit(
        &state,
        &auth,
        &s,
        &format!("read record #{id}"),
        &format!("{:?}", read.reason),
    )
    .await?;
    Ok(axum::Json(item(
        &state,
        &auth.actor,
        &s.ctx(),
        row,
        details,
        read.reason,
    )))
}

// ---- creation -------------------------------------------------------------------------------

async fn program_or_422(state: &AppState, id: ProgramId) -> Result<store::Program, ApiError> {
    let mut conn = state.pool.acquire().await?;
    store::program(&mut conn, id)
        .await?
        .ok_or_else(|| ApiError::validation("program_id", format!("no program #{id}")))
}

/// `POST /clients/{id}/enrollments` (R-6): owned by the program's agency, which must be the
/// caller's.
async fn create_enrollment(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NewEnrollment = parse_body(body)?;
    let s = scope(&state, &auth, ClientId(id)).await?;
    let program = program_or_422(&state, input.program_id).await?;
    let case_name = text("case_name", &input.case_name, 200)?;
    let d = decide(
        &state,
        &auth,
        &s,
        "create enrollment",
        can_create(
            &auth.actor,
            &new_record(&s, RecordKind::Enrollment, program.org),
        ),
    )
    .await?;
    EnrollmentDates {
        record: RecordId(0),
        org: program.org,
        program: program.id,
        project_type: program.project_type,
        entry: input.entry_date,
        exit: input.exit_date,
        move_in: input.move_in_date,
    }
    .parse()?;
    let details = RecordDetails::Enrollment(EnrollmentDetails {
        program_id: program.id,
        program_name: program.name,
        case_name,
        entry_date: input.entry_date,
        exit_date: input.exit_date,
        move_in_date: input.move_in_date,
        head_of_household: input.head_of_household,
    });
    let it = insert(
        &state,
        &auth,
        &s,
        RecordKind::Enrollment,
        program.org,
        None,
        details,
        &d,
        None,
    )
    .await?;
    crate::jobs::on_enrollment_written(&state, s.client.id).await; // R-7
    Ok(created(it))
}

/// A record of this client and kind referenced from a body; another client's id is 404 (IDOR).
async fn referenced(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    id: RecordId,
    kind: RecordKind,
) -> Result<RecordRow, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let row = store::record(&mut conn, id)
        .await?
        .filter(|r| r.meta.client == s.client.id && r.meta.kind == kind)
        .ok_or(ApiError::NotFound)?;
    let read = can_read(
        &auth.actor,
        &row.meta,
        &s.ctx(),
        state.clock.today(),
        &state.policy,
    );
    if read.allowed && !row.meta.deleted {
        Ok(row)
    } else {
        Err(ApiError::NotFound)
    }
}

/// `POST /clients/{id}/services` (R-11). The case-management note is governed by its own
/// setting, as a form (S-5): lowering it below the case-note default needs an AgencyAdmin.
async fn create_service(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NewService = parse_body(body)?;
    let s = scope(&state, &auth, ClientId(id)).await?;
    let enrollment = match input.enrollment_id {
        Some(e) => Some(referenced(&state, &auth, &s, e, RecordKind::Enrollment).await?),
        None => None,
    };
    let note_default = state.policy.default_security_for_form(FormType::CaseNotes);
    let note_security = input.note_security.unwrap_or(note_default);
    let d = decide(
        &state,
        &auth,
        &s,
        "create service",
        can_create(
            &auth.actor,
            &new_record(&s, RecordKind::Service, auth.actor.org),
        ),
    )
    .await?;
    decide(
        &state,
        &auth,
        &s,
        "create service note",
        can_create(
            &auth.actor,
            &NewRecord {
                security: Some(note_security),
                default_security: Some(note_default),
                ..new_record(&s, RecordKind::Form, auth.actor.org)
            },
        ),
    )
    .await?;
    let sd = ServiceDetails {
        service_kind: input.service_kind,
        date: input.date,
        description: input.description.trim().to_owned(),
        enrollment_id: input.enrollment_id,
        case_management_minutes: input.case_management_minutes,
        case_management_note: input
            .case_management_note
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty()),
        note_security,
        note_hidden: false,
    };
    to_service(s.client.meta, &sd).parse_service()?;
    let it = insert(
        &state,
        &auth,
        &s,
        RecordKind::Service,
        auth.actor.org,
        None,
        RecordDetails::Service(sd),
        &d,
        enrollment.as_ref(),
    )
    .await?;
    Ok(created(it))
}

/// `Service::parse` checks the kind of its meta; the new service's meta is built here.
trait ParseService {
    fn parse_service(self) -> Result<Service, shared::ParseError>;
}

impl ParseService for Service {
    fn parse_service(mut self) -> Result<Service, shared::ParseError> {
        self.meta.kind = RecordKind::Service;
        self.parse()
    }
}

/// The client's contact rows as stored: each registry row with its details (rows entered before
/// 0004 have none and are left out).
async fn contact_rows(
    conn: &mut AnyConnection,
    client: ClientId,
) -> Result<Vec<(RecordRow, ContactDetails)>, ApiError> {
    let rows = store::of_client(conn, client, &[RecordKind::FamilyContact]).await?;
    let metas: Vec<&RecordMeta> = rows.iter().map(|r| &r.meta).collect();
    let mut details = store::details_of(conn, &metas).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| match details.remove(&row.meta.id) {
            Some(RecordDetails::Contact(c)) => Some((row, c)),
            _ => None,
        })
        .collect())
}

/// A stored contact row as the shared plan reads it.
fn contact_row(row: &RecordRow, c: &ContactDetails) -> ContactRow {
    ContactRow {
        meta: row.meta,
        contact_kind: c.contact_kind,
        value: c.value.clone(),
        start: c.start_date,
        end: c.end_date,
    }
}

/// 409 for a contact change planned on rows that changed before it could be written.
fn contacts_changed(detail: &str) -> ApiError {
    ApiError::ChangedMeanwhile(format!(
        "the client's contact rows changed meanwhile{detail}: reload them and try again"
    ))
}

/// `POST /clients/{id}/contacts` (R-4, R-5): adds a row at the client's direction, end-dates the
/// rows it replaces, and adds the correction note unless declined (`plan_contact_change`).
///
/// Race-free: the change is planned on the rows as read, and its transaction first claims every
/// row it end-dates (`claim`: a conditional UPDATE that matches only if the row is still as
/// read), so of two simultaneous changes replacing the same row one writes and the other gets
/// 409 with nothing written. A change replacing a row that has already ended before the new row
/// starts (someone replaced it since the caller loaded the rows) is 409 too.
async fn create_contact(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NewContact = parse_body(body)?;
    let s = scope(&state, &auth, ClientId(id)).await?;
    for r in &input.replaces {
        // Another client's row (or an unknown id) in this client's change: 404.
        referenced(&state, &auth, &s, *r, RecordKind::FamilyContact).await?;
    }
    let today = state.clock.today();
    let d = decide(
        &state,
        &auth,
        &s,
        "create contact row",
        can_create(
            &auth.actor,
            &new_record(&s, RecordKind::FamilyContact, auth.actor.org),
        ),
    )
    .await?;
    let stored = contact_rows(&mut *state.pool.acquire().await?, s.client.id).await?;
    let rows: Vec<ContactRow> = stored.iter().map(|(r, c)| contact_row(r, c)).collect();
    let change = ContactChange {
        client: s.client.id,
        contact_kind: input.contact_kind,
        value: input.value,
        start: input.start_date,
        replaces: input.replaces,
        client_directed: input.client_directed,
        decline_note: input.decline_note,
    };
    let plan = match plan_contact_change(&auth.actor, &change, &rows) {
        Ok(p) => p,
        Err(ContactPlanError::Refused(reason)) => {
            decide(&state, &auth, &s, "contact change", Decision::deny(reason)).await?;
            return Err(ApiError::NotFound);
        }
        Err(ContactPlanError::Invalid(e)) => {
            let field = match e.field.as_str() {
                f if f == input.contact_kind.label() => "value".to_owned(),
                f => f.to_owned(),
            };
            return Err(ApiError::validation(field, e.reason));
        }
    };
    // The plan leaves a replaced row alone when it ended before the new row starts: the UI only
    // offers current rows, so another change replaced it since the caller loaded them.
    if let Some(gone) = change
        .replaces
        .iter()
        .find(|r| !plan.end_date.iter().any(|e| e.row == **r) && !plan.left_current.contains(r))
    {
        return Err(contacts_changed(&format!(" (row #{gone} has ended)")));
    }
    let mut ends = Vec::with_capacity(plan.end_date.len());
    for e in &plan.end_date {
        let (row, c) = stored
            .iter()
            .find(|(r, _)| r.meta.id == e.row)
            .ok_or(ApiError::NotFound)?;
        decide(
            &state,
            &auth,
            &s,
            "end-date contact row",
            can_end_date(&auth.actor, &row.meta, true, &s.ctx(), today, &state.policy),
        )
        .await?;
        ends.push((row, Some(RecordDetails::Contact(c.clone())), e.end));
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    // First the claims (see above); each one waits for a simultaneous change of the same row.
    for (row, seen, end) in &ends {
        end_date_in_tx(&mut tx, &auth.actor, now, row, seen, *end)
            .await
            .map_err(|e| match e {
                ApiError::ChangedMeanwhile(_) => contacts_changed(""),
                e => e,
            })?;
    }
    let details = RecordDetails::Contact(ContactDetails {
        contact_kind: plan.add.contact_kind,
        value: plan.add.value.clone(),
        start_date: plan.add.start,
        end_date: None,
        entered_by: auth.actor.org,
    });
    let (title, detail) = summary(&mut tx, &details, today).await?;
    let new_id = store::insert_record(
        &mut tx,
        NewRow {
            client: s.client.id,
            kind: RecordKind::FamilyContact,
            org: auth.actor.org,
            author: auth.actor.user,
            at: now,
            security: None,
            title: &title,
            detail: &detail,
        },
    )
    .await?;
    store::write_details(&mut tx, new_id, &details, false).await?;
    store::history(&mut tx, new_id, now, &auth.actor, "create", "null").await?;
    let mut note_id = None;
    if let Some(note) = &plan.correction_note {
        let id = store::insert_record(
            &mut tx,
            NewRow {
                client: s.client.id,
                kind: RecordKind::ProfileNote,
                org: auth.actor.org,
                author: auth.actor.user,
                at: now,
                security: None,
                title: "Profile note",
                detail: &note.text,
            },
        )
        .await?;
        store::history(&mut tx, id, now, &auth.actor, "create", "null").await?;
        note_id = Some(id);
    }
    // R-5: the user may notify the originating agencies' AgencyAdmins, by HMIS number only.
    let notified: Vec<shared::OrgId> = if input.notify_owners {
        plan.may_notify.clone()
    } else {
        Vec::new()
    };
    for org in &notified {
        let n = shared::notify::Notification::new(
            shared::notify::Recipient::AgencyAdmins { org: *org },
            s.client.hmis_number.clone(),
            shared::notify::Message::ContactDataCorrected {
                kind: plan.add.contact_kind,
                by: auth.actor.org,
                note: note_id,
            },
        );
        crate::notify::enqueue(&mut tx, &n, now).await?;
    }
    let row = store::record(&mut tx, new_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    audit(
        &state,
        &auth,
        &s,
        &format!(
            "contact change: new row #{new_id}, {} end-dated, note {}",
            plan.end_date.len(),
            note_id.map_or("declined".to_owned(), |n| format!("#{n}"))
        ),
        &format!("{:?}; {:?}", shared::Reason::ClientDirected, d.reason),
    )
    .await?;
    let read = can_read(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
    let result = ContactChangeResult {
        row: item(
            &state,
            &auth.actor,
            &s.ctx(),
            row,
            Some(details),
            read.reason,
        ),
        end_dated: plan.end_date.iter().map(|e| e.row).collect(),
        left_current: plan.left_current,
        correction_note: note_id,
        may_notify: plan.may_notify,
        notified,
    };
    Ok((StatusCode::CREATED, axum::Json(result)).into_response())
}

/// Sets the end date of a contact row, case-manager assignment or enrollment (its exit) that
/// was read as `seen` with `seen_details`, keeping the old value. It claims the record first
/// (`claim`), so it must be the first write of the transaction: 409 if the record changed since.
async fn end_date_in_tx(
    conn: &mut AnyConnection,
    actor: &Actor,
    now: chrono::NaiveDateTime,
    seen: &RecordRow,
    seen_details: &Option<RecordDetails>,
    end: chrono::NaiveDate,
) -> Result<RecordDetails, ApiError> {
    claim(conn, seen, seen_details).await?;
    let id = seen.meta.id;
    let new = match seen_details.clone() {
        Some(RecordDetails::Contact(mut c)) => {
            if end < c.start_date {
                return Err(ApiError::validation(
                    "end_date",
                    "cannot be before the start date",
                ));
            }
            c.end_date = Some(end);
            RecordDetails::Contact(c)
        }
        Some(RecordDetails::CaseManager(mut c)) => {
            c.end_date = Some(end);
            RecordDetails::CaseManager(c)
        }
        Some(RecordDetails::Enrollment(mut e)) => {
            e.exit_date = Some(end);
            RecordDetails::Enrollment(e)
        }
        _ => return Err(no_details()),
    };
    store::history(
        conn,
        id,
        now,
        actor,
        "end-date",
        &snapshot(seen, seen_details),
    )
    .await?;
    store::write_details(conn, id, &new, true).await?;
    let (title, detail) = summary(conn, &new, seen.meta.provenance.created_at.date()).await?;
    store::set_summary(conn, id, &title, &detail).await?;
    Ok(new)
}

fn no_details() -> ApiError {
    ApiError::validation(
        "details",
        "this record was entered before its fields were recorded separately; it can only be \
         deleted or replaced",
    )
}

/// `POST /clients/{id}/case-managers` (R-10): assigned by the program's agency, to one of its
/// users.
async fn create_case_manager(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NewCaseManager = parse_body(body)?;
    let s = scope(&state, &auth, ClientId(id)).await?;
    let program = program_or_422(&state, input.program_id).await?;
    let mut conn = state.pool.acquire().await?;
    let cm_org = store::user_org(&mut conn, input.case_manager_id).await?;
    drop(conn);
    if cm_org != Some(program.org) {
        return Err(ApiError::validation(
            "case_manager_id",
            "must be a user of the agency running the program",
        ));
    }
    let d = decide(
        &state,
        &auth,
        &s,
        "create case manager",
        can_create(
            &auth.actor,
            &new_record(&s, RecordKind::CaseManager, program.org),
        ),
    )
    .await?;
    let cm = CaseManagerDetails {
        head_of_household: s.client.id,
        agency: program.org,
        program_id: program.id,
        case_manager_id: input.case_manager_id,
        start_date: input.start_date,
        end_date: input.end_date,
    };
    check_case_manager(&s, &cm)?;
    let it = insert(
        &state,
        &auth,
        &s,
        RecordKind::CaseManager,
        program.org,
        None,
        RecordDetails::CaseManager(cm),
        &d,
        None,
    )
    .await?;
    Ok(created(it))
}

fn check_case_manager(s: &Scope, cm: &CaseManagerDetails) -> Result<(), ApiError> {
    CaseManagerAssignment {
        meta: RecordMeta {
            kind: RecordKind::CaseManager,
            ..s.client.meta
        },
        head_of_household: cm.head_of_household,
        program: cm.program_id,
        case_manager: cm.case_manager_id,
        start: cm.start_date,
        end: cm.end_date,
    }
    .parse()?;
    Ok(())
}

fn check_note(s: &Scope, t: &str) -> Result<String, ApiError> {
    let note = ProfileNote {
        meta: RecordMeta {
            kind: RecordKind::ProfileNote,
            ..s.client.meta
        },
        text: t.trim().to_owned(),
    }
    .parse()?;
    Ok(note.text)
}

/// `POST /clients/{id}/notes` (R-12).
async fn create_note(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NoteInput = parse_body(body)?;
    let s = scope(&state, &auth, ClientId(id)).await?;
    let text = check_note(&s, &input.text)?;
    let d = decide(
        &state,
        &auth,
        &s,
        "create note",
        can_create(
            &auth.actor,
            &new_record(&s, RecordKind::ProfileNote, auth.actor.org),
        ),
    )
    .await?;
    let it = insert(
        &state,
        &auth,
        &s,
        RecordKind::ProfileNote,
        auth.actor.org,
        None,
        RecordDetails::Note(NoteDetails { text }),
        &d,
        None,
    )
    .await?;
    Ok(created(it))
}

/// `POST /clients/{id}/forms` (S-5): the setting defaults to the form type's; lower needs an
/// AgencyAdmin.
async fn create_form(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NewForm = parse_body(body)?;
    let s = scope(&state, &auth, ClientId(id)).await?;
    check_answers(&input.answers)?;
    let default = state.policy.default_security_for_form(input.form_type);
    let security = input.security.unwrap_or(default);
    let d = decide(
        &state,
        &auth,
        &s,
        "create form",
        can_create(
            &auth.actor,
            &NewRecord {
                security: Some(security),
                default_security: Some(default),
                ..new_record(&s, RecordKind::Form, auth.actor.org)
            },
        ),
    )
    .await?;
    let details = RecordDetails::Form(FormDetails {
        form_type: input.form_type,
        answers: input.answers,
        security,
    });
    let it = insert(
        &state,
        &auth,
        &s,
        RecordKind::Form,
        auth.actor.org,
        Some(security),
        details,
        &d,
        None,
    )
    .await?;
    Ok(created(it))
}

fn check_answers(a: &Answers) -> Result<(), ApiError> {
    if a.len() > 500 {
        return Err(ApiError::validation("answers", "at most 500 answers"));
    }
    if a.iter()
        .any(|(k, v)| k.trim().is_empty() || k.len() > 200 || v.len() > 20_000)
    {
        return Err(ApiError::validation(
            "answers",
            "keys of 1 to 200 characters, answers of at most 20,000",
        ));
    }
    Ok(())
}

fn demographics(input: &DemographicsInput) -> Result<DemographicsDetails, ApiError> {
    Ok(DemographicsDetails {
        ethnicity: opt_text("ethnicity", &input.ethnicity)?,
        race: opt_text("race", &input.race)?,
        religious_preference: opt_text("religious_preference", &input.religious_preference)?,
        citizenship_status: opt_text("citizenship_status", &input.citizenship_status)?,
    })
}

/// The client's current (newest live) record of a tier-1 singleton kind.
async fn current_of(
    state: &AppState,
    client: ClientId,
    kind: RecordKind,
) -> Result<Option<RecordRow>, ApiError> {
    let mut conn = state.pool.acquire().await?;
    Ok(store::of_client(&mut conn, client, &[kind])
        .await?
        .into_iter()
        .find(|r| !r.meta.deleted))
}

/// `PUT /clients/{id}/demographics` (S-1): any agency; replaces the set, keeping the old one.
async fn put_demographics(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: DemographicsInput = parse_body(body)?;
    let s = scope(&state, &auth, ClientId(id)).await?;
    let new = RecordDetails::Demographics(demographics(&input)?);
    match current_of(&state, s.client.id, RecordKind::Demographics).await? {
        None => {
            let d = decide(
                &state,
                &auth,
                &s,
                "create demographics",
                can_create(
                    &auth.actor,
                    &new_record(&s, RecordKind::Demographics, auth.actor.org),
                ),
            )
            .await?;
            let it = insert(
                &state,
                &auth,
                &s,
                RecordKind::Demographics,
                auth.actor.org,
                None,
                new,
                &d,
                None,
            )
            .await?;
            Ok(created(it))
        }
        Some(row) => {
            let old = store::details(&mut *state.pool.acquire().await?, &row.meta).await?;
            let it = apply_update(&state, &auth, &s, row, old, new).await?;
            Ok(axum::Json(it).into_response())
        }
    }
}

/// Edits `row` (read with the details `old`) to `new` details after `can_edit` (404
/// unreadable, 403 refused), with history; 409 if the record changed since it was read.
async fn apply_update(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    row: RecordRow,
    old: Option<RecordDetails>,
    new: RecordDetails,
) -> Result<RecordItem, ApiError> {
    let today = state.clock.today();
    let d = can_edit(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
    let d = decide(
        state,
        auth,
        s,
        &format!("update record #{}", row.meta.id),
        d,
    )
    .await?;
    let now = state.clock.now();
    let id = row.meta.id;
    let mut tx = state.pool.begin().await?;
    claim(&mut tx, &row, &old).await?;
    let exists = old.is_some() && row.meta.kind != RecordKind::ProfileNote;
    store::history(
        &mut tx,
        id,
        now,
        &auth.actor,
        "update",
        &snapshot(&row, &old),
    )
    .await?;
    store::write_details(&mut tx, id, &new, exists).await?;
    let (title, detail) = summary(&mut tx, &new, row.meta.provenance.created_at.date()).await?;
    store::set_summary(&mut tx, id, &title, &detail).await?;
    let row = store::record(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    // R-7: re-detect the client's entry/exit conflicts.
    if row.meta.kind == RecordKind::Enrollment {
        crate::jobs::on_enrollment_written(state, s.client.id).await;
    }
    audit(
        state,
        auth,
        s,
        &format!("update {} record #{id}", row.meta.kind.label()),
        &format!("{:?}", d.reason),
    )
    .await?;
    let read = can_read(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
    Ok(item(
        state,
        &auth.actor,
        &s.ctx(),
        row,
        Some(new),
        read.reason,
    ))
}

// ---- files ----------------------------------------------------------------------------------

/// The content type of a file, by its first bytes; only PDF, JPEG and PNG are accepted.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// Reads an upload body up to `limit` bytes. A larger one is read to its end (up to a cap, so the
/// client receives the answer) and refused: nothing is stored.
async fn read_upload(body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut body = body;
    let mut out = Vec::new();
    let mut seen = 0usize;
    let cap = limit.saturating_mul(4).max(limit + 64 * 1024 * 1024);
    loop {
        let frame = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await;
        match frame {
            None => break,
            Some(Err(_)) => return Err(ApiError::validation("file", "the upload was interrupted")),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    seen = seen.saturating_add(data.len());
                    if seen <= limit {
                        out.extend_from_slice(&data);
                    } else {
                        out = Vec::new();
                        if seen > cap {
                            break;
                        }
                    }
                }
            }
        }
    }
    if seen > limit {
        return Err(ApiError::TooLarge {
            field: "file",
            limit,
        });
    }
    if out.is_empty() {
        return Err(ApiError::validation("file", "the file is empty"));
    }
    Ok(out)
}

/// Checks the sniffed type against the allowed ones and the declared `Content-Type`.
fn content_type(
    bytes: &[u8],
    headers: &HeaderMap,
    allowed: &[&str],
) -> Result<&'static str, ApiError> {
    let sniffed = sniff(bytes)
        .filter(|t| allowed.contains(t))
        .ok_or_else(|| {
            ApiError::validation(
                "file",
                format!("the file's content is not one of: {}", allowed.join(", ")),
            )
        })?;
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    match declared.as_deref() {
        None | Some("") | Some("application/octet-stream") => Ok(sniffed),
        Some(d) if d == sniffed => Ok(sniffed),
        Some(d) => Err(ApiError::validation(
            "content_type",
            format!("declared {d}, but the file's content is {sniffed}"),
        )),
    }
}

async fn remove_file(state: &AppState, key: &str) {
    let _ = tokio::fs::remove_file(state.config.files_dir.join(key)).await;
}

fn parse_named<T: Copy + std::fmt::Debug>(all: &[T], field: &str, v: &str) -> Result<T, ApiError> {
    all.iter()
        .copied()
        .find(|t| store::name(*t) == v)
        .ok_or_else(|| {
            let names: Vec<String> = all.iter().map(|t| store::name(*t)).collect();
            ApiError::validation(field, format!("must be one of {}", names.join(", ")))
        })
}

const SETTINGS: [SecuritySetting; 3] = SecuritySetting::ALL;

/// `POST /clients/{id}/attachments?document_type=..&file_name=..[&security=..][&service_id=..]`
/// with the file as the raw body (R-9): PDF, JPEG or PNG by content; never a Social Security card.
async fn upload_attachment(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let doc = q
        .get("document_type")
        .ok_or_else(|| ApiError::validation("document_type", "missing"))?;
    let document_type = parse_named(&store::DOCUMENT_TYPES, "document_type", doc)?;
    let file_name = q
        .get("file_name")
        .ok_or_else(|| ApiError::validation("file_name", "missing"))?
        .trim()
        .to_owned();
    let default = state.policy.default_security_for_document(document_type);
    let security = match q.get("security") {
        Some(v) => parse_named(&SETTINGS, "security", v)?,
        None => default,
    };
    let service_id = match q.get("service_id") {
        Some(v) => Some(RecordId(v.parse().map_err(|_| {
            ApiError::validation("service_id", "must be a record id")
        })?)),
        None => None,
    };
    let s = scope(&state, &auth, ClientId(id)).await?;
    let service_owner = match service_id {
        Some(sid) => Some(
            referenced(&state, &auth, &s, sid, RecordKind::Service)
                .await?
                .meta
                .provenance
                .org,
        ),
        None => None,
    };
    let target = service_id.map_or(AttachmentTarget::ClientProfile, AttachmentTarget::Service);
    let d = decide(
        &state,
        &auth,
        &s,
        "upload attachment",
        can_upload(
            &auth.actor,
            &Upload {
                client: s.client.id,
                document_type,
                target,
                service_owner,
                setting: security,
            },
            &state.policy,
        ),
    )
    .await?;
    AttachmentMeta {
        meta: RecordMeta {
            kind: RecordKind::Attachment,
            ..s.client.meta
        },
        document_type,
        file_name: file_name.clone(),
        target,
    }
    .parse()?;
    let bytes = read_upload(body, state.config.max_upload_bytes).await?;
    let ct = content_type(
        &bytes,
        &headers,
        &["application/pdf", "image/jpeg", "image/png"],
    )?;
    let (key, sha) = store_file(&state.config.files_dir, &bytes).await?;
    let details = AttachmentDetails {
        document_type,
        file_name: file_name.clone(),
        content_type: ct.to_owned(),
        size_bytes: bytes.len() as u64,
        sha256: sha.clone(),
        service_id,
        security,
    };
    let result = async {
        let now = state.clock.now();
        let mut tx = state.pool.begin().await?;
        let (title, detail) = summary(
            &mut tx,
            &RecordDetails::Attachment(details.clone()),
            now.date(),
        )
        .await?;
        let rid = store::insert_record(
            &mut tx,
            NewRow {
                client: s.client.id,
                kind: RecordKind::Attachment,
                org: auth.actor.org,
                author: auth.actor.user,
                at: now,
                security: Some(security),
                title: &title,
                detail: &detail,
            },
        )
        .await?;
        let f = StoredFile {
            content_type: ct,
            size: bytes.len(),
            sha256: &sha,
            storage_key: &key,
        };
        store::insert_attachment(&mut tx, rid, document_type, &file_name, service_id, &f).await?;
        store::history(&mut tx, rid, now, &auth.actor, "create", "null").await?;
        let row = store::record(&mut tx, rid)
            .await?
            .ok_or(ApiError::NotFound)?;
        tx.commit().await?;
        Ok::<_, ApiError>(row)
    }
    .await;
    let row = match result {
        Ok(r) => r,
        Err(e) => {
            remove_file(&state, &key).await;
            return Err(e);
        }
    };
    audit(
        &state,
        &auth,
        &s,
        &format!("upload attachment #{}", row.meta.id),
        &format!("{:?}", d.reason),
    )
    .await?;
    let read = can_read(
        &auth.actor,
        &row.meta,
        &s.ctx(),
        state.clock.today(),
        &state.policy,
    );
    Ok(created(item(
        &state,
        &auth.actor,
        &s.ctx(),
        row,
        Some(RecordDetails::Attachment(details)),
        read.reason,
    )))
}

/// `PUT /clients/{id}/photo` with a JPEG or PNG body (S-1: any agency). Replacing keeps the old
/// file and row in history.
async fn put_photo(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let s = scope(&state, &auth, ClientId(id)).await?;
    let today = state.clock.today();
    let current = current_of(&state, s.client.id, RecordKind::Photo).await?;
    let d = match &current {
        None => can_create(
            &auth.actor,
            &new_record(&s, RecordKind::Photo, auth.actor.org),
        ),
        Some(row) => can_edit(&auth.actor, &row.meta, &s.ctx(), today, &state.policy),
    };
    let d = decide(&state, &auth, &s, "set photo", d).await?;
    let seen = match &current {
        Some(row) => store::details(&mut *state.pool.acquire().await?, &row.meta).await?,
        None => None,
    };
    let bytes = read_upload(body, state.config.max_upload_bytes).await?;
    let ct = content_type(&bytes, &headers, &["image/jpeg", "image/png"])?;
    let (key, sha) = store_file(&state.config.files_dir, &bytes).await?;
    let details = RecordDetails::Photo(PhotoDetails {
        content_type: ct.to_owned(),
        size_bytes: bytes.len() as u64,
        sha256: sha.clone(),
    });
    let result = async {
        let now = state.clock.now();
        let mut tx = state.pool.begin().await?;
        let (title, detail) = summary(&mut tx, &details, now.date()).await?;
        let f = StoredFile {
            content_type: ct,
            size: bytes.len(),
            sha256: &sha,
            storage_key: &key,
        };
        let rid = match &current {
            Some(row) => {
                claim(&mut tx, row, &seen).await?;
                let old = seen.clone();
                let old_key = store::storage_key(&mut tx, &row.meta).await?;
                let mut snap: Value =
                    serde_json::from_str(&snapshot(row, &old)).unwrap_or_default();
                snap["storage_key"] = Value::from(old_key.clone());
                store::history(
                    &mut tx,
                    row.meta.id,
                    now,
                    &auth.actor,
                    "update",
                    &snap.to_string(),
                )
                .await?;
                store::write_photo(&mut tx, row.meta.id, &f, old_key.is_some()).await?;
                store::set_summary(&mut tx, row.meta.id, &title, &detail).await?;
                row.meta.id
            }
            None => {
                let rid = store::insert_record(
                    &mut tx,
                    NewRow {
                        client: s.client.id,
                        kind: RecordKind::Photo,
                        org: auth.actor.org,
                        author: auth.actor.user,
                        at: now,
                        security: None,
                        title: &title,
                        detail: &detail,
                    },
                )
                .await
                .map_err(|e| singleton_taken(e, RecordKind::Photo))?;
                store::write_photo(&mut tx, rid, &f, false).await?;
                store::history(&mut tx, rid, now, &auth.actor, "create", "null").await?;
                rid
            }
        };
        let row = store::record(&mut tx, rid)
            .await?
            .ok_or(ApiError::NotFound)?;
        tx.commit().await?;
        Ok::<_, ApiError>(row)
    }
    .await;
    let row = match result {
        Ok(r) => r,
        Err(e) => {
            remove_file(&state, &key).await;
            return Err(e);
        }
    };
    audit(
        &state,
        &auth,
        &s,
        &format!("set photo #{}", row.meta.id),
        &format!("{:?}", d.reason),
    )
    .await?;
    let read = can_read(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
    let status = if current.is_some() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        axum::Json(item(
            &state,
            &auth.actor,
            &s.ctx(),
            row,
            Some(details),
            read.reason,
        )),
    )
        .into_response())
}

async fn file_response(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    row: &RecordRow,
    read: &Decision,
) -> Result<Response, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let key = store::storage_key(&mut conn, &row.meta)
        .await?
        .ok_or(ApiError::NotFound)?;
    let details = store::details(&mut conn, &row.meta).await?;
    drop(conn);
    let (ct, name) = match details {
        Some(RecordDetails::Attachment(a)) => (a.content_type, a.file_name),
        Some(RecordDetails::Photo(p)) => {
            let ext = if p.content_type == "image/png" {
                "png"
            } else {
                "jpg"
            };
            (p.content_type, format!("photo.{ext}"))
        }
        _ => return Err(ApiError::NotFound),
    };
    let bytes = tokio::fs::read(state.config.files_dir.join(&key))
        .await
        .map_err(|e| ApiError::Internal(format!("reading a stored file: {e}")))?;
    audit(
        state,
        auth,
        s,
        &format!("download file of record #{}", row.meta.id),
        &format!("{:?}", read.reason),
    )
    .await?;
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, ct),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /records/{id}/file`: an attachment's or photo's bytes, to those who may read it.
async fn get_file(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let (row, s, read) = load(&state, &auth, id).await?;
    file_response(&state, &auth, &s, &row, &read).await
}

/// `GET /clients/{id}/photo`: the current photo's bytes.
async fn get_photo(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let s = scope(&state, &auth, ClientId(id)).await?;
    let row = current_of(&state, s.client.id, RecordKind::Photo)
        .await?
        .ok_or(ApiError::NotFound)?;
    let read = can_read(
        &auth.actor,
        &row.meta,
        &s.ctx(),
        state.clock.today(),
        &state.policy,
    );
    if !read.allowed {
        return Err(ApiError::NotFound);
    }
    file_response(&state, &auth, &s, &row, &read).await
}

// ---- changes to one record ------------------------------------------------------------------

fn contact_field(k: ContactKind) -> Field {
    match k {
        ContactKind::Address => Field::Address,
        ContactKind::Phone => Field::Phone,
        ContactKind::Email => Field::Email,
        ContactKind::EmergencyContact => Field::EmergencyContact,
    }
}

/// `PATCH /records/{id}`: the kind's patch body (see `shared::api::records::*Patch`).
async fn update_record(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<axum::Json<RecordItem>, ApiError> {
    let (row, s, _) = load(&state, &auth, id).await?;
    let today = state.clock.today();
    // The decision comes before the body is looked at: a refused caller learns nothing more.
    let edit = can_edit(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
    decide(&state, &auth, &s, &format!("update record #{id}"), edit).await?;
    let mut conn = state.pool.acquire().await?;
    let old = store::details(&mut conn, &row.meta).await?;
    drop(conn);
    let new = match (row.meta.kind, old.clone()) {
        (RecordKind::ProfileNote, _) => {
            let p: NoteInput = parse_body(body)?;
            RecordDetails::Note(NoteDetails {
                text: check_note(&s, &p.text)?,
            })
        }
        (RecordKind::FamilyContact, _) => {
            // R-4: never overwritten in place; the shared decision says why.
            let field = match store::details(&mut *state.pool.acquire().await?, &row.meta).await? {
                Some(RecordDetails::Contact(c)) => contact_field(c.contact_kind),
                _ => Field::Address,
            };
            let d = check_single_answer_change(
                &auth.actor,
                field,
                Some(row.meta.provenance.org),
                None,
                &state.policy,
            );
            decide(&state, &auth, &s, "update contact row", d).await?;
            return Err(ApiError::NotFound);
        }
        (RecordKind::Photo, _) => {
            return Err(ApiError::validation(
                "body",
                "replace a photo with PUT /clients/{id}/photo",
            ))
        }
        (_, None) => return Err(no_details()),
        (_, Some(RecordDetails::Enrollment(mut e))) => {
            let p: EnrollmentPatch = parse_body(body)?;
            if let Some(n) = p.case_name {
                e.case_name = text("case_name", &n, 200)?;
            }
            e.entry_date = p.entry_date.unwrap_or(e.entry_date);
            e.move_in_date = p.move_in_date.or(e.move_in_date);
            e.head_of_household = p.head_of_household.unwrap_or(e.head_of_household);
            let mut conn = state.pool.acquire().await?;
            let program = store::program(&mut conn, e.program_id)
                .await?
                .ok_or(ApiError::NotFound)?;
            drop(conn);
            EnrollmentDates {
                record: row.meta.id,
                org: row.meta.provenance.org,
                program: e.program_id,
                project_type: program.project_type,
                entry: e.entry_date,
                exit: e.exit_date,
                move_in: e.move_in_date,
            }
            .parse()?;
            RecordDetails::Enrollment(e)
        }
        (_, Some(RecordDetails::Service(mut sd))) => {
            let p: ServicePatch = parse_body(body)?;
            if let Some(d) = p.description {
                sd.description = d.trim().to_owned();
            }
            sd.date = p.date.unwrap_or(sd.date);
            sd.case_management_minutes = p.case_management_minutes.or(sd.case_management_minutes);
            if let Some(n) = p.case_management_note {
                sd.case_management_note = Some(n.trim().to_owned()).filter(|n| !n.is_empty());
            }
            to_service(row.meta, &sd).parse_service()?;
            RecordDetails::Service(sd)
        }
        (_, Some(RecordDetails::CaseManager(mut c))) => {
            let p: CaseManagerPatch = parse_body(body)?;
            if let Some(u) = p.case_manager_id {
                let mut conn = state.pool.acquire().await?;
                if store::user_org(&mut conn, u).await? != Some(row.meta.provenance.org) {
                    return Err(ApiError::validation(
                        "case_manager_id",
                        "must be a user of the agency running the program",
                    ));
                }
                c.case_manager_id = u;
            }
            c.start_date = p.start_date.unwrap_or(c.start_date);
            check_case_manager(&s, &c)?;
            RecordDetails::CaseManager(c)
        }
        (_, Some(RecordDetails::Form(mut f))) => {
            let p: FormPatch = parse_body(body)?;
            if let Some(a) = p.answers {
                check_answers(&a)?;
                f.answers = a;
            }
            RecordDetails::Form(f)
        }
        (_, Some(RecordDetails::Demographics(_))) => {
            let p: DemographicsInput = parse_body(body)?;
            RecordDetails::Demographics(demographics(&p)?)
        }
        (_, Some(RecordDetails::Attachment(mut a))) => {
            let p: AttachmentPatch = parse_body(body)?;
            let edit = can_edit(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
            let d = decide(&state, &auth, &s, &format!("update record #{id}"), edit).await?;
            if let Some(n) = p.file_name {
                a.file_name = n.trim().to_owned();
            }
            a.document_type = p.document_type.unwrap_or(a.document_type);
            AttachmentMeta {
                meta: row.meta,
                document_type: a.document_type,
                file_name: a.file_name.clone(),
                target: a
                    .service_id
                    .map_or(AttachmentTarget::ClientProfile, AttachmentTarget::Service),
            }
            .parse()?;
            let now = state.clock.now();
            let mut tx = state.pool.begin().await?;
            claim(&mut tx, &row, &old).await?;
            store::history(
                &mut tx,
                row.meta.id,
                now,
                &auth.actor,
                "update",
                &snapshot(&row, &old),
            )
            .await?;
            store::update_attachment(&mut tx, row.meta.id, a.document_type, &a.file_name).await?;
            let details = RecordDetails::Attachment(a);
            let (title, detail) = summary(&mut tx, &details, today).await?;
            store::set_summary(&mut tx, row.meta.id, &title, &detail).await?;
            let row = store::record(&mut tx, row.meta.id)
                .await?
                .ok_or(ApiError::NotFound)?;
            tx.commit().await?;
            audit(
                &state,
                &auth,
                &s,
                &format!("update Attachment record #{id}"),
                &format!("{:?}", d.reason),
            )
            .await?;
            let read = can_read(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
            return Ok(axum::Json(item(
                &state,
                &auth.actor,
                &s.ctx(),
                row,
                Some(details),
                read.reason,
            )));
        }
        (_, Some(_)) => return Err(ApiError::NotFound),
    };
    Ok(axum::Json(
        apply_update(&state, &auth, &s, row, old, new).await?,
    ))
}

/// `DELETE /records/{id}`: a tombstone (P-3) where `can_delete` allows; services never (R-11).
async fn delete_record(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    let (row, s, _) = load(&state, &auth, id).await?;
    let d = can_delete(
        &auth.actor,
        &row.meta,
        &s.ctx(),
        state.clock.today(),
        &state.policy,
    );
    let d = decide(&state, &auth, &s, &format!("delete record #{id}"), d).await?;
    let old = store::details(&mut *state.pool.acquire().await?, &row.meta).await?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    claim(&mut tx, &row, &old).await?;
    store::history(
        &mut tx,
        row.meta.id,
        now,
        &auth.actor,
        "delete",
        &snapshot(&row, &old),
    )
    .await?;
    store::tombstone(&mut tx, row.meta.id).await?;
    tx.commit().await?;
    // R-7: re-detect the client's entry/exit conflicts.
    if row.meta.kind == RecordKind::Enrollment {
        crate::jobs::on_enrollment_written(&state, s.client.id).await;
    }
    audit(
        &state,
        &auth,
        &s,
        &format!("delete {} record #{id}", row.meta.kind.label()),
        &format!("{:?}", d.reason),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /records/{id}/end`: end-dates a contact row (R-4/R-5), a case-manager assignment (R-10)
/// or an enrollment (its exit, R-6).
async fn end_record(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<axum::Json<RecordItem>, ApiError> {
    let input: EndDateInput = parse_body(body)?;
    let (row, s, _) = load(&state, &auth, id).await?;
    let today = state.clock.today();
    let d = can_end_date(
        &auth.actor,
        &row.meta,
        input.client_directed,
        &s.ctx(),
        today,
        &state.policy,
    );
    let d = decide(&state, &auth, &s, &format!("end-date record #{id}"), d).await?;
    let mut conn = state.pool.acquire().await?;
    let current = store::details(&mut conn, &row.meta).await?;
    drop(conn);
    match &current {
        Some(RecordDetails::Enrollment(e)) => {
            let mut conn = state.pool.acquire().await?;
            let program = store::program(&mut conn, e.program_id)
                .await?
                .ok_or(ApiError::NotFound)?;
            drop(conn);
            EnrollmentDates {
                record: row.meta.id,
                org: row.meta.provenance.org,
                program: e.program_id,
                project_type: program.project_type,
                entry: e.entry_date,
                exit: Some(input.end_date),
                move_in: e.move_in_date,
            }
            .parse()?;
        }
        Some(RecordDetails::CaseManager(c)) => {
            check_case_manager(
                &s,
                &CaseManagerDetails {
                    end_date: Some(input.end_date),
                    ..c.clone()
                },
            )
            .map_err(|_| ApiError::validation("end_date", "cannot be before the start date"))?;
        }
        Some(RecordDetails::Contact(_)) => {}
        _ => return Err(no_details()),
    }
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let new = end_date_in_tx(&mut tx, &auth.actor, now, &row, &current, input.end_date).await?;
    let row = store::record(&mut tx, row.meta.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    // R-7: re-detect the client's entry/exit conflicts.
    if row.meta.kind == RecordKind::Enrollment {
        crate::jobs::on_enrollment_written(&state, s.client.id).await;
    }
    audit(
        &state,
        &auth,
        &s,
        &format!("end-date {} record #{id}", row.meta.kind.label()),
        &format!("{:?}", d.reason),
    )
    .await?;
    let read = can_read(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
    Ok(axum::Json(item(
        &state,
        &auth.actor,
        &s.ctx(),
        row,
        Some(new),
        read.reason,
    )))
}

/// `PUT /records/{id}/security` (S-5): a form's or attachment's setting, or a service's note
/// setting; lowering below the default needs an AgencyAdmin of the owning agency.
async fn set_security(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<axum::Json<RecordItem>, ApiError> {
    let input: SecurityInput = parse_body(body)?;
    let (row, s, _) = load(&state, &auth, id).await?;
    let today = state.clock.today();
    let to = input.security;
    let mut conn = state.pool.acquire().await?;
    let details = store::details(&mut conn, &row.meta).await?;
    drop(conn);
    let (meta, default) = match &details {
        Some(RecordDetails::Form(f)) => (
            row.meta,
            state.policy.default_security_for_form(f.form_type),
        ),
        Some(RecordDetails::Attachment(a)) => (
            row.meta,
            state.policy.default_security_for_document(a.document_type),
        ),
        Some(RecordDetails::Service(sd)) => (
            to_service(row.meta, sd).note_meta(),
            state.policy.default_security_for_form(FormType::CaseNotes),
        ),
        // Other kinds: the shared decision refuses any setting.
        _ if !matches!(row.meta.kind, RecordKind::Form | RecordKind::Attachment) => {
            (row.meta, state.policy.default_security)
        }
        _ => {
            let d = can_set_security(
                &auth.actor,
                &row.meta,
                to,
                state.policy.default_security,
                &s.ctx(),
                today,
                &state.policy,
            );
            decide(&state, &auth, &s, "set security", d).await?;
            return Err(no_details());
        }
    };
    let d = can_set_security(
        &auth.actor,
        &meta,
        to,
        default,
        &s.ctx(),
        today,
        &state.policy,
    );
    let d = decide(
        &state,
        &auth,
        &s,
        &format!("set security of record #{id}"),
        d,
    )
    .await?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    claim(&mut tx, &row, &details).await?;
    store::history(
        &mut tx,
        row.meta.id,
        now,
        &auth.actor,
        "set security",
        &snapshot(&row, &details),
    )
    .await?;
    let details = match details {
        Some(RecordDetails::Service(mut sd)) => {
            store::set_note_security(&mut tx, row.meta.id, to).await?;
            sd.note_security = to;
            Some(RecordDetails::Service(sd))
        }
        Some(RecordDetails::Form(mut f)) => {
            store::set_security(&mut tx, row.meta.id, to).await?;
            f.security = to;
            Some(RecordDetails::Form(f))
        }
        Some(RecordDetails::Attachment(mut a)) => {
            store::set_security(&mut tx, row.meta.id, to).await?;
            a.security = to;
            Some(RecordDetails::Attachment(a))
        }
        other => other,
    };
    let row = store::record(&mut tx, row.meta.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    audit(
        &state,
        &auth,
        &s,
        &format!("set security of record #{id} to {to:?}"),
        &format!("{:?}", d.reason),
    )
    .await?;
    let read = can_read(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
    Ok(axum::Json(item(
        &state,
        &auth.actor,
        &s.ctx(),
        row,
        details,
        read.reason,
    )))
}
