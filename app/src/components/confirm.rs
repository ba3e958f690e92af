//! A button that asks first, in a native `<dialog>` (focus trapped and restored by the browser,
//! Escape cancels).

use leptos::html;
use leptos::prelude::*;

#[component]
pub fn ConfirmButton(
    /// The button's text.
    #[prop(into)]
    label: String,
    /// The question the dialog asks.
    #[prop(into)]
    question: String,
    /// The confirming button's text.
    #[prop(into)]
    confirm: String,
    on_confirm: Callback<()>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional, into)] test_id: Option<String>,
    #[prop(optional)] danger: bool,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let open = move |_| {
        if let Some(d) = dialog.get() {
            let _ = d.show_modal();
        }
    };
    let close = move || {
        if let Some(d) = dialog.get() {
            d.close();
        }
    };
    let test_id = test_id.unwrap_or_default();
    let class = if danger { "button danger" } else { "button" };
    view! {
        <button type="button" class=class data-test-id=test_id.clone() disabled=disabled on:click=open>
            {label}
        </button>
        <dialog node_ref=dialog class="confirm" data-test-id=format!("{test_id}-dialog")>
            <p class="confirm-question">{question}</p>
            <div class="actions">
                <button type="button" class="button" on:click=move |_| close()>"Cancel"</button>
                <button type="button" class=if danger { "primary danger" } else { "primary" }
                    data-test-id="confirm" on:click=move |_| { close(); on_confirm.run(()); }>
                    {confirm}
                </button>
            </div>
        </dialog>
    }
}
