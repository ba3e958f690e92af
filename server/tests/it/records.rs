//! The client records API, rule by rule (R-4..R-6, R-9..R-12, S-5, P-3, P-4) and bad input.
//!
//! Demo data facts (see the header of `clients.rs`): client 1 is Bull City Shelter's (org 2) with
//! an active ROI naming the shelter and Eno River Housing (org 3); client 2 is Eno River's, shared
//! with Triangle Outreach (org 4) by the MOU. Programs 1 and 2 are the shelter's, 3 and 4 Eno
//! River's, 5..7 Triangle's. Users: 1 coc.admin, 2 shelter.admin, 3 shelter.cw, 4 shelter.cw2,
//! 5 housing.admin, 6 housing.cw, 7 housing.cw2, 8 outreach.admin, 9 outreach.cw, 10 outreach.cw2.

use crate::support::{date, path, spawn_app, TestApp};
use crate::{details, refused};
use serde_json::{json, Value};
use shared::api::endpoint::NoQuery;
use shared::api::endpoints::{self as ep, AttachmentQuery};
use shared::api::records::{
    AttachmentPatch, CaseManagerPatch, Checklist, DemographicsInput, EndDateInput, EnrollmentPatch,
    MissingCaseManager, NewCaseManager, NewContact, NewEnrollment, NewForm, NewService, NoteInput,
    RecordItem, SecurityInput,
};
use shared::hud::{RaceEthnicity, RaceEthnicitySet};
use shared::ids::{OrgId, ProgramId, UserId};
use shared::model::{RecordKind, SecuritySetting};
use shared::records::{ContactKind, DocumentType, FormType, ServiceKind};
use shared::Reason;

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
pub const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
];

/// Sends a JSON request; returns the status and the body (Null when empty).
pub async fn send(
    app: &TestApp,
    c: &reqwest::Client,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = c.request(m, app.url(path));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

pub async fn upload(
    app: &TestApp,
    c: &reqwest::Client,
    client: i64,
    query: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> (u16, Value) {
    let res = c
        .post(app.url(&format!("/clients/{client}/attachments?{query}")))
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&app.pool).await.unwrap();
    n
}

/// A shelter enrollment of the Rivera household (program 1), head of household.
pub fn new_enrollment() -> NewEnrollment {
    NewEnrollment {
        program_id: ProgramId(1),
        case_name: "Rivera household".into(),
        entry_date: date("2026-11-01"),
        exit_date: None,
        prior_living_situation: None,
        disabling_condition: None,
        enrollment_coc: None,
        destination: None,
        move_in_date: None,
        head_of_household: true,
    }
}

/// A service with a case-management note at the case-note default (restricted, S-5).
pub fn new_service() -> NewService {
    NewService {
        service_kind: ServiceKind::Transaction,
        date: date("2026-11-20"),
        description: "Shelter night".into(),
        enrollment_id: None,
        case_management_minutes: Some(30),
        case_management_note: Some("Talked about housing options".into()),
        note_security: None,
    }
}

/// A new contact row at the client's direction, replacing nothing, with the correction note.
pub fn contact(kind: ContactKind, value: &str, start: &str) -> NewContact {
    NewContact {
        contact_kind: kind,
        value: value.into(),
        start_date: date(start),
        replaces: Vec::new(),
        client_directed: true,
        decline_note: false,
        notify_owners: false,
    }
}

pub fn note(text: &str) -> NoteInput {
    NoteInput { text: text.into() }
}

/// End-dates a record on `day`, without the client's direction.
pub fn end_on(day: &str) -> EndDateInput {
    EndDateInput {
        destination: None,
        end_date: date(day),
        client_directed: false,
    }
}

/// An upload's description: `document_type` and `file_name`, the default setting.
pub fn attachment(document_type: DocumentType, file_name: &str) -> AttachmentQuery {
    AttachmentQuery {
        document_type: serde_json::to_value(document_type)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned(),
        file_name: file_name.into(),
        security: None,
        service_id: None,
    }
}

/// Files uploaded by the test: all but the demo data's attachment scans (one per demo client).
fn files_in(app: &TestApp) -> usize {
    std::fs::read_dir(app.files_dir())
        .map(|d| d.count())
        .unwrap_or(0)
        - server::db::demo::DEMO_CLIENTS
}

/// Attachments uploaded by the test: all but the demo data's (one per demo client).
const UPLOADED_ATTACHMENTS: &str = "SELECT COUNT(*) - 36 FROM attachments";

#[test]
fn the_demo_has_one_attachment_per_client() {
    assert_eq!(
        server::db::demo::DEMO_CLIENTS,
        36,
        "keep UPLOADED_ATTACHMENTS in step"
    );
}

#[tokio::test]
async fn r6_enrollments_are_changed_and_exited_only_by_the_owning_agency() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = app
        .send::<ep::CreateEnrollment>(&shelter, &[1], &new_enrollment())
        .await
        .ok()
        .meta
        .id
        .0;
    let housing = app.sign_in("housing.admin").await;
    let body = EnrollmentPatch {
        case_name: Some("Changed".into()),
        ..Default::default()
    };
    refused!(
        app.send_as::<ep::UpdateRecord, _>(&housing, &[id], &body)
            .await,
        403,
        Reason::OnlyOwningAgency { .. }
    );
    let end = end_on("2026-11-21");
    app.send::<ep::EndRecord>(&housing, &[id], &end)
        .await
        .refused(403);
    app.get::<ep::DeleteRecord>(&housing, &[id])
        .await
        .refused(403);
    // Another user of the owning agency may.
    let colleague = app.sign_in("shelter.cw2").await;
    let v = app
        .send_as::<ep::UpdateRecord, _>(&colleague, &[id], &body)
        .await
        .ok();
    assert_eq!(details!(v, Enrollment).case_name, "Changed");
    let v = app
        .send::<ep::EndRecord>(&colleague, &[id], &end)
        .await
        .ok();
    assert_eq!(details!(v, Enrollment).exit_date, Some(date("2026-11-21")));
    assert!(v.detail.contains("exit 2026-11-21"), "{v:?}");
    // Nobody enrolls a client in another agency's program.
    refused!(
        app.send::<ep::CreateEnrollment>(&housing, &[1], &new_enrollment())
            .await,
        403,
        Reason::NotYourAgency { .. }
    );
    // An exit before the entry is bad input naming the field.
    let bad = end_on("2026-10-01");
    let e = app
        .send::<ep::EndRecord>(&colleague, &[id], &bad)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("exit_date"));
}

#[tokio::test]
async fn r9_a_social_security_card_is_refused_for_everyone_and_nothing_is_stored() {
    let app = spawn_app().await;
    for user in ["shelter.cw", "shelter.admin", "coc.admin"] {
        let c = app.sign_in(user).await;
        let query = attachment(DocumentType::SocialSecurityCard, "card.pdf");
        refused!(
            app.upload::<ep::UploadAttachment>(
                &c,
                &[1],
                &query,
                Some("application/pdf"),
                PDF.to_vec()
            )
            .await,
            403,
            Reason::SocialSecurityCardRefused
        );
    }
    assert_eq!(count(&app, UPLOADED_ATTACHMENTS).await, 0);
    assert_eq!(files_in(&app), 0);
    // The refusal explains the alternative.
    let text = shared::Reason::SocialSecurityCardRefused.describe(&|o| o.to_string());
    assert!(text.contains("holds a copy"), "{text}");
}

#[tokio::test]
async fn r9_only_the_uploader_modifies_or_deletes_an_attachment() {
    let app = spawn_app().await;
    let uploader = app.sign_in("shelter.cw").await;
    let query = attachment(DocumentType::BirthCertificate, "bc.pdf");
    let v = app
        .upload::<ep::UploadAttachment>(
            &uploader,
            &[1],
            &query,
            Some("application/pdf"),
            PDF.to_vec(),
        )
        .await
        .ok();
    assert_eq!(
        details!(v, Attachment).security,
        SecuritySetting::SharedWithAll,
        "R-9 default"
    );
    let id = v.meta.id.0;
    // Everyone may read (shared with all) and download it.
    let outreach = app.sign_in("outreach.cw").await;
    let res = outreach
        .get(app.url(&path::<ep::GetRecordFile>(&[id])))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    let patch = AttachmentPatch {
        file_name: Some("renamed.pdf".into()),
        ..Default::default()
    };
    for user in ["shelter.cw2", "shelter.admin", "coc.admin", "outreach.cw"] {
        let c = app.sign_in(user).await;
        refused!(
            app.get::<ep::DeleteRecord>(&c, &[id]).await,
            403,
            Reason::OnlyUploader { .. }
        );
        let a = app.send_as::<ep::UpdateRecord, _>(&c, &[id], &patch).await;
        assert_eq!(a.status, 403, "{user}");
    }
    let v = app
        .send_as::<ep::UpdateRecord, _>(&uploader, &[id], &patch)
        .await
        .ok();
    assert_eq!(details!(v, Attachment).file_name, "renamed.pdf");
    app.get::<ep::DeleteRecord>(&uploader, &[id]).await.ok();
    // P-3: the row and the file are kept.
    assert_eq!(count(&app, UPLOADED_ATTACHMENTS).await, 1);
    assert_eq!(files_in(&app), 1);
}

#[tokio::test]
async fn r9_sniffing_refuses_an_html_file_labelled_as_pdf_and_stores_nothing() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(
        &app,
        "SELECT COUNT(*) FROM records WHERE kind = 'Attachment' AND author_id = 3",
    )
    .await;
    let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>".to_vec();
    let query = attachment(DocumentType::PhotoId, "id.pdf");
    // An HTML file, and a PNG declared as a PDF: the declared type must match the content.
    for (bytes, field) in [(html, "file"), (PNG.to_vec(), "content_type")] {
        let e = app
            .upload::<ep::UploadAttachment>(&c, &[1], &query, Some("application/pdf"), bytes)
            .await
            .refused(422);
        assert_eq!(e.field.as_deref(), Some(field));
    }
    assert_eq!(count(&app, UPLOADED_ATTACHMENTS).await, 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM records WHERE kind = 'Attachment' AND author_id = 3"
        )
        .await,
        before,
        "no attachment record was added for the uploader"
    );
    assert_eq!(files_in(&app), 0);
}

#[tokio::test]
async fn r9_an_oversize_upload_is_refused_with_nothing_stored() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, "SELECT COUNT(*) FROM records").await;
    let mut big = PDF.to_vec();
    big.resize(server::config::DEFAULT_MAX_UPLOAD_BYTES + 1, b' ');
    let query = attachment(DocumentType::PhotoId, "big.pdf");
    let e = app
        .upload::<ep::UploadAttachment>(&c, &[1], &query, Some("application/pdf"), big)
        .await
        .refused(413);
    assert_eq!(e.field.as_deref(), Some("file"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM records").await, before);
    assert_eq!(files_in(&app), 0);
    // Exactly the limit is accepted (the global 1 MiB body limit does not apply to uploads).
    let mut max = PDF.to_vec();
    max.resize(server::config::DEFAULT_MAX_UPLOAD_BYTES, b' ');
    let query = attachment(DocumentType::PhotoId, "max.pdf");
    app.upload::<ep::UploadAttachment>(&c, &[1], &query, Some("application/pdf"), max)
        .await
        .ok();
}

#[tokio::test]
async fn r9_r11_only_the_service_owner_attaches_documents_to_a_service() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let sid = app
        .send::<ep::CreateService>(&shelter, &[1], &new_service())
        .await
        .ok()
        .meta
        .id;
    let housing = app.sign_in("housing.cw").await;
    let query = AttachmentQuery {
        service_id: Some(sid.0),
        ..attachment(DocumentType::ServiceAgreement, "a.pdf")
    };
    refused!(
        app.upload::<ep::UploadAttachment>(
            &housing,
            &[1],
            &query,
            Some("application/pdf"),
            PDF.to_vec()
        )
        .await,
        403,
        Reason::OnlyOwningAgency { .. }
    );
    let v = app
        .upload::<ep::UploadAttachment>(
            &shelter,
            &[1],
            &query,
            Some("application/pdf"),
            PDF.to_vec(),
        )
        .await
        .ok();
    assert_eq!(details!(v, Attachment).service_id, Some(sid));
}

#[tokio::test]
async fn r10_case_managers_are_changed_only_by_the_assigning_agency() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let assign = |case_manager: i64| NewCaseManager {
        program_id: ProgramId(1),
        case_manager_id: UserId(case_manager),
        start_date: date("2026-11-01"),
        end_date: None,
    };
    let id = app
        .send::<ep::CreateCaseManager>(&shelter, &[1], &assign(3))
        .await
        .ok()
        .meta
        .id
        .0;
    // A case manager of another agency is bad input.
    let e = app
        .send::<ep::CreateCaseManager>(&shelter, &[1], &assign(6))
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("case_manager_id"));
    let patch = CaseManagerPatch {
        case_manager_id: Some(UserId(4)),
        ..Default::default()
    };
    let end = end_on("2026-11-22");
    for user in ["housing.admin", "outreach.cw", "coc.admin"] {
        let c = app.sign_in(user).await;
        refused!(
            app.send_as::<ep::UpdateRecord, _>(&c, &[id], &patch).await,
            403,
            Reason::OnlyOwningAgency { .. }
        );
        let a = app.send::<ep::EndRecord>(&c, &[id], &end).await;
        assert_eq!(a.status, 403, "{user}");
        let a = app.get::<ep::DeleteRecord>(&c, &[id]).await;
        assert_eq!(a.status, 403, "{user}");
    }
    let colleague = app.sign_in("shelter.cw2").await;
    let v = app
        .send_as::<ep::UpdateRecord, _>(&colleague, &[id], &patch)
        .await
        .ok();
    assert_eq!(details!(v, CaseManager).case_manager_id, UserId(4));
    assert!(v.detail.contains("Tom Becker"), "{v:?}");
    let v = app
        .send::<ep::EndRecord>(&colleague, &[id], &end)
        .await
        .ok();
    assert_eq!(details!(v, CaseManager).end_date, Some(date("2026-11-22")));
}

#[tokio::test]
async fn r11_services_have_no_delete_for_anyone() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = app
        .send::<ep::CreateService>(&shelter, &[1], &new_service())
        .await
        .ok()
        .meta
        .id
        .0;
    // The owner, its AgencyAdmin and a SystemAdmin: refused, and the rule says why.
    for user in ["shelter.cw", "shelter.admin", "coc.admin"] {
        let c = app.sign_in(user).await;
        refused!(
            app.get::<ep::DeleteRecord>(&c, &[id]).await,
            403,
            Reason::ServicesAreNeverDeleted
        );
    }
    // A demo service (a registry row without details) too.
    let (demo,): (i64,) =
        sqlx::query_as("SELECT MIN(id) FROM records WHERE kind = 'Service' AND client_id = 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    app.get::<ep::DeleteRecord>(&shelter, &[demo])
        .await
        .refused(403);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM records WHERE kind = 'Service' AND deleted = 1"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn r11_the_database_refuses_to_delete_or_tombstone_a_service() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = app
        .send::<ep::CreateService>(&shelter, &[1], &new_service())
        .await
        .ok()
        .meta
        .id
        .0;
    let attempts = [
        format!("DELETE FROM services WHERE record_id = {id}"),
        format!("DELETE FROM records WHERE id = {id}"),
        "DELETE FROM records WHERE kind = 'Service'".to_owned(),
        format!("UPDATE records SET deleted = 1 WHERE id = {id}"),
        "UPDATE records SET deleted = 1 WHERE kind = 'Service'".to_owned(),
        format!("UPDATE records SET kind = 'ProfileNote' WHERE id = {id}"),
    ];
    for sql in &attempts {
        let res = sqlx::query(sql).execute(&app.pool).await;
        assert!(res.is_err(), "the database accepted: {sql}");
    }
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM services WHERE record_id = {id}")
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM records WHERE kind = 'Service' AND deleted = 0"
        )
        .await,
        37,
        "36 demo services and the new one"
    );
    // Other records may still be tombstoned by the application.
    let ok =
        sqlx::query("UPDATE records SET deleted = 1 WHERE kind = 'ProfileNote' AND client_id = 1")
            .execute(&app.pool)
            .await;
    assert!(ok.is_ok());
}

#[tokio::test]
async fn r11_the_case_management_note_follows_its_own_setting() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let id = app
        .send::<ep::CreateService>(&shelter, &[1], &new_service())
        .await
        .ok()
        .meta
        .id
        .0;
    // Eno River reads the service (tier 2) but not the restricted note.
    let housing = app.sign_in("housing.cw").await;
    let v = app.get::<ep::GetRecord>(&housing, &[id]).await.ok();
    assert_eq!(details!(v, Service).case_management_note, None);
    assert!(details!(v, Service).note_hidden);
    // The whole answer, raw: no field, declared or not, carries the note.
    let (_, raw) = send(&app, &housing, "GET", &path::<ep::GetRecord>(&[id]), None).await;
    assert!(!raw.to_string().contains("housing options"), "{raw}");
    // Lowering the note to ROI/MOU needs the shelter's AgencyAdmin; then the ROI shares it.
    let body = SecurityInput {
        security: SecuritySetting::ShareWithRoiMou,
    };
    refused!(
        app.send::<ep::SetRecordSecurity>(&shelter, &[id], &body)
            .await,
        403,
        Reason::NeedsAgencyAdmin { .. }
    );
    let admin = app.sign_in("shelter.admin").await;
    app.send::<ep::SetRecordSecurity>(&admin, &[id], &body)
        .await
        .ok();
    let v = app.get::<ep::GetRecord>(&housing, &[id]).await.ok();
    assert_eq!(
        details!(v, Service).case_management_note.as_deref(),
        Some("Talked about housing options")
    );
}

#[tokio::test]
async fn r12_notes_are_edited_and_deleted_only_by_their_author() {
    let app = spawn_app().await;
    let author = app.sign_in("shelter.cw").await;
    let id = app
        .send::<ep::CreateNote>(&author, &[1], &note("Prefers mornings."))
        .await
        .ok()
        .meta
        .id
        .0;
    let edit = note("Edited by someone else");
    for user in ["shelter.cw2", "shelter.admin", "coc.admin", "housing.admin"] {
        let c = app.sign_in(user).await;
        refused!(
            app.send_as::<ep::UpdateRecord, _>(&c, &[id], &edit).await,
            403,
            Reason::OnlyAuthor { .. }
        );
        let a = app.get::<ep::DeleteRecord>(&c, &[id]).await;
        assert_eq!(a.status, 403, "{user}");
    }
    let v = app
        .send_as::<ep::UpdateRecord, _>(&author, &[id], &note("Prefers afternoons."))
        .await
        .ok();
    assert_eq!(v.detail, "Prefers afternoons.");
    assert_eq!(details!(v, Note).text, "Prefers afternoons.");
    app.get::<ep::DeleteRecord>(&author, &[id]).await.ok();
}

async fn phone_rows(app: &TestApp, c: &reqwest::Client, client: i64) -> Vec<RecordItem> {
    let list = app.get::<ep::ListContacts>(c, &[client]).await.ok();
    list.records
        .into_iter()
        .filter(|r| details!(r, Contact).contact_kind == ContactKind::Phone)
        .collect()
}

#[tokio::test]
async fn r4_contact_rows_change_only_at_the_clients_direction_by_a_new_row() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let first = NewContact {
        decline_note: true,
        ..contact(ContactKind::Phone, "(919) 555-0101", "2026-10-01")
    };
    let old = app
        .send::<ep::CreateContact>(&shelter, &[1], &first)
        .await
        .ok()
        .row
        .meta
        .id;
    let before = count(&app, "SELECT COUNT(*) FROM records").await;
    // Without the client's direction: refused, nothing stored.
    let housing = app.sign_in("housing.cw").await;
    let change = NewContact {
        replaces: vec![old],
        client_directed: false,
        ..contact(ContactKind::Phone, "(919) 555-0202", "2026-11-22")
    };
    refused!(
        app.send::<ep::CreateContact>(&housing, &[1], &change).await,
        403,
        Reason::NeedsClientDirection
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM records").await, before);
    // In place: never, even for the agency that entered it. (No contact patch exists: the
    // body is one on purpose.)
    let (status, v) = send(
        &app,
        &shelter,
        "PATCH",
        &path::<ep::UpdateRecord>(&[old.0]),
        Some(json!({ "value": "x" })),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(v["reason"]["code"], "contact_data_is_end_dated");
    refused!(
        app.get::<ep::DeleteRecord>(&shelter, &[old.0]).await,
        403,
        Reason::ContactDataIsEndDated
    );
    // At the client's direction (another agency, tier 1): a new row, the old one end-dated the
    // day before, and the correction note since it was not declined.
    let directed = NewContact {
        client_directed: true,
        ..change
    };
    let v = app
        .send::<ep::CreateContact>(&housing, &[1], &directed)
        .await
        .ok();
    assert_eq!(v.end_dated, [old]);
    assert_eq!(v.may_notify, [OrgId(2)], "the shelter entered the old row");
    let note = v.correction_note.expect("a correction note");
    let rows = phone_rows(&app, &shelter, 1).await;
    let old_row = rows.iter().find(|r| r.meta.id == old).unwrap();
    let old_row = details!(old_row, Contact);
    assert_eq!(old_row.value, "(919) 555-0101", "not overwritten");
    assert_eq!(old_row.end_date, Some(date("2026-11-21")));
    let n = app.get::<ep::GetRecord>(&shelter, &[note.0]).await.ok();
    assert_eq!(n.meta.kind, RecordKind::ProfileNote);
    assert_eq!(n.meta.provenance.org, OrgId(3));
    assert!(n.detail.contains("corrected"), "{n:?}");
}

#[tokio::test]
async fn r5_the_correction_note_is_skipped_only_when_declined() {
    let app = spawn_app().await;
    let c = app.sign_in("outreach.cw").await;
    let notes = "SELECT COUNT(*) FROM records WHERE kind = 'ProfileNote'";
    let before = count(&app, notes).await;
    let body = NewContact {
        decline_note: true,
        ..contact(ContactKind::Email, "alex@example.org", "2026-11-22")
    };
    let v = app.send::<ep::CreateContact>(&c, &[2], &body).await.ok();
    assert_eq!(v.correction_note, None);
    assert_eq!(count(&app, notes).await, before);
    let body = NewContact {
        replaces: vec![v.row.meta.id],
        ..contact(ContactKind::Email, "alex.r@example.org", "2026-11-23")
    };
    let v = app.send::<ep::CreateContact>(&c, &[2], &body).await.ok();
    assert!(v.correction_note.is_some());
    assert_eq!(count(&app, notes).await, before + 1);
    // A bad value names the field; nothing stored.
    let body = contact(ContactKind::Email, "not an email", "2026-11-23");
    let e = app
        .send::<ep::CreateContact>(&c, &[2], &body)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("value"));
    assert_eq!(count(&app, notes).await, before + 1);
}

#[tokio::test]
async fn r5_only_the_entering_agencys_admin_end_dates_without_the_clients_direction() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let body = NewContact {
        decline_note: true,
        ..contact(ContactKind::Address, "12 Main St, Durham", "2026-09-01")
    };
    let id = app
        .send::<ep::CreateContact>(&shelter, &[1], &body)
        .await
        .ok()
        .row
        .meta
        .id
        .0;
    let end = end_on("2026-11-22");
    for user in ["shelter.cw", "housing.admin", "outreach.admin", "coc.admin"] {
        let c = app.sign_in(user).await;
        refused!(
            app.send::<ep::EndRecord>(&c, &[id], &end).await,
            403,
            Reason::NeedsClientDirection
        );
    }
    let admin = app.sign_in("shelter.admin").await;
    let v = app.send::<ep::EndRecord>(&admin, &[id], &end).await.ok();
    assert_eq!(details!(v, Contact).end_date, Some(date("2026-11-22")));
    // With the client's direction, any agency may.
    let other = NewContact {
        decline_note: true,
        ..contact(ContactKind::Address, "3 Elm St, Durham", "2026-09-01")
    };
    let id2 = app
        .send::<ep::CreateContact>(&shelter, &[1], &other)
        .await
        .ok()
        .row
        .meta
        .id
        .0;
    let outreach = app.sign_in("outreach.cw").await;
    let end = EndDateInput {
        client_directed: true,
        ..end_on("2026-11-22")
    };
    app.send::<ep::EndRecord>(&outreach, &[id2], &end)
        .await
        .ok();
}

#[tokio::test]
async fn s1_demographics_and_photo_are_editable_by_every_agency() {
    let app = spawn_app().await;
    let outreach = app.sign_in("outreach.cw").await;
    // Client 1 has a demo demographics row (no details yet): the first PUT fills it in.
    let body = DemographicsInput {
        race_ethnicity: Some(RaceEthnicitySet::one(RaceEthnicity::BlackAfAmerican)),
        ..Default::default()
    };
    let v = app
        .send::<ep::PutDemographics>(&outreach, &[1], &body)
        .await
        .ok_with(200);
    assert_eq!(
        details!(v, Demographics).race_ethnicity,
        Some(RaceEthnicitySet::one(RaceEthnicity::BlackAfAmerican))
    );
    assert_eq!(
        v.meta.provenance.org,
        OrgId(2),
        "provenance stays with the entering agency"
    );
    let housing = app.sign_in("housing.cw").await;
    let body = DemographicsInput {
        citizenship_status: Some("US citizen".into()),
        ..Default::default()
    };
    let v = app
        .send::<ep::PutDemographics>(&housing, &[1], &body)
        .await
        .ok_with(200);
    assert_eq!(details!(v, Demographics).race_ethnicity, None);
    // A wrongly typed value (no wire type can carry it): bad input naming the field.
    let (status, v) = send(
        &app,
        &housing,
        "PUT",
        &path::<ep::PutDemographics>(&[1]),
        Some(json!({ "race_ethnicity": 7 })),
    )
    .await;
    assert_eq!((status, v["field"].as_str()), (422, Some("race_ethnicity")));
    // Photo: JPEG/PNG only, by content.
    app.upload::<ep::PutPhoto>(&outreach, &[1], &NoQuery, Some("image/png"), PNG.to_vec())
        .await
        .ok_with(201);
    let a = app
        .upload::<ep::PutPhoto>(&housing, &[1], &NoQuery, None, PDF.to_vec())
        .await;
    assert_eq!(a.status, 422, "a PDF is not a photo");
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'].to_vec();
    let a = app
        .upload::<ep::PutPhoto>(&housing, &[1], &NoQuery, None, jpeg.clone())
        .await;
    assert_eq!(a.status, 200, "replaced by another agency");
    let res = app
        .sign_in("shelter.cw")
        .await
        .get(app.url(&path::<ep::GetPhoto>(&[1])))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    assert_eq!(res.bytes().await.unwrap().as_ref(), jpeg.as_slice());
    // P-3: the replaced photo's row is in history, its file still on disk.
    let hist = count(&app, "SELECT COUNT(*) FROM record_history WHERE action = 'update' AND old_value LIKE '%image/png%'").await;
    assert_eq!(hist, 1);
    assert_eq!(files_in(&app), 2);
}

#[tokio::test]
async fn s5_lowering_a_restricted_form_needs_an_agency_admin_of_the_owner() {
    let app = spawn_app().await;
    let cw = app.sign_in("shelter.cw").await;
    let form = NewForm {
        form_type: FormType::Health,
        answers: [("q1".to_owned(), "a1".to_owned())].into(),
        security: None,
    };
    let v = app.send::<ep::CreateForm>(&cw, &[1], &form).await.ok();
    assert_eq!(
        details!(v, Form).security,
        SecuritySetting::RestrictToOrganization,
        "S-5 default"
    );
    let id = v.meta.id.0;
    let set = |security| SecurityInput { security };
    let lower = set(SecuritySetting::ShareWithRoiMou);
    refused!(
        app.send::<ep::SetRecordSecurity>(&cw, &[id], &lower).await,
        403,
        Reason::NeedsAgencyAdmin { .. }
    );
    // Another agency's admin may not even see it.
    let other = app.sign_in("housing.admin").await;
    app.send::<ep::SetRecordSecurity>(&other, &[id], &lower)
        .await
        .refused(404);
    let admin = app.sign_in("shelter.admin").await;
    let v = app
        .send::<ep::SetRecordSecurity>(&admin, &[id], &lower)
        .await
        .ok();
    assert_eq!(v.meta.security, Some(SecuritySetting::ShareWithRoiMou));
    // Now shared with Eno River through the client's ROI.
    app.get::<ep::GetRecord>(&other, &[id]).await.ok();
    // Raising back is the owner's, no admin needed; SharedWithAll is never a form's.
    let raise = set(SecuritySetting::RestrictToOrganization);
    app.send::<ep::SetRecordSecurity>(&cw, &[id], &raise)
        .await
        .ok();
    refused!(
        app.send::<ep::SetRecordSecurity>(&admin, &[id], &set(SecuritySetting::SharedWithAll))
            .await,
        403,
        Reason::SettingNotAllowed { .. }
    );
    // Creating below the default: the same rule.
    let low = NewForm {
        form_type: FormType::Legal,
        answers: Default::default(),
        security: Some(SecuritySetting::ShareWithRoiMou),
    };
    app.send::<ep::CreateForm>(&cw, &[1], &low)
        .await
        .refused(403);
    app.send::<ep::CreateForm>(&admin, &[1], &low).await.ok();
}

#[tokio::test]
async fn p3_history_keeps_the_old_value_and_tombstones_are_for_system_admins() {
    let app = spawn_app().await;
    let cw = app.sign_in("shelter.cw").await;
    let id = app
        .send::<ep::CreateNote>(&cw, &[1], &note("First wording."))
        .await
        .ok()
        .meta
        .id;
    app.send_as::<ep::UpdateRecord, _>(&cw, &[id.0], &note("Second wording."))
        .await
        .ok();
    app.get::<ep::DeleteRecord>(&cw, &[id.0]).await.ok();
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT action, old_value, changed_by FROM record_history WHERE record_id = $1 ORDER BY id",
    )
    .bind(id.0)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(actions, ["create", "update", "delete"]);
    assert!(rows[1].1.contains("First wording."), "{}", rows[1].1);
    assert!(rows[2].1.contains("Second wording."), "{}", rows[2].1);
    assert!(rows.iter().all(|r| r.2 == 3), "changed by shelter.cw");
    assert!(sqlx::query("UPDATE record_history SET action = 'x'")
        .execute(&app.pool)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM record_history")
        .execute(&app.pool)
        .await
        .is_err());
    // The tombstone: hidden from caseworkers (not even counted), kept for SystemAdmins.
    app.get::<ep::GetRecord>(&cw, &[id.0]).await.refused(404);
    let list = app.get::<ep::ListNotes>(&cw, &[1]).await.ok();
    assert!(!list.records.iter().any(|r| r.meta.id == id));
    assert_eq!(list.withheld_by, None);
    let admin = app.sign_in("coc.admin").await;
    let v = app.get::<ep::GetRecord>(&admin, &[id.0]).await.ok();
    assert!(v.meta.deleted);
    let list = app.get::<ep::ListNotes>(&admin, &[1]).await.ok();
    assert!(list.records.iter().any(|r| r.meta.id == id));
    // A tombstone is not deleted or edited again, even by a SystemAdmin.
    refused!(
        app.get::<ep::DeleteRecord>(&admin, &[id.0]).await,
        403,
        Reason::Deleted
    );
}

#[tokio::test]
async fn p4_record_reads_and_writes_are_audited_by_hmis_number_only() {
    let app = spawn_app().await;
    let cw = app.sign_in("housing.cw").await;
    app.get::<ep::ListForms>(&cw, &[1]).await.ok();
    let id = app
        .send::<ep::CreateNote>(&cw, &[1], &note("Called Alex Rivera."))
        .await
        .ok()
        .meta
        .id
        .0;
    app.get::<ep::DeleteRecord>(&cw, &[id]).await.ok();
    let shelter = app.sign_in("shelter.cw").await;
    let a = app.get::<ep::DeleteRecord>(&shelter, &[id]).await;
    assert_eq!(a.status, 404, "a tombstone is not found by a caseworker");
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT action, reason, hmis_number FROM audit_log
         WHERE user_id = 6 AND action <> 'sign in' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert!(actions.contains(&"list Form records"), "{actions:?}");
    assert!(
        actions.contains(&format!("create Profile note record #{id}").as_str()),
        "{actions:?}"
    );
    assert!(
        actions.contains(&format!("delete Profile note record #{id}").as_str()),
        "{actions:?}"
    );
    let list = rows.iter().find(|r| r.0 == "list Form records").unwrap();
    // The reason by its stable audit text (`shared::stored`): code, then its data.
    assert!(
        list.1.starts_with("1 shown; SharedByRoi roi=") && list.1.contains(" until="),
        "Housing shared by ROI, the two restricted not even counted (S-9): {}",
        list.1
    );
    assert!(rows.iter().all(|r| r.2.as_deref() == Some("H0001001")));
    let all: Vec<(String, String)> = sqlx::query_as("SELECT action, reason FROM audit_log")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    for (a, r) in all {
        assert!(
            !a.contains("Alex") && !r.contains("Alex") && !r.contains("Rivera"),
            "{a} {r}"
        );
    }
}

#[tokio::test]
async fn bad_input_is_a_422_naming_the_field_and_stores_nothing() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, "SELECT COUNT(*) FROM records").await;
    let cases: Vec<(&str, Value, &str)> = vec![
        ("/clients/1/notes", json!({}), "text"),
        ("/clients/1/notes", json!({ "text": 5 }), "text"),
        ("/clients/1/notes", json!({ "text": "   " }), "text"),
        (
            "/clients/1/notes",
            json!({ "text": "a", "colour": "red" }),
            "colour",
        ),
        (
            "/clients/1/enrollments",
            json!({ "program_id": 1, "case_name": "x", "entry_date": 5 }),
            "entry_date",
        ),
        (
            "/clients/1/enrollments",
            json!({ "program_id": 1, "case_name": "x", "entry_date": "2026-13-01" }),
            "entry_date",
        ),
        (
            "/clients/1/enrollments",
            json!({ "program_id": 999, "case_name": "x", "entry_date": "2026-11-01" }),
            "program_id",
        ),
        (
            "/clients/1/enrollments",
            json!({ "program_id": 1, "case_name": "x", "entry_date": "2026-11-01", "move_in_date": "2026-11-02" }),
            "move_in_date",
        ),
        (
            "/clients/1/services",
            json!({ "service_kind": "Meal", "date": "2026-11-01", "description": "x" }),
            "service_kind",
        ),
        (
            "/clients/1/services",
            json!({ "service_kind": "Need", "date": "2026-11-01", "description": "" }),
            "description",
        ),
        (
            "/clients/1/services",
            json!({ "service_kind": "Need", "date": "2026-11-01", "description": "x", "case_management_minutes": -5 }),
            "case_management_minutes",
        ),
        (
            "/clients/1/forms",
            json!({ "form_type": "Health", "answers": [1] }),
            "answers",
        ),
        (
            "/clients/1/case-managers",
            json!({ "program_id": 1, "case_manager_id": 3, "start_date": "2026-11-01", "end_date": "2026-10-01" }),
            "end_date",
        ),
        (
            "/clients/1/contacts",
            json!({ "contact_kind": "Phone", "value": "12", "start_date": "2026-11-01", "client_directed": true }),
            "value",
        ),
        (
            "/clients/1/contacts",
            json!({ "contact_kind": "Phone", "value": "(919) 555-0000", "start_date": "2026-11-01" }),
            "client_directed",
        ),
    ];
    for (path, body, field) in cases {
        let (status, v) = send(&app, &c, "POST", path, Some(body.clone())).await;
        assert_eq!(status, 422, "{path} {body}: {v}");
        assert_eq!(v["field"], field, "{path} {body}: {v}");
    }
    // Malformed JSON.
    let res = c
        .post(app.url("/clients/1/notes"))
        .header("content-type", "application/json")
        .body("{\"text\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["field"], "body");
    // Unknown ids: 404.
    let x = note("x");
    app.send::<ep::CreateNote>(&c, &[99999], &x)
        .await
        .refused(404);
    app.get::<ep::GetRecord>(&c, &[99999]).await.refused(404);
    app.send_as::<ep::UpdateRecord, _>(&c, &[99999], &x)
        .await
        .refused(404);
    app.get::<ep::ListForms>(&c, &[99999]).await.refused(404);
    // Upload query problems name the parameter.
    let (status, v) = upload(
        &app,
        &c,
        1,
        "file_name=a.pdf",
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!((status, v["field"].as_str()), (422, Some("document_type")));
    let (status, v) = upload(
        &app,
        &c,
        1,
        "document_type=Passport&file_name=a.pdf",
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!((status, v["field"].as_str()), (422, Some("document_type")));
    let (status, v) = upload(
        &app,
        &c,
        1,
        "document_type=PhotoId&file_name=../a.pdf",
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!((status, v["field"].as_str()), (422, Some("file_name")));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM records").await, before);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM record_history").await, 0);
}

#[tokio::test]
async fn idor_record_ids_of_another_client_in_a_body_answer_422_naming_the_field() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let id = |item: RecordItem| item.meta.id;
    let enrollment_1 = id(app
        .send::<ep::CreateEnrollment>(&c, &[1], &new_enrollment())
        .await
        .ok());
    let service_1 = id(app
        .send::<ep::CreateService>(&c, &[1], &new_service())
        .await
        .ok());
    let phone = NewContact {
        decline_note: true,
        ..contact(ContactKind::Phone, "(919) 555-0101", "2026-10-01")
    };
    let contact_1 = app
        .send::<ep::CreateContact>(&c, &[1], &phone)
        .await
        .ok()
        .row
        .meta
        .id;
    let before = count(&app, "SELECT COUNT(*) FROM records").await;
    // Client 4 is the shelter's too: the ids are readable, but not this client's.
    let s = NewService {
        enrollment_id: Some(enrollment_1),
        ..new_service()
    };
    let e = app
        .send::<ep::CreateService>(&c, &[4], &s)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("enrollment_id"));
    let query = AttachmentQuery {
        service_id: Some(service_1.0),
        ..attachment(DocumentType::ServiceAgreement, "a.pdf")
    };
    let e = app
        .upload::<ep::UploadAttachment>(&c, &[4], &query, Some("application/pdf"), PDF.to_vec())
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("service_id"));
    let change = NewContact {
        replaces: vec![contact_1],
        ..contact(ContactKind::Phone, "(919) 555-0202", "2026-11-22")
    };
    let e = app
        .send::<ep::CreateContact>(&c, &[4], &change)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("replaces"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM records").await, before);
    assert_eq!(files_in(&app), 0);
}

#[tokio::test]
async fn r9_r10_the_head_of_household_checklist_shows_documents_on_file_and_missing_case_managers()
{
    let app = spawn_app().await;
    // Demo client 1 (id 2): head of household at Eno River's RRH with a case manager there, and
    // enrolled at Triangle Street Outreach (org 4, program 5) without one; a birth certificate.
    let c = app.sign_in("shelter.cw").await;
    let v = app.get::<ep::GetChecklist>(&c, &[2]).await.ok();
    assert!(v.head_of_household);
    let item = |v: &Checklist, doc: DocumentType| {
        v.documents
            .iter()
            .find(|d| d.document == doc)
            .unwrap_or_else(|| panic!("{doc:?} in {v:?}"))
            .clone()
    };
    assert!(item(&v, DocumentType::BirthCertificate).on_file);
    assert!(!item(&v, DocumentType::ThirdPartyHomelessnessVerification).on_file);
    let disability = item(&v, DocumentType::DisabilityVerification);
    assert!(!disability.on_file);
    assert!(disability.reminder.unwrap().contains("diagnos"));
    assert_eq!(
        v.missing_case_managers,
        [MissingCaseManager {
            org: OrgId(4),
            program_id: ProgramId(5),
            program_name: "Triangle Street Outreach".into()
        }]
    );

    // Eno River uploads the disability verification: now on file for every reader.
    let housing = app.sign_in("housing.cw").await;
    let query = attachment(DocumentType::DisabilityVerification, "verification.pdf");
    app.upload::<ep::UploadAttachment>(
        &housing,
        &[2],
        &query,
        Some("application/pdf"),
        PDF.to_vec(),
    )
    .await
    .ok();
    let v = app.get::<ep::GetChecklist>(&c, &[2]).await.ok();
    assert!(item(&v, DocumentType::DisabilityVerification).on_file);

    // An unknown client is 404.
    app.get::<ep::GetChecklist>(&c, &[99999]).await.refused(404);
}

#[tokio::test]
async fn r5_the_originating_agencys_admins_are_notified_when_the_user_asks() {
    let app = spawn_app().await;
    // Demo client 1 (id 2, H0001002): its phone row was entered by Eno River Housing (org 3).
    let shelter = app.sign_in("shelter.cw").await;
    let list = app.get::<ep::ListContacts>(&shelter, &[2]).await.ok();
    let phone = list.records[0].meta.id;
    let change = NewContact {
        replaces: vec![phone],
        notify_owners: true,
        ..contact(ContactKind::Phone, "(919) 555-0177", "2026-11-22")
    };
    let inbox = |user: &'static str| {
        let app = &app;
        async move {
            let c = app.sign_in(user).await;
            app.get::<ep::ListNotifications>(&c, &[]).await.ok().items
        }
    };
    let v = app
        .send::<ep::CreateContact>(&shelter, &[2], &change)
        .await
        .ok();
    assert_eq!(v.may_notify, [OrgId(3)]);
    assert_eq!(v.notified, [OrgId(3)]);
    let items = inbox("housing.admin").await;
    assert_eq!(items.len(), 1, "{items:?}");
    let text = format!("{} {}", items[0].subject, items[0].body);
    assert!(text.contains("H0001002"), "{text}");
    for secret in ["Jordan", "Brooks", "1967"] {
        assert!(!text.contains(secret), "R-13: {text}");
    }
    assert!(inbox("housing.cw").await.is_empty(), "AgencyAdmins only");
    assert!(inbox("outreach.admin").await.is_empty());
}
