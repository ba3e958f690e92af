//! The endpoint table (`shared::api::endpoints`): paths are filled in order, only at their
//! `{…}` segments, and every declaration is well formed.

use shared::api::endpoints as ep;
use shared::api::Endpoint;

#[test]
fn a_path_fills_its_parameters_in_order_and_nothing_else() {
    assert_eq!(ep::ListNotes::path(&[7]), "/clients/7/notes");
    assert_eq!(ep::GetRecord::path(&[42]), "/records/42");
    assert_eq!(ep::SearchClients::path(&[]), "/clients");
    // A missing parameter stays as written (the server answers 404); a spare one is ignored.
    assert_eq!(ep::GetRecord::path(&[]), "/records/{id}");
    assert_eq!(ep::Health::path(&[1]), "/health");
}

#[test]
fn exactly_the_posts_that_answer_201_take_an_idempotency_key() {
    // Creating endpoints, uploads included.
    assert!(ep::CreateClient::accepts_idempotency_key());
    assert!(ep::CreateNote::accepts_idempotency_key());
    assert!(ep::CreateService::accepts_idempotency_key());
    assert!(ep::UploadAttachment::accepts_idempotency_key());
    assert!(ep::UploadRoiDocument::accepts_idempotency_key());
    assert!(ep::LogConflictAttempt::accepts_idempotency_key());
    assert!(ep::CreateUser::accepts_idempotency_key());
    // Other POSTs and other methods do not.
    assert!(!ep::SignIn::accepts_idempotency_key());
    assert!(!ep::AgreeConflict::accepts_idempotency_key());
    assert!(!ep::RevokeRoi::accepts_idempotency_key());
    assert!(!ep::ChangeOwnPassword::accepts_idempotency_key());
    assert!(!ep::ListNotes::accepts_idempotency_key());
    let put = shared::api::Method::Put;
    assert!(!shared::api::endpoint::is_idempotent_create(put, &[201]));
}
