//! `/api/v1/clients`: search and the client profile. Every record passes the shared read decision.

use crate::cache;
use crate::db::{self, AuditEntry};
use crate::error::{visible, ApiError};
use crate::extract::{Json, PathId};
use crate::routes::Api;
use crate::services::auth::{AuthUser, SessionToken};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::value::RawValue;
use shared::api::endpoints as ep;
use shared::api::{ClientProfile, ClientSummary, IntakeView, RecordView};
use shared::redact::redact;
use shared::{can_read, releases_for, ClientId, HmisNumber, SharingContext};

fn summary_example() -> ClientSummary {
    ClientSummary {
        id: ClientId(1),
        hmis_number: HmisNumber::from_sequence(1001).unwrap_or_else(|_| unreachable!()),
        first_name: "Alex".into(),
        last_name: "Rivera".into(),
        date_of_birth: chrono::NaiveDate::from_ymd_opt(1960, 1, 1),
    }
}

fn profile_example() -> ClientProfile {
    use shared::{OrgId, Provenance, RecordId, RecordKind, RecordMeta, UserId};
    let meta = |id, kind, security| RecordMeta {
        id: RecordId(id),
        client: ClientId(1),
        kind,
        provenance: Provenance {
            org: OrgId(2),
            author: UserId(3),
            created_at: chrono::NaiveDate::from_ymd_opt(2026, 5, 6)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .unwrap_or_default(),
        },
        security,
        deleted: false,
    };
    let s = summary_example();
    ClientProfile {
        id: s.id,
        hmis_number: s.hmis_number,
        intake: IntakeView {
            meta: meta(1, RecordKind::Intake, None),
            first_name: s.first_name,
            middle_name: Some("Lee".into()),
            last_name: s.last_name,
            date_of_birth: s.date_of_birth,
            ssn_last4: Some("1000".into()),
            gender: Some("Woman".into()),
        },
        records: vec![RecordView {
            meta: meta(
                7,
                RecordKind::Form,
                Some(shared::SecuritySetting::ShareWithRoiMou),
            ),
            title: "Housing assessment".into(),
            detail: "Completed 2026-05-12".into(),
            reason: shared::Reason::ReadOnlyEnteredBy { org: OrgId(2) },
        }],
        hidden_count: 2,
        rois: vec![],
        mous: vec![],
        org_names: vec![shared::api::OrgName {
            id: OrgId(2),
            name: "Bull City Shelter".into(),
        }],
    }
}

crate::documented!(ep::SearchClients {
    response: Vec<ClientSummary> = vec![summary_example()];
});

crate::documented!(ep::GetClientProfile {
    response: ClientProfile = profile_example();
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::SearchClients, _>(search)
        .at::<ep::GetClientProfile, _>(profile)
}

#[derive(Debug, Deserialize)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

const MAX_RESULTS: i64 = 50;

/// Search by name words (prefixes, any order) or by exact HMIS number. Returns tier-1 fields only.
async fn search(
    State(state): State<AppState>,
    auth: AuthUser,
    Query(query): Query<SearchQuery>,
) -> Result<Json<Vec<ClientSummary>>, ApiError> {
    let q = query.q.trim();
    if q.chars().count() < 2 {
        return Err(ApiError::validation("q", "type at least two characters"));
    }
    if q.chars().count() > 100 {
        return Err(ApiError::validation("q", "at most 100 characters"));
    }
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
    let visible: Vec<ClientSummary> = redact(&auth.actor, today, &ctx, &state.policy, rows)
        .visible
        .into_iter()
        .map(|(c, _)| ClientSummary {
            id: c.id,
            hmis_number: c.hmis_number,
            first_name: c.first_name,
            last_name: c.last_name,
            date_of_birth: c.date_of_birth,
        })
        .collect();
    state
        .audit(AuditEntry::new(
            state.clock.now(),
            &auth.actor,
            "search clients",
            format!("{} results", visible.len()),
        ))
        .await?;
    Ok(Json(visible))
}

/// One client's profile: the intake and every record the actor may read, each with its reason.
/// A client that does not exist and one the actor may not see both answer 404.
///
/// The hot path: one query (batched with other requests') reads the cache epoch and the
/// client's version, the session is
/// checked at that epoch, and the client's file, the organizations and the MOUs come from exact
/// in-memory copies when they are current (`cache`); the decisions are made afresh every time.
async fn profile(
    State(state): State<AppState>,
    token: SessionToken,
    PathId(id): PathId,
) -> Result<Response, ApiError> {
    let versions = state.versions(Some(ClientId(id))).await?;
    let (epoch, version) = (versions.epoch, versions.client);
    let auth = token.check(&state, epoch).await?;
    let version = version.ok_or(ApiError::NotFound)?;
    let file = cache::client_file(&state, ClientId(id), version)
        .await?
        .ok_or(ApiError::NotFound)?;
    let reference = cache::reference(&state, epoch).await?;
    let client = &file.client;
    let today = state.clock.today();
    let ctx = SharingContext {
        rois: &file.rois,
        mous: &reference.mous,
    };
    let intake = can_read(&auth.actor, &client.meta, &ctx, today, &state.policy);
    let intake = visible(intake)?;
    let redacted = redact(&auth.actor, today, &ctx, &state.policy, file.records.iter());
    let hidden_count = redacted.hidden_count;
    let records: Vec<RecordView<&RawValue>> = redacted
        .visible
        .into_iter()
        .map(|(r, reason)| RecordView {
            meta: &*r.meta_json,
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
                format!(
                    "{}; {} records shown, {} withheld",
                    intake.reason,
                    records.len(),
                    hidden_count
                ),
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
            first_name: client.first_name.clone(),
            middle_name: client.middle_name.clone(),
            last_name: client.last_name.clone(),
            date_of_birth: client.date_of_birth,
            ssn_last4: client.ssn.as_deref().and_then(shared::fields::ssn_last4),
            gender: client.gender.clone(),
        },
        records,
        hidden_count,
        rois: released_rois,
        mous: released_mous,
        org_names: reference.org_names.clone(),
    };
    Ok(Json(profile).into_response())
}
