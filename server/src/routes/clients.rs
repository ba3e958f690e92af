//! `/api/v1/clients`: search and the client profile. Every record passes the shared read decision.

use crate::error::ApiError;
use crate::extract::{Json, PathId};
use crate::routes::Api;
use crate::services::auth::{AuthUser, SessionToken};
use crate::services::clients;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use shared::api::endpoints::{self as ep, SearchQuery};
use shared::api::{ClientProfile, ClientSummary, IntakeView, RecordView};
use shared::{ClientId, HmisNumber};

fn summary_example() -> ClientSummary {
    ClientSummary {
        id: ClientId(1),
        hmis_number: HmisNumber::from_sequence(1001).unwrap_or_else(|_| unreachable!()),
        first_name: "Alex".into(),
        last_name: "Rivera".into(),
        date_of_birth: chrono::NaiveDate::from_ymd_opt(1960, 1, 1),
        same_person: Vec::new(),
    }
}

fn profile_example() -> ClientProfile {
    use shared::{OrgId, Provenance, RecordId, RecordKind, RecordMeta, UserId};
    let meta = |id, kind, security| RecordMeta {
        id: RecordId(id),
        client: ClientId(1),
        kind,
        provenance: Provenance {
            org: OrgId(2),
            author: UserId(3),
            created_at: chrono::NaiveDate::from_ymd_opt(2026, 5, 6)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .unwrap_or_default(),
        },
        security,
        deleted: false,
    };
    let entered_by = || shared::api::EnteredBy {
        user_name: "Dana Lee".into(),
        org_name: "Bull City Shelter".into(),
    };
    let s = summary_example();
    ClientProfile {
        id: s.id,
        hmis_number: s.hmis_number,
        intake: IntakeView {
            meta: meta(1, RecordKind::Intake, None),
            entered_by: entered_by(),
            first_name: s.first_name,
            middle_name: Some("Lee".into()),
            last_name: s.last_name,
            date_of_birth: s.date_of_birth,
            ssn_last4: Some("1000".into()),
            name_data_quality: Some(shared::hud::NameDataQuality::Full),
            dob_data_quality: Some(shared::hud::DataQuality::Full),
            ssn_data_quality: Some(shared::hud::DataQuality::Full),
            sex: Some(shared::hud::Sex::Female),
            veteran_status: Some(shared::hud::NoYesReasons::No),
            gender: Some("Woman".into()),
            marital_status: Some(shared::intake::MaritalStatus::Married),
            sources: shared::intake::value_sources(
                |_| true,
                &[shared::intake::FieldSource {
                    field: shared::Field::DateOfBirth,
                    org: OrgId(4),
                    user: UserId(9),
                    at: chrono::NaiveDate::from_ymd_opt(2026, 6, 1)
                        .and_then(|d| d.and_hms_opt(10, 30, 0))
                        .unwrap_or_default(),
                }],
                &meta(1, RecordKind::Intake, None).provenance,
            ),
        },
        records: vec![RecordView {
            meta: meta(
                7,
                RecordKind::Form,
                Some(shared::SecuritySetting::ShareWithRoiMou),
            ),
            entered_by: entered_by(),
            title: "Housing assessment".into(),
            detail: "Completed 2026-05-12".into(),
            reason: shared::Reason::ReadOnlyEnteredBy { org: OrgId(2) },
        }],
        // With the policy's notice on (S-9); absent by default.
        withheld_by: Some(vec![shared::api::OrgName {
            id: OrgId(3),
            name: "Triangle Outreach".into(),
        }]),
        rois: vec![],
        mous: vec![],
        org_names: vec![shared::api::OrgName {
            id: OrgId(2),
            name: "Bull City Shelter".into(),
        }],
    }
}

crate::documented!(ep::SearchClients {
    response: Vec<ClientSummary> = vec![summary_example()];
});

crate::documented!(ep::GetClientProfile {
    response: ClientProfile = profile_example();
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::SearchClients, _>(search)
        .at::<ep::GetClientProfile, _>(profile)
}

/// Search by name words (prefixes, any order) or by exact HMIS number. Returns tier-1 fields only.
async fn search(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<SearchQuery>,
) -> Result<Json<Vec<ClientSummary>>, ApiError> {
    Ok(Json(clients::search(&state, &auth, &query).await?))
}

/// One client's profile (the hot path: see `services::clients::profile`).
async fn profile(
    State(state): State<AppState>,
    token: SessionToken,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    clients::profile(&state, token, ClientId(id), |p| Json(p).into_response()).await
}
