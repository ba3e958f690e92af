//! The 500-record client file both timings use (`benches/rules.rs` and `tests/gating_bench.rs`,
//! each through `#[path]`): records of every kind from six agencies with every security setting
//! and some tombstones, three ROIs (one expired) and two MOUs (one incomplete).

use chrono::{NaiveDate, NaiveDateTime};
use shared::model::{Attestation, MouParty, Provenance, Signature};
use shared::*;

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

pub fn created() -> NaiveDateTime {
    day("2026-01-05").and_hms_opt(9, 0, 0).expect("time")
}

/// The client file: its ROIs, its MOUs and its 500 records.
pub fn client_file() -> (Vec<Roi>, Vec<Mou>, Vec<RecordMeta>) {
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
