//! Section 1's "who may manage what", P-4's audit scope and P-5's password policy.

use crate::common::*;
use shared::admin::*;
use shared::password::PasswordPolicy;
use shared::*;

fn cw_shelter() -> Actor {
    cw(3, 2)
}
fn admin_shelter() -> Actor {
    admin(2, 2)
}

#[test]
fn section1_only_system_admins_manage_organizations() {
    assert!(can_manage_org(&sysadmin()).allowed);
    for a in [cw_shelter(), admin_shelter()] {
        assert_eq!(
            can_manage_org(&a),
            Decision::deny(Reason::OnlySystemAdminsManageOrganizations)
        );
    }
}

#[test]
fn section1_only_system_admins_manage_programs_even_of_their_own_agency() {
    assert!(can_manage_program(&sysadmin(), OrgId(2)).allowed);
    for a in [cw_shelter(), admin_shelter()] {
        assert_eq!(
            can_manage_program(&a, OrgId(2)),
            Decision::deny(Reason::OnlySystemAdminsManagePrograms)
        );
    }
}

#[test]
fn section1_who_manages_which_user_is_a_table() {
    use Role::*;
    // (actor, target org, target role, allowed, reason)
    let cases = [
        (
            sysadmin(),
            2,
            Caseworker,
            true,
            Reason::ManagesAsSystemAdmin,
        ),
        (
            sysadmin(),
            3,
            SystemAdmin,
            true,
            Reason::ManagesAsSystemAdmin,
        ),
        (
            admin_shelter(),
            2,
            Caseworker,
            true,
            Reason::ManagesOwnAgency { org: OrgId(2) },
        ),
        (
            admin_shelter(),
            2,
            AgencyAdmin,
            true,
            Reason::ManagesOwnAgency { org: OrgId(2) },
        ),
        (
            admin_shelter(),
            2,
            SystemAdmin,
            false,
            Reason::OnlySystemAdminsManageSystemAdmins,
        ),
        (
            admin_shelter(),
            3,
            Caseworker,
            false,
            Reason::AgencyAdminsManageOwnAgencyOnly { org: OrgId(2) },
        ),
        (
            cw_shelter(),
            2,
            Caseworker,
            false,
            Reason::OnlyAdministratorsManageUsers,
        ),
        (
            cw_shelter(),
            3,
            Caseworker,
            false,
            Reason::OnlyAdministratorsManageUsers,
        ),
    ];
    for (a, org, role, allowed, reason) in cases {
        let d = can_manage_user(&a, OrgId(org), role);
        assert_eq!(
            (d.allowed, &d.reason),
            (allowed, &reason),
            "{a:?} on {role:?} of org {org}"
        );
    }
}

#[test]
fn section1_agency_admin_cannot_promote_anyone_to_system_admin() {
    let target = cw(3, 2);
    assert_eq!(
        can_update_user(&admin_shelter(), &target, Some(Role::SystemAdmin), None),
        Decision::deny(Reason::OnlySystemAdminsManageSystemAdmins)
    );
    assert!(can_update_user(&admin_shelter(), &target, Some(Role::AgencyAdmin), None).allowed);
}

#[test]
fn section1_nobody_disables_or_demotes_their_own_account() {
    for a in [sysadmin(), admin_shelter()] {
        assert_eq!(
            can_update_user(&a, &a, None, Some(true)),
            Decision::deny(Reason::NotOnYourOwnAccount)
        );
        assert_eq!(
            can_update_user(&a, &a, Some(Role::Caseworker), None),
            Decision::deny(Reason::NotOnYourOwnAccount)
        );
        // Renaming oneself, or "changing" to the same role, is fine.
        assert!(can_update_user(&a, &a, Some(a.role), Some(false)).allowed);
    }
}

#[test]
fn section1_caseworkers_see_only_their_own_account() {
    let me = cw_shelter();
    assert_eq!(
        can_view_user(&me, &me),
        Decision::allow(Reason::YourOwnAccount)
    );
    assert!(!can_view_user(&me, &cw(4, 2)).allowed);
}

#[test]
fn p4_audit_scope_is_everything_for_system_admins_own_agency_for_agency_admins_nothing_for_caseworkers(
) {
    assert_eq!(audit_scope(&sysadmin()).0, AuditScope::All);
    assert_eq!(
        audit_scope(&admin_shelter()),
        (
            AuditScope::Organization(OrgId(2)),
            Decision::allow(Reason::ReadsOwnAgencyAudit { org: OrgId(2) })
        )
    );
    assert_eq!(
        audit_scope(&cw_shelter()),
        (
            AuditScope::Nothing,
            Decision::deny(Reason::OnlyAdministratorsReadAudit)
        )
    );
    assert!(can_read_audit_entry(&sysadmin(), OrgId(3)).allowed);
    assert!(can_read_audit_entry(&admin_shelter(), OrgId(2)).allowed);
    assert!(!can_read_audit_entry(&admin_shelter(), OrgId(3)).allowed);
    assert!(!can_read_audit_entry(&cw_shelter(), OrgId(2)).allowed);
}

#[test]
fn p5_password_policy_is_a_table() {
    let common = |p: &str| ["password1234", "qwertyuiopas"].contains(&p);
    let policy = PasswordPolicy::default();
    let long_ok = "a".repeat(128);
    // (password, username, Ok or the reason's start)
    let cases: &[(&str, &str, Result<(), &str>)] = &[
        ("short pass", "maria", Err("must be at least 12")),
        ("elevenchars", "maria", Err("must be at least 12")),
        ("twelve chars", "maria", Ok(())),
        ("PassWord1234", "maria", Err("is one of the most common")),
        (
            "maria.lopez.cw",
            "Maria.Lopez.CW",
            Err("must not be the username"),
        ),
        ("correct horse battery staple", "maria", Ok(())),
        (&long_ok, "maria", Ok(())),
        ("ünïcödé pässwörd", "maria", Ok(())),
    ];
    for (pw, user, expected) in cases {
        let got = policy.check("password", pw, user, &common);
        match (expected, got) {
            (Ok(()), Ok(())) => {}
            (Err(start), Err(e)) => {
                assert_eq!(e.field, "password");
                assert!(e.reason.starts_with(start), "{pw:?}: {}", e.reason);
            }
            (exp, got) => panic!("{pw:?}: expected {exp:?}, got {got:?}"),
        }
    }
    let too_long = "a".repeat(129);
    assert!(policy
        .check("password", &too_long, "maria", &common)
        .is_err());
}

#[test]
fn p5_password_policy_length_and_classes_are_configurable() {
    let none = |_: &str| false;
    let policy = PasswordPolicy {
        min_length: 16,
        max_length: 64,
        require_classes: true,
    };
    let e = policy
        .check("new_password", "twelve chars", "u", &none)
        .unwrap_err();
    assert_eq!(e.field, "new_password");
    assert!(e.reason.contains("16"));
    assert!(policy
        .check("p", "all lower case letters", "u", &none)
        .is_err());
    assert!(policy
        .check("p", "Mixed Case And 1 Digit", "u", &none)
        .is_ok());
}

#[test]
fn p5_usernames_are_unique_ids_in_one_case() {
    assert_eq!(
        Username::parse(" Shelter.CW ").unwrap().as_str(),
        "shelter.cw"
    );
    for bad in ["ab", "has space", "semi;colon", &"x".repeat(65)] {
        assert_eq!(Username::parse(bad).unwrap_err().field, "username", "{bad}");
    }
}

#[test]
fn hud_project_type_codes_parse_to_the_rules_project_types() {
    use shared::records::ProjectType;
    use shared::records::ProjectType::*;
    for (code, t) in [
        (0, EmergencyShelterEntryExit),
        (1, EmergencyShelterNightByNight),
        (2, TransitionalHousing),
        (3, PermanentSupportiveHousing),
        (4, StreetOutreach),
        (6, ServicesOnly),
        (13, RapidRehousing),
        (14, CoordinatedEntry),
    ] {
        assert_eq!(ProjectType::from_code(code), Ok(t));
    }
    for bad in [-1, 5, 15, 99] {
        assert_eq!(
            ProjectType::from_code(bad).unwrap_err().field,
            "hud_project_type"
        );
    }
}

#[test]
fn p5_notification_email_addresses_are_parsed_trimmed_with_the_domain_lower_cased() {
    let max_local = "l".repeat(64);
    let label = |n: usize| "d".repeat(n);
    // 64 + 1 + (61 + 1 + 61 + 1 + 61 + 4) = 254 characters.
    let longest = format!("{max_local}@{}.{}.{}.org", label(61), label(61), label(61));
    // (input, stored)
    let valid: &[(&str, &str)] = &[
        (
            "maria.lopez@bullcity.example.org",
            "maria.lopez@bullcity.example.org",
        ),
        (
            "  Maria.Lopez@BullCity.Example.ORG \n",
            "Maria.Lopez@bullcity.example.org",
        ),
        ("m+hearth@ex-ample.org", "m+hearth@ex-ample.org"),
        ("o'neil_2@mail.example.co.uk", "o'neil_2@mail.example.co.uk"),
        ("a@b.c", "a@b.c"),
        ("josé@Bücher.Example", "josé@bücher.example"),
        (&longest, &longest),
    ];
    for (input, stored) in valid {
        let e = EmailAddress::parse("email", input)
            .unwrap_or_else(|e| panic!("{input:?} refused: {}", e.reason));
        assert_eq!(e.as_str(), *stored, "{input:?}");
    }
    let too_long = format!("{max_local}@{}.{}.{}.org", label(62), label(61), label(61));
    let local_too_long = format!("{}@example.org", "l".repeat(65));
    let label_too_long = format!("maria@{}.org", "d".repeat(64));
    // (input, the reason's start)
    let invalid: &[(&str, &str)] = &[
        ("", "cannot be empty"),
        ("   ", "cannot be empty"),
        (&too_long, "must be at most 254"),
        ("maria lopez@example.org", "must not contain spaces"),
        ("maria@example .org", "must not contain spaces"),
        (
            "maria\u{7}@example.org",
            "must not contain spaces or control",
        ),
        (
            "maria@exa\u{0}mple.org",
            "must not contain spaces or control",
        ),
        ("maria\u{a0}@example.org", "must not contain spaces"),
        ("maria.example.org", "must contain exactly one @"),
        ("maria@lopez@example.org", "must contain exactly one @"),
        ("@example.org", "needs a name before the @"),
        (&local_too_long, "the part before the @ must be at most 64"),
        (".maria@example.org", "the part before the @ may contain"),
        ("maria.@example.org", "the part before the @ may contain"),
        (
            "maria..lopez@example.org",
            "the part before the @ may contain",
        ),
        ("\"maria\"@example.org", "the part before the @ may contain"),
        ("maria<x>@example.org", "the part before the @ may contain"),
        (
            "maria,lopez@example.org",
            "the part before the @ may contain",
        ),
        ("maria@", "needs a domain with a dot"),
        ("maria@localhost", "needs a domain with a dot"),
        ("maria@.org", "the domain after the @ may contain"),
        ("maria@example.", "the domain after the @ may contain"),
        ("maria@example..org", "the domain after the @ may contain"),
        ("maria@-example.org", "the domain after the @ may contain"),
        ("maria@example-.org", "the domain after the @ may contain"),
        ("maria@exa_mple.org", "the domain after the @ may contain"),
        ("maria@[127.0.0.1]", "the domain after the @ may contain"),
        (&label_too_long, "the domain after the @ may contain"),
    ];
    for (input, start) in invalid {
        let e = EmailAddress::parse("notify_email", input).expect_err(input);
        assert_eq!(e.field, "notify_email", "{input:?}");
        assert!(e.reason.starts_with(start), "{input:?}: {}", e.reason);
    }
}

#[test]
fn p5_an_email_address_deserializes_only_through_parse() {
    let e: EmailAddress = serde_json::from_str("\" a@Example.ORG \"").unwrap();
    assert_eq!(e.as_str(), "a@example.org");
    assert!(serde_json::from_str::<EmailAddress>("\"not an address\"").is_err());
}

#[test]
fn section1_everyone_sets_their_own_notification_email_and_administrators_as_they_update_users() {
    // Every role may set its own address.
    for me in [cw_shelter(), admin_shelter(), sysadmin()] {
        assert_eq!(
            can_set_notify_email(&me, &me),
            Decision::allow(Reason::YourOwnAccount)
        );
    }
    // Anyone else's: exactly who may update that user (can_update_user), with its reason.
    let users = [
        cw_shelter(),
        cw(4, 2),
        admin_shelter(),
        admin(5, 3),
        cw(6, 3),
        actor(1, 1, Role::SystemAdmin),
        sysadmin(),
    ];
    for a in &users {
        for t in &users {
            if a.user == t.user {
                continue;
            }
            assert_eq!(
                can_set_notify_email(a, t),
                can_update_user(a, t, None, None),
                "{a:?} on {t:?}"
            );
        }
    }
    // Spelled out for the demo agencies: the shelter's admin for a shelter caseworker, not for
    // Eno River's; a caseworker for nobody else; a SystemAdmin for anyone.
    assert_eq!(
        can_set_notify_email(&admin_shelter(), &cw(4, 2)),
        Decision::allow(Reason::ManagesOwnAgency { org: OrgId(2) })
    );
    assert_eq!(
        can_set_notify_email(&admin_shelter(), &cw(6, 3)),
        Decision::deny(Reason::AgencyAdminsManageOwnAgencyOnly { org: OrgId(2) })
    );
    assert_eq!(
        can_set_notify_email(&cw_shelter(), &cw(4, 2)),
        Decision::deny(Reason::OnlyAdministratorsManageUsers)
    );
    assert_eq!(
        can_set_notify_email(&admin_shelter(), &actor(1, 2, Role::SystemAdmin)),
        Decision::deny(Reason::OnlySystemAdminsManageSystemAdmins)
    );
    assert!(can_set_notify_email(&sysadmin(), &cw(6, 3)).allowed);
}

#[test]
fn section1_only_administrators_list_users_and_a_caseworker_is_told_why() {
    assert_eq!(
        can_list_users(&sysadmin()),
        Decision::allow(Reason::ManagesAsSystemAdmin)
    );
    assert_eq!(
        can_list_users(&admin_shelter()),
        Decision::allow(Reason::ManagesOwnAgency { org: OrgId(2) })
    );
    assert_eq!(
        can_list_users(&cw_shelter()),
        Decision::deny(Reason::OnlyAdministratorsManageUsers)
    );
}

#[test]
fn section1_another_agencys_user_is_hidden_and_an_own_agency_refusal_is_explained() {
    use shared::decision::Refusal;
    // An agency admin looking up another agency's user: hidden (404), never explained.
    let other = look_up_user(&admin_shelter(), &cw(7, 3));
    assert!(!other.decision.allowed);
    assert_eq!(other.refusal, Refusal::Hidden);
    // A caseworker looking up a colleague: explained (403 with the reason).
    let colleague = look_up_user(&cw_shelter(), &cw(4, 2));
    assert_eq!(
        colleague.decision,
        Decision::deny(Reason::OnlyAdministratorsManageUsers)
    );
    assert_eq!(colleague.refusal, Refusal::Explained);
    // An agency admin looking up a system admin of their own agency: explained.
    let sys_of_own = look_up_user(&admin_shelter(), &actor(5, 2, Role::SystemAdmin));
    assert_eq!(
        sys_of_own.decision,
        Decision::deny(Reason::OnlySystemAdminsManageSystemAdmins)
    );
    assert_eq!(sys_of_own.refusal, Refusal::Explained);
    // Allowed look-ups, own agency or any agency for a system admin.
    for (a, t) in [
        (admin_shelter(), cw(4, 2)),
        (sysadmin(), cw(7, 3)),
        (cw_shelter(), cw_shelter()),
    ] {
        let l = look_up_user(&a, &t);
        assert!(l.decision.allowed, "{a:?} on {t:?}");
        assert_eq!(l.refusal, Refusal::Explained);
    }
}

#[test]
fn p5_five_failed_sign_ins_lock_for_a_minute_doubling_up_to_an_hour() {
    let p = PolicyConfig::default();
    for failures in 0..5 {
        assert_eq!(p.lockout_seconds(failures), None, "{failures} failures");
    }
    assert_eq!(p.lockout_seconds(5), Some(60));
    assert_eq!(p.lockout_seconds(6), Some(120));
    assert_eq!(p.lockout_seconds(10), Some(1920));
    assert_eq!(p.lockout_seconds(11), Some(3600));
    assert_eq!(p.lockout_seconds(u32::MAX), Some(3600));
}

#[test]
fn p2_the_lockout_thresholds_come_from_policy() {
    let p: PolicyConfig = serde_json::from_str(
        r#"{"lockout_after_failures": 3, "lockout_base_seconds": 30, "lockout_max_seconds": 90}"#,
    )
    .unwrap();
    assert_eq!(p.lockout_seconds(2), None);
    assert_eq!(p.lockout_seconds(3), Some(30));
    assert_eq!(p.lockout_seconds(4), Some(60));
    assert_eq!(p.lockout_seconds(5), Some(90));
    // An older configuration without them takes the SPEC defaults.
    let old: PolicyConfig = serde_json::from_str(r#"{"roi_length_days": 180}"#).unwrap();
    assert_eq!(old.lockout_seconds(5), Some(60));
}

#[test]
fn p5_a_session_times_out_after_its_idle_time_or_its_absolute_lifetime() {
    use chrono::Duration;
    use shared::policy::session_timed_out;
    let signed_in = at("2026-11-22");
    let (idle, absolute) = (Duration::minutes(30), Duration::hours(12));
    let check = |last_seen_min: i64, now_min: i64| {
        session_timed_out(
            signed_in,
            signed_in + Duration::minutes(last_seen_min),
            signed_in + Duration::minutes(now_min),
            idle,
            absolute,
        )
    };
    assert!(!check(0, 30), "exactly at the idle limit");
    assert!(check(0, 31), "idle too long");
    assert!(!check(700, 720), "busy, and exactly at the absolute limit");
    assert!(check(715, 721), "busy, but past the absolute lifetime");
}

#[test]
fn p5_an_account_is_locked_until_its_lock_runs_out_and_not_at_that_instant() {
    use shared::policy::is_locked;
    let now = chrono::NaiveDate::from_ymd_opt(2026, 11, 22)
        .unwrap()
        .and_hms_opt(10, 0, 0)
        .unwrap();
    let second = chrono::Duration::seconds(1);
    assert!(!is_locked(None, now));
    assert!(is_locked(Some(now + second), now));
    assert!(!is_locked(Some(now), now));
    assert!(!is_locked(Some(now - second), now));
}

#[test]
fn section1_an_administrator_resets_others_passwords_never_their_own() {
    for a in [sysadmin(), admin_shelter()] {
        assert_eq!(
            can_reset_password(&a, &a),
            Decision::deny(Reason::OwnPasswordNeedsCurrent)
        );
    }
    assert!(can_reset_password(&admin_shelter(), &cw(3, 2)).allowed);
    assert!(can_reset_password(&sysadmin(), &cw(3, 2)).allowed);
    assert!(!can_reset_password(&admin_shelter(), &cw(9, 3)).allowed);
}

#[test]
fn section1_only_administrators_have_the_admin_screens() {
    assert!(can_administer(&sysadmin()).allowed);
    assert!(can_administer(&admin_shelter()).allowed);
    assert!(!can_administer(&cw(3, 2)).allowed);
}
