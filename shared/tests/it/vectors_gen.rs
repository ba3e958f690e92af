//! Generates `tests/vectors.json` (P-1) from rule-by-rule grids. The expected answers come from the
//! crate, but every read, edit and delete answer is first checked against the naive reference
//! model, and the conflict thresholds against hand-written expectations, before the file is
//! written. The test fails when the committed file differs from what the generator produces;
//! regenerate with `HEARTH_REGENERATE_VECTORS=1 cargo test -p shared --test it p1_vectors`.

use crate::cases::{digest, evaluate, Case, Input, VectorFile};
use crate::common::*;
use crate::reference::{ref_can_delete, ref_can_edit, ref_can_read};
use shared::actions::{NewRecord, Upload};
use shared::model::{Mou, Roi};
use shared::notify::ConflictId;
use shared::records::*;
use shared::resolution::*;
use shared::*;

fn actors() -> Vec<Actor> {
    vec![
        cw(10, 1),
        cw(11, 1),
        admin(12, 1),
        cw(20, 2),
        admin(21, 2),
        cw(30, 3),
        sysadmin(),
    ]
}

fn records() -> Vec<RecordMeta> {
    use SecuritySetting::*;
    let mut out = Vec::new();
    for kind in [
        RecordKind::Intake,
        RecordKind::FamilyContact,
        RecordKind::Demographics,
        RecordKind::Photo,
        RecordKind::Enrollment,
        RecordKind::Service,
        RecordKind::CaseManager,
        RecordKind::ProfileNote,
    ] {
        out.push(record(kind, 1, 10, None));
    }
    for s in [ShareWithRoiMou, RestrictToOrganization, SharedWithAll] {
        out.push(form(1, s));
        out.push(record(RecordKind::Attachment, 1, 10, Some(s)));
    }
    out.push(record(RecordKind::Form, 1, 10, None));
    out.push(RecordMeta {
        deleted: true,
        ..form(1, ShareWithRoiMou)
    });
    out.push(RecordMeta {
        deleted: true,
        ..record(RecordKind::ProfileNote, 1, 10, None)
    });
    out
}

/// Named sharing contexts: (rois, mous, date).
fn contexts() -> Vec<(&'static str, Vec<Roi>, Vec<Mou>, &'static str)> {
    let r12 = roi(12, &[2, 1], "2026-03-01", "2027-03-01");
    let dhp = mou(
        4,
        "Durham Housing Partners",
        &[1, 2],
        "2026-01-01",
        "2026-12-31",
    );
    let mut unsigned = dhp.clone();
    unsigned.parties[1].signature = None;
    let mut other_client = r12.clone();
    other_client.client = ClientId(8);
    vec![
        ("none", vec![], vec![], "2026-11-22"),
        ("roi active", vec![r12.clone()], vec![], "2026-11-22"),
        ("roi on end date", vec![r12.clone()], vec![], "2027-03-01"),
        ("roi day after end", vec![r12.clone()], vec![], "2027-03-02"),
        (
            "roi revoked",
            vec![revoke(r12.clone(), "2026-11-01")],
            vec![],
            "2026-11-22",
        ),
        ("roi other client", vec![other_client], vec![], "2026-11-22"),
        ("mou active", vec![], vec![dhp.clone()], "2026-11-22"),
        (
            "mou missing signature",
            vec![],
            vec![unsigned],
            "2026-11-22",
        ),
        ("mou expired", vec![], vec![dhp], "2027-01-01"),
    ]
}

fn rule_of_read(r: &RecordMeta, ctx: &str) -> String {
    let rule = match r.kind {
        _ if r.deleted => "P-3",
        RecordKind::Intake
        | RecordKind::FamilyContact
        | RecordKind::Demographics
        | RecordKind::Photo => "S-1",
        RecordKind::Enrollment
        | RecordKind::Service
        | RecordKind::CaseManager
        | RecordKind::ProfileNote => "S-2",
        _ if ctx.starts_with("roi") => "S-3",
        _ if ctx.starts_with("mou") => "S-4",
        _ => "S-5",
    };
    format!("{rule} read ({ctx})")
}

fn build() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut push = |rule: String, input: Input| {
        let expected = evaluate(&input);
        cases.push(Case {
            rule,
            input,
            expected,
        });
    };
    let today = today();

    // S-1..S-9 reads, P-3 tombstones, S-7 system admin.
    let read_actors = [cw(10, 1), cw(20, 2), admin(21, 2), cw(30, 3), sysadmin()];
    for (name, rois, mous, on) in contexts() {
        for r in records().into_iter().filter(|r| {
            !matches!(
                r.kind,
                RecordKind::FamilyContact | RecordKind::Demographics | RecordKind::CaseManager
            )
        }) {
            for a in read_actors {
                let rule = if a.role == Role::SystemAdmin {
                    format!("S-7 read ({name})")
                } else {
                    rule_of_read(&r, name)
                };
                push(
                    rule,
                    Input::Read {
                        actor: a,
                        record: r,
                        rois: rois.clone(),
                        mous: mous.clone(),
                        today: d(on),
                    },
                );
            }
        }
    }
    // Edit and delete (section 2, R-6, R-9..R-12, P-3).
    let (_, rois, mous, _) = contexts().swap_remove(1);
    for r in records() {
        for a in actors() {
            let rule = match r.kind {
                RecordKind::Enrollment => "R-6",
                RecordKind::Service => "R-11",
                RecordKind::CaseManager => "R-10",
                RecordKind::ProfileNote => "R-12",
                RecordKind::Attachment => "R-9",
                RecordKind::FamilyContact => "R-4",
                RecordKind::Form => "S-5",
                _ => "S-1",
            };
            push(
                format!("{rule} edit"),
                Input::Edit {
                    actor: a,
                    record: r,
                    rois: rois.clone(),
                    mous: mous.clone(),
                    today,
                },
            );
            push(
                format!("{rule} delete"),
                Input::Delete {
                    actor: a,
                    record: r,
                    rois: rois.clone(),
                    mous: mous.clone(),
                    today,
                },
            );
        }
    }
    // End-dating.
    for kind in [
        RecordKind::FamilyContact,
        RecordKind::CaseManager,
        RecordKind::Enrollment,
        RecordKind::Form,
    ] {
        for a in actors() {
            for client_directed in [false, true] {
                let rule = match kind {
                    RecordKind::FamilyContact if !client_directed => "R-5",
                    RecordKind::FamilyContact => "R-4",
                    RecordKind::CaseManager => "R-10",
                    RecordKind::Enrollment => "R-6",
                    _ => "S-8",
                };
                let record = if kind == RecordKind::Form {
                    form(1, SecuritySetting::ShareWithRoiMou)
                } else {
                    record(kind, 1, 10, None)
                };
                push(
                    format!("{rule} end-date"),
                    Input::EndDate {
                        actor: a,
                        record,
                        client_directed,
                        today,
                    },
                );
            }
        }
    }
    // Security settings (S-5, R-9).
    for a in [
        cw(10, 1),
        cw(11, 1),
        admin(12, 1),
        cw(20, 2),
        admin(21, 2),
        sysadmin(),
    ] {
        for (kind, default) in [
            (RecordKind::Form, SecuritySetting::RestrictToOrganization),
            (RecordKind::Form, SecuritySetting::ShareWithRoiMou),
            (RecordKind::Attachment, SecuritySetting::SharedWithAll),
            (RecordKind::Attachment, SecuritySetting::ShareWithRoiMou),
        ] {
            for to in SecuritySetting::ALL {
                let record = record(kind, 1, 10, Some(default));
                push(
                    "S-5 set security".into(),
                    Input::SetSecurity {
                        actor: a,
                        record,
                        to,
                        default,
                        today,
                    },
                );
            }
        }
    }
    // Create (R-6, R-10, S-5).
    for a in [cw(10, 1), admin(12, 1), cw(20, 2), sysadmin()] {
        for kind in RecordKind::ALL {
            for owner in [1, 2] {
                push(
                    "S-8 create".into(),
                    Input::Create {
                        actor: a,
                        new: NewRecord {
                            client: ClientId(7),
                            kind,
                            owner: OrgId(owner),
                            security: None,
                            default_security: None,
                        },
                    },
                );
            }
        }
        for security in SecuritySetting::ALL {
            push(
                "S-5 create form".into(),
                Input::Create {
                    actor: a,
                    new: NewRecord {
                        client: ClientId(7),
                        kind: RecordKind::Form,
                        owner: OrgId(1),
                        security: Some(security),
                        default_security: Some(SecuritySetting::RestrictToOrganization),
                    },
                },
            );
        }
    }
    // Uploads.
    let docs = [
        DocumentType::BirthCertificate,
        DocumentType::ThirdPartyHomelessnessVerification,
        DocumentType::DisabilityVerification,
        DocumentType::SocialSecurityCard,
        DocumentType::SsnCopyOnFileNotice,
        DocumentType::PhotoId,
        DocumentType::IncomeVerification,
        DocumentType::ServiceAgreement,
        DocumentType::ReleaseOfInformation,
        DocumentType::Other,
    ];
    for a in [cw(10, 1), admin(12, 1), cw(20, 2), sysadmin()] {
        for doc in docs {
            for setting in [
                SecuritySetting::SharedWithAll,
                SecuritySetting::RestrictToOrganization,
            ] {
                push(
                    "R-9 upload".into(),
                    Input::Upload {
                        actor: a,
                        upload: Upload {
                            client: ClientId(7),
                            document_type: doc,
                            target: AttachmentTarget::ClientProfile,
                            service_owner: None,
                            setting,
                        },
                    },
                );
            }
        }
        for owner in [1, 2] {
            push(
                "R-11 upload to service".into(),
                Input::Upload {
                    actor: a,
                    upload: Upload {
                        client: ClientId(7),
                        document_type: DocumentType::ServiceAgreement,
                        target: AttachmentTarget::Service(RecordId(5)),
                        service_owner: Some(OrgId(owner)),
                        setting: SecuritySetting::ShareWithRoiMou,
                    },
                },
            );
        }
    }
    // ROIs and MOUs (S-3, S-6).
    let r12 = roi(12, &[1, 2], "2026-03-01", "2027-03-01");
    for a in actors() {
        for orgs in [vec![1, 2], vec![2, 3], vec![1], vec![1, 2, 3]] {
            push(
                "S-3 set roi".into(),
                Input::SetRoi {
                    actor: a,
                    orgs: orgs.into_iter().map(OrgId).collect(),
                },
            );
        }
        for (r, on) in [
            (r12.clone(), "2026-11-22"),
            (r12.clone(), "2027-03-01"),
            (r12.clone(), "2027-03-02"),
            (revoke(r12.clone(), "2026-11-01"), "2026-11-22"),
        ] {
            push(
                "S-3 revoke roi".into(),
                Input::RevokeRoi {
                    actor: a,
                    roi: r,
                    today: d(on),
                },
            );
        }
        push("S-6 create mou".into(), Input::CreateMou { actor: a });
        let m = mou(
            4,
            "Durham Housing Partners",
            &[1, 2],
            "2026-01-01",
            "2026-12-31",
        );
        for on in ["2026-11-22", "2027-01-01"] {
            push(
                "S-6 change mou".into(),
                Input::ChangeMou {
                    actor: a,
                    mou: m.clone(),
                    today: d(on),
                },
            );
        }
    }
    // R-1 single-answer changes.
    for a in [cw(20, 2), admin(21, 2), sysadmin()] {
        for field in shared::Field::ALL {
            for entered_by in [None, Some(OrgId(1)), Some(OrgId(2))] {
                push(
                    "R-1 change".into(),
                    Input::SingleAnswer {
                        actor: a,
                        field,
                        entered_by,
                        documentation: None,
                    },
                );
            }
        }
        for document in [
            DocumentationType::BirthCertificate,
            DocumentationType::SocialSecurityAdministrationLetter,
            DocumentationType::SocialSecurityCard,
        ] {
            for scan in [None, Some("scan.pdf".to_owned())] {
                push(
                    "R-1 change documented".into(),
                    Input::SingleAnswer {
                        actor: a,
                        field: Field::Ssn,
                        entered_by: Some(OrgId(1)),
                        documentation: Some(Documentation { document, scan }),
                    },
                );
            }
        }
    }
    // conflict steps, thresholds at the boundaries.
    let h = HmisNumber::parse("H0000007").unwrap();
    let (field_c, _) = new_field_conflict(
        &cw(20, 2),
        ConflictId(5),
        ClientId(7),
        h.clone(),
        Field::LegalLastName,
        "Smith",
        "Smyth",
        OrgId(1),
        Some(UserId(10)),
        d("2026-11-01"),
    )
    .unwrap();
    let shelter = EnrollmentDates {
        record: RecordId(3),
        org: OrgId(1),
        program: ProgramId(10),
        project_type: ProjectType::EmergencyShelterEntryExit,
        entry: d("2021-06-01"),
        exit: Some(d("2021-07-08")),
        move_in: None,
    };
    let (ee_c, _) = new_entry_exit_conflict(
        &cw(20, 2),
        ConflictId(9),
        ClientId(7),
        h,
        &shelter,
        Some(RecordId(4)),
        EntryExitIssue::HousedDuringResidentialStay,
        d("2026-11-01"),
    )
    .unwrap();
    let att = |on: &str, outcome| ContactAttempt {
        on: d(on),
        method: ContactMethod::Phone,
        by: UserId(20),
        outcome,
    };
    let attempt_sets: Vec<Vec<ContactAttempt>> = vec![
        vec![],
        vec![
            att("2026-11-01", AttemptOutcome::NoContact),
            att("2026-11-20", AttemptOutcome::NoContact),
        ],
        vec![
            att("2026-11-01", AttemptOutcome::NoContact),
            att("2026-11-07", AttemptOutcome::NoContact),
            att("2026-11-14", AttemptOutcome::NoContact),
        ],
        vec![
            att("2026-11-01", AttemptOutcome::NoContact),
            att("2026-11-07", AttemptOutcome::NoContact),
            att("2026-11-15", AttemptOutcome::NoContact),
        ],
        vec![
            att("2026-11-01", AttemptOutcome::NoContact),
            att("2026-11-07", AttemptOutcome::Reached),
            att("2026-11-15", AttemptOutcome::NoContact),
        ],
    ];
    for base in [&field_c, &ee_c] {
        for attempts in &attempt_sets {
            let mut c = base.clone();
            c.attempts = attempts.clone();
            for a in [cw(20, 2), cw(10, 1), cw(30, 3)] {
                let rule = if base.is_entry_exit() {
                    "R-8 escalate"
                } else {
                    "R-3 escalate"
                };
                push(
                    rule.into(),
                    Input::ConflictStep {
                        actor: a,
                        conflict: c.clone(),
                        step: ConflictStep::Escalate,
                        today: d("2026-11-22"),
                    },
                );
            }
            for step in [
                ConflictStep::Agree {
                    value: AgreedValue::Stated,
                    updater: OrgId(1),
                },
                ConflictStep::Resolve,
                ConflictStep::LogAttempt {
                    attempt: att("2026-11-22", AttemptOutcome::NoContact),
                },
            ] {
                for a in [cw(20, 2), cw(10, 1), cw(30, 3)] {
                    push(
                        "R-3 step".into(),
                        Input::ConflictStep {
                            actor: a,
                            conflict: c.clone(),
                            step: step.clone(),
                            today: d("2026-11-22"),
                        },
                    );
                }
            }
        }
        let mut escalated = base.clone();
        escalated.state = ConflictState::Escalated {
            on: d("2026-10-20"),
        };
        for on in ["2026-11-18", "2026-11-19", "2026-12-31"] {
            for a in [cw(20, 2), cw(10, 1), sysadmin()] {
                push(
                    "R-8 data center".into(),
                    Input::ConflictStep {
                        actor: a,
                        conflict: escalated.clone(),
                        step: ConflictStep::EscalateToDataCenter,
                        today: d(on),
                    },
                );
            }
        }
    }
    // a change carries out an agreement; R-7: one entry/exit conflict per agency.
    for (value, updater) in [
        (AgreedValue::Stated, 1),
        (AgreedValue::Stated, 2),
        (AgreedValue::Stored, 1),
    ] {
        let mut c = field_c.clone();
        c.state = ConflictState::Agreed {
            on: d("2026-11-10"),
            value,
            updater: OrgId(updater),
        };
        for a in [cw(10, 1), cw(20, 2), cw(30, 3)] {
            for (field, new_value) in [
                (Field::LegalLastName, Some("Smyth")),
                (Field::LegalLastName, Some("Smith")),
                (Field::LegalLastName, None),
                (Field::LegalFirstName, Some("Smyth")),
            ] {
                push(
                    "R-3 carries out agreement".into(),
                    Input::CarriesOutAgreement {
                        actor: a,
                        conflict: c.clone(),
                        field,
                        new_value: new_value.map(str::to_owned),
                    },
                );
            }
        }
    }
    for a in [cw(20, 2), admin(21, 2), cw(30, 3)] {
        for enrollment in [3, 4] {
            for open in [
                vec![],
                vec![ee_c.clone()],
                vec![field_c.clone(), ee_c.clone()],
            ] {
                push(
                    "R-7 one conflict per agency".into(),
                    Input::OneEntryExitConflictPerAgency {
                        actor: a,
                        enrollment: RecordId(enrollment),
                        open,
                    },
                );
            }
        }
    }
    for field in Field::ALL {
        push("R-2 conflict field".into(), Input::ConflictField { field });
    }
    // attempt dates, agreements, the next escalation.
    for base in [&field_c, &ee_c] {
        for on in ["2026-10-31", "2026-11-01", "2026-11-22", "2026-11-23"] {
            for a in [cw(20, 2), cw(10, 1)] {
                push(
                    "R-3 attempt date".into(),
                    Input::CheckAttempt {
                        actor: a,
                        conflict: base.clone(),
                        attempt: att(on, AttemptOutcome::NoContact),
                        today: d("2026-11-22"),
                    },
                );
            }
        }
        for value in [AgreedValue::Stated, AgreedValue::Stored] {
            push(
                "R-8 agreement".into(),
                Input::Agreement {
                    conflict: base.clone(),
                    value,
                    updater: OrgId(1),
                },
            );
        }
        let mut escalated = base.clone();
        escalated.state = ConflictState::Escalated {
            on: d("2026-10-20"),
        };
        for c in [base.clone(), escalated] {
            push(
                "R-8 next escalation".into(),
                Input::NextEscalation { conflict: c },
            );
        }
    }
    for case_manager_org in [Some(OrgId(1)), Some(OrgId(2)), None] {
        push(
            "R-10 case manager agency".into(),
            Input::CaseManagerAgency {
                case_manager_org,
                agency: OrgId(1),
            },
        );
    }
    // who automatic steps act as.
    for reporter_role in [None, Some(Role::Caseworker), Some(Role::AgencyAdmin)] {
        push(
            "R-8 automatic step actor".into(),
            Input::AutomaticStepActor {
                conflict: ee_c.clone(),
                reporter_role,
            },
        );
    }
    // S-2 / R-7: whose entry/exit detections a list shows.
    for a in actors() {
        for client in [None, Some(ClientId(7))] {
            push(
                "S-2 entry/exit list scope".into(),
                Input::EntryExitScope { actor: a, client },
            );
        }
    }
    // R-7 entry/exit detection.
    let enr = |id: i64,
               org: i64,
               t: ProjectType,
               entry: &str,
               exit: Option<&str>,
               move_in: Option<&str>| EnrollmentDates {
        record: RecordId(id),
        org: OrgId(org),
        program: ProgramId(10 * id),
        project_type: t,
        entry: d(entry),
        exit: exit.map(d),
        move_in: move_in.map(d),
    };
    use ProjectType::*;
    for (shelter_exit, move_in) in [
        (Some("2021-07-08"), Some("2021-07-01")),
        (Some("2021-07-01"), Some("2021-07-01")),
        (Some("2021-07-02"), Some("2021-07-01")),
        (None, Some("2021-07-01")),
        (Some("2021-07-08"), None),
        (Some("2021-05-01"), Some("2021-07-01")),
    ] {
        for housing in [RapidRehousing, PermanentSupportiveHousing, ServicesOnly] {
            let move_in = if housing == ServicesOnly {
                None
            } else {
                move_in
            };
            push(
                "R-7 detect".into(),
                Input::EntryExit {
                    enrollments: vec![
                        enr(
                            1,
                            1,
                            EmergencyShelterEntryExit,
                            "2021-06-01",
                            shelter_exit,
                            None,
                        ),
                        enr(2, 2, housing, "2021-06-15", None, move_in),
                    ],
                },
            );
        }
    }
    for (a, b) in [
        (EmergencyShelterEntryExit, EmergencyShelterEntryExit),
        (EmergencyShelterEntryExit, TransitionalHousing),
        (SafeHaven, StreetOutreach),
        (RapidRehousing, PhHousingOnly),
        (CoordinatedEntry, DayShelter),
    ] {
        for second_entry in ["2021-06-20", "2021-07-01", "2021-07-02"] {
            let mi = |t: ProjectType, e: &'static str| {
                if t.is_permanent_housing() {
                    Some(e)
                } else {
                    None
                }
            };
            push(
                "R-7 detect".into(),
                Input::EntryExit {
                    enrollments: vec![
                        enr(
                            1,
                            1,
                            a,
                            "2021-06-01",
                            Some("2021-07-01"),
                            mi(a, "2021-06-01"),
                        ),
                        enr(2, 2, b, second_entry, None, mi(b, second_entry)),
                    ],
                },
            );
        }
    }
    // contact plans.
    let row = |id: i64, org: i64, value: &str, start: &str| {
        let mut meta = record(RecordKind::FamilyContact, org, 10 * org, None);
        meta.id = RecordId(id);
        ContactRow {
            meta,
            contact_kind: ContactKind::Phone,
            value: value.into(),
            start: d(start),
            end: None,
        }
    };
    let rows = vec![
        row(1, 1, "919-555-0100", "2025-01-01"),
        row(2, 2, "919-555-0101", "2026-11-22"),
    ];
    for (value, replaces, directed, decline) in [
        ("919-555-0199", vec![1], true, false),
        ("919-555-0199", vec![1, 2], true, true),
        ("919-555-0199", vec![1], false, false),
        ("919-555-0100", vec![], true, false),
        ("12", vec![1], true, false),
        ("919-555-0199", vec![7], true, false),
    ] {
        for a in [cw(20, 2), cw(30, 3)] {
            let change = ContactChange {
                client: ClientId(7),
                contact_kind: ContactKind::Phone,
                value: value.into(),
                start: d("2026-11-22"),
                replaces: replaces.iter().map(|i| RecordId(*i)).collect(),
                client_directed: directed,
                decline_note: decline,
            };
            push(
                if directed {
                    "R-4 contact plan"
                } else {
                    "R-4 client direction"
                }
                .into(),
                Input::ContactPlan {
                    actor: a,
                    change,
                    rows: rows.clone(),
                },
            );
        }
    }
    // a stale (already ended) replaced row, a row's dates, each kind's field.
    let mut ended = row(3, 1, "919-555-0102", "2025-01-01");
    ended.end = Some(d("2026-06-30"));
    let mut last_day = row(4, 1, "919-555-0103", "2025-01-01");
    last_day.end = Some(d("2026-11-22"));
    for replaces in [vec![3], vec![4], vec![1, 3]] {
        push(
            "R-4 stale replaced row".into(),
            Input::ContactPlan {
                actor: cw(20, 2),
                change: ContactChange {
                    client: ClientId(7),
                    contact_kind: ContactKind::Phone,
                    value: "919-555-0199".into(),
                    start: d("2026-11-22"),
                    replaces: replaces.into_iter().map(RecordId).collect(),
                    client_directed: true,
                    decline_note: false,
                },
                rows: vec![rows[0].clone(), ended.clone(), last_day.clone()],
            },
        );
    }
    for end in [
        None,
        Some("2025-01-01"),
        Some("2024-12-31"),
        Some("2026-11-22"),
    ] {
        let mut r = row(1, 1, "919-555-0100", "2025-01-01");
        r.end = end.map(d);
        push(
            "R-4 contact row dates".into(),
            Input::ContactRowDates { row: r },
        );
    }
    for kind in [
        ContactKind::Address,
        ContactKind::Phone,
        ContactKind::Email,
        ContactKind::EmergencyContact,
    ] {
        push(
            "R-4 contact kind field".into(),
            Input::ContactKindField { kind },
        );
    }
    // R-9 checklist.
    let attachment = |doc, deleted| AttachmentMeta {
        meta: RecordMeta {
            deleted,
            ..record(
                RecordKind::Attachment,
                1,
                10,
                Some(SecuritySetting::SharedWithAll),
            )
        },
        document_type: doc,
        file_name: "a.pdf".into(),
        target: AttachmentTarget::ClientProfile,
    };
    for hoh in [true, false] {
        push(
            "R-9 checklist".into(),
            Input::Checklist {
                head_of_household: hoh,
                attachments: vec![
                    attachment(DocumentType::BirthCertificate, false),
                    attachment(DocumentType::DisabilityVerification, true),
                ],
            },
        );
        push(
            "R-9 checklist".into(),
            Input::Checklist {
                head_of_household: hoh,
                attachments: vec![],
            },
        );
    }
    // S-9 redaction of a whole file.
    for (name, rois, mous, on) in contexts() {
        for a in [cw(20, 2), cw(30, 3), sysadmin()] {
            push(
                format!("S-9 redact ({name})"),
                Input::Redact {
                    actor: a,
                    records: records()
                        .into_iter()
                        .enumerate()
                        .map(|(i, r)| RecordMeta {
                            id: RecordId(i as i64),
                            ..r
                        })
                        .collect(),
                    rois: rois.clone(),
                    mous: mous.clone(),
                    today: d(on),
                },
            );
        }
    }
    // S-9: what a list may say of withheld records: nothing by default; the agencies, once each.
    for notice in [false, true] {
        for owners in [vec![], vec![3], vec![3, 1, 3, 3], vec![1, 2, 3]] {
            push(
                "S-9 withheld notice".into(),
                Input::WithheldNotice {
                    notice,
                    owners: owners.into_iter().map(OrgId).collect(),
                },
            );
        }
    }
    // S-6: signatures and early termination as entered.
    let mut half_signed = mou(
        4,
        "Durham Housing Partners",
        &[1, 2],
        "2026-01-01",
        "2026-12-31",
    );
    half_signed.parties[1].signature = None;
    for (name, title, date) in [
        ("Ann Lee", "Director", "2026-11-22"),
        ("Ann Lee", "Director", "2026-11-23"),
        (" ", "Director", "2026-11-01"),
        ("Ann Lee", "", "2026-11-01"),
    ] {
        for org in [2, 3] {
            push(
                "S-6 sign mou".into(),
                Input::SignMou {
                    mou: half_signed.clone(),
                    org: OrgId(org),
                    signature: shared::model::Signature {
                        name: name.into(),
                        title: title.into(),
                        date: d(date),
                    },
                    today,
                },
            );
        }
    }
    for date in [
        None,
        Some("2026-11-21"),
        Some("2026-11-22"),
        Some("2027-01-01"),
    ] {
        push(
            "S-6 terminate mou".into(),
            Input::TerminateMou {
                date: date.map(d),
                today,
            },
        );
    }
    // S-1 / R-1: intake changes as stored.
    for (field, value) in [
        (Field::LegalFirstName, None),
        (Field::LegalLastName, Some("  Smyth ")),
        (Field::LegalMiddleName, Some("")),
        (Field::DateOfBirth, Some("1980-02-29")),
        (Field::DateOfBirth, Some("2026-11-23")),
        (Field::Ssn, Some("123456789")),
        (Field::Ssn, Some("123-45-0000")),
        (Field::Gender, Some("Woman")),
    ] {
        push(
            "S-1 intake change".into(),
            Input::IntakeChange {
                field,
                value: value.map(str::to_owned),
                today,
            },
        );
    }
    // P-5: the sign-in lockout; an SSN shown by its last four digits.
    for failures in [0, 4, 5, 6, 10, 11, 40] {
        push("P-5 lockout".into(), Input::Lockout { failures });
    }
    for ssn in ["123-45-6789", "123456789", "6789", "12", ""] {
        push(
            "P-5 masked ssn".into(),
            Input::MaskedSsn { ssn: ssn.into() },
        );
    }
    push("S-5 service note default".into(), Input::ServiceNoteDefault);
    let signed_in = at("2026-11-22");
    for (last_seen, now) in [(0, 30), (0, 31), (700, 720), (715, 721)] {
        push(
            "P-5 session timeout".into(),
            Input::SessionTimedOut {
                created_at: signed_in,
                last_seen_at: signed_in + chrono::Duration::minutes(last_seen),
                now: signed_in + chrono::Duration::minutes(now),
                idle_minutes: 30,
                absolute_minutes: 720,
            },
        );
    }
    // Section 1: who lists and looks up user accounts, and whether a refusal is hidden.
    for a in actors() {
        push("Section 1 list users".into(), Input::ListUsers { actor: a });
        for target in actors() {
            push(
                "Section 1 look up user".into(),
                Input::LookUpUser { actor: a, target },
            );
        }
    }
    cases
}

/// The committed expectations are reviewed: reads/edits/deletes against the reference model,
/// escalations against the rule (3 unanswered attempts spanning 14 days, reporter only).
fn review(cases: &[Case]) {
    for (i, c) in cases.iter().enumerate() {
        let allowed = c.expected.get("allowed").and_then(|a| a.as_bool());
        match &c.input {
            Input::Read {
                actor,
                record,
                rois,
                mous,
                today,
            } => {
                assert_eq!(
                    allowed,
                    Some(ref_can_read(actor, record, rois, mous, *today)),
                    "#{i} {}",
                    c.rule
                );
            }
            Input::Edit {
                actor,
                record,
                rois,
                mous,
                today,
            } => {
                assert_eq!(
                    allowed,
                    Some(ref_can_edit(actor, record, rois, mous, *today)),
                    "#{i} {}",
                    c.rule
                );
            }
            Input::Delete {
                actor,
                record,
                rois,
                mous,
                today,
            } => {
                assert_eq!(
                    allowed,
                    Some(ref_can_delete(actor, record, rois, mous, *today)),
                    "#{i} {}",
                    c.rule
                );
                if record.kind == RecordKind::Service {
                    assert_eq!(allowed, Some(false), "#{i} R-11");
                }
            }
            Input::ConflictStep {
                actor,
                conflict,
                step: ConflictStep::Escalate,
                ..
            } => {
                let unanswered: Vec<_> = conflict
                    .attempts
                    .iter()
                    .filter(|a| a.outcome == AttemptOutcome::NoContact)
                    .collect();
                let span = match (unanswered.first(), unanswered.last()) {
                    (Some(f), Some(l)) => (l.on - f.on).num_days(),
                    _ => 0,
                };
                let want =
                    actor.org == conflict.reporter_org && unanswered.len() >= 3 && span >= 14;
                assert_eq!(allowed, Some(want), "#{i} {}", c.rule);
            }
            Input::LookUpUser { actor, target } => {
                let allowed = c.expected["decision"]["allowed"].as_bool();
                let hidden = c.expected["refusal"] == "hidden";
                let want_allowed = actor.user == target.user
                    || actor.role == Role::SystemAdmin
                    || (actor.role == Role::AgencyAdmin
                        && actor.org == target.org
                        && target.role != Role::SystemAdmin);
                assert_eq!(allowed, Some(want_allowed), "#{i} {}", c.rule);
                assert_eq!(hidden, !want_allowed && actor.org != target.org, "#{i}");
            }
            Input::Upload { upload, .. }
                if upload.document_type == DocumentType::SocialSecurityCard =>
            {
                assert_eq!(allowed, Some(false), "#{i}");
            }
            _ => {}
        }
    }
}

#[test]
fn p1_committed_vectors_agree_with_the_reference_model() {
    let file: VectorFile = serde_json::from_str(include_str!("../vectors.json")).unwrap();
    review(&file.cases);
}

#[test]
fn p1_vectors_file_is_what_the_reviewed_generator_produces() {
    let cases = build();
    review(&cases);
    let digest = digest(cases.iter().map(|c| &c.expected));
    let file = VectorFile { digest, cases };
    // One case per line: greppable (`grep '"R-8' vectors.json`) and diffable.
    let lines: Vec<String> = file
        .cases
        .iter()
        .map(|c| {
            let mut line = String::new();
            crate::cases::canonical(&serde_json::to_value(c).unwrap(), &mut line);
            line
        })
        .collect();
    let json = format!(
        "{{\"digest\": \"{}\", \"cases\": [\n{}\n]}}\n",
        file.digest,
        lines.join(",\n")
    );
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors.json");
    if std::env::var_os("HEARTH_REGENERATE_VECTORS").is_some() {
        std::fs::write(path, json).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap();
    assert!(
        committed == json,
        "tests/vectors.json differs from the generator's output: review the change, then \
         regenerate with HEARTH_REGENERATE_VECTORS=1 cargo test -p shared --test it p1_vectors"
    );
}
