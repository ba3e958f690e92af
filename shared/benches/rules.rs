//! Benchmarks (`cargo bench -p shared`): one read decision, redaction of a 500-record client file,
//! and the same read policy written in Cedar (cedar-policy) on identical inputs, in the same run.
//! Cedar gets every advantage: its policy set, entities and requests are built outside the timed
//! loop; only `is_authorized` is measured. Setup asserts that Cedar and `can_read` agree.

use cedar_policy::{
    Authorizer, Context, Decision as CedarDecision, Entities, EntityUid, PolicySet, Request,
    RestrictedExpression,
};
use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use shared::model::Provenance;
use shared::*;
use std::hint::black_box;
use std::str::FromStr;

#[path = "../tests/support/client_file.rs"]
mod client_file;

use client_file::{client_file, created, day};

struct Fixture {
    actor: Actor,
    today: NaiveDate,
    rois: Vec<Roi>,
    mous: Vec<Mou>,
    records: Vec<RecordMeta>,
    /// The single-decision record: a ShareWithRoiMou form of another agency, shared by ROI.
    one: RecordMeta,
}

fn fixture() -> Fixture {
    let (rois, mous, records) = client_file();
    let one = RecordMeta {
        id: RecordId(9999),
        client: ClientId(7),
        kind: RecordKind::Form,
        provenance: Provenance {
            org: OrgId(1),
            author: UserId(10),
            created_at: created(),
        },
        security: Some(SecuritySetting::ShareWithRoiMou),
        deleted: false,
    };
    Fixture {
        actor: Actor {
            user: UserId(20),
            org: OrgId(2),
            role: Role::Caseworker,
        },
        today: day("2026-11-22"),
        rois,
        mous,
        records,
        one,
    }
}

fn days(d: NaiveDate) -> i64 {
    (d - NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch")).num_days()
}

fn org_list(orgs: impl IntoIterator<Item = OrgId>) -> String {
    orgs.into_iter()
        .map(|o| format!("Org::\"{}\"", o.0))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The read policy in Cedar: the fixed rules, plus one generated policy per ROI and per complete
/// MOU (dates compared in Cedar against `context.today`).
fn cedar_policies(rois: &[Roi], mous: &[Mou]) -> PolicySet {
    let mut src = String::from(
        r#"
permit(principal, action == Action::"read", resource) when { principal.role == "SystemAdmin" };
permit(principal, action == Action::"read", resource) when {
  !resource.deleted &&
  ["Intake", "FamilyContact", "Demographics", "Photo", "Enrollment", "Service", "CaseManager", "ProfileNote"].contains(resource.kind)
};
permit(principal, action == Action::"read", resource) when { !resource.deleted && principal.org == resource.owner };
permit(principal, action == Action::"read", resource) when {
  !resource.deleted && resource.kind == "Attachment" && resource.setting == "SharedWithAll"
};
"#,
    );
    for r in rois {
        let revoked = r.revoked.as_ref().map_or(i64::MAX, |x| days(x.on));
        src.push_str(&format!(
            r#"permit(principal, action == Action::"read", resource) when {{
  !resource.deleted && ["Form", "Attachment"].contains(resource.kind) && resource.setting != "RestrictToOrganization" &&
  resource.client == {client} && [{orgs}].contains(principal.org) && [{orgs}].contains(resource.owner) &&
  context.today >= {start} && context.today <= {end} && context.today < {revoked}
}};
"#,
            client = r.client.0,
            orgs = org_list(r.orgs.iter().copied()),
            start = days(r.start),
            end = days(r.end),
        ));
    }
    for m in mous.iter().filter(|m| m.is_complete()) {
        let terminated = m.terminated.as_ref().map_or(i64::MAX, |x| days(x.on));
        src.push_str(&format!(
            r#"permit(principal, action == Action::"read", resource) when {{
  !resource.deleted && ["Form", "Attachment"].contains(resource.kind) && resource.setting != "RestrictToOrganization" &&
  [{orgs}].contains(principal.org) && [{orgs}].contains(resource.owner) &&
  context.today >= {start} && context.today <= {end} && context.today < {terminated}
}};
"#,
            orgs = org_list(m.parties.iter().map(|p| p.org)),
            start = days(m.start),
            end = days(m.end),
        ));
    }
    PolicySet::from_str(&src).expect("cedar policy parses")
}

fn cedar_entities(actor: &Actor, records: &[RecordMeta]) -> Entities {
    let role = format!("{:?}", actor.role);
    let mut list = vec![serde_json::json!({
        "uid": {"type": "User", "id": actor.user.0.to_string()},
        "attrs": {"org": {"__entity": {"type": "Org", "id": actor.org.0.to_string()}}, "role": role},
        "parents": []
    })];
    for r in records {
        let setting = r
            .security
            .map_or("default".to_owned(), |s| format!("{s:?}"));
        list.push(serde_json::json!({
            "uid": {"type": "Record", "id": r.id.0.to_string()},
            "attrs": {
                "owner": {"__entity": {"type": "Org", "id": r.provenance.org.0.to_string()}},
                "kind": format!("{:?}", r.kind),
                "setting": setting,
                "client": r.client.0,
                "deleted": r.deleted,
            },
            "parents": []
        }));
    }
    Entities::from_json_value(serde_json::Value::Array(list), None).expect("cedar entities")
}

fn cedar_request(actor: &Actor, record: &RecordMeta, today: NaiveDate) -> Request {
    let principal = EntityUid::from_str(&format!("User::\"{}\"", actor.user.0)).expect("uid");
    let action = EntityUid::from_str("Action::\"read\"").expect("uid");
    let resource = EntityUid::from_str(&format!("Record::\"{}\"", record.id.0)).expect("uid");
    let context = Context::from_pairs([(
        "today".to_owned(),
        RestrictedExpression::new_long(days(today)),
    )])
    .expect("context");
    Request::new(principal, action, resource, context, None).expect("request")
}

fn bench(c: &mut Criterion) {
    let f = fixture();
    let policy = PolicyConfig::default();
    let ctx = SharingContext {
        rois: &f.rois,
        mous: &f.mous,
    };

    // Cedar setup, and proof that it is the same policy on these inputs.
    let mut all = f.records.clone();
    all.push(f.one);
    let policies = cedar_policies(&f.rois, &f.mous);
    let entities = cedar_entities(&f.actor, &all);
    let authorizer = Authorizer::new();
    let requests: Vec<Request> = f
        .records
        .iter()
        .map(|r| cedar_request(&f.actor, r, f.today))
        .collect();
    let one_request = cedar_request(&f.actor, &f.one, f.today);
    for (r, req) in all
        .iter()
        .zip(requests.iter().chain(std::iter::once(&one_request)))
    {
        let cedar = authorizer
            .is_authorized(req, &policies, &entities)
            .decision()
            == CedarDecision::Allow;
        assert_eq!(
            cedar,
            can_read(&f.actor, r, &ctx, f.today, &policy).allowed,
            "{r:?}"
        );
    }
    let visible = redact(&f.actor, f.today, &ctx, &policy, f.records.iter())
        .visible
        .len();
    println!("fixture: 500 records, {visible} visible to the actor, Cedar agrees on all 501");

    c.bench_function("one decision (can_read, shared by ROI)", |b| {
        b.iter(|| {
            can_read(
                black_box(&f.actor),
                black_box(&f.one),
                black_box(&ctx),
                black_box(f.today),
                black_box(&policy),
            )
        })
    });
    c.bench_function("redact 500-record client file", |b| {
        b.iter(|| {
            redact(
                black_box(&f.actor),
                black_box(f.today),
                black_box(&ctx),
                black_box(&policy),
                black_box(&f.records).iter(),
            )
        })
    });
    c.bench_function("cedar: one decision", |b| {
        b.iter(|| {
            authorizer
                .is_authorized(
                    black_box(&one_request),
                    black_box(&policies),
                    black_box(&entities),
                )
                .decision()
        })
    });
    c.bench_function("cedar: 500-record client file", |b| {
        b.iter(|| {
            requests
                .iter()
                .filter(|req| {
                    authorizer
                        .is_authorized(black_box(req), &policies, &entities)
                        .decision()
                        == CedarDecision::Allow
                })
                .count()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
