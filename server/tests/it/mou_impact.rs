//! S-4 / S-6 impact preview through the API (`GET /mous/{id}/impact`): its counts are checked
//! against the client files a user of each organization reads afterwards, per owner and record
//! kind, for an activation and for a termination; only SystemAdmins may ask, and it is audited
//! without naming a client.

use crate::refused;
use crate::support::{today, TestApp};
use chrono::Duration;
use shared::actions::MouStatus;
use shared::api::endpoint::NoQuery;
use shared::api::endpoints::{self as ep, MouImpactQuery};
use shared::api::releases::{
    ImpactRow, MouImpactView, NewMouRequest, SignatureRequest, TerminateRequest,
};
use shared::{OrgId, Reason, RecordKind};
use std::collections::{BTreeMap, BTreeSet};

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";

/// What one organization's user reads of other organizations' records, by (owner, kind):
/// how many records, on which clients.
type Reads = BTreeMap<(OrgId, RecordKind), (u64, BTreeSet<i64>)>;

/// Every live client file as `user` (of `org`) reads it, other agencies' records only.
async fn reads(app: &TestApp, user: &str, org: OrgId) -> Reads {
    let c = app.sign_in(user).await;
    let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM clients WHERE deleted = 0 ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let mut out = Reads::new();
    for (id,) in ids {
        let p = app
            .get::<ep::GetClientProfile>(&c, &[id])
            .await
            .ok_with(200);
        for r in p.records.iter().filter(|r| r.meta.provenance.org != org) {
            let e = out.entry((r.meta.provenance.org, r.meta.kind)).or_default();
            e.0 += 1;
            e.1.insert(id);
        }
    }
    out
}

/// What `more` reads that `less` does not, as (owner, kind) -> (records, clients): records are
/// kept (never deleted), so the difference is counted record by record.
fn gained(more: &Reads, less: &Reads) -> BTreeMap<(OrgId, RecordKind), (u64, u64)> {
    let mut out = BTreeMap::new();
    for (key, (n, clients)) in more {
        let (m, before) = less.get(key).cloned().unwrap_or_default();
        if *n > m {
            let new_clients = clients.difference(&before).count() as u64;
            out.insert(*key, (n - m, new_clients));
        }
    }
    out
}

/// By owner: the clients on whom `more` reads a record of some kind that `less` did not.
fn new_clients(more: &Reads, less: &Reads) -> BTreeMap<OrgId, u64> {
    let mut by_owner: BTreeMap<OrgId, BTreeSet<i64>> = BTreeMap::new();
    for (key, (_, clients)) in more {
        let before = less.get(key).map(|e| e.1.clone()).unwrap_or_default();
        let new: Vec<i64> = clients.difference(&before).copied().collect();
        if !new.is_empty() {
            by_owner.entry(key.0).or_default().extend(new);
        }
    }
    by_owner
        .into_iter()
        .map(|(o, c)| (o, c.len() as u64))
        .collect()
}

/// The preview's lines for reader `org`, as (owner, kind) -> (records, clients).
fn lines_for(view: &MouImpactView, org: OrgId) -> BTreeMap<(OrgId, RecordKind), (u64, u64)> {
    view.rows
        .iter()
        .filter(|r: &&ImpactRow| r.reader.id == org)
        .map(|r| ((r.owner.id, r.kind), (r.records, r.clients)))
        .collect()
}

async fn preview(
    app: &TestApp,
    c: &reqwest::Client,
    mou: i64,
    change: &str,
) -> crate::support::Answer<MouImpactView> {
    let q = MouImpactQuery {
        change: Some(change.into()),
        on: None,
    };
    app.call::<ep::GetMouImpact>(c, &[mou], &q, &shared::api::endpoint::NoBody)
        .await
}

async fn sign(app: &TestApp, c: &reqwest::Client, mou: i64, org: i64) {
    let body = SignatureRequest {
        org: OrgId(org),
        name: "Pat Morgan".into(),
        title: "Executive Director".into(),
        date: today(),
    };
    app.send::<ep::SignMou>(c, &[mou], &body).await.ok_with(200);
}

const SHELTER: OrgId = OrgId(2);
const HOUSING: OrgId = OrgId(3);

#[tokio::test]
async fn s6_the_impact_preview_counts_exactly_what_each_party_then_reads_and_then_loses() {
    let app = crate::support::spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let body = NewMouRequest {
        name: "Shelter and Housing Compact".into(),
        organizations: vec![SHELTER, HOUSING],
        start: today(),
        end: today() + Duration::days(365),
    };
    let mou = app
        .send::<ep::CreateMou>(&admin, &[], &body)
        .await
        .ok_with(201)
        .id
        .0;
    let before = [
        reads(&app, "shelter.cw", SHELTER).await,
        reads(&app, "housing.cw", HOUSING).await,
    ];

    let activation = preview(&app, &admin, mou, "activate").await.ok_with(200);
    assert_eq!(activation.on, today());
    assert!(
        activation
            .rows
            .iter()
            .any(|r| r.kind == RecordKind::Form && r.reader.id == SHELTER),
        "the demo's Eno River forms shared by ROI/MOU: {activation:?}"
    );
    assert!(activation
        .rows
        .iter()
        .all(|r| [SHELTER, HOUSING].contains(&r.reader.id) && r.reader.id != r.owner.id));

    sign(&app, &admin, mou, 2).await;
    sign(&app, &admin, mou, 3).await;
    app.upload::<ep::UploadMouDocument>(
        &admin,
        &[mou],
        &NoQuery,
        Some("application/pdf"),
        PDF.to_vec(),
    )
    .await
    .ok_with(201);
    let view = app.get::<ep::GetMou>(&admin, &[mou]).await.ok_with(200);
    assert_eq!(view.status, MouStatus::Active);
    let during = [
        reads(&app, "shelter.cw", SHELTER).await,
        reads(&app, "housing.cw", HOUSING).await,
    ];
    for (i, org) in [SHELTER, HOUSING].into_iter().enumerate() {
        assert_eq!(
            gained(&during[i], &before[i]),
            lines_for(&activation, org),
            "what {org} newly reads"
        );
        assert!(
            gained(&before[i], &during[i]).is_empty(),
            "{org} loses nothing"
        );
        assert_eq!(
            new_clients(&during[i], &before[i]),
            activation
                .pairs
                .iter()
                .filter(|p| p.reader.id == org)
                .map(|p| (p.owner.id, p.clients))
                .collect::<BTreeMap<_, _>>(),
            "on how many clients {org} newly reads each agency's records"
        );
    }

    // Nothing more to gain; terminating today withdraws what activating released.
    assert!(preview(&app, &admin, mou, "activate")
        .await
        .ok_with(200)
        .rows
        .is_empty());
    let termination = preview(&app, &admin, mou, "terminate").await.ok_with(200);
    app.send::<ep::TerminateMou>(&admin, &[mou], &TerminateRequest { date: None })
        .await
        .ok_with(200);
    let after = [
        reads(&app, "shelter.cw", SHELTER).await,
        reads(&app, "housing.cw", HOUSING).await,
    ];
    for (i, org) in [SHELTER, HOUSING].into_iter().enumerate() {
        assert_eq!(
            gained(&during[i], &after[i]),
            lines_for(&termination, org),
            "what {org} loses"
        );
    }
    assert_eq!(termination.rows, activation.rows);
}

#[tokio::test]
async fn s6_only_system_administrators_preview_an_mous_impact_and_each_preview_is_audited() {
    let app = crate::support::spawn_app().await;
    for user in ["shelter.cw", "shelter.admin", "housing.admin"] {
        let c = app.sign_in(user).await;
        let e = refused!(
            preview(&app, &c, 2, "activate").await,
            403,
            Reason::OnlySystemAdmin
        );
        assert!(!e.error.is_empty());
    }
    let admin = app.sign_in("coc.admin").await;
    let e = preview(&app, &admin, 2, "approve").await.refused(422);
    assert_eq!(e.field.as_deref(), Some("change"));
    let q = MouImpactQuery {
        change: Some("terminate".into()),
        on: Some("2026-13-01".into()),
    };
    let e = app
        .call::<ep::GetMouImpact>(&admin, &[2], &q, &shared::api::endpoint::NoBody)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("on"));
    preview(&app, &admin, 77, "activate").await.refused(404);
    preview(&app, &admin, 2, "activate").await.ok_with(200);
    let (n, clients): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(hmis_number) FROM audit_log WHERE action = 'preview MOU impact'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!((n, clients), (1, 0));
}

/// Not a test: the preview's cost on the demo data and on 10,000 more clients, in this (debug)
/// build, printed. `cargo test -p server --test it s6_measure -- --ignored --nocapture`.
#[tokio::test]
#[ignore]
async fn s6_measure_the_impact_previews_cost_on_the_demo_and_on_ten_thousand_clients() {
    let app = crate::support::spawn_app().await;
    let admin = app.sign_in("coc.admin").await;
    let body = NewMouRequest {
        name: "Measured".into(),
        organizations: vec![SHELTER, HOUSING],
        start: today(),
        end: today() + Duration::days(365),
    };
    let mou = app
        .send::<ep::CreateMou>(&admin, &[], &body)
        .await
        .ok_with(201)
        .id
        .0;
    for (label, extra) in [("demo (36 clients)", 0), ("demo + 10,000 clients", 10_000)] {
        if extra > 0 {
            crate::durability::common::bulk_clients(&app.pool, extra).await;
        }
        let mut times = Vec::new();
        let mut records = 0;
        for _ in 0..5 {
            let t = std::time::Instant::now();
            let v = preview(&app, &admin, mou, "activate").await.ok_with(200);
            times.push(t.elapsed());
            records = v.rows.iter().map(|r| r.records).sum::<u64>();
        }
        times.sort();
        println!(
            "impact preview, {label}: median {:?}, min {:?}, max {:?} ({records} records change hands)",
            times[2], times[0], times[4]
        );
    }
}
