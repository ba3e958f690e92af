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

use crate::auth::AuthUser;
use crate::db::records::{self as store, NewRow};
use crate::db::{self, ClientRow, RecordRow};
use crate::error::{allow, visible, ApiError};
use crate::routes::PathId;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use changes::{delete_record, end_record, set_security, update_record};
use contacts::create_contact;
use demographics::put_demographics;
use enrollments::{create_case_manager, create_enrollment, create_service};
use forms::create_form;
use lists::{checklist, get_record, list};
use notes::create_note;
use serde::de::DeserializeOwned;
use serde_json::Value;
use shared::actions::NewRecord;
use shared::api::records::*;
use shared::records::{FormType, Service};
use shared::{
    can_read, Actor, ClientId, Decision, Mou, RecordId, RecordKind, RecordMeta, Roi,
    SecuritySetting, SharingContext,
};
use sqlx::AnyConnection;
use uploads::{get_file, get_photo, put_photo, upload_attachment};

pub use operations::OPERATIONS;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/clients/{id}/enrollments",
            get(list_of(RecordKind::Enrollment)).post(create_enrollment),
        )
        .route(
            "/clients/{id}/services",
            get(list_of(RecordKind::Service)).post(create_service),
        )
        .route(
            "/clients/{id}/contacts",
            get(list_of(RecordKind::FamilyContact)).post(create_contact),
        )
        .route(
            "/clients/{id}/case-managers",
            get(list_of(RecordKind::CaseManager)).post(create_case_manager),
        )
        .route(
            "/clients/{id}/notes",
            get(list_of(RecordKind::ProfileNote)).post(create_note),
        )
        .route(
            "/clients/{id}/forms",
            get(list_of(RecordKind::Form)).post(create_form),
        )
        .route(
            "/clients/{id}/attachments",
            get(list_of(RecordKind::Attachment)).post(upload_attachment),
        )
        .route(
            "/clients/{id}/demographics",
            get(list_of(RecordKind::Demographics)).put(put_demographics),
        )
        .route("/clients/{id}/photos", get(list_of(RecordKind::Photo)))
        .route("/clients/{id}/photo", put(put_photo).get(get_photo))
        .route("/clients/{id}/checklist", get(checklist))
        .route(
            "/records/{id}",
            get(get_record).patch(update_record).delete(delete_record),
        )
        .route("/records/{id}/end", post(end_record))
        .route("/records/{id}/security", put(set_security))
        .route("/records/{id}/file", get(get_file))
}

/// The `GET` handler of a client's records of one kind. Routed as `get(list_of(kind))`, so the
/// OpenAPI route check (a source scan for `get(`, `post(`, ...) sees the method.
fn list_of(
    kind: RecordKind,
) -> impl Fn(State<AppState>, AuthUser, PathId) -> ListFuture + Clone + Send + Sync + 'static {
    move |state, auth, PathId(id)| Box::pin(list(state, auth, id, kind))
}

type ListFuture = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<crate::routes::Json<RecordList>, ApiError>> + Send>,
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

async fn audit(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    action: &str,
    reason: &str,
) -> Result<(), ApiError> {
    auth.audit(state, Some(&s.client.hmis_number), action, reason)
        .await
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
        crate::jobs::on_enrollment_written(state, s.client.id).await;
    }
    audit(state, auth, s, action, &format!("{reason:?}")).await?;
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
    audit(
        state,
        auth,
        s,
        &format!("refused: {action}"),
        &format!("{:?}", d.reason),
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

/// Parses a JSON body into `T`, naming the offending top-level field in the 422.
fn parse_body<T: DeserializeOwned>(body: Value) -> Result<T, ApiError> {
    let err = match serde_json::from_value::<T>(body.clone()) {
        Ok(v) => return Ok(v),
        Err(e) => e.to_string(),
    };
    for prefix in ["missing field `", "unknown field `"] {
        if let Some(rest) = err.strip_prefix(prefix) {
            let field = rest.split('`').next().unwrap_or("body");
            return Err(ApiError::validation(field, err.clone()));
        }
    }
    // A wrong type: the field whose removal changes the error is the culprit.
    if let Value::Object(map) = &body {
        for key in map.keys() {
            let mut without = map.clone();
            without.remove(key);
            match serde_json::from_value::<T>(Value::Object(without)) {
                Ok(_) => return Err(ApiError::validation(key, err)),
                Err(e) if e.to_string().contains(&format!("`{key}`")) => {
                    return Err(ApiError::validation(key, err))
                }
                Err(_) => {}
            }
        }
    }
    Err(ApiError::validation("body", err))
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
    audit(
        state,
        auth,
        s,
        &format!("create {} record #{}", kind.label(), id),
        &format!("{:?}", reason.reason),
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
    (StatusCode::CREATED, crate::routes::Json(item)).into_response()
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
