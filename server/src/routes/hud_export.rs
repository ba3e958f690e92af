//! `GET /api/v1/hud-export`: the HUD CSV export as a zip (`services::hud_export`), holding only
//! what the caller may read (P-6).

use crate::error::ApiError;
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::services::hud_export;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use shared::api::endpoints as ep;
use shared::api::endpoints::HudExportQuery;

crate::documented!(ep::GetHudExport {});

pub fn router() -> Api {
    Api::new().at::<ep::GetHudExport, _>(export)
}

async fn export(
    State(state): State<AppState>,
    auth: AuthUser,
    crate::extract::Query(query): crate::extract::Query<HudExportQuery>,
) -> Result<Response, ApiError> {
    let now = state.clock.now();
    let request = hud_export::parse_query(&query, now.date())?;
    let export = hud_export::export(&state.pool, &state.policy, &auth.actor, &request, now).await?;
    let mut res = export.zip()?.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"hud-csv-{}.zip\"",
        export.export_id
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}
