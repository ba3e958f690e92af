//! P-5 "all input validated with clear errors": the one check of each kind of free text
//! (`shared::text`), plausible dates (`shared::dates`) and the request checks built on them
//! (`shared::input`), refusing with the field named and accepting what people really write.

use chrono::NaiveDate;
use shared::api::records::{EndDateInput, NewEnrollment, NewService};
use shared::dates::{self, DateKind};
use shared::fields::{DateOfBirth, PersonName};
use shared::ids::ProgramId;
use shared::records::ServiceKind;
use shared::text::{self, TextFault};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn p5_every_kind_of_text_refuses_nul_and_control_characters_naming_the_field() {
    type Check = for<'a> fn(&str, &'a str) -> Result<&'a str, text::TextError>;
    let kinds: [(&str, Check); 4] = [
        ("single_line", |f, s| text::single_line(f, s, 200)),
        ("multi_line", |f, s| text::multi_line(f, s, 200)),
        ("person_name", |f, s| text::person_name(f, s, 100)),
        ("file_name", text::file_name),
    ];
    for (kind, check) in kinds {
        for bad in ["a\0b", "a\u{1b}[31mb", "a\u{7f}b", "a\u{85}b", "a\rb"] {
            let e = check("the_field", bad).unwrap_err();
            assert_eq!(e.field, "the_field", "{kind} {bad:?}");
            assert!(
                matches!(e.fault, TextFault::Control(_)),
                "{kind} {bad:?}: {e:?}"
            );
        }
        assert_eq!(check("f", "  plain  "), Ok("plain"), "{kind} trims");
        assert_eq!(
            check("f", " ").unwrap_err().fault,
            TextFault::Empty,
            "{kind}"
        );
    }
}

#[test]
fn p5_tab_and_newline_are_allowed_only_where_text_is_multi_line() {
    let note = "Called the shelter.\n\tNo answer; left a message.\r\nWill try again.";
    assert_eq!(text::multi_line("text", note, 10_000), Ok(note));
    for bad in ["one\ntwo", "one\ttwo", "one\u{2028}two"] {
        let e = text::single_line("case_name", bad, 200).unwrap_err();
        assert_eq!(e.field, "case_name");
        let e = text::person_name("first_name", bad, 100).unwrap_err();
        assert_eq!(e.field, "first_name", "{bad:?}");
    }
    // A lone carriage return is not a line ending.
    assert!(text::multi_line("text", "one\rtwo", 100).is_err());
}

#[test]
fn p5_names_refuse_text_direction_and_zero_width_characters_and_accept_real_names() {
    for name in [
        "José Ñúñez",
        "O'Brien",
        "Nguyễn",
        "Zoë-Ann",
        "李小龙",
        "Ngũgĩ wa Thiong'o",
        "😀",
    ] {
        assert_eq!(
            PersonName::parse("first_name", name).unwrap().as_str(),
            name
        );
    }
    for bad in [
        "Ann\u{202E}nnA",
        "Ann\u{202A}",
        "\u{2066}Ann\u{2069}",
        "An\u{200B}n",
        "An\u{200C}n",
        "An\u{200D}n",
        "An\u{2060}n",
        "\u{FEFF}Ann",
    ] {
        let e = PersonName::parse("last_name", bad).unwrap_err();
        assert_eq!(e.field, "last_name", "{bad:?}");
        assert!(e.reason.contains("invisible or text-direction"), "{e:?}");
    }
    // Notes may carry right-to-left text with its marks; only names and file names refuse them.
    assert!(text::multi_line("text", "\u{2067}مرحبا\u{2069} said hello", 100).is_ok());
}

#[test]
fn p5_file_names_refuse_quotes_line_breaks_and_path_separators() {
    for ok in [
        "birth certificate.pdf",
        "Scan 2026-11-22 (1).png",
        "Ñúñez_ID.jpg",
    ] {
        assert_eq!(text::file_name("file_name", ok), Ok(ok));
    }
    for bad in [
        "a\"b.pdf",
        "it's.pdf",
        "../etc/passwd",
        "a/b.pdf",
        "a\\b.pdf",
        "a\r\nContent-Type: text/html.pdf",
        "a\nb.pdf",
        "..",
        ".",
        "cv\u{202E}fdp.exe",
    ] {
        let e = text::file_name("file_name", bad).unwrap_err();
        assert_eq!(e.field, "file_name", "{bad:?}");
    }
    let long = format!("{}.pdf", "x".repeat(text::FILE_NAME_MAX_CHARS));
    assert_eq!(
        text::file_name("file_name", &long).unwrap_err().fault,
        TextFault::TooLong {
            max: text::FILE_NAME_MAX_CHARS
        }
    );
}

#[test]
fn p5_lengths_count_characters_not_bytes() {
    let accented = "é".repeat(text::PERSON_NAME_MAX_CHARS);
    assert!(PersonName::parse("first_name", &accented).is_ok());
    let e = PersonName::parse("first_name", &format!("{accented}é")).unwrap_err();
    assert_eq!(e.reason, "at most 100 characters");
}

#[test]
fn p5_a_date_of_birth_is_not_in_the_future_nor_before_1900_nor_over_120_years_ago() {
    assert!(DateOfBirth::new(today(), today()).is_ok());
    assert!(DateOfBirth::new(d("1980-04-30"), today()).is_ok());
    assert_eq!(
        DateOfBirth::new(d("2026-11-23"), today())
            .unwrap_err()
            .reason,
        "cannot be in the future"
    );
    let e = DateOfBirth::new(d("1906-11-21"), today()).unwrap_err();
    assert_eq!(e.field, "date_of_birth");
    assert!(
        DateOfBirth::new(d("1906-11-22"), today()).is_ok(),
        "exactly 120 years"
    );
    // Long ago, 120 years reach before 1900: 1900 is the floor.
    let then = d("2010-06-01");
    assert!(DateOfBirth::new(d("1899-12-31"), then).is_err());
    assert!(DateOfBirth::new(d("1900-01-01"), then).is_ok());
}

#[test]
fn p5_program_dates_fall_between_the_documented_floor_and_today_or_a_small_allowance() {
    let t = today();
    let floor = d("1990-01-01");
    for kind in [DateKind::Recorded, DateKind::Scheduled, DateKind::Release] {
        assert_eq!(kind.range(t).0, floor, "{kind:?}");
        assert!(dates::check("x", kind, floor, t).is_ok());
        let e = dates::check("x", kind, d("1989-12-31"), t).unwrap_err();
        assert_eq!(e.field, "x");
        assert!(
            dates::check("x", kind, d("9999-12-31"), t).is_err(),
            "{kind:?}"
        );
        assert!(
            dates::check("x", kind, d("1800-01-01"), t).is_err(),
            "{kind:?}"
        );
    }
    assert_eq!(DateKind::Recorded.range(t).1, t);
    assert_eq!(DateKind::Scheduled.range(t).1, d("2027-11-23"));
    assert_eq!(DateKind::Release.range(t).1, d("2036-11-22"));
}

#[test]
fn p5_an_enrollment_in_9999_or_1800_is_refused_naming_its_date() {
    let enrollment = |entry: &str| NewEnrollment {
        program_id: ProgramId(1),
        case_name: "Rivera household".into(),
        entry_date: d(entry),
        exit_date: None,
        move_in_date: None,
        prior_living_situation: None,
        disabling_condition: None,
        enrollment_coc: None,
        destination: None,
        head_of_household: true,
    };
    assert_eq!(
        shared::input::new_enrollment(&enrollment("2026-11-01"), today()),
        Ok("Rivera household".to_owned())
    );
    for bad in ["9999-01-01", "1800-01-01", "2026-11-23"] {
        let e = shared::input::new_enrollment(&enrollment(bad), today()).unwrap_err();
        assert_eq!(e.field, "entry_date", "{bad}");
    }
    let mut tabbed = enrollment("2026-11-01");
    tabbed.case_name = "Rivera\thousehold".into();
    let e = shared::input::new_enrollment(&tabbed, today()).unwrap_err();
    assert_eq!(e.field, "case_name");
}

#[test]
fn p5_a_scheduled_service_and_an_end_date_may_be_ahead_but_not_years_ahead() {
    let service = |date: &str| NewService {
        service_kind: ServiceKind::Referral,
        date: d(date),
        description: "Referral".into(),
        enrollment_id: None,
        case_management_minutes: None,
        case_management_note: None,
        note_security: None,
    };
    assert!(shared::input::new_service(&service("2027-01-15"), today()).is_ok());
    let e = shared::input::new_service(&service("2030-01-01"), today()).unwrap_err();
    assert_eq!(e.field, "date");
    let end = |day: &str| EndDateInput {
        end_date: d(day),
        destination: None,
        client_directed: false,
    };
    assert!(shared::input::end_date(&end("2026-12-31"), today()).is_ok());
    assert_eq!(
        shared::input::end_date(&end("9999-12-31"), today())
            .unwrap_err()
            .field,
        "end_date"
    );
}

#[test]
fn r11_a_service_description_and_note_are_multi_line_text_without_other_controls() {
    use shared::model::{Provenance, RecordKind, RecordMeta};
    use shared::records::Service;
    use shared::{ClientId, OrgId, RecordId, SecuritySetting, UserId};
    let service = |description: &str, note: Option<&str>| {
        Service {
            meta: RecordMeta {
                id: RecordId(1),
                client: ClientId(1),
                kind: RecordKind::Service,
                provenance: Provenance {
                    org: OrgId(1),
                    author: UserId(1),
                    created_at: today().and_hms_opt(10, 0, 0).unwrap(),
                },
                security: None,
                deleted: false,
            },
            service_kind: ServiceKind::Transaction,
            date: today(),
            description: description.into(),
            case_management_minutes: None,
            case_management_note: note.map(str::to_owned),
            note_security: SecuritySetting::RestrictToOrganization,
        }
        .parse()
    };
    assert!(service("Bus pass\nand a meal voucher", Some("Discussed\tgoals")).is_ok());
    assert_eq!(service("Bus\0pass", None).unwrap_err().field, "description");
    assert_eq!(
        service("Bus pass", Some("a\u{7}b")).unwrap_err().field,
        "case_management_note"
    );
}

#[test]
fn s5_form_answers_are_multi_line_and_their_keys_single_line() {
    use shared::records::check_answers;
    use std::collections::BTreeMap;
    let ok: BTreeMap<String, String> = [
        ("housing".to_owned(), "Stable\nsince May".to_owned()),
        ("notes".to_owned(), String::new()),
    ]
    .into();
    assert!(check_answers(&ok).is_ok());
    for (k, v) in [
        ("hous\ning", "a"),
        ("housing", "a\0b"),
        ("housing", "\u{1b}"),
    ] {
        let bad: BTreeMap<String, String> = [(k.to_owned(), v.to_owned())].into();
        assert_eq!(
            check_answers(&bad).unwrap_err().field,
            "answers",
            "{k:?} {v:?}"
        );
    }
}

#[test]
fn p5_a_new_password_refuses_control_characters() {
    let policy = shared::password::PasswordPolicy::default();
    let e = policy
        .check("password", "correct horse\0battery", "ann", &|_| false)
        .unwrap_err();
    assert_eq!(e.field, "password");
    assert!(policy
        .check("password", "correct horse battery", "ann", &|_| false)
        .is_ok());
}
