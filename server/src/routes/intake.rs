//! `POST /api/v1/clients`: client intake (S-1), the use case `services::intake::create_client`:
//! 201 with the new client's HMIS number, or 409 naming the possible duplicates unless the
//! request confirms a new client.

use crate::error::ApiError;
use crate::extract::Json;
use crate::routes::Api;
use crate::services::auth::AuthUser;
use crate::services::intake::{self, Created};
use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::api::endpoints as ep;
use shared::api::intake::{NewClientRequest, NewClientResponse, PossibleDuplicates};
use shared::hud::{NameDataQuality, NoYesReasons, Sex};
use shared::intake::{DataQuality, MaritalStatus};
use shared::{ClientId, HmisNumber};

fn request_example() -> NewClientRequest {
    NewClientRequest {
        first_name: "Jordan".into(),
        middle_name: None,
        last_name: "Ellison".into(),
        name_data_quality: Some(NameDataQuality::Full),
        date_of_birth: Some("1988-04-17".into()),
        dob_data_quality: DataQuality::Full,
        ssn: Some("4821".into()),
        ssn_data_quality: DataQuality::Partial,
        sex: Some(Sex::Male),
        gender: Some("Man".into()),
        veteran_status: Some(NoYesReasons::Yes),
        marital_status: Some(MaritalStatus::NeverMarried),
        confirm_new: false,
    }
}

fn response_example() -> NewClientResponse {
    NewClientResponse {
        id: ClientId(37),
        hmis_number: HmisNumber::from_sequence(1037).unwrap_or_else(|_| unreachable!()),
        possible_duplicates: vec![],
    }
}

/// The 409 answer when possible duplicates exist and `confirm_new` was not set.
fn duplicates_body(duplicates: Vec<HmisNumber>) -> PossibleDuplicates {
    PossibleDuplicates {
        error: "A client with this name and date of birth already exists. Check these HMIS \
                numbers; if this is a different person, send again with confirm_new."
            .to_owned(),
        field: "confirm_new".to_owned(),
        possible_duplicates: duplicates,
    }
}

crate::documented!(ep::CreateClient {
    request: NewClientRequest = request_example();
    response: NewClientResponse = response_example();
    error 409: PossibleDuplicates = duplicates_body(vec![
        HmisNumber::from_sequence(1001).unwrap_or_else(|_| unreachable!())
    ]);
});

pub fn router() -> Api {
    Api::new().at::<ep::CreateClient, _>(create)
}

async fn create(
    axum::extract::State(state): axum::extract::State<AppState>,
    auth: AuthUser,
    Json(body): Json<NewClientRequest>,
) -> Result<Response, ApiError> {
    match intake::create_client(&state, &auth.actor, &body).await? {
        Created::PossibleDuplicates(duplicates) => {
            Ok((StatusCode::CONFLICT, Json(duplicates_body(duplicates))).into_response())
        }
        Created::Client {
            id,
            hmis_number,
            possible_duplicates,
        } => Ok((
            StatusCode::CREATED,
            Json(NewClientResponse {
                id,
                hmis_number,
                possible_duplicates,
            }),
        )
            .into_response()),
    }
}
