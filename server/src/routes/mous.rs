//! `/api/v1/mous`: MOUs between agencies (S-4, S-6), listed, created, signed and terminated. The
//! use cases are `services::releases`; an MOU's signed document is `documents`.

use crate::error::ApiError;
use crate::extract::{Json, PathId};
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::services::releases::{self, mou_view};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use shared::api::endpoints as ep;
use shared::api::endpoints::MouImpactQuery;
use shared::api::releases::{
    ImpactPair, ImpactRow, MouImpactView, MouView, NewMouRequest, SignatureRequest,
    TerminateRequest,
};
use shared::api::OrgName;
use shared::impact::MouChange;
use shared::model::{MouParty, Revocation, Signature};
use shared::{Mou, MouId, OrgId, RecordKind, UserId};

// ---- OpenAPI examples: the demo's MOUs, seen on 2026-11-22 ----

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn example_today() -> NaiveDate {
    day(2026, 11, 22)
}

fn org_names_example() -> Vec<OrgName> {
    [
        "Durham CoC Lead Agency",
        "Bull City Shelter",
        "Eno River Housing",
        "Triangle Outreach Services",
    ]
    .iter()
    .zip(1..)
    .map(|(name, id)| OrgName {
        id: OrgId(id),
        name: (*name).to_owned(),
    })
    .collect()
}

fn signature_example(name: &str, date: NaiveDate) -> Option<Signature> {
    Some(Signature {
        name: name.into(),
        title: "Executive Director".into(),
        date,
    })
}

/// The demo's complete MOU between Eno River Housing and Triangle Outreach Services.
fn active_mou_example() -> Mou {
    let signed = day(2026, 8, 24);
    Mou {
        id: MouId(1),
        name: "Durham Housing Partners".into(),
        parties: vec![
            MouParty {
                org: OrgId(3),
                signature: signature_example("Chris Alvarez", signed),
            },
            MouParty {
                org: OrgId(4),
                signature: signature_example("Jo Kim", signed),
            },
        ],
        document: Some("documents/2".into()),
        start: signed,
        end: signed + chrono::Duration::days(730),
        terminated: None,
    }
}

fn mou_view_example(mou: Mou) -> MouView {
    mou_view(mou, &org_names_example(), example_today())
}

fn mous_example() -> Vec<MouView> {
    vec![mou_view_example(active_mou_example())]
}

fn new_mou_request_example() -> NewMouRequest {
    NewMouRequest {
        name: "Bull City and Eno River Housing Partnership".into(),
        organizations: vec![OrgId(2), OrgId(3)],
        start: day(2027, 1, 1),
        end: day(2028, 12, 31),
    }
}

fn new_mou_example() -> MouView {
    let req = new_mou_request_example();
    mou_view_example(Mou {
        id: MouId(3),
        name: req.name,
        parties: req
            .organizations
            .into_iter()
            .map(|org| MouParty {
                org,
                signature: None,
            })
            .collect(),
        document: None,
        start: req.start,
        end: req.end,
        terminated: None,
    })
}

fn signature_request_example() -> SignatureRequest {
    SignatureRequest {
        org: OrgId(4),
        name: "Jo Kim".into(),
        title: "Executive Director".into(),
        date: example_today(),
    }
}

/// The demo's pilot MOU once Triangle Outreach Services' signature is recorded.
fn signed_mou_example() -> MouView {
    let signed = day(2026, 8, 24);
    mou_view_example(Mou {
        id: MouId(2),
        name: "Shelter and Outreach Pilot".into(),
        parties: vec![
            MouParty {
                org: OrgId(2),
                signature: signature_example("Pat Morgan", signed),
            },
            MouParty {
                org: OrgId(4),
                signature: signature_example("Jo Kim", example_today()),
            },
        ],
        document: None,
        start: signed,
        end: signed + chrono::Duration::days(730),
        terminated: None,
    })
}

fn terminated_mou_example() -> MouView {
    mou_view_example(Mou {
        terminated: Some(Revocation {
            by: UserId(1),
            on: day(2026, 12, 31),
        }),
        ..active_mou_example()
    })
}

crate::documented!(ep::ListMous {
    response: Vec<MouView> = mous_example();
});

crate::documented!(ep::CreateMou {
    request: NewMouRequest = new_mou_request_example();
    response: MouView = new_mou_example();
});

crate::documented!(ep::GetMou {
    response: MouView = mou_view_example(active_mou_example());
});

crate::documented!(ep::SignMou {
    request: SignatureRequest = signature_request_example();
    response: MouView = signed_mou_example();
});

crate::documented!(ep::TerminateMou {
    request: TerminateRequest = TerminateRequest {
                date: Some(day(2026, 12, 31)),
            };
    response: MouView = terminated_mou_example();
});

fn impact_example() -> MouImpactView {
    let names = org_names_example();
    MouImpactView {
        mou: MouId(3),
        change: MouChange::Activate,
        on: day(2027, 1, 1),
        rows: vec![
            ImpactRow {
                reader: names[2].clone(),
                owner: names[1].clone(),
                kind: RecordKind::Form,
                records: 37,
                clients: 12,
            },
            ImpactRow {
                reader: names[2].clone(),
                owner: names[1].clone(),
                kind: RecordKind::Attachment,
                records: 4,
                clients: 3,
            },
        ],
        pairs: vec![ImpactPair {
            reader: names[2].clone(),
            owner: names[1].clone(),
            clients: 12,
        }],
    }
}

crate::documented!(ep::GetMouImpact {
    response: MouImpactView = impact_example();
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::ListMous, _>(list_mous)
        .at::<ep::CreateMou, _>(create_mou)
        .at::<ep::GetMou, _>(get_mou)
        .at::<ep::SignMou, _>(sign_mou)
        .at::<ep::TerminateMou, _>(terminate_mou)
        .at::<ep::GetMouImpact, _>(mou_impact)
}

/// `GET /mous`: every MOU and where it stands, to every signed-in user: agencies need to know
/// which agreements exist. No document content.
async fn list_mous(
    State(state): State<AppState>,
    _auth: AuthUser,
) -> Result<Json<Vec<MouView>>, ApiError> {
    Ok(Json(releases::list_mous(&state).await?))
}

/// `GET /mous/{id}`.
async fn get_mou(
    State(state): State<AppState>,
    _auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<MouView>, ApiError> {
    Ok(Json(releases::get_mou(&state, MouId(id)).await?))
}

/// `POST /mous`: a SystemAdmin creates an MOU naming two or more organizations, unsigned.
async fn create_mou(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<NewMouRequest>,
) -> Result<(StatusCode, Json<MouView>), ApiError> {
    let mou = releases::create_mou(&state, &auth.actor, body).await?;
    Ok((StatusCode::CREATED, Json(mou)))
}

/// `POST /mous/{id}/signatures`: a SystemAdmin records one named organization's head's signature.
async fn sign_mou(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<SignatureRequest>,
) -> Result<Json<MouView>, ApiError> {
    Ok(Json(
        releases::sign_mou(&state, &auth.actor, MouId(id), body).await?,
    ))
}

/// `POST /mous/{id}/terminate`: a SystemAdmin ends an MOU early, effective `date` (default
/// today; not in the past, so decisions already made stay explained by the record).
async fn terminate_mou(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<TerminateRequest>,
) -> Result<Json<MouView>, ApiError> {
    Ok(Json(
        releases::terminate_mou(&state, &auth.actor, MouId(id), body).await?,
    ))
}

/// `GET /mous/{id}/impact?change=&on=`: a SystemAdmin previews what activating or terminating
/// the MOU releases or withdraws, counted by organization pair and record kind.
async fn mou_impact(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    crate::extract::Query(q): crate::extract::Query<MouImpactQuery>,
) -> Result<Json<MouImpactView>, ApiError> {
    let view = releases::mou_impact(
        &state,
        &auth.actor,
        MouId(id),
        q.change.as_deref(),
        q.on.as_deref(),
    )
    .await?;
    Ok(Json(view))
}
