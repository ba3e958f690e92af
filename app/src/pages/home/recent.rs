//! The clients a user opened recently, kept in this browser's `localStorage` under the user's id:
//! HMIS number and name only, the newest first, at most `KEEP`; the user may clear the list.
//! (Nothing is sent anywhere: the list is what this browser already showed this user.)

use crate::session::use_session;
use crate::{Page, Section};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shared::api::ClientProfile;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

/// How many clients the list keeps.
pub const KEEP: usize = 8;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = localStorage, js_name = getItem, catch)]
    fn storage_get(key: &str) -> Result<Option<String>, JsValue>;
    #[wasm_bindgen(js_namespace = localStorage, js_name = setItem, catch)]
    fn storage_set(key: &str, value: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = localStorage, js_name = removeItem, catch)]
    fn storage_remove(key: &str) -> Result<(), JsValue>;
}

/// One recently opened client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recent {
    pub id: i64,
    pub hmis: String,
    pub name: String,
}

fn key(user: i64) -> String {
    format!("hearth.recent.{user}")
}

/// The user's list (empty when storage is unavailable or holds something else).
pub fn load(user: i64) -> Vec<Recent> {
    storage_get(&key(user))
        .ok()
        .flatten()
        .and_then(|s| serde_json::from_str::<Vec<Recent>>(&s).ok())
        .unwrap_or_default()
}

fn save(user: i64, list: &[Recent]) {
    if let Ok(json) = serde_json::to_string(list) {
        let _ = storage_set(&key(user), &json);
    }
}

/// `list` with `client` first, without an earlier entry of it, at most `KEEP` long.
pub fn with_visit(mut list: Vec<Recent>, client: Recent) -> Vec<Recent> {
    list.retain(|r| r.id != client.id);
    list.insert(0, client);
    list.truncate(KEEP);
    list
}

/// Records that the signed-in user opened this client's file (called where the profile loads).
pub fn remember(profile: &ClientProfile) {
    let Some(user) = use_session().with_me_untracked(|me| me.user_id.0) else {
        return;
    };
    let visit = Recent {
        id: profile.intake.meta.client.0,
        hmis: profile.hmis_number.to_string(),
        name: format!("{} {}", profile.intake.first_name, profile.intake.last_name),
    };
    save(user, &with_visit(load(user), visit));
}

#[component]
pub fn RecentClients() -> impl IntoView {
    let session = use_session();
    let user = session.with_me_untracked(|me| me.user_id.0).unwrap_or(0);
    let list = RwSignal::new(load(user));
    let clear = move |_| {
        let _ = storage_remove(&key(user));
        list.set(Vec::new());
    };
    view! {
        <section class="card home-card" aria-labelledby="recent-heading" data-test-id="recent-clients">
            <div class="home-card-head">
                <h2 id="recent-heading">"Recently opened"</h2>
                <Show when=move || list.with(|l| !l.is_empty())>
                    <button type="button" class="button small" data-test-id="recent-clear" on:click=clear>
                        "Clear list"
                    </button>
                </Show>
            </div>
            {move || {
                let items = list.get();
                if items.is_empty() {
                    view! { <p class="empty" data-test-id="recent-empty">"Clients you open appear here, on this device only."</p> }.into_any()
                } else {
                    view! {
                        <ul class="results compact">
                            {items.into_iter().map(|r| view! {
                                <li>
                                    <a href=Page::Client(r.id, Section::Overview).path() data-test-id="recent-client">
                                        <span class="result-name">{r.name}</span>
                                        <span class="result-meta">{r.hmis}</span>
                                    </a>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}
