//! Finding clients and reading one client's file: the search (tier-1 fields, S-1, each row
//! through the shared read decision) and the profile (every record the actor may read, with its
//! reason, S-1..S-9), both audited (P-4).

use crate::cache;
use crate::db::{self, AuditEntry};
use crate::error::{visible, ApiError};
use crate::services::auth::{AuthUser, SessionToken};
use crate::state::AppState;
use serde_json::value::RawValue;
use shared::api::endpoints::SearchQuery;
use shared::api::{ClientProfile, ClientSummary, IntakeView, RecordView};
use shared::redact::redact;
use shared::{can_read, releases_for, ClientId, HmisNumber, SharingContext};

const MAX_RESULTS: i64 = 50;

/// Search by name words (prefixes, any order) or by exact HMIS number. Returns tier-1 fields only.
/// Audited as a read of each returned client (P-4), never with the search terms.
pub async fn search(
    state: &AppState,
    auth: &AuthUser,
    query: &SearchQuery,
) -> Result<Vec<ClientSummary>, ApiError> {
    let q = shared::input::search(&query.q)?;
    let hmis = HmisNumber::parse(q).ok();
    let words: Vec<String> = if hmis.is_some() {
        Vec::new()
    } else {
        q.split_whitespace().take(4).map(str::to_owned).collect()
    };
    let rows = db::search_clients(&state.pool, &words, hmis.as_ref(), MAX_RESULTS).await?;
    let today = state.clock.today();
    let ctx = SharingContext {
        rois: &[],
        mous: &[],
    };
    // The intake is tier 1, but the decision is still the shared one, made per row.
    let shown = redact(&auth.actor, today, &ctx, &state.policy, rows).visible;
    // P-4: a search is a read of every client it returns; one entry per client keeps the log
    // queryable by client. The search terms are never written.
    let now = state.clock.now();
    let n = shown.len();
    let entries: Vec<AuditEntry> = if shown.is_empty() {
        vec![AuditEntry::new(
            now,
            &auth.actor,
            "search clients",
            "0 results",
        )]
    } else {
        shown
            .iter()
            .map(|(c, reason)| {
                AuditEntry::new(
                    now,
                    &auth.actor,
                    "search clients",
                    format!("{reason}; one of {n} results"),
                )
                .client(Some(&c.hmis_number))
            })
            .collect()
    };
    state.audit_all(entries).await?;
    let visible = shown
        .into_iter()
        .map(|(c, _)| ClientSummary {
            id: c.id,
            hmis_number: c.hmis_number,
            first_name: c.first_name,
            last_name: c.last_name,
            date_of_birth: c.date_of_birth,
        })
        .collect();
    Ok(visible)
}

/// One client's profile: the intake and every record the actor may read, each with its reason.
/// A client that does not exist and one the actor may not see both answer 404.
///
/// The hot path: one query (batched with other requests') reads the cache epoch and the
/// client's version, the session is
/// checked at that epoch, and the client's file, the organizations and the MOUs come from exact
/// in-memory copies when they are current (`cache`); the decisions are made afresh every time.
///
/// The profile borrows the cached file's pre-serialized record metadata, so it is handed to
/// `write` (the route serializes it) while the file is held.
pub async fn profile<R>(
    state: &AppState,
    token: SessionToken,
    id: ClientId,
    write: impl FnOnce(&ClientProfile<&RawValue>) -> R,
) -> Result<R, ApiError> {
    let versions = state.versions(Some(id)).await?;
    let (epoch, version) = (versions.epoch, versions.client);
    let auth = token.check(state, epoch).await?;
    let version = version.ok_or(ApiError::NotFound)?;
    let file = cache::client_file(state, id, version)
        .await?
        .ok_or(ApiError::NotFound)?;
    let reference = cache::reference(state, epoch).await?;
    let client = &file.client;
    let today = state.clock.today();
    let ctx = SharingContext {
        rois: &file.rois,
        mous: &reference.mous,
    };
    let intake = can_read(&auth.actor, &client.meta, &ctx, today, &state.policy);
    let intake = visible(intake)?;
    let redacted = redact(&auth.actor, today, &ctx, &state.policy, file.records.iter());
    let withheld = redacted.notice(&state.policy);
    let records: Vec<RecordView<&RawValue>> = redacted
        .visible
        .into_iter()
        .map(|(r, reason)| RecordView {
            meta: &*r.meta_json,
            entered_by: r.row.entered_by.clone(),
            title: r.row.title.clone(),
            detail: r.row.detail.clone(),
            reason,
        })
        .collect();
    let (released_rois, released_mous) =
        releases_for(&auth.actor, &file.rois, &reference.mous, today);
    let released_rois = released_rois.into_iter().cloned().collect();
    let released_mous = released_mous.into_iter().cloned().collect();
    state
        .audit(
            AuditEntry::new(
                state.clock.now(),
                &auth.actor,
                "read client profile",
                // S-9: not even the audit (which agency admins read) counts what was withheld.
                format!("{}; {} records shown", intake.reason, records.len()),
            )
            .client(Some(&client.hmis_number)),
        )
        .await?;
    // Written here, while the cached file the metadata is borrowed from is held.
    let profile: ClientProfile<&RawValue> = ClientProfile {
        id: client.id,
        hmis_number: client.hmis_number.clone(),
        intake: IntakeView {
            meta: client.meta,
            entered_by: file.intake_entered_by.clone(),
            first_name: client.first_name.clone(),
            middle_name: client.middle_name.clone(),
            last_name: client.last_name.clone(),
            date_of_birth: client.date_of_birth,
            ssn_last4: client.ssn.as_deref().and_then(shared::fields::ssn_last4),
            name_data_quality: client.name_data_quality,
            dob_data_quality: client.dob_data_quality,
            ssn_data_quality: client.ssn_data_quality,
            sex: client.sex,
            veteran_status: client.veteran_status,
            gender: client.gender.clone(),
            marital_status: client.marital_status,
            sources: shared::intake::value_sources(
                |f| crate::services::resolution::stored_value(client, f).is_some(),
                &file.sources,
                &client.meta.provenance,
            ),
        },
        records,
        withheld_by: withheld
            .map(|orgs| crate::services::records::lists::name_orgs(&orgs, &reference.org_names)),
        rois: released_rois,
        mous: released_mous,
        org_names: reference.org_names.clone(),
    };
    Ok(write(&profile))
}
