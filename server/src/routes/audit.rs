//! `GET /api/v1/audit`: the audit log (P-4), newest first, filtered and paged. Who reads which
//! entries is `shared::admin::audit_scope`, applied by `services::audit`. The resource has no way
//! to change or delete an entry.

use crate::error::ApiError;
use crate::routes::Api;
use crate::services::audit::{self, DEFAULT_LIMIT};
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::extract::{Query, State};
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
    }
}

crate::documented!(ep::ListAudit {
    response: AuditPage = page_example();
});

pub fn router() -> Api {
    Api::new().at::<ep::ListAudit, _>(list)
}

/// The audit page the query asks for, within the caller's scope (`services::audit`).
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<crate::extract::Json<AuditPage>, ApiError> {
    let scope = audit::scope(&auth.actor)?;
    let Query(query) = query.map_err(|e| ApiError::validation("query", e.body_text()))?;
    let page = audit::page(&state, &auth.actor, scope, &query).await?;
    Ok(crate::extract::Json(page))
}
