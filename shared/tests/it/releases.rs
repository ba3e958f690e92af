//! S-3 / S-6 document and signature decisions, upload recognition, and S-1 intake parsing.

use crate::common::*;
use shared::api::intake::NewClientRequest;
use shared::documents::{DocumentFormat, MAX_DOCUMENT_BYTES};
use shared::intake::{DataQuality, NewClient};
use shared::model::Signature;
use shared::*;

#[test]
fn s3_only_the_attesting_agency_attaches_the_release_scan_and_only_once() {
    let r = roi(1, &[2, 3], "2026-11-01", "2027-11-01");
    assert!(can_attach_roi_document(&cw(20, 2), &r, today()).allowed);
    assert_eq!(
        can_attach_roi_document(&cw(30, 3), &r, today()),
        Decision::deny(Reason::OnlyAttestingAgency { org: OrgId(2) }),
        "named, but the paper is at the attesting agency"
    );
    assert!(!can_attach_roi_document(&sysadmin(), &r, today()).allowed);
    let mut with_doc = r.clone();
    with_doc.document = Some("documents/1".into());
    assert_eq!(
        can_attach_roi_document(&cw(20, 2), &with_doc, today()),
        Decision::deny(Reason::DocumentAlreadyAttached)
    );
    let revoked = revoke(r.clone(), "2026-11-20");
    assert_eq!(
        can_attach_roi_document(&cw(20, 2), &revoked, today()),
        Decision::deny(Reason::AlreadyEnded)
    );
    assert_eq!(
        can_attach_roi_document(&cw(20, 2), &r, d("2027-11-02")),
        Decision::deny(Reason::AlreadyEnded),
        "the day after the inclusive end"
    );
}

#[test]
fn s3_an_roi_is_seen_by_its_named_agencies_and_system_admins_only() {
    let r = roi(1, &[2, 3], "2026-11-01", "2027-11-01");
    assert!(can_see_roi(&cw(20, 2), &r).allowed);
    assert!(can_see_roi(&cw(30, 3), &r).allowed);
    assert!(can_see_roi(&sysadmin(), &r).allowed);
    assert_eq!(
        can_see_roi(&admin(40, 4), &r),
        Decision::deny(Reason::NotNamedOnRoi)
    );
}

fn unsigned(orgs: &[i64]) -> Mou {
    let mut m = mou(5, "Pilot", orgs, "2026-11-01", "2028-11-01");
    for p in &mut m.parties {
        p.signature = None;
    }
    m.document = None;
    m
}

#[test]
fn s6_only_a_system_admin_records_a_named_partys_signature_once() {
    let m = unsigned(&[2, 3]);
    assert!(can_sign_mou(&sysadmin(), &m, OrgId(2), today()).allowed);
    for a in [cw(20, 2), admin(21, 2)] {
        assert_eq!(
            can_sign_mou(&a, &m, OrgId(2), today()),
            Decision::deny(Reason::OnlySystemAdmin)
        );
    }
    assert_eq!(
        can_sign_mou(&sysadmin(), &m, OrgId(4), today()),
        Decision::deny(Reason::NotNamedOnMou { org: OrgId(4) })
    );
    let signed = mou(5, "Pilot", &[2, 3], "2026-11-01", "2028-11-01");
    assert_eq!(
        can_sign_mou(&sysadmin(), &signed, OrgId(2), today()),
        Decision::deny(Reason::AlreadySigned { org: OrgId(2) })
    );
}

#[test]
fn s6_the_signed_document_is_attached_once_by_a_system_admin_while_the_mou_runs() {
    let m = unsigned(&[2, 3]);
    assert!(can_attach_mou_document(&sysadmin(), &m, today()).allowed);
    assert_eq!(
        can_attach_mou_document(&admin(21, 2), &m, today()),
        Decision::deny(Reason::OnlySystemAdmin)
    );
    let mut attached = m.clone();
    attached.document = Some("documents/3".into());
    assert_eq!(
        can_attach_mou_document(&sysadmin(), &attached, today()),
        Decision::deny(Reason::DocumentAlreadyAttached)
    );
    assert_eq!(
        can_attach_mou_document(&sysadmin(), &m, d("2028-11-02")),
        Decision::deny(Reason::AlreadyEnded)
    );
}

#[test]
fn s6_the_mou_document_is_read_by_its_parties_and_system_admins() {
    let m = mou(5, "Pilot", &[2, 3], "2026-11-01", "2028-11-01");
    assert!(can_read_mou_document(&cw(20, 2), &m).allowed);
    assert!(can_read_mou_document(&sysadmin(), &m).allowed);
    assert_eq!(
        can_read_mou_document(&cw(40, 4), &m),
        Decision::deny(Reason::NotNamedOnMou { org: OrgId(4) })
    );
}

#[test]
fn s6_uploads_are_recognised_by_their_content_not_their_label() {
    let pdf = b"%PDF-1.7\n...".to_vec();
    let png = b"\x89PNG\r\n\x1a\n....".to_vec();
    let jpeg = b"\xff\xd8\xff\xe0....".to_vec();
    let exe = b"MZ\x90\x00....".to_vec();
    let html = b"<html><script>alert(1)</script></html>".to_vec();
    type Case<'a> = (Option<&'a str>, &'a [u8], Result<DocumentFormat, &'a str>);
    let cases: &[Case] = &[
        (Some("application/pdf"), &pdf, Ok(DocumentFormat::Pdf)),
        (Some("image/png"), &png, Ok(DocumentFormat::Png)),
        (Some("image/jpeg"), &jpeg, Ok(DocumentFormat::Jpeg)),
        (
            Some("Application/PDF; charset=binary"),
            &pdf,
            Ok(DocumentFormat::Pdf),
        ),
        (Some("application/pdf"), &exe, Err("body")),
        (Some("application/pdf"), &html, Err("body")),
        (Some("image/png"), &pdf, Err("body")),
        (Some("text/html"), &html, Err("content_type")),
        (Some("application/octet-stream"), &pdf, Err("content_type")),
        (None, &pdf, Err("content_type")),
        (Some("application/pdf"), b"", Err("body")),
    ];
    for (declared, bytes, expected) in cases {
        let got = DocumentFormat::check_upload(*declared, bytes).map_err(|e| e.field);
        assert_eq!(
            got,
            expected.map_err(str::to_owned),
            "{declared:?} {:?}",
            &bytes[..bytes.len().min(8)]
        );
    }
    let mut big = b"%PDF-".to_vec();
    big.resize(MAX_DOCUMENT_BYTES + 1, b' ');
    assert_eq!(
        DocumentFormat::check_upload(Some("application/pdf"), &big).map_err(|e| e.field),
        Err("body".to_owned())
    );
}

fn intake() -> NewClientRequest {
    NewClientRequest {
        first_name: "Ana".into(),
        middle_name: None,
        last_name: "Reyes".into(),
        date_of_birth: Some("1990-05-01".into()),
        dob_data_quality: DataQuality::Full,
        ssn: Some("123-45-6789".into()),
        ssn_data_quality: DataQuality::Full,
        gender: Some("Woman".into()),
        marital_status: None,
        name_data_quality: None,
        sex: None,
        veteran_status: None,
        confirm_new: false,
    }
}

#[test]
fn s1_an_intake_is_parsed_with_its_data_quality() {
    let c = NewClient::parse(&intake(), today()).unwrap();
    assert_eq!(c.last_name.as_str(), "Reyes");
    assert_eq!(c.ssn.unwrap().stored(), "123456789");
    let partial = NewClientRequest {
        ssn: Some("6789".into()),
        ssn_data_quality: DataQuality::Partial,
        date_of_birth: None,
        dob_data_quality: DataQuality::ClientRefused,
        ..intake()
    };
    let c = NewClient::parse(&partial, today()).unwrap();
    assert_eq!(c.ssn.unwrap().stored(), "XXXXX6789");
    assert_eq!(c.date_of_birth, None);
}

#[test]
fn s1_intake_validation_names_the_field() {
    type Edit = fn(&mut NewClientRequest);
    let cases: &[(&str, Edit)] = &[
        ("first_name", |r| r.first_name = "  ".into()),
        ("last_name", |r| r.last_name = String::new()),
        ("middle_name", |r| r.middle_name = Some("a\u{7}b".into())),
        ("date_of_birth", |r| {
            r.date_of_birth = Some("2027-01-01".into())
        }),
        ("date_of_birth", |r| {
            r.date_of_birth = Some("01/05/1990".into())
        }),
        ("date_of_birth", |r| r.date_of_birth = None),
        ("date_of_birth", |r| {
            r.dob_data_quality = DataQuality::ClientDoesntKnow;
        }),
        ("ssn", |r| r.ssn = Some("12-345".into())),
        ("ssn", |r| r.ssn = Some("000-12-3456".into())),
        ("ssn", |r| r.ssn = None),
        ("ssn", |r| r.ssn_data_quality = DataQuality::ClientRefused),
        ("ssn", |r| r.ssn_data_quality = DataQuality::Partial),
        ("gender", |r| r.gender = Some("x".repeat(51))),
    ];
    for (field, edit) in cases {
        let mut r = intake();
        edit(&mut r);
        let err = NewClient::parse(&r, today()).unwrap_err();
        assert_eq!(err.field, *field, "{r:?}");
    }
}

#[test]
fn s6_a_signature_needs_a_name_and_a_title_and_is_not_dated_in_the_future() {
    use shared::actions::parse_mou_signature;
    let mut m = mou(
        4,
        "Durham Housing Partners",
        &[1, 2],
        "2026-01-01",
        "2026-12-31",
    );
    m.parties[1].signature = None;
    let sig = |name: &str, title: &str, date: &str| Signature {
        name: name.into(),
        title: title.into(),
        date: d(date),
    };
    let signed = parse_mou_signature(
        &m,
        OrgId(2),
        sig("Ann Lee", "Director", "2026-11-22"),
        today(),
    )
    .unwrap();
    assert!(signed.parties.iter().all(|p| p.signature.is_some()));
    for (s, field, reason) in [
        (
            sig(" ", "Director", "2026-11-22"),
            "name",
            "cannot be empty",
        ),
        (sig("Ann Lee", "", "2026-11-22"), "title", "cannot be empty"),
        (
            sig("Ann Lee", "Director", "2026-11-23"),
            "date",
            "cannot be in the future",
        ),
    ] {
        let e = parse_mou_signature(&m, OrgId(2), s, today()).unwrap_err();
        assert_eq!((e.field.as_str(), e.reason.as_str()), (field, reason));
    }
}

#[test]
fn s6_an_early_termination_takes_effect_today_or_later_never_in_the_past() {
    use shared::actions::parse_mou_termination;
    assert_eq!(parse_mou_termination(None, today()), Ok(today()));
    assert_eq!(
        parse_mou_termination(Some(d("2026-12-01")), today()),
        Ok(d("2026-12-01"))
    );
    let e = parse_mou_termination(Some(d("2026-11-21")), today()).unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.reason.as_str()),
        ("date", "cannot be in the past")
    );
}

#[test]
fn s6_an_mou_name_is_at_most_200_characters() {
    use shared::actions::validate_mou;
    let mut m = mou(4, "x", &[1, 2], "2026-01-01", "2026-12-31");
    m.name = "x".repeat(200);
    assert!(validate_mou(m.clone()).is_ok());
    m.name = "x".repeat(201);
    let e = validate_mou(m).unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.reason.as_str()),
        ("name", "at most 200 characters")
    );
}

#[test]
fn s1_an_intake_change_is_stored_normalised_and_never_clears_a_legal_name() {
    use shared::intake::{dashed_ssn, parse_intake_change};
    fn change(f: Field, v: Option<&str>) -> Result<Option<String>, ParseError> {
        parse_intake_change(f, v, today())
    }
    assert_eq!(
        change(Field::Ssn, Some("123456789")),
        Ok(Some("123-45-6789".into()))
    );
    assert_eq!(
        change(Field::DateOfBirth, Some("1980-02-29")),
        Ok(Some("1980-02-29".into()))
    );
    assert_eq!(
        change(Field::LegalLastName, Some("  Smyth ")),
        Ok(Some("Smyth".into()))
    );
    assert_eq!(change(Field::LegalMiddleName, Some(" ")), Ok(None));
    assert_eq!(change(Field::Gender, None), Ok(None));
    for f in [Field::LegalFirstName, Field::LegalLastName] {
        let e = change(f, Some("")).unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.reason.as_str()),
            ("value", "cannot be empty")
        );
    }
    let e = change(Field::DateOfBirth, Some("2026-11-23")).unwrap_err();
    assert_eq!(
        e.field, "value",
        "a future date of birth names the request's field"
    );
    assert!(change(Field::Gender, Some(&"x".repeat(100))).is_ok());
    assert_eq!(
        change(Field::Gender, Some(&"x".repeat(101)))
            .unwrap_err()
            .field,
        "value"
    );
    assert_eq!(
        dashed_ssn("XXXXX6789"),
        "XXXXX6789",
        "a partial SSN is kept"
    );
}

#[test]
fn s5_form_answers_are_bounded_and_keyed() {
    use shared::records::check_answers;
    use std::collections::BTreeMap;
    let ok: BTreeMap<String, String> = [("housing".to_owned(), "stable".to_owned())].into();
    assert!(check_answers(&ok).is_ok());
    let many: BTreeMap<String, String> =
        (0..501).map(|i| (format!("q{i}"), String::new())).collect();
    assert_eq!(
        check_answers(&many).unwrap_err().reason,
        "at most 500 answers"
    );
    for (k, v) in [
        (" ", "a"),
        (&*"k".repeat(201), "a"),
        ("q", &*"a".repeat(20_001)),
    ] {
        let bad: BTreeMap<String, String> = [(k.to_owned(), v.to_owned())].into();
        assert_eq!(
            check_answers(&bad).unwrap_err().field,
            "answers",
            "{}",
            k.len()
        );
    }
}

// P-2 / R-13: ROI reminders and the ROI's status on a day. Today is 2026-11-22; the policy's
// reminder window is 30 days.

fn hmis() -> HmisNumber {
    HmisNumber::parse("H0001004").unwrap()
}

#[test]
fn p2_an_roi_ending_in_20_days_reminds_its_setter_and_their_agency_admins_by_hmis_number_only() {
    use shared::notify::{Message, Recipient};
    let policy = PolicyConfig::default();
    let r = roi(4, &[2, 3], "2026-01-01", "2026-12-12"); // 20 days on
    let sent = roi_reminders(&r, &hmis(), today(), &policy);
    let to: Vec<Recipient> = sent.iter().map(|n| n.recipient).collect();
    assert_eq!(
        to,
        vec![
            Recipient::User { user: UserId(20) },
            Recipient::AgencyAdmins { org: OrgId(2) }
        ],
        "the setter and the setting agency's admins; not the other named agency"
    );
    for n in &sent {
        assert_eq!(n.client, hmis());
        assert_eq!(
            n.message,
            Message::RoiEndingSoon {
                roi: RoiId(4),
                client: ClientId(7),
                end: d("2026-12-12"),
                org: OrgId(2)
            }
        );
        let (subject, body) = n.render(&org_name);
        assert!(subject.contains("H0001004") && body.contains("H0001004"));
        assert!(body.contains("2026-12-12"));
    }
}

#[test]
fn p2_an_roi_is_reminded_only_while_in_force_and_within_the_policys_window() {
    let policy = PolicyConfig::default();
    let due = |r: &Roi| roi_reminder_due(r, today(), &policy);
    assert!(
        due(&roi(1, &[2], "2026-01-01", "2026-12-22")),
        "30 days: the last day of the window"
    );
    assert!(!due(&roi(1, &[2], "2026-01-01", "2026-12-23")), "31 days");
    assert!(due(&roi(1, &[2], "2026-01-01", "2026-11-22")), "ends today");
    assert!(
        !due(&roi(1, &[2], "2026-01-01", "2026-11-21")),
        "expired yesterday"
    );
    assert!(
        !due(&roi(1, &[2], "2026-11-30", "2026-12-10")),
        "not started"
    );
    let revoked = revoke(roi(1, &[2], "2026-01-01", "2026-12-01"), "2026-11-20");
    assert!(!due(&revoked));
    assert!(roi_reminders(&revoked, &hmis(), today(), &policy).is_empty());
    let longer = PolicyConfig {
        roi_reminder_days: 60,
        ..PolicyConfig::default()
    };
    assert!(roi_reminder_due(
        &roi(1, &[2], "2026-01-01", "2027-01-10"),
        today(),
        &longer
    ));
}

#[test]
fn s3_p2_an_rois_status_says_active_ending_soon_expired_or_revoked() {
    let policy = PolicyConfig::default();
    let status = |r: &Roi| roi_status(r, today(), &policy);
    assert_eq!(
        status(&roi(1, &[2], "2026-01-01", "2027-06-01")),
        RoiStatus::Active
    );
    let soon = status(&roi(1, &[2], "2026-01-01", "2026-12-04"));
    assert_eq!(soon, RoiStatus::EndingSoon { days_left: 12 });
    assert_eq!(soon.label(), "Ends in 12 days");
    assert_eq!(
        status(&roi(1, &[2], "2026-01-01", "2026-11-22")).label(),
        "Ends today"
    );
    assert_eq!(
        status(&roi(1, &[2], "2025-01-01", "2025-12-31")),
        RoiStatus::Expired
    );
    let revoked_and_expired = revoke(roi(1, &[2], "2025-01-01", "2025-12-31"), "2025-06-01");
    assert_eq!(
        status(&revoked_and_expired),
        RoiStatus::Revoked,
        "revocation wins"
    );
    assert_eq!(
        status(&roi(1, &[2], "2026-12-01", "2027-12-01")),
        RoiStatus::NotStarted
    );
    let revoked_later = revoke(roi(1, &[2], "2026-01-01", "2027-06-01"), "2026-12-01");
    assert_eq!(
        status(&revoked_later),
        RoiStatus::Active,
        "revoked from a later day"
    );
}

#[test]
fn s3_s7_the_agency_roi_list_holds_the_rois_naming_the_agency_and_every_roi_for_system_admins() {
    let r = roi(1, &[2, 3], "2026-01-01", "2027-01-01");
    assert!(roi_in_agency_list(&cw(20, 2), &r));
    assert!(roi_in_agency_list(&admin(30, 3), &r));
    assert!(!roi_in_agency_list(&admin(40, 4), &r));
    assert!(roi_in_agency_list(&sysadmin(), &r));
    assert_eq!(
        can_list_agency_rois(&sysadmin()),
        Decision::allow(Reason::SystemAdministrator)
    );
}
