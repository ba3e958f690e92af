//! Profile notes.

use super::writes::insert;
use super::{decide, new_record, scope, Scope};
use crate::error::ApiError;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use shared::api::records::*;
use shared::records::ProfileNote;
use shared::{can_create, ClientId, RecordKind, RecordMeta};

/// A note's text as R-12 accepts it (trimmed), else 422.
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

/// Adds a profile note to client `id`, authored by the caller's agency.
pub async fn create_note(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
    input: NoteInput,
) -> Result<RecordItem, ApiError> {
    let s = scope(state, auth, id).await?;
    let text = check_note(&s, &input.text)?;
    let d = decide(
        state,
        auth,
        &s,
        "create note",
        can_create(
            &auth.actor,
            &new_record(&s, RecordKind::ProfileNote, auth.actor.org),
        ),
    )
    .await?;
    insert(
        state,
        auth,
        &s,
        RecordKind::ProfileNote,
        auth.actor.org,
        None,
        RecordDetails::Note(NoteDetails { text }),
        &d,
        None,
    )
    .await
}
