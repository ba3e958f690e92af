//! `/api/v1/clients/{id}/rois`, `/api/v1/rois/...` (S-3) and `/api/v1/mous/...` (S-4, S-6):
//! releases of information and MOUs, their signatures and their signed documents. Every decision
//! is a shared one (`can_set_roi`, `new_roi`, `can_revoke_roi`, `can_see_roi`,
//! `can_attach_roi_document`, `can_create_mou`, `can_change_mou`, `can_sign_mou`,
//! `can_attach_mou_document`, `can_read_mou_document`, `validate_mou`, `mou_status`).

use crate::db::releases::{self as q, DocumentOwner};
use crate::db::AuditEntry;
use crate::db::{self, ClientRow};
use crate::error::{allow, visible, ApiError};
use crate::extract::{Json, PathId};
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use shared::actions::{
    mou_status, new_roi, parse_mou_signature, parse_mou_termination, validate_mou, NewRoi,
};
use shared::api::endpoints as ep;
use shared::api::releases::{
    DocumentInfo, MouPartyView, MouView, NewMouRequest, NewRoiRequest, RoiView, SignatureRequest,
    TerminateRequest,
};
use shared::api::OrgName;
use shared::documents::{DocumentFormat, MAX_DOCUMENT_BYTES};
use shared::model::{Attestation, MouParty, Revocation, Signature};
use shared::{
    can_attach_mou_document, can_attach_roi_document, can_change_mou, can_create_mou,
    can_read_mou_document, can_revoke_roi, can_see_roi, can_set_roi, can_sign_mou, releases_for,
    ClientId, Mou, MouId, OrgId, Roi, RoiId, UserId,
};

// ---- OpenAPI examples: the demo's ROIs and MOUs, seen on 2026-11-22 ----

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn example_today() -> NaiveDate {
    day(2026, 11, 22)
}

/// An ROI set by Maria Lopez of Bull City Shelter for client 1, naming Eno River Housing.
fn roi_example(id: i64, start: NaiveDate, document: Option<&str>) -> Roi {
    Roi {
        id: RoiId(id),
        client: ClientId(1),
        orgs: vec![OrgId(2), OrgId(3)],
        start,
        end: start + chrono::Duration::days(365),
        attestation: Attestation {
            by: UserId(3),
            org: OrgId(2),
            on: start,
        },
        document: document.map(str::to_owned),
        revoked: None,
    }
}

fn rois_example() -> Vec<RoiView> {
    vec![roi_view(
        roi_example(1, day(2026, 10, 23), Some("documents/1")),
        example_today(),
    )]
}

fn new_roi_example() -> RoiView {
    roi_view(roi_example(4, example_today(), None), example_today())
}

fn revoked_roi_example() -> RoiView {
    let mut roi = roi_example(1, day(2026, 10, 23), Some("documents/1"));
    roi.revoked = Some(Revocation {
        by: UserId(3),
        on: example_today(),
    });
    roi_view(roi, example_today())
}

fn document_example() -> DocumentInfo {
    DocumentInfo {
        id: 1,
        content_type: "application/pdf".into(),
        size: 248_331,
    }
}

fn org_names_example() -> Vec<OrgName> {
    [
        "Durham CoC Lead Agency",
        "Bull City Shelter",
        "Eno River Housing",
        "Triangle Outreach Services",
    ]
    .iter()
    .zip(1..)
    .map(|(name, id)| OrgName {
        id: OrgId(id),
        name: (*name).to_owned(),
    })
    .collect()
}

fn signature_example(name: &str, date: NaiveDate) -> Option<Signature> {
    Some(Signature {
        name: name.into(),
        title: "Executive Director".into(),
        date,
    })
}

/// The demo's complete MOU between Eno River Housing and Triangle Outreach Services.
fn active_mou_example() -> Mou {
    let signed = day(2026, 8, 24);
    Mou {
        id: MouId(1),
        name: "Durham Housing Partners".into(),
        parties: vec![
            MouParty {
                org: OrgId(3),
                signature: signature_example("Chris Alvarez", signed),
            },
            MouParty {
                org: OrgId(4),
                signature: signature_example("Jo Kim", signed),
            },
        ],
        document: Some("documents/2".into()),
        start: signed,
        end: signed + chrono::Duration::days(730),
        terminated: None,
    }
}

fn mou_view_example(mou: Mou) -> MouView {
    mou_view(mou, &org_names_example(), example_today())
}

fn mous_example() -> Vec<MouView> {
    vec![mou_view_example(active_mou_example())]
}

fn new_mou_request_example() -> NewMouRequest {
    NewMouRequest {
        name: "Bull City and Eno River Housing Partnership".into(),
        organizations: vec![OrgId(2), OrgId(3)],
        start: day(2027, 1, 1),
        end: day(2028, 12, 31),
    }
}

fn new_mou_example() -> MouView {
    let req = new_mou_request_example();
    mou_view_example(Mou {
        id: MouId(3),
        name: req.name,
        parties: req
            .organizations
            .into_iter()
            .map(|org| MouParty {
                org,
                signature: None,
            })
            .collect(),
        document: None,
        start: req.start,
        end: req.end,
        terminated: None,
    })
}

fn signature_request_example() -> SignatureRequest {
    SignatureRequest {
        org: OrgId(4),
        name: "Jo Kim".into(),
        title: "Executive Director".into(),
        date: example_today(),
    }
}

/// The demo's pilot MOU once Triangle Outreach Services' signature is recorded.
fn signed_mou_example() -> MouView {
    let signed = day(2026, 8, 24);
    mou_view_example(Mou {
        id: MouId(2),
        name: "Shelter and Outreach Pilot".into(),
        parties: vec![
            MouParty {
                org: OrgId(2),
                signature: signature_example("Pat Morgan", signed),
            },
            MouParty {
                org: OrgId(4),
                signature: signature_example("Jo Kim", example_today()),
            },
        ],
        document: None,
        start: signed,
        end: signed + chrono::Duration::days(730),
        terminated: None,
    })
}

fn terminated_mou_example() -> MouView {
    mou_view_example(Mou {
        terminated: Some(Revocation {
            by: UserId(1),
            on: day(2026, 12, 31),
        }),
        ..active_mou_example()
    })
}

crate::documented!(ep::ListRois {
    response: Vec<RoiView> = rois_example();
});

crate::documented!(ep::CreateRoi {
    request: NewRoiRequest = NewRoiRequest {
                organizations: vec![OrgId(2), OrgId(3)],
                start: None,
                end: None,
                attested: true,
            };
    response: RoiView = new_roi_example();
});

crate::documented!(ep::RevokeRoi {
    response: RoiView = revoked_roi_example();
});

crate::documented!(ep::UploadRoiDocument {
    response: DocumentInfo = document_example();
});

crate::documented!(ep::GetRoiDocument {});

crate::documented!(ep::ListMous {
    response: Vec<MouView> = mous_example();
});

crate::documented!(ep::CreateMou {
    request: NewMouRequest = new_mou_request_example();
    response: MouView = new_mou_example();
});

crate::documented!(ep::GetMou {
    response: MouView = mou_view_example(active_mou_example());
});

crate::documented!(ep::SignMou {
    request: SignatureRequest = signature_request_example();
    response: MouView = signed_mou_example();
});

crate::documented!(ep::UploadMouDocument {
    response: DocumentInfo = document_example();
});

crate::documented!(ep::GetMouDocument {});

crate::documented!(ep::TerminateMou {
    request: TerminateRequest = TerminateRequest {
                date: Some(day(2026, 12, 31)),
            };
    response: MouView = terminated_mou_example();
});

pub fn router() -> Api {
    // Uploads may be larger than the 1 MiB of every other body; the document check refuses
    // anything over MAX_DOCUMENT_BYTES with our error format.
    Api::new()
        .at::<ep::ListRois, _>(list_rois)
        .at::<ep::CreateRoi, _>(create_roi)
        .at::<ep::RevokeRoi, _>(revoke_roi)
        .at_limited::<ep::UploadRoiDocument, _>(upload_roi_document, MAX_DOCUMENT_BYTES)
        .at::<ep::GetRoiDocument, _>(roi_document)
        .at::<ep::ListMous, _>(list_mous)
        .at::<ep::CreateMou, _>(create_mou)
        .at::<ep::GetMou, _>(get_mou)
        .at::<ep::SignMou, _>(sign_mou)
        .at_limited::<ep::UploadMouDocument, _>(upload_mou_document, MAX_DOCUMENT_BYTES)
        .at::<ep::GetMouDocument, _>(mou_document)
        .at::<ep::TerminateMou, _>(terminate_mou)
}

/// An ROI the actor may see (named on it, or SystemAdmin) with its client; any other is 404,
/// exactly like one that does not exist.
async fn visible_roi(
    state: &AppState,
    auth: &AuthUser,
    id: i64,
) -> Result<(Roi, ClientRow), ApiError> {
    let roi = q::roi_by_id(&state.pool, RoiId(id))
        .await?
        .ok_or(ApiError::NotFound)?;
    visible(can_see_roi(&auth.actor, &roi))?;
    let client = crate::services::access::readable_client(state, &auth.actor, roi.client).await?;
    Ok((roi, client))
}

fn roi_view(roi: Roi, today: NaiveDate) -> RoiView {
    RoiView {
        active: roi.is_active(today),
        has_document: roi.document.is_some(),
        roi,
    }
}

async fn known_orgs(state: &AppState, orgs: &[OrgId]) -> Result<Vec<OrgName>, ApiError> {
    let names = db::org_names(&state.pool).await?;
    if let Some(unknown) = orgs.iter().find(|o| !names.iter().any(|n| n.id == **o)) {
        return Err(ApiError::validation(
            "organizations",
            format!("no organization has id {unknown}"),
        ));
    }
    Ok(names)
}

/// `GET /clients/{id}/rois`: the client's ROIs that name the caller's agency (all of them for
/// SystemAdmins), each with whether it is in force today.
async fn list_rois(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<Vec<RoiView>>, ApiError> {
    let client =
        crate::services::access::readable_client(&state, &auth.actor, ClientId(id)).await?;
    let today = state.clock.today();
    let rois = db::rois_of_client(&state.pool, client.id).await?;
    let (shown, _) = releases_for(&auth.actor, &rois, &[], today);
    let views: Vec<RoiView> = shown
        .into_iter()
        .map(|r| roi_view(r.clone(), today))
        .collect();
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                "list ROIs",
                format!("{} of {} ROIs shown", views.len(), rois.len()),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    Ok(Json(views))
}

/// `POST /clients/{id}/rois`: any user sets an ROI naming their agency and at least one other,
/// attesting that the client's signed release is on file at their agency.
async fn create_roi(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<NewRoiRequest>,
) -> Result<(StatusCode, Json<RoiView>), ApiError> {
    let client =
        crate::services::access::readable_client(&state, &auth.actor, ClientId(id)).await?;
    known_orgs(&state, &body.organizations).await?;
    let decision = allow(can_set_roi(&auth.actor, &body.organizations))?;
    let today = state.clock.today();
    let input = NewRoi {
        client: client.id,
        orgs: body.organizations,
        start: body.start.unwrap_or(today),
        end: body.end,
        release_on_file: body.attested,
        document: None,
    };
    let mut roi = new_roi(&auth.actor, RoiId(0), input, today, &state.policy).map_err(|e| {
        // The wire names of the shared fields.
        let field = match e.field.as_str() {
            "orgs" => "organizations",
            "release_on_file" => "attested",
            other => other,
        };
        ApiError::validation(field, e.reason)
    })?;
    roi.id = q::insert_roi(&state.pool, &roi).await?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                "set ROI",
                format!(
                    "{}; ROI #{} naming organizations {:?} from {} to {}, release on file attested",
                    decision.reason,
                    roi.id,
                    roi.orgs.iter().map(|o| o.0).collect::<Vec<_>>(),
                    roi.start,
                    roi.end
                ),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(roi_view(roi, today))))
}

/// `POST /rois/{id}/revoke`: any user of an organization named on the ROI, from today on.
async fn revoke_roi(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<RoiView>, ApiError> {
    let (roi, client) = visible_roi(&state, &auth, id).await?;
    let today = state.clock.today();
    let decision = allow(can_revoke_roi(&auth.actor, &roi, today))?;
    if !q::revoke_roi(&state.pool, roi.id, auth.actor.user, today).await? {
        return Err(ApiError::conflict("roi", "The ROI is already revoked."));
    }
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                "revoke ROI",
                format!("{}; ROI #{} revoked from {today}", decision.reason, roi.id),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    let roi = q::roi_by_id(&state.pool, roi.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(roi_view(roi, today)))
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

fn document_response(doc: q::StoredDocument, name: &str) -> Response {
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

/// `POST /rois/{id}/document`: the scan of the client's signed release (PDF, JPEG or PNG as the
/// raw body with its `Content-Type`), by a user of the attesting agency, once.
async fn upload_roi_document(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<DocumentInfo>), ApiError> {
    let (roi, client) = visible_roi(&state, &auth, id).await?;
    let today = state.clock.today();
    let decision = allow(can_attach_roi_document(&auth.actor, &roi, today))?;
    let (format, bytes) = document(&headers, body)?;
    let doc = q::attach_document(
        &state.pool,
        DocumentOwner::Roi(roi.id),
        format,
        &bytes,
        auth.actor.user,
        auth.actor.org,
        state.clock.now(),
    )
    .await?
    .ok_or_else(|| ApiError::conflict("document", "A document is already attached."))?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                "attach ROI document",
                format!("{}; ROI #{}: document #{doc}", decision.reason, roi.id),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(DocumentInfo {
            id: doc,
            content_type: format.content_type().to_owned(),
            size: bytes.len() as u64,
        }),
    ))
}

/// `GET /rois/{id}/document`: the scan, to users of a named organization and SystemAdmins.
async fn roi_document(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let (roi, client) = visible_roi(&state, &auth, id).await?;
    let reference = roi.document.as_deref().ok_or(ApiError::NotFound)?;
    let doc = q::document_of(&state.pool, DocumentOwner::Roi(roi.id), reference)
        .await?
        .ok_or(ApiError::NotFound)?;
    let reason = can_see_roi(&auth.actor, &roi).reason;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                "read ROI document",
                format!("{reason}; ROI #{}: document #{}", roi.id, doc.id),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    Ok(document_response(doc, &format!("roi-{}", roi.id)))
}

fn mou_view(mou: Mou, names: &[OrgName], today: NaiveDate) -> MouView {
    let name_of = |o: OrgId| {
        names
            .iter()
            .find(|n| n.id == o)
            .map(|n| n.name.clone())
            .unwrap_or_else(|| format!("Organization {o}"))
    };
    MouView {
        status: mou_status(&mou, today),
        id: mou.id,
        parties: mou
            .parties
            .into_iter()
            .map(|p| MouPartyView {
                org_name: name_of(p.org),
                org: p.org,
                signature: p.signature,
            })
            .collect(),
        name: mou.name,
        start: mou.start,
        end: mou.end,
        has_document: mou.document.is_some(),
        terminated: mou.terminated,
    }
}

async fn load_mou(state: &AppState, id: i64) -> Result<Mou, ApiError> {
    q::mou_by_id(&state.pool, MouId(id))
        .await?
        .ok_or(ApiError::NotFound)
}

async fn mou_reply(state: &AppState, id: MouId) -> Result<Json<MouView>, ApiError> {
    let mou = load_mou(state, id.0).await?;
    let names = db::org_names(&state.pool).await?;
    Ok(Json(mou_view(mou, &names, state.clock.today())))
}

/// `GET /mous`: every MOU and where it stands, to every signed-in user: agencies need to know
/// which agreements exist. No document content.
async fn list_mous(
    State(state): State<AppState>,
    _auth: AuthUser,
) -> Result<Json<Vec<MouView>>, ApiError> {
    let names = db::org_names(&state.pool).await?;
    let today = state.clock.today();
    let mous = db::all_mous(&state.pool).await?;
    Ok(Json(
        mous.into_iter()
            .map(|m| mou_view(m, &names, today))
            .collect(),
    ))
}

/// `GET /mous/{id}`.
async fn get_mou(
    State(state): State<AppState>,
    _auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<MouView>, ApiError> {
    mou_reply(&state, MouId(id)).await
}

/// `POST /mous`: a SystemAdmin creates an MOU naming two or more organizations, unsigned.
async fn create_mou(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<NewMouRequest>,
) -> Result<(StatusCode, Json<MouView>), ApiError> {
    let decision = allow(can_create_mou(&auth.actor))?;
    known_orgs(&state, &body.organizations).await?;
    let mou = Mou {
        id: MouId(0),
        name: body.name.trim().to_owned(),
        parties: body
            .organizations
            .iter()
            .map(|o| MouParty {
                org: *o,
                signature: None,
            })
            .collect(),
        document: None,
        start: body.start,
        end: body.end,
        terminated: None,
    };
    let mou = validate_mou(mou).map_err(|e| {
        let field = if e.field == "parties" {
            "organizations".to_owned()
        } else {
            e.field
        };
        ApiError::validation(field, e.reason)
    })?;
    let id = q::insert_mou(&state.pool, &mou).await?;
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            &auth.actor,
            "create MOU",
            format!("{}; MOU #{id}", decision.reason),
        ))
        .await?;
    Ok((StatusCode::CREATED, mou_reply(&state, id).await?))
}

/// `POST /mous/{id}/signatures`: a SystemAdmin records one named organization's head's signature.
async fn sign_mou(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<SignatureRequest>,
) -> Result<Json<MouView>, ApiError> {
    let mou = load_mou(&state, id).await?;
    let today = state.clock.today();
    let decision = allow(can_sign_mou(&auth.actor, &mou, body.org, today))?;
    let signature = Signature {
        name: body.name.trim().to_owned(),
        title: body.title.trim().to_owned(),
        date: body.date,
    };
    parse_mou_signature(&mou, body.org, signature.clone(), today)?;
    if !q::sign_mou(&state.pool, mou.id, body.org, &signature).await? {
        return Err(ApiError::conflict(
            "org",
            "That signature is already recorded.",
        ));
    }
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            &auth.actor,
            "record MOU signature",
            format!(
                "{}; MOU #{}: organization {} signed on {}",
                decision.reason, mou.id, body.org, body.date
            ),
        ))
        .await?;
    mou_reply(&state, mou.id).await
}

/// `POST /mous/{id}/document`: a SystemAdmin attaches the signed document, once.
async fn upload_mou_document(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<DocumentInfo>), ApiError> {
    let mou = load_mou(&state, id).await?;
    let decision = allow(can_attach_mou_document(
        &auth.actor,
        &mou,
        state.clock.today(),
    ))?;
    let (format, bytes) = document(&headers, body)?;
    let doc = q::attach_document(
        &state.pool,
        DocumentOwner::Mou(mou.id),
        format,
        &bytes,
        auth.actor.user,
        auth.actor.org,
        state.clock.now(),
    )
    .await?
    .ok_or_else(|| ApiError::conflict("document", "A document is already attached."))?;
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            &auth.actor,
            "attach MOU document",
            format!("{}; MOU #{}: document #{doc}", decision.reason, mou.id),
        ))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(DocumentInfo {
            id: doc,
            content_type: format.content_type().to_owned(),
            size: bytes.len() as u64,
        }),
    ))
}

/// `GET /mous/{id}/document`: SystemAdmins and users of a named organization.
async fn mou_document(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let mou = load_mou(&state, id).await?;
    let decision = allow(can_read_mou_document(&auth.actor, &mou))?;
    let reference = mou.document.as_deref().ok_or(ApiError::NotFound)?;
    let doc = q::document_of(&state.pool, DocumentOwner::Mou(mou.id), reference)
        .await?
        .ok_or(ApiError::NotFound)?;
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            &auth.actor,
            "read MOU document",
            format!("{}; MOU #{}: document #{}", decision.reason, mou.id, doc.id),
        ))
        .await?;
    Ok(document_response(doc, &format!("mou-{}", mou.id)))
}

/// `POST /mous/{id}/terminate`: a SystemAdmin ends an MOU early, effective `date` (default
/// today; not in the past, so decisions already made stay explained by the record).
async fn terminate_mou(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<TerminateRequest>,
) -> Result<Json<MouView>, ApiError> {
    let mou = load_mou(&state, id).await?;
    let today = state.clock.today();
    let decision = allow(can_change_mou(&auth.actor, &mou, today))?;
    let on = parse_mou_termination(body.date, today)?;
    if !q::terminate_mou(&state.pool, mou.id, auth.actor.user, on).await? {
        return Err(ApiError::conflict("mou", "The MOU is already terminated."));
    }
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            &auth.actor,
            "terminate MOU",
            format!("{}; MOU #{} terminated from {on}", decision.reason, mou.id),
        ))
        .await?;
    mou_reply(&state, mou.id).await
}
