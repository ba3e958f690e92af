//! Issue 15 duplicates linked, not merged (`shared::links`): any caseworker links two records of
//! one person; search returns the pair once; only a SystemAdmin or an AgencyAdmin of the linking
//! agency undoes it, with nothing lost (P-3); audited for both records (P-4); the agencies that
//! entered either record are notified by HMIS number only.

use crate::search::{create, person, search};
use crate::support::{spawn_app, TestApp};
use shared::api::endpoints as ep;
use shared::api::links::{ClientLinkView, ClientLinks, NewLinkRequest};
use shared::ClientId;

/// Two records of one person, entered by Bull City Shelter and Eno River Housing.
async fn pair(app: &TestApp) -> ((i64, String), (i64, String)) {
    let shelter = app.sign_in("shelter.cw").await;
    let housing = app.sign_in("housing.cw").await;
    let a = create(
        app,
        &shelter,
        person("Darnell", "Whitcombe", Some("1979-08-09"), None),
    )
    .await;
    let b = create(
        app,
        &housing,
        person("Darnel", "Whitcomb", Some("1979-08-09"), None),
    )
    .await;
    (a, b)
}

async fn link(app: &TestApp, c: &reqwest::Client, a: i64, b: i64) -> ClientLinkView {
    app.send::<ep::LinkClients>(c, &[a], &NewLinkRequest { other: ClientId(b) })
        .await
        .ok_with(201)
}

async fn links_of(app: &TestApp, c: &reqwest::Client, id: i64) -> ClientLinks {
    app.get::<ep::ListClientLinks>(c, &[id]).await.ok_with(200)
}

#[tokio::test]
async fn r13_a_caseworker_links_two_records_and_both_entering_agencies_are_told_by_hmis_number() {
    let app = spawn_app().await;
    let ((a, ha), (b, hb)) = pair(&app).await;
    let outreach = app.sign_in("outreach.cw").await;
    let v = link(&app, &outreach, a, b).await;
    assert_eq!(v.other.hmis_number.to_string(), hb);
    assert!(v.link.is_live());
    assert_eq!(v.org_name, "Triangle Outreach Services");
    // Each record's links show the other, whichever side is asked.
    let from_b = links_of(&app, &outreach, b).await;
    assert_eq!(from_b.links.len(), 1);
    assert_eq!(from_b.links[0].other.hmis_number.to_string(), ha);
    // The AgencyAdmins of both entering agencies are notified, by HMIS numbers only.
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT n.hmis_number, n.subject, n.body FROM notifications n
         JOIN users u ON u.id = n.user_id WHERE u.username IN ('shelter.admin', 'housing.admin')
         ORDER BY u.username",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let about: Vec<&str> = rows.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(
        about,
        [hb.as_str(), ha.as_str()],
        "housing.admin, shelter.admin"
    );
    for (_, subject, body) in &rows {
        assert!(subject.contains(&ha) && subject.contains(&hb), "{subject}");
        for pii in ["Darnel", "Whitcomb", "1979"] {
            assert!(
                !subject.contains(pii) && !body.contains(pii),
                "R-13: {body}"
            );
        }
    }
    // P-4: the link is audited against both records.
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'link clients' AND hmis_number IN ($1, $2)",
    )
    .bind(&ha)
    .bind(&hb)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(n, 2);
}

#[tokio::test]
async fn issue15_search_returns_a_linked_pair_once_naming_the_other_record() {
    let app = spawn_app().await;
    let ((a, ha), (b, hb)) = pair(&app).await;
    let c = app.sign_in("outreach.cw").await;
    assert_eq!(search(&app, &c, "whitcomb").await.len(), 2);
    link(&app, &c, a, b).await;
    let found = search(&app, &c, "Darnell Whitcombe").await;
    assert_eq!(found.len(), 1, "{found:?}");
    let shown = found[0].hmis_number.to_string();
    let named: Vec<String> = found[0].same_person.iter().map(|h| h.to_string()).collect();
    let mut both = vec![shown, named[0].clone()];
    both.sort();
    let mut expected = vec![ha, hb];
    expected.sort();
    assert_eq!(both, expected);
}

#[tokio::test]
async fn p3_only_a_system_admin_or_an_admin_of_the_linking_agency_undoes_a_link_and_nothing_is_lost(
) {
    let app = spawn_app().await;
    let ((a, _), (b, _)) = pair(&app).await;
    let shelter_cw = app.sign_in("shelter.cw").await;
    let v = link(&app, &shelter_cw, a, b).await;
    let id = v.link.id.0;
    // The linking caseworker may not undo it: the reason names who may.
    let e = app
        .get::<ep::UnlinkClients>(&shelter_cw, &[id])
        .await
        .refused(403);
    assert!(
        e.error
            .starts_with("Only a system administrator or an administrator of"),
        "{}",
        e.error
    );
    // Nor an administrator of another agency.
    let housing_admin = app.sign_in("housing.admin").await;
    app.get::<ep::UnlinkClients>(&housing_admin, &[id])
        .await
        .refused(403);
    // The linking agency's administrator may.
    let shelter_admin = app.sign_in("shelter.admin").await;
    let ended = app
        .get::<ep::UnlinkClients>(&shelter_admin, &[id])
        .await
        .ok_with(200);
    assert!(!ended.link.is_live());
    // Once only.
    app.get::<ep::UnlinkClients>(&shelter_admin, &[id])
        .await
        .refused(409);
    // Nothing lost: the link is history, both records are as they were and found apart.
    let history = links_of(&app, &shelter_cw, a).await;
    assert_eq!(history.links.len(), 1);
    assert!(history.links[0].link.ended_at.is_some());
    assert_eq!(search(&app, &shelter_cw, "whitcomb").await.len(), 2);
    let delete = sqlx::query("DELETE FROM client_links")
        .execute(&app.pool)
        .await;
    assert!(delete.is_err(), "the database refuses to delete a link");
    // They may be linked again; a SystemAdmin may undo any link.
    let again = link(&app, &shelter_cw, b, a).await;
    let coc = app.sign_in("coc.admin").await;
    app.get::<ep::UnlinkClients>(&coc, &[again.link.id.0])
        .await
        .ok_with(200);
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'unlink clients'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(n, 4, "two unlinks, each audited for both records");
}

#[tokio::test]
async fn issue15_a_record_is_linked_to_one_other_at_most_and_never_to_itself() {
    let app = spawn_app().await;
    let ((a, _), (b, _)) = pair(&app).await;
    let c = app.sign_in("outreach.cw").await;
    let (third, _) = create(&app, &c, person("D", "Whitcombe", None, None)).await;
    app.send::<ep::LinkClients>(&c, &[a], &NewLinkRequest { other: ClientId(a) })
        .await
        .refused(403);
    let e = app
        .send::<ep::LinkClients>(
            &c,
            &[a],
            &NewLinkRequest {
                other: ClientId(999_999),
            },
        )
        .await
        .refused(422);
    assert_eq!(e.field.as_deref(), Some("other"));
    link(&app, &c, a, b).await;
    let e = app
        .send::<ep::LinkClients>(&c, &[third], &NewLinkRequest { other: ClientId(b) })
        .await
        .refused(409);
    assert_eq!(e.field.as_deref(), Some("other"));
}

#[tokio::test]
async fn issue15_two_agencies_linking_the_same_pair_at_once_exactly_one_succeeds() {
    for round in 0..3 {
        let app = spawn_app().await;
        let ((a, _), (b, _)) = pair(&app).await;
        let shelter = app.sign_in("shelter.cw").await;
        let housing = app.sign_in("housing.cw").await;
        let (ia, ib) = ([a], [b]);
        let (to_b, to_a) = (
            NewLinkRequest { other: ClientId(b) },
            NewLinkRequest { other: ClientId(a) },
        );
        let (x, y) = tokio::join!(
            app.send::<ep::LinkClients>(&shelter, &ia, &to_b),
            app.send::<ep::LinkClients>(&housing, &ib, &to_a),
        );
        let mut statuses = [x.status, y.status];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "round {round}");
        // And undoing it at once by both admins who may: one succeeds, the other is told.
        let link = links_of(&app, &shelter, a).await.links[0].link.clone();
        let admin = if link.org == shelter_org(&app).await {
            "shelter.admin"
        } else {
            "housing.admin"
        };
        let (admin, coc) = (app.sign_in(admin).await, app.sign_in("coc.admin").await);
        let ids = [link.id.0];
        let (x, y) = tokio::join!(
            app.get::<ep::UnlinkClients>(&admin, &ids),
            app.get::<ep::UnlinkClients>(&coc, &ids),
        );
        let mut statuses = [x.status, y.status];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "round {round}");
    }
}

async fn shelter_org(app: &TestApp) -> shared::OrgId {
    let (id,): (i64,) = sqlx::query_as("SELECT org_id FROM users WHERE username = 'shelter.cw'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    shared::OrgId(id)
}
