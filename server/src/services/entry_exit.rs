//! Entry/exit conflicts: listing the current detections within the caller's scope
//! (`shared::sharing::entry_exit_scope`), and opening a conflict about one of a detection's
//! enrollments, addressed to its owning agency (`shared::resolution::new_entry_exit_conflict`,
//! one per agency and detection). Their later steps are every conflict's (`services::conflicts`).

use crate::db::resolution::{self as q, StoredConflict};
use crate::db::{self, AuditEntry};
use crate::error::ApiError;
use crate::state::AppState;
use shared::api::resolution::EntryExitView;
use shared::notify::ConflictId;
use shared::resolution::{
    check_one_entry_exit_conflict_per_agency, new_entry_exit_conflict, EntryExitConflict,
};
use shared::{Actor, ClientId, RecordId};

/// The current detections involving an enrollment of `actor`'s agency (a SystemAdmin: all);
/// with `client`, every current detection of that client (enrollments are tier 2, S-2). The
/// listing is audited, by the client's HMIS number when one was asked for and found.
pub async fn list_detections(
    state: &AppState,
    actor: &Actor,
    client: Option<ClientId>,
) -> Result<Vec<EntryExitView>, ApiError> {
    let org = shared::sharing::entry_exit_scope(actor, client).org();
    let mut conn = state.pool.acquire().await?;
    let found = q::detections(&mut conn, org, client).await?;
    drop(conn);
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                actor,
                "list entry/exit conflicts",
                format!("{} detections", found.len()),
            )
            .client(
                found
                    .first()
                    .map(|d| &d.hmis_number)
                    .filter(|_| client.is_some()),
            ),
        )
        .await?;
    Ok(found)
}

/// The detection's enrollment other than `enrollment` (none when the detection names one), or
/// 422 when `enrollment` is not one of the detection's.
fn other_enrollment(
    found: &EntryExitConflict,
    enrollment: RecordId,
) -> Result<Option<RecordId>, ApiError> {
    if found.first == enrollment {
        Ok(found.second)
    } else if found.second == Some(enrollment) {
        Ok(Some(found.first))
    } else {
        Err(ApiError::validation(
            "enrollment",
            "is not one of this entry/exit conflict's enrollments",
        ))
    }
}

/// `actor` opens a conflict about `enrollment` (one of detection `id`'s, 422
/// otherwise; 404 for a detection that is gone or cleared), addressed to the enrollment's owning
/// agency, whose AgencyAdmins are told. The shared rules decide (one open conflict per agency
/// and detection; not about one's own enrollment); the conflict and its notice are written in
/// one transaction, audited after it commits. Returns the stored conflict.
pub async fn open_conflict(
    state: &AppState,
    actor: &Actor,
    id: i64,
    enrollment: RecordId,
) -> Result<StoredConflict, ApiError> {
    let today = state.clock.today();
    let now = state.clock.now();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let detection = q::detection(&mut tx, id)
        .await?
        .filter(|d| !d.cleared)
        .ok_or(ApiError::NotFound)?;
    let other = other_enrollment(&detection.found, enrollment)?;
    let dates = q::enrollment_dates(&mut tx, detection.client)
        .await?
        .into_iter()
        .find(|e| e.record == enrollment)
        .ok_or_else(|| ApiError::validation("enrollment", "no longer exists"))?;
    let client = db::client_by_id(&mut *tx, detection.client)
        .await?
        .ok_or(ApiError::NotFound)?;
    let mut open = Vec::new();
    for cid in q::open_conflicts_of_detection(&mut tx, id).await? {
        open.extend(q::conflict(&mut tx, cid).await?.map(|c| c.conflict));
    }
    check_one_entry_exit_conflict_per_agency(actor, enrollment, &open)?;
    let build = |cid| {
        new_entry_exit_conflict(
            actor,
            cid,
            client.id,
            client.hmis_number.clone(),
            &dates,
            other,
            detection.found.issue,
            today,
        )
    };
    let (draft, _) = build(ConflictId(0))?;
    let cid = q::insert_conflict(&mut tx, &draft, Some(id), now).await?;
    let (_, notice) = build(cid)?;
    crate::services::notify::enqueue(&mut tx, &notice, now).await?;
    let stored = q::conflict(&mut tx, cid).await?.ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    state
        .audit(
            AuditEntry::new(
                now,
                actor,
                format!(
                    "open entry/exit conflict #{} (enrollment #{enrollment})",
                    cid.0
                ),
                format!("addressed to organization {}", dates.org.0),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    Ok(stored)
}
