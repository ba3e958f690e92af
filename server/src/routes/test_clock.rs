//! `POST /api/v1/test/clock/advance`: moves a test server's clock (`HEARTH_TEST_CLOCK=1` only;
//! see `Application::build_with_test_clock`), then runs the background jobs that are due at the
//! new time, as the hourly run would. Not an `Api` endpoint: never documented, never in the app.

use crate::clock::{Clock, ManualClock};
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::jobs;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use serde::Deserialize;
use std::sync::Arc;

/// The path under `/api/v1`.
pub const PATH: &str = "/test/clock/advance";

/// The most one call moves the clock: ten years.
const MAX_DAYS: i64 = 3650;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Advance {
    #[serde(default)]
    days: i64,
    #[serde(default)]
    hours: i64,
}

pub fn router(clock: Arc<ManualClock>) -> Router<AppState> {
    Router::new().route(
        PATH,
        post(
            move |State(state): State<AppState>, Json(body): Json<Advance>| {
                advance(state, clock.clone(), body)
            },
        ),
    )
}

/// Moves the clock forward (never back: what is stored was written at the old now) and answers
/// the new now and what the due jobs did.
async fn advance(
    state: AppState,
    clock: Arc<ManualClock>,
    body: Advance,
) -> Result<Json<serde_json::Value>, ApiError> {
    for (field, n, max) in [
        ("days", body.days, MAX_DAYS),
        ("hours", body.hours, MAX_DAYS * 24),
    ] {
        if !(0..=max).contains(&n) {
            return Err(ApiError::Validation {
                field: field.to_owned(),
                reason: format!("must be between 0 and {max}"),
            });
        }
    }
    clock.advance(chrono::Duration::days(body.days) + chrono::Duration::hours(body.hours));
    let report = jobs::run_due_jobs(&state).await?;
    Ok(Json(serde_json::json!({
        "now": clock.now().format("%Y-%m-%dT%H:%M:%S").to_string(),
        "today": clock.today().to_string(),
        "jobs": {
            "scanned": report.scanned,
            "data_center": report.data_center.len(),
            "resolved": report.resolved.len(),
            "emails_sent": report.emails_sent,
        },
    })))
}
