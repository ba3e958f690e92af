//! `GET /api/v1/audit`: the audit log (P-4), newest first, filtered and paged. Who reads which
//! entries is `shared::admin::audit_scope`, applied by `services::audit`. The resource has no way
//! to change or delete an entry. `GET /api/v1/audit.csv` streams the same filtered entries as
//! CSV, a chunk per keyset page.

use crate::error::ApiError;
use crate::routes::Api;
use crate::services::audit::{self, DEFAULT_LIMIT};
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use shared::api::accounts::{AuditEntryView, AuditPage};
use shared::api::endpoints as ep;
use shared::api::endpoints::AuditQuery;
use shared::{HmisNumber, OrgId, UserId};

fn page_example() -> AuditPage {
    let at = |h, m, s| {
        NaiveDate::from_ymd_opt(2026, 11, 22)
            .and_then(|d| d.and_hms_opt(h, m, s))
            .unwrap_or_default()
    };
    AuditPage {
        entries: vec![
            AuditEntryView {
                id: 5121,
                at: at(9, 14, 3),
                user_id: UserId(3),
                username: Some("shelter.cw".into()),
                org_id: OrgId(2),
                hmis_number: HmisNumber::from_sequence(1001).ok(),
                action: "read client profile".into(),
                reason: "YourAgency; 14 records shown".into(),
            },
            AuditEntryView {
                id: 5120,
                at: at(9, 12, 47),
                user_id: UserId(3),
                username: Some("shelter.cw".into()),
                org_id: OrgId(2),
                hmis_number: None,
                action: "search clients".into(),
                reason: "3 results".into(),
            },
        ],
        limit: DEFAULT_LIMIT,
        offset: 0,
        older: Some(5120),
        newer: None,
    }
}

crate::documented!(ep::ListAudit {
    response: AuditPage = page_example();
});

crate::documented!(ep::ExportAudit {});

pub fn router() -> Api {
    Api::new()
        .at::<ep::ListAudit, _>(list)
        .at::<ep::ExportAudit, _>(export)
}

/// The audit page the query asks for, within the caller's scope (`services::audit`).
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    crate::extract::Query(query): crate::extract::Query<AuditQuery>,
) -> Result<crate::extract::Json<AuditPage>, ApiError> {
    let scope = audit::scope(&auth.actor)?;
    let page = audit::page(&state, &auth.actor, scope, &query).await?;
    Ok(crate::extract::Json(page))
}

/// Every entry the query matches, within the caller's scope, as CSV: the export is audited
/// before the first byte, then streamed a keyset chunk at a time (`services::audit`).
async fn export(
    State(state): State<AppState>,
    auth: AuthUser,
    crate::extract::Query(query): crate::extract::Query<AuditQuery>,
) -> Result<Response, ApiError> {
    let scope = audit::scope(&auth.actor)?;
    let filter = audit::export_csv(&state, &auth.actor, scope, &query).await?;
    // (cursor, started, done): the first chunk has no cursor; a chunk without a next ends it.
    let chunks = futures_util::stream::unfold((None, false), move |(cursor, done)| {
        let (state, filter) = (state.clone(), filter.clone());
        async move {
            if done {
                return None;
            }
            match audit::export_chunk(&state, &filter, cursor).await {
                Ok((bytes, next)) => Some((Ok(bytes), (next, next.is_none()))),
                Err(e) => {
                    tracing::error!("audit export: {}", e.cause());
                    Some((
                        Err(std::io::Error::other("audit export failed")),
                        (None, true),
                    ))
                }
            }
        }
    });
    let mut res = Body::from_stream(chunks).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8; header=present"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"hearth-audit.csv\""),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    Ok(res)
}
