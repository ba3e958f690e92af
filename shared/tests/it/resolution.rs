//! R-1..R-10: single-answer changes, the conflict state machine, contact plans, entry/exit
//! detection, checklist; P-2 policy as data; parsing.

use crate::common::*;
use shared::fields::{DateOfBirth, Ssn};
use shared::notify::{ConflictId, Message, Recipient};
use shared::records::*;
use shared::resolution::*;
use shared::*;

fn p() -> PolicyConfig {
    PolicyConfig::default()
}

fn doc(document: DocumentationType) -> Documentation {
    Documentation {
        document,
        scan: None,
    }
}

#[test]
fn r1_single_answer_change_table() {
    use DocumentationType::*;
    let me = cw(20, 2);
    let bc = doc(BirthCertificate);
    let card_scan = Documentation {
        document: SocialSecurityCard,
        scan: Some("x.pdf".into()),
    };
    let card_seen = doc(SocialSecurityCard);
    #[rustfmt::skip]
    let cases: Vec<(Field, Option<i64>, Option<&Documentation>, Decision)> = vec![
        (Field::LegalLastName, Some(1), None, Decision::deny(Reason::NeedsDocumentation { field: Field::LegalLastName, entered_by: OrgId(1) })),
        (Field::LegalLastName, Some(1), Some(&bc), Decision::allow(Reason::Documented { document: BirthCertificate })),
        (Field::DateOfBirth, Some(1), None, Decision::deny(Reason::NeedsDocumentation { field: Field::DateOfBirth, entered_by: OrgId(1) })),
        (Field::Ssn, Some(1), Some(&card_seen), Decision::allow(Reason::Documented { document: SocialSecurityCard })),
        (Field::Ssn, Some(1), Some(&card_scan), Decision::deny(Reason::SocialSecurityCardRefused)),
        (Field::Ssn, None, None, Decision::allow(Reason::EmptyValue)),
        (Field::Ssn, Some(2), None, Decision::allow(Reason::YourAgency)),
        (Field::Gender, Some(1), None, Decision::allow(Reason::CommunityEditable)),
        (Field::MaritalStatus, Some(1), None, Decision::allow(Reason::CommunityEditable)),
        (Field::Phone, Some(1), Some(&bc), Decision::deny(Reason::ContactDataIsEndDated)),
    ];
    for (field, by, documentation, want) in cases {
        let got = check_single_answer_change(&me, field, by.map(OrgId), documentation, &p());
        assert_eq!(got, want, "{field:?} {by:?}");
    }
}

#[test]
fn r1_a_values_source_is_its_last_change_else_the_intakes_creator_and_none_when_empty() {
    use shared::intake::{value_source, value_sources, FieldSource};
    let at = |day: u32| {
        d(&format!("2026-05-{day:02}"))
            .and_hms_opt(9, 0, 0)
            .unwrap()
    };
    let intake = Provenance {
        org: OrgId(3),
        author: UserId(7),
        created_at: at(1),
    };
    let creator = |field| FieldSource {
        field,
        org: OrgId(3),
        user: UserId(7),
        at: at(1),
    };
    let changed = FieldSource {
        field: Field::DateOfBirth,
        org: OrgId(2),
        user: UserId(3),
        at: at(9),
    };
    let dob = Field::DateOfBirth;
    assert_eq!(value_source(dob, true, None, &intake), Some(creator(dob)));
    assert_eq!(
        value_source(dob, true, Some(changed), &intake),
        Some(changed)
    );
    assert_eq!(value_source(dob, false, Some(changed), &intake), None);
    // A change recorded for another field is not this one's source.
    let ssn = Field::Ssn;
    assert_eq!(
        value_source(ssn, true, Some(changed), &intake),
        Some(creator(ssn))
    );
    // Every intake field with a value, in the profile's order.
    let all = value_sources(|f| f != Field::LegalMiddleName, &[changed], &intake);
    let fields: Vec<Field> = all.iter().map(|s| s.field).collect();
    assert_eq!(
        fields,
        [
            Field::LegalFirstName,
            Field::LegalLastName,
            Field::DateOfBirth,
            Field::Ssn,
            Field::Gender,
            Field::MaritalStatus,
            Field::Sex,
            Field::VeteranStatus
        ]
    );
    assert_eq!(all[2], changed);
    // R-1 decides on the new source: the creator's agency now needs documentation.
    let source = value_source(dob, true, Some(changed), &intake).map(|s| s.org);
    assert_eq!(
        check_single_answer_change(&cw(7, 3), dob, source, None, &p()),
        Decision::deny(Reason::NeedsDocumentation {
            field: dob,
            entered_by: OrgId(2)
        })
    );
}

#[test]
fn s1_marital_status_is_one_of_a_closed_list_and_an_intake_change_stores_its_text() {
    use shared::intake::{parse_intake_change, MaritalStatus};
    let today = d("2026-11-22");
    for m in MaritalStatus::ALL {
        let got = parse_intake_change(Field::MaritalStatus, Some(m.as_str()), today).unwrap();
        assert_eq!(got.as_deref(), Some(m.as_str()));
    }
    let got = parse_intake_change(Field::MaritalStatus, Some(" Widowed "), today).unwrap();
    assert_eq!(got.as_deref(), Some("widowed"));
    assert_eq!(
        parse_intake_change(Field::MaritalStatus, None, today).unwrap(),
        None
    );
    let e = parse_intake_change(Field::MaritalStatus, Some("engaged"), today).unwrap_err();
    assert_eq!(e.field, "value");
    assert!(e.reason.contains("never_married"), "{}", e.reason);
}

#[test]
fn p2_single_answer_fields_come_from_policy() {
    let mut pol = p();
    pol.single_answer_fields.push(Field::Gender);
    let got = check_single_answer_change(&cw(20, 2), Field::Gender, Some(OrgId(1)), None, &pol);
    assert!(!got.allowed);
    pol.single_answer_fields.retain(|f| *f != Field::Ssn);
    assert!(check_single_answer_change(&cw(20, 2), Field::Ssn, Some(OrgId(1)), None, &pol).allowed);
}

#[test]
fn p2_policy_loads_from_partial_json_with_spec_defaults() {
    let pol: PolicyConfig =
        serde_json::from_str(r#"{"roi_length_days": 180, "escalation_min_days": 10}"#).unwrap();
    assert_eq!(pol.roi_length_days, 180);
    assert_eq!(pol.escalation_min_days, 10);
    assert_eq!(pol.escalation_min_attempts, 3);
    assert_eq!(pol.data_center_days, 30);
    assert_eq!(
        pol.single_answer_fields,
        Field::DEFAULT_SINGLE_ANSWER.to_vec()
    );
    let round: PolicyConfig = serde_json::from_str(&serde_json::to_string(&p()).unwrap()).unwrap();
    assert_eq!(round, p());
}

fn field_conflict() -> DataConflict {
    let (c, notice) = new_field_conflict(
        &cw(20, 2),
        ConflictId(5),
        ClientId(7),
        HmisNumber::parse("H0000007").unwrap(),
        Field::LegalLastName,
        "Smith",
        "Smyth",
        OrgId(1),
        Some(UserId(10)),
        d("2026-11-01"),
    )
    .unwrap();
    assert_eq!(notice.recipient, Recipient::User { user: UserId(10) });
    c
}

fn attempt(on: &str, outcome: AttemptOutcome) -> ContactAttempt {
    ContactAttempt {
        on: d(on),
        method: ContactMethod::Phone,
        by: UserId(20),
        outcome,
    }
}

fn with_attempts(mut c: DataConflict, dates: &[&str]) -> DataConflict {
    for s in dates {
        c.attempts.push(attempt(s, AttemptOutcome::NoContact));
    }
    c
}

#[test]
fn r2_conflict_records_both_values_and_addresses_the_entering_org() {
    let c = field_conflict();
    assert_eq!(c.state, ConflictState::Open);
    assert_eq!(c.addressed_org, OrgId(1));
    assert_eq!(
        c.subject,
        ConflictSubject::Field {
            field: Field::LegalLastName,
            stored: "Smith".into(),
            stated: "Smyth".into()
        }
    );
    let h = HmisNumber::parse("H0000007").unwrap();
    let same = new_field_conflict(
        &cw(20, 2),
        ConflictId(5),
        ClientId(7),
        h.clone(),
        Field::Ssn,
        "1",
        "1",
        OrgId(1),
        None,
        today(),
    );
    assert_eq!(same.unwrap_err().field, "stated");
    let own = new_field_conflict(
        &cw(20, 2),
        ConflictId(5),
        ClientId(7),
        h,
        Field::Ssn,
        "1",
        "2",
        OrgId(2),
        None,
        today(),
    );
    assert_eq!(own.unwrap_err().field, "field");
}

#[test]
fn r3_escalation_refused_with_two_attempts_saying_what_is_missing() {
    let c = with_attempts(field_conflict(), &["2026-11-01", "2026-11-20"]);
    let got = can_step(
        &c,
        &cw(20, 2),
        &ConflictStep::Escalate,
        d("2026-11-22"),
        &p(),
    );
    assert_eq!(
        got,
        Decision::deny(Reason::EscalationTooEarly {
            attempts: 2,
            attempts_needed: 3,
            span_days: 19,
            days_needed: 14,
            next_attempt_on_or_after: None
        })
    );
    assert!(got
        .reason
        .describe(&org_name)
        .contains("1 more contact attempt"));
}

#[test]
fn r3_escalation_refused_on_day_13_allowed_on_day_14() {
    let c13 = with_attempts(
        field_conflict(),
        &["2026-11-01", "2026-11-07", "2026-11-14"],
    );
    let got = can_step(
        &c13,
        &cw(20, 2),
        &ConflictStep::Escalate,
        d("2026-11-22"),
        &p(),
    );
    assert_eq!(
        got,
        Decision::deny(Reason::EscalationTooEarly {
            attempts: 3,
            attempts_needed: 3,
            span_days: 13,
            days_needed: 14,
            next_attempt_on_or_after: Some(d("2026-11-15"))
        })
    );
    assert!(got
        .reason
        .describe(&org_name)
        .contains("on or after 2026-11-15"));
    let c14 = with_attempts(
        field_conflict(),
        &["2026-11-01", "2026-11-07", "2026-11-15"],
    );
    assert_eq!(
        can_step(
            &c14,
            &cw(20, 2),
            &ConflictStep::Escalate,
            d("2026-11-22"),
            &p()
        ),
        Decision::allow(Reason::ThresholdsMet)
    );
}

#[test]
fn r3_answered_and_future_attempts_do_not_count() {
    let mut c = with_attempts(field_conflict(), &["2026-11-01", "2026-11-07"]);
    c.attempts
        .push(attempt("2026-11-20", AttemptOutcome::Reached));
    c.attempts
        .push(attempt("2026-12-20", AttemptOutcome::NoContact));
    assert!(
        !can_step(
            &c,
            &cw(20, 2),
            &ConflictStep::Escalate,
            d("2026-11-22"),
            &p()
        )
        .allowed
    );
}

#[test]
fn r3_escalation_adds_note_and_notifies_agency_admins() {
    let c = with_attempts(
        field_conflict(),
        &["2026-11-01", "2026-11-07", "2026-11-15"],
    );
    let out = step(
        &c,
        &cw(20, 2),
        ConflictStep::Escalate,
        d("2026-11-22"),
        &p(),
    )
    .unwrap();
    assert_eq!(
        out.conflict.state,
        ConflictState::Escalated {
            on: d("2026-11-22")
        }
    );
    assert!(out.add_note);
    assert_eq!(out.notifications.len(), 1);
    assert_eq!(
        out.notifications[0].recipient,
        Recipient::AgencyAdmins { org: OrgId(1) }
    );
    let note = escalation_note(&out.conflict, &org_name);
    assert!(
        note.text.contains("Smith")
            && note.text.contains("Smyth")
            && note.text.contains("Agency 1")
    );
}

#[test]
fn r3_only_reporting_agency_escalates_and_parties_agree() {
    let c = with_attempts(
        field_conflict(),
        &["2026-11-01", "2026-11-07", "2026-11-15"],
    );
    assert_eq!(
        can_step(&c, &cw(30, 3), &ConflictStep::Escalate, today(), &p()),
        Decision::deny(Reason::NotAPartyToConflict)
    );
    assert_eq!(
        can_step(&c, &cw(10, 1), &ConflictStep::Escalate, today(), &p()),
        Decision::deny(Reason::NotAPartyToConflict)
    );
    let agree = ConflictStep::Agree {
        value: AgreedValue::Stated,
        updater: OrgId(1),
    };
    let agreed = step(&c, &cw(10, 1), agree.clone(), today(), &p())
        .unwrap()
        .conflict;
    assert!(matches!(
        agreed.state,
        ConflictState::Agreed {
            updater: OrgId(1),
            ..
        }
    ));
    assert!(!can_step(&agreed, &cw(20, 2), &ConflictStep::Escalate, today(), &p()).allowed);
    let resolved = step(&agreed, &cw(10, 1), ConflictStep::Resolve, today(), &p())
        .unwrap()
        .conflict;
    assert!(!can_step(&resolved, &cw(10, 1), &agree, today(), &p()).allowed);
    assert!(!can_step(&c, &cw(30, 3), &agree, today(), &p()).allowed);
}

#[test]
fn r3_attempts_logged_by_reporter_while_open_dated_not_in_future() {
    let c = field_conflict();
    let ok = ConflictStep::LogAttempt {
        attempt: attempt("2026-11-22", AttemptOutcome::NoContact),
    };
    let future = ConflictStep::LogAttempt {
        attempt: attempt("2026-11-23", AttemptOutcome::NoContact),
    };
    assert!(can_step(&c, &cw(21, 2), &ok, today(), &p()).allowed);
    assert!(!can_step(&c, &cw(21, 2), &future, today(), &p()).allowed);
    assert!(!can_step(&c, &cw(10, 1), &ok, today(), &p()).allowed);
}

#[test]
fn p2_escalation_thresholds_come_from_policy() {
    let c = with_attempts(field_conflict(), &["2026-11-01", "2026-11-08"]);
    let mut pol = p();
    pol.escalation_min_attempts = 2;
    pol.escalation_min_days = 7;
    assert!(can_step(&c, &cw(20, 2), &ConflictStep::Escalate, today(), &pol).allowed);
    assert!(!can_step(&c, &cw(20, 2), &ConflictStep::Escalate, today(), &p()).allowed);
}

fn enr(
    id: i64,
    org: i64,
    program: i64,
    t: ProjectType,
    entry: &str,
    exit: Option<&str>,
    move_in: Option<&str>,
) -> EnrollmentDates {
    EnrollmentDates {
        record: RecordId(id),
        org: OrgId(org),
        program: ProgramId(program),
        project_type: t,
        entry: d(entry),
        exit: exit.map(d),
        move_in: move_in.map(d),
    }
}

fn entry_exit_conflict() -> DataConflict {
    let shelter = enr(
        1,
        1,
        10,
        ProjectType::EmergencyShelterEntryExit,
        "2021-06-01",
        Some("2021-07-08"),
        None,
    );
    let (c, notice) = new_entry_exit_conflict(
        &cw(20, 2),
        ConflictId(9),
        ClientId(7),
        HmisNumber::parse("H0000007").unwrap(),
        &shelter,
        Some(RecordId(2)),
        EntryExitIssue::HousedDuringResidentialStay,
        d("2026-10-01"),
    )
    .unwrap();
    assert_eq!(notice.recipient, Recipient::AgencyAdmins { org: OrgId(1) });
    with_attempts(c, &["2026-10-01", "2026-10-08", "2026-10-15"])
}

#[test]
fn r8_entry_exit_escalates_to_agency_admin_then_data_center_on_day_30() {
    let c = entry_exit_conflict();
    let me = cw(20, 2);
    let escalated = step(&c, &me, ConflictStep::Escalate, d("2026-10-20"), &p()).unwrap();
    assert!(matches!(
        escalated.notifications[0].message,
        Message::EntryExitReviewRequested { .. }
    ));
    let c = escalated.conflict;
    let day29 = can_step(
        &c,
        &me,
        &ConflictStep::EscalateToDataCenter,
        d("2026-11-18"),
        &p(),
    );
    assert_eq!(
        day29,
        Decision::deny(Reason::DataCenterTooEarly {
            notified_on: d("2026-10-20"),
            on_or_after: d("2026-11-19")
        })
    );
    let day30 = step(
        &c,
        &me,
        ConflictStep::EscalateToDataCenter,
        d("2026-11-19"),
        &p(),
    )
    .unwrap();
    assert_eq!(day30.notifications[0].recipient, Recipient::DataCenter);
    assert!(matches!(
        day30.conflict.state,
        ConflictState::DataCenter { .. }
    ));
    assert!(
        can_step(
            &day30.conflict,
            &sysadmin(),
            &ConflictStep::Resolve,
            today(),
            &p()
        )
        .allowed
    );
}

#[test]
fn r8_escalation_refused_on_day_13_for_entry_exit_too() {
    let mut c = entry_exit_conflict();
    c.attempts[2].on = d("2026-10-14");
    assert!(
        !can_step(
            &c,
            &cw(20, 2),
            &ConflictStep::Escalate,
            d("2026-11-22"),
            &p()
        )
        .allowed
    );
    c.attempts[2].on = d("2026-10-15");
    assert!(
        can_step(
            &c,
            &cw(20, 2),
            &ConflictStep::Escalate,
            d("2026-11-22"),
            &p()
        )
        .allowed
    );
}

#[test]
fn r8_data_center_only_for_entry_exit_conflicts_after_escalation() {
    let c = with_attempts(
        field_conflict(),
        &["2026-11-01", "2026-11-07", "2026-11-15"],
    );
    assert!(
        !can_step(
            &c,
            &cw(20, 2),
            &ConflictStep::EscalateToDataCenter,
            d("2027-06-01"),
            &p()
        )
        .allowed
    );
    let e = step(
        &c,
        &cw(20, 2),
        ConflictStep::Escalate,
        d("2026-11-16"),
        &p(),
    )
    .unwrap()
    .conflict;
    assert_eq!(
        can_step(
            &e,
            &cw(20, 2),
            &ConflictStep::EscalateToDataCenter,
            d("2027-06-01"),
            &p()
        ),
        Decision::deny(Reason::WrongConflictState)
    );
    let open = entry_exit_conflict();
    assert!(
        !can_step(
            &open,
            &cw(20, 2),
            &ConflictStep::EscalateToDataCenter,
            d("2027-06-01"),
            &p()
        )
        .allowed
    );
}

#[test]
fn r7_move_in_before_other_agencys_shelter_exit_is_a_conflict() {
    let shelter = enr(
        1,
        1,
        10,
        ProjectType::EmergencyShelterEntryExit,
        "2021-06-01",
        Some("2021-07-08"),
        None,
    );
    let rrh = enr(
        2,
        2,
        20,
        ProjectType::RapidRehousing,
        "2021-05-15",
        None,
        Some("2021-07-01"),
    );
    let got = detect_entry_exit_conflicts(&[shelter, rrh]);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].issue, EntryExitIssue::HousedDuringResidentialStay);
    assert_eq!(
        (got[0].first, got[0].second, got[0].from),
        (RecordId(2), Some(RecordId(1)), d("2021-07-01"))
    );
}

#[test]
fn r7_detection_table() {
    use ProjectType::*;
    let es = |id, e, x| enr(id, 1, 10 + id, EmergencyShelterEntryExit, e, x, None);
    #[rustfmt::skip]
    let cases: Vec<(Vec<EnrollmentDates>, Vec<EntryExitIssue>)> = vec![
        // R-6: concurrent shelter and rapid re-housing before move-in: fine.
        (vec![es(1, "2021-06-01", Some("2021-07-08")), enr(2, 2, 20, RapidRehousing, "2021-06-15", None, None)], vec![]),
        // Move-in on the shelter exit day: fine.
        (vec![es(1, "2021-06-01", Some("2021-07-01")), enr(2, 2, 20, RapidRehousing, "2021-06-15", None, Some("2021-07-01"))], vec![]),
        // Move-in the day before the shelter exit: conflict.
        (vec![es(1, "2021-06-01", Some("2021-07-02")), enr(2, 2, 20, RapidRehousing, "2021-06-15", None, Some("2021-07-01"))], vec![EntryExitIssue::HousedDuringResidentialStay]),
        // Still in shelter (no exit) after move-in: conflict.
        (vec![es(1, "2021-06-01", None), enr(2, 2, 20, PermanentSupportiveHousing, "2021-06-15", None, Some("2021-07-01"))], vec![EntryExitIssue::HousedDuringResidentialStay]),
        // Shelter entry after housing exit: fine.
        (vec![enr(2, 2, 20, RapidRehousing, "2021-01-01", Some("2021-05-01"), Some("2021-02-01")), es(1, "2021-05-01", None)], vec![]),
        // Two shelters the same nights: conflict; back-to-back transfer: fine.
        (vec![es(1, "2021-06-01", Some("2021-07-01")), es(2, "2021-06-20", None)], vec![EntryExitIssue::OverlappingResidentialStays]),
        (vec![es(1, "2021-06-01", Some("2021-07-01")), es(2, "2021-07-01", None)], vec![]),
        // Shelter and transitional housing overlapping: conflict.
        (vec![es(1, "2021-06-01", Some("2021-07-01")), enr(2, 2, 20, TransitionalHousing, "2021-06-10", None, None)], vec![EntryExitIssue::OverlappingResidentialStays]),
        // Outreach and services during shelter: fine.
        (vec![es(1, "2021-06-01", None), enr(2, 2, 20, StreetOutreach, "2021-01-01", None, None), enr(3, 3, 30, ServicesOnly, "2021-06-02", None, None)], vec![]),
        // Housed in two projects at once.
        (vec![enr(2, 2, 20, RapidRehousing, "2021-01-01", None, Some("2021-02-01")), enr(3, 3, 30, PermanentSupportiveHousing, "2021-03-01", None, Some("2021-03-05"))], vec![EntryExitIssue::OverlappingHousedPeriods]),
        // Same program twice at once.
        (vec![enr(1, 1, 10, ServicesOnly, "2021-01-01", None, None), enr(2, 1, 10, ServicesOnly, "2021-02-01", None, None)], vec![EntryExitIssue::DuplicateEnrollment]),
        // Impossible single enrollments.
        (vec![es(1, "2021-06-01", Some("2021-05-01"))], vec![EntryExitIssue::ExitBeforeEntry]),
        (vec![enr(2, 2, 20, RapidRehousing, "2021-06-01", Some("2021-07-01"), Some("2021-08-01"))], vec![EntryExitIssue::MoveInOutsideStay]),
        (vec![enr(2, 2, 20, RapidRehousing, "2021-06-01", None, Some("2021-05-01"))], vec![EntryExitIssue::MoveInOutsideStay]),
        (vec![enr(1, 1, 10, EmergencyShelterEntryExit, "2021-06-01", None, Some("2021-06-05"))], vec![EntryExitIssue::MoveInWithoutHousing]),
    ];
    for (i, (enrollments, want)) in cases.into_iter().enumerate() {
        let got: Vec<_> = detect_entry_exit_conflicts(&enrollments)
            .into_iter()
            .map(|c| c.issue)
            .collect();
        assert_eq!(got, want, "case {i}");
    }
}

#[test]
fn r7_new_enrollment_input_is_validated() {
    let bad = enr(
        1,
        1,
        10,
        ProjectType::EmergencyShelterEntryExit,
        "2021-06-01",
        Some("2021-05-01"),
        None,
    );
    assert_eq!(bad.parse().unwrap_err().field, "exit_date");
    let bad = enr(
        1,
        1,
        10,
        ProjectType::EmergencyShelterEntryExit,
        "2021-06-01",
        None,
        Some("2021-06-02"),
    );
    assert_eq!(bad.parse().unwrap_err().field, "move_in_date");
}

fn contact_row(id: i64, org: i64, kind: ContactKind, value: &str, start: &str) -> ContactRow {
    let mut meta = record(RecordKind::FamilyContact, org, 10 * org, None);
    meta.id = RecordId(id);
    ContactRow {
        meta,
        contact_kind: kind,
        value: value.into(),
        start: d(start),
        end: None,
    }
}

fn change(value: &str, replaces: &[i64]) -> ContactChange {
    ContactChange {
        client: ClientId(7),
        contact_kind: ContactKind::Phone,
        value: value.into(),
        start: d("2026-11-22"),
        replaces: replaces.iter().map(|i| RecordId(*i)).collect(),
        client_directed: true,
        decline_note: false,
    }
}

#[test]
fn r4_contact_change_adds_a_row_and_end_dates_the_old_one() {
    let rows = vec![contact_row(
        1,
        1,
        ContactKind::Phone,
        "919-555-0100",
        "2025-01-01",
    )];
    let plan = plan_contact_change(&cw(20, 2), &change("919-555-0199", &[1]), &rows).unwrap();
    assert_eq!(plan.add.value, "919-555-0199");
    assert_eq!(
        plan.end_date,
        vec![EndDateRow {
            row: RecordId(1),
            end: d("2026-11-21")
        }]
    );
    assert_eq!(plan.may_notify, vec![OrgId(1)]);
}

#[test]
fn r4_contact_change_needs_client_direction_and_a_valid_new_value() {
    let rows = vec![contact_row(
        1,
        1,
        ContactKind::Phone,
        "919-555-0100",
        "2025-01-01",
    )];
    let mut c = change("919-555-0199", &[1]);
    c.client_directed = false;
    assert_eq!(
        plan_contact_change(&cw(20, 2), &c, &rows),
        Err(ContactPlanError::Refused(Reason::NeedsClientDirection))
    );
    for (value, replaces, field) in [
        ("12", vec![1], "phone"),
        ("919-555-0100", vec![], "value"),
        ("919-555-0199", vec![9], "replaces"),
    ] {
        match plan_contact_change(&cw(20, 2), &change(value, &replaces), &rows) {
            Err(ContactPlanError::Invalid(e)) => assert_eq!(e.field, field),
            other => panic!("{value}: {other:?}"),
        }
    }
}

#[test]
fn r4_row_starting_on_new_start_cannot_be_end_dated_and_is_left_current() {
    let rows = vec![contact_row(
        1,
        2,
        ContactKind::Phone,
        "919-555-0100",
        "2026-11-22",
    )];
    let plan = plan_contact_change(&cw(20, 2), &change("919-555-0199", &[1]), &rows).unwrap();
    assert!(plan.end_date.is_empty());
    assert_eq!(plan.left_current, vec![RecordId(1)]);
    assert!(plan.may_notify.is_empty(), "own agency's row");
}

#[test]
fn r5_correction_note_created_unless_declined() {
    let rows = vec![contact_row(
        1,
        1,
        ContactKind::Phone,
        "919-555-0100",
        "2025-01-01",
    )];
    let plan = plan_contact_change(&cw(20, 2), &change("919-555-0199", &[1]), &rows).unwrap();
    let note = plan.correction_note.unwrap();
    assert!(note.text.contains("phone") && note.text.contains("end-dated"));
    let mut c = change("919-555-0199", &[1]);
    c.decline_note = true;
    assert_eq!(
        plan_contact_change(&cw(20, 2), &c, &rows)
            .unwrap()
            .correction_note,
        None
    );
}

#[test]
fn r5_the_first_contact_row_of_a_kind_is_added_not_corrected() {
    let first = plan_contact_change(&cw(20, 2), &change("919-555-0199", &[]), &[]).unwrap();
    let text = first.correction_note.unwrap().text;
    assert!(text.starts_with("Contact information added"), "{text}");
    assert!(!text.contains("corrected"), "{text}");
    // Replacing a row is a correction, even when it could not be end-dated (R-4).
    let rows = vec![contact_row(
        1,
        1,
        ContactKind::Phone,
        "919-555-0100",
        "2025-01-01",
    )];
    let plan = plan_contact_change(&cw(20, 2), &change("919-555-0199", &[1]), &rows).unwrap();
    assert!(plan.correction_note.unwrap().text.contains("corrected"));
}

fn attachment(doc: DocumentType, deleted: bool) -> AttachmentMeta {
    let mut meta = record(
        RecordKind::Attachment,
        1,
        10,
        Some(SecuritySetting::SharedWithAll),
    );
    meta.deleted = deleted;
    AttachmentMeta {
        meta,
        document_type: doc,
        file_name: "a.pdf".into(),
        target: AttachmentTarget::ClientProfile,
    }
}

#[test]
fn r9_head_of_household_checklist() {
    let atts = [
        attachment(DocumentType::BirthCertificate, false),
        attachment(DocumentType::DisabilityVerification, true),
    ];
    let list = head_of_household_checklist(true, atts.iter());
    let on_file: Vec<_> = list.iter().map(|i| (i.document, i.on_file)).collect();
    assert_eq!(
        on_file,
        vec![
            (DocumentType::BirthCertificate, true),
            (DocumentType::ThirdPartyHomelessnessVerification, false),
            (DocumentType::DisabilityVerification, false),
        ]
    );
    assert!(list[2].reminder.as_deref().unwrap().contains("diagnos"));
    assert!(head_of_household_checklist(false, atts.iter()).is_empty());
}

#[test]
fn r9_social_security_card_attachment_does_not_parse() {
    let err = attachment(DocumentType::SocialSecurityCard, false)
        .parse()
        .unwrap_err();
    assert_eq!(err.field, "document_type");
    assert!(attachment(DocumentType::SsnCopyOnFileNotice, false)
        .parse()
        .is_ok());
}

#[test]
fn r10_missing_case_managers_per_agency_program() {
    let e = [
        enr(
            1,
            1,
            10,
            ProjectType::EmergencyShelterEntryExit,
            "2026-01-01",
            None,
            None,
        ),
        enr(
            2,
            2,
            20,
            ProjectType::RapidRehousing,
            "2026-01-01",
            None,
            None,
        ),
        enr(
            3,
            3,
            30,
            ProjectType::ServicesOnly,
            "2025-01-01",
            Some("2025-06-01"),
            None,
        ),
    ];
    let a = CaseManagerAssignment {
        meta: record(RecordKind::CaseManager, 1, 10, None),
        head_of_household: ClientId(7),
        program: ProgramId(10),
        case_manager: UserId(10),
        start: d("2026-01-01"),
        end: None,
    };
    assert_eq!(
        missing_case_managers(ClientId(7), &e, &[a], today()),
        vec![(OrgId(2), ProgramId(20))]
    );
}

#[test]
fn r11_service_note_follows_its_own_setting() {
    let s = Service {
        meta: record(RecordKind::Service, 1, 10, None),
        service_kind: ServiceKind::Transaction,
        date: today(),
        description: "Bus pass".into(),
        case_management_minutes: Some(30),
        case_management_note: Some("private".into()),
        note_security: SecuritySetting::RestrictToOrganization,
    };
    let c = ctx(&[], &[]);
    assert!(can_read(&cw(20, 2), &s.meta, &c, today(), &p()).allowed);
    assert!(!can_read(&cw(20, 2), &s.note_meta(), &c, today(), &p()).allowed);
    assert!(can_read(&cw(11, 1), &s.note_meta(), &c, today(), &p()).allowed);
}

#[test]
fn parsing_errors_name_the_field() {
    assert_eq!(Ssn::parse("123-45-6789").unwrap().last4(), "6789");
    assert_eq!(
        format!("{:?}", Ssn::parse("123456789").unwrap()),
        "Ssn(***-**-6789)"
    );
    for bad in [
        "12345678",
        "000-12-3456",
        "666-12-3456",
        "900-12-3456",
        "123-00-4567",
        "123-45-0000",
        "abc",
    ] {
        assert_eq!(Ssn::parse(bad).unwrap_err().field, "ssn", "{bad}");
    }
    assert!(DateOfBirth::parse("1980-04-30", today()).is_ok());
    assert_eq!(
        DateOfBirth::parse("2030-01-01", today()).unwrap_err().field,
        "date_of_birth"
    );
    assert_eq!(
        DateOfBirth::parse("30/04/1980", today()).unwrap_err().field,
        "date_of_birth"
    );
    assert_eq!(
        shared::fields::PersonName::parse("last_name", "  ")
            .unwrap_err()
            .field,
        "last_name"
    );
    assert_eq!(
        parse_contact_value(ContactKind::Email, "nope")
            .unwrap_err()
            .field,
        "email"
    );
}

#[test]
fn r2_field_names_parse_in_snake_or_pascal_case_and_unknown_names_name_the_field() {
    for (input, want) in [
        ("legal_first_name", Field::LegalFirstName),
        ("LegalLastName", Field::LegalLastName),
        (" date_of_birth ", Field::DateOfBirth),
        ("ssn", Field::Ssn),
        ("SSN", Field::Ssn),
    ] {
        assert_eq!(Field::parse(input), Ok(want), "{input}");
    }
    for bad in ["", "_", "favourite_colour", "legal first name"] {
        assert_eq!(Field::parse(bad).unwrap_err().field, "field", "{bad:?}");
    }
}

#[test]
fn r13_a_conflict_value_outside_its_detail_shows_an_ssn_by_its_last_four_digits_only() {
    assert_eq!(shown_value(Field::Ssn, "123-45-6789"), "***-**-6789");
    assert_eq!(shown_value(Field::Ssn, "123456789"), "***-**-6789");
    assert_eq!(shown_value(Field::LegalFirstName, "Jordyn"), "Jordyn");
    let conflict = DataConflict {
        id: ConflictId(7),
        client: ClientId(2),
        hmis_number: HmisNumber::parse("H0001002").unwrap(),
        subject: ConflictSubject::Field {
            field: Field::Ssn,
            stored: "123-45-6789".into(),
            stated: "123-45-6788".into(),
        },
        reporter_org: OrgId(2),
        reporter_user: UserId(3),
        addressed_org: OrgId(3),
        addressed_user: None,
        opened_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        attempts: Vec::new(),
        state: ConflictState::Open,
    };
    let note = escalation_note_shown(&conflict, &|o| format!("org {o}"));
    assert!(note.text.contains("***-**-6789") && note.text.contains("***-**-6788"));
    assert!(!note.text.contains("123-45"), "{}", note.text);
}

#[test]
fn r3_a_conflict_is_seen_by_its_two_parties_and_system_admins_only() {
    let c = field_conflict();
    for (actor, allowed) in [
        (cw(99, c.reporter_org.0), true),
        (admin(98, c.addressed_org.0), true),
        (sysadmin(), true),
        (cw(97, 9), false),
        (admin(96, 9), false),
    ] {
        let d = can_see_conflict(&actor, &c);
        assert_eq!(d.allowed, allowed, "{actor:?}: {d:?}");
    }
}

fn agreed(c: DataConflict, value: AgreedValue, updater: i64) -> DataConflict {
    DataConflict {
        state: ConflictState::Agreed {
            on: d("2026-11-10"),
            value,
            updater: OrgId(updater),
        },
        ..c
    }
}

#[test]
fn r3_the_agreed_updater_writing_the_stated_value_carries_out_the_agreement() {
    // Agreed: agency 1 (which entered "Smith") writes the stated "Smyth".
    let c = agreed(field_conflict(), AgreedValue::Stated, 1);
    let f = Field::LegalLastName;
    assert_eq!(
        carries_out_agreement(&c, &cw(10, 1), f, Some("Smyth")),
        Decision::allow(Reason::CarriesOutAgreement)
    );
    // The reporting agency writing the same value is not the agreed updater.
    assert_eq!(
        carries_out_agreement(&c, &cw(20, 2), f, Some("Smyth")),
        Decision::deny(Reason::NotTheAgreedUpdater { updater: OrgId(1) })
    );
    // Another value, another field, or clearing it is not the agreed update.
    for (field, value) in [
        (f, Some("Smith")),
        (f, None),
        (Field::LegalFirstName, Some("Smyth")),
    ] {
        assert_eq!(
            carries_out_agreement(&c, &cw(10, 1), field, value),
            Decision::deny(Reason::NotTheAgreedValue),
            "{field:?} {value:?}"
        );
    }
}

#[test]
fn r3_only_an_agreement_on_the_stated_value_is_carried_out_by_a_change() {
    let f = Field::LegalLastName;
    for c in [
        field_conflict(),
        agreed(field_conflict(), AgreedValue::Stored, 1),
        agreed(entry_exit_conflict(), AgreedValue::Stated, 1),
    ] {
        assert_eq!(
            carries_out_agreement(&c, &cw(10, 1), f, Some("Smyth")),
            Decision::deny(Reason::WrongConflictState),
            "{:?}",
            c.state
        );
    }
}

#[test]
fn r7_an_agency_opens_one_entry_exit_conflict_per_enrollment() {
    let open = vec![entry_exit_conflict()]; // #9, by agency 2, about enrollment 1
    let e = check_one_entry_exit_conflict_per_agency(&cw(21, 2), RecordId(1), &open).unwrap_err();
    assert_eq!(e.field, "enrollment");
    assert_eq!(e.reason, "your agency already opened conflict #9 about it");
    // Another agency, or another enrollment, may still open one.
    assert!(check_one_entry_exit_conflict_per_agency(&cw(30, 3), RecordId(1), &open).is_ok());
    assert!(check_one_entry_exit_conflict_per_agency(&cw(20, 2), RecordId(2), &open).is_ok());
    assert!(check_one_entry_exit_conflict_per_agency(&cw(20, 2), RecordId(1), &[]).is_ok());
}

#[test]
fn r2_conflicts_are_about_single_answer_fields_with_a_stored_value_only() {
    for f in [Field::LegalLastName, Field::DateOfBirth, Field::Ssn] {
        assert_eq!(parse_conflict_field(f, &p()), Ok(f));
    }
    let contact = parse_conflict_field(Field::Phone, &p()).unwrap_err();
    assert_eq!(contact.field, "field");
    assert!(contact.reason.contains("(R-4)"), "{}", contact.reason);
    let plain = parse_conflict_field(Field::Gender, &p()).unwrap_err();
    assert!(plain.reason.contains("(S-1)"), "{}", plain.reason);
    // P-2: the single-answer fields come from the policy.
    let mut pol = p();
    pol.single_answer_fields.push(Field::Gender);
    assert_eq!(parse_conflict_field(Field::Gender, &pol), Ok(Field::Gender));
    // The contact refusal is said the same way when a conflict is built.
    let built = new_field_conflict(
        &cw(20, 2),
        ConflictId(1),
        ClientId(7),
        HmisNumber::parse("H0000007").unwrap(),
        Field::Phone,
        "919-555-0100",
        "919-555-0199",
        OrgId(1),
        None,
        today(),
    )
    .unwrap_err();
    assert_eq!(built, contact);
    assert_eq!(parse_conflict_stored(Some("Smith")), Ok("Smith"));
    assert!(parse_conflict_stored(None)
        .unwrap_err()
        .reason
        .contains("(R-1)"));
}

#[test]
fn r4_a_replaced_row_that_had_already_ended_is_stale_and_left_alone() {
    let mut ended = contact_row(1, 1, ContactKind::Phone, "919-555-0100", "2025-01-01");
    ended.end = Some(d("2026-06-30"));
    let current = contact_row(2, 1, ContactKind::Phone, "919-555-0101", "2026-07-01");
    let rows = vec![ended, current];
    let plan = plan_contact_change(&cw(20, 2), &change("919-555-0199", &[1, 2]), &rows).unwrap();
    assert_eq!(plan.already_ended, vec![RecordId(1)]);
    assert_eq!(
        plan.end_date,
        vec![EndDateRow {
            row: RecordId(2),
            end: d("2026-11-21")
        }]
    );
    assert!(plan.left_current.is_empty());
    // A row still current on the new row's start day is not stale: it is end-dated.
    let mut last_day = contact_row(3, 1, ContactKind::Phone, "919-555-0102", "2026-01-01");
    last_day.end = Some(d("2026-11-22"));
    let plan = plan_contact_change(&cw(20, 2), &change("919-555-0199", &[3]), &[last_day]).unwrap();
    assert!(plan.already_ended.is_empty());
    assert_eq!(plan.end_date.len(), 1);
}

#[test]
fn r4_a_contact_row_does_not_end_before_it_starts() {
    let mut row = contact_row(1, 1, ContactKind::Phone, "919-555-0100", "2026-01-10");
    row.end = Some(d("2026-01-10"));
    assert!(row.clone().parse().is_ok(), "a one-day row");
    row.end = Some(d("2026-01-09"));
    let e = row.parse().unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.reason.as_str()),
        ("end_date", "cannot be before the start date")
    );
}

#[test]
fn r4_every_contact_kind_holds_a_several_answer_field() {
    let kinds = [
        ContactKind::Address,
        ContactKind::Phone,
        ContactKind::Email,
        ContactKind::EmergencyContact,
    ];
    let fields: Vec<Field> = kinds.iter().map(|k| k.field()).collect();
    for (k, f) in kinds.iter().zip(&fields) {
        assert!(f.is_contact(), "{k:?}");
        assert_eq!(p().field_class(*f), FieldClass::SeveralAnswers, "{k:?}");
        assert_eq!(f.label(), k.label(), "{k:?} names the same thing");
    }
    let mut distinct = fields.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), 4);
}

#[test]
fn p5_an_ssn_is_shown_by_its_last_four_digits_only_the_same_way_everywhere() {
    use shared::fields::{masked_ssn, ssn_last4};
    assert_eq!(ssn_last4("123-45-6789").as_deref(), Some("6789"));
    assert_eq!(ssn_last4("123456789").as_deref(), Some("6789"));
    assert_eq!(ssn_last4("12"), None);
    // The profile masks the last four the API sends; the conflict lists mask the full number.
    assert_eq!(masked_ssn("6789"), "***-**-6789");
    assert_eq!(masked_ssn("123-45-6789"), "***-**-6789");
    assert_eq!(shown_value(Field::Ssn, "123-45-6789"), masked_ssn("6789"));
    let ssn = Ssn::parse("123-45-6789").unwrap();
    assert_eq!(format!("{ssn:?}"), format!("Ssn({})", masked_ssn("6789")));
    assert!(!masked_ssn("123-45-6789").contains("12345"));
}

#[test]
fn r8_automatic_steps_act_as_the_reporting_user_or_a_caseworker_when_the_account_is_gone() {
    let c = entry_exit_conflict(); // reported by user 20 of agency 2
    assert_eq!(
        automatic_step_actor(&c, Some(Role::AgencyAdmin)),
        actor(20, 2, Role::AgencyAdmin)
    );
    assert_eq!(automatic_step_actor(&c, None), cw(20, 2));
}

#[test]
fn r3_an_attempt_dated_outside_the_conflicts_life_names_when_and_a_refusal_stays_a_refusal() {
    let c = field_conflict(); // opened 2026-11-01 by agency 2
    let on = |s| attempt(s, AttemptOutcome::NoContact);
    assert_eq!(
        check_attempt(&c, &cw(21, 2), &on("2026-11-22"), today(), &p()),
        Ok(Decision::allow(Reason::YourAgency))
    );
    for s in ["2026-11-23", "2026-10-31"] {
        let e = check_attempt(&c, &cw(21, 2), &on(s), today(), &p()).unwrap_err();
        assert_eq!(e.field, "when");
        assert!(
            e.reason.contains("2026-11-01") && e.reason.contains("2026-11-22"),
            "{}",
            e.reason
        );
    }
    // The addressed agency may not log attempts: a refusal with its reason, whatever the date.
    assert_eq!(
        check_attempt(&c, &cw(10, 1), &on("2026-11-23"), today(), &p()),
        Ok(Decision::deny(Reason::NotAPartyToConflict))
    );
}

#[test]
fn r8_an_entry_exit_conflict_is_never_agreed_on_the_reporters_side() {
    let ee = entry_exit_conflict();
    let e = parse_agreement(&ee, AgreedValue::Stated, OrgId(2)).unwrap_err();
    assert_eq!(e.field, "agreed_value");
    assert_eq!(
        parse_agreement(&ee, AgreedValue::Stored, OrgId(1)),
        Ok(ConflictStep::Agree {
            value: AgreedValue::Stored,
            updater: OrgId(1)
        })
    );
    assert!(parse_agreement(&field_conflict(), AgreedValue::Stated, OrgId(1)).is_ok());
}

#[test]
fn r3_agreeing_on_the_stored_value_resolves_at_once_and_on_the_stated_value_waits_for_the_update() {
    let agree = |value| ConflictStep::Agree {
        value,
        updater: OrgId(1),
    };
    assert!(resolves_on_agreement(&agree(AgreedValue::Stored)));
    assert!(!resolves_on_agreement(&agree(AgreedValue::Stated)));
    assert!(!resolves_on_agreement(&ConflictStep::Resolve));
    assert!(!resolves_on_agreement(&ConflictStep::Escalate));
}

#[test]
fn r8_an_escalated_entry_exit_conflict_goes_on_to_the_data_center_and_a_field_conflict_does_not() {
    let escalated = |c: DataConflict| DataConflict {
        state: ConflictState::Escalated {
            on: d("2026-10-20"),
        },
        ..c
    };
    assert_eq!(
        next_escalation(&entry_exit_conflict()),
        ConflictStep::Escalate
    );
    assert_eq!(
        next_escalation(&escalated(entry_exit_conflict())),
        ConflictStep::EscalateToDataCenter
    );
    assert_eq!(next_escalation(&field_conflict()), ConflictStep::Escalate);
    assert_eq!(
        next_escalation(&escalated(field_conflict())),
        ConflictStep::Escalate
    );
}

#[test]
fn r10_a_case_manager_is_a_user_of_the_agency_running_the_program() {
    assert!(check_case_manager_agency(Some(OrgId(2)), OrgId(2)).is_ok());
    for other in [Some(OrgId(1)), None] {
        let e = check_case_manager_agency(other, OrgId(2)).unwrap_err();
        assert_eq!(e.field, "case_manager_id", "{other:?}");
    }
}

#[test]
fn r3_an_escalation_refused_for_a_short_span_says_how_many_more_days() {
    // Attempts on the 1st, 3rd and 6th: 5 days of the 14, so 9 more days.
    let c = with_attempts(
        field_conflict(),
        &["2026-11-01", "2026-11-03", "2026-11-06"],
    );
    let got = can_step(
        &c,
        &cw(20, 2),
        &ConflictStep::Escalate,
        d("2026-11-07"),
        &p(),
    );
    let text = got.reason.describe(&org_name);
    assert!(
        text.contains("still missing: 9 more days (an attempt on or after 2026-11-15)"),
        "{text}"
    );
}

#[test]
fn r3_the_addressed_agency_is_told_the_reporting_agency_logs_attempts_not_that_it_is_no_party() {
    // The conflict is addressed to org 1 and reported by org 2.
    let c = field_conflict();
    let attempt = ConflictStep::LogAttempt {
        attempt: attempt("2026-11-20", AttemptOutcome::NoContact),
    };
    let got = can_step(&c, &admin(11, 1), &attempt, d("2026-11-22"), &p());
    assert!(!got.allowed);
    let text = got.reason.describe(&org_name);
    assert!(
        text.contains("the reporting agency logs contact attempts"),
        "{text}"
    );
    assert!(!text.contains("Only the agencies party"), "{text}");
}

#[test]
fn r3_r8_the_resolution_queues_are_the_addressed_agencys_admins_and_the_data_centers() {
    // Addressed to org 1, reported by org 2.
    let c = field_conflict();
    assert!(in_resolution_queue(&admin(11, 1), &c));
    assert!(
        !in_resolution_queue(&admin(21, 2), &c),
        "the reporter's admin"
    );
    assert!(
        !in_resolution_queue(&cw(10, 1), &c),
        "caseworkers have no queue"
    );
    assert!(
        !in_resolution_queue(&sysadmin(), &c),
        "a data conflict never reaches the data center"
    );
    assert!(!can_see_resolution_queue(&cw(10, 1)).allowed);
    assert!(can_see_resolution_queue(&admin(11, 1)).allowed);
    assert!(can_see_resolution_queue(&sysadmin()).allowed);
    let mut resolved = c.clone();
    resolved.state = ConflictState::Resolved {
        on: d("2026-11-20"),
    };
    assert!(!in_resolution_queue(&admin(11, 1), &resolved));
    assert_eq!(conflict_age_days(&c, d("2026-11-22")), 21);
}
