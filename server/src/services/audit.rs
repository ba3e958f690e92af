//! Reading the audit log (P-4): who may read which entries is `shared::admin::audit_scope` (and
//! `can_read_audit_entry` for an organization asked for); this module turns the query's text into
//! a filter inside that scope and reads one page, newest first (keyset paging by `before` /
//! `after`, or by `offset`), or every matching entry as CSV (`export_csv`, itself audited).

use crate::db::audit_log::{self, AuditFilter, Cursor, Side};
use crate::db::AuditEntry;
use crate::error::{allow, ApiError};
use crate::state::AppState;
use chrono::NaiveDate;
use shared::admin::{self, AuditScope};
use shared::api::accounts::{AuditEntryView, AuditPage};
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

/// The filter `query` asks for within `scope` (from [`scope`]), without its paging. The
/// parameters are checked in order (`organization`, then the organization asked for is checked
/// against the scope (403), `hmis_number`, `action`, `from`, `to`, `user`); without an
/// `organization`, an AgencyAdmin reads its own. `to` is inclusive.
fn filter(actor: &Actor, scope: AuditScope, query: &AuditQuery) -> Result<AuditFilter, ApiError> {
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
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(HmisNumber::parse)
        .transpose()?;
    let action = query
        .action
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned);
    if action
        .as_deref()
        .is_some_and(|a| a.chars().count() > shared::text::SHORT_TEXT_MAX_CHARS)
    {
        return Err(ApiError::validation(
            "action",
            format!(
                "must be at most {} characters long",
                shared::text::SHORT_TEXT_MAX_CHARS
            ),
        ));
    }
    let from = date("from", &query.from)?;
    let to = date("to", &query.to)?;
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            return Err(ApiError::validation("to", "cannot be before from"));
        }
    }
    Ok(AuditFilter {
        org,
        user: int("user", &query.user)?.map(UserId),
        hmis_number,
        action,
        from: from.and_then(|d| d.and_hms_opt(0, 0, 0)),
        // `to` is inclusive: everything before the next day's midnight.
        before: to
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0)),
        cursor: None,
        limit: DEFAULT_LIMIT,
        offset: 0,
    })
}

/// The keyset cursor of `before` or `after` (at most one, and not with `offset`): an entry id
/// that exists (else 422 naming the parameter).
async fn cursor(state: &AppState, query: &AuditQuery) -> Result<Option<Cursor>, ApiError> {
    let before = int("before", &query.before)?;
    let after = int("after", &query.after)?;
    let (field, id, side) = match (before, after) {
        (None, None) => return Ok(None),
        (Some(_), Some(_)) => {
            return Err(ApiError::validation(
                "after",
                "give either before or after, not both",
            ))
        }
        (Some(id), None) => ("before", id, Side::Older),
        (None, Some(id)) => ("after", id, Side::Newer),
    };
    if query.offset.is_some() {
        return Err(ApiError::validation(
            "offset",
            format!("cannot be combined with {field}"),
        ));
    }
    match audit_log::at_of(&state.pool, id).await? {
        Some(at) => Ok(Some(Cursor { at, id, side })),
        None => Err(ApiError::validation(
            field,
            "is not the id of an audit entry",
        )),
    }
}

/// One page of the entries `query` asks for within `scope` (from [`scope`]), newest first.
/// `limit` and `offset` are checked first, then the filter ([`filter`]), then the cursor. The
/// page says whether there are older entries (`older`, the next page's `before`) and newer ones
/// (`newer`, the previous page's `after`).
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
    let mut filter = filter(actor, scope, query)?;
    filter.cursor = cursor(state, query).await?;
    // One entry more than the page says whether there is a further page.
    filter.limit = limit + 1;
    filter.offset = offset;
    let mut entries = audit_log::entries(&state.pool, &filter).await?;
    let more = entries.len() as i64 > limit;
    let side = filter.cursor.map(|c| c.side);
    if more {
        match side {
            // Newer pages come back newest first: the extra one is the newest.
            Some(Side::Newer) => {
                entries.remove(0);
            }
            _ => entries.truncate(limit as usize),
        }
    }
    let first = entries.first().map(|e| e.id);
    let last = entries.last().map(|e| e.id);
    let (older, newer) = match side {
        None => (last.filter(|_| more), first.filter(|_| offset > 0)),
        Some(Side::Older) => (last.filter(|_| more), first),
        Some(Side::Newer) => (last, first.filter(|_| more)),
    };
    Ok(AuditPage {
        entries,
        limit,
        offset,
        older,
        newer,
    })
}

/// The entries read per query while exporting: the export streams, so its memory does not grow
/// with the log.
pub const EXPORT_CHUNK: i64 = 1000;

/// The CSV header of `GET /audit.csv`.
pub const CSV_HEADER: &[&str] = &[
    "id",
    "at",
    "user_id",
    "username",
    "org_id",
    "hmis_number",
    "action",
    "reason",
];

/// Starts an export of every entry `query` matches within `scope` (`GET /audit.csv`): checks the
/// query as [`page`] does (paging parameters are ignored), then audits the export (P-4: who,
/// the scope's reason and the filters, never their values beyond ids and the HMIS number) and
/// returns the filter for [`export_chunk`].
pub async fn export_csv(
    state: &AppState,
    actor: &Actor,
    scope: AuditScope,
    query: &AuditQuery,
) -> Result<AuditFilter, ApiError> {
    let mut filter = filter(actor, scope, query)?;
    let (_, decision) = admin::audit_scope(actor);
    let mut described = Vec::new();
    if let Some(o) = filter.org {
        described.push(format!("organization={}", o.0));
    }
    if let Some(u) = filter.user {
        described.push(format!("user={}", u.0));
    }
    if let Some(a) = &filter.action {
        described.push(format!("action={a}"));
    }
    if let Some(f) = &query.from {
        described.push(format!("from={}", f.trim()));
    }
    if let Some(t) = &query.to {
        described.push(format!("to={}", t.trim()));
    }
    let reason = if described.is_empty() {
        decision.reason.to_string()
    } else {
        format!("{}; {}", decision.reason, described.join(" "))
    };
    state
        .audit(
            AuditEntry::new(state.clock.now(), actor, "export audit log", reason)
                .client(filter.hmis_number.as_ref()),
        )
        .await?;
    filter.limit = EXPORT_CHUNK;
    Ok(filter)
}

/// The next chunk of an export started by [`export_csv`]: CSV rows (the header first, when
/// `cursor` is `None`) and the cursor of the chunk after it (`None` once done). Keyset paging,
/// so every matching entry is written exactly once even while new ones are appended.
pub async fn export_chunk(
    state: &AppState,
    filter: &AuditFilter,
    cursor: Option<Cursor>,
) -> Result<(Vec<u8>, Option<Cursor>), ApiError> {
    let mut f = filter.clone();
    f.cursor = cursor;
    let entries = audit_log::entries(&state.pool, &f).await?;
    let next = match entries.last() {
        Some(e) if entries.len() as i64 == f.limit => Some(Cursor {
            at: e.at,
            id: e.id,
            side: Side::Older,
        }),
        _ => None,
    };
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let io = |e: csv::Error| ApiError::Internal(format!("audit csv: {e}"));
    if cursor.is_none() {
        out.write_record(CSV_HEADER).map_err(io)?;
    }
    for e in &entries {
        write_row(&mut out, e).map_err(io)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| ApiError::Internal(format!("audit csv: {e}")))?;
    Ok((bytes, next))
}

fn write_row(out: &mut csv::Writer<Vec<u8>>, e: &AuditEntryView) -> csv::Result<()> {
    out.write_record([
        e.id.to_string(),
        shared::timefmt::with_micros(&e.at).as_str().to_owned(),
        e.user_id.0.to_string(),
        e.username.clone().unwrap_or_default(),
        e.org_id.0.to_string(),
        e.hmis_number
            .as_ref()
            .map(|h| h.as_str().to_owned())
            .unwrap_or_default(),
        e.action.clone(),
        e.reason.clone(),
    ])
}
