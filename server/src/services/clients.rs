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
use shared::matching::{rank, Probe};
use shared::redact::redact;
use shared::{can_read, releases_for, ClientId, HmisNumber, SharingContext};

/// At most this many clients are returned, best first.
const MAX_RESULTS: usize = 20;
/// At most this many candidates per index lookup are ranked (`db::search::candidates`).
const CANDIDATES_PER_LOOKUP: i64 = 100;

/// Search by name words, ranked by `shared::matching` (typos, swapped names, nicknames, accents,
/// with the date of birth and SSN last four when typed), or by exact HMIS number. The candidates
/// come from the search index (migration 0020), a bounded number per lookup, so a search reads
/// about as much at 100,000 clients as at 10,000. Returns tier-1 fields only, each row through
/// the shared read decision, a linked pair once (issue 15). Audited as a read of each returned
/// client (P-4), never with the search terms.
pub async fn search(
    state: &AppState,
    auth: &AuthUser,
    query: &SearchQuery,
) -> Result<Vec<ClientSummary>, ApiError> {
    let q = shared::input::search(&query.q)?;
    let rows = match HmisNumber::parse(q) {
        Ok(hmis) => db::search_clients(&state.pool, &[], Some(&hmis), 1).await?,
        Err(_) => ranked(state, &Probe::parse(q)).await?,
    };
    let today = state.clock.today();
    let ctx = SharingContext {
        rois: &[],
        mous: &[],
    };
    // The intake is tier 1, but the decision is still the shared one, made per row.
    let shown = redact(&auth.actor, today, &ctx, &state.policy, rows).visible;
    // Issue 15: a linked pair is returned once, as its better-ranked record naming the other.
    let ids: Vec<ClientId> = shown.iter().map(|(c, _)| c.id).collect();
    let partners = db::links::live_partners(&state.pool, &ids).await?;
    let mut taken: Vec<ClientId> = Vec::new();
    let mut out: Vec<(ClientSummary, shared::Reason)> = Vec::new();
    for (c, reason) in shown {
        if taken.contains(&c.id) {
            continue;
        }
        taken.push(c.id);
        let same: Vec<(ClientId, HmisNumber)> = partners
            .iter()
            .filter(|(this, _, _)| *this == c.id)
            .map(|(_, other, hmis)| (*other, hmis.clone()))
            .collect();
        taken.extend(same.iter().map(|(id, _)| *id));
        let summary =
            crate::services::links::summary(&c, same.into_iter().map(|(_, h)| h).collect());
        out.push((summary, reason));
    }
    // P-4: a search is a read of every client it returns (a linked record it names too); one
    // entry per client keeps the log queryable by client, all handed over at once. The search
    // terms are never written.
    let now = state.clock.now();
    let n = out.len();
    let mut entries: Vec<AuditEntry> = Vec::with_capacity(n.max(1));
    if out.is_empty() {
        entries.push(AuditEntry::new(
            now,
            &auth.actor,
            "search clients",
            "0 results",
        ));
    }
    for (c, reason) in &out {
        let text = format!("{reason}; one of {n} results");
        for hmis in std::iter::once(&c.hmis_number).chain(&c.same_person) {
            entries.push(
                AuditEntry::new(now, &auth.actor, "search clients", text.clone())
                    .client(Some(hmis)),
            );
        }
    }
    state.audit_all(entries).await?;
    Ok(out.into_iter().map(|(c, _)| c).collect())
}

/// The best [`MAX_RESULTS`] matches of a name search, best first: candidates from the index,
/// ranked by the shared function, then read in full.
async fn ranked(state: &AppState, probe: &Probe) -> Result<Vec<db::ClientRow>, ApiError> {
    if probe.is_empty() {
        return Ok(Vec::new());
    }
    let (per_word, alone) = probe.key_queries();
    let candidates =
        db::search::candidates(&state.pool, &per_word, &alone, CANDIDATES_PER_LOOKUP).await?;
    let views: Vec<_> = candidates.iter().map(|c| c.candidate()).collect();
    let best: Vec<ClientId> = rank(probe, &views)
        .into_iter()
        .take(MAX_RESULTS)
        .map(|(i, _)| candidates[i].id)
        .collect();
    let mut rows = db::search::clients_by_ids(&state.pool, &best).await?;
    rows.sort_by_key(|r| best.iter().position(|id| *id == r.id));
    Ok(rows)
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
