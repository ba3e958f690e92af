//! Releases of information (S-3) and MOUs (S-4, S-6), their signatures and their signed
//! documents: one function per use case, each asking the shared decision (`can_set_roi`,
//! `new_roi`, `can_revoke_roi`, `can_see_roi`, `can_attach_roi_document`, `can_create_mou`,
//! `roi_ending_soon`, `can_change_mou`, `can_sign_mou`, `can_attach_mou_document`, `can_read_mou_document`,
//! `validate_mou`, `mou_status`), writing through `db::releases` and auditing (an ROI's entries
//! name its client). An ROI the actor may not see is 404, like one that does not exist.

use crate::db::releases::{self as q, DocumentOwner, StoredDocument};
use crate::db::{self, AuditEntry, ClientRow};
use crate::error::{allow, visible, ApiError};
use crate::services::access::readable_client;
use crate::state::AppState;
use chrono::NaiveDate;
use shared::actions::can_preview_mou_impact;
use shared::actions::{
    mou_status, new_roi, parse_mou_signature, parse_mou_termination, validate_mou, NewRoi,
};
use shared::api::endpoints::ROI_REMINDER_MAX_DAYS;
use shared::api::releases::{
    AgencyRoi, AgencyRois, DocumentInfo, EndingRoi, EndingRois, ImpactPair, ImpactRow,
    MouImpactView, MouPartyView, MouView, NewMouRequest, NewRoiRequest, RoiView, SignatureRequest,
    TerminateRequest,
};
use shared::api::OrgName;
use shared::documents::DocumentFormat;
use shared::impact::{parse_preview, ImpactTally};
use shared::model::{MouParty, Signature};
use shared::{
    can_attach_mou_document, can_attach_roi_document, can_change_mou, can_create_mou,
    can_read_mou_document, can_revoke_roi, can_see_roi, can_set_roi, can_sign_mou, releases_for,
    roi_ending_soon, Actor, ClientId, Mou, MouId, OrgId, Roi, RoiId,
};

/// An ROI as the API shows it on `today`.
pub fn roi_view(roi: Roi, today: NaiveDate) -> RoiView {
    RoiView {
        active: roi.is_active(today),
        has_document: roi.document.is_some(),
        roi,
    }
}

/// An MOU as the API shows it on `today`, its parties named from `names`.
pub fn mou_view(mou: Mou, names: &[OrgName], today: NaiveDate) -> MouView {
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

/// The names of every organization, if each of `orgs` is one (else 422 naming `organizations`).
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

// ---- ROIs ----

/// An ROI the actor may see (named on it, or SystemAdmin) with its client; any other is 404,
/// exactly like one that does not exist.
async fn visible_roi(
    state: &AppState,
    actor: &Actor,
    id: RoiId,
) -> Result<(Roi, ClientRow), ApiError> {
    let roi = q::roi_by_id(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    visible(can_see_roi(actor, &roi))?;
    let client = readable_client(state, actor, roi.client).await?;
    Ok((roi, client))
}

/// The client's ROIs that name the actor's agency (all of them for SystemAdmins), each with
/// whether it is in force today; audited with how many were shown.
pub async fn list_rois(
    state: &AppState,
    actor: &Actor,
    client: ClientId,
) -> Result<Vec<RoiView>, ApiError> {
    let client = readable_client(state, actor, client).await?;
    let today = state.clock.today();
    let rois = db::rois_of_client(&state.pool, client.id).await?;
    let (shown, _) = releases_for(actor, &rois, &[], today);
    let views: Vec<RoiView> = shown
        .into_iter()
        .map(|r| roi_view(r.clone(), today))
        .collect();
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                actor,
                "list ROIs",
                format!("{} of {} ROIs shown", views.len(), rois.len()),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    Ok(views)
}

/// The releases in force that name the actor's agency and end within `within_days` days
/// (`ending_within_days`: 0 to `ROI_REMINDER_MAX_DAYS`, else 422; default the policy's
/// `roi_reminder_days`), soonest first (S-3, P-2: `roi_ending_soon`). A read of each client
/// listed (P-4), like a search: one entry per ROI shown, or one saying none was.
pub async fn ending_rois(
    state: &AppState,
    actor: &Actor,
    ending_within_days: Option<&str>,
) -> Result<EndingRois, ApiError> {
    let within_days = match ending_within_days.map(str::trim) {
        None | Some("") => state.policy.roi_reminder_days,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|d| *d <= ROI_REMINDER_MAX_DAYS)
            .ok_or_else(|| {
                ApiError::validation(
                    "ending_within_days",
                    format!("must be a whole number of days from 0 to {ROI_REMINDER_MAX_DAYS}"),
                )
            })?,
    };
    let today = state.clock.today();
    let until = state.policy.roi_reminder_until(today, Some(within_days));
    let rows = q::rois_ending_between(&state.pool, today, until).await?;
    let mut rois = Vec::new();
    for row in rows {
        if !roi_ending_soon(actor, &row.roi, today, until) {
            continue;
        }
        let hmis_number = shared::HmisNumber::parse(&row.hmis_number)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        rois.push(EndingRoi {
            id: row.roi.id,
            client: row.roi.client,
            hmis_number,
            first_name: row.first_name,
            last_name: row.last_name,
            orgs: row.roi.orgs,
            start: row.roi.start,
            end: row.roi.end,
            days_left: (row.roi.end - today).num_days(),
        });
    }
    let now = state.clock.now();
    let n = rois.len();
    let entries: Vec<AuditEntry> = if rois.is_empty() {
        vec![AuditEntry::new(
            now,
            actor,
            "list ROIs ending soon",
            "0 shown",
        )]
    } else {
        rois.iter()
            .map(|r| {
                AuditEntry::new(
                    now,
                    actor,
                    "list ROIs ending soon",
                    format!("named on ROI #{}; one of {n} shown", r.id.0),
                )
                .client(Some(&r.hmis_number))
            })
            .collect()
    };
    state.audit_all(entries).await?;
    Ok(EndingRois {
        within_days,
        until,
        rois,
    })
}

/// Any user sets an ROI naming their agency and at least one other, attesting that the client's
/// signed release is on file at their agency.
pub async fn create_roi(
    state: &AppState,
    actor: &Actor,
    client: ClientId,
    body: NewRoiRequest,
) -> Result<RoiView, ApiError> {
    shared::input::new_roi(&body, state.clock.today())?;
    let client = readable_client(state, actor, client).await?;
    known_orgs(state, &body.organizations).await?;
    let decision = allow(can_set_roi(actor, &body.organizations))?;
    let today = state.clock.today();
    let input = NewRoi {
        client: client.id,
        orgs: body.organizations,
        start: body.start.unwrap_or(today),
        end: body.end,
        release_on_file: body.attested,
        document: None,
    };
    let mut roi = new_roi(actor, RoiId(0), input, today, &state.policy).map_err(|e| {
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
                actor,
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
    Ok(roi_view(roi, today))
}

/// Any user of an organization named on the ROI revokes it, from today on.
pub async fn revoke_roi(state: &AppState, actor: &Actor, id: RoiId) -> Result<RoiView, ApiError> {
    let (roi, client) = visible_roi(state, actor, id).await?;
    let today = state.clock.today();
    let decision = allow(can_revoke_roi(actor, &roi, today))?;
    if !q::revoke_roi(&state.pool, roi.id, actor.user, today).await? {
        return Err(ApiError::conflict("roi", "The ROI is already revoked."));
    }
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                actor,
                "revoke ROI",
                format!("{}; ROI #{} revoked from {today}", decision.reason, roi.id),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    let roi = q::roi_by_id(&state.pool, roi.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(roi_view(roi, today))
}

/// A user of the attesting agency attaches the scan of the client's signed release, once.
/// `upload` reads and checks the document; it is called only once the decision allows the
/// attachment, so a refusal answers before anything about the upload.
pub async fn attach_roi_document<B: AsRef<[u8]>>(
    state: &AppState,
    actor: &Actor,
    id: RoiId,
    upload: impl FnOnce() -> Result<(DocumentFormat, B), ApiError>,
) -> Result<DocumentInfo, ApiError> {
    let (roi, client) = visible_roi(state, actor, id).await?;
    let today = state.clock.today();
    let decision = allow(can_attach_roi_document(actor, &roi, today))?;
    let (format, bytes) = upload()?;
    let bytes = bytes.as_ref();
    let doc = q::attach_document(
        &state.pool,
        DocumentOwner::Roi(roi.id),
        format,
        bytes,
        actor.user,
        actor.org,
        state.clock.now(),
    )
    .await?
    .ok_or_else(|| ApiError::conflict("document", "A document is already attached."))?;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                actor,
                "attach ROI document",
                format!("{}; ROI #{}: document #{doc}", decision.reason, roi.id),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    Ok(DocumentInfo {
        id: doc,
        content_type: format.content_type().to_owned(),
        size: bytes.len() as u64,
    })
}

/// The ROI's scan, to users of a named organization and SystemAdmins; audited.
pub async fn roi_document(
    state: &AppState,
    actor: &Actor,
    id: RoiId,
) -> Result<StoredDocument, ApiError> {
    let (roi, client) = visible_roi(state, actor, id).await?;
    let reference = roi.document.as_deref().ok_or(ApiError::NotFound)?;
    let doc = q::document_of(&state.pool, DocumentOwner::Roi(roi.id), reference)
        .await?
        .ok_or(ApiError::NotFound)?;
    let reason = can_see_roi(actor, &roi).reason;
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                actor,
                "read ROI document",
                format!("{reason}; ROI #{}: document #{}", roi.id, doc.id),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    Ok(doc)
}

// ---- MOUs ----

async fn load_mou(state: &AppState, id: MouId) -> Result<Mou, ApiError> {
    q::mou_by_id(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// One MOU and where it stands (every signed-in user may know which agreements exist).
pub async fn get_mou(state: &AppState, id: MouId) -> Result<MouView, ApiError> {
    let mou = load_mou(state, id).await?;
    let names = db::org_names(&state.pool).await?;
    Ok(mou_view(mou, &names, state.clock.today()))
}

/// Every MOU and where it stands. No document content.
pub async fn list_mous(state: &AppState) -> Result<Vec<MouView>, ApiError> {
    let names = db::org_names(&state.pool).await?;
    let today = state.clock.today();
    let mous = db::all_mous(&state.pool).await?;
    Ok(mous
        .into_iter()
        .map(|m| mou_view(m, &names, today))
        .collect())
}

/// A SystemAdmin creates an MOU naming two or more organizations, unsigned.
pub async fn create_mou(
    state: &AppState,
    actor: &Actor,
    body: NewMouRequest,
) -> Result<MouView, ApiError> {
    let decision = allow(can_create_mou(actor))?;
    shared::input::new_mou(&body, state.clock.today())?;
    known_orgs(state, &body.organizations).await?;
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
            actor,
            "create MOU",
            format!("{}; MOU #{id}", decision.reason),
        ))
        .await?;
    get_mou(state, id).await
}

/// A SystemAdmin records one named organization's head's signature.
pub async fn sign_mou(
    state: &AppState,
    actor: &Actor,
    id: MouId,
    body: SignatureRequest,
) -> Result<MouView, ApiError> {
    let mou = load_mou(state, id).await?;
    let today = state.clock.today();
    let decision = allow(can_sign_mou(actor, &mou, body.org, today))?;
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
            actor,
            "record MOU signature",
            format!(
                "{}; MOU #{}: organization {} signed on {}",
                decision.reason, mou.id, body.org, body.date
            ),
        ))
        .await?;
    get_mou(state, mou.id).await
}

/// A SystemAdmin attaches the signed document, once. `upload` reads and checks the document; it
/// is called only once the decision allows the attachment.
pub async fn attach_mou_document<B: AsRef<[u8]>>(
    state: &AppState,
    actor: &Actor,
    id: MouId,
    upload: impl FnOnce() -> Result<(DocumentFormat, B), ApiError>,
) -> Result<DocumentInfo, ApiError> {
    let mou = load_mou(state, id).await?;
    let decision = allow(can_attach_mou_document(actor, &mou, state.clock.today()))?;
    let (format, bytes) = upload()?;
    let bytes = bytes.as_ref();
    let doc = q::attach_document(
        &state.pool,
        DocumentOwner::Mou(mou.id),
        format,
        bytes,
        actor.user,
        actor.org,
        state.clock.now(),
    )
    .await?
    .ok_or_else(|| ApiError::conflict("document", "A document is already attached."))?;
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            actor,
            "attach MOU document",
            format!("{}; MOU #{}: document #{doc}", decision.reason, mou.id),
        ))
        .await?;
    Ok(DocumentInfo {
        id: doc,
        content_type: format.content_type().to_owned(),
        size: bytes.len() as u64,
    })
}

/// The MOU's signed document, to SystemAdmins and users of a named organization; audited.
pub async fn mou_document(
    state: &AppState,
    actor: &Actor,
    id: MouId,
) -> Result<StoredDocument, ApiError> {
    let mou = load_mou(state, id).await?;
    let decision = allow(can_read_mou_document(actor, &mou))?;
    let reference = mou.document.as_deref().ok_or(ApiError::NotFound)?;
    let doc = q::document_of(&state.pool, DocumentOwner::Mou(mou.id), reference)
        .await?
        .ok_or(ApiError::NotFound)?;
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            actor,
            "read MOU document",
            format!("{}; MOU #{}: document #{}", decision.reason, mou.id, doc.id),
        ))
        .await?;
    Ok(doc)
}

/// A SystemAdmin ends an MOU early, effective `date` (default today; not in the past, so
/// decisions already made stay explained by the record).
pub async fn terminate_mou(
    state: &AppState,
    actor: &Actor,
    id: MouId,
    body: TerminateRequest,
) -> Result<MouView, ApiError> {
    let mou = load_mou(state, id).await?;
    let today = state.clock.today();
    let decision = allow(can_change_mou(actor, &mou, today))?;
    let on = parse_mou_termination(body.date, today)?;
    if !q::terminate_mou(&state.pool, mou.id, actor.user, on).await? {
        return Err(ApiError::conflict("mou", "The MOU is already terminated."));
    }
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            actor,
            "terminate MOU",
            format!("{}; MOU #{} terminated from {on}", decision.reason, mou.id),
        ))
        .await?;
    get_mou(state, mou.id).await
}

/// S-3 / P-2: the agency ROI list: every ROI naming the actor's agency (every ROI for
/// SystemAdmins: `roi_in_agency_list`), whatever its status (`roi_status`), soonest end first;
/// `status` (one of `RoiStatus::FILTERS`, else 422) keeps one kind. A read of each client
/// listed (P-4): one entry per ROI shown, or one saying none was.
pub async fn agency_rois(
    state: &AppState,
    actor: &Actor,
    status: Option<&str>,
) -> Result<AgencyRois, ApiError> {
    let status = match status.map(str::trim) {
        None | Some("") => None,
        Some(s) if shared::RoiStatus::FILTERS.contains(&s) => Some(s),
        Some(_) => {
            return Err(ApiError::validation(
                "status",
                "use active, ending_soon, expired, revoked or not_started",
            ))
        }
    };
    let today = state.clock.today();
    let mut rois = Vec::new();
    for row in q::all_rois_with_clients(&state.pool).await? {
        if !shared::roi_in_agency_list(actor, &row.roi) {
            continue;
        }
        let now_status = shared::roi_status(&row.roi, today, &state.policy);
        if status.is_some_and(|s| s != now_status.key()) {
            continue;
        }
        let hmis_number = shared::HmisNumber::parse(&row.hmis_number)
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        rois.push(AgencyRoi {
            id: row.roi.id,
            client: row.roi.client,
            hmis_number,
            first_name: row.first_name,
            last_name: row.last_name,
            orgs: row.roi.orgs,
            start: row.roi.start,
            end: row.roi.end,
            revoked_on: row.roi.revoked.map(|r| r.on),
            status: now_status,
        });
    }
    let now = state.clock.now();
    let n = rois.len();
    let reason = shared::can_list_agency_rois(actor).reason;
    let entries: Vec<AuditEntry> = if rois.is_empty() {
        vec![AuditEntry::new(now, actor, "list agency ROIs", "0 shown")]
    } else {
        rois.iter()
            .map(|r| {
                AuditEntry::new(
                    now,
                    actor,
                    "list agency ROIs",
                    format!("{reason}; ROI #{}; one of {n} shown", r.id.0),
                )
                .client(Some(&r.hmis_number))
            })
            .collect()
    };
    state.audit_all(entries).await?;
    Ok(AgencyRois { today, rois })
}

/// Clients read per chunk by the impact preview.
const IMPACT_CHUNK_CLIENTS: i64 = 500;

/// S-4 / S-6: what each organization newly reads once `id` is active, or loses once it is
/// terminated (`shared::impact`), decided by `can_read` over every live client's records, a
/// chunk of clients at a time; counts only, never a client. SystemAdmins only; one audit entry.
pub async fn mou_impact(
    state: &AppState,
    actor: &Actor,
    id: MouId,
    change: Option<&str>,
    on: Option<&str>,
) -> Result<MouImpactView, ApiError> {
    let decision = allow(can_preview_mou_impact(actor))?;
    let mou = load_mou(state, id).await?;
    let (change, on) = parse_preview(&mou, change, on, state.clock.today())?;
    let mous = db::all_mous(&state.pool).await?;
    let names = db::org_names(&state.pool).await?;
    let readers: Vec<OrgId> = names.iter().map(|n| n.id).collect();
    let mut tally = ImpactTally::new(&mous, id, change, on, &readers);
    let mut after = 0;
    while let Some(chunk) = db::mou_impact::chunk(&state.pool, after, IMPACT_CHUNK_CLIENTS).await? {
        for records in chunk.records.chunk_by(|a, b| a.client == b.client) {
            let client = records[0].client;
            let from = chunk.rois.partition_point(|r| r.client < client);
            let to = chunk.rois.partition_point(|r| r.client <= client);
            tally.add_client(client, &chunk.rois[from..to], records, &state.policy);
        }
        after = chunk.last;
    }
    let name = |o: OrgId| OrgName {
        id: o,
        name: names
            .iter()
            .find(|n| n.id == o)
            .map(|n| n.name.clone())
            .unwrap_or_else(|| format!("Organization {o}")),
    };
    let rows: Vec<ImpactRow> = tally
        .counts()
        .into_iter()
        .map(|c| ImpactRow {
            reader: name(c.reader),
            owner: name(c.owner),
            kind: c.kind,
            records: c.records,
            clients: c.clients,
        })
        .collect();
    let pairs: Vec<ImpactPair> = tally
        .pairs()
        .into_iter()
        .map(|p| ImpactPair {
            reader: name(p.reader),
            owner: name(p.owner),
            clients: p.clients,
        })
        .collect();
    let records: u64 = rows.iter().map(|r| r.records).sum();
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            actor,
            "preview MOU impact",
            format!(
                "{}; MOU #{id}: {} on {on}, {records} records change hands",
                decision.reason,
                change.as_str()
            ),
        ))
        .await?;
    Ok(MouImpactView {
        mou: id,
        change,
        on,
        rows,
        pairs,
    })
}
