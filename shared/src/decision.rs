//! `Decision { allowed, reason }`: what every rule returns, so the UI can say why (S-9).

use crate::ids::{MouId, OrgId, RoiId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The outcome of a rule: whether the action is allowed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub allowed: bool,
    pub reason: Reason,
}

impl Decision {
    pub fn allow(reason: Reason) -> Self {
        Self {
            allowed: true,
            reason,
        }
    }

    pub fn deny(reason: Reason) -> Self {
        Self {
            allowed: false,
            reason,
        }
    }
}

/// Why a decision came out as it did. The app renders it with [`Reason::describe`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Reason {
    /// Tier 1 (S-1), or an attachment set to `SharedWithAll`.
    SharedWithAll,
    /// Tier 2 (S-2): readable by all, changeable only by the owner.
    ReadOnlyEnteredBy { org: OrgId },
    /// The actor's own organization entered the record.
    OwnOrganization,
    /// S-3: shared by an active ROI.
    SharedByRoi { roi: RoiId, until: NaiveDate },
    /// S-4: shared by an active MOU.
    SharedByMou { mou: MouId, name: String },
    /// S-7: system administrators read everything.
    SystemAdministrator,
    /// S-5: `ShareWithRoiMou` with no ROI or MOU in place, or `RestrictToOrganization`.
    RestrictedTo { org: OrgId },
    /// P-3: a tombstoned record, visible to SystemAdmins only.
    Deleted,
    /// Default deny: nothing in the policy covers this.
    NotCovered,
}

impl Reason {
    /// Renders the reason as a sentence; `org_name` resolves organization ids to names.
    pub fn describe(&self, org_name: &dyn Fn(OrgId) -> String) -> String {
        match self {
            Reason::SharedWithAll => "Shared with all agencies".to_owned(),
            Reason::ReadOnlyEnteredBy { org } => {
                format!("Read-only: entered by {}", org_name(*org))
            }
            Reason::OwnOrganization => "Entered by your agency".to_owned(),
            Reason::SharedByRoi { roi, until } => {
                format!("Shared with you by ROI #{roi} (until {until})")
            }
            Reason::SharedByMou { name, .. } => format!("Shared by MOU '{name}'"),
            Reason::SystemAdministrator => "Visible to you as system administrator".to_owned(),
            Reason::RestrictedTo { org } => format!("Restricted to {}", org_name(*org)),
            Reason::Deleted => "Deleted (kept for system administrators)".to_owned(),
            Reason::NotCovered => "Not permitted by the sharing policy".to_owned(),
        }
    }
}
