//! `/api/v1/rois/{id}/document` and `/api/v1/mous/{id}/document`: the signed documents of ROIs
//! and MOUs, uploaded as a raw body (PDF, JPEG or PNG with its `Content-Type`) and downloaded as
//! an attachment. This module reads the upload and writes the download; who may attach or read
//! is decided in `services::releases`.

use crate::db::releases::StoredDocument;
use crate::error::ApiError;
use crate::extract::{Json, PathId};
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::services::releases;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::api::endpoints as ep;
use shared::api::releases::DocumentInfo;
use shared::documents::{DocumentFormat, MAX_DOCUMENT_BYTES};
use shared::{MouId, RoiId};

fn document_example() -> DocumentInfo {
    DocumentInfo {
        id: 1,
        content_type: "application/pdf".into(),
        size: 248_331,
    }
}

crate::documented!(ep::UploadRoiDocument {
    response: DocumentInfo = document_example();
});

crate::documented!(ep::GetRoiDocument {});

crate::documented!(ep::UploadMouDocument {
    response: DocumentInfo = document_example();
});

crate::documented!(ep::GetMouDocument {});

pub fn router() -> Api {
    // Uploads may be larger than the 1 MiB of every other body; the document check refuses
    // anything over MAX_DOCUMENT_BYTES with our error format.
    Api::new()
        .at_limited::<ep::UploadRoiDocument, _>(upload_roi_document, MAX_DOCUMENT_BYTES)
        .at::<ep::GetRoiDocument, _>(roi_document)
        .at_limited::<ep::UploadMouDocument, _>(upload_mou_document, MAX_DOCUMENT_BYTES)
        .at::<ep::GetMouDocument, _>(mou_document)
}

/// Reads an upload: a declared type we accept whose content really is of that type, at most
/// `MAX_DOCUMENT_BYTES`. Nothing is stored before this passes.
fn document(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(DocumentFormat, Bytes), ApiError> {
    let bytes = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge {
                field: "body",
                limit: MAX_DOCUMENT_BYTES,
            }
        } else {
            ApiError::validation("body", rejection.body_text())
        }
    })?;
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let format = DocumentFormat::check_upload(declared, &bytes).map_err(|e| {
        if bytes.len() > MAX_DOCUMENT_BYTES {
            ApiError::TooLarge {
                field: "body",
                limit: MAX_DOCUMENT_BYTES,
            }
        } else {
            ApiError::from(e)
        }
    })?;
    Ok((format, bytes))
}

fn document_response(doc: StoredDocument, name: &str) -> Response {
    let ext = match DocumentFormat::from_content_type(&doc.content_type) {
        Some(DocumentFormat::Pdf) => "pdf",
        Some(DocumentFormat::Jpeg) => "jpg",
        Some(DocumentFormat::Png) => "png",
        None => "bin",
    };
    let mut res = doc.content.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&doc.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{ext}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

/// `POST /rois/{id}/document`: the scan of the client's signed release, by a user of the
/// attesting agency, once. The body is read only once that is allowed.
async fn upload_roi_document(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<DocumentInfo>), ApiError> {
    let upload = || document(&headers, body);
    let info = releases::attach_roi_document(&state, &auth.actor, RoiId(id), upload).await?;
    Ok((StatusCode::CREATED, Json(info)))
}

/// `GET /rois/{id}/document`: the scan, to users of a named organization and SystemAdmins.
async fn roi_document(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let id = RoiId(id);
    let doc = releases::roi_document(&state, &auth.actor, id).await?;
    Ok(document_response(doc, &format!("roi-{id}")))
}

/// `POST /mous/{id}/document`: a SystemAdmin attaches the signed document, once. The body is
/// read only once that is allowed.
async fn upload_mou_document(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<DocumentInfo>), ApiError> {
    let upload = || document(&headers, body);
    let info = releases::attach_mou_document(&state, &auth.actor, MouId(id), upload).await?;
    Ok((StatusCode::CREATED, Json(info)))
}

/// `GET /mous/{id}/document`: SystemAdmins and users of a named organization.
async fn mou_document(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let id = MouId(id);
    let doc = releases::mou_document(&state, &auth.actor, id).await?;
    Ok(document_response(doc, &format!("mou-{id}")))
}
