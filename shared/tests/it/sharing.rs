//! S-1..S-9: who may read, and why; redaction.

use crate::common::*;
use shared::*;

const P: fn() -> PolicyConfig = PolicyConfig::default;

fn read(a: &Actor, r: &RecordMeta, rois: &[Roi], mous: &[Mou], on: &str) -> Decision {
    can_read(a, r, &ctx(rois, mous), d(on), &P())
}

/// One row: (actor, record, rois, mous, date) -> expected decision.
type Case<'a> = (Actor, RecordMeta, Vec<Roi>, Vec<Mou>, &'a str, Decision);

/// Table-driven read checks.
fn check(cases: &[Case<'_>]) {
    for (i, (a, r, rois, mous, on, want)) in cases.iter().enumerate() {
        assert_eq!(&read(a, r, rois, mous, on), want, "case {i}");
    }
}

#[test]
fn s1_tier1_readable_by_every_org_without_roi_or_mou() {
    for kind in [
        RecordKind::Intake,
        RecordKind::FamilyContact,
        RecordKind::Demographics,
        RecordKind::Photo,
    ] {
        let r = record(kind, 1, 10, None);
        for org in 1..5 {
            let got = read(&cw(20, org), &r, &[], &[], "2026-11-22");
            assert_eq!(
                got,
                Decision::allow(Reason::SharedWithAll),
                "{kind:?} org {org}"
            );
        }
    }
}

#[test]
fn s2_tier2_readable_by_all_read_only_for_others() {
    for kind in [
        RecordKind::Enrollment,
        RecordKind::Service,
        RecordKind::CaseManager,
        RecordKind::ProfileNote,
    ] {
        let r = record(kind, 1, 10, Some(SecuritySetting::RestrictToOrganization));
        check(&[
            (
                cw(20, 2),
                r,
                vec![],
                vec![],
                "2026-11-22",
                Decision::allow(Reason::ReadOnlyEnteredBy { org: OrgId(1) }),
            ),
            (
                cw(11, 1),
                r,
                vec![],
                vec![],
                "2026-11-22",
                Decision::allow(Reason::OwnOrganization),
            ),
        ]);
    }
}

#[test]
fn s3_roi_member_reads_roi_record() {
    let r = form(1, SecuritySetting::ShareWithRoiMou);
    let rois = vec![roi(12, &[2, 1], "2026-03-01", "2027-03-01")];
    assert_eq!(
        read(&cw(20, 2), &r, &rois, &[], "2026-11-22"),
        Decision::allow(Reason::SharedByRoi {
            roi: RoiId(12),
            until: d("2027-03-01")
        })
    );
}

#[test]
fn s3_roi_active_on_start_and_end_date_inclusive_not_after() {
    let r = form(1, SecuritySetting::ShareWithRoiMou);
    let rois = vec![roi(12, &[2, 1], "2026-03-01", "2027-03-01")];
    let denied = Decision::deny(Reason::RestrictedTo { org: OrgId(1) });
    let allowed = Decision::allow(Reason::SharedByRoi {
        roi: RoiId(12),
        until: d("2027-03-01"),
    });
    check(&[
        (
            cw(20, 2),
            r,
            rois.clone(),
            vec![],
            "2026-02-28",
            denied.clone(),
        ),
        (
            cw(20, 2),
            r,
            rois.clone(),
            vec![],
            "2026-03-01",
            allowed.clone(),
        ),
        (cw(20, 2), r, rois.clone(), vec![], "2027-03-01", allowed),
        (cw(20, 2), r, rois, vec![], "2027-03-02", denied),
    ]);
}

#[test]
fn s3_revoked_roi_grants_nothing_from_revocation_day() {
    let r = form(1, SecuritySetting::ShareWithRoiMou);
    let rois = vec![revoke(
        roi(12, &[2, 1], "2026-03-01", "2027-03-01"),
        "2026-11-22",
    )];
    assert!(read(&cw(20, 2), &r, &rois, &[], "2026-11-21").allowed);
    assert!(!read(&cw(20, 2), &r, &rois, &[], "2026-11-22").allowed);
}

#[test]
fn s3_roi_must_name_both_orgs_and_be_for_this_client() {
    let r = form(1, SecuritySetting::ShareWithRoiMou);
    let only_reader = vec![roi(12, &[2, 3], "2026-03-01", "2027-03-01")];
    assert!(!read(&cw(20, 2), &r, &only_reader, &[], "2026-11-22").allowed);
    let mut other_client = roi(13, &[1, 2], "2026-03-01", "2027-03-01");
    other_client.client = ClientId(8);
    assert!(!read(&cw(20, 2), &r, &[other_client], &[], "2026-11-22").allowed);
}

#[test]
fn s3_roi_does_not_open_restricted_records() {
    let r = form(1, SecuritySetting::RestrictToOrganization);
    let rois = vec![roi(12, &[2, 1], "2026-03-01", "2027-03-01")];
    assert_eq!(
        read(&cw(20, 2), &r, &rois, &[], "2026-11-22"),
        Decision::deny(Reason::RestrictedTo { org: OrgId(1) })
    );
}

#[test]
fn s4_active_mou_shares_roi_mou_records_for_every_client() {
    let mut r = form(1, SecuritySetting::ShareWithRoiMou);
    r.client = ClientId(555);
    let mous = vec![mou(
        4,
        "Durham Housing Partners",
        &[1, 2, 3],
        "2026-01-01",
        "2026-12-31",
    )];
    assert_eq!(
        read(&cw(30, 3), &r, &[], &mous, "2026-11-22"),
        Decision::allow(Reason::SharedByMou {
            mou: MouId(4),
            name: "Durham Housing Partners".into()
        })
    );
    assert!(!read(&cw(40, 4), &r, &[], &mous, "2026-11-22").allowed);
    assert!(read(&cw(30, 3), &r, &[], &mous, "2026-12-31").allowed);
    assert!(!read(&cw(30, 3), &r, &[], &mous, "2027-01-01").allowed);
}

#[test]
fn s4_roi_is_preferred_reason_when_both_apply() {
    let r = form(1, SecuritySetting::ShareWithRoiMou);
    let rois = vec![roi(12, &[2, 1], "2026-03-01", "2027-03-01")];
    let mous = vec![mou(4, "DHP", &[1, 2], "2026-01-01", "2026-12-31")];
    assert!(matches!(
        read(&cw(20, 2), &r, &rois, &mous, "2026-11-22").reason,
        Reason::SharedByRoi { .. }
    ));
}

#[test]
fn s5_roi_mou_record_without_roi_or_mou_is_own_org_only() {
    let r = form(1, SecuritySetting::ShareWithRoiMou);
    check(&[
        (
            cw(11, 1),
            r,
            vec![],
            vec![],
            "2026-11-22",
            Decision::allow(Reason::OwnOrganization),
        ),
        (
            cw(20, 2),
            r,
            vec![],
            vec![],
            "2026-11-22",
            Decision::deny(Reason::RestrictedTo { org: OrgId(1) }),
        ),
        (
            admin(21, 2),
            r,
            vec![],
            vec![],
            "2026-11-22",
            Decision::deny(Reason::RestrictedTo { org: OrgId(1) }),
        ),
    ]);
}

#[test]
fn s5_form_stored_as_shared_with_all_is_read_as_roi_mou() {
    let r = form(1, SecuritySetting::SharedWithAll);
    assert!(!read(&cw(20, 2), &r, &[], &[], "2026-11-22").allowed);
    let mut a = r;
    a.kind = RecordKind::Attachment;
    assert_eq!(
        read(&cw(20, 2), &a, &[], &[], "2026-11-22"),
        Decision::allow(Reason::SharedWithAll)
    );
}

#[test]
fn s5_form_without_setting_uses_policy_default() {
    let mut r = form(1, SecuritySetting::ShareWithRoiMou);
    r.security = None;
    let mut p = P();
    p.default_security = SecuritySetting::RestrictToOrganization;
    let rois = vec![roi(12, &[2, 1], "2026-03-01", "2027-03-01")];
    assert!(read(&cw(20, 2), &r, &rois, &[], "2026-11-22").allowed);
    assert!(!can_read(&cw(20, 2), &r, &ctx(&rois, &[]), today(), &p).allowed);
}

#[test]
fn s6_mou_missing_one_signature_shares_nothing() {
    let r = form(1, SecuritySetting::ShareWithRoiMou);
    let mut m = mou(4, "DHP", &[1, 2, 3], "2026-01-01", "2026-12-31");
    m.parties[2].signature = None;
    assert!(!read(&cw(20, 2), &r, &[], &[m.clone()], "2026-11-22").allowed);
    assert_eq!(
        actions::mou_status(&m, today()),
        actions::MouStatus::Incomplete {
            missing_signatures: vec![OrgId(3)],
            missing_document: false
        }
    );
}

#[test]
fn s6_mou_without_document_or_terminated_shares_nothing() {
    let r = form(1, SecuritySetting::ShareWithRoiMou);
    let mut no_doc = mou(4, "DHP", &[1, 2], "2026-01-01", "2026-12-31");
    no_doc.document = None;
    assert!(!read(&cw(20, 2), &r, &[], &[no_doc], "2026-11-22").allowed);
    let mut ended = mou(4, "DHP", &[1, 2], "2026-01-01", "2026-12-31");
    ended.terminated = Some(shared::model::Revocation {
        by: UserId(900),
        on: d("2026-11-22"),
    });
    assert!(read(&cw(20, 2), &r, &[], &[ended.clone()], "2026-11-21").allowed);
    assert!(!read(&cw(20, 2), &r, &[], &[ended], "2026-11-22").allowed);
}

#[test]
fn s7_system_admin_reads_everything_including_tombstones() {
    let mut r = form(1, SecuritySetting::RestrictToOrganization);
    assert_eq!(
        read(&sysadmin(), &r, &[], &[], "2026-11-22"),
        Decision::allow(Reason::SystemAdministrator)
    );
    r.deleted = true;
    assert!(read(&sysadmin(), &r, &[], &[], "2026-11-22").allowed);
    assert_eq!(
        read(&cw(11, 1), &r, &[], &[], "2026-11-22"),
        Decision::deny(Reason::Deleted)
    );
}

#[test]
fn s8_agency_admin_gets_no_extra_read_access() {
    let r = form(1, SecuritySetting::ShareWithRoiMou);
    assert!(!read(&admin(21, 2), &r, &[], &[], "2026-11-22").allowed);
}

#[test]
fn s9_reasons_render_as_the_spec_sentences() {
    let cases = [
        (Reason::SharedWithAll, "Shared with all agencies"),
        (
            Reason::ReadOnlyEnteredBy { org: OrgId(3) },
            "Read-only: entered by Agency 3",
        ),
        (
            Reason::SharedByRoi {
                roi: RoiId(12),
                until: d("2027-03-01"),
            },
            "Shared with you by ROI #12 (until 2027-03-01)",
        ),
        (
            Reason::SharedByMou {
                mou: MouId(1),
                name: "Durham Housing Partners".into(),
            },
            "Shared by MOU 'Durham Housing Partners'",
        ),
        (
            Reason::RestrictedTo { org: OrgId(3) },
            "Restricted to Agency 3",
        ),
        (
            Reason::OnlyAuthor { author: UserId(1) },
            "Only the author may edit or delete this note",
        ),
        (
            Reason::NeedsDocumentation {
                field: Field::Ssn,
                entered_by: OrgId(2),
            },
            "Needs written documentation: Social Security number was entered by Agency 2",
        ),
    ];
    for (reason, want) in cases {
        assert_eq!(reason.describe(&org_name), want);
    }
}

#[test]
fn s9_redaction_keeps_readable_records_with_reasons_and_counts_hidden() {
    let records = vec![
        record(RecordKind::Intake, 1, 10, None),
        record(RecordKind::Enrollment, 1, 10, None),
        form(1, SecuritySetting::ShareWithRoiMou),
        form(1, SecuritySetting::RestrictToOrganization),
        form(2, SecuritySetting::RestrictToOrganization),
        RecordMeta {
            deleted: true,
            ..form(1, SecuritySetting::ShareWithRoiMou)
        },
    ];
    let rois = vec![roi(12, &[2, 1], "2026-03-01", "2027-03-01")];
    let out = redact(&cw(20, 2), today(), &ctx(&rois, &[]), &P(), records.clone());
    let reasons: Vec<_> = out.visible.iter().map(|(_, r)| r.clone()).collect();
    assert_eq!(
        reasons,
        vec![
            Reason::SharedWithAll,
            Reason::ReadOnlyEnteredBy { org: OrgId(1) },
            Reason::SharedByRoi {
                roi: RoiId(12),
                until: d("2027-03-01")
            },
            Reason::OwnOrganization,
        ]
    );
    assert_eq!(
        out.withheld,
        vec![OrgId(1)],
        "the restricted form; the tombstone is not mentioned"
    );
    assert_eq!(
        out.notice(&P()),
        None,
        "S-9: nothing hints at it by default"
    );
    let all = redact(&sysadmin(), today(), &ctx(&rois, &[]), &P(), &records);
    assert_eq!(all.visible.len(), 6);
    assert!(all.withheld.is_empty());
}

/// S-9: by default nothing is said of withheld records; with the CoC's notice on, the restricting
/// agencies, each once, and never how many records or of what kind.
#[test]
fn s9_the_withheld_notice_names_restricting_agencies_only_when_the_policy_says_so() {
    let on = PolicyConfig {
        notice_of_restricted_records: true,
        ..P()
    };
    let owners = [OrgId(3), OrgId(1), OrgId(3), OrgId(3)];
    assert_eq!(withheld_notice(&P(), owners), None);
    assert_eq!(withheld_notice(&on, owners), Some(vec![OrgId(1), OrgId(3)]));
    assert_eq!(
        withheld_notice(&on, [OrgId(3)]),
        withheld_notice(&on, [OrgId(3), OrgId(3), OrgId(3)]),
        "the number of records is not told"
    );
    assert_eq!(
        withheld_notice(&on, []),
        None,
        "nothing withheld, nothing said"
    );
}

#[test]
fn s8_only_releases_naming_the_reader_travel_to_its_browser() {
    let rois = [
        roi(1, &[1, 2], "2026-01-01", "2026-12-31"),
        roi(2, &[1, 3], "2026-01-01", "2026-12-31"),
    ];
    let mous = [
        mou(1, "Partners", &[2, 3], "2026-01-01", "2027-12-31"),
        mou(2, "Old", &[1, 2], "2024-01-01", "2025-12-31"),
    ];
    let ids = |(r, m): (Vec<&Roi>, Vec<&Mou>)| {
        (
            r.iter().map(|r| r.id.0).collect::<Vec<_>>(),
            m.iter().map(|m| m.id.0).collect::<Vec<_>>(),
        )
    };
    let on = d("2026-11-22");
    assert_eq!(
        ids(releases_for(&cw(20, 2), &rois, &mous, on)),
        (vec![1], vec![1])
    );
    assert_eq!(
        ids(releases_for(&cw(20, 4), &rois, &mous, on)),
        (vec![], vec![])
    );
    // The expired MOU is not in force for anyone, system administrators included.
    assert_eq!(
        ids(releases_for(&sysadmin(), &rois, &mous, on)),
        (vec![1, 2], vec![1])
    );
}

#[test]
fn s7_system_admins_list_every_agencys_work_items_others_their_own() {
    assert_eq!(agency_scope(&sysadmin()), AgencyScope::All);
    assert_eq!(agency_scope(&sysadmin()).org(), None);
    for a in [cw(20, 2), admin(21, 2)] {
        assert_eq!(agency_scope(&a), AgencyScope::Agency(OrgId(2)));
        assert_eq!(agency_scope(&a).org(), Some(OrgId(2)));
    }
}

#[test]
fn s2_every_agency_lists_all_of_a_clients_entry_exit_detections_and_otherwise_its_own() {
    use shared::sharing::entry_exit_scope;
    for a in [cw(3, 2), admin(2, 2), sysadmin()] {
        assert_eq!(entry_exit_scope(&a, Some(ClientId(7))), AgencyScope::All);
    }
    assert_eq!(
        entry_exit_scope(&cw(3, 2), None),
        AgencyScope::Agency(OrgId(2))
    );
    assert_eq!(entry_exit_scope(&sysadmin(), None), AgencyScope::All);
}

#[test]
fn s5_a_service_note_defaults_like_case_notes_restricted_and_follows_the_policy() {
    use shared::records::FormType;
    let p = PolicyConfig::default();
    assert_eq!(
        p.default_security_for_service_note(),
        SecuritySetting::RestrictToOrganization
    );
    let mut open = p.clone();
    open.restricted_form_types
        .retain(|f| *f != FormType::CaseNotes);
    assert_eq!(
        open.default_security_for_service_note(),
        SecuritySetting::ShareWithRoiMou
    );
}
