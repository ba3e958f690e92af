//! Section 2's "who may change it", S-3/S-5/S-6 management, R-4..R-6 and R-9..R-12 decisions.

use crate::common::*;
use shared::actions::*;
use shared::records::{AttachmentTarget, DocumentType};
use shared::*;

fn p() -> PolicyConfig {
    PolicyConfig::default()
}

fn edit(a: &Actor, r: &RecordMeta) -> Decision {
    can_edit(a, r, &ctx(&[], &[]), today(), &p())
}

fn delete(a: &Actor, r: &RecordMeta) -> Decision {
    can_delete(a, r, &ctx(&[], &[]), today(), &p())
}

#[test]
fn s1_tier1_editable_by_any_org() {
    for kind in [
        RecordKind::Intake,
        RecordKind::FamilyContact,
        RecordKind::Demographics,
        RecordKind::Photo,
    ] {
        assert_eq!(
            edit(&cw(20, 2), &record(kind, 1, 10, None)),
            Decision::allow(Reason::CommunityEditable)
        );
    }
}

#[test]
fn s2_tier2_not_editable_by_other_orgs() {
    let r = record(RecordKind::Enrollment, 1, 10, None);
    assert_eq!(
        edit(&cw(20, 2), &r),
        Decision::deny(Reason::OnlyOwningAgency { org: OrgId(1) })
    );
    assert_eq!(
        edit(&admin(21, 2), &r),
        Decision::deny(Reason::OnlyOwningAgency { org: OrgId(1) })
    );
}

#[test]
fn r6_enrollment_changed_or_deleted_only_by_owning_org() {
    let r = record(RecordKind::Enrollment, 1, 10, None);
    assert!(edit(&cw(11, 1), &r).allowed);
    assert!(delete(&cw(11, 1), &r).allowed);
    assert!(!delete(&cw(20, 2), &r).allowed);
    assert!(can_end_date(&cw(11, 1), &r, false, &ctx(&[], &[]), today(), &p()).allowed);
    assert!(!can_end_date(&cw(20, 2), &r, true, &ctx(&[], &[]), today(), &p()).allowed);
}

#[test]
fn s7_system_admin_reads_but_does_not_edit_other_agencies_records() {
    let r = record(RecordKind::Enrollment, 1, 10, None);
    assert!(!edit(&sysadmin(), &r).allowed);
    assert!(
        !delete(
            &sysadmin(),
            &form(1, SecuritySetting::RestrictToOrganization)
        )
        .allowed
    );
    assert!(
        edit(&sysadmin(), &record(RecordKind::Intake, 1, 10, None)).allowed,
        "tier 1 is anyone's"
    );
}

#[test]
fn r10_case_manager_changed_only_by_assigning_agency() {
    let r = record(RecordKind::CaseManager, 1, 10, None);
    let c = ctx(&[], &[]);
    assert!(edit(&cw(12, 1), &r).allowed);
    assert!(delete(&cw(12, 1), &r).allowed);
    assert!(can_end_date(&cw(12, 1), &r, false, &c, today(), &p()).allowed);
    assert_eq!(
        edit(&cw(20, 2), &r),
        Decision::deny(Reason::OnlyOwningAgency { org: OrgId(1) })
    );
    assert!(!delete(&cw(20, 2), &r).allowed);
    assert!(!can_end_date(&admin(21, 2), &r, true, &c, today(), &p()).allowed);
}

#[test]
fn r10_case_manager_assigned_only_for_own_agency() {
    let new = NewRecord {
        client: ClientId(7),
        kind: RecordKind::CaseManager,
        owner: OrgId(1),
        security: None,
        default_security: None,
    };
    assert!(can_create(&cw(11, 1), &new).allowed);
    assert_eq!(
        can_create(&cw(20, 2), &new),
        Decision::deny(Reason::NotYourAgency { org: OrgId(1) })
    );
}

#[test]
fn r11_nothing_deletes_a_service() {
    let r = record(RecordKind::Service, 1, 10, None);
    for a in [cw(10, 1), admin(11, 1), cw(20, 2), sysadmin()] {
        assert_eq!(
            delete(&a, &r),
            Decision::deny(Reason::ServicesAreNeverDeleted)
        );
    }
    assert!(edit(&cw(11, 1), &r).allowed);
    assert!(!edit(&cw(20, 2), &r).allowed);
}

#[test]
fn r11_documents_attached_to_a_service_by_its_owning_agency() {
    let up = Upload {
        client: ClientId(7),
        document_type: DocumentType::ServiceAgreement,
        target: AttachmentTarget::Service(RecordId(3)),
        service_owner: Some(OrgId(1)),
        setting: SecuritySetting::ShareWithRoiMou,
    };
    assert!(can_upload(&cw(11, 1), &up, &p()).allowed);
    assert_eq!(
        can_upload(&cw(20, 2), &up, &p()),
        Decision::deny(Reason::OnlyOwningAgency { org: OrgId(1) })
    );
}

#[test]
fn r12_only_the_author_edits_or_deletes_a_note() {
    let r = record(RecordKind::ProfileNote, 1, 10, None);
    assert_eq!(
        edit(&cw(10, 1), &r),
        Decision::allow(Reason::YouAreTheAuthor)
    );
    assert_eq!(
        delete(&cw(10, 1), &r),
        Decision::allow(Reason::YouAreTheAuthor)
    );
    for a in [cw(11, 1), admin(12, 1), cw(20, 2), sysadmin()] {
        assert_eq!(
            delete(&a, &r),
            Decision::deny(Reason::OnlyAuthor { author: UserId(10) })
        );
        assert!(!edit(&a, &r).allowed);
    }
}

#[test]
fn r9_only_the_uploader_modifies_or_deletes_an_attachment() {
    let r = record(
        RecordKind::Attachment,
        1,
        10,
        Some(SecuritySetting::SharedWithAll),
    );
    assert_eq!(delete(&cw(10, 1), &r), Decision::allow(Reason::YouUploaded));
    for a in [cw(11, 1), admin(12, 1), cw(20, 2), sysadmin()] {
        assert_eq!(
            delete(&a, &r),
            Decision::deny(Reason::OnlyUploader {
                uploader: UserId(10)
            })
        );
        assert!(!edit(&a, &r).allowed);
    }
}

#[test]
fn r9_social_security_card_upload_always_refused() {
    for a in [cw(10, 1), admin(11, 1), sysadmin()] {
        for target in [
            AttachmentTarget::ClientProfile,
            AttachmentTarget::Service(RecordId(1)),
        ] {
            let up = Upload {
                client: ClientId(7),
                document_type: DocumentType::SocialSecurityCard,
                target,
                service_owner: Some(a.org),
                setting: SecuritySetting::RestrictToOrganization,
            };
            let got = can_upload(&a, &up, &p());
            assert_eq!(got, Decision::deny(Reason::SocialSecurityCardRefused));
            assert!(
                got.reason.describe(&org_name).contains("holds a copy"),
                "explains the alternative"
            );
        }
    }
}

#[test]
fn r9_recommended_documents_default_shared_with_all() {
    let up = |doc, setting| Upload {
        client: ClientId(7),
        document_type: doc,
        target: AttachmentTarget::ClientProfile,
        service_owner: None,
        setting,
    };
    assert!(
        can_upload(
            &cw(10, 1),
            &up(
                DocumentType::BirthCertificate,
                SecuritySetting::SharedWithAll
            ),
            &p()
        )
        .allowed
    );
    assert_eq!(
        can_upload(
            &cw(10, 1),
            &up(
                DocumentType::IncomeVerification,
                SecuritySetting::SharedWithAll
            ),
            &p()
        ),
        Decision::deny(Reason::NeedsAgencyAdmin { org: OrgId(1) })
    );
    assert!(
        can_upload(
            &admin(11, 1),
            &up(
                DocumentType::IncomeVerification,
                SecuritySetting::SharedWithAll
            ),
            &p()
        )
        .allowed
    );
}

#[test]
fn r4_contact_rows_are_end_dated_never_deleted() {
    let r = record(RecordKind::FamilyContact, 1, 10, None);
    let c = ctx(&[], &[]);
    assert_eq!(
        delete(&cw(10, 1), &r),
        Decision::deny(Reason::ContactDataIsEndDated)
    );
    assert_eq!(
        can_end_date(&cw(20, 2), &r, true, &c, today(), &p()),
        Decision::allow(Reason::ClientDirected)
    );
    assert_eq!(
        can_end_date(&cw(20, 2), &r, false, &c, today(), &p()),
        Decision::deny(Reason::NeedsClientDirection)
    );
}

#[test]
fn r5_owning_agency_admin_may_end_date_its_rows() {
    let r = record(RecordKind::FamilyContact, 1, 10, None);
    let c = ctx(&[], &[]);
    assert_eq!(
        can_end_date(&admin(11, 1), &r, false, &c, today(), &p()),
        Decision::allow(Reason::AgencyAdminOfOwner { org: OrgId(1) })
    );
    assert!(!can_end_date(&admin(21, 2), &r, false, &c, today(), &p()).allowed);
    assert!(!can_end_date(&cw(12, 1), &r, false, &c, today(), &p()).allowed);
}

#[test]
fn s5_lowering_below_default_needs_agency_admin_of_owner() {
    let c = ctx(&[], &[]);
    let r = form(1, SecuritySetting::RestrictToOrganization);
    let restricted = SecuritySetting::RestrictToOrganization;
    let lower = SecuritySetting::ShareWithRoiMou;
    assert_eq!(
        can_set_security(&cw(10, 1), &r, lower, restricted, &c, today(), &p()),
        Decision::deny(Reason::NeedsAgencyAdmin { org: OrgId(1) })
    );
    assert!(can_set_security(&admin(11, 1), &r, lower, restricted, &c, today(), &p()).allowed);
    assert!(!can_set_security(&admin(21, 2), &r, lower, restricted, &c, today(), &p()).allowed);
    assert!(!can_set_security(&sysadmin(), &r, lower, restricted, &c, today(), &p()).allowed);
    // Raising, or lowering back to a ShareWithRoiMou default, needs no admin.
    let r2 = form(1, SecuritySetting::ShareWithRoiMou);
    assert!(can_set_security(&cw(10, 1), &r2, restricted, lower, &c, today(), &p()).allowed);
    let r3 = form(1, SecuritySetting::RestrictToOrganization);
    assert!(can_set_security(&cw(10, 1), &r3, lower, lower, &c, today(), &p()).allowed);
    // Forms are never shared with all.
    assert_eq!(
        can_set_security(
            &admin(11, 1),
            &r2,
            SecuritySetting::SharedWithAll,
            lower,
            &c,
            today(),
            &p()
        ),
        Decision::deny(Reason::SettingNotAllowed {
            setting: SecuritySetting::SharedWithAll
        })
    );
}

#[test]
fn s5_sensitive_forms_default_to_restricted() {
    use shared::records::FormType::*;
    let pol = p();
    for f in [
        CaseNotes,
        HmisBarriers,
        Health,
        Addictions,
        Legal,
        DomesticViolence,
    ] {
        assert_eq!(
            pol.default_security_for_form(f),
            SecuritySetting::RestrictToOrganization,
            "{f:?}"
        );
    }
    for f in [Income, Employment, Housing, Other] {
        assert_eq!(
            pol.default_security_for_form(f),
            SecuritySetting::ShareWithRoiMou,
            "{f:?}"
        );
    }
    let new = NewRecord {
        client: ClientId(7),
        kind: RecordKind::Form,
        owner: OrgId(1),
        security: Some(SecuritySetting::ShareWithRoiMou),
        default_security: Some(pol.default_security_for_form(Health)),
    };
    assert!(!can_create(&cw(10, 1), &new).allowed);
    assert!(can_create(&admin(11, 1), &new).allowed);
}

#[test]
fn s3_any_user_sets_an_roi_naming_own_agency_and_another() {
    assert!(can_set_roi(&cw(10, 1), &[OrgId(1), OrgId(2)]).allowed);
    assert_eq!(
        can_set_roi(&cw(10, 1), &[OrgId(2), OrgId(3)]),
        Decision::deny(Reason::RoiMustNameYourAgency)
    );
    assert!(!can_set_roi(&cw(10, 1), &[OrgId(1)]).allowed);
}

#[test]
fn s3_new_roi_defaults_to_one_year_and_requires_attestation() {
    let input = NewRoi {
        client: ClientId(7),
        orgs: vec![OrgId(2), OrgId(1), OrgId(2)],
        start: d("2026-11-22"),
        end: None,
        release_on_file: true,
        document: None,
    };
    let r = new_roi(&cw(10, 1), RoiId(1), input.clone(), today(), &p()).unwrap();
    assert_eq!(r.end, d("2027-11-22"));
    assert_eq!(r.orgs, vec![OrgId(1), OrgId(2)]);
    assert_eq!(r.attestation.by, UserId(10));
    let err = new_roi(
        &cw(10, 1),
        RoiId(1),
        NewRoi {
            release_on_file: false,
            ..input.clone()
        },
        today(),
        &p(),
    )
    .unwrap_err();
    assert_eq!(err.field, "release_on_file");
    let err = new_roi(
        &cw(10, 1),
        RoiId(1),
        NewRoi {
            end: Some(d("2026-01-01")),
            ..input
        },
        today(),
        &p(),
    )
    .unwrap_err();
    assert_eq!(err.field, "end");
}

#[test]
fn s3_roi_revoked_by_any_user_of_a_named_org() {
    let r = roi(12, &[1, 2], "2026-03-01", "2027-03-01");
    assert!(can_revoke_roi(&cw(20, 2), &r, today()).allowed);
    assert_eq!(
        can_revoke_roi(&cw(30, 3), &r, today()),
        Decision::deny(Reason::NotNamedOnRoi)
    );
    assert_eq!(
        can_revoke_roi(&sysadmin(), &r, today()),
        Decision::deny(Reason::NotNamedOnRoi)
    );
    let gone = revoke(r, "2026-10-01");
    assert_eq!(
        can_revoke_roi(&cw(20, 2), &gone, today()),
        Decision::deny(Reason::AlreadyEnded)
    );
}

#[test]
fn s6_only_system_admin_manages_mous() {
    let m = mou(4, "DHP", &[1, 2], "2026-01-01", "2026-12-31");
    assert!(can_create_mou(&sysadmin()).allowed);
    for a in [cw(10, 1), admin(11, 1)] {
        assert_eq!(can_create_mou(&a), Decision::deny(Reason::OnlySystemAdmin));
        assert_eq!(
            can_change_mou(&a, &m, today()),
            Decision::deny(Reason::OnlySystemAdmin)
        );
    }
    assert!(can_change_mou(&sysadmin(), &m, today()).allowed);
    assert!(!can_change_mou(&sysadmin(), &m, d("2027-01-01")).allowed);
}

#[test]
fn s6_mou_validation_names_the_field() {
    let mut m = mou(4, "DHP", &[1], "2026-01-01", "2026-12-31");
    assert_eq!(validate_mou(m.clone()).unwrap_err().field, "parties");
    m = mou(4, "DHP", &[1, 1], "2026-01-01", "2026-12-31");
    assert_eq!(validate_mou(m).unwrap_err().field, "parties");
    m = mou(4, " ", &[1, 2], "2026-01-01", "2026-12-31");
    assert_eq!(validate_mou(m).unwrap_err().field, "name");
    assert!(validate_mou(mou(4, "DHP", &[1, 2], "2026-01-01", "2026-12-31")).is_ok());
}

#[test]
fn p3_nothing_is_edited_or_deleted_once_tombstoned() {
    let mut r = record(RecordKind::Enrollment, 1, 10, None);
    r.deleted = true;
    assert_eq!(edit(&cw(10, 1), &r), Decision::deny(Reason::Deleted));
    assert_eq!(delete(&cw(10, 1), &r), Decision::deny(Reason::Deleted));
}

#[test]
fn s8_nobody_changes_what_they_cannot_read() {
    let r = form(1, SecuritySetting::ShareWithRoiMou);
    assert_eq!(
        edit(&cw(20, 2), &r),
        Decision::deny(Reason::RestrictedTo { org: OrgId(1) })
    );
}
