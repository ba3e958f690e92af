//! `/api/v1/clients/{id}/links` and `/api/v1/client-links/{id}/unlink`: two records of one
//! person, linked and unlinked (issue 15; never merged). The use cases are `services::links`.

use crate::error::ApiError;
use crate::extract::{Json, PathId};
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::services::links;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shared::api::endpoints as ep;
use shared::api::links::{ClientLinkView, ClientLinks, NewLinkRequest};
use shared::api::ClientSummary;
use shared::ids::ClientLinkId;
use shared::links::ClientLink;
use shared::{ClientId, HmisNumber, OrgId, UserId};

fn link_example(ended: bool) -> ClientLinkView {
    let at = chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default();
    ClientLinkView {
        link: ClientLink {
            id: ClientLinkId(1),
            clients: [ClientId(1), ClientId(7)],
            org: OrgId(2),
            linked_by: UserId(3),
            linked_at: at,
            ended_at: ended.then_some(at + chrono::Duration::hours(2)),
            ended_by: ended.then_some(UserId(2)),
        },
        other: ClientSummary {
            id: ClientId(7),
            hmis_number: HmisNumber::from_sequence(1007).unwrap_or_else(|_| unreachable!()),
            first_name: "Alex".into(),
            last_name: "Rivera".into(),
            date_of_birth: chrono::NaiveDate::from_ymd_opt(1960, 1, 1),
            same_person: Vec::new(),
        },
        org_name: "Bull City Shelter".into(),
    }
}

crate::documented!(ep::ListClientLinks {
    response: ClientLinks = ClientLinks { links: vec![link_example(false)] };
});

crate::documented!(ep::LinkClients {
    request: NewLinkRequest = NewLinkRequest { other: ClientId(7) };
    response: ClientLinkView = link_example(false);
});

crate::documented!(ep::UnlinkClients {
    response: ClientLinkView = link_example(true);
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::ListClientLinks, _>(list)
        .at::<ep::LinkClients, _>(link)
        .at::<ep::UnlinkClients, _>(unlink)
}

/// `GET /clients/{id}/links`.
async fn list(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<ClientLinks>, ApiError> {
    Ok(Json(links::list(&state, &auth, ClientId(id)).await?))
}

/// `POST /clients/{id}/links`: any user marks two records as the same person.
async fn link(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<NewLinkRequest>,
) -> Result<(StatusCode, Json<ClientLinkView>), ApiError> {
    let view = links::link(&state, &auth, ClientId(id), &body).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// `POST /client-links/{id}/unlink`: a SystemAdmin or an AgencyAdmin of the linking agency.
async fn unlink(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<ClientLinkView>, ApiError> {
    Ok(Json(links::unlink(&state, &auth, ClientLinkId(id)).await?))
}
