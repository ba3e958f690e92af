//! Changes to one record: edit, tombstone, end-date, security setting; each a compare-and-set
//! on the record as read (`writes::claim`).

use super::demographics::demographics;
use super::enrollments::{check_case_manager, ParseService};
use super::notes::check_note;
use super::summary::summary;
use super::writes::{begin_write, claim, finish_write, snapshot};
use super::{decide, load, to_service, Scope};
use crate::db::records as store;
use crate::db::AuditEntry;
use crate::db::RecordRow;
use crate::error::ApiError;
use crate::extract::parse_body;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use serde_json::Value;
use shared::api::records::*;
use shared::hud::Destination;
use shared::records::{
    check_answers, check_case_manager_agency, AttachmentMeta, AttachmentTarget, ContactRow,
    EnrollmentDates,
};
use shared::resolution::check_single_answer_change;
use shared::{
    can_delete, can_edit, can_end_date, can_set_security, Actor, Field, RecordKind, RecordMeta,
    SecuritySetting,
};
use sqlx::AnyConnection;

/// Sets the end date of a contact row, case-manager assignment or enrollment (its exit) that
/// was read as `seen` with `seen_details`, keeping the old value. It claims the record first
/// (`claim`), so it must be the first write of the transaction: 409 if the record changed since.
pub(super) async fn end_date_in_tx(
    conn: &mut AnyConnection,
    actor: &Actor,
    now: chrono::NaiveDateTime,
    seen: &RecordRow,
    seen_details: &Option<RecordDetails>,
    end: chrono::NaiveDate,
    destination: Option<Destination>,
) -> Result<RecordDetails, ApiError> {
    claim(conn, seen, seen_details).await?;
    let id = seen.meta.id;
    let new = match seen_details.clone() {
        Some(RecordDetails::Contact(mut c)) => {
            ContactRow {
                meta: seen.meta,
                contact_kind: c.contact_kind,
                value: c.value.clone(),
                start: c.start_date,
                end: Some(end),
            }
            .parse()?;
            c.end_date = Some(end);
            RecordDetails::Contact(c)
        }
        Some(RecordDetails::CaseManager(mut c)) => {
            c.end_date = Some(end);
            RecordDetails::CaseManager(c)
        }
        Some(RecordDetails::Enrollment(mut e)) => {
            e.exit_date = Some(end);
            // 3.12: the destination given with the exit; an exit without one keeps what was
            // recorded (a changed exit date does not forget where the client went).
            e.destination = destination.or(e.destination);
            RecordDetails::Enrollment(e)
        }
        _ => return Err(no_details()),
    };
    store::history(
        conn,
        id,
        now,
        actor,
        "end-date",
        &snapshot(seen, seen_details),
    )
    .await?;
    store::write_details(conn, id, &new, true).await?;
    let (title, detail) = summary(conn, &new, seen.meta.provenance.created_at.date()).await?;
    store::set_summary(conn, id, &title, &detail).await?;
    Ok(new)
}

fn no_details() -> ApiError {
    ApiError::validation(
        "details",
        "this record was entered before its fields were recorded separately; it can only be \
         deleted or replaced",
    )
}

/// Edits `row` (read with the details `old`) to `new` details after `can_edit` (404
/// unreadable, 403 refused), with history; 409 if the record changed since it was read.
pub(super) async fn apply_update(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    row: RecordRow,
    old: Option<RecordDetails>,
    new: RecordDetails,
) -> Result<RecordItem, ApiError> {
    let today = state.clock.today();
    let d = can_edit(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
    let d = decide(
        state,
        auth,
        s,
        &format!("update record #{}", row.meta.id),
        d,
    )
    .await?;
    let id = row.meta.id;
    let mut tx = begin_write(state, auth, &row, &old, "update").await?;
    let exists = old.is_some() && row.meta.kind != RecordKind::ProfileNote;
    store::write_details(&mut tx, id, &new, exists).await?;
    let (title, detail) = summary(&mut tx, &new, row.meta.provenance.created_at.date()).await?;
    store::set_summary(&mut tx, id, &title, &detail).await?;
    let action = format!("update {} record #{id}", row.meta.kind.label());
    finish_write(state, auth, s, tx, id, Some(new), &action, &d.reason).await
}

/// Edits record `id` with `body`, the kind's patch (see `shared::api::records::*Patch`). The
/// edit is decided before the body is looked at, so a refused caller learns nothing more.
pub async fn update_record(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
    body: Value,
) -> Result<RecordItem, ApiError> {
    let (row, s, _) = load(state, auth, id).await?;
    let today = state.clock.today();
    // The decision comes before the body is looked at: a refused caller learns nothing more.
    let edit = can_edit(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
    decide(state, auth, &s, &format!("update record #{id}"), edit).await?;
    let mut conn = state.pool.acquire().await?;
    let old = store::details(&mut conn, &row.meta).await?;
    drop(conn);
    let new = match (row.meta.kind, old.clone()) {
        (RecordKind::ProfileNote, _) => {
            let p: NoteInput = parse_body(body)?;
            RecordDetails::Note(NoteDetails {
                text: check_note(&s, &p.text)?,
            })
        }
        (RecordKind::FamilyContact, _) => return refuse_contact_edit(state, auth, &s, &row).await,
        (RecordKind::Photo, _) => {
            return Err(ApiError::validation(
                "body",
                "replace a photo with PUT /clients/{id}/photo",
            ))
        }
        (_, None) => return Err(no_details()),
        (_, Some(RecordDetails::Enrollment(e))) => {
            RecordDetails::Enrollment(patched_enrollment(state, &row, e, body).await?)
        }
        (_, Some(RecordDetails::Service(sd))) => {
            RecordDetails::Service(patched_service(&row, sd, body, today)?)
        }
        (_, Some(RecordDetails::CaseManager(c))) => {
            RecordDetails::CaseManager(patched_case_manager(state, &s, &row, c, body).await?)
        }
        (_, Some(RecordDetails::Form(mut f))) => {
            let p: FormPatch = parse_body(body)?;
            if let Some(a) = p.answers {
                check_answers(&a)?;
                f.answers = a;
            }
            RecordDetails::Form(f)
        }
        (_, Some(RecordDetails::Demographics(_))) => {
            let p: DemographicsInput = parse_body(body)?;
            RecordDetails::Demographics(demographics(&p)?)
        }
        (_, Some(RecordDetails::Attachment(a))) => {
            return update_attachment(state, auth, &s, (row, old, a), today, body).await
        }
        (_, Some(_)) => return Err(ApiError::NotFound),
    };
    apply_update(state, auth, &s, row, old, new).await
}

/// A contact row is never overwritten in place: the shared decision says why (403,
/// audited); were it ever allowed, the edit is still 404.
async fn refuse_contact_edit(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    row: &RecordRow,
) -> Result<RecordItem, ApiError> {
    let field = match store::details(&mut *state.pool.acquire().await?, &row.meta).await? {
        Some(RecordDetails::Contact(c)) => c.contact_kind.field(),
        _ => Field::Address,
    };
    let d = check_single_answer_change(
        &auth.actor,
        field,
        Some(row.meta.provenance.org),
        None,
        &state.policy,
    );
    decide(state, auth, s, "update contact row", d).await?;
    Err(ApiError::NotFound)
}

/// An enrollment with an `EnrollmentPatch` applied, its dates checked against its program.
async fn patched_enrollment(
    state: &AppState,
    row: &RecordRow,
    mut e: EnrollmentDetails,
    body: Value,
) -> Result<EnrollmentDetails, ApiError> {
    let p: EnrollmentPatch = parse_body(body)?;
    shared::input::enrollment_patch(&p, state.clock.today())?;
    if let Some(n) = p.case_name {
        e.case_name = shared::input::case_name(&n)?;
    }
    e.entry_date = p.entry_date.unwrap_or(e.entry_date);
    e.move_in_date = p.move_in_date.or(e.move_in_date);
    // Derived on the entry date (the body's `head_of_household` is ignored): the household decides.
    e.head_of_household = super::enrollments::head_on(state, row.meta.client, e.entry_date).await?;
    e.prior_living_situation = p.prior_living_situation.or(e.prior_living_situation);
    e.disabling_condition = p.disabling_condition.or(e.disabling_condition);
    e.enrollment_coc = p.enrollment_coc.or(e.enrollment_coc);
    // A patch checks what it changes: a destination it sets needs the stored exit.
    shared::hud::check_destination(e.exit_date, p.destination)?;
    e.destination = p.destination.or(e.destination);
    let mut conn = state.pool.acquire().await?;
    let program = store::program(&mut conn, e.program_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    drop(conn);
    EnrollmentDates {
        record: row.meta.id,
        org: row.meta.provenance.org,
        program: e.program_id,
        project_type: program.project_type,
        entry: e.entry_date,
        exit: e.exit_date,
        move_in: e.move_in_date,
    }
    .parse()?;
    Ok(e)
}

/// A service with a `ServicePatch` applied, checked as R-11 reads it.
fn patched_service(
    row: &RecordRow,
    mut sd: ServiceDetails,
    body: Value,
    today: chrono::NaiveDate,
) -> Result<ServiceDetails, ApiError> {
    let p: ServicePatch = parse_body(body)?;
    shared::input::service_patch(&p, today)?;
    if let Some(d) = p.description {
        sd.description = d.trim().to_owned();
    }
    sd.date = p.date.unwrap_or(sd.date);
    sd.case_management_minutes = p.case_management_minutes.or(sd.case_management_minutes);
    if let Some(n) = p.case_management_note {
        sd.case_management_note = Some(n.trim().to_owned()).filter(|n| !n.is_empty());
    }
    to_service(row.meta, &sd).parse_service()?;
    Ok(sd)
}

/// An assignment with a `CaseManagerPatch` applied: a new case manager of the owning agency
/// dates checked.
async fn patched_case_manager(
    state: &AppState,
    s: &Scope,
    row: &RecordRow,
    mut c: CaseManagerDetails,
    body: Value,
) -> Result<CaseManagerDetails, ApiError> {
    let p: CaseManagerPatch = parse_body(body)?;
    shared::input::case_manager_patch(&p, state.clock.today())?;
    if let Some(u) = p.case_manager_id {
        let mut conn = state.pool.acquire().await?;
        let cm_org = store::user_org(&mut conn, u).await?;
        check_case_manager_agency(cm_org, row.meta.provenance.org)?;
        c.case_manager_id = u;
    }
    c.start_date = p.start_date.unwrap_or(c.start_date);
    check_case_manager(s, &c)?;
    Ok(c)
}

/// An attachment's metadata edit (`AttachmentPatch`: file name, document type, R-9); the file
/// stays as uploaded.
async fn update_attachment(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    (row, old, mut a): (RecordRow, Option<RecordDetails>, AttachmentDetails),
    today: chrono::NaiveDate,
    body: Value,
) -> Result<RecordItem, ApiError> {
    let id = row.meta.id;
    let p: AttachmentPatch = parse_body(body)?;
    let edit = can_edit(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
    let d = decide(state, auth, s, &format!("update record #{id}"), edit).await?;
    if let Some(n) = p.file_name {
        a.file_name = n.trim().to_owned();
    }
    a.document_type = p.document_type.unwrap_or(a.document_type);
    AttachmentMeta {
        meta: row.meta,
        document_type: a.document_type,
        file_name: a.file_name.clone(),
        target: a
            .service_id
            .map_or(AttachmentTarget::ClientProfile, AttachmentTarget::Service),
    }
    .parse()?;
    let mut tx = begin_write(state, auth, &row, &old, "update").await?;
    store::update_attachment(&mut tx, row.meta.id, a.document_type, &a.file_name).await?;
    let details = RecordDetails::Attachment(a);
    let (title, detail) = summary(&mut tx, &details, today).await?;
    store::set_summary(&mut tx, row.meta.id, &title, &detail).await?;
    let action = format!("update Attachment record #{id}");
    let rid = row.meta.id;
    finish_write(state, auth, s, tx, rid, Some(details), &action, &d.reason).await
}

/// Tombstones record `id` (P-3) where `can_delete` allows; services never.
pub async fn delete_record(state: &AppState, auth: &AuthUser, id: i64) -> Result<(), ApiError> {
    let (row, s, _) = load(state, auth, id).await?;
    let d = can_delete(
        &auth.actor,
        &row.meta,
        &s.ctx(),
        state.clock.today(),
        &state.policy,
    );
    let d = decide(state, auth, &s, &format!("delete record #{id}"), d).await?;
    let old = store::details(&mut *state.pool.acquire().await?, &row.meta).await?;
    let mut tx = begin_write(state, auth, &row, &old, "delete").await?;
    store::tombstone(&mut tx, row.meta.id).await?;
    tx.commit().await?;
    // re-detect the client's entry/exit conflicts.
    if row.meta.kind == RecordKind::Enrollment {
        crate::services::jobs::on_enrollment_written(state, s.client.id).await;
    }
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!("delete {} record #{id}", row.meta.kind.label()),
                &d.reason,
            )
            .client(Some(&s.client.hmis_number)),
        )
        .await?;
    Ok(())
}

/// End-dates record `id`: a contact row, a case-manager assignment or an
/// enrollment (its exit, R-6).
pub async fn end_record(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
    input: EndDateInput,
) -> Result<RecordItem, ApiError> {
    let (row, s, _) = load(state, auth, id).await?;
    let today = state.clock.today();
    let d = can_end_date(
        &auth.actor,
        &row.meta,
        input.client_directed,
        &s.ctx(),
        today,
        &state.policy,
    );
    let d = decide(state, auth, &s, &format!("end-date record #{id}"), d).await?;
    let mut conn = state.pool.acquire().await?;
    let current = store::details(&mut conn, &row.meta).await?;
    drop(conn);
    shared::input::end_date(&input, today)?;
    if input.destination.is_some() && !matches!(current, Some(RecordDetails::Enrollment(_))) {
        return Err(ApiError::validation(
            "destination",
            "only an enrollment's exit records a destination (3.12)",
        ));
    }
    check_end(state, &s, &row, &current, input.end_date).await?;
    let now = state.clock.now();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let new = end_date_in_tx(
        &mut tx,
        &auth.actor,
        now,
        &row,
        &current,
        input.end_date,
        input.destination,
    )
    .await?;
    let action = format!("end-date {} record #{id}", row.meta.kind.label());
    let rid = row.meta.id;
    finish_write(state, auth, &s, tx, rid, Some(new), &action, &d.reason).await
}

/// Whether `row` (read with `current`) may end on `end`: an enrollment's exit within its
/// program's rules, an assignment not before its start, a contact row always.
async fn check_end(
    state: &AppState,
    s: &Scope,
    row: &RecordRow,
    current: &Option<RecordDetails>,
    end: chrono::NaiveDate,
) -> Result<(), ApiError> {
    match current {
        Some(RecordDetails::Enrollment(e)) => {
            let mut conn = state.pool.acquire().await?;
            let program = store::program(&mut conn, e.program_id)
                .await?
                .ok_or(ApiError::NotFound)?;
            drop(conn);
            EnrollmentDates {
                record: row.meta.id,
                org: row.meta.provenance.org,
                program: e.program_id,
                project_type: program.project_type,
                entry: e.entry_date,
                exit: Some(end),
                move_in: e.move_in_date,
            }
            .parse()?;
        }
        Some(RecordDetails::CaseManager(c)) => {
            check_case_manager(
                s,
                &CaseManagerDetails {
                    end_date: Some(end),
                    ..c.clone()
                },
            )
            .map_err(|_| ApiError::validation("end_date", "cannot be before the start date"))?;
        }
        Some(RecordDetails::Contact(_)) => {}
        _ => return Err(no_details()),
    }
    Ok(())
}

/// Sets the security of record `id` (S-5): a form's or attachment's setting, or a service's
/// note setting; lowering below the default needs an AgencyAdmin of the owning agency.
pub async fn set_security(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
    input: SecurityInput,
) -> Result<RecordItem, ApiError> {
    let (row, s, _) = load(state, auth, id).await?;
    let today = state.clock.today();
    let to = input.security;
    let mut conn = state.pool.acquire().await?;
    let details = store::details(&mut conn, &row.meta).await?;
    drop(conn);
    let (meta, default) = governed_setting(state, auth, &s, (&row, &details), to, today).await?;
    let d = can_set_security(
        &auth.actor,
        &meta,
        to,
        default,
        &s.ctx(),
        today,
        &state.policy,
    );
    let d = decide(state, auth, &s, &format!("set security of record #{id}"), d).await?;
    let mut tx = begin_write(state, auth, &row, &details, "set security").await?;
    let details = match details {
        Some(RecordDetails::Service(mut sd)) => {
            store::set_note_security(&mut tx, row.meta.id, to).await?;
            sd.note_security = to;
            Some(RecordDetails::Service(sd))
        }
        Some(RecordDetails::Form(mut f)) => {
            store::set_security(&mut tx, row.meta.id, to).await?;
            f.security = to;
            Some(RecordDetails::Form(f))
        }
        Some(RecordDetails::Attachment(mut a)) => {
            store::set_security(&mut tx, row.meta.id, to).await?;
            a.security = to;
            Some(RecordDetails::Attachment(a))
        }
        other => other,
    };
    let action = format!("set security of record #{id} to {}", to.as_str());
    let rid = row.meta.id;
    finish_write(state, auth, &s, tx, rid, details, &action, &d.reason).await
}

/// What a security setting of `row` governs and its default: the record itself (a form, an
/// attachment) or a service's note. A form or attachment entered before its details were
/// stored is decided as it stands (403 if refused) and then 422.
async fn governed_setting(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    (row, details): (&RecordRow, &Option<RecordDetails>),
    to: SecuritySetting,
    today: chrono::NaiveDate,
) -> Result<(RecordMeta, SecuritySetting), ApiError> {
    Ok(match details {
        Some(RecordDetails::Form(f)) => (
            row.meta,
            state.policy.default_security_for_form(f.form_type),
        ),
        Some(RecordDetails::Attachment(a)) => (
            row.meta,
            state.policy.default_security_for_document(a.document_type),
        ),
        Some(RecordDetails::Service(sd)) => (
            to_service(row.meta, sd).note_meta(),
            state.policy.default_security_for_service_note(),
        ),
        // Other kinds: the shared decision refuses any setting.
        _ if !matches!(row.meta.kind, RecordKind::Form | RecordKind::Attachment) => {
            (row.meta, state.policy.default_security)
        }
        _ => {
            let d = can_set_security(
                &auth.actor,
                &row.meta,
                to,
                state.policy.default_security,
                &s.ctx(),
                today,
                &state.policy,
            );
            decide(state, auth, s, "set security", d).await?;
            return Err(no_details());
        }
    })
}
