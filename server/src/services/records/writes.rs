//! How records are written: a creation in one transaction with its history (`insert`), and a
//! change of one existing record as a compare-and-set on the record as the request read it
//! (`begin_write`, `claim`, `finish_write`; see `docs/decisions.md`, "Records: concurrency and
//! layout").

use super::summary::summary;
use super::{item, Scope};
use crate::db::records::{self as store, NewRow};
use crate::db::AuditEntry;
use crate::db::{self, RecordRow};
use crate::error::ApiError;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use shared::api::records::*;
use shared::{can_read, Decision, RecordId, RecordKind, SecuritySetting};
use sqlx::AnyConnection;

/// Creates a record with its details in one transaction, with its creation in history. A
/// record it refers to (`on`: a service's enrollment) is claimed first, so that it cannot be
/// deleted meanwhile (409 if it was).
#[allow(clippy::too_many_arguments)] // each is one fact of the new row; a struct would only rename them
pub(super) async fn insert(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    kind: RecordKind,
    owner: shared::OrgId,
    security: Option<SecuritySetting>,
    details: RecordDetails,
    reason: &Decision,
    on: Option<&RecordRow>,
) -> Result<RecordItem, ApiError> {
    let now = state.clock.now();
    // Read before the transaction: on SQLite its first statement must be a write (`claim`).
    let (title, detail) = summary(&mut *state.pool.acquire().await?, &details, now.date()).await?;
    let mut tx = crate::db::begin_write(&state.pool).await?;
    if let Some(on) = on {
        if !store::claim(&mut tx, on).await? {
            return Err(ApiError::changed_meanwhile(format!(
                "record #{}",
                on.meta.id
            )));
        }
    }
    let id = store::insert_record(
        &mut tx,
        NewRow {
            client: s.client.id,
            kind,
            org: owner,
            author: auth.actor.user,
            at: now,
            security,
            title: &title,
            detail: &detail,
        },
    )
    .await
    .map_err(|e| singleton_taken(e, kind))?;
    store::write_details(&mut tx, id, &details, false).await?;
    store::history(&mut tx, id, now, &auth.actor, "create", "null").await?;
    let row = store::record(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!("create {} record #{}", kind.label(), id),
                &reason.reason,
            )
            .client(Some(&s.client.hmis_number)),
        )
        .await?;
    let read = can_read(&auth.actor, &row.meta, &s.ctx(), now.date(), &state.policy);
    Ok(item(
        state,
        &auth.actor,
        &s.ctx(),
        row,
        Some(details),
        read.reason,
    ))
}

/// A second live demographics set or photo of a client: the database refuses it (migration
/// 0009), because another first `PUT` came first. 409, like any change that lost a race.
pub(super) fn singleton_taken(e: sqlx::Error, kind: RecordKind) -> ApiError {
    if matches!(kind, RecordKind::Demographics | RecordKind::Photo)
        && db::accounts::is_unique_violation(&e)
    {
        ApiError::changed_meanwhile(format!("the client's {}", kind.label().to_lowercase()))
    } else {
        e.into()
    }
}

/// How a write to one existing record begins: its transaction, the compare-and-set on the
/// record as the request read it (`claim`: 409 if it changed meanwhile), and the old value in
/// `record_history` (P-3) under `what` ("update", "delete", ...).
pub(super) async fn begin_write(
    state: &AppState,
    auth: &AuthUser,
    seen: &RecordRow,
    seen_details: &Option<RecordDetails>,
    what: &str,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, ApiError> {
    let mut tx = crate::db::begin_write(&state.pool).await?;
    claim(&mut tx, seen, seen_details).await?;
    store::history(
        &mut tx,
        seen.meta.id,
        state.clock.now(),
        &auth.actor,
        what,
        &snapshot(seen, seen_details),
    )
    .await?;
    Ok(tx)
}

/// Claims `seen` for a change (the first statement of the change's transaction, see
/// `store::claim`) and checks that its detail row is still `seen_details`: whatever the change
/// was decided and validated on is what it overwrites. Else 409, and nothing is written.
pub(super) async fn claim(
    conn: &mut AnyConnection,
    seen: &RecordRow,
    seen_details: &Option<RecordDetails>,
) -> Result<(), ApiError> {
    if store::claim(conn, seen).await? && store::details(conn, &seen.meta).await? == *seen_details {
        Ok(())
    } else {
        Err(ApiError::changed_meanwhile(format!(
            "record #{}",
            seen.meta.id
        )))
    }
}

/// How a write to one existing record ends: the record read again inside the transaction, the
/// commit, R-7's re-detection when an enrollment changed, the audit entry with the decision's
/// reason, and the record as the actor now reads it.
#[allow(clippy::too_many_arguments)]
pub(super) async fn finish_write(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    id: RecordId,
    details: Option<RecordDetails>,
    action: &str,
    reason: &shared::Reason,
) -> Result<RecordItem, ApiError> {
    let row = store::record(&mut tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    if row.meta.kind == RecordKind::Enrollment {
        crate::services::jobs::on_enrollment_written(state, s.client.id).await;
    }
    state
        .audit(
            AuditEntry::new(state.clock.now(), &auth.actor, action, reason)
                .client(Some(&s.client.hmis_number)),
        )
        .await?;
    let today = state.clock.today();
    let read = can_read(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
    Ok(item(
        state,
        &auth.actor,
        &s.ctx(),
        row,
        details,
        read.reason,
    ))
}

/// The full stored value (note unredacted), as `record_history` keeps it.
pub(super) fn snapshot(row: &RecordRow, details: &Option<RecordDetails>) -> String {
    serde_json::json!({
        "meta": row.meta,
        "title": row.title,
        "detail": row.detail,
        "details": details,
    })
    .to_string()
}
