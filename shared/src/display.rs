//! Display labels the app shows for enums that had none (pure, no rules): one place, so the app
//! never spells a code list of its own.

use crate::records::ServiceKind;

impl ServiceKind {
    /// The label a caseworker reads.
    pub fn label(self) -> &'static str {
        match self {
            ServiceKind::Need => "Need",
            ServiceKind::Transaction => "Service transaction",
            ServiceKind::Referral => "Referral",
        }
    }
}
