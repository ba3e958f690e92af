//! `/api/v1/organizations`: list, create, rename, disable (SystemAdmins; `shared::admin`). The use
//! cases are `services::accounts`.

use crate::error::ApiError;
use crate::extract::{Json, PathId};
use crate::routes::Api;
use crate::services::accounts;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shared::api::accounts::{NewOrganization, Organization, OrganizationPatch};
use shared::api::endpoints as ep;
use shared::OrgId;

fn org_example(id: i64, name: &str) -> Organization {
    Organization {
        id: OrgId(id),
        name: name.into(),
        disabled: false,
    }
}

fn orgs_example() -> Vec<Organization> {
    // Ordered by name.
    vec![
        org_example(2, "Bull City Shelter"),
        org_example(1, "Durham CoC Lead Agency"),
        org_example(3, "Eno River Housing"),
        org_example(4, "Triangle Outreach Services"),
    ]
}

crate::documented!(ep::ListOrganizations {
    response: Vec<Organization> = orgs_example();
});

crate::documented!(ep::CreateOrganization {
    request: NewOrganization = NewOrganization {
                name: "Triangle Family Services".into(),
            };
    response: Organization = org_example(5, "Triangle Family Services");
});

crate::documented!(ep::UpdateOrganization {
    request: OrganizationPatch = OrganizationPatch {
                name: Some("Eno River Housing Partners".into()),
                disabled: None,
            };
    response: Organization = org_example(3, "Eno River Housing Partners");
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::ListOrganizations, _>(list_orgs)
        .at::<ep::CreateOrganization, _>(create_org)
        .at::<ep::UpdateOrganization, _>(update_org)
}

async fn list_orgs(
    State(state): State<AppState>,
    _auth: AuthUser,
) -> Result<Json<Vec<Organization>>, ApiError> {
    Ok(Json(crate::db::accounts::organizations(&state.pool).await?))
}

async fn create_org(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<NewOrganization>,
) -> Result<(StatusCode, Json<Organization>), ApiError> {
    let org = accounts::create_organization(&state, &auth.actor, &req).await?;
    Ok((StatusCode::CREATED, Json(org)))
}

async fn update_org(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<OrganizationPatch>,
) -> Result<Json<Organization>, ApiError> {
    let org = accounts::update_organization(&state, &auth.actor, OrgId(id), &req).await?;
    Ok(Json(org))
}
