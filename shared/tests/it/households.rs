//! Households (seed 1b): who may change them (S-1), the membership rules (one household per
//! client at a time, one head at a time, R-4's rows never overwritten) and who is head of
//! household for.

use crate::common::*;
use chrono::NaiveDate;
use shared::household::*;
use shared::ids::{HouseholdAddressId, HouseholdId, MembershipId};
use shared::policy::Tier;
use shared::resolution::ContactPlanError;
use shared::*;

fn prov(org: i64) -> Provenance {
    Provenance {
        org: OrgId(org),
        author: UserId(10 * org),
        created_at: at("2026-01-01"),
    }
}

fn row(
    id: i64,
    h: i64,
    client: i64,
    rel: RelationshipToHoH,
    start: &str,
    end: Option<&str>,
) -> Membership {
    Membership {
        id: MembershipId(id),
        household: HouseholdId(h),
        client: ClientId(client),
        relationship: rel,
        start: d(start),
        end: end.map(d),
        provenance: prov(2),
    }
}

use RelationshipToHoH::{Child, SelfHeadOfHousehold as Head, SpouseOrPartner as Spouse};

/// Household 1: client 1 head, client 2 child, both from 2026-01-01.
fn family() -> Vec<Membership> {
    vec![
        row(1, 1, 1, Head, "2026-01-01", None),
        row(2, 1, 2, Child, "2026-01-01", None),
    ]
}

fn new(client: i64, rel: RelationshipToHoH, start: &str) -> NewMember {
    NewMember {
        client: ClientId(client),
        relationship: rel,
        start: d(start),
        end: None,
    }
}

fn field(r: Result<impl std::fmt::Debug, ParseError>) -> String {
    r.expect_err("refused").field
}

#[test]
fn s1_every_agency_may_change_a_household_by_default() {
    let p = PolicyConfig::default();
    for org in [1, 2, 3, 99] {
        assert_eq!(
            can_change_household(&cw(1, org), Some(OrgId(2)), &p),
            Decision::allow(Reason::CommunityEditable)
        );
    }
    // A CoC whose policy makes family information read-only to others (P-2): the creator only.
    let mut p = PolicyConfig::default();
    for (k, t) in p.tiers.iter_mut() {
        if *k == RecordKind::FamilyContact {
            *t = Tier::CommunityReadOnly;
        }
    }
    assert!(can_change_household(&cw(1, 2), Some(OrgId(2)), &p).allowed);
    assert_eq!(
        can_change_household(&cw(1, 3), Some(OrgId(2)), &p),
        Decision::deny(Reason::OnlyOwningAgency { org: OrgId(2) })
    );
    assert!(can_change_household(&cw(1, 3), None, &p).allowed);
}

#[test]
fn s1_one_head_at_a_time_a_second_head_is_refused_naming_relationship() {
    let rows = family();
    let add = |m: NewMember| check_add_member(HouseholdId(1), &rows, &[], &m, prov(3), today());
    assert_eq!(field(add(new(3, Head, "2026-06-01"))), "relationship");
    assert!(add(new(3, Spouse, "2026-06-01")).is_ok());
    // Before the household has a head: refused, naming the start date.
    assert_eq!(field(add(new(3, Spouse, "2025-12-01"))), "start_date");
    // A new household has exactly one head.
    let two = [new(3, Head, "2026-06-01"), new(4, Head, "2026-06-01")];
    assert_eq!(
        field(check_new_household(&two, &[], prov(2), today())),
        "members"
    );
    let none = [new(3, Child, "2026-06-01")];
    assert_eq!(
        field(check_new_household(&none, &[], prov(2), today())),
        "members"
    );
    assert_eq!(
        field(check_new_household(&[], &[], prov(2), today())),
        "members"
    );
    assert!(check_new_household(&[new(3, Head, "2026-06-01")], &[], prov(2), today()).is_ok());
}

#[test]
fn s1_a_client_belongs_to_one_household_at_a_time() {
    let rows = family();
    // Client 2 is a child in household 1 from 2026-01-01: joining household 5 then is refused.
    let add = |m: NewMember| {
        let h5 = [row(9, 5, 7, Head, "2025-01-01", None)];
        check_add_member(HouseholdId(5), &h5, &rows, &m, prov(3), today())
    };
    assert_eq!(field(add(new(2, Child, "2026-06-01"))), "client_id");
    let e = add(new(2, Child, "2026-06-01")).unwrap_err();
    assert!(e.reason.contains("household #1"), "{}", e.reason);
    // After the child's row ends, the day after is free.
    let ended = vec![
        rows[0],
        Membership {
            end: Some(d("2026-05-31")),
            ..rows[1]
        },
    ];
    let h5 = [row(9, 5, 7, Head, "2025-01-01", None)];
    let later = new(2, Child, "2026-06-01");
    assert!(check_add_member(HouseholdId(5), &h5, &ended, &later, prov(3), today()).is_ok());
    let same_day = new(2, Child, "2026-05-31");
    assert!(check_add_member(HouseholdId(5), &h5, &ended, &same_day, prov(3), today()).is_err());
}

#[test]
fn r4_memberships_end_never_rewritten_and_a_head_only_when_alone() {
    let rows = family();
    // The head's row does not end while the child stays.
    assert_eq!(
        field(check_end_membership(
            &rows,
            MembershipId(1),
            d("2026-06-01"),
            today()
        )),
        "end_date"
    );
    // The child's may; not before its start; an ended row is not ended again.
    let ended = check_end_membership(&rows, MembershipId(2), d("2026-06-01"), today()).unwrap();
    assert_eq!(ended.end, Some(d("2026-06-01")));
    assert_eq!(
        field(check_end_membership(
            &rows,
            MembershipId(2),
            d("2025-06-01"),
            today()
        )),
        "end_date"
    );
    let after = vec![rows[0], ended];
    assert_eq!(
        field(check_end_membership(
            &after,
            MembershipId(2),
            d("2026-07-01"),
            today()
        )),
        "end_date"
    );
    // Alone now (from 2026-06-02), the head's row may end on or after the child's.
    assert!(check_end_membership(&after, MembershipId(1), d("2026-06-01"), today()).is_ok());
    // Dates within shared::dates' range.
    assert_eq!(
        field(check_end_membership(
            &rows,
            MembershipId(2),
            d("2030-01-01"),
            today()
        )),
        "end_date"
    );
}

#[test]
fn r4_a_head_change_ends_the_current_rows_the_day_before_and_adds_new_ones() {
    let rows = family();
    let change = HeadChange {
        new_head: ClientId(2),
        start: d("2026-06-01"),
        relationships: vec![(ClientId(1), RelationshipToHoH::OtherRelative)],
    };
    let plan = plan_head_change(HouseholdId(1), &rows, &[], &change, prov(3), today()).unwrap();
    assert_eq!(
        plan.ends,
        [
            (MembershipId(1), d("2026-05-31")),
            (MembershipId(2), d("2026-05-31"))
        ]
    );
    assert_eq!(plan.adds.len(), 2);
    assert_eq!(plan.adds[0].client, ClientId(2));
    assert_eq!(plan.adds[0].relationship, Head);
    assert_eq!(plan.adds[1].relationship, RelationshipToHoH::OtherRelative);
    // The head already; the first day of a current row; a stranger's relationship: refused.
    let again = HeadChange {
        new_head: ClientId(1),
        ..change.clone()
    };
    assert_eq!(
        field(plan_head_change(
            HouseholdId(1),
            &rows,
            &[],
            &again,
            prov(3),
            today()
        )),
        "client_id"
    );
    let first_day = HeadChange {
        start: d("2026-01-01"),
        ..change.clone()
    };
    assert_eq!(
        field(plan_head_change(
            HouseholdId(1),
            &rows,
            &[],
            &first_day,
            prov(3),
            today()
        )),
        "start_date"
    );
    let stranger = HeadChange {
        relationships: vec![(ClientId(8), Child)],
        ..change.clone()
    };
    assert_eq!(
        field(plan_head_change(
            HouseholdId(1),
            &rows,
            &[],
            &stranger,
            prov(3),
            today()
        )),
        "relationships"
    );
}

#[test]
fn r9_r10_the_head_of_household_comes_from_the_household() {
    let rows = family();
    let on = d("2026-06-01");
    let head = head_of_household(ClientId(1), &rows, on);
    assert!(head.is_head);
    assert_eq!(head.household, Some(HouseholdId(1)));
    let child = head_of_household(ClientId(2), &rows, on);
    assert!(!child.is_head);
    assert_eq!(child.head, ClientId(1));
    assert_eq!(child.relationship, Child);
    // In no household (before it began, or never): their own head, a household of one.
    let before = head_of_household(ClientId(2), &rows, d("2025-06-01"));
    assert!(before.is_head);
    assert_eq!(before.household, None);
    assert!(head_of_household(ClientId(9), &rows, on).is_head);
    // After the child leaves, they are their own head again.
    let left = vec![
        rows[0],
        Membership {
            end: Some(d("2026-05-31")),
            ..rows[1]
        },
    ];
    assert!(head_of_household(ClientId(2), &left, on).is_head);
    // a case manager is assigned on the head's profile, not on a member's.
    assert_eq!(
        can_assign_case_manager(&head),
        Decision::allow(Reason::HeadOfHousehold)
    );
    assert_eq!(
        can_assign_case_manager(&child),
        Decision::deny(Reason::NotHeadOfHousehold { head: ClientId(1) })
    );
}

fn address(id: i64, value: &str, start: &str, org: i64) -> AddressRow {
    AddressRow {
        id: HouseholdAddressId(id),
        household: HouseholdId(1),
        value: value.into(),
        start: d(start),
        end: None,
        provenance: prov(org),
    }
}

#[test]
fn r4_r5_a_household_address_change_is_planned_as_a_contact_change() {
    let rows = [address(1, "1 Old Rd", "2026-01-01", 3)];
    let change = AddressChange {
        value: "2 New St".into(),
        start: d("2026-06-01"),
        replaces: vec![HouseholdAddressId(1)],
        client_directed: true,
        decline_note: false,
    };
    let plan = plan_address_change(&cw(1, 2), ClientId(5), &change, &rows).unwrap();
    assert_eq!(plan.end_date.len(), 1);
    assert_eq!(plan.end_date[0].end, d("2026-05-31"));
    assert_eq!(plan.may_notify, [OrgId(3)]);
    let note = plan.correction_note.unwrap();
    assert_eq!(note.client, ClientId(5));
    assert!(
        note.text.starts_with("Household address corrected"),
        "{}",
        note.text
    );
    let undirected = AddressChange {
        client_directed: false,
        ..change.clone()
    };
    assert_eq!(
        plan_address_change(&cw(1, 2), ClientId(5), &undirected, &rows),
        Err(ContactPlanError::Refused(Reason::NeedsClientDirection))
    );
    let same = AddressChange {
        value: "1 old rd".into(),
        ..change
    };
    assert!(matches!(
        plan_address_change(&cw(1, 2), ClientId(5), &same, &rows),
        Err(ContactPlanError::Invalid(e)) if e.field == "value"
    ));
}

#[test]
fn s1_every_agency_reads_a_household() {
    let h = Household {
        id: HouseholdId(1),
        family_name: parse_family_name("  Rivera ").unwrap(),
        provenance: prov(2),
    };
    assert_eq!(h.family_name, "Rivera");
    let d1 = can_read_household(&cw(1, 3), &h, today(), &PolicyConfig::default());
    assert_eq!(d1, Decision::allow(Reason::SharedWithAll));
    assert_eq!(parse_family_name("").unwrap_err().field, "family_name");
    let _ = NaiveDate::MIN;
}
