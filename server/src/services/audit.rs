//! Reading the audit log (P-4): who may read which entries is `shared::admin::audit_scope` (and
//! `can_read_audit_entry` for an organization asked for); this module turns the query's text into
//! a filter inside that scope and reads one page, newest first.

use crate::db::audit_log::{self, AuditFilter};
use crate::error::{allow, ApiError};
use crate::state::AppState;
use chrono::NaiveDate;
use shared::admin::{self, AuditScope};
use shared::api::accounts::AuditPage;
use shared::api::endpoints::AuditQuery;
use shared::{Actor, HmisNumber, OrgId, UserId};

/// The most entries one page returns.
pub const MAX_LIMIT: i64 = shared::api::endpoints::AUDIT_MAX_LIMIT;
/// The entries a page returns when the query names no `limit`.
pub const DEFAULT_LIMIT: i64 = shared::api::endpoints::AUDIT_DEFAULT_LIMIT;

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

/// Which entries `actor` may read at all (`shared::admin::audit_scope`; 403 with its reason when
/// none). Asked before the query is read, so a caller who may read nothing is told that whatever
/// it sent.
pub fn scope(actor: &Actor) -> Result<AuditScope, ApiError> {
    let (scope, decision) = admin::audit_scope(actor);
    allow(decision)?;
    Ok(scope)
}

/// One page of the entries `query` asks for within `scope` (from [`scope`]), newest first. The
/// parameters are checked in order (`limit`, `offset`, `organization`, then the organization
/// asked for is checked against the scope (403), `hmis_number`, `from`, `to`, `user`); without
/// an `organization`, an AgencyAdmin reads its own. `to` is inclusive.
pub async fn page(
    state: &AppState,
    actor: &Actor,
    scope: AuditScope,
    query: &AuditQuery,
) -> Result<AuditPage, ApiError> {
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
            allow(admin::can_read_audit_entry(actor, requested))?;
            Some(requested)
        }
        (AuditScope::Nothing, requested) => {
            allow(admin::can_read_audit_entry(
                actor,
                requested.unwrap_or(actor.org),
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
    Ok(AuditPage {
        entries,
        limit,
        offset,
    })
}
