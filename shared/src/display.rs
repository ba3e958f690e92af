//! Display labels the app shows for enums that had none (pure, no rules): one place, so the app
//! never spells a code list of its own.

use crate::records::{FormType, ServiceKind};

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

impl FormType {
    /// The form type's name, as record titles and the app's choices show it.
    pub fn label(self) -> &'static str {
        match self {
            FormType::CaseNotes => "Case notes",
            FormType::HmisBarriers => "HMIS barriers assessment",
            FormType::Health => "Health assessment",
            FormType::Addictions => "Addictions assessment",
            FormType::Legal => "Legal assessment",
            FormType::DomesticViolence => "Domestic violence assessment",
            FormType::Income => "Income assessment",
            FormType::Employment => "Employment assessment",
            FormType::Housing => "Housing assessment",
            FormType::Other => "Other form",
        }
    }
}
