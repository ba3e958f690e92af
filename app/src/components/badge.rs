//! The visibility badge: a decision of the shared rules, rendered with its reason (S-9).

use leptos::prelude::*;
use shared::api::OrgName;
use shared::{Decision, OrgId, Reason};

/// Renders the organization names of `orgs` for `Reason::describe`.
pub fn org_namer(orgs: Vec<OrgName>) -> impl Fn(OrgId) -> String {
    move |id| {
        orgs.iter()
            .find(|o| o.id == id)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| format!("agency #{id}"))
    }
}

fn tone(reason: &Reason) -> &'static str {
    match reason {
        Reason::SharedWithAll => "badge badge-open",
        Reason::OwnOrganization | Reason::ReadOnlyEnteredBy { .. } => "badge badge-community",
        Reason::SharedByRoi { .. } | Reason::SharedByMou { .. } => "badge badge-release",
        Reason::SystemAdministrator => "badge badge-admin",
        _ => "badge badge-restricted",
    }
}

#[component]
pub fn VisibilityBadge(decision: Decision, orgs: Vec<OrgName>) -> impl IntoView {
    let namer = org_namer(orgs);
    let text = decision.reason.describe(&namer);
    let class = tone(&decision.reason);
    view! {
        <span class=class data-test-id="visibility-badge" data-allowed=decision.allowed.to_string()>
            {text}
        </span>
    }
}
