//! A deliberately naive reference model of the read policy (S-1..S-8) and of edit/delete, written
//! separately from the crate: it computes the set of organizations a record is released to, then
//! looks the actor up in it. Compared with `can_read` on 100,000+ seeded random cases.

use chrono::NaiveDate;
use shared::model::{Mou, Roi};
use shared::*;

/// Every organization that may read `rec` on `day`, or `None` meaning "every organization".
fn released_to(rec: &RecordMeta, rois: &[Roi], mous: &[Mou], day: NaiveDate) -> Option<Vec<OrgId>> {
    let owner = rec.provenance.org;
    let kind_name = format!("{:?}", rec.kind);
    // Section 2's table, by name.
    if [
        "Intake",
        "FamilyContact",
        "Demographics",
        "Photo",
        "Enrollment",
        "Service",
        "CaseManager",
        "ProfileNote",
    ]
    .contains(&kind_name.as_str())
    {
        return None;
    }
    let setting = match (rec.kind, rec.security) {
        (RecordKind::Attachment, Some(SecuritySetting::SharedWithAll)) => return None,
        (_, Some(SecuritySetting::RestrictToOrganization)) => "restrict",
        _ => "roi_mou",
    };
    let mut orgs = vec![owner];
    if setting == "restrict" {
        return Some(orgs);
    }
    for r in rois {
        let live = r.client == rec.client
            && day >= r.start
            && day <= r.end
            && match &r.revoked {
                None => true,
                Some(rev) => day < rev.on,
            };
        if live && r.orgs.contains(&owner) {
            orgs.extend(r.orgs.iter().copied());
        }
    }
    for m in mous {
        let mut signed = 0;
        for party in &m.parties {
            if party.signature.is_some() {
                signed += 1;
            }
        }
        let live = m.parties.len() >= 2
            && signed == m.parties.len()
            && m.document.is_some()
            && day >= m.start
            && day <= m.end
            && match &m.terminated {
                None => true,
                Some(t) => day < t.on,
            };
        if live && m.parties.iter().any(|p| p.org == owner) {
            orgs.extend(m.parties.iter().map(|p| p.org));
        }
    }
    Some(orgs)
}

pub fn ref_can_read(
    a: &Actor,
    rec: &RecordMeta,
    rois: &[Roi],
    mous: &[Mou],
    day: NaiveDate,
) -> bool {
    if a.role == Role::SystemAdmin {
        return true;
    }
    if rec.deleted {
        return false;
    }
    match released_to(rec, rois, mous, day) {
        None => true,
        Some(orgs) => orgs.contains(&a.org),
    }
}

pub fn ref_can_edit(
    a: &Actor,
    rec: &RecordMeta,
    rois: &[Roi],
    mous: &[Mou],
    day: NaiveDate,
) -> bool {
    if rec.deleted || !ref_can_read(a, rec, rois, mous, day) {
        return false;
    }
    match rec.kind {
        RecordKind::ProfileNote | RecordKind::Attachment => a.user == rec.provenance.author,
        RecordKind::Intake
        | RecordKind::FamilyContact
        | RecordKind::Demographics
        | RecordKind::Photo => true,
        _ => a.org == rec.provenance.org,
    }
}

pub fn ref_can_delete(
    a: &Actor,
    rec: &RecordMeta,
    rois: &[Roi],
    mous: &[Mou],
    day: NaiveDate,
) -> bool {
    if rec.kind == RecordKind::Service || rec.deleted || !ref_can_read(a, rec, rois, mous, day) {
        return false;
    }
    match rec.kind {
        RecordKind::ProfileNote | RecordKind::Attachment => a.user == rec.provenance.author,
        RecordKind::Enrollment | RecordKind::CaseManager | RecordKind::Form => {
            a.org == rec.provenance.org
        }
        _ => false,
    }
}

/// A tiny seeded PRNG (xorshift64*), so the comparison is deterministic and needs no crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn date(&mut self, base: NaiveDate, spread: i64) -> NaiveDate {
        let off = self.below(2 * spread as u64 + 1) as i64 - spread;
        base + chrono::Duration::days(off)
    }
}

pub fn random_case(rng: &mut Rng) -> (Actor, RecordMeta, Vec<Roi>, Vec<Mou>, NaiveDate) {
    use shared::model::{Attestation, MouParty, Provenance, Revocation, Signature};
    let base = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    let org = |rng: &mut Rng| OrgId(1 + rng.below(4) as i64);
    let role =
        [Role::Caseworker, Role::AgencyAdmin, Role::SystemAdmin][rng.below(10).min(2) as usize % 3];
    let role = if rng.chance(8) {
        Role::SystemAdmin
    } else if role == Role::SystemAdmin {
        Role::Caseworker
    } else {
        role
    };
    let actor = Actor {
        user: UserId(1 + rng.below(6) as i64),
        org: org(rng),
        role,
    };
    let kind = RecordKind::ALL[rng.below(10) as usize];
    let security = match rng.below(4) {
        0 => None,
        n => Some(SecuritySetting::ALL[n as usize - 1]),
    };
    let record = RecordMeta {
        id: RecordId(1),
        client: ClientId(7 + rng.below(2) as i64),
        kind,
        provenance: Provenance {
            org: org(rng),
            author: UserId(1 + rng.below(6) as i64),
            created_at: base.and_hms_opt(0, 0, 0).unwrap_or_default(),
        },
        security,
        deleted: rng.chance(10),
    };
    let today = rng.date(base, 40);
    let rois = (0..rng.below(4))
        .map(|i| {
            let start = rng.date(base, 40);
            let orgs: Vec<OrgId> = (1..=4).filter(|_| rng.chance(50)).map(OrgId).collect();
            Roi {
                id: RoiId(i as i64 + 1),
                client: ClientId(7 + rng.below(2) as i64),
                orgs,
                start,
                end: start + chrono::Duration::days(rng.below(60) as i64),
                attestation: Attestation {
                    by: UserId(1),
                    org: OrgId(1),
                    on: start,
                },
                document: None,
                revoked: rng.chance(25).then(|| Revocation {
                    by: UserId(1),
                    on: rng.date(base, 40),
                }),
            }
        })
        .collect();
    let mous = (0..rng.below(3))
        .map(|i| {
            let start = rng.date(base, 40);
            Mou {
                id: MouId(i as i64 + 1),
                name: format!("MOU {i}"),
                parties: {
                    let orgs: Vec<i64> = (1..=4).filter(|_| rng.chance(50)).collect();
                    orgs.into_iter()
                        .map(|o| MouParty {
                            org: OrgId(o),
                            signature: (!rng.chance(15)).then(|| Signature {
                                name: "A".into(),
                                title: "B".into(),
                                date: start,
                            }),
                        })
                        .collect()
                },
                document: (!rng.chance(15)).then(|| "doc".to_owned()),
                start,
                end: start + chrono::Duration::days(rng.below(90) as i64),
                terminated: rng.chance(20).then(|| Revocation {
                    by: UserId(9),
                    on: rng.date(base, 40),
                }),
            }
        })
        .collect();
    (actor, record, rois, mous, today)
}

#[test]
fn s1_to_s8_reference_model_agrees_with_can_read_on_120000_random_cases() {
    let p = PolicyConfig::default();
    let mut rng = Rng::new(0x4845_4152_5448);
    let mut allowed = 0;
    for i in 0..120_000 {
        let (a, r, rois, mous, day) = random_case(&mut rng);
        let ctx = SharingContext {
            rois: &rois,
            mous: &mous,
        };
        let got = can_read(&a, &r, &ctx, day, &p).allowed;
        let want = ref_can_read(&a, &r, &rois, &mous, day);
        assert_eq!(got, want, "case {i}: {a:?} {r:?} {rois:?} {mous:?} {day}");
        allowed += usize::from(got);
        // Every 4th case also compares edit and delete.
        if i % 4 == 0 {
            assert_eq!(
                can_edit(&a, &r, &ctx, day, &p).allowed,
                ref_can_edit(&a, &r, &rois, &mous, day),
                "edit {i}"
            );
            assert_eq!(
                can_delete(&a, &r, &ctx, day, &p).allowed,
                ref_can_delete(&a, &r, &rois, &mous, day),
                "delete {i}"
            );
        }
    }
    // The generator exercises both outcomes substantially.
    assert!(allowed > 30_000 && allowed < 110_000, "allowed {allowed}");
}
