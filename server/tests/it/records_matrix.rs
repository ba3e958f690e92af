//! The access matrix of the records API: for every endpoint, every role of the same or another
//! organization, every tier and ROI/MOU state of the demo data, the HTTP status is what the shared
//! decision says for the same inputs (404 unreadable, 2xx allowed, 403 refused), with a few rows
//! hard-coded so that the test fails if both the server and the expectation were wrong.

use crate::records::{count, create, enrollment, send, service, upload, PDF};
use crate::support::{spawn_app, today, TestApp};
use serde_json::{json, Value};
use server::db;
use shared::actions::{can_upload, NewRecord, Upload};
use shared::api::records::RecordDetails;
use shared::records::{AttachmentTarget, DocumentType, FormType};
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

/// Records of every kind, created through the API in clients with different releases, and demo
/// rows of clients 1 (active ROI), 2 (MOU), 4 (expired ROI) and 7 (revoked ROI).
async fn fixtures(app: &TestApp) -> Vec<i64> {
    let shelter = app.sign_in("shelter.cw").await;
    let housing = app.sign_in("housing.cw").await;
    let mut ids = vec![
        create(app, &shelter, "/clients/1/enrollments", enrollment()).await,
        create(app, &shelter, "/clients/1/services", service(None)).await,
        create(
            app,
            &shelter,
            "/clients/1/notes",
            json!({ "text": "A note." }),
        )
        .await,
        create(
            app,
            &shelter,
            "/clients/1/forms",
            json!({ "form_type": "CaseNotes", "answers": { "q": "a" } }),
        )
        .await,
        create(
            app,
            &shelter,
            "/clients/1/forms",
            json!({ "form_type": "Income", "answers": { "q": "a" } }),
        )
        .await,
        create(
            app,
            &shelter,
            "/clients/1/contacts",
            json!({ "contact_kind": "Phone", "value": "(919) 555-0101",
                    "start_date": "2026-10-01", "client_directed": true, "decline_note": true }),
        )
        .await,
        create(
            app,
            &shelter,
            "/clients/1/case-managers",
            json!({ "program_id": 1, "case_manager_id": 3, "start_date": "2026-11-01" }),
        )
        .await,
        create(
            app,
            &housing,
            "/clients/2/forms",
            json!({ "form_type": "Income", "answers": {} }),
        )
        .await,
        create(
            app,
            &housing,
            "/clients/2/notes",
            json!({ "text": "Eno note." }),
        )
        .await,
        create(
            app,
            &shelter,
            "/clients/4/forms",
            json!({ "form_type": "Employment", "answers": {} }),
        )
        .await,
    ];
    for (c, client) in [(&shelter, 1), (&housing, 2)] {
        let (st, v) = upload(
            app,
            c,
            client,
            "document_type=PhotoId&file_name=id.pdf",
            "application/pdf",
            PDF.to_vec(),
        )
        .await;
        assert_eq!(st, 201);
        ids.push(v["meta"]["id"].as_i64().unwrap());
    }
    // A tombstoned note.
    let gone = create(
        app,
        &shelter,
        "/clients/1/notes",
        json!({ "text": "Gone." }),
    )
    .await;
    assert_eq!(
        send(app, &shelter, "DELETE", &format!("/records/{gone}"), None)
            .await
            .0,
        204
    );
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

/// A harmless edit body for the record's kind.
fn patch_body(kind: RecordKind) -> Value {
    match kind {
        RecordKind::Enrollment => json!({ "case_name": "Rivera household" }),
        RecordKind::Service => json!({ "description": "Shelter night" }),
        RecordKind::ProfileNote => json!({ "text": "A note." }),
        RecordKind::Form => json!({ "answers": { "q": "a" } }),
        RecordKind::CaseManager => json!({ "start_date": "2026-11-01" }),
        RecordKind::Attachment => json!({ "file_name": "id.pdf" }),
        RecordKind::Demographics => json!({ "race": "Asian" }),
        _ => json!({ "value": "x" }),
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
            let path = format!("/records/{id}");

            // GET
            let got = send(&app, &c, "GET", &path, None).await.0;
            assert_eq!(got, if read.allowed { 200 } else { 404 }, "{user} GET {id}");

            // GET file (attachments)
            if has && s.meta.kind == RecordKind::Attachment {
                let got = send(&app, &c, "GET", &format!("{path}/file"), None).await.0;
                assert_eq!(
                    got,
                    if read.allowed { 200 } else { 404 },
                    "{user} FILE {id}"
                );
            }

            // DELETE
            let d = can_delete(&a, &s.meta, &ctx, day, &policy);
            let want = status(&read, &d, 204);
            let (got, body) = send(&app, &c, "DELETE", &path, None).await;
            assert_eq!(got, want, "{user} DELETE {id} ({:?}): {body}", s.meta.kind);
            if want == 403 {
                assert_eq!(body["reason"], serde_json::to_value(&d.reason).unwrap());
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
                let (got, body) =
                    send(&app, &c, "PATCH", &path, Some(patch_body(s.meta.kind))).await;
                assert_eq!(got, want, "{user} PATCH {id} ({:?}): {body}", s.meta.kind);
                restore(&app, &s).await;
            }

            // POST end (without the client's direction)
            if has {
                let d = can_end_date(&a, &s.meta, false, &ctx, day, &policy);
                let want = status(&read, &d, 200);
                let body = json!({ "end_date": "2026-11-22" });
                let (got, body) = send(&app, &c, "POST", &format!("{path}/end"), Some(body)).await;
                assert_eq!(got, want, "{user} END {id} ({:?}): {body}", s.meta.kind);
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
                let body = json!({ "security": "ShareWithRoiMou" });
                let (got, body) =
                    send(&app, &c, "PUT", &format!("{path}/security"), Some(body)).await;
                assert_eq!(
                    got, want,
                    "{user} SECURITY {id} ({:?}): {body}",
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
    let rows: &[(&str, &str, String, u16)] = &[
        // S-3: the active ROI of client 1 names the shelter and Eno River.
        ("housing.cw", "GET", format!("/records/{income_1}"), 200),
        ("outreach.cw", "GET", format!("/records/{income_1}"), 404),
        (
            "housing.admin",
            "GET",
            format!("/records/{case_notes_1}"),
            404,
        ),
        ("coc.admin", "GET", format!("/records/{case_notes_1}"), 200),
        // S-4: the MOU shares Eno River's forms with Triangle Outreach, not the shelter.
        ("outreach.cw", "GET", format!("/records/{income_2}"), 200),
        ("shelter.admin", "GET", format!("/records/{income_2}"), 404),
        // Expired ROI (client 4): nothing shared.
        ("housing.cw", "GET", format!("/records/{employment_4}"), 404),
        // S-2: notes are read by all, changed by nobody else.
        ("outreach.cw", "GET", format!("/records/{note_1}"), 200),
        ("outreach.cw", "DELETE", format!("/records/{note_1}"), 403),
        ("shelter.cw2", "DELETE", format!("/records/{note_1}"), 403),
        //
        ("coc.admin", "DELETE", format!("/records/{service_1}"), 403),
        ("shelter.cw", "DELETE", format!("/records/{service_1}"), 403),
        // Forms: the owning agency deletes.
        (
            "shelter.cw2",
            "DELETE",
            format!("/records/{case_notes_1}"),
            204,
        ),
        ("housing.cw", "DELETE", format!("/records/{income_1}"), 403),
    ];
    for (user, method, path, want) in rows {
        let c = app.sign_in(user).await;
        let (got, body) = send(&app, &c, method, path, None).await;
        assert_eq!(got, *want, "{user} {method} {path}: {body}");
    }
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
                let hidden = rows
                    .iter()
                    .filter(|r| {
                        !r.meta.deleted && !can_read(&a, &r.meta, &ctx, today(), &policy).allowed
                    })
                    .count();
                let (st, v) =
                    send(&app, &c, "GET", &format!("/clients/{client}/{path}"), None).await;
                assert_eq!(st, 200);
                let got: Vec<i64> = v["records"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["meta"]["id"].as_i64().unwrap())
                    .collect();
                assert_eq!(got, want, "{user} client {client} {path}");
                assert_eq!(v["hidden_count"], hidden, "{user} client {client} {path}");
            }
        }
    }
    // Hard-coded: client 1's forms (3 demo, 2 new) seen by Eno River under the ROI: the two
    // ROI/MOU ones, three restricted withheld; Triangle Outreach: none, five withheld.
    let housing = app.sign_in("housing.cw").await;
    let (_, v) = send(&app, &housing, "GET", "/clients/1/forms", None).await;
    assert_eq!(v["records"].as_array().unwrap().len(), 2);
    assert_eq!(v["hidden_count"], 3);
    let outreach = app.sign_in("outreach.cw").await;
    let (_, v) = send(&app, &outreach, "GET", "/clients/1/forms", None).await;
    assert_eq!(v["records"].as_array().unwrap().len(), 0);
    assert_eq!(v["hidden_count"], 5);
    assert!(!v.to_string().contains("CaseNotes"));
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
                let (st, list) =
                    send(&app, &c, "GET", &format!("/clients/{client}/{path}"), None).await;
                assert_eq!(st, 200);
                for it in list["records"].as_array().unwrap() {
                    let id = it["meta"]["id"].as_i64().unwrap();
                    let (st, one) = send(&app, &c, "GET", &format!("/records/{id}"), None).await;
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
    let service_1 = create(&app, &shelter, "/clients/1/services", service(None)).await;
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
        let cases: Vec<(&str, Value, Decision)> = vec![
            (
                "/clients/1/enrollments",
                enrollment(),
                can_create(&a, &new(RecordKind::Enrollment, 2, None)),
            ),
            (
                "/clients/1/case-managers",
                json!({ "program_id": 3, "case_manager_id": 6, "start_date": "2026-11-01" }),
                can_create(&a, &new(RecordKind::CaseManager, 3, None)),
            ),
            (
                "/clients/1/forms",
                json!({ "form_type": "DomesticViolence", "answers": {}, "security": "ShareWithRoiMou" }),
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
                "/clients/1/notes",
                json!({ "text": "Hello." }),
                can_create(&a, &new(RecordKind::ProfileNote, a.org.0, None)),
            ),
        ];
        for (path, body, d) in cases {
            let want = if d.allowed { 201 } else { 403 };
            let (got, v) = send(&app, &c, "POST", path, Some(body)).await;
            assert_eq!(got, want, "{user} POST {path}: {v}");
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
        let q = format!("document_type=ServiceAgreement&file_name=a.pdf&service_id={service_1}");
        let (got, _) = upload(&app, &c, 1, &q, "application/pdf", PDF.to_vec()).await;
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
        let body = json!({ "race": "Asian" });
        let (got, v) = send(&app, &c, "PUT", "/clients/1/demographics", Some(body)).await;
        assert_eq!(
            got,
            if d.allowed { 200 } else { 403 },
            "{user} demographics: {v}"
        );
        let d = can_create(&a, &new(RecordKind::FamilyContact, a.org.0, None));
        let body = json!({ "contact_kind": "Email", "value": format!("{user}@example.org"),
            "start_date": "2026-11-22", "client_directed": true, "decline_note": true });
        let (got, v) = send(&app, &c, "POST", "/clients/1/contacts", Some(body)).await;
        assert_eq!(
            got,
            if d.allowed { 201 } else { 403 },
            "{user} contact: {v}"
        );
        assert_eq!(got, 201, "S-1: every agency adds contact rows");
    }
    // Hard-coded: a caseworker never lowers a DV assessment; its AgencyAdmin may.
    let cw = app.sign_in("outreach.cw").await;
    let admin = app.sign_in("outreach.admin").await;
    let body =
        json!({ "form_type": "DomesticViolence", "answers": {}, "security": "ShareWithRoiMou" });
    assert_eq!(
        send(&app, &cw, "POST", "/clients/2/forms", Some(body.clone()))
            .await
            .0,
        403
    );
    assert_eq!(
        send(&app, &admin, "POST", "/clients/2/forms", Some(body))
            .await
            .0,
        201
    );
}
