//! The client records use cases (SPEC section 2): every read and write is decided by `shared`
//! (read, create, edit, delete, end-date, security, upload, contact plan) and audited (P-4);
//! every change keeps the old value in `record_history` (P-3). A record the caller may not read
//! is 404.
//!
//! Here: what every use case shares: the client as the caller sees it (`Scope`, `scope`), one
//! record with its scope (`load`, `referenced`, `current_of`), the write decision audited when
//! refused (`decide`) and the record as the caller reads it (`item`); the checks of free text
//! and dates are `shared::text`, `shared::dates` and `shared::input`. One submodule per concern, as `routes/records/`: `writes` (creation, the
//! compare-and-set of a change, its end), `summary` (a record's title and detail), `lists`
//! (reads), `enrollments` (enrollments, services, case managers), `contacts`, `notes`, `forms`,
//! `demographics`, `uploads` (attachments, photo, downloads) and `changes` (edit, tombstone,
//! end-date, security setting of one record).

pub mod changes;
pub mod contacts;
pub mod demographics;
pub mod enrollments;
pub mod forms;
pub mod lists;
pub mod notes;
mod summary;
pub mod uploads;
mod writes;

use crate::db::records as store;
use crate::db::AuditEntry;
use crate::db::{self, ClientRow, RecordRow};
use crate::error::{allow, visible, ApiError};
use crate::services::auth::AuthUser;
use crate::state::AppState;
use shared::actions::NewRecord;
use shared::api::records::*;
use shared::records::Service;
use shared::{
    can_read, Actor, ClientId, Decision, Mou, RecordId, RecordKind, RecordMeta, Roi, SharingContext,
};

/// A client as seen by the caller, with the releases every decision needs.
struct Scope {
    client: ClientRow,
    rois: Vec<Roi>,
    mous: Vec<Mou>,
}

impl Scope {
    fn ctx(&self) -> SharingContext<'_> {
        SharingContext {
            rois: &self.rois,
            mous: &self.mous,
        }
    }
}

/// What a `PUT` of a tier-1 singleton (demographics, photo) did: created the client's first one
/// (201) or replaced the current one (200).
pub enum Saved {
    Created(RecordItem),
    Replaced(RecordItem),
}

/// The client, if it exists and the caller may read its intake; else 404.
async fn scope(state: &AppState, auth: &AuthUser, id: ClientId) -> Result<Scope, ApiError> {
    // The intake is tier 1 (S-1): whether the client may be seen does not depend on releases.
    let client = crate::services::access::readable_client(state, &auth.actor, id).await?;
    let rois = db::rois_of_client(&state.pool, client.id).await?;
    let mous = db::all_mous(&state.pool).await?;
    Ok(Scope { client, rois, mous })
}

/// One record and its client's scope; 404 when either is missing or the record is unreadable.
async fn load(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
) -> Result<(RecordRow, Scope, Decision), ApiError> {
    let mut conn = state.pool.acquire().await?;
    let row = store::record(&mut conn, RecordId(id))
        .await?
        .ok_or(ApiError::NotFound)?;
    drop(conn);
    let s = scope(state, auth, row.meta.client).await?;
    let read = can_read(
        &auth.actor,
        &row.meta,
        &s.ctx(),
        state.clock.today(),
        &state.policy,
    );
    let read = visible(read)?;
    Ok((row, s, read))
}

/// A write decision: allowed, or audited and refused with its reason (403).
async fn decide(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    action: &str,
    d: Decision,
) -> Result<Decision, ApiError> {
    if d.allowed {
        return Ok(d);
    }
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!("refused: {action}"),
                &d.reason,
            )
            .client(Some(&s.client.hmis_number)),
        )
        .await?;
    allow(d)
}

/// The record as the caller sees it: the service note is withheld when its own setting says so.
fn item(
    state: &AppState,
    actor: &Actor,
    ctx: &SharingContext<'_>,
    row: RecordRow,
    details: Option<RecordDetails>,
    reason: shared::Reason,
) -> RecordItem {
    let details = match details {
        Some(RecordDetails::Note(_)) => Some(RecordDetails::Note(NoteDetails {
            text: row.detail.clone(),
        })),
        Some(RecordDetails::Service(mut sd)) => {
            let service = to_service(row.meta, &sd);
            let note = can_read(
                actor,
                &service.note_meta(),
                ctx,
                state.clock.today(),
                &state.policy,
            );
            if !note.allowed && sd.case_management_note.is_some() {
                sd.case_management_note = None;
                sd.note_hidden = true;
            }
            Some(RecordDetails::Service(sd))
        }
        d => d,
    };
    RecordItem {
        meta: row.meta,
        entered_by: row.entered_by,
        title: row.title,
        detail: row.detail,
        details,
        reason,
    }
}

/// A service record as the shared rules read it.
fn to_service(meta: RecordMeta, sd: &ServiceDetails) -> Service {
    Service {
        meta,
        service_kind: sd.service_kind,
        date: sd.date,
        description: sd.description.clone(),
        case_management_minutes: sd.case_management_minutes,
        case_management_note: sd.case_management_note.clone(),
        note_security: sd.note_security,
    }
}

/// The creation the shared `can_create` decides: a record of `kind` owned by `owner`, with no
/// setting of its own.
fn new_record(s: &Scope, kind: RecordKind, owner: shared::OrgId) -> NewRecord {
    NewRecord {
        client: s.client.id,
        kind,
        owner,
        security: None,
        default_security: None,
    }
}

/// A record of this client and kind referenced from a body's `field`. An unknown id, another
/// client's (IDOR), one the caller may not read and a tombstone all answer the same 422 naming
/// the field (P-5: the answer says what to fix; S-9: it does not say which case it was).
async fn referenced(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    (field, id): (&str, RecordId),
    kind: RecordKind,
) -> Result<RecordRow, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let row = store::record(&mut conn, id).await?;
    drop(conn);
    let today = state.clock.today();
    row.filter(|r| r.meta.client == s.client.id && r.meta.kind == kind && !r.meta.deleted)
        .filter(|r| can_read(&auth.actor, &r.meta, &s.ctx(), today, &state.policy).allowed)
        .ok_or_else(|| {
            ApiError::validation(
                field,
                format!("no {} #{id} of this client that you may read", kind.label()),
            )
        })
}

/// The client's current (newest live) record of a tier-1 singleton kind.
async fn current_of(
    state: &AppState,
    client: ClientId,
    kind: RecordKind,
) -> Result<Option<RecordRow>, ApiError> {
    let mut conn = state.pool.acquire().await?;
    Ok(store::of_client(&mut conn, client, &[kind])
        .await?
        .into_iter()
        .find(|r| !r.meta.deleted))
}
