//! The client records API (SPEC section 2): lists and creation under `/api/v1/clients/{id}/...`,
//! one record under `/api/v1/records/{id}`. Every read and write is decided by `shared` (read,
//! create, edit, delete, end-date, security, upload, contact plan) and audited (P-4); every change
//! keeps the old value in `record_history` (P-3). A record the caller may not read is 404.
//!
//! Here: the router and the helpers every handler shares (scope and record loading, decisions and
//! audit, the summary, `insert`, `claim`). One submodule per concern: `operations` (OpenAPI),
//! `lists` (reads), `enrollments` (enrollments, services, case managers), `contacts`, `notes`,
//! `forms`, `demographics`, `uploads` (attachments, photo, downloads) and `changes` (edit,
//! tombstone, end-date, security setting of one record).

mod changes;
mod contacts;
mod demographics;
mod enrollments;
mod forms;
mod lists;
mod notes;
mod operations;
mod uploads;

use crate::db::records::{self as store, NewRow};
use crate::db::AuditEntry;
use crate::db::{self, ClientRow, RecordRow};
use crate::error::{allow, visible, ApiError};
use crate::extract::{parse_body, PathId};
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use changes::{delete_record, end_record, set_security, update_record};
use contacts::create_contact;
use demographics::put_demographics;
use enrollments::{create_case_manager, create_enrollment, create_service};
use forms::create_form;
use lists::{checklist, get_record, list};
use notes::create_note;
use shared::actions::NewRecord;
use shared::api::endpoints as ep;
use shared::api::records::*;
use shared::records::{FormType, Service};
use shared::{
    can_read, Actor, ClientId, Decision, Mou, RecordId, RecordKind, RecordMeta, Roi,
    SecuritySetting, SharingContext,
};
use sqlx::AnyConnection;
use uploads::{get_file, get_photo, put_photo, upload_attachment};

pub fn router() -> Api {
    Api::new()
        .at::<ep::ListEnrollments, _>(list_of(RecordKind::Enrollment))
        .at::<ep::CreateEnrollment, _>(create_enrollment)
        .at::<ep::ListServices, _>(list_of(RecordKind::Service))
        .at::<ep::CreateService, _>(create_service)
        .at::<ep::ListContacts, _>(list_of(RecordKind::FamilyContact))
        .at::<ep::CreateContact, _>(create_contact)
        .at::<ep::ListCaseManagers, _>(list_of(RecordKind::CaseManager))
        .at::<ep::CreateCaseManager, _>(create_case_manager)
        .at::<ep::ListNotes, _>(list_of(RecordKind::ProfileNote))
        .at::<ep::CreateNote, _>(create_note)
        .at::<ep::ListForms, _>(list_of(RecordKind::Form))
        .at::<ep::CreateForm, _>(create_form)
        .at::<ep::ListAttachments, _>(list_of(RecordKind::Attachment))
        .at::<ep::UploadAttachment, _>(upload_attachment)
        .at::<ep::ListDemographics, _>(list_of(RecordKind::Demographics))
        .at::<ep::PutDemographics, _>(put_demographics)
        .at::<ep::ListPhotos, _>(list_of(RecordKind::Photo))
        .at::<ep::PutPhoto, _>(put_photo)
        .at::<ep::GetPhoto, _>(get_photo)
        .at::<ep::GetChecklist, _>(checklist)
        .at::<ep::GetRecord, _>(get_record)
        .at::<ep::UpdateRecord, _>(update_record)
        .at::<ep::DeleteRecord, _>(delete_record)
        .at::<ep::EndRecord, _>(end_record)
        .at::<ep::SetRecordSecurity, _>(set_security)
        .at::<ep::GetRecordFile, _>(get_file)
}

/// The `GET` handler of a client's records of one kind. Routed as `get(list_of(kind))`, so the
/// OpenAPI route check (a source scan for `get(`, `post(`, ...) sees the method.
fn list_of(
    kind: RecordKind,
) -> impl Fn(State<AppState>, AuthUser, PathId) -> ListFuture + Clone + Send + Sync + 'static {
    move |state, auth, PathId(id)| Box::pin(list(state, auth, id, kind))
}

type ListFuture = std::pin::Pin<
    Box<
        dyn std::future::Future<Output = Result<crate::extract::Json<RecordList>, ApiError>> + Send,
    >,
>;

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

/// The client, if it exists and the caller may read its intake; else 404.
async fn scope(state: &AppState, auth: &AuthUser, id: ClientId) -> Result<Scope, ApiError> {
    let client = db::client_by_id(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let rois = db::rois_of_client(&state.pool, client.id).await?;
    let mous = db::all_mous(&state.pool).await?;
    let s = Scope { client, rois, mous };
    let read = can_read(
        &auth.actor,
        &s.client.meta,
        &s.ctx(),
        state.clock.today(),
        &state.policy,
    );
    visible(read)?;
    Ok(s)
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

/// How a write to one existing record ends: the record read again inside the transaction, the
/// commit, R-7's re-detection when an enrollment changed, the audit entry with the decision's
/// reason, and the record as the actor now reads it.
#[allow(clippy::too_many_arguments)]
async fn finish_write(
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
        title: row.title,
        detail: row.detail,
        details,
        reason,
    }
}

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

/// The full stored value (note unredacted), as `record_history` keeps it.
fn snapshot(row: &RecordRow, details: &Option<RecordDetails>) -> String {
    serde_json::json!({
        "meta": row.meta,
        "title": row.title,
        "detail": row.detail,
        "details": details,
    })
    .to_string()
}

fn text(field: &str, v: &str, max: usize) -> Result<String, ApiError> {
    let t = v.trim();
    if t.is_empty() {
        return Err(ApiError::validation(field, "cannot be empty"));
    }
    if t.chars().count() > max || t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(ApiError::validation(
            field,
            format!("at most {max} characters, no control characters"),
        ));
    }
    Ok(t.to_owned())
}

fn opt_text(field: &str, v: &Option<String>) -> Result<Option<String>, ApiError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => text(field, t, 200).map(Some),
    }
}

fn form_label(t: FormType) -> &'static str {
    match t {
        FormType::CaseNotes => "Case notes",
        FormType::HmisBarriers => "HMIS barriers assessment",
        FormType::Health => "Health assessment",
        FormType::Addictions => "Addictions assessment",
        FormType::Legal => "Legal assessment",
        FormType::DomesticViolence => "Domestic violence assessment",
        FormType::Income => "Income assessment",
        FormType::Employment => "Employment assessment",
        FormType::Housing => "Housing assessment",
        FormType::Other => "Other form",
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The profile's `title` and `detail` for a record's details (never a service's note).
async fn summary(
    conn: &mut AnyConnection,
    d: &RecordDetails,
    created: chrono::NaiveDate,
) -> Result<(String, String), ApiError> {
    Ok(match d {
        RecordDetails::Enrollment(e) => {
            let mut detail = format!("Entry {}", e.entry_date);
            match e.exit_date {
                Some(x) => detail.push_str(&format!(" · exit {x}")),
                None => detail.push_str(" · active"),
            }
            if let Some(m) = e.move_in_date {
                detail.push_str(&format!(" · moved in {m}"));
            }
            (format!("{} · {}", e.program_name, e.case_name), detail)
        }
        RecordDetails::Service(s) => {
            let kind = match s.service_kind {
                shared::records::ServiceKind::Need => "Need",
                shared::records::ServiceKind::Transaction => "Service",
                shared::records::ServiceKind::Referral => "Referral",
            };
            let mut detail = format!("Provided {}", s.date);
            if let Some(m) = s.case_management_minutes {
                detail.push_str(&format!(" · {m} min case management"));
            }
            (format!("{kind}: {}", s.description), detail)
        }
        RecordDetails::Contact(c) => {
            let mut detail = format!("{} · since {}", c.value, c.start_date);
            if let Some(e) = c.end_date {
                detail.push_str(&format!(" · until {e}"));
            }
            (capitalized(c.contact_kind.label()), detail)
        }
        RecordDetails::Demographics(d) => {
            let recorded: Vec<&str> = [
                (d.ethnicity.is_some(), "ethnicity"),
                (d.race.is_some(), "race"),
                (d.religious_preference.is_some(), "religious preference"),
                (d.citizenship_status.is_some(), "citizenship status"),
            ]
            .iter()
            .filter(|(set, _)| *set)
            .map(|(_, n)| *n)
            .collect();
            let detail = if recorded.is_empty() {
                "Nothing recorded".to_owned()
            } else {
                capitalized(&format!("{} recorded", recorded.join(", ")))
            };
            ("Demographics".to_owned(), detail)
        }
        RecordDetails::CaseManager(c) => {
            let user = store::user_name(conn, c.case_manager_id).await?;
            let program = store::program(conn, c.program_id).await?;
            let mut detail = format!(
                "{} · {} · assigned {}",
                user.unwrap_or_else(|| "Unknown user".to_owned()),
                program.map(|p| p.name).unwrap_or_default(),
                c.start_date
            );
            if let Some(e) = c.end_date {
                detail.push_str(&format!(" · ended {e}"));
            }
            ("Case manager".to_owned(), detail)
        }
        RecordDetails::Note(n) => ("Profile note".to_owned(), n.text.clone()),
        RecordDetails::Form(f) => (
            form_label(f.form_type).to_owned(),
            format!("Completed {created}"),
        ),
        RecordDetails::Attachment(a) => (
            format!("{} ({})", a.document_type.label(), a.file_name),
            format!("{}, {} bytes", a.content_type, a.size_bytes),
        ),
        RecordDetails::Photo(p) => (
            "Photo".to_owned(),
            format!("{}, {} bytes", p.content_type, p.size_bytes),
        ),
    })
}

/// Creates a record with its details in one transaction, with its creation in history. A
/// record it refers to (`on`: a service's enrollment) is claimed first, so that it cannot be
/// deleted meanwhile (409 if it was).
#[allow(clippy::too_many_arguments)] // each is one fact of the new row; a struct would only rename them
async fn insert(
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
    let mut tx = state.pool.begin().await?;
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
fn singleton_taken(e: sqlx::Error, kind: RecordKind) -> ApiError {
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
async fn begin_write(
    state: &AppState,
    auth: &AuthUser,
    seen: &RecordRow,
    seen_details: &Option<RecordDetails>,
    what: &str,
) -> Result<sqlx::Transaction<'static, sqlx::Any>, ApiError> {
    let mut tx = state.pool.begin().await?;
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
async fn claim(
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

fn new_record(s: &Scope, kind: RecordKind, owner: shared::OrgId) -> NewRecord {
    NewRecord {
        client: s.client.id,
        kind,
        owner,
        security: None,
        default_security: None,
    }
}

fn created(item: RecordItem) -> Response {
    (StatusCode::CREATED, crate::extract::Json(item)).into_response()
}

/// A record of this client and kind referenced from a body; another client's id is 404 (IDOR).
async fn referenced(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    id: RecordId,
    kind: RecordKind,
) -> Result<RecordRow, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let row = store::record(&mut conn, id)
        .await?
        .filter(|r| r.meta.client == s.client.id && r.meta.kind == kind)
        .ok_or(ApiError::NotFound)?;
    let read = can_read(
        &auth.actor,
        &row.meta,
        &s.ctx(),
        state.clock.today(),
        &state.policy,
    );
    visible(read)?;
    if row.meta.deleted {
        return Err(ApiError::NotFound);
    }
    Ok(row)
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
