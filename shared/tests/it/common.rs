//! Builders for test data: actors, records, ROIs and MOUs on fixed dates.

use chrono::{NaiveDate, NaiveDateTime};
use shared::model::{Attestation, MouParty, Revocation, Signature};
use shared::*;

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn today() -> NaiveDate {
    d("2026-11-22")
}

pub fn at(s: &str) -> NaiveDateTime {
    d(s).and_hms_opt(9, 0, 0).unwrap()
}

pub fn actor(user: i64, org: i64, role: Role) -> Actor {
    Actor {
        user: UserId(user),
        org: OrgId(org),
        role,
    }
}

/// Caseworker `user` at `org`.
pub fn cw(user: i64, org: i64) -> Actor {
    actor(user, org, Role::Caseworker)
}

pub fn admin(user: i64, org: i64) -> Actor {
    actor(user, org, Role::AgencyAdmin)
}

pub fn sysadmin() -> Actor {
    actor(900, 99, Role::SystemAdmin)
}

pub fn record(
    kind: RecordKind,
    org: i64,
    author: i64,
    security: Option<SecuritySetting>,
) -> RecordMeta {
    RecordMeta {
        id: RecordId(1),
        client: ClientId(7),
        kind,
        provenance: Provenance {
            org: OrgId(org),
            author: UserId(author),
            created_at: at("2026-01-05"),
        },
        security,
        deleted: false,
    }
}

pub fn form(org: i64, security: SecuritySetting) -> RecordMeta {
    record(RecordKind::Form, org, 10 * org, Some(security))
}

pub fn roi(id: i64, orgs: &[i64], start: &str, end: &str) -> Roi {
    Roi {
        id: RoiId(id),
        client: ClientId(7),
        orgs: orgs.iter().map(|o| OrgId(*o)).collect(),
        start: d(start),
        end: d(end),
        attestation: Attestation {
            by: UserId(10 * orgs[0]),
            org: OrgId(orgs[0]),
            on: d(start),
        },
        document: None,
        revoked: None,
    }
}

pub fn revoke(mut r: Roi, on: &str) -> Roi {
    r.revoked = Some(Revocation {
        by: UserId(1),
        on: d(on),
    });
    r
}

pub fn mou(id: i64, name: &str, orgs: &[i64], start: &str, end: &str) -> Mou {
    Mou {
        id: MouId(id),
        name: name.to_owned(),
        parties: orgs
            .iter()
            .map(|o| MouParty {
                org: OrgId(*o),
                signature: Some(Signature {
                    name: format!("Director {o}"),
                    title: "Executive Director".to_owned(),
                    date: d(start),
                }),
            })
            .collect(),
        document: Some("mou.pdf".to_owned()),
        start: d(start),
        end: d(end),
        terminated: None,
    }
}

pub fn ctx<'a>(rois: &'a [Roi], mous: &'a [Mou]) -> SharingContext<'a> {
    SharingContext { rois, mous }
}

pub fn org_name(o: OrgId) -> String {
    format!("Agency {}", o.0)
}
