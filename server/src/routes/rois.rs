//! `/api/v1/clients/{id}/rois`, `/api/v1/rois/{id}/revoke` and `/api/v1/rois`: a client's
//! releases of information (S-3), set and revoked, and the caller's agency's releases ending
//! soon, and `/api/v1/agency-rois`, the agency's releases whatever their status. The use cases are `services::releases`; the ROI's signed document is `documents`.

use crate::error::ApiError;
use crate::extract::{Json, PathId};
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::services::releases::{self, roi_view};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use shared::api::endpoints as ep;
use shared::api::endpoints::{AgencyRoiQuery, RoiListQuery};
use shared::api::releases::{AgencyRoi, AgencyRois, EndingRoi, EndingRois, NewRoiRequest, RoiView};
use shared::model::{Attestation, Revocation};
use shared::{ClientId, OrgId, Roi, RoiId, UserId};

// ---- OpenAPI examples: the demo's ROIs, seen on 2026-11-22 ----

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn example_today() -> NaiveDate {
    day(2026, 11, 22)
}

/// An ROI set by Maria Lopez of Bull City Shelter for client 1, naming Eno River Housing.
fn roi_example(id: i64, start: NaiveDate, document: Option<&str>) -> Roi {
    Roi {
        id: RoiId(id),
        client: ClientId(1),
        orgs: vec![OrgId(2), OrgId(3)],
        start,
        end: start + chrono::Duration::days(365),
        attestation: Attestation {
            by: UserId(3),
            org: OrgId(2),
            on: start,
        },
        document: document.map(str::to_owned),
        revoked: None,
    }
}

fn rois_example() -> Vec<RoiView> {
    vec![roi_view(
        roi_example(1, day(2026, 10, 23), Some("documents/1")),
        example_today(),
    )]
}

fn new_roi_example() -> RoiView {
    roi_view(roi_example(4, example_today(), None), example_today())
}

fn revoked_roi_example() -> RoiView {
    let mut roi = roi_example(1, day(2026, 10, 23), Some("documents/1"));
    roi.revoked = Some(Revocation {
        by: UserId(3),
        on: example_today(),
    });
    roi_view(roi, example_today())
}

crate::documented!(ep::ListRois {
    response: Vec<RoiView> = rois_example();
});

crate::documented!(ep::CreateRoi {
    request: NewRoiRequest = NewRoiRequest {
                organizations: vec![OrgId(2), OrgId(3)],
                start: None,
                end: None,
                attested: true,
            };
    response: RoiView = new_roi_example();
});

fn ending_rois_example() -> EndingRois {
    let roi = roi_example(7, day(2025, 12, 10), Some("documents/3"));
    EndingRois {
        within_days: 30,
        until: day(2026, 12, 22),
        rois: vec![EndingRoi {
            id: roi.id,
            client: roi.client,
            hmis_number: shared::HmisNumber::from_sequence(1001).unwrap_or_else(|_| unreachable!()),
            first_name: "Alex".into(),
            last_name: "Rivera".into(),
            orgs: roi.orgs,
            start: roi.start,
            end: roi.end,
            days_left: (roi.end - example_today()).num_days(),
        }],
    }
}

crate::documented!(ep::ListEndingRois {
    response: EndingRois = ending_rois_example();
});

fn agency_rois_example() -> AgencyRois {
    let roi = roi_example(7, day(2025, 12, 10), Some("documents/3"));
    AgencyRois {
        today: example_today(),
        rois: vec![AgencyRoi {
            id: roi.id,
            client: roi.client,
            hmis_number: shared::HmisNumber::from_sequence(1001).unwrap_or_else(|_| unreachable!()),
            first_name: "Alex".into(),
            last_name: "Rivera".into(),
            orgs: roi.orgs,
            start: roi.start,
            end: roi.end,
            revoked_on: None,
            status: shared::RoiStatus::EndingSoon {
                days_left: (roi.end - example_today()).num_days(),
            },
        }],
    }
}

crate::documented!(ep::ListAgencyRois {
    response: AgencyRois = agency_rois_example();
});

crate::documented!(ep::RevokeRoi {
    response: RoiView = revoked_roi_example();
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::ListRois, _>(list_rois)
        .at::<ep::CreateRoi, _>(create_roi)
        .at::<ep::RevokeRoi, _>(revoke_roi)
        .at::<ep::ListEndingRois, _>(list_ending_rois)
        .at::<ep::ListAgencyRois, _>(list_agency_rois)
}

/// `GET /agency-rois?status=`: the releases naming the caller's agency, whatever their status.
async fn list_agency_rois(
    State(state): State<AppState>,
    auth: AuthUser,
    crate::extract::Query(query): crate::extract::Query<AgencyRoiQuery>,
) -> Result<Json<AgencyRois>, ApiError> {
    let rois = releases::agency_rois(&state, &auth.actor, query.status.as_deref()).await?;
    Ok(Json(rois))
}

/// `GET /rois?ending_within_days=`: the caller's agency's releases ending soon.
async fn list_ending_rois(
    State(state): State<AppState>,
    auth: AuthUser,
    crate::extract::Query(query): crate::extract::Query<RoiListQuery>,
) -> Result<Json<EndingRois>, ApiError> {
    let rois =
        releases::ending_rois(&state, &auth.actor, query.ending_within_days.as_deref()).await?;
    Ok(Json(rois))
}

/// `GET /clients/{id}/rois`: the client's ROIs that name the caller's agency (all of them for
/// SystemAdmins), each with whether it is in force today.
async fn list_rois(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<Vec<RoiView>>, ApiError> {
    Ok(Json(
        releases::list_rois(&state, &auth.actor, ClientId(id)).await?,
    ))
}

/// `POST /clients/{id}/rois`: any user sets an ROI naming their agency and at least one other,
/// attesting that the client's signed release is on file at their agency.
async fn create_roi(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<NewRoiRequest>,
) -> Result<(StatusCode, Json<RoiView>), ApiError> {
    let roi = releases::create_roi(&state, &auth.actor, ClientId(id), body).await?;
    Ok((StatusCode::CREATED, Json(roi)))
}

/// `POST /rois/{id}/revoke`: any user of an organization named on the ROI, from today on.
async fn revoke_roi(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<RoiView>, ApiError> {
    Ok(Json(
        releases::revoke_roi(&state, &auth.actor, RoiId(id)).await?,
    ))
}
