//! Not a test of a rule: a timing, run by `scripts/bench-phone` (never by `scripts/hearth test`).
//! The app's gating of a 500-record client file, `can_read`, `can_edit` and `can_delete` on every
//! record as the profile page does, in WASM in Chromium, timed with `performance.now()`.
//! `scripts/bench-phone` builds it with the app's `wasm-release` profile, serves it with
//! wasm-bindgen-test-runner's interactive mode and opens it in Chromium under 4× CPU throttling.
//! It asserts only the decisions' count; the times are printed (`gating: ...` lines).
#![cfg(target_arch = "wasm32")]

use chrono::{NaiveDate, NaiveDateTime};
use shared::model::{Attestation, MouParty, Provenance, Signature};
use shared::*;
use std::hint::black_box;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn created() -> NaiveDateTime {
    day("2026-01-05").and_hms_opt(9, 0, 0).expect("time")
}

/// A client file of 500 records of every kind, six agencies, every security setting, some
/// tombstones; three ROIs (one expired) and two MOUs (one incomplete): as `benches/rules.rs`.
fn client_file() -> (Vec<Roi>, Vec<Mou>, Vec<RecordMeta>) {
    let roi = |id: i64, orgs: &[i64], start: &str, end: &str| Roi {
        id: RoiId(id),
        client: ClientId(7),
        orgs: orgs.iter().map(|o| OrgId(*o)).collect(),
        start: day(start),
        end: day(end),
        attestation: Attestation {
            by: UserId(1),
            org: OrgId(orgs[0]),
            on: day(start),
        },
        document: None,
        revoked: None,
    };
    let mou = |id: i64, orgs: &[i64], signed: bool| Mou {
        id: MouId(id),
        name: format!("Partners {id}"),
        parties: orgs
            .iter()
            .enumerate()
            .map(|(i, o)| MouParty {
                org: OrgId(*o),
                signature: (signed || i == 0).then(|| Signature {
                    name: "Head".into(),
                    title: "Director".into(),
                    date: day("2026-01-01"),
                }),
            })
            .collect(),
        document: Some("mou.pdf".into()),
        start: day("2026-01-01"),
        end: day("2026-12-31"),
        terminated: None,
    };
    let rois = vec![
        roi(11, &[5, 6], "2026-01-01", "2026-12-31"),
        roi(12, &[2, 1], "2026-03-01", "2027-03-01"),
        roi(13, &[2, 3], "2025-01-01", "2025-12-31"),
    ];
    let mous = vec![mou(1, &[3, 4], false), mou(2, &[2, 4, 6], true)];
    let settings = [
        None,
        Some(SecuritySetting::ShareWithRoiMou),
        Some(SecuritySetting::RestrictToOrganization),
        Some(SecuritySetting::SharedWithAll),
    ];
    let records = (0..500)
        .map(|i: i64| RecordMeta {
            id: RecordId(i),
            client: ClientId(7),
            kind: RecordKind::ALL[(i % 10) as usize],
            provenance: Provenance {
                org: OrgId(1 + (i % 6)),
                author: UserId(i % 13),
                created_at: created(),
            },
            security: settings[(i % 4) as usize],
            deleted: i % 37 == 0,
        })
        .collect();
    (rois, mous, records)
}

/// One gating pass: the three decisions on every record; the number allowed.
fn gate(
    actor: &Actor,
    records: &[RecordMeta],
    ctx: &SharingContext<'_>,
    today: NaiveDate,
    policy: &PolicyConfig,
) -> usize {
    records
        .iter()
        .map(|r| {
            usize::from(can_read(actor, r, ctx, today, policy).allowed)
                + usize::from(can_edit(actor, r, ctx, today, policy).allowed)
                + usize::from(can_delete(actor, r, ctx, today, policy).allowed)
        })
        .sum()
}

#[wasm_bindgen_test::wasm_bindgen_test]
fn gating_a_500_record_client_file_in_wasm() {
    let (rois, mous, records) = client_file();
    let ctx = SharingContext {
        rois: &rois,
        mous: &mous,
    };
    let actor = Actor {
        user: UserId(20),
        org: OrgId(2),
        role: Role::Caseworker,
    };
    let (today, policy) = (day("2026-11-22"), PolicyConfig::default());
    let expected = gate(&actor, &records, &ctx, today, &policy);
    assert!(
        expected > 0 && expected < 1500,
        "some decisions allow, some refuse"
    );
    for _ in 0..20 {
        black_box(gate(&actor, black_box(&records), &ctx, today, &policy));
    }
    // Each pass timed alone (the user's case: one profile render), then a batch for the mean.
    let mut passes: Vec<f64> = (0..200)
        .map(|_| {
            let t0 = now();
            let n = gate(&actor, black_box(&records), &ctx, today, &policy);
            let t = now() - t0;
            assert_eq!(n, expected);
            t
        })
        .collect();
    passes.sort_by(f64::total_cmp);
    let t0 = now();
    for _ in 0..100 {
        black_box(gate(&actor, black_box(&records), &ctx, today, &policy));
    }
    let mean = (now() - t0) / 100.0;
    let q = |p: f64| passes[((passes.len() - 1) as f64 * p).round() as usize];
    wasm_bindgen_test::console_log!(
        "gating: 500 records x 3 decisions ({expected} allowed): median {:.3} ms, p95 {:.3} ms, \
         max {:.3} ms over 200 passes; mean {mean:.3} ms over 100 passes in a row",
        q(0.5),
        q(0.95),
        q(1.0)
    );
}
