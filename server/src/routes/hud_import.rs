//! `/api/v1/admin/hud-import`: upload a zip of HUD CSV files to import (or dry-run) in the
//! background, and read the job's progress and report (SystemAdmins; `services::hud_import::job`).

use crate::error::ApiError;
use crate::extract::Json;
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::services::hud_import::job;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use shared::api::endpoints as ep;
use shared::api::hud_import::{HudImportJob, HudImportQuery, HudImportState};

fn job_example(state: HudImportState) -> HudImportJob {
    HudImportJob {
        id: 1,
        state,
        dry_run: true,
        file: "Enrollment.csv".into(),
        done: 8000,
        total: 16494,
        elapsed_ms: 2100,
        report: None,
        error: None,
    }
}

crate::documented!(ep::StartHudImport {
    response: HudImportJob = job_example(HudImportState::Running);
});

crate::documented!(ep::GetHudImport {
    response: Option<HudImportJob> = Some(job_example(HudImportState::Running));
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::StartHudImport, _>(start)
        .at::<ep::GetHudImport, _>(latest)
}

async fn start(
    State(state): State<AppState>,
    auth: AuthUser,
    crate::extract::Query(q): crate::extract::Query<HudImportQuery>,
    body: Body,
) -> Result<(StatusCode, Json<HudImportJob>), ApiError> {
    let dry_run = shared::input::flag("dry_run", q.dry_run.as_deref())?;
    let zip = axum::body::to_bytes(body, job::MAX_ZIP_BYTES)
        .await
        .map_err(|_| ApiError::TooLarge {
            field: "file",
            limit: job::MAX_ZIP_BYTES,
        })?;
    let job = job::start(&state, &auth, dry_run, zip.to_vec()).await?;
    Ok((StatusCode::ACCEPTED, Json(job)))
}

async fn latest(
    State(state): State<AppState>,
    auth: AuthUser,
) -> Result<Json<Option<HudImportJob>>, ApiError> {
    Ok(Json(job::latest(&state, &auth).await?))
}
