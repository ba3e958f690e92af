//! Releases of information (S-3) and MOUs (S-4, S-6) through the API: setting, revoking, signing,
//! attaching documents, and the effect on what a profile shows. Demo facts: see `clients.rs`.
//! Client 3 (id 4) is Bull City Shelter's, with two `ShareWithRoiMou` forms and an expired ROI;
//! client 1 (id 2) is Eno River Housing's, with two `ShareWithRoiMou` forms; client 0 (id 1) has
//! the active ROI #1 naming the shelter (2) and Eno River (3).

use crate::records::send;
use crate::refused;
use crate::support::{date, path, today, TestApp};
use chrono::Duration;
use serde_json::{json, Value};
use shared::actions::MouStatus;
use shared::api::endpoint::NoQuery;
use shared::api::endpoints as ep;
use shared::api::releases::{NewMouRequest, NewRoiRequest, SignatureRequest, TerminateRequest};
use shared::ids::{MouId, OrgId, RoiId};
use shared::{Reason, RecordKind};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

fn orgs(ids: &[i64]) -> Vec<OrgId> {
    ids.iter().copied().map(OrgId).collect()
}

/// An ROI naming `ids`, attested, with the default dates.
fn roi_naming(ids: &[i64]) -> NewRoiRequest {
    NewRoiRequest {
        organizations: orgs(ids),
        start: None,
        end: None,
        attested: true,
    }
}

/// The titles of the forms `user` sees on client `id`'s profile, signing in afresh (the clock
/// may have moved past the idle timeout).
async fn forms_seen(app: &TestApp, user: &str, id: i64) -> Vec<String> {
    let c = app.sign_in(user).await;
    let p = app
        .get::<ep::GetClientProfile>(&c, &[id])
        .await
        .ok_with(200);
    p.records
        .into_iter()
        .filter(|r| r.meta.kind == RecordKind::Form)
        .map(|r| r.title)
        .collect()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&app.pool).await.unwrap();
    n
}

#[tokio::test]
async fn s3_an_roi_without_the_attestation_is_refused_and_nothing_is_stored() {
    let app = crate::support::spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, "SELECT COUNT(*) FROM rois").await;
    // No attestation at all (a body the wire type cannot leave it out of), and a false one.
    let (status, err) = send(
        &app,
        &c,
        "POST",
        &path::<ep::CreateRoi>(&[4]),
        Some(json!({ "organizations": [2, 3] })),
    )
    .await;
    assert_eq!((status, err["field"].as_str()), (422, Some("attested")));
    let unattested = NewRoiRequest {
        attested: false,
        ..roi_naming(&[2, 3])
    };
    let e = app
        .send::<ep::CreateRoi>(&c, &[4], &unattested)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("attested"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM rois").await, before);
    assert!(forms_seen(&app, "housing.cw", 4).await.is_empty());
}

#[tokio::test]
async fn s3_an_roi_must_name_the_setting_users_agency_and_another() {
    let app = crate::support::spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, "SELECT COUNT(*) FROM rois").await;
    for ids in [&[3, 4][..], &[2], &[]] {
        refused!(
            app.send::<ep::CreateRoi>(&c, &[4], &roi_naming(ids)).await,
            403,
            Reason::RoiMustNameYourAgency
        );
    }
    let e = app
        .send::<ep::CreateRoi>(&c, &[4], &roi_naming(&[2, 99]))
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("organizations"));
    assert_eq!(count(&app, "SELECT COUNT(*) FROM rois").await, before);
}

#[tokio::test]
async fn s3_an_roi_starts_today_and_runs_one_year_by_default() {
    let app = crate::support::spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let roi = app
        .send::<ep::CreateRoi>(&c, &[4], &roi_naming(&[3, 2]))
        .await
        .ok_with(201);
    assert_eq!(roi.roi.start, date("2026-11-22"));
    assert_eq!(roi.roi.end, date("2027-11-22"));
    assert_eq!(roi.roi.orgs, orgs(&[2, 3]));
    assert!(roi.active);
    assert_eq!(roi.roi.attestation.org, OrgId(2));
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'set ROI' AND hmis_number = 'H0001004'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(n, 1, "the ROI is audited under the client's HMIS number");
}

#[tokio::test]
async fn s3_an_roi_shares_up_to_and_including_its_end_date() {
    let app = crate::support::spawn_app().await;
    assert!(forms_seen(&app, "housing.cw", 4).await.is_empty());
    let c = app.sign_in("shelter.cw").await;
    let end = today() + Duration::days(10);
    let body = NewRoiRequest {
        end: Some(end),
        ..roi_naming(&[2, 3])
    };
    app.send::<ep::CreateRoi>(&c, &[4], &body)
        .await
        .ok_with(201);
    let shared = ["Income assessment", "Employment assessment"];
    let mut seen = forms_seen(&app, "housing.cw", 4).await;
    seen.sort();
    assert_eq!(seen, [shared[1], shared[0]]);
    // Triangle Outreach is not named: nothing.
    assert!(forms_seen(&app, "outreach.cw", 4).await.is_empty());
    app.clock.advance(Duration::days(10));
    assert_eq!(
        forms_seen(&app, "housing.cw", 4).await.len(),
        2,
        "on the end date"
    );
    app.clock.advance(Duration::days(1));
    assert!(
        forms_seen(&app, "housing.cw", 4).await.is_empty(),
        "the day after the end date"
    );
}

async fn roi_ids(app: &TestApp, user: &str, client: i64) -> (u16, Vec<RoiId>) {
    let c = app.sign_in(user).await;
    let a = app.get::<ep::ListRois>(&c, &[client]).await;
    let ids = match a.body {
        Ok(list) => list.into_iter().map(|r| r.roi.id).collect(),
        Err(_) => Vec::new(),
    };
    (a.status, ids)
}

#[tokio::test]
async fn s8_roi_lists_show_only_rois_naming_the_callers_agency() {
    let app = crate::support::spawn_app().await;
    assert_eq!(roi_ids(&app, "housing.cw", 1).await, (200, vec![RoiId(1)]));
    assert_eq!(roi_ids(&app, "shelter.cw", 1).await, (200, vec![RoiId(1)]));
    assert_eq!(roi_ids(&app, "outreach.cw", 1).await, (200, vec![]));
    assert_eq!(roi_ids(&app, "coc.admin", 1).await, (200, vec![RoiId(1)]));
    assert_eq!(roi_ids(&app, "housing.cw", 99_999).await.0, 404);
}

#[tokio::test]
async fn s3_a_named_agencys_user_revokes_an_roi_and_others_cannot() {
    let app = crate::support::spawn_app().await;
    assert_eq!(forms_seen(&app, "housing.cw", 1).await.len(), 1);
    // Not named: as if it did not exist.
    let outreach = app.sign_in("outreach.cw").await;
    app.get::<ep::RevokeRoi>(&outreach, &[1]).await.refused(404);
    app.get::<ep::RevokeRoi>(&outreach, &[99999])
        .await
        .refused(404);
    // A SystemAdmin sees it but is not named on it: the shared decision refuses.
    let admin = app.sign_in("coc.admin").await;
    refused!(
        app.get::<ep::RevokeRoi>(&admin, &[1]).await,
        403,
        Reason::NotNamedOnRoi
    );
    // Eno River is named (the shelter attested): it may revoke.
    let housing = app.sign_in("housing.cw").await;
    let roi = app.get::<ep::RevokeRoi>(&housing, &[1]).await.ok_with(200);
    assert!(!roi.active);
    assert_eq!(roi.roi.revoked.map(|r| r.on), Some(date("2026-11-22")));
    assert!(forms_seen(&app, "housing.cw", 1).await.is_empty());
    let shelter = app.sign_in("shelter.cw").await;
    refused!(
        app.get::<ep::RevokeRoi>(&shelter, &[1]).await,
        403,
        Reason::AlreadyEnded
    );
    // The database itself refuses editing an ROI in place.
    let edit = sqlx::query("UPDATE rois SET end_date = '2030-01-01' WHERE id = 1")
        .execute(&app.pool)
        .await;
    assert!(edit.is_err(), "an ROI is never edited");
}

#[tokio::test]
async fn s3_the_release_scan_is_attached_by_the_attesting_agency_and_read_by_named_ones() {
    let app = crate::support::spawn_app().await;
    let scan = |c: &reqwest::Client| {
        let (app, c) = (&app, c.clone());
        async move {
            app.upload::<ep::UploadRoiDocument>(
                &c,
                &[1],
                &NoQuery,
                Some("application/pdf"),
                PDF.to_vec(),
            )
            .await
        }
    };
    let housing = app.sign_in("housing.cw").await;
    refused!(
        scan(&housing).await,
        403,
        Reason::OnlyAttestingAgency { .. }
    );
    let outreach = app.sign_in("outreach.cw").await;
    scan(&outreach).await.refused(404);
    let shelter = app.sign_in("shelter.cw").await;
    let info = scan(&shelter).await.ok_with(201);
    assert_eq!(info.content_type, "application/pdf");
    refused!(scan(&shelter).await, 403, Reason::DocumentAlreadyAttached);
    let res = housing
        .get(app.url(&path::<ep::GetRoiDocument>(&[1])))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    let res = outreach
        .get(app.url(&path::<ep::GetRoiDocument>(&[1])))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(count(&app, UPLOADED_DOCUMENTS).await, 1);
}

/// Documents uploaded by a test: all but the demo MOU's signed copy (MOU 1, loaded with the demo).
const UPLOADED_DOCUMENTS: &str =
    "SELECT COUNT(*) FROM documents WHERE NOT (owner_kind = 'mou' AND owner_id = 1)";

/// An MOU named `name` between `ids`, from `start` to `end`.
fn mou_between(name: &str, ids: &[i64], start: &str, end: &str) -> NewMouRequest {
    NewMouRequest {
        name: name.into(),
        organizations: orgs(ids),
        start: date(start),
        end: date(end),
    }
}

async fn new_mou(app: &TestApp, admin: &reqwest::Client, ids: &[i64]) -> i64 {
    let body = NewMouRequest {
        name: "Shelter and Housing Compact".into(),
        organizations: orgs(ids),
        start: today(),
        end: today() + Duration::days(365),
    };
    let mou = app
        .send::<ep::CreateMou>(admin, &[], &body)
        .await
        .ok_with(201);
    assert!(
        matches!(mou.status, MouStatus::Incomplete { .. }),
        "{mou:?}"
    );
    mou.id.0
}

async fn sign(
    app: &TestApp,
    c: &reqwest::Client,
    mou: i64,
    org: i64,
) -> crate::support::Answer<shared::api::releases::MouView> {
    let body = SignatureRequest {
        org: OrgId(org),
        name: "Pat Morgan".into(),
        title: "Executive Director".into(),
        date: today(),
    };
    app.send::<ep::SignMou>(c, &[mou], &body).await
}

async fn attach(
    app: &TestApp,
    c: &reqwest::Client,
    mou: i64,
    content_type: &str,
    bytes: Vec<u8>,
) -> crate::support::Answer<shared::api::releases::DocumentInfo> {
    app.upload::<ep::UploadMouDocument>(c, &[mou], &NoQuery, Some(content_type), bytes)
        .await
}

fn today_or(date: Option<chrono::NaiveDate>) -> TerminateRequest {
    TerminateRequest { date }
}

#[tokio::test]
async fn s6_caseworkers_and_agency_admins_cannot_create_or_change_mous() {
    let app = crate::support::spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let mou = new_mou(&app, &admin, &[2, 3]).await;
    let rogue = mou_between("Rogue", &[2, 3], "2026-11-22", "2027-11-22");
    for user in ["shelter.cw", "shelter.admin", "housing.admin"] {
        let c = app.sign_in(user).await;
        let a = app.send::<ep::CreateMou>(&c, &[], &rogue).await;
        assert_eq!(a.status, 403, "{user} creates");
        refused!(a, 403, Reason::OnlySystemAdmin);
        let a = sign(&app, &c, mou, 2).await;
        assert_eq!(a.status, 403, "{user} signs");
        refused!(a, 403, Reason::OnlySystemAdmin);
        let a = attach(&app, &c, mou, "application/pdf", PDF.to_vec()).await;
        assert_eq!(a.status, 403, "{user} attaches");
        let a = app
            .send::<ep::TerminateMou>(&c, &[1], &today_or(None))
            .await;
        assert_eq!(a.status, 403, "{user} terminates");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM mous").await, 3);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM mou_parties WHERE signed_on IS NOT NULL"
        )
        .await,
        3
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM mous WHERE terminated_on IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(count(&app, UPLOADED_DOCUMENTS).await, 0);
}

#[tokio::test]
async fn s6_an_mou_shares_only_after_the_last_signature_and_the_document_and_stops_when_terminated()
{
    let app = crate::support::spawn_app().await;
    // Client 1 (Eno River) read by the shelter: no ROI, no MOU between them.
    assert!(forms_seen(&app, "shelter.cw", 2).await.is_empty());
    let admin = app.sign_in("coc.admin").await;
    let mou = new_mou(&app, &admin, &[2, 3]).await;
    sign(&app, &admin, mou, 2).await.ok_with(200);
    attach(&app, &admin, mou, "application/pdf", PDF.to_vec())
        .await
        .ok_with(201);
    assert!(
        forms_seen(&app, "shelter.cw", 2).await.is_empty(),
        "one signature missing"
    );
    let view = app.get::<ep::GetMou>(&admin, &[mou]).await.ok();
    assert_eq!(
        view.status,
        MouStatus::Incomplete {
            missing_signatures: orgs(&[3]),
            missing_document: false
        }
    );

    let view = sign(&app, &admin, mou, 3).await.ok_with(200);
    assert_eq!(view.status, MouStatus::Active);
    let mut seen = forms_seen(&app, "shelter.cw", 2).await;
    seen.sort();
    assert_eq!(seen, ["Employment assessment", "Income assessment"]);

    let view = app
        .send::<ep::TerminateMou>(&admin, &[mou], &today_or(None))
        .await
        .ok_with(200);
    assert!(
        matches!(view.status, MouStatus::Terminated { .. }),
        "{view:?}"
    );
    assert!(
        forms_seen(&app, "shelter.cw", 2).await.is_empty(),
        "terminated"
    );
    refused!(
        app.send::<ep::TerminateMou>(&admin, &[mou], &today_or(None))
            .await,
        403,
        Reason::AlreadyEnded
    );
}

#[tokio::test]
async fn s6_an_mou_with_every_signature_but_no_document_shares_nothing() {
    let app = crate::support::spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let mou = new_mou(&app, &admin, &[2, 3]).await;
    sign(&app, &admin, mou, 2).await.ok_with(200);
    let view = sign(&app, &admin, mou, 3).await.ok_with(200);
    assert!(
        matches!(
            view.status,
            MouStatus::Incomplete {
                missing_document: true,
                ..
            }
        ),
        "{view:?}"
    );
    assert!(forms_seen(&app, "shelter.cw", 2).await.is_empty());
    // A party signs once; a party not named cannot sign.
    refused!(
        sign(&app, &admin, mou, 3).await,
        403,
        Reason::AlreadySigned { .. }
    );
    refused!(
        sign(&app, &admin, mou, 4).await,
        403,
        Reason::NotNamedOnMou { .. }
    );
}

#[tokio::test]
async fn s6_an_mou_is_validated_and_names_two_or_more_known_organizations() {
    let app = crate::support::spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let (start, end) = ("2026-11-22", "2027-11-22");
    let cases = [
        (mou_between("", &[2, 3], start, end), "name"),
        (mou_between("X", &[2], start, end), "organizations"),
        (mou_between("X", &[2, 2], start, end), "organizations"),
        (mou_between("X", &[2, 77], start, end), "organizations"),
        (mou_between("X", &[2, 3], start, "2026-11-21"), "end"),
    ];
    for (body, field) in cases {
        let e = app
            .send::<ep::CreateMou>(&admin, &[], &body)
            .await
            .refused(422);
        assert_eq!(e.field.as_deref(), Some(field), "{body:?}");
    }
    assert_eq!(count(&app, "SELECT COUNT(*) FROM mous").await, 2);
}

#[tokio::test]
async fn s6_uploads_refuse_mislabelled_content_and_oversize_bodies_and_store_nothing() {
    let app = crate::support::spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let mou = new_mou(&app, &admin, &[2, 3]).await;
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
    exe.extend_from_slice(&[0u8; 512]);
    let html = b"<!DOCTYPE html><script>alert(1)</script>".to_vec();
    let mut big = PDF.to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        ("application/pdf", exe, 422, "body"),
        ("application/pdf", html.clone(), 422, "body"),
        ("text/html", html, 422, "content_type"),
        ("image/png", PDF.to_vec(), 422, "body"),
        ("application/pdf", Vec::new(), 422, "body"),
        ("application/pdf", big, 413, "body"),
    ];
    for (ct, body, status, field) in cases {
        let e = attach(&app, &admin, mou, ct, body).await.refused(status);
        assert_eq!(e.field.as_deref(), Some(field), "{ct}: {e:?}");
    }
    assert_eq!(count(&app, UPLOADED_DOCUMENTS).await, 0);
    let view = app.get::<ep::GetMou>(&admin, &[mou]).await.ok();
    assert!(!view.has_document);
    attach(&app, &admin, mou, "application/pdf", PDF.to_vec())
        .await
        .ok_with(201);
    refused!(
        attach(&app, &admin, mou, "application/pdf", PDF.to_vec()).await,
        403,
        Reason::DocumentAlreadyAttached
    );
    assert_eq!(count(&app, UPLOADED_DOCUMENTS).await, 1);
}

#[tokio::test]
async fn s6_every_user_lists_mous_but_only_parties_read_the_signed_document() {
    let app = crate::support::spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let mou = new_mou(&app, &admin, &[2, 3]).await;
    attach(&app, &admin, mou, "application/pdf", PDF.to_vec())
        .await
        .ok_with(201);
    let outreach = app.sign_in("outreach.cw").await;
    let list = app.get::<ep::ListMous>(&outreach, &[]).await.ok();
    let statuses: Vec<(&str, &str)> = list
        .iter()
        .map(|m| {
            let status = match m.status {
                MouStatus::Active => "active",
                MouStatus::Incomplete { .. } => "incomplete",
                _ => "other",
            };
            (m.name.as_str(), status)
        })
        .collect();
    assert_eq!(
        statuses,
        [
            ("Durham Housing Partners", "active"),
            ("Shelter and Outreach Pilot", "incomplete"),
            ("Shelter and Housing Compact", "incomplete"),
        ]
    );
    assert!(list[2].has_document);
    assert_eq!(list[2].id, MouId(mou));
    // The wire type has no document field; the JSON must not carry one either.
    let raw: Value = outreach
        .get(app.url(&path::<ep::ListMous>(&[])))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        raw[2].get("document").is_none(),
        "no document content or reference"
    );
    let res = outreach
        .get(app.url(&path::<ep::GetMouDocument>(&[mou])))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let shelter = app.sign_in("shelter.cw").await;
    let res = shelter
        .get(app.url(&path::<ep::GetMouDocument>(&[mou])))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    app.get::<ep::GetMou>(&admin, &[99999]).await.refused(404);
}
