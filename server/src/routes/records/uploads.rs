//! Files: attachments and the client photo (S-1), their upload checks and downloads.

use super::{
    claim, created, current_of, decide, item, load, new_record, referenced, scope, singleton_taken,
    snapshot, summary, Scope,
};
use crate::db::records::{self as store, NewRow, StoredFile};
use crate::db::AuditEntry;
use crate::db::RecordRow;
use crate::error::{visible, ApiError};
use crate::extract::PathId;
use crate::files::store_file;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::body::{Body, HttpBody};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use shared::actions::{can_upload, Upload};
use shared::api::records::*;
use shared::records::{AttachmentMeta, AttachmentTarget, DocumentType};
use shared::{
    can_create, can_edit, can_read, ClientId, Decision, RecordId, RecordKind, RecordMeta,
};
use std::collections::HashMap;

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

/// Reads an upload body up to `limit` bytes. A larger one is read to its end (up to a cap, so the
/// client receives the answer) and refused: nothing is stored.
async fn read_upload(body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    let mut body = body;
    let mut out = Vec::new();
    let mut seen = 0usize;
    let cap = limit.saturating_mul(4).max(limit + 64 * 1024 * 1024);
    loop {
        let frame = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await;
        match frame {
            None => break,
            Some(Err(_)) => return Err(ApiError::validation("file", "the upload was interrupted")),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    seen = seen.saturating_add(data.len());
                    if seen <= limit {
                        out.extend_from_slice(&data);
                    } else {
                        out = Vec::new();
                        if seen > cap {
                            break;
                        }
                    }
                }
            }
        }
    }
    if seen > limit {
        return Err(ApiError::TooLarge {
            field: "file",
            limit,
        });
    }
    if out.is_empty() {
        return Err(ApiError::validation("file", "the file is empty"));
    }
    Ok(out)
}

/// Checks the sniffed type against the allowed ones and the declared `Content-Type`.
fn content_type(
    bytes: &[u8],
    headers: &HeaderMap,
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
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    match declared.as_deref() {
        None | Some("") | Some("application/octet-stream") => Ok(sniffed),
        Some(d) if d == sniffed => Ok(sniffed),
        Some(d) => Err(ApiError::validation(
            "content_type",
            format!("declared {d}, but the file's content is {sniffed}"),
        )),
    }
}

async fn remove_file(state: &AppState, key: &str) {
    let _ = tokio::fs::remove_file(state.config.files_dir.join(key)).await;
}

/// `POST /clients/{id}/attachments?document_type=..&file_name=..[&security=..][&service_id=..]`
/// with the file as the raw body: PDF, JPEG or PNG by content; never a Social Security card.
pub(super) async fn upload_attachment(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let doc = q
        .get("document_type")
        .ok_or_else(|| ApiError::validation("document_type", "missing"))?;
    let document_type: DocumentType = doc.parse()?;
    let file_name = q
        .get("file_name")
        .ok_or_else(|| ApiError::validation("file_name", "missing"))?
        .trim()
        .to_owned();
    let default = state.policy.default_security_for_document(document_type);
    let security = match q.get("security") {
        Some(v) => v.parse()?,
        None => default,
    };
    let service_id = match q.get("service_id") {
        Some(v) => Some(RecordId(v.parse().map_err(|_| {
            ApiError::validation("service_id", "must be a record id")
        })?)),
        None => None,
    };
    let s = scope(&state, &auth, ClientId(id)).await?;
    let service_owner = match service_id {
        Some(sid) => Some(
            referenced(&state, &auth, &s, sid, RecordKind::Service)
                .await?
                .meta
                .provenance
                .org,
        ),
        None => None,
    };
    let target = service_id.map_or(AttachmentTarget::ClientProfile, AttachmentTarget::Service);
    let d = decide(
        &state,
        &auth,
        &s,
        "upload attachment",
        can_upload(
            &auth.actor,
            &Upload {
                client: s.client.id,
                document_type,
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
        document_type,
        file_name: file_name.clone(),
        target,
    }
    .parse()?;
    let bytes = read_upload(body, state.config.max_upload_bytes).await?;
    let ct = content_type(
        &bytes,
        &headers,
        &["application/pdf", "image/jpeg", "image/png"],
    )?;
    let (key, sha) = store_file(&state.config.files_dir, &bytes).await?;
    let details = AttachmentDetails {
        document_type,
        file_name: file_name.clone(),
        content_type: ct.to_owned(),
        size_bytes: bytes.len() as u64,
        sha256: sha.clone(),
        service_id,
        security,
    };
    let result = async {
        let now = state.clock.now();
        let mut tx = state.pool.begin().await?;
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
                security: Some(security),
                title: &title,
                detail: &detail,
            },
        )
        .await?;
        let f = StoredFile {
            content_type: ct,
            size: bytes.len(),
            sha256: &sha,
            storage_key: &key,
        };
        store::insert_attachment(&mut tx, rid, document_type, &file_name, service_id, &f).await?;
        store::history(&mut tx, rid, now, &auth.actor, "create", "null").await?;
        let row = store::record(&mut tx, rid)
            .await?
            .ok_or(ApiError::NotFound)?;
        tx.commit().await?;
        Ok::<_, ApiError>(row)
    }
    .await;
    let row = match result {
        Ok(r) => r,
        Err(e) => {
            remove_file(&state, &key).await;
            return Err(e);
        }
    };
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
    Ok(created(item(
        &state,
        &auth.actor,
        &s.ctx(),
        row,
        Some(RecordDetails::Attachment(details)),
        read.reason,
    )))
}

/// `PUT /clients/{id}/photo` with a JPEG or PNG body (S-1: any agency). Replacing keeps the old
/// file and row in history.
pub(super) async fn put_photo(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let s = scope(&state, &auth, ClientId(id)).await?;
    let today = state.clock.today();
    let current = current_of(&state, s.client.id, RecordKind::Photo).await?;
    let d = match &current {
        None => can_create(
            &auth.actor,
            &new_record(&s, RecordKind::Photo, auth.actor.org),
        ),
        Some(row) => can_edit(&auth.actor, &row.meta, &s.ctx(), today, &state.policy),
    };
    let d = decide(&state, &auth, &s, "set photo", d).await?;
    let seen = match &current {
        Some(row) => store::details(&mut *state.pool.acquire().await?, &row.meta).await?,
        None => None,
    };
    let bytes = read_upload(body, state.config.max_upload_bytes).await?;
    let ct = content_type(&bytes, &headers, &["image/jpeg", "image/png"])?;
    let (key, sha) = store_file(&state.config.files_dir, &bytes).await?;
    let details = RecordDetails::Photo(PhotoDetails {
        content_type: ct.to_owned(),
        size_bytes: bytes.len() as u64,
        sha256: sha.clone(),
    });
    let result = async {
        let now = state.clock.now();
        let mut tx = state.pool.begin().await?;
        let (title, detail) = summary(&mut tx, &details, now.date()).await?;
        let f = StoredFile {
            content_type: ct,
            size: bytes.len(),
            sha256: &sha,
            storage_key: &key,
        };
        let rid = match &current {
            Some(row) => {
                claim(&mut tx, row, &seen).await?;
                let old = seen.clone();
                let old_key = store::storage_key(&mut tx, &row.meta).await?;
                let mut snap: Value =
                    serde_json::from_str(&snapshot(row, &old)).unwrap_or_default();
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
                store::write_photo(&mut tx, row.meta.id, &f, old_key.is_some()).await?;
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
                store::write_photo(&mut tx, rid, &f, false).await?;
                store::history(&mut tx, rid, now, &auth.actor, "create", "null").await?;
                rid
            }
        };
        let row = store::record(&mut tx, rid)
            .await?
            .ok_or(ApiError::NotFound)?;
        tx.commit().await?;
        Ok::<_, ApiError>(row)
    }
    .await;
    let row = match result {
        Ok(r) => r,
        Err(e) => {
            remove_file(&state, &key).await;
            return Err(e);
        }
    };
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
    let status = if current.is_some() {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        crate::extract::Json(item(
            &state,
            &auth.actor,
            &s.ctx(),
            row,
            Some(details),
            read.reason,
        )),
    )
        .into_response())
}

async fn file_response(
    state: &AppState,
    auth: &AuthUser,
    s: &Scope,
    row: &RecordRow,
    read: &Decision,
) -> Result<Response, ApiError> {
    let mut conn = state.pool.acquire().await?;
    let key = store::storage_key(&mut conn, &row.meta)
        .await?
        .ok_or(ApiError::NotFound)?;
    let details = store::details(&mut conn, &row.meta).await?;
    drop(conn);
    let (ct, name) = match details {
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
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok((
        [
            (header::CONTENT_TYPE, ct),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /records/{id}/file`: an attachment's or photo's bytes, to those who may read it.
pub(super) async fn get_file(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let (row, s, read) = load(&state, &auth, id).await?;
    file_response(&state, &auth, &s, &row, &read).await
}

/// `GET /clients/{id}/photo`: the current photo's bytes.
pub(super) async fn get_photo(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let s = scope(&state, &auth, ClientId(id)).await?;
    let row = current_of(&state, s.client.id, RecordKind::Photo)
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
    file_response(&state, &auth, &s, &row, &read).await
}
