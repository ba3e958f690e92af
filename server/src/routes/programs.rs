//! `/api/v1/programs`: list (optionally of one organization), create, change, disable
//! (`shared::admin::can_manage_program`). The use cases are `services::accounts`.

use crate::error::ApiError;
use crate::extract::{Json, PathId};
use crate::routes::Api;
use crate::services::accounts;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shared::api::accounts::{NewProgram, Program, ProgramPatch};
use shared::api::endpoints::{self as ep, ProgramQuery};
use shared::records::ProjectType;
use shared::{OrgId, ProgramId};

fn program_example(id: i64, org: i64, name: &str, code: i64, t: ProjectType) -> Program {
    Program {
        id: ProgramId(id),
        org: OrgId(org),
        name: name.into(),
        hud_project_type: code,
        project_type: t,
        disabled: false,
    }
}

fn programs_example() -> Vec<Program> {
    vec![
        program_example(
            1,
            2,
            "Bull City Emergency Shelter",
            1,
            ProjectType::EmergencyShelterNightByNight,
        ),
        program_example(
            3,
            3,
            "Eno Rapid Re-Housing",
            13,
            ProjectType::RapidRehousing,
        ),
    ]
}

crate::documented!(ep::ListPrograms {
    response: Vec<Program> = programs_example();
});

crate::documented!(ep::CreateProgram {
    request: NewProgram = NewProgram {
                org: OrgId(2),
                name: "Bull City Day Center".into(),
                hud_project_type: 11,
            };
    response: Program = program_example(8, 2, "Bull City Day Center", 11, ProjectType::DayShelter);
});

crate::documented!(ep::UpdateProgram {
    request: ProgramPatch = ProgramPatch {
                name: None,
                hud_project_type: None,
                disabled: Some(true),
            };
    response: Program = Program {
                disabled: true,
                ..program_example(
                    2,
                    2,
                    "Bull City Transitional Housing",
                    2,
                    ProjectType::TransitionalHousing
                )
            };
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::ListPrograms, _>(list_programs)
        .at::<ep::CreateProgram, _>(create_program)
        .at::<ep::UpdateProgram, _>(update_program)
}

async fn list_programs(
    State(state): State<AppState>,
    _auth: AuthUser,
    crate::extract::Query(query): crate::extract::Query<ProgramQuery>,
) -> Result<Json<Vec<Program>>, ApiError> {
    let org = query
        .org
        .map(|o| {
            o.parse::<i64>()
                .map(OrgId)
                .map_err(|_| ApiError::validation("org", "must be an organization id"))
        })
        .transpose()?;
    Ok(Json(crate::db::accounts::programs(&state.pool, org).await?))
}

async fn create_program(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(req): Json<NewProgram>,
) -> Result<(StatusCode, Json<Program>), ApiError> {
    let p = accounts::create_program(&state, &auth.actor, &req).await?;
    Ok((StatusCode::CREATED, Json(p)))
}

async fn update_program(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(req): Json<ProgramPatch>,
) -> Result<Json<Program>, ApiError> {
    let p = accounts::update_program(&state, &auth.actor, ProgramId(id), &req).await?;
    Ok(Json(p))
}
