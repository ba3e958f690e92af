//! Property tests (proptest): default deny, S-5 restriction, R-11 services, S-3 dead ROIs, and
//! monotonicity of ROIs and MOUs.

use chrono::NaiveDate;
use proptest::prelude::*;
use shared::model::{Attestation, MouParty, Provenance, Revocation, Signature};
use shared::model::{Mou, Roi};
use shared::*;

fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn arb_date() -> impl Strategy<Value = NaiveDate> {
    (-60i64..60).prop_map(|o| base() + chrono::Duration::days(o))
}

fn arb_org() -> impl Strategy<Value = OrgId> {
    (1i64..5).prop_map(OrgId)
}

fn arb_actor() -> impl Strategy<Value = Actor> {
    (1i64..7, arb_org(), prop::sample::select(Role::ALL.to_vec())).prop_map(|(u, org, role)| {
        Actor {
            user: UserId(u),
            org,
            role,
        }
    })
}

fn arb_record() -> impl Strategy<Value = RecordMeta> {
    (
        prop::sample::select(RecordKind::ALL.to_vec()),
        arb_org(),
        1i64..7,
        prop::option::of(prop::sample::select(SecuritySetting::ALL.to_vec())),
        7i64..9,
        prop::bool::weighted(0.1),
    )
        .prop_map(
            |(kind, org, author, security, client, deleted)| RecordMeta {
                id: RecordId(1),
                client: ClientId(client),
                kind,
                provenance: Provenance {
                    org,
                    author: UserId(author),
                    created_at: base().and_hms_opt(0, 0, 0).unwrap(),
                },
                security,
                deleted,
            },
        )
}

fn arb_roi() -> impl Strategy<Value = Roi> {
    (
        1i64..20,
        7i64..9,
        prop::collection::vec(arb_org(), 0..4),
        arb_date(),
        0i64..60,
        prop::option::of(arb_date()),
    )
        .prop_map(|(id, client, orgs, start, len, revoked)| Roi {
            id: RoiId(id),
            client: ClientId(client),
            orgs,
            start,
            end: start + chrono::Duration::days(len),
            attestation: Attestation {
                by: UserId(1),
                org: OrgId(1),
                on: start,
            },
            document: None,
            revoked: revoked.map(|on| Revocation { by: UserId(1), on }),
        })
}

fn arb_mou() -> impl Strategy<Value = Mou> {
    (
        1i64..20,
        prop::collection::vec((arb_org(), prop::bool::weighted(0.85)), 0..4),
        prop::bool::weighted(0.85),
        arb_date(),
        0i64..90,
        prop::option::of(arb_date()),
    )
        .prop_map(|(id, parties, doc, start, len, terminated)| Mou {
            id: MouId(id),
            name: format!("MOU {id}"),
            parties: parties
                .into_iter()
                .map(|(org, signed)| MouParty {
                    org,
                    signature: signed.then(|| Signature {
                        name: "A".into(),
                        title: "B".into(),
                        date: start,
                    }),
                })
                .collect(),
            document: doc.then(|| "mou.pdf".to_owned()),
            start,
            end: start + chrono::Duration::days(len),
            terminated: terminated.map(|on| Revocation { by: UserId(9), on }),
        })
}

fn read(a: &Actor, r: &RecordMeta, rois: &[Roi], mous: &[Mou], day: NaiveDate) -> Decision {
    can_read(
        a,
        r,
        &SharingContext { rois, mous },
        day,
        &PolicyConfig::default(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// S-8 default deny: every allowed read is justified by a grant whose premises hold.
    #[test]
    fn s8_default_deny_every_allow_has_a_true_grant(a in arb_actor(), r in arb_record(), rois in prop::collection::vec(arb_roi(), 0..3), mous in prop::collection::vec(arb_mou(), 0..3), day in arb_date()) {
        let d = read(&a, &r, &rois, &mous, day);
        if d.allowed {
            let owner = r.provenance.org;
            let ok = match &d.reason {
                Reason::SystemAdministrator => a.role == Role::SystemAdmin,
                Reason::OwnOrganization => a.org == owner && !r.deleted,
                Reason::SharedWithAll => !r.deleted && (matches!(r.kind, RecordKind::Intake | RecordKind::FamilyContact | RecordKind::Demographics | RecordKind::Photo) || (r.kind == RecordKind::Attachment && r.security == Some(SecuritySetting::SharedWithAll))),
                Reason::ReadOnlyEnteredBy { org } => *org == owner && !r.deleted && matches!(r.kind, RecordKind::Enrollment | RecordKind::Service | RecordKind::CaseManager | RecordKind::ProfileNote),
                Reason::SharedByRoi { roi, .. } => rois.iter().any(|x| x.id == *roi && x.client == r.client && x.is_active(day) && x.names(a.org) && x.names(owner)) && r.security != Some(SecuritySetting::RestrictToOrganization),
                Reason::SharedByMou { mou, .. } => mous.iter().any(|x| x.id == *mou && x.is_active(day) && x.names(a.org) && x.names(owner)) && r.security != Some(SecuritySetting::RestrictToOrganization),
                _ => false,
            };
            prop_assert!(ok, "{:?}", d);
        }
    }

    /// S-5 / S-7: a RestrictToOrganization form or attachment is never readable outside its
    /// organization except by a SystemAdmin.
    #[test]
    fn s5_restricted_never_readable_outside_its_org(a in arb_actor(), mut r in arb_record(), rois in prop::collection::vec(arb_roi(), 0..3), mous in prop::collection::vec(arb_mou(), 0..3), day in arb_date(), attachment in any::<bool>()) {
        r.kind = if attachment { RecordKind::Attachment } else { RecordKind::Form };
        r.security = Some(SecuritySetting::RestrictToOrganization);
        let allowed = read(&a, &r, &rois, &mous, day).allowed;
        if a.org != r.provenance.org && a.role != Role::SystemAdmin {
            prop_assert!(!allowed);
        }
    }

    /// nothing ever allows deleting a service.
    #[test]
    fn r11_nothing_allows_deleting_a_service(a in arb_actor(), mut r in arb_record(), rois in prop::collection::vec(arb_roi(), 0..3), mous in prop::collection::vec(arb_mou(), 0..3), day in arb_date()) {
        r.kind = RecordKind::Service;
        let d = can_delete(&a, &r, &SharingContext { rois: &rois, mous: &mous }, day, &PolicyConfig::default());
        prop_assert!(!d.allowed);
    }

    /// S-3: an expired or revoked ROI grants nothing: the decision is the same without it.
    #[test]
    fn s3_expired_or_revoked_roi_grants_nothing(a in arb_actor(), r in arb_record(), rois in prop::collection::vec(arb_roi(), 1..4), mous in prop::collection::vec(arb_mou(), 0..2), day in arb_date()) {
        let dead: Vec<Roi> = rois.into_iter().filter(|x| !x.is_active(day)).collect();
        prop_assert_eq!(read(&a, &r, &dead, &mous, day), read(&a, &r, &[], &mous, day));
    }

    /// S-3 / S-4: adding an ROI or MOU never removes access.
    #[test]
    fn s3_s4_adding_roi_or_mou_never_removes_access(a in arb_actor(), r in arb_record(), rois in prop::collection::vec(arb_roi(), 0..3), mous in prop::collection::vec(arb_mou(), 0..3), extra_roi in arb_roi(), extra_mou in arb_mou(), day in arb_date()) {
        if read(&a, &r, &rois, &mous, day).allowed {
            let mut more_rois = rois.clone();
            more_rois.push(extra_roi);
            let mut more_mous = mous.clone();
            more_mous.push(extra_mou);
            prop_assert!(read(&a, &r, &more_rois, &mous, day).allowed);
            prop_assert!(read(&a, &r, &rois, &more_mous, day).allowed);
            prop_assert!(read(&a, &r, &more_rois, &more_mous, day).allowed);
        }
    }

    /// S-9: redaction shows exactly the readable records, and keeps the hidden live ones' owners.
    #[test]
    fn s9_redaction_is_exactly_can_read(a in arb_actor(), records in prop::collection::vec(arb_record(), 0..30), rois in prop::collection::vec(arb_roi(), 0..3), mous in prop::collection::vec(arb_mou(), 0..2), day in arb_date()) {
        let out = redact(&a, day, &SharingContext { rois: &rois, mous: &mous }, &PolicyConfig::default(), records.iter());
        let readable: Vec<_> = records.iter().filter(|r| read(&a, r, &rois, &mous, day).allowed).collect();
        prop_assert_eq!(out.visible.len(), readable.len());
        let hidden: Vec<_> = records.iter().filter(|r| !r.deleted && !read(&a, r, &rois, &mous, day).allowed).map(|r| r.provenance.org).collect();
        prop_assert_eq!(&out.withheld, &hidden);
        // S-9: by default a list says nothing of them.
        prop_assert_eq!(out.notice(&PolicyConfig::default()), None);
    }

    /// escalation is never allowed with fewer than 3 unanswered attempts or a span under 14 days.
    #[test]
    fn r3_escalation_never_before_both_thresholds(offsets in prop::collection::vec((0i64..30, any::<bool>()), 0..6)) {
        use shared::resolution::*;
        let start = base();
        let attempts: Vec<ContactAttempt> = offsets.iter().map(|(o, answered)| ContactAttempt { on: start + chrono::Duration::days(*o), method: ContactMethod::Phone, by: UserId(1), outcome: if *answered { AttemptOutcome::Reached } else { AttemptOutcome::NoContact } }).collect();
        let d = escalation_check(&attempts, start + chrono::Duration::days(40), &PolicyConfig::default());
        let unanswered: Vec<i64> = offsets.iter().filter(|(_, a)| !a).map(|(o, _)| *o).collect();
        let span = unanswered.iter().max().unwrap_or(&0) - unanswered.iter().min().unwrap_or(&0);
        prop_assert_eq!(d.allowed, unanswered.len() >= 3 && span >= 14);
    }
}
