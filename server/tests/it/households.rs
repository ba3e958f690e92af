//! Households (seed 1b: family name, relationships, family address), rule by rule: S-1 (every
//! agency edits them), R-4 (effective-dated rows, never overwritten), one head at a time, one
//! household per client at a time, R-9 and R-10 asking the household who is head, P-3 history,
//! P-4 audit, 422s naming the field, and simultaneous writes of several agencies.
//!
//! Demo facts (`db::demo`): client ids are the demo index plus one. The Riveras (entered by Bull
//! City Shelter, org 2): 1 head, 27 spouse, 20 child, one address. The Okonkwos (Triangle, org
//! 4): 14 head, 7 and 6 children. The Nguyens (Eno River, org 3): 11 head, 18 spouse, 25 a
//! relative who left 60 days ago; their address changed 30 days ago. Every household starts 210
//! days ago. Client 2 is in no household (R-9's checklist example). Clients 3, 4, 5, 8, 9 are in
//! none either.

use crate::support::{call_at, spawn_app, today, Answer, TestApp};
use chrono::Duration;
use shared::api::endpoint::NoQuery;
use shared::api::endpoints as ep;
use shared::api::households::*;
use shared::api::records::{Checklist, NewCaseManager, NewEnrollment, RecordDetails};
use shared::household::RelationshipToHoH as Rel;
use shared::ids::{ClientId, HouseholdAddressId, HouseholdId, MembershipId, ProgramId, UserId};

async fn count(app: &TestApp, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&app.pool).await.unwrap();
    n
}

fn member(client: i64, relationship: Rel) -> MemberInput {
    MemberInput {
        client_id: ClientId(client),
        relationship,
    }
}

fn new_household(name: &str, days_ago: i64, members: Vec<MemberInput>) -> NewHouseholdRequest {
    NewHouseholdRequest {
        family_name: name.into(),
        start_date: today() - Duration::days(days_ago),
        members,
    }
}

fn join(client: i64, relationship: Rel, days_ago: i64) -> NewMemberRequest {
    NewMemberRequest {
        client_id: ClientId(client),
        relationship,
        start_date: today() - Duration::days(days_ago),
        end_date: None,
    }
}

fn end(days_ago: i64) -> EndMembershipRequest {
    EndMembershipRequest {
        end_date: today() - Duration::days(days_ago),
    }
}

/// The membership row of `client` in `v` that is current, or else the latest.
fn row_of(v: &HouseholdView, client: i64) -> MemberView {
    v.members
        .iter()
        .rev()
        .find(|m| m.client_id == ClientId(client))
        .cloned()
        .unwrap_or_else(|| panic!("client {client} in {v:?}"))
}

fn address(value: &str, days_ago: i64, replaces: Vec<HouseholdAddressId>) -> NewHouseholdAddress {
    NewHouseholdAddress {
        value: value.into(),
        start_date: today() - Duration::days(days_ago),
        replaces,
        client_directed: true,
        decline_note: false,
        notify_owners: false,
    }
}

#[tokio::test]
async fn s1_household_members_and_relationships_are_community_editable() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let housing = app.sign_in("housing.cw").await;
    let outreach = app.sign_in("outreach.cw").await;
    let admin = app.sign_in("coc.admin").await;

    // The shelter creates it; Eno River adds a member; Triangle renames it and sets the address;
    // Eno River ends a membership the shelter entered.
    let body = new_household("Ellis", 20, vec![member(3, Rel::SelfHeadOfHousehold)]);
    let h = app
        .send::<ep::CreateHousehold>(&shelter, &[], &body)
        .await
        .ok_with(201);
    assert_eq!(h.family_name, "Ellis");
    assert_eq!(h.entered_by.org_name, "Bull City Shelter");
    assert_eq!(h.entered_by.user_name, "Maria Lopez");
    let id = h.id.0;
    let v = app
        .send::<ep::AddHouseholdMember>(&housing, &[id], &join(4, Rel::Child, 10))
        .await
        .ok_with(201);
    let child = row_of(&v, 4);
    assert_eq!(child.relationship, Rel::Child);
    assert_eq!(child.entered_by.org_name, "Eno River Housing");
    let rename = RenameHouseholdRequest {
        family_name: "Ellis-Moore".into(),
    };
    let v = app
        .send::<ep::RenameHousehold>(&outreach, &[id], &rename)
        .await
        .ok();
    assert_eq!(v.family_name, "Ellis-Moore");
    app.send::<ep::CreateHouseholdAddress>(&outreach, &[id], &address("5 Elm St", 5, vec![]))
        .await
        .ok_with(201);
    let v = app
        .send::<ep::EndHouseholdMembership>(&housing, &[child.id.0], &end(1))
        .await
        .ok();
    assert_eq!(row_of(&v, 4).end_date, Some(today() - Duration::days(1)));

    // Every agency (and the CoC) reads the same household, with the members' names (S-1).
    for (c, admin) in [
        (&shelter, false),
        (&housing, false),
        (&outreach, false),
        (&admin, true),
    ] {
        let v = app.get::<ep::GetHousehold>(c, &[id]).await.ok();
        assert_eq!(v.members.len(), 2);
        assert_eq!(v.addresses.len(), 1);
        assert_eq!(v.head_today, Some(ClientId(3)));
        assert!(v.members.iter().all(|m| !m.name.trim().is_empty()));
        let reason = if admin {
            shared::Reason::SystemAdministrator
        } else {
            shared::Reason::SharedWithAll
        };
        assert_eq!(v.reason, reason);
    }
}

#[tokio::test]
async fn r4_a_change_of_head_ends_rows_and_adds_new_ones_never_overwriting() {
    let app = spawn_app().await;
    let shelter = app.sign_in("shelter.cw").await;
    let housing = app.sign_in("housing.cw").await;
    // The Riveras: from 10 days ago the spouse (27) is head, Alex (1) the spouse, the child stays.
    let change = ChangeHeadRequest {
        client_id: ClientId(27),
        start_date: today() - Duration::days(10),
        relationships: vec![member(1, Rel::SpouseOrPartner), member(20, Rel::Child)],
    };
    let v = app
        .send::<ep::ChangeHeadOfHousehold>(&housing, &[1], &change)
        .await
        .ok();
    assert_eq!(v.head_today, Some(ClientId(27)));
    // Six rows: the three old ones ended the day before, three new ones from the change.
    assert_eq!(v.members.len(), 6);
    let day_before = today() - Duration::days(11);
    let old: Vec<&MemberView> = v.members.iter().filter(|m| !m.current).collect();
    assert_eq!(old.len(), 3);
    assert!(old.iter().all(|m| m.end_date == Some(day_before)));
    let was_head = old.iter().find(|m| m.client_id == ClientId(1)).unwrap();
    assert_eq!(was_head.relationship, Rel::SelfHeadOfHousehold);
    assert_eq!(row_of(&v, 1).relationship, Rel::SpouseOrPartner);
    assert_eq!(row_of(&v, 27).relationship, Rel::SelfHeadOfHousehold);
    // History keeps each ended row's old value (P-3).
    let ended = count(
        &app,
        "SELECT COUNT(*) FROM household_history WHERE household_id = 1 AND action = 'end'
         AND old_value LIKE '%\"end\":null%'",
    )
    .await;
    assert_eq!(ended, 3);

    // An ended row is never rewritten: ending it again is refused, naming end_date.
    let e = app
        .send::<ep::EndHouseholdMembership>(&shelter, &[was_head.id.0], &end(0))
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("end_date"));

    // A client's memberships show both rows, newest first; the head today is 27.
    let mine = app
        .get::<ep::ListClientHouseholds>(&shelter, &[1])
        .await
        .ok();
    assert_eq!(mine.memberships.len(), 2);
    assert!(mine.memberships[0].current);
    assert_eq!(mine.memberships[0].relationship, Rel::SpouseOrPartner);
    assert_eq!(mine.head_of_household.head, ClientId(27));
    assert!(!mine.head_of_household.is_head);
    assert_eq!(mine.memberships[1].family_name, "Rivera");

    // The household's address: a change at the client's direction adds a row and end-dates the
    // old one, with the correction note on the head's profile.
    let old = v.addresses[0].id;
    let r = app
        .send::<ep::CreateHouseholdAddress>(&shelter, &[1], &address("77 New Rd", 2, vec![old]))
        .await
        .ok_with(201);
    assert_eq!(r.end_dated, [old]);
    let note = r.correction_note.expect("a correction note");
    let (client, text): (i64, String) =
        sqlx::query_as("SELECT client_id, detail FROM records WHERE id = $1")
            .bind(note.0)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(client, 27);
    assert!(text.starts_with("Household address corrected"), "{text}");
    let v = app.get::<ep::GetHousehold>(&shelter, &[1]).await.ok();
    assert_eq!(v.addresses.len(), 2);
    assert_eq!(v.addresses[0].end_date, Some(today() - Duration::days(3)));
    assert!(v.addresses[1].current);

    // Without the client's direction the address is not changed.
    let mut undirected = address("1 Other St", 0, vec![r.address.id]);
    undirected.client_directed = false;
    app.send::<ep::CreateHouseholdAddress>(&shelter, &[1], &undirected)
        .await
        .refused(403);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM household_addresses WHERE household_id = 1"
        )
        .await,
        2
    );
}

#[tokio::test]
async fn s1_a_household_has_one_head_at_a_time() {
    let app = spawn_app().await;
    let c = app.sign_in("outreach.cw").await;
    // A second head while one is current: refused, naming relationship.
    let e = app
        .send::<ep::AddHouseholdMember>(&c, &[2], &join(3, Rel::SelfHeadOfHousehold, 0))
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("relationship"));
    assert!(e.error.contains("one head"));
    // A new household with two heads, or none: refused, naming members.
    let two = new_household(
        "Two",
        0,
        vec![
            member(3, Rel::SelfHeadOfHousehold),
            member(4, Rel::SelfHeadOfHousehold),
        ],
    );
    let e = app
        .send::<ep::CreateHousehold>(&c, &[], &two)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("members"));
    let none = new_household("None", 0, vec![member(3, Rel::Child)]);
    let e = app
        .send::<ep::CreateHousehold>(&c, &[], &none)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("members"));
    // The head's row does not end while the children stay (change the head instead).
    let v = app.get::<ep::GetHousehold>(&c, &[2]).await.ok();
    let head = row_of(&v, 14);
    let e = app
        .send::<ep::EndHouseholdMembership>(&c, &[head.id.0], &end(0))
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("end_date"));
    // A member may not join before the household has a head.
    let e = app
        .send::<ep::AddHouseholdMember>(&c, &[2], &join(3, Rel::Child, 300))
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("start_date"));
    // Once the children leave, the head's row may end too: the household is empty, then a new
    // head may join.
    for child in [7, 6] {
        app.send::<ep::EndHouseholdMembership>(&c, &[row_of(&v, child).id.0], &end(5))
            .await
            .ok();
    }
    app.send::<ep::EndHouseholdMembership>(&c, &[head.id.0], &end(5))
        .await
        .ok();
    let v = app
        .send::<ep::AddHouseholdMember>(&c, &[2], &join(3, Rel::SelfHeadOfHousehold, 0))
        .await
        .ok_with(201);
    assert_eq!(v.head_today, Some(ClientId(3)));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM household_members WHERE household_id = 2"
        )
        .await,
        4
    );
}

#[tokio::test]
async fn s1_a_client_belongs_to_one_household_at_a_time() {
    let app = spawn_app().await;
    let c = app.sign_in("housing.cw").await;
    // The Riveras' child (20) joins a new household: refused while still a Rivera.
    let body = new_household(
        "Moore",
        30,
        vec![
            member(3, Rel::SelfHeadOfHousehold),
            member(20, Rel::OtherRelative),
        ],
    );
    let e = app
        .send::<ep::CreateHousehold>(&c, &[], &body)
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("members"));
    assert!(e.error.contains("household #1"));
    let body = new_household("Moore", 30, vec![member(3, Rel::SelfHeadOfHousehold)]);
    let moore = app
        .send::<ep::CreateHousehold>(&c, &[], &body)
        .await
        .ok_with(201)
        .id
        .0;
    let e = app
        .send::<ep::AddHouseholdMember>(&c, &[moore], &join(20, Rel::OtherRelative, 10))
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("client_id"));
    // The child leaves the Riveras 10 days ago: joining from that day overlaps, the day after
    // does not.
    let riveras = app.get::<ep::GetHousehold>(&c, &[1]).await.ok();
    app.send::<ep::EndHouseholdMembership>(&c, &[row_of(&riveras, 20).id.0], &end(10))
        .await
        .ok();
    app.send::<ep::AddHouseholdMember>(&c, &[moore], &join(20, Rel::OtherRelative, 10))
        .await
        .refused(422);
    app.send::<ep::AddHouseholdMember>(&c, &[moore], &join(20, Rel::OtherRelative, 9))
        .await
        .ok_with(201);
    let mine = app.get::<ep::ListClientHouseholds>(&c, &[20]).await.ok();
    assert_eq!(mine.memberships.len(), 2);
    assert_eq!(mine.head_of_household.household, Some(HouseholdId(moore)));
    assert_eq!(mine.head_of_household.head, ClientId(3));
}

#[tokio::test]
async fn r9_the_checklist_follows_the_head_of_household_from_the_household() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let checklist = |id: i64| {
        let (app, c) = (&app, &c);
        async move { app.get::<ep::GetChecklist>(c, &[id]).await.ok() }
    };
    // The Riveras' head has the checklist, the child not; a client in no household is their own
    // head (a household of one).
    let head: Checklist = checklist(1).await;
    assert!(head.head_of_household);
    assert_eq!(head.documents.len(), 3);
    let child = checklist(20).await;
    assert!(!child.head_of_household);
    assert!(child.documents.is_empty());
    assert!(checklist(2).await.head_of_household);

    // The enrollment's flag is derived on its entry date: the body's is ignored.
    let body = NewEnrollment {
        program_id: ProgramId(1),
        case_name: "Rivera".into(),
        entry_date: today(),
        exit_date: None,
        move_in_date: None,
        head_of_household: true,
        ..crate::records::new_enrollment()
    };
    let e = app
        .send::<ep::CreateEnrollment>(&c, &[20], &body)
        .await
        .ok_with(201);
    match e.details {
        Some(RecordDetails::Enrollment(d)) => assert!(!d.head_of_household),
        other => panic!("{other:?}"),
    }

    // The head changes today: the checklist moves with it.
    let change = ChangeHeadRequest {
        client_id: ClientId(20),
        start_date: today(),
        relationships: vec![
            member(1, Rel::OtherRelative),
            member(27, Rel::OtherRelative),
        ],
    };
    app.send::<ep::ChangeHeadOfHousehold>(&c, &[1], &change)
        .await
        .ok();
    assert!(checklist(20).await.head_of_household);
    let was = checklist(1).await;
    assert!(!was.head_of_household);
    assert!(was.documents.is_empty());
}

#[tokio::test]
async fn r10_missing_case_managers_are_those_of_the_head_of_household() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    // Client 3 (Triangle's, with its case manager there) joins the household of client 8 as a
    // child 20 days ago, then is enrolled at the shelter (program 1) without a case manager.
    let body = new_household(
        "Ortiz",
        20,
        vec![member(8, Rel::SelfHeadOfHousehold), member(3, Rel::Child)],
    );
    let h = app
        .send::<ep::CreateHousehold>(&c, &[], &body)
        .await
        .ok_with(201);
    let body = NewEnrollment {
        program_id: ProgramId(1),
        case_name: "Ortiz".into(),
        entry_date: today() - Duration::days(5),
        exit_date: None,
        move_in_date: None,
        head_of_household: false,
        ..crate::records::new_enrollment()
    };
    app.send::<ep::CreateEnrollment>(&c, &[3], &body)
        .await
        .ok_with(201);
    // Not a head: no case-manager gap is reported for the child.
    let v = app.get::<ep::GetChecklist>(&c, &[3]).await.ok();
    assert!(v.missing_case_managers.is_empty());
    // A case manager is assigned to the head, not on the child's profile: refused, naming the
    // head.
    let assign = NewCaseManager {
        program_id: ProgramId(1),
        case_manager_id: UserId(3),
        start_date: today(),
        end_date: None,
    };
    let e = app
        .send::<ep::CreateCaseManager>(&c, &[3], &assign)
        .await
        .refused(403);
    assert_eq!(
        e.reason,
        Some(shared::Reason::NotHeadOfHousehold { head: ClientId(8) })
    );
    // The child leaves the household: now their own head, the shelter program has no case
    // manager.
    let row = row_of(&h, 3).id;
    app.send::<ep::EndHouseholdMembership>(&c, &[row.0], &end(1))
        .await
        .ok();
    let v = app.get::<ep::GetChecklist>(&c, &[3]).await.ok();
    assert!(v.head_of_household);
    assert_eq!(v.missing_case_managers.len(), 1);
    assert_eq!(v.missing_case_managers[0].program_id, ProgramId(1));
    app.send::<ep::CreateCaseManager>(&c, &[3], &assign)
        .await
        .ok_with(201);
    let v = app.get::<ep::GetChecklist>(&c, &[3]).await.ok();
    assert!(v.missing_case_managers.is_empty());
}

#[tokio::test]
async fn p3_p4_household_changes_keep_history_and_are_audited() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let body = new_household(
        "Hart",
        20,
        vec![
            member(3, Rel::SelfHeadOfHousehold),
            member(4, Rel::SpouseOrPartner),
        ],
    );
    let h = app
        .send::<ep::CreateHousehold>(&c, &[], &body)
        .await
        .ok_with(201);
    let id = h.id.0;
    let rename = RenameHouseholdRequest {
        family_name: "Hart-Lane".into(),
    };
    app.send::<ep::RenameHousehold>(&c, &[id], &rename)
        .await
        .ok();
    app.send::<ep::EndHouseholdMembership>(&c, &[row_of(&h, 4).id.0], &end(2))
        .await
        .ok();
    app.get::<ep::GetHousehold>(&c, &[id]).await.ok();
    let history: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT subject, action, old_value FROM household_history WHERE household_id = $1
         ORDER BY id",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let actions: Vec<(&str, &str)> = history
        .iter()
        .map(|(s, a, _)| (s.as_str(), a.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("household", "create"),
            ("member", "create"),
            ("member", "create"),
            ("household", "rename"),
            ("member", "end"),
        ]
    );
    assert!(history[3].2.contains("\"Hart\""), "{:?}", history[3]);
    // The history is append-only (P-3) and rows are never deleted.
    assert!(sqlx::query("UPDATE household_history SET action = 'x'")
        .execute(&app.pool)
        .await
        .is_err());
    assert!(sqlx::query("DELETE FROM household_members")
        .execute(&app.pool)
        .await
        .is_err());
    // P-4: each write and the read are audited against the member clients, by HMIS number.
    let audited = |like: String| {
        let app = &app;
        async move {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM audit_log WHERE action LIKE $1 AND hmis_number IN
                 ('H0001003', 'H0001004')",
            )
            .bind(like)
            .fetch_one(&app.pool)
            .await
            .unwrap();
            n
        }
    };
    assert_eq!(audited(format!("create household #{id}%")).await, 2);
    // A rename concerns every current member.
    assert_eq!(audited(format!("rename household #{id}")).await, 2);
    assert_eq!(
        audited(format!("end membership #%of household #{id}%")).await,
        1
    );
    assert_eq!(audited(format!("read household #{id}")).await, 2);
}

#[tokio::test]
async fn p5_bad_household_input_answers_422_naming_the_field() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, "SELECT COUNT(*) FROM household_members").await;
    let field = |a: Answer<HouseholdView>| a.refused(422).field.unwrap_or_default();
    let unknown = new_household("X", 0, vec![member(99999, Rel::SelfHeadOfHousehold)]);
    assert_eq!(
        field(app.send::<ep::CreateHousehold>(&c, &[], &unknown).await),
        "members"
    );
    let blank = new_household(" ", 0, vec![member(3, Rel::SelfHeadOfHousehold)]);
    assert_eq!(
        field(app.send::<ep::CreateHousehold>(&c, &[], &blank).await),
        "family_name"
    );
    let future = new_household("X", -400, vec![member(3, Rel::SelfHeadOfHousehold)]);
    assert_eq!(
        field(app.send::<ep::CreateHousehold>(&c, &[], &future).await),
        "start_date"
    );
    let stranger = join(99999, Rel::Child, 0);
    assert_eq!(
        field(
            app.send::<ep::AddHouseholdMember>(&c, &[1], &stranger)
                .await
        ),
        "client_id"
    );
    let mut backwards = join(3, Rel::Child, 0);
    backwards.end_date = Some(today() - Duration::days(1));
    assert_eq!(
        field(
            app.send::<ep::AddHouseholdMember>(&c, &[1], &backwards)
                .await
        ),
        "end_date"
    );
    // An unknown relationship code names the field; an unknown household is 404.
    let raw = serde_json::json!({
        "client_id": 3, "relationship": "cousin", "start_date": today(),
    });
    let (status, body) =
        crate::records::send(&app, &c, "POST", "/households/1/members", Some(raw)).await;
    assert_eq!(status, 422);
    assert_eq!(body["field"], "relationship");
    app.send::<ep::AddHouseholdMember>(&c, &[99999], &join(3, Rel::Child, 0))
        .await
        .refused(404);
    app.send::<ep::EndHouseholdMembership>(&c, &[99999], &end(0))
        .await
        .refused(404);
    let e = app
        .send::<ep::CreateHouseholdAddress>(&c, &[1], &address("", 0, vec![]))
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("value"));
    let e = app
        .send::<ep::CreateHouseholdAddress>(
            &c,
            &[1],
            &address("2 B St", 0, vec![HouseholdAddressId(999)]),
        )
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("replaces"));
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM household_members").await,
        before
    );
    let _ = MembershipId(0);
}

/// Sends `bodies[i]` to `E` at `ids` as session `i % sessions.len()`, all at once.
async fn all_at_once<E>(
    app: &TestApp,
    sessions: &[reqwest::Client],
    ids: &[i64],
    bodies: Vec<E::Body>,
) -> Vec<u16>
where
    E: shared::api::Endpoint<Query = NoQuery> + 'static,
    E::Body: Send + Sync + 'static,
    E::Response: serde::de::DeserializeOwned + Send + 'static,
{
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(bodies.len()));
    let mut tasks = Vec::new();
    for (i, body) in bodies.into_iter().enumerate() {
        let c = sessions[i % sessions.len()].clone();
        let (base, ids) = (app.url(""), ids.to_vec());
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            call_at::<E>(&base, &c, &ids, &NoQuery, &body).await.status
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn s1_agencies_adding_a_second_head_at_once_exactly_one_succeeds() {
    let app = spawn_app().await;
    let mut sessions = Vec::new();
    for u in ["shelter.cw", "housing.cw", "outreach.cw", "coc.admin"] {
        sessions.push(app.sign_in(u).await);
    }
    // The Okonkwos' members all left five days ago: the household is empty. Eight requests of
    // four agencies each add a different client as its new head, at once.
    let v = app.get::<ep::GetHousehold>(&sessions[0], &[2]).await.ok();
    for client in [7, 6, 14] {
        app.send::<ep::EndHouseholdMembership>(&sessions[0], &[row_of(&v, client).id.0], &end(5))
            .await
            .ok();
    }
    let candidates = [3, 4, 5, 8, 9, 10, 12, 13];
    let bodies: Vec<NewMemberRequest> = candidates
        .iter()
        .map(|c| join(*c, Rel::SelfHeadOfHousehold, 0))
        .collect();
    let statuses = all_at_once::<ep::AddHouseholdMember>(&app, &sessions, &[2], bodies).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 422),
        "{statuses:?}"
    );
    let heads = count(
        &app,
        "SELECT COUNT(*) FROM household_members WHERE household_id = 2
         AND relationship = 'self_head_of_household' AND end_date IS NULL",
    )
    .await;
    assert_eq!(heads, 1);

    // One client, eight new households at once: exactly one of them gets the client.
    let bodies: Vec<NewHouseholdRequest> = (0..8)
        .map(|n| {
            new_household(
                &format!("Race {n}"),
                0,
                vec![member(15, Rel::SelfHeadOfHousehold)],
            )
        })
        .collect();
    let statuses = all_at_once::<ep::CreateHousehold>(&app, &sessions, &[], bodies).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses.iter().all(|s| *s == 201 || *s == 422),
        "{statuses:?}"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM household_members WHERE client_id = 15"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn r5_a_household_address_change_may_notify_the_agency_that_entered_the_old_row() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    // The Nguyens' current address was entered by Eno River Housing (org 3), the one before by
    // the shelter and end-dated 31 days ago.
    let v = app.get::<ep::GetHousehold>(&c, &[3]).await.ok();
    assert_eq!(v.addresses.len(), 2);
    assert_eq!(v.addresses[0].end_date, Some(today() - Duration::days(31)));
    let current = v.addresses[1].clone();
    assert!(current.current);
    assert_eq!(current.entered_by.org_name, "Eno River Housing");
    let mut change = address("40 Fayetteville St, Durham NC 27701", 0, vec![current.id]);
    change.notify_owners = true;
    let r = app
        .send::<ep::CreateHouseholdAddress>(&c, &[3], &change)
        .await
        .ok_with(201);
    assert_eq!(r.may_notify, [shared::OrgId(3)]);
    assert_eq!(r.notified, [shared::OrgId(3)]);
    // The notice names the head's HMIS number only: client 11 is H0001011.
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE hmis_number = 'H0001011'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(n >= 1, "a notification for the head's HMIS number");
}

#[tokio::test]
async fn p3_a_household_write_sent_again_with_its_key_is_stored_once() {
    let app = spawn_app().await;
    let c = app.sign_in("shelter.cw").await;
    let before = count(&app, "SELECT COUNT(*) FROM household_members").await;
    let body = new_household("Keyed", 5, vec![member(3, Rel::SelfHeadOfHousehold)]);
    let first = app
        .call_keyed::<ep::CreateHousehold>(&c, "household", &[], &NoQuery, &body)
        .await
        .ok_with(201);
    let again = app
        .call_keyed::<ep::CreateHousehold>(&c, "household", &[], &NoQuery, &body)
        .await;
    assert!(again.replayed);
    assert_eq!(again.ok_with(201).id, first.id);
    // A member added twice under one key: the first answer again, not "already a member".
    let id = first.id.0;
    let child = join(4, Rel::Child, 1);
    for replay in [false, true] {
        let a = app
            .call_keyed::<ep::AddHouseholdMember>(&c, "member", &[id], &NoQuery, &child)
            .await;
        assert_eq!(a.replayed, replay);
        a.ok_with(201);
    }
    let home = address("3 Keyed Ct", 1, vec![]);
    for replay in [false, true] {
        let a = app
            .call_keyed::<ep::CreateHouseholdAddress>(&c, "address", &[id], &NoQuery, &home)
            .await;
        assert_eq!(a.replayed, replay);
        a.ok_with(201);
    }
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM household_members").await,
        before + 2
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM households WHERE family_name = 'Keyed'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            &format!("SELECT COUNT(*) FROM household_addresses WHERE household_id = {id}")
        )
        .await,
        1
    );
}
