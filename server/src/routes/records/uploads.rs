//! Files: attachments and the client photo (S-1) as raw request bodies, and their
//! downloads. Here the HTTP of it (the query, the declared `Content-Type`, reading the body up
//! to the limit, the download's headers); the checks and storage are
//! `services::records::uploads`.

use crate::error::ApiError;
use crate::extract::{Json, PathId};
use crate::services::auth::AuthUser;
use crate::services::records::uploads::{self, AttachmentUpload, Download};
use crate::services::records::Saved;
use crate::state::AppState;
use axum::body::{Body, HttpBody};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::records::DocumentType;
use shared::{ClientId, RecordId};
use std::collections::HashMap;

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
            // Past the limit, an error is the request's body limit (`RequestBodyLimit`): too large.
            Some(Err(_)) if seen > limit => break,
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

/// The declared `Content-Type`, lowercase and without its parameters.
fn declared(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
}

/// The upload's query: `document_type` and `file_name` required, `security` and `service_id`
/// optional.
fn attachment_query(q: &HashMap<String, String>) -> Result<AttachmentUpload, ApiError> {
    let doc = q
        .get("document_type")
        .ok_or_else(|| ApiError::validation("document_type", "missing"))?;
    let document_type: DocumentType = doc.parse()?;
    let file_name = q
        .get("file_name")
        .ok_or_else(|| ApiError::validation("file_name", "missing"))?
        .trim()
        .to_owned();
    let security = match q.get("security") {
        Some(v) => Some(v.parse()?),
        None => None,
    };
    let service_id = match q.get("service_id") {
        Some(v) => Some(RecordId(v.parse().map_err(|_| {
            ApiError::validation("service_id", "must be a record id")
        })?)),
        None => None,
    };
    Ok(AttachmentUpload {
        document_type,
        file_name,
        security,
        service_id,
    })
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
    let upload = attachment_query(&q)?;
    let file = read_upload(body, state.config.max_upload_bytes);
    let it = uploads::upload_attachment(
        &state,
        &auth,
        ClientId(id),
        upload,
        declared(&headers),
        file,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(it)).into_response())
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
    let file = read_upload(body, state.config.max_upload_bytes);
    Ok(
        match uploads::put_photo(&state, &auth, ClientId(id), declared(&headers), file).await? {
            Saved::Created(it) => (StatusCode::CREATED, Json(it)).into_response(),
            Saved::Replaced(it) => (StatusCode::OK, Json(it)).into_response(),
        },
    )
}

/// A download as an attachment, its name reduced to safe characters for the header.
fn file_response(d: Download) -> Response {
    let safe: String = d
        .file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, d.content_type),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{safe}\""),
            ),
        ],
        d.bytes,
    )
        .into_response()
}

/// `GET /records/{id}/file`: an attachment's or photo's bytes, to those who may read it.
pub(super) async fn get_file(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    Ok(file_response(uploads::get_file(&state, &auth, id).await?))
}

/// `GET /clients/{id}/photo`: the current photo's bytes.
pub(super) async fn get_photo(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    Ok(file_response(
        uploads::get_photo(&state, &auth, ClientId(id)).await?,
    ))
}
