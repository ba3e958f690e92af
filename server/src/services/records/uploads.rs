//! Files: attachments and the client photo (S-1), their content checks, storage and
//! downloads. The route reads the body; a use case awaits it only once the upload is decided,
//! and removes the stored file again if the record could not be written.

use super::summary::summary;
use super::writes::{claim, singleton_taken, snapshot};
use super::{current_of, decide, item, load, new_record, referenced, scope, Saved, Scope};
use crate::db::records::{self as store, NewRow, StoredFile};
use crate::db::AuditEntry;
use crate::db::RecordRow;
use crate::error::{visible, ApiError};
use crate::files::store_file;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use serde_json::Value;
use shared::actions::{can_upload, Upload};
use shared::api::records::*;
use shared::records::{AttachmentMeta, AttachmentTarget, DocumentType};
use shared::{
    can_create, can_edit, can_read, ClientId, Decision, RecordId, RecordKind, RecordMeta,
    SecuritySetting,
};
use std::future::Future;

/// An attachment upload as asked for: the setting defaults to the document type's.
pub struct AttachmentUpload {
    pub document_type: DocumentType,
    pub file_name: String,
    pub security: Option<SecuritySetting>,
    pub service_id: Option<RecordId>,
}

/// A stored file to send: its content type, its name as stored (unsafe for a header as it
/// stands) and its bytes.
pub struct Download {
    pub content_type: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The content type of a file, by its first bytes; only PDF, JPEG and PNG are accepted.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// Checks the sniffed type against the allowed ones and the declared content type (lowercase,
/// without parameters; none, empty or `application/octet-stream` declares nothing).
fn content_type(
    bytes: &[u8],
    declared: Option<&str>,
    allowed: &[&str],
) -> Result<&'static str, ApiError> {
    let sniffed = sniff(bytes)
        .filter(|t| allowed.contains(t))
        .ok_or_else(|| {
            ApiError::validation(
                "file",
                format!("the file's content is not one of: {}", allowed.join(", ")),
            )
        })?;
    match declared {
        None | Some("") | Some("application/octet-stream") => Ok(sniffed),
        Some(d) if d == sniffed => Ok(sniffed),
        Some(d) => Err(ApiError::validation(
            "content_type",
            format!("declared {d}, but the file's content is {sniffed}"),
        )),
    }
}

/// `result`, after removing the stored file `key` if it is an error (its record was not
/// written, so nothing refers to the file).
async fn or_remove<T>(
    state: &AppState,
    key: &str,
    result: Result<T, ApiError>,
) -> Result<T, ApiError> {
    if result.is_err() {
        let _ = tokio::fs::remove_file(state.config.files_dir.join(key)).await;
    }
    result
}

/// Uploads an attachment of client `id`: PDF, JPEG or PNG by content, never a Social
/// Security card. `file` reads the body (422 or 413 when empty, interrupted or too large); it
/// is awaited after the decision and the metadata checks.
pub async fn upload_attachment(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
    upload: AttachmentUpload,
    declared: Option<String>,
    file: impl Future<Output = Result<Vec<u8>, ApiError>>,
) -> Result<RecordItem, ApiError> {
    let default = state
        .policy
        .default_security_for_document(upload.document_type);
    let security = upload.security.unwrap_or(default);
    let s = scope(state, auth, id).await?;
    let d = decide_upload(state, auth, &s, &upload, security).await?;
    let AttachmentUpload {
        document_type,
        file_name,
        service_id,
        ..
    } = upload;
    let bytes = file.await?;
    let allowed = ["application/pdf", "image/jpeg", "image/png"];
    let ct = content_type(&bytes, declared.as_deref(), &allowed)?;
    let (key, sha) = store_file(&state.config.files_dir, &bytes).await?;
    let details = AttachmentDetails {
        document_type,
        file_name,
        content_type: ct.to_owned(),
        size_bytes: bytes.len() as u64,
        sha256: sha.clone(),
        service_id,
        security,
    };
    let f = StoredFile {
        content_type: ct,
        size: bytes.len(),
        sha256: &sha,
        storage_key: &key,
    };
    let written = insert_attachment(state, auth, &s, &details, &f).await;
    let row = or_remove(state, &key, written).await?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!("upload attachment #{}", row.meta.id),
                &d.reason,
            )
            .client(Some(&s.client.hmis_number)),
        )
        .await?;
    let read = can_read(
        &auth.actor,
        &row.meta,
        &s.ctx(),
        state.clock.today(),
        &state.policy,
    );
    Ok(item(
        state,
        &auth.actor,
        &s.ctx(),
        row,
        Some(RecordDetails::Attachment(details)),
        read.reason,
    ))
}

/// The upload decided (`can_upload`: 403, audited, if refused) and its metadata checked;
/// the service it is filed under must be one of the client's that the caller may read (422).
async fn decide_upload(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    upload: &AttachmentUpload,
    security: SecuritySetting,
) -> Result<Decision, ApiError> {
    let service_owner = match upload.service_id {
        Some(sid) => Some(
            referenced(state, auth, s, ("service_id", sid), RecordKind::Service)
                .await?
                .meta
                .provenance
                .org,
        ),
        None => None,
    };
    let target = upload
        .service_id
        .map_or(AttachmentTarget::ClientProfile, AttachmentTarget::Service);
    let d = decide(
        state,
        auth,
        s,
        "upload attachment",
        can_upload(
            &auth.actor,
            &Upload {
                client: s.client.id,
                document_type: upload.document_type,
                target,
                service_owner,
                setting: security,
            },
            &state.policy,
        ),
    )
    .await?;
    AttachmentMeta {
        meta: RecordMeta {
            kind: RecordKind::Attachment,
            ..s.client.meta
        },
        document_type: upload.document_type,
        file_name: upload.file_name.clone(),
        target,
    }
    .parse()?;
    Ok(d)
}

/// The attachment's record, its file row and its creation in history, in one transaction.
async fn insert_attachment(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    details: &AttachmentDetails,
    f: &StoredFile<'_>,
) -> Result<RecordRow, ApiError> {
    let now = state.clock.now();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let (title, detail) = summary(
        &mut tx,
        &RecordDetails::Attachment(details.clone()),
        now.date(),
    )
    .await?;
    let rid = store::insert_record(
        &mut tx,
        NewRow {
            client: s.client.id,
            kind: RecordKind::Attachment,
            org: auth.actor.org,
            author: auth.actor.user,
            at: now,
            security: Some(details.security),
            title: &title,
            detail: &detail,
        },
    )
    .await?;
    store::insert_attachment(
        &mut tx,
        rid,
        details.document_type,
        &details.file_name,
        details.service_id,
        f,
    )
    .await?;
    store::history(&mut tx, rid, now, &auth.actor, "create", "null").await?;
    let row = store::record(&mut tx, rid)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}

/// Sets client `id`'s photo (S-1: any agency), JPEG or PNG by content: the first one is created,
/// a later one replaces the current photo, keeping the old file and row in history. `file` reads
/// the body, awaited after the decision.
pub async fn put_photo(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
    declared: Option<String>,
    file: impl Future<Output = Result<Vec<u8>, ApiError>>,
) -> Result<Saved, ApiError> {
    let s = scope(state, auth, id).await?;
    let today = state.clock.today();
    let current = current_of(state, s.client.id, RecordKind::Photo).await?;
    let d = match &current {
        None => can_create(
            &auth.actor,
            &new_record(&s, RecordKind::Photo, auth.actor.org),
        ),
        Some(row) => can_edit(&auth.actor, &row.meta, &s.ctx(), today, &state.policy),
    };
    let d = decide(state, auth, &s, "set photo", d).await?;
    let seen = match &current {
        Some(row) => store::details(&mut *state.pool.acquire().await?, &row.meta).await?,
        None => None,
    };
    let bytes = file.await?;
    let ct = content_type(&bytes, declared.as_deref(), &["image/jpeg", "image/png"])?;
    let (key, sha) = store_file(&state.config.files_dir, &bytes).await?;
    let details = RecordDetails::Photo(PhotoDetails {
        content_type: ct.to_owned(),
        size_bytes: bytes.len() as u64,
        sha256: sha.clone(),
    });
    let f = StoredFile {
        content_type: ct,
        size: bytes.len(),
        sha256: &sha,
        storage_key: &key,
    };
    let seen = current.as_ref().map(|row| (row, &seen));
    let written = write_photo(state, auth, &s, seen, &details, &f).await;
    let row = or_remove(state, &key, written).await?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!("set photo #{}", row.meta.id),
                &d.reason,
            )
            .client(Some(&s.client.hmis_number)),
        )
        .await?;
    let read = can_read(&auth.actor, &row.meta, &s.ctx(), today, &state.policy);
    let it = item(
        state,
        &auth.actor,
        &s.ctx(),
        row,
        Some(details),
        read.reason,
    );
    Ok(if current.is_some() {
        Saved::Replaced(it)
    } else {
        Saved::Created(it)
    })
}

/// The photo's transaction: the current photo (`seen`, as read with its details) claimed, its
/// old value and file kept in history and its file row replaced; or, with none, a new record
/// (409 if another first photo came first).
async fn write_photo(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    seen: Option<(&RecordRow, &Option<RecordDetails>)>,
    details: &RecordDetails,
    f: &StoredFile<'_>,
) -> Result<RecordRow, ApiError> {
    let now = state.clock.now();
    let mut tx = crate::db::begin_write(&state.pool).await?;
    let (title, detail) = summary(&mut tx, details, now.date()).await?;
    let rid = match seen {
        Some((row, seen)) => {
            claim(&mut tx, row, seen).await?;
            let old = seen.clone();
            let old_key = store::storage_key(&mut tx, &row.meta).await?;
            let mut snap: Value = serde_json::from_str(&snapshot(row, &old)).unwrap_or_default();
            snap["storage_key"] = Value::from(old_key.clone());
            store::history(
                &mut tx,
                row.meta.id,
                now,
                &auth.actor,
                "update",
                &snap.to_string(),
            )
            .await?;
            store::write_photo(&mut tx, row.meta.id, f, old_key.is_some()).await?;
            store::set_summary(&mut tx, row.meta.id, &title, &detail).await?;
            row.meta.id
        }
        None => {
            let rid = store::insert_record(
                &mut tx,
                NewRow {
                    client: s.client.id,
                    kind: RecordKind::Photo,
                    org: auth.actor.org,
                    author: auth.actor.user,
                    at: now,
                    security: None,
                    title: &title,
                    detail: &detail,
                },
            )
            .await
            .map_err(|e| singleton_taken(e, RecordKind::Photo))?;
            store::write_photo(&mut tx, rid, f, false).await?;
            store::history(&mut tx, rid, now, &auth.actor, "create", "null").await?;
            rid
        }
    };
    let row = store::record(&mut tx, rid)
        .await?
        .ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(row)
}

/// The file of `row` (an attachment, or a photo named `photo.png` / `photo.jpg`), audited as a
/// download with the read decision's reason.
async fn download(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    row: &RecordRow,
    read: &Decision,
) -> Result<Download, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let key = store::storage_key(&mut conn, &row.meta)
        .await?
        .ok_or(ApiError::NotFound)?;
    let details = store::details(&mut conn, &row.meta).await?;
    drop(conn);
    let (content_type, file_name) = match details {
        Some(RecordDetails::Attachment(a)) => (a.content_type, a.file_name),
        Some(RecordDetails::Photo(p)) => {
            let ext = if p.content_type == "image/png" {
                "png"
            } else {
                "jpg"
            };
            (p.content_type, format!("photo.{ext}"))
        }
        _ => return Err(ApiError::NotFound),
    };
    let bytes = tokio::fs::read(state.config.files_dir.join(&key))
        .await
        .map_err(|e| ApiError::Internal(format!("reading a stored file: {e}")))?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                format!("download file of record #{}", row.meta.id),
                &read.reason,
            )
            .client(Some(&s.client.hmis_number)),
        )
        .await?;
    Ok(Download {
        content_type,
        file_name,
        bytes,
    })
}

/// Record `id`'s file (an attachment or a photo), to those who may read it.
pub async fn get_file(state: &AppState, auth: &AuthUser, id: i64) -> Result<Download, ApiError> {
    let (row, s, read) = load(state, auth, id).await?;
    download(state, auth, &s, &row, &read).await
}

/// Client `id`'s current photo, to those who may read it.
pub async fn get_photo(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
) -> Result<Download, ApiError> {
    let s = scope(state, auth, id).await?;
    let row = current_of(state, s.client.id, RecordKind::Photo)
        .await?
        .ok_or(ApiError::NotFound)?;
    let read = can_read(
        &auth.actor,
        &row.meta,
        &s.ctx(),
        state.clock.today(),
        &state.policy,
    );
    let read = visible(read)?;
    download(state, auth, &s, &row, &read).await
}
