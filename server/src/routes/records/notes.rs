//! Profile notes.

use super::{created, decide, insert, new_record, parse_body, scope, Scope};
use crate::error::ApiError;
use crate::extract::Json;
use crate::extract::PathId;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use serde_json::Value;
use shared::api::records::*;
use shared::records::ProfileNote;
use shared::{can_create, ClientId, RecordKind, RecordMeta};

pub(super) fn check_note(s: &Scope, t: &str) -> Result<String, ApiError> {
    let note = ProfileNote {
        meta: RecordMeta {
            kind: RecordKind::ProfileNote,
            ..s.client.meta
        },
        text: t.trim().to_owned(),
    }
    .parse()?;
    Ok(note.text)
}

/// `POST /clients/{id}/notes`.
pub(super) async fn create_note(
    State(state): State<AppState>,
    auth: AuthUser,
    PathId(id): PathId,
    Json(body): Json<Value>,
) -> Result<Response, ApiError> {
    let input: NoteInput = parse_body(body)?;
    let s = scope(&state, &auth, ClientId(id)).await?;
    let text = check_note(&s, &input.text)?;
    let d = decide(
        &state,
        &auth,
        &s,
        "create note",
        can_create(
            &auth.actor,
            &new_record(&s, RecordKind::ProfileNote, auth.actor.org),
        ),
    )
    .await?;
    let it = insert(
        &state,
        &auth,
        &s,
        RecordKind::ProfileNote,
        auth.actor.org,
        None,
        RecordDetails::Note(NoteDetails { text }),
        &d,
        None,
    )
    .await?;
    Ok(created(it))
}
