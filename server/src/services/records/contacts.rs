//! Contact changes: a new effective-dated row, the rows it replaces end-dated, the
//! correction note and the owners' notice, race-free.

use super::changes::end_date_in_tx;
use super::summary::summary;
use super::{decide, item, new_record, referenced, scope, Scope};
use crate::db::records::{self as store, NewRow};
use crate::db::AuditEntry;
use crate::db::RecordRow;
use crate::error::ApiError;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use shared::api::records::*;
use shared::records::ContactRow;
use shared::resolution::{plan_contact_change, ContactChange, ContactPlan, ContactPlanError};
use shared::{can_create, can_end_date, can_read, ClientId, Decision, RecordId, RecordKind};
use shared::{OrgId, RecordMeta};
use sqlx::AnyConnection;

/// The client's contact rows as stored: each registry row with its details (rows entered before
/// 0004 have none and are left out).
async fn contact_rows(
    conn: &mut AnyConnection,
    client: ClientId,
) -> Result<Vec<(RecordRow, ContactDetails)>, ApiError> {
    let rows = store::of_client(conn, client, &[RecordKind::FamilyContact]).await?;
    let metas: Vec<&RecordMeta> = rows.iter().map(|r| &r.meta).collect();
    let mut details = store::details_of(conn, &metas).await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| match details.remove(&row.meta.id) {
            Some(RecordDetails::Contact(c)) => Some((row, c)),
            _ => None,
        })
        .collect())
}

/// A stored contact row as the shared plan reads it.
fn contact_row(row: &RecordRow, c: &ContactDetails) -> ContactRow {
    ContactRow {
        meta: row.meta,
        contact_kind: c.contact_kind,
        value: c.value.clone(),
        start: c.start_date,
        end: c.end_date,
    }
}

/// 409 for a contact change planned on rows that changed before it could be written.
fn contacts_changed(detail: &str) -> ApiError {
    ApiError::ChangedMeanwhile(format!(
        "the client's contact rows changed meanwhile{detail}: reload them and try again"
    ))
}

/// A row the change end-dates: as read, with its details as read, and its new end date.
type End<'a> = (&'a RecordRow, Option<RecordDetails>, chrono::NaiveDate);

/// What the change's transaction wrote.
struct Written {
    row: RecordRow,
    details: RecordDetails,
    note: Option<RecordId>,
    notified: Vec<OrgId>,
}

/// Changes client `id`'s contact information: adds a row at the client's direction,
/// end-dates the rows it replaces, and adds the correction note unless declined
/// (`plan_contact_change`).
///
/// Race-free: the change is planned on the rows as read, and its transaction first claims every
/// row it end-dates (`claim`: a conditional UPDATE that matches only if the row is still as
/// read), so of two simultaneous changes replacing the same row one writes and the other gets
/// 409 with nothing written. A change replacing a row that has already ended before the new row
/// starts (someone replaced it since the caller loaded the rows) is 409 too.
pub async fn create_contact(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
    input: NewContact,
) -> Result<ContactChangeResult, ApiError> {
    shared::input::new_contact(&input, state.clock.today())?;
    let s = scope(state, auth, id).await?;
    for r in &input.replaces {
        // Another client's row (or an unknown id) in this client's change: 422 naming it.
        referenced(state, auth, &s, ("replaces", *r), RecordKind::FamilyContact).await?;
    }
    let today = state.clock.today();
    let d = decide(
        state,
        auth,
        &s,
        "create contact row",
        can_create(
            &auth.actor,
            &new_record(&s, RecordKind::FamilyContact, auth.actor.org),
        ),
    )
    .await?;
    let stored = contact_rows(&mut *state.pool.acquire().await?, s.client.id).await?;
    let notify_owners = input.notify_owners;
    let plan = plan(state, auth, &s, input, &stored).await?;
    // A replaced row that had already ended is stale: another change replaced it meanwhile.
    if let Some(gone) = plan.already_ended.first() {
        return Err(contacts_changed(&format!(" (row #{gone} has ended)")));
    }
    let ends = ends(state, auth, &s, &plan, &stored, today).await?;
    let w = write(state, auth, &s, &plan, &ends, notify_owners, today).await?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!(
                    "contact change: new row #{}, {} end-dated, note {}",
                    w.row.meta.id,
                    plan.end_date.len(),
                    w.note.map_or("declined".to_owned(), |n| format!("#{n}"))
                ),
                format!("{}; {}", shared::Reason::ClientDirected, d.reason),
            )
            .client(Some(&s.client.hmis_number)),
        )
        .await?;
    let read = can_read(&auth.actor, &w.row.meta, &s.ctx(), today, &state.policy);
    Ok(ContactChangeResult {
        row: item(
            state,
            &auth.actor,
            &s.ctx(),
            w.row,
            Some(w.details),
            read.reason,
        ),
        end_dated: plan.end_date.iter().map(|e| e.row).collect(),
        left_current: plan.left_current,
        correction_note: w.note,
        may_notify: plan.may_notify,
        notified: w.notified,
    })
}

/// The shared plan of the change on the rows as read: refused (403, audited; were it ever
/// allowed, 404) or invalid (422, a contact value's field named `value`).
async fn plan(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    input: NewContact,
    stored: &[(RecordRow, ContactDetails)],
) -> Result<ContactPlan, ApiError> {
    let rows: Vec<ContactRow> = stored.iter().map(|(r, c)| contact_row(r, c)).collect();
    let contact_kind = input.contact_kind;
    let change = ContactChange {
        client: s.client.id,
        contact_kind: input.contact_kind,
        value: input.value,
        start: input.start_date,
        replaces: input.replaces,
        client_directed: input.client_directed,
        decline_note: input.decline_note,
    };
    match plan_contact_change(&auth.actor, &change, &rows) {
        Ok(p) => Ok(p),
        Err(ContactPlanError::Refused(reason)) => {
            decide(state, auth, s, "contact change", Decision::deny(reason)).await?;
            Err(ApiError::NotFound)
        }
        Err(ContactPlanError::Invalid(e)) => {
            let field = match e.field.as_str() {
                f if f == contact_kind.label() => "value".to_owned(),
                f => f.to_owned(),
            };
            Err(ApiError::validation(field, e.reason))
        }
    }
}

/// The rows the plan end-dates, each as read, decided as ended at the client's direction
/// (`can_end_date`: 403, audited, if refused).
async fn ends<'a>(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    plan: &ContactPlan,
    stored: &'a [(RecordRow, ContactDetails)],
    today: chrono::NaiveDate,
) -> Result<Vec<End<'a>>, ApiError> {
    let mut ends: Vec<End<'a>> = Vec::with_capacity(plan.end_date.len());
    for e in &plan.end_date {
        let (row, c) = stored
            .iter()
            .find(|(r, _)| r.meta.id == e.row)
            .ok_or(ApiError::NotFound)?;
        decide(
            state,
            auth,
            s,
            "end-date contact row",
            can_end_date(&auth.actor, &row.meta, true, &s.ctx(), today, &state.policy),
        )
        .await?;
        ends.push((row, Some(RecordDetails::Contact(c.clone())), e.end));
    }
    Ok(ends)
}

/// The change's transaction: first the claims of the rows it end-dates (each one waits for a
/// simultaneous change of the same row; 409 if one won), then the new row, the correction note
/// and the owners' notices (R-5, by HMIS number only).
async fn write(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    plan: &ContactPlan,
    ends: &[End<'_>],
    notify_owners: bool,
    today: chrono::NaiveDate,
) -> Result<Written, ApiError> {
    let now = state.clock.now();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    // First the claims (see above); each one waits for a simultaneous change of the same row.
    for (row, seen, end) in ends {
        end_date_in_tx(&mut tx, &auth.actor, now, row, seen, *end, None)
            .await
            .map_err(|e| match e {
                ApiError::ChangedMeanwhile(_) => contacts_changed(""),
                e => e,
            })?;
    }
    let details = RecordDetails::Contact(ContactDetails {
        contact_kind: plan.add.contact_kind,
        value: plan.add.value.clone(),
        start_date: plan.add.start,
        end_date: None,
        entered_by: auth.actor.org,
    });
    let new_id = add_row(&mut tx, auth, s, &details, now, today).await?;
    let note = match &plan.correction_note {
        Some(draft) => Some(add_note(&mut tx, auth, s, &draft.text, now).await?),
        None => None,
    };
    // the user may notify the originating agencies' AgencyAdmins, by HMIS number only.
    let notified: Vec<OrgId> = if notify_owners {
        plan.may_notify.clone()
    } else {
        Vec::new()
    };
    for org in &notified {
        let n = shared::notify::Notification::new(
            shared::notify::Recipient::AgencyAdmins { org: *org },
            s.client.hmis_number.clone(),
            shared::notify::Message::ContactDataCorrected {
                kind: plan.add.contact_kind,
                by: auth.actor.org,
                note,
            },
        );
        crate::services::notify::enqueue(&mut tx, &n, now).await?;
    }
    let row = store::record(&mut tx, new_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(Written {
        row,
        details,
        note,
        notified,
    })
}

/// The change's new contact row, with its creation in history.
async fn add_row(
    conn: &mut AnyConnection,
    auth: &AuthUser,
    s: &Scope,
    details: &RecordDetails,
    now: chrono::NaiveDateTime,
    today: chrono::NaiveDate,
) -> Result<RecordId, ApiError> {
    let (title, detail) = summary(conn, details, today).await?;
    let id = store::insert_record(
        conn,
        NewRow {
            client: s.client.id,
            kind: RecordKind::FamilyContact,
            org: auth.actor.org,
            author: auth.actor.user,
            at: now,
            security: None,
            title: &title,
            detail: &detail,
        },
    )
    .await?;
    store::write_details(conn, id, details, false).await?;
    store::history(conn, id, now, &auth.actor, "create", "null").await?;
    Ok(id)
}

/// The correction note (a ProfileNote of the caller's agency), with its creation in history.
async fn add_note(
    conn: &mut AnyConnection,
    auth: &AuthUser,
    s: &Scope,
    text: &str,
    now: chrono::NaiveDateTime,
) -> Result<RecordId, ApiError> {
    let id = store::insert_record(
        conn,
        NewRow {
            client: s.client.id,
            kind: RecordKind::ProfileNote,
            org: auth.actor.org,
            author: auth.actor.user,
            at: now,
            security: None,
            title: "Profile note",
            detail: text,
        },
    )
    .await?;
    store::history(conn, id, now, &auth.actor, "create", "null").await?;
    Ok(id)
}
