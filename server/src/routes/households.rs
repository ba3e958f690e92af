//! `/api/v1/households/...`, `/api/v1/household-members/{id}/end` and
//! `/api/v1/clients/{id}/households`: households, their members and address rows (seed 1b,
//! S-1, R-4, R-5). The use cases are `services::households`.

use crate::error::ApiError;
use crate::extract::{Json, PathId};
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::services::households as uc;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use shared::api::endpoints as ep;
use shared::api::households::*;
use shared::api::EnteredBy;
use shared::household::{HeadOf, RelationshipToHoH};
use shared::ids::{HouseholdAddressId, HouseholdId, MembershipId};
use shared::{ClientId, HmisNumber, OrgId, RecordId, UserId};

// ---- OpenAPI examples: the demo's Rivera household, seen on 2026-11-22 ----

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn by() -> EnteredBy {
    EnteredBy {
        user_name: "Maria Lopez".into(),
        org_name: "Bull City Shelter".into(),
    }
}

fn member(id: i64, client: i64, name: &str, relationship: RelationshipToHoH) -> MemberView {
    MemberView {
        id: MembershipId(id),
        client_id: ClientId(client),
        hmis_number: HmisNumber::from_sequence(1000 + client as u32)
            .unwrap_or_else(|_| HmisNumber::parse("H0001001").expect("a valid HMIS number")),
        name: name.into(),
        relationship,
        start_date: day(2026, 9, 1),
        end_date: None,
        current: true,
        org: OrgId(2),
        author: UserId(3),
        entered_by: by(),
    }
}

fn address(id: i64, value: &str) -> HouseholdAddressView {
    HouseholdAddressView {
        id: HouseholdAddressId(id),
        value: value.into(),
        start_date: day(2026, 11, 1),
        end_date: None,
        current: true,
        org: OrgId(2),
        author: UserId(3),
        entered_by: by(),
    }
}

fn household_example() -> HouseholdView {
    HouseholdView {
        id: HouseholdId(1),
        family_name: "Rivera".into(),
        org: OrgId(2),
        author: UserId(3),
        entered_by: by(),
        head_today: Some(ClientId(1)),
        members: vec![
            member(1, 1, "Ana Rivera", RelationshipToHoH::SelfHeadOfHousehold),
            member(2, 4, "Luis Rivera", RelationshipToHoH::Child),
        ],
        addresses: vec![address(1, "210 Main St, Durham NC 27701")],
        reason: shared::Reason::SharedWithAll,
    }
}

crate::documented!(ep::CreateHousehold {
    request: NewHouseholdRequest = NewHouseholdRequest {
            family_name: "Rivera".into(),
            start_date: day(2026, 9, 1),
            members: vec![
                MemberInput { client_id: ClientId(1), relationship: RelationshipToHoH::SelfHeadOfHousehold },
                MemberInput { client_id: ClientId(4), relationship: RelationshipToHoH::Child },
            ],
        };
    response: HouseholdView = household_example();
});

crate::documented!(ep::GetHousehold {
    response: HouseholdView = household_example();
});

crate::documented!(ep::RenameHousehold {
    request: RenameHouseholdRequest = RenameHouseholdRequest { family_name: "Rivera-Lopez".into() };
    response: HouseholdView = household_example();
});

crate::documented!(ep::ListClientHouseholds {
    response: ClientHouseholds = ClientHouseholds {
            client_id: ClientId(4),
            head_of_household: HeadOf {
                household: Some(HouseholdId(1)),
                head: ClientId(1),
                is_head: false,
                relationship: RelationshipToHoH::Child,
            },
            memberships: vec![ClientMembership {
                household_id: HouseholdId(1),
                family_name: "Rivera".into(),
                membership_id: MembershipId(2),
                relationship: RelationshipToHoH::Child,
                start_date: day(2026, 9, 1),
                end_date: None,
                current: true,
            }],
        };
});

crate::documented!(ep::AddHouseholdMember {
    request: NewMemberRequest = NewMemberRequest {
            client_id: ClientId(4),
            relationship: RelationshipToHoH::Child,
            start_date: day(2026, 9, 1),
            end_date: None,
        };
    response: HouseholdView = household_example();
});

crate::documented!(ep::ChangeHeadOfHousehold {
    request: ChangeHeadRequest = ChangeHeadRequest {
            client_id: ClientId(1),
            start_date: day(2026, 11, 1),
            relationships: vec![MemberInput {
                client_id: ClientId(4),
                relationship: RelationshipToHoH::Child,
            }],
        };
    response: HouseholdView = household_example();
});

crate::documented!(ep::EndHouseholdMembership {
    request: EndMembershipRequest = EndMembershipRequest { end_date: day(2026, 11, 15) };
    response: HouseholdView = household_example();
});

crate::documented!(ep::CreateHouseholdAddress {
    request: NewHouseholdAddress = NewHouseholdAddress {
            value: "210 Main St, Durham NC 27701".into(),
            start_date: day(2026, 11, 1),
            replaces: vec![HouseholdAddressId(3)],
            client_directed: true,
            decline_note: false,
            notify_owners: false,
        };
    response: HouseholdAddressResult = HouseholdAddressResult {
            address: address(4, "210 Main St, Durham NC 27701"),
            end_dated: vec![HouseholdAddressId(3)],
            left_current: vec![],
            correction_note: Some(RecordId(57)),
            may_notify: vec![OrgId(3)],
            notified: vec![],
        };
});

pub fn router() -> Api {
    Api::new()
        .at::<ep::CreateHousehold, _>(create)
        .at::<ep::GetHousehold, _>(get)
        .at::<ep::RenameHousehold, _>(rename)
        .at::<ep::ListClientHouseholds, _>(of_client)
        .at::<ep::AddHouseholdMember, _>(add_member)
        .at::<ep::ChangeHeadOfHousehold, _>(change_head)
        .at::<ep::EndHouseholdMembership, _>(end_member)
        .at::<ep::CreateHouseholdAddress, _>(add_address)
}

/// `POST /households`: a household with its first members.
async fn create(
    State(state): State<AppState>,
    auth: AuthUser,
    Json(body): Json<NewHouseholdRequest>,
) -> Result<(StatusCode, Json<HouseholdView>), ApiError> {
    let v = uc::create(&state, &auth, body).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// `GET /households/{id}`.
async fn get(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<HouseholdView>, ApiError> {
    Ok(Json(uc::get(&state, &auth, HouseholdId(id)).await?))
}

/// `PATCH /households/{id}`: a new family name.
async fn rename(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<RenameHouseholdRequest>,
) -> Result<Json<HouseholdView>, ApiError> {
    Ok(Json(
        uc::rename(&state, &auth, HouseholdId(id), body).await?,
    ))
}

/// `GET /clients/{id}/households`: the client's memberships and head of household.
async fn of_client(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
) -> Result<Json<ClientHouseholds>, ApiError> {
    Ok(Json(uc::of_client(&state, &auth, ClientId(id)).await?))
}

/// `POST /households/{id}/members`: a client joins.
async fn add_member(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<NewMemberRequest>,
) -> Result<(StatusCode, Json<HouseholdView>), ApiError> {
    let v = uc::add_member(&state, &auth, HouseholdId(id), body).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// `POST /households/{id}/head`: a new head of household from a date.
async fn change_head(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<ChangeHeadRequest>,
) -> Result<Json<HouseholdView>, ApiError> {
    Ok(Json(
        uc::change_head(&state, &auth, HouseholdId(id), body).await?,
    ))
}

/// `POST /household-members/{id}/end`: a member leaves.
async fn end_member(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<EndMembershipRequest>,
) -> Result<Json<HouseholdView>, ApiError> {
    Ok(Json(
        uc::end_member(&state, &auth, MembershipId(id), body).await?,
    ))
}

/// `POST /households/{id}/addresses`: a household address change at the client's direction.
async fn add_address(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<NewHouseholdAddress>,
) -> Result<(StatusCode, Json<HouseholdAddressResult>), ApiError> {
    let v = uc::add_address(&state, &auth, HouseholdId(id), body).await?;
    Ok((StatusCode::CREATED, Json(v)))
}
