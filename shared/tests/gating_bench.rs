//! Not a test of a rule: a timing, run by `scripts/bench-phone` (never by `scripts/hearth test`).
//! The app's gating of a 500-record client file, `can_read`, `can_edit` and `can_delete` on every
//! record as the profile page does, in WASM in Chromium, timed with `performance.now()`.
//! `scripts/bench-phone` builds it with the app's `wasm-release` profile, serves it with
//! wasm-bindgen-test-runner's interactive mode and opens it in Chromium under 4× CPU throttling.
//! It asserts only the decisions' count; the times are printed (`gating: ...` lines).
#![cfg(target_arch = "wasm32")]

#[path = "support/client_file.rs"]
mod client_file;

use chrono::NaiveDate;
use client_file::{client_file, day};
use shared::*;
use std::hint::black_box;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance)]
    fn now() -> f64;
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
