//! The access matrix of the records API: for every endpoint, every role of the same or another
//! organization, every tier and ROI/MOU state of the demo data, the HTTP status is what the shared
//! decision says for the same inputs (404 unreadable, 2xx allowed, 403 refused), with a few rows
//! hard-coded so that the test fails if both the server and the expectation were wrong.

use crate::records::{
    attachment, contact, count, end_on, new_enrollment, new_service, note, send, PDF,
};
use crate::support::{date, path, spawn_app, today, TestApp};
use serde_json::json;
use server::db;
use shared::actions::{can_upload, NewRecord, Upload};
use shared::api::endpoints::{self as ep, AttachmentQuery};
use shared::api::records::{
    Answers, AttachmentPatch, CaseManagerPatch, DemographicsInput, EnrollmentPatch, FormPatch,
    NewCaseManager, NewContact, NewForm, RecordDetails, RecordItem, RecordList, SecurityInput,
    ServicePatch,
};
use shared::ids::{ProgramId, UserId};
use shared::records::{AttachmentTarget, ContactKind, DocumentType, FormType};
use shared::resolution::check_single_answer_change;
use shared::{
    can_create, can_delete, can_edit, can_end_date, can_read, can_set_security, Actor, ClientId,
    Decision, Field, OrgId, PolicyConfig, RecordId, RecordKind, RecordMeta, SecuritySetting,
    SharingContext,
};
use std::collections::BTreeSet;

const USERS: [&str; 8] = [
    "coc.admin",
    "shelter.admin",
    "shelter.cw",
    "shelter.cw2",
    "housing.admin",
    "housing.cw",
    "outreach.admin",
    "outreach.cw",
];

async fn actor(app: &TestApp, username: &str) -> Actor {
    let u = db::user_by_username(&app.pool, username)
        .await
        .unwrap()
        .unwrap();
    Actor {
        user: u.id,
        org: u.org,
        role: u.role,
    }
}

struct Stored {
    meta: RecordMeta,
    details: Option<RecordDetails>,
}

async fn stored(app: &TestApp, id: i64) -> Stored {
    let mut conn = app.pool.acquire().await.unwrap();
    let row = db::records::record(&mut conn, RecordId(id))
        .await
        .unwrap()
        .unwrap();
    let details = db::records::details(&mut conn, &row.meta).await.unwrap();
    Stored {
        meta: row.meta,
        details,
    }
}

/// The status the server must answer for a write whose decision is `d` on a record whose read
/// decision is `read`.
fn status(read: &Decision, d: &Decision, ok: u16) -> u16 {
    if !read.allowed {
        404
    } else if d.allowed {
        ok
    } else {
        403
    }
}

fn form(form_type: FormType, answers: &[(&str, &str)]) -> NewForm {
    NewForm {
        form_type,
        answers: answers
            .iter()
            .map(|(q, a)| ((*q).to_owned(), (*a).to_owned()))
            .collect(),
        security: None,
    }
}

fn id_of(item: RecordItem) -> i64 {
    item.meta.id.0
}

/// Records of every kind, created through the API in clients with different releases, and demo
/// rows of clients 1 (active ROI), 2 (MOU), 4 (expired ROI) and 7 (revoked ROI).
async fn fixtures(app: &TestApp) -> Vec<i64> {
    let shelter = app.sign_in("shelter.cw").await;
    let housing = app.sign_in("housing.cw").await;
    let phone = NewContact {
        decline_note: true,
        ..contact(ContactKind::Phone, "(919) 555-0101", "2026-10-01")
    };
    let case_manager = NewCaseManager {
        program_id: ProgramId(1),
        case_manager_id: UserId(3),
        start_date: date("2026-11-01"),
        end_date: None,
    };
    let mut ids = vec![
        id_of(
            app.send::<ep::CreateEnrollment>(&shelter, &[1], &new_enrollment())
                .await
                .ok(),
        ),
        id_of(
            app.send::<ep::CreateService>(&shelter, &[1], &new_service())
                .await
                .ok(),
        ),
        id_of(
            app.send::<ep::CreateNote>(&shelter, &[1], &note("A note."))
                .await
                .ok(),
        ),
        id_of(
            app.send::<ep::CreateForm>(&shelter, &[1], &form(FormType::CaseNotes, &[("q", "a")]))
                .await
                .ok(),
        ),
        id_of(
            app.send::<ep::CreateForm>(&shelter, &[1], &form(FormType::Income, &[("q", "a")]))
                .await
                .ok(),
        ),
        app.send::<ep::CreateContact>(&shelter, &[1], &phone)
            .await
            .ok()
            .row
            .meta
            .id
            .0,
        id_of(
            app.send::<ep::CreateCaseManager>(&shelter, &[1], &case_manager)
                .await
                .ok(),
        ),
        id_of(
            app.send::<ep::CreateForm>(&housing, &[2], &form(FormType::Income, &[]))
                .await
                .ok(),
        ),
        id_of(
            app.send::<ep::CreateNote>(&housing, &[2], &note("Eno note."))
                .await
                .ok(),
        ),
        id_of(
            app.send::<ep::CreateForm>(&shelter, &[4], &form(FormType::Employment, &[]))
                .await
                .ok(),
        ),
    ];
    for (c, client) in [(&shelter, 1), (&housing, 2)] {
        let query = attachment(DocumentType::PhotoId, "id.pdf");
        let v = app
            .upload::<ep::UploadAttachment>(
                c,
                &[client],
                &query,
                Some("application/pdf"),
                PDF.to_vec(),
            )
            .await
            .ok_with(201);
        ids.push(v.meta.id.0);
    }
    // A tombstoned note.
    let gone = id_of(
        app.send::<ep::CreateNote>(&shelter, &[1], &note("Gone."))
            .await
            .ok(),
    );
    app.get::<ep::DeleteRecord>(&shelter, &[gone])
        .await
        .ok_with(204);
    ids.push(gone);
    // Demo rows (no details): every kind in clients 1, 2, 4 and 7.
    let demo: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM records WHERE client_id IN (1, 2, 4, 7) AND id < $1 ORDER BY id",
    )
    .bind(ids[0])
    .fetch_all(&app.pool)
    .await
    .unwrap();
    ids.extend(demo.into_iter().map(|(i,)| i));
    ids
}

/// A harmless edit of the record `id` of `kind` as `c`, in the patch type of its kind; its status
/// and, when refused, its error body.
async fn patch(app: &TestApp, c: &reqwest::Client, id: i64, kind: RecordKind) -> (u16, String) {
    fn brief<T: std::fmt::Debug>(a: crate::support::Answer<T>) -> (u16, String) {
        (a.status, format!("{:?}", a.body))
    }
    let ids = &[id];
    match kind {
        RecordKind::Enrollment => {
            let p = EnrollmentPatch {
                case_name: Some("Rivera household".into()),
                ..Default::default()
            };
            brief(app.send_as::<ep::UpdateRecord, _>(c, ids, &p).await)
        }
        RecordKind::Service => {
            let p = ServicePatch {
                description: Some("Shelter night".into()),
                ..Default::default()
            };
            brief(app.send_as::<ep::UpdateRecord, _>(c, ids, &p).await)
        }
        RecordKind::ProfileNote => brief(
            app.send_as::<ep::UpdateRecord, _>(c, ids, &note("A note."))
                .await,
        ),
        RecordKind::Form => {
            let answers: Answers = [("q".to_owned(), "a".to_owned())].into();
            let p = FormPatch {
                answers: Some(answers),
            };
            brief(app.send_as::<ep::UpdateRecord, _>(c, ids, &p).await)
        }
        RecordKind::CaseManager => {
            let p = CaseManagerPatch {
                start_date: Some(date("2026-11-01")),
                ..Default::default()
            };
            brief(app.send_as::<ep::UpdateRecord, _>(c, ids, &p).await)
        }
        RecordKind::Attachment => {
            let p = AttachmentPatch {
                file_name: Some("id.pdf".into()),
                ..Default::default()
            };
            brief(app.send_as::<ep::UpdateRecord, _>(c, ids, &p).await)
        }
        RecordKind::Demographics => {
            let p = DemographicsInput {
                race_ethnicity: Some(shared::hud::RaceEthnicitySet::one(
                    shared::hud::RaceEthnicity::Asian,
                )),
                ..Default::default()
            };
            brief(app.send_as::<ep::UpdateRecord, _>(c, ids, &p).await)
        }
        // Contact rows have no patch type (they are never edited in place): a raw body.
        _ => {
            let body = json!({ "value": "x" });
            let (st, v) = send(app, c, "PATCH", &path::<ep::UpdateRecord>(ids), Some(body)).await;
            (st, v.to_string())
        }
    }
}

/// Puts back what an allowed write changed, so each cell starts from the same state.
async fn restore(app: &TestApp, s: &Stored) {
    let id = s.meta.id.0;
    sqlx::query(
        "UPDATE records SET deleted = $1, security = $2 WHERE id = $3 AND kind <> 'Service'",
    )
    .bind(i64::from(s.meta.deleted))
    .bind(s.meta.security.map(|x| format!("{x:?}")))
    .bind(id)
    .execute(&app.pool)
    .await
    .unwrap();
    for sql in [
        "UPDATE contact_rows SET end_date = NULL WHERE record_id = $1",
        "UPDATE case_managers SET end_date = NULL WHERE record_id = $1",
        "UPDATE enrollments SET exit_date = NULL WHERE record_id = $1",
    ] {
        sqlx::query(sql).bind(id).execute(&app.pool).await.unwrap();
    }
    if let Some(RecordDetails::Service(sd)) = &s.details {
        sqlx::query("UPDATE services SET note_security = $1 WHERE record_id = $2")
            .bind(format!("{:?}", sd.note_security))
            .bind(id)
            .execute(&app.pool)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn s1_s9_every_record_endpoint_answers_what_the_shared_decision_says() {
    let app = spawn_app().await;
    let ids = fixtures(&app).await;
    let policy = PolicyConfig::default();
    let day = today();
    let mous = db::all_mous(&app.pool).await.unwrap();
    let mut cells = 0;
    let mut seen = BTreeSet::new();
    for user in USERS {
        let a = actor(&app, user).await;
        let c = app.sign_in(user).await;
        for &id in &ids {
            let s = stored(&app, id).await;
            let rois = db::rois_of_client(&app.pool, s.meta.client).await.unwrap();
            let ctx = SharingContext {
                rois: &rois,
                mous: &mous,
            };
            let read = can_read(&a, &s.meta, &ctx, day, &policy);
            let has = s.details.is_some();
            // GET
            let got = app.get::<ep::GetRecord>(&c, &[id]).await.status;
            assert_eq!(got, if read.allowed { 200 } else { 404 }, "{user} GET {id}");

            // GET file (attachments; a download, so raw)
            if has && s.meta.kind == RecordKind::Attachment {
                let file = path::<ep::GetRecordFile>(&[id]);
                let got = send(&app, &c, "GET", &file, None).await.0;
                assert_eq!(
                    got,
                    if read.allowed { 200 } else { 404 },
                    "{user} FILE {id}"
                );
            }

            // DELETE
            let d = can_delete(&a, &s.meta, &ctx, day, &policy);
            let want = status(&read, &d, 204);
            let ans = app.get::<ep::DeleteRecord>(&c, &[id]).await;
            assert_eq!(
                ans.status, want,
                "{user} DELETE {id} ({:?}): {ans:?}",
                s.meta.kind
            );
            if want == 403 {
                assert_eq!(ans.refused(403).reason, Some(d.reason));
            }
            restore(&app, &s).await;

            // PATCH (records with details; contact rows are never edited in place)
            if has && s.meta.kind != RecordKind::Photo {
                let mut d = can_edit(&a, &s.meta, &ctx, day, &policy);
                if d.allowed && s.meta.kind == RecordKind::FamilyContact {
                    d = check_single_answer_change(
                        &a,
                        Field::Phone,
                        Some(s.meta.provenance.org),
                        None,
                        &policy,
                    );
                }
                let want = status(&read, &d, 200);
                let (got, body) = patch(&app, &c, id, s.meta.kind).await;
                assert_eq!(got, want, "{user} PATCH {id} ({:?}): {body}", s.meta.kind);
                restore(&app, &s).await;
            }

            // POST end (without the client's direction)
            if has {
                let d = can_end_date(&a, &s.meta, false, &ctx, day, &policy);
                let want = status(&read, &d, 200);
                let ans = app
                    .send::<ep::EndRecord>(&c, &[id], &end_on("2026-11-22"))
                    .await;
                assert_eq!(
                    ans.status, want,
                    "{user} END {id} ({:?}): {ans:?}",
                    s.meta.kind
                );
                restore(&app, &s).await;
            }

            // PUT security: ROI/MOU (a lowering for restricted forms and service notes)
            if has {
                let to = SecuritySetting::ShareWithRoiMou;
                let d = match &s.details {
                    Some(RecordDetails::Form(f)) => can_set_security(
                        &a,
                        &s.meta,
                        to,
                        policy.default_security_for_form(f.form_type),
                        &ctx,
                        day,
                        &policy,
                    ),
                    Some(RecordDetails::Attachment(x)) => can_set_security(
                        &a,
                        &s.meta,
                        to,
                        policy.default_security_for_document(x.document_type),
                        &ctx,
                        day,
                        &policy,
                    ),
                    Some(RecordDetails::Service(sd)) => {
                        let meta = RecordMeta {
                            kind: RecordKind::Form,
                            security: Some(sd.note_security),
                            ..s.meta
                        };
                        can_set_security(
                            &a,
                            &meta,
                            to,
                            policy.default_security_for_form(FormType::CaseNotes),
                            &ctx,
                            day,
                            &policy,
                        )
                    }
                    _ => can_set_security(
                        &a,
                        &s.meta,
                        to,
                        policy.default_security,
                        &ctx,
                        day,
                        &policy,
                    ),
                };
                let want = status(&read, &d, 200);
                let body = SecurityInput { security: to };
                let ans = app.send::<ep::SetRecordSecurity>(&c, &[id], &body).await;
                assert_eq!(
                    ans.status, want,
                    "{user} SECURITY {id} ({:?}): {ans:?}",
                    s.meta.kind
                );
                restore(&app, &s).await;
            }
            seen.insert((s.meta.kind, read.allowed, a.org == s.meta.provenance.org));
            cells += 1;
        }
    }
    assert!(cells > 8 * 40, "{cells} cells");
    // Every kind was probed both readable and not, where the policy allows both.
    for kind in [RecordKind::Form, RecordKind::Attachment] {
        assert!(seen.contains(&(kind, false, false)), "{kind:?} hidden");
        assert!(seen.contains(&(kind, true, false)), "{kind:?} shared");
    }
}

#[tokio::test]
async fn s3_s4_s5_hard_coded_rows_of_the_matrix() {
    let app = spawn_app().await;
    let ids = fixtures(&app).await;
    let (case_notes_1, income_1, income_2, employment_4) = (ids[3], ids[4], ids[7], ids[9]);
    let note_1 = ids[2];
    let service_1 = ids[1];
    const GET: &str = "GET";
    const DELETE: &str = "DELETE";
    let rows: &[(&str, &str, i64, u16)] = &[
        // S-3: the active ROI of client 1 names the shelter and Eno River.
        ("housing.cw", GET, income_1, 200),
        ("outreach.cw", GET, income_1, 404),
        ("housing.admin", GET, case_notes_1, 404),
        ("coc.admin", GET, case_notes_1, 200),
        // S-4: the MOU shares Eno River's forms with Triangle Outreach, not the shelter.
        ("outreach.cw", GET, income_2, 200),
        ("shelter.admin", GET, income_2, 404),
        // Expired ROI (client 4): nothing shared.
        ("housing.cw", GET, employment_4, 404),
        // S-2: notes are read by all, changed by nobody else.
        ("outreach.cw", GET, note_1, 200),
        ("outreach.cw", DELETE, note_1, 403),
        ("shelter.cw2", DELETE, note_1, 403),
        //
        ("coc.admin", DELETE, service_1, 403),
        ("shelter.cw", DELETE, service_1, 403),
        // Forms: the owning agency deletes.
        ("shelter.cw2", DELETE, case_notes_1, 204),
        ("housing.cw", DELETE, income_1, 403),
    ];
    for &(user, method, id, want) in rows {
        let c = app.sign_in(user).await;
        let (got, body) = if method == GET {
            let a = app.get::<ep::GetRecord>(&c, &[id]).await;
            (a.status, format!("{:?}", a.body))
        } else {
            let a = app.get::<ep::DeleteRecord>(&c, &[id]).await;
            (a.status, format!("{:?}", a.body))
        };
        assert_eq!(got, want, "{user} {method} /records/{id}: {body}");
    }
}

/// `GET /clients/{client}/{path}`: the list endpoint of one kind.
async fn list_of(app: &TestApp, c: &reqwest::Client, client: i64, path: &str) -> RecordList {
    let ids = &[client];
    let a = match path {
        "enrollments" => app.get::<ep::ListEnrollments>(c, ids).await,
        "services" => app.get::<ep::ListServices>(c, ids).await,
        "contacts" => app.get::<ep::ListContacts>(c, ids).await,
        "demographics" => app.get::<ep::ListDemographics>(c, ids).await,
        "case-managers" => app.get::<ep::ListCaseManagers>(c, ids).await,
        "notes" => app.get::<ep::ListNotes>(c, ids).await,
        "forms" => app.get::<ep::ListForms>(c, ids).await,
        "attachments" => app.get::<ep::ListAttachments>(c, ids).await,
        "photos" => app.get::<ep::ListPhotos>(c, ids).await,
        other => panic!("no list of {other}"),
    };
    a.ok_with(200)
}

#[tokio::test]
async fn s9_lists_show_exactly_the_readable_records_and_count_only_live_hidden_ones() {
    let app = spawn_app().await;
    fixtures(&app).await;
    let policy = PolicyConfig::default();
    let mous = db::all_mous(&app.pool).await.unwrap();
    let kinds = [
        ("enrollments", RecordKind::Enrollment),
        ("services", RecordKind::Service),
        ("contacts", RecordKind::FamilyContact),
        ("demographics", RecordKind::Demographics),
        ("case-managers", RecordKind::CaseManager),
        ("notes", RecordKind::ProfileNote),
        ("forms", RecordKind::Form),
        ("attachments", RecordKind::Attachment),
    ];
    for user in USERS {
        let a = actor(&app, user).await;
        let c = app.sign_in(user).await;
        for client in [1i64, 2, 4, 7] {
            let rois = db::rois_of_client(&app.pool, ClientId(client))
                .await
                .unwrap();
            let ctx = SharingContext {
                rois: &rois,
                mous: &mous,
            };
            let mut conn = app.pool.acquire().await.unwrap();
            for (path, kind) in kinds {
                let rows = db::records::of_client(&mut conn, ClientId(client), &[kind])
                    .await
                    .unwrap();
                let want: Vec<i64> = rows
                    .iter()
                    .filter(|r| can_read(&a, &r.meta, &ctx, today(), &policy).allowed)
                    .map(|r| r.meta.id.0)
                    .collect();
                let v = list_of(&app, &c, client, path).await;
                let got: Vec<i64> = v.records.iter().map(|r| r.meta.id.0).collect();
                assert_eq!(got, want, "{user} client {client} {path}");
                assert_eq!(v.withheld_by, None, "S-9: {user} client {client} {path}");
            }
        }
    }
    // Hard-coded: client 1's forms (3 demo, 2 new) seen by Eno River under the ROI: the two
    // ROI/MOU ones, three restricted withheld; Triangle Outreach: none, five withheld; and
    // nothing says so (S-9).
    let housing = app.sign_in("housing.cw").await;
    let v = list_of(&app, &housing, 1, "forms").await;
    assert_eq!((v.records.len(), v.withheld_by), (2, None));
    let outreach = app.sign_in("outreach.cw").await;
    let v = list_of(&app, &outreach, 1, "forms").await;
    assert_eq!((v.records.len(), v.withheld_by), (0, None));
    // The whole answer, raw: no field, declared or not, names a withheld form.
    let (_, raw) = send(&app, &outreach, "GET", &path::<ep::ListForms>(&[1]), None).await;
    assert!(!raw.to_string().contains("CaseNotes"), "{raw}");
}

#[tokio::test]
async fn s9_each_list_item_is_the_record_as_read_on_its_own() {
    // Lists load their records' details in one query per list; each item must be exactly what
    // `GET /records/{id}` answers for it (details, withheld note, reason), tombstones included.
    let app = spawn_app().await;
    fixtures(&app).await;
    let paths = [
        "enrollments",
        "services",
        "contacts",
        "demographics",
        "case-managers",
        "notes",
        "forms",
        "attachments",
        "photos",
    ];
    let mut compared = 0;
    for user in ["coc.admin", "shelter.cw", "housing.cw", "outreach.cw"] {
        let c = app.sign_in(user).await;
        for client in [1i64, 2, 4, 7] {
            for path in paths {
                // Compared as JSON, raw: every field, declared or not, must agree.
                let list_path = format!("/clients/{client}/{path}");
                let (st, list) = send(&app, &c, "GET", &list_path, None).await;
                assert_eq!(st, 200);
                for it in list["records"].as_array().unwrap() {
                    let id = it["meta"]["id"].as_i64().unwrap();
                    let (st, one) = send(
                        &app,
                        &c,
                        "GET",
                        &crate::support::path::<ep::GetRecord>(&[id]),
                        None,
                    )
                    .await;
                    assert_eq!(st, 200, "{user} #{id}");
                    assert_eq!(*it, one, "{user} client {client} {path} #{id}");
                    compared += 1;
                }
            }
        }
    }
    assert!(compared > 100, "{compared}");
}

#[tokio::test]
async fn s8_creation_answers_what_can_create_and_can_upload_say() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let service_1 = app
        .send::<ep::CreateService>(&shelter, &[1], &new_service())
        .await
        .ok()
        .meta
        .id
        .0;
    let policy = PolicyConfig::default();
    for user in USERS {
        let a = actor(&app, user).await;
        let c = app.sign_in(user).await;
        let before = count(&app, "SELECT COUNT(*) FROM records").await;
        let mut made = 0;
        let new = |kind, owner: i64, sec: Option<(SecuritySetting, SecuritySetting)>| NewRecord {
            client: ClientId(1),
            kind,
            owner: OrgId(owner),
            security: sec.map(|s| s.0),
            default_security: sec.map(|s| s.1),
        };
        let dv = NewForm {
            security: Some(SecuritySetting::ShareWithRoiMou),
            ..form(FormType::DomesticViolence, &[])
        };
        let assign = NewCaseManager {
            program_id: ProgramId(3),
            case_manager_id: UserId(6),
            start_date: date("2026-11-01"),
            end_date: None,
        };
        let cases: Vec<(&str, u16, Decision)> = vec![
            (
                "enrollments",
                app.send::<ep::CreateEnrollment>(&c, &[1], &new_enrollment())
                    .await
                    .status,
                can_create(&a, &new(RecordKind::Enrollment, 2, None)),
            ),
            (
                "case-managers",
                app.send::<ep::CreateCaseManager>(&c, &[1], &assign)
                    .await
                    .status,
                can_create(&a, &new(RecordKind::CaseManager, 3, None)),
            ),
            (
                "forms",
                app.send::<ep::CreateForm>(&c, &[1], &dv).await.status,
                can_create(
                    &a,
                    &new(
                        RecordKind::Form,
                        a.org.0,
                        Some((
                            SecuritySetting::ShareWithRoiMou,
                            SecuritySetting::RestrictToOrganization,
                        )),
                    ),
                ),
            ),
            (
                "notes",
                app.send::<ep::CreateNote>(&c, &[1], &note("Hello."))
                    .await
                    .status,
                can_create(&a, &new(RecordKind::ProfileNote, a.org.0, None)),
            ),
        ];
        for (what, got, d) in cases {
            let want = if d.allowed { 201 } else { 403 };
            assert_eq!(got, want, "{user} POST /clients/1/{what}: {d:?}");
            made += usize::from(d.allowed);
        }
        let up = can_upload(
            &a,
            &Upload {
                client: ClientId(1),
                document_type: DocumentType::ServiceAgreement,
                target: AttachmentTarget::Service(RecordId(service_1)),
                service_owner: Some(OrgId(2)),
                setting: SecuritySetting::ShareWithRoiMou,
            },
            &policy,
        );
        let query = AttachmentQuery {
            service_id: Some(service_1),
            ..attachment(DocumentType::ServiceAgreement, "a.pdf")
        };
        let got = app
            .upload::<ep::UploadAttachment>(&c, &[1], &query, Some("application/pdf"), PDF.to_vec())
            .await
            .status;
        assert_eq!(got, if up.allowed { 201 } else { 403 }, "{user} upload");
        made += usize::from(up.allowed);
        let after = count(&app, "SELECT COUNT(*) FROM records").await;
        assert_eq!(
            after - before,
            made as i64,
            "{user}: refused creations store nothing"
        );

        // Tier 1 (S-1): demographics (an edit of client 1's demo row) and a client-directed
        // contact row, whatever the agency and role.
        let mut conn = app.pool.acquire().await.unwrap();
        let demo = db::records::of_client(&mut conn, ClientId(1), &[RecordKind::Demographics])
            .await
            .unwrap()
            .remove(0);
        drop(conn);
        let rois = db::rois_of_client(&app.pool, ClientId(1)).await.unwrap();
        let mous = db::all_mous(&app.pool).await.unwrap();
        let ctx = SharingContext {
            rois: &rois,
            mous: &mous,
        };
        let d = can_edit(&a, &demo.meta, &ctx, today(), &policy);
        let body = DemographicsInput {
            race_ethnicity: Some(shared::hud::RaceEthnicitySet::one(
                shared::hud::RaceEthnicity::Asian,
            )),
            ..Default::default()
        };
        let ans = app.send::<ep::PutDemographics>(&c, &[1], &body).await;
        assert_eq!(
            ans.status,
            if d.allowed { 200 } else { 403 },
            "{user} demographics: {ans:?}"
        );
        let d = can_create(&a, &new(RecordKind::FamilyContact, a.org.0, None));
        let email = format!("{user}@example.org");
        let body = NewContact {
            decline_note: true,
            ..contact(ContactKind::Email, &email, "2026-11-22")
        };
        let ans = app.send::<ep::CreateContact>(&c, &[1], &body).await;
        assert_eq!(
            ans.status,
            if d.allowed { 201 } else { 403 },
            "{user} contact: {ans:?}"
        );
        assert_eq!(ans.status, 201, "S-1: every agency adds contact rows");
    }
    // Hard-coded: a caseworker never lowers a DV assessment; its AgencyAdmin may.
    let cw = app.sign_in("outreach.cw").await;
    let admin = app.sign_in("outreach.admin").await;
    let dv = NewForm {
        security: Some(SecuritySetting::ShareWithRoiMou),
        ..form(FormType::DomesticViolence, &[])
    };
    app.send::<ep::CreateForm>(&cw, &[2], &dv)
        .await
        .refused(403);
    app.send::<ep::CreateForm>(&admin, &[2], &dv)
        .await
        .ok_with(201);
}
