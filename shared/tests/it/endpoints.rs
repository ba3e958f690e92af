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
