//! `GET /api/v1/audit`: the audit log (P-4), newest first, filtered and paged. Who reads which
//! entries is `shared::admin::audit_scope`. The resource has no way to change or delete an entry.

use crate::db::audit_log::{self, AuditFilter};
use crate::error::{allow, ApiError};
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::extract::{Query, State};
use chrono::NaiveDate;
use serde::Deserialize;
use shared::admin::{self, AuditScope};
use shared::api::accounts::{AuditEntryView, AuditPage};
use shared::api::endpoints as ep;
use shared::{HmisNumber, OrgId, UserId};

/// The most entries one page returns.
pub const MAX_LIMIT: i64 = 500;
const DEFAULT_LIMIT: i64 = 100;

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
                reason: "YourAgency; 14 records shown, 0 withheld".into(),
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

/// Query parameters, all text so that each bad one gets a 422 naming it.
#[derive(Debug, Default, Deserialize)]
struct AuditQuery {
    user: Option<String>,
    organization: Option<String>,
    hmis_number: Option<String>,
    from: Option<String>,
    to: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

fn int(field: &str, v: &Option<String>) -> Result<Option<i64>, ApiError> {
    v.as_deref()
        .map(|s| {
            s.trim()
                .parse::<i64>()
                .map_err(|_| ApiError::validation(field, "must be a whole number"))
        })
        .transpose()
}

fn date(field: &str, v: &Option<String>) -> Result<Option<NaiveDate>, ApiError> {
    v.as_deref()
        .map(|s| {
            NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|_| ApiError::validation(field, "must be a date YYYY-MM-DD"))
        })
        .transpose()
}

async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    query: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<crate::extract::Json<AuditPage>, ApiError> {
    let (scope, decision) = admin::audit_scope(&auth.actor);
    allow(decision)?;
    let Query(query) = query.map_err(|e| ApiError::validation("query", e.body_text()))?;
    let limit = int("limit", &query.limit)?.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::validation(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let offset = int("offset", &query.offset)?.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::validation("offset", "must not be negative"));
    }
    let requested_org = int("organization", &query.organization)?.map(OrgId);
    let org = match (scope, requested_org) {
        (AuditScope::All, requested) => requested,
        (AuditScope::Organization(own), None) => Some(own),
        (AuditScope::Organization(_), Some(requested)) => {
            allow(admin::can_read_audit_entry(&auth.actor, requested))?;
            Some(requested)
        }
        (AuditScope::Nothing, requested) => {
            allow(admin::can_read_audit_entry(
                &auth.actor,
                requested.unwrap_or(auth.actor.org),
            ))?;
            requested
        }
    };
    let hmis_number = query
        .hmis_number
        .as_deref()
        .map(HmisNumber::parse)
        .transpose()?;
    let from = date("from", &query.from)?;
    let to = date("to", &query.to)?;
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            return Err(ApiError::validation("to", "cannot be before from"));
        }
    }
    let filter = AuditFilter {
        org,
        user: int("user", &query.user)?.map(UserId),
        hmis_number,
        from: from.and_then(|d| d.and_hms_opt(0, 0, 0)),
        // `to` is inclusive: everything before the next day's midnight.
        before: to
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0)),
        limit,
        offset,
    };
    let entries = audit_log::entries(&state.pool, &filter).await?;
    Ok(crate::extract::Json(AuditPage {
        entries,
        limit,
        offset,
    }))
}
