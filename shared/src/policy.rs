//! P-2: the policy as data. Defaults are the SPEC; another CoC can load its own.

use crate::model::{RecordKind, SecuritySetting};
use serde::{Deserialize, Serialize};

/// The sharing tier of a record kind (SPEC section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tier {
    /// T1: readable and editable by every organization.
    CommunityEditable,
    /// T2: readable by every organization, changeable only by the owner.
    CommunityReadOnly,
    /// T3/T4: governed by the record's own security setting.
    BySecuritySetting,
}

/// The configurable parts of the SPEC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyConfig {
    pub tiers: Vec<(RecordKind, Tier)>,
    /// Security setting a record of a governed kind gets when none is stored.
    pub default_security: SecuritySetting,
    /// Default length of an ROI in days (S-3: one year).
    pub roi_length_days: u32,
    /// minimum number of contact attempts before escalation.
    pub escalation_min_attempts: u32,
    /// minimum days the attempts must span.
    pub escalation_min_days: u32,
    /// days after the agency-admin notice before the data center is reached.
    pub data_center_days: u32,
}

impl Default for PolicyConfig {
    fn default() -> Self {
        use RecordKind::*;
        Self {
            tiers: vec![
                (Intake, Tier::CommunityEditable),
                (FamilyContact, Tier::CommunityEditable),
                (Demographics, Tier::CommunityEditable),
                (Photo, Tier::CommunityEditable),
                (Enrollment, Tier::CommunityReadOnly),
                (Service, Tier::CommunityReadOnly),
                (CaseManager, Tier::CommunityReadOnly),
                (ProfileNote, Tier::CommunityReadOnly),
                (Attachment, Tier::BySecuritySetting),
                (Form, Tier::BySecuritySetting),
            ],
            default_security: SecuritySetting::ShareWithRoiMou,
            roi_length_days: 365,
            escalation_min_attempts: 3,
            escalation_min_days: 14,
            data_center_days: 30,
        }
    }
}

impl PolicyConfig {
    /// The tier of a record kind; a kind the configuration forgot is governed by its setting
    /// (the most restrictive reading).
    pub fn tier(&self, kind: RecordKind) -> Tier {
        self.tiers
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, t)| *t)
            .unwrap_or(Tier::BySecuritySetting)
    }
}
