//! `DecisionGate`: shows a control as a shared decision allows it, and otherwise hides or
//! disables it and says why, in the decision's own words (`Reason::describe`). Computed in the
//! browser from the same inputs the server uses; the server re-checks.

use leptos::prelude::*;
use shared::{Decision, Reason};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum GateMode {
    /// Show the control disabled, with the reason next to it.
    #[default]
    Disable,
    /// Show only the reason.
    Hide,
    /// Show nothing at all when refused (for controls whose absence needs no explanation).
    Silent,
}

#[component]
pub fn DecisionGate(
    #[prop(into)] decision: Signal<Decision>,
    /// Renders a reason with the organizations' names.
    describe: Callback<Reason, String>,
    #[prop(optional)] mode: GateMode,
    #[prop(optional, into)] test_id: Option<String>,
    children: ChildrenFn,
) -> impl IntoView {
    let test_id = test_id.unwrap_or_else(|| "gate".to_owned());
    let children = StoredValue::new(children);
    move || {
        let d = decision.get();
        if d.allowed {
            return children.with_value(|c| c()).into_any();
        }
        let why = describe.run(d.reason.clone());
        let tid = test_id.clone();
        match mode {
            GateMode::Silent => ().into_any(),
            GateMode::Hide => view! {
                <p class="gate-reason" data-test-id=format!("{tid}-reason")>{why}</p>
            }
            .into_any(),
            GateMode::Disable => view! {
                <fieldset class="gate" disabled data-test-id=tid.clone()>
                    {children.with_value(|c| c())}
                </fieldset>
                <p class="gate-reason" data-test-id=format!("{tid}-reason")>{why}</p>
            }
            .into_any(),
        }
    }
}
