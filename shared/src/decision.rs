//! `Decision { allowed, reason }`: what every rule returns, so the UI can say why (S-9).

use crate::fields::{DocumentationType, Field};
use crate::ids::{ClientId, MouId, OrgId, RoiId, UserId};
use crate::model::SecuritySetting;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The outcome of a rule: whether the action is allowed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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

/// How a refusal is answered (S-9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Said, with its reason (the server answers 403).
    Explained,
    /// Not said: the actor is answered exactly as if the thing did not exist (404), so a refusal
    /// does not reveal that it exists.
    Hidden,
}

/// A decision about something the actor asked for by id, and how a refusal is answered.
/// `refusal` is [`Refusal::Explained`] when the decision allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lookup {
    pub decision: Decision,
    pub refusal: Refusal,
}

/// Why a decision came out as it did. The app renders it with [`Reason::describe`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
    /// S-1: tier-1 data is editable by every organization.
    CommunityEditable,
    /// forms: only the owning (or assigning) organization may change this.
    OnlyOwningAgency { org: OrgId },
    /// only the author may edit or delete a profile note.
    OnlyAuthor { author: UserId },
    /// the actor wrote this note.
    YouAreTheAuthor,
    /// only the uploader may modify or delete an attachment.
    OnlyUploader { uploader: UserId },
    /// the actor uploaded this attachment.
    YouUploaded,
    /// needs, service transactions and referrals are never deleted.
    ServicesAreNeverDeleted,
    /// contact information is end-dated, never overwritten or deleted.
    ContactDataIsEndDated,
    /// a contact change needs the client's direction (attestation).
    NeedsClientDirection,
    /// made at the client's direction.
    ClientDirected,
    /// the AgencyAdmin of the agency that entered the row may end-date it.
    AgencyAdminOfOwner { org: OrgId },
    /// changing another agency's single-answer value needs written documentation.
    NeedsDocumentation { field: Field, entered_by: OrgId },
    /// changed with written documentation.
    Documented { document: DocumentationType },
    /// the field is empty, anyone may fill it in.
    EmptyValue,
    /// a Social Security card is never uploaded.
    SocialSecurityCardRefused,
    /// S-5: lowering a security setting below its default needs an AgencyAdmin of the owner.
    NeedsAgencyAdmin { org: OrgId },
    /// S-5 / R-9: `SharedWithAll` is for attachments only.
    SettingNotAllowed { setting: SecuritySetting },
    /// Nobody creates records on behalf of another agency.
    NotYourAgency { org: OrgId },
    /// S-6: only a SystemAdmin creates, changes or ends an MOU.
    OnlySystemAdmin,
    /// S-3: only users of an organization named on an ROI may revoke it.
    NotNamedOnRoi,
    /// S-3: an ROI must name the setting user's own organization and at least one other.
    RoiMustNameYourAgency,
    /// The ROI is already revoked, the MOU already terminated, or the record already ended.
    AlreadyEnded,
    /// escalation refused until both thresholds are met; says what is missing.
    EscalationTooEarly {
        attempts: u32,
        attempts_needed: u32,
        span_days: i64,
        days_needed: u32,
        /// The earliest date a further attempt would complete the span, if the span is short.
        next_attempt_on_or_after: Option<NaiveDate>,
    },
    /// the data center is reached only 30 days after the agency-admin notice.
    DataCenterTooEarly {
        notified_on: NaiveDate,
        on_or_after: NaiveDate,
    },
    /// thresholds met; the action is allowed.
    ThresholdsMet,
    /// the actor's agency does not take this step on this conflict (not a party, or
    /// the addressed agency asked to take the reporting agency's step).
    NotAPartyToConflict,
    /// the conflict is not in a state that allows this step.
    WrongConflictState,
    /// The action is allowed to the actor's agency as owner or party.
    YourAgency,
    /// the change is the agreed update (the stated value, by the agreed updater).
    CarriesOutAgreement,
    /// the parties agreed that another agency updates the value.
    NotTheAgreedUpdater { updater: OrgId },
    /// the change is not the value the parties agreed on.
    NotTheAgreedValue,
    /// S-3: only the agency that attested the release is on file attaches its scan.
    OnlyAttestingAgency { org: OrgId },
    /// S-3 / S-6: a document, once attached, is not replaced.
    DocumentAlreadyAttached,
    /// S-6: the organization is not a party to the MOU.
    NotNamedOnMou { org: OrgId },
    /// S-6: this organization's signature is already recorded.
    AlreadySigned { org: OrgId },
    /// Accounts: only SystemAdmins create, rename or disable organizations.
    OnlySystemAdminsManageOrganizations,
    /// Accounts: only SystemAdmins create, change or disable programs.
    OnlySystemAdminsManagePrograms,
    /// Issue #16: only SystemAdmins import a HUD CSV export (it writes every agency's records).
    OnlySystemAdminsImportHud,
    /// Accounts: caseworkers manage no users.
    OnlyAdministratorsManageUsers,
    /// Accounts and audit: an AgencyAdmin acts on their own agency's users only.
    AgencyAdminsManageOwnAgencyOnly { org: OrgId },
    /// Accounts: only SystemAdmins create, change or manage SystemAdmins.
    OnlySystemAdminsManageSystemAdmins,
    /// Accounts: nobody disables or changes the role of their own account.
    NotOnYourOwnAccount,
    /// Accounts: one's own password is changed with the current one (`POST /session/password`),
    /// never reset by an administrator's form.
    OwnPasswordNeedsCurrent,
    /// Accounts: allowed to a SystemAdmin.
    ManagesAsSystemAdmin,
    /// Accounts: allowed to an AgencyAdmin for their own agency.
    ManagesOwnAgency { org: OrgId },
    /// Accounts: everyone may see their own account.
    YourOwnAccount,
    /// P-4: SystemAdmins read the whole audit log.
    ReadsWholeAuditLog,
    /// P-4: AgencyAdmins read the entries of their own agency's users.
    ReadsOwnAgencyAudit { org: OrgId },
    /// P-4: caseworkers do not read the audit log.
    OnlyAdministratorsReadAudit,
    /// the client is the head of their household (or in none: a household of one).
    HeadOfHousehold,
    /// case managers are assigned to the head of household, here client `head`.
    NotHeadOfHousehold { head: ClientId },
    /// Issue 15 (duplicates linked, not merged): any agency may mark two records as one person.
    MayLinkRecords,
    /// A record is not linked to itself.
    SameRecord,
    /// The two records are linked already (each record is in at most one live link).
    AlreadyLinked { client: ClientId },
    /// Only a SystemAdmin or an AgencyAdmin of the agency that linked the records may undo it.
    OnlyAdminOfLinkingAgency { org: OrgId },
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
            Reason::CommunityEditable => "Shared with and editable by all agencies".to_owned(),
            Reason::OnlyOwningAgency { org } => {
                format!("Read-only: only {} may change this", org_name(*org))
            }
            Reason::OnlyAuthor { .. } => {
                "Only the author may edit or delete this note".to_owned()
            }
            Reason::YouAreTheAuthor => "You wrote this note".to_owned(),
            Reason::OnlyUploader { .. } => {
                "Only the uploader may modify or delete this attachment".to_owned()
            }
            Reason::YouUploaded => "You uploaded this attachment".to_owned(),
            Reason::ServicesAreNeverDeleted => {
                "Services, needs and referrals are never deleted".to_owned()
            }
            Reason::ContactDataIsEndDated => {
                "Contact information is never overwritten or deleted: add a new row and end-date the old one".to_owned()
            }
            Reason::NeedsClientDirection => {
                "Contact information changes only at the client's direction".to_owned()
            }
            Reason::ClientDirected => "Changed at the client's direction".to_owned(),
            Reason::AgencyAdminOfOwner { org } => {
                format!("Agency administrator of {}, which entered it", org_name(*org))
            }
            Reason::NeedsDocumentation { field, entered_by } => format!(
                "Needs written documentation: {} was entered by {}",
                field.label(),
                org_name(*entered_by)
            ),
            Reason::Documented { document } => {
                format!("Changed with written documentation ({})", document.label())
            }
            Reason::EmptyValue => "No value yet: any agency may fill it in".to_owned(),
            Reason::SocialSecurityCardRefused => "A Social Security card is never uploaded. \
                 Instead, add a note or attachment saying your agency holds a copy and \
                 inviting those who need it to contact you"
                .to_owned(),
            Reason::NeedsAgencyAdmin { org } => format!(
                "Lowering the security setting below its default needs an agency administrator of {}",
                org_name(*org)
            ),
            Reason::SettingNotAllowed { setting } => {
                format!("'{}' is not allowed for this record", setting.label())
            }
            Reason::NotYourAgency { org } => {
                format!("You cannot act on behalf of {}", org_name(*org))
            }
            Reason::OnlySystemAdmin => {
                "Only a system administrator may create, change or end an MOU".to_owned()
            }
            Reason::NotNamedOnRoi => {
                "Only agencies named on the ROI may revoke it".to_owned()
            }
            Reason::RoiMustNameYourAgency => {
                "An ROI must name your agency and at least one other".to_owned()
            }
            Reason::AlreadyEnded => "Already ended".to_owned(),
            Reason::EscalationTooEarly {
                attempts,
                attempts_needed,
                span_days,
                days_needed,
                next_attempt_on_or_after,
            } => {
                let mut missing = Vec::new();
                if attempts < attempts_needed {
                    let n = attempts_needed - attempts;
                    missing.push(format!(
                        "{n} more contact attempt{}",
                        if n == 1 { "" } else { "s" }
                    ));
                }
                if let Some(d) = next_attempt_on_or_after {
                    let n = (i64::from(*days_needed) - *span_days).max(1);
                    missing.push(format!(
                        "{n} more day{} (an attempt on or after {d})",
                        if n == 1 { "" } else { "s" }
                    ));
                }
                format!(
                    "Escalation needs at least {attempts_needed} unanswered contact attempts spanning \
                     {days_needed} days; logged: {attempts} over {span_days} days; still missing: {}",
                    missing.join(" and ")
                )
            }
            Reason::DataCenterTooEarly { notified_on, on_or_after } => format!(
                "The agency administrator was notified on {notified_on}; the data center may be \
                 contacted on or after {on_or_after}"
            ),
            Reason::ThresholdsMet => "Contact attempts complete: escalation allowed".to_owned(),
            Reason::NotAPartyToConflict => {
                "Not a step for your agency on this conflict: the reporting agency logs contact \
                 attempts and escalates; either party agrees or resolves; other agencies take no \
                 part".to_owned()
            }
            Reason::WrongConflictState => "Not possible in the conflict's current state".to_owned(),
            Reason::YourAgency => "Your agency's record".to_owned(),
            Reason::CarriesOutAgreement => {
                "The agreed update: this resolves the data conflict".to_owned()
            }
            Reason::NotTheAgreedUpdater { updater } => format!(
                "The parties agreed that {} updates this value",
                org_name(*updater)
            ),
            Reason::NotTheAgreedValue => "Not the value the parties agreed on".to_owned(),
            Reason::OnlyAttestingAgency { org } => format!(
                "Only {}, which attested that the signed release is on file, may attach its scan",
                org_name(*org)
            ),
            Reason::DocumentAlreadyAttached => {
                "A document is already attached; it is not replaced".to_owned()
            }
            Reason::NotNamedOnMou { org } => {
                format!("{} is not a party to this MOU", org_name(*org))
            }
            Reason::AlreadySigned { org } => {
                format!("The signature of {} is already recorded", org_name(*org))
            }
            Reason::OnlySystemAdminsManageOrganizations => {
                "Only system administrators manage organizations".to_owned()
            }
            Reason::OnlySystemAdminsManagePrograms => {
                "Only system administrators manage programs".to_owned()
            }
            Reason::OnlySystemAdminsImportHud => {
                "Only system administrators import HUD CSV exports".to_owned()
            }
            Reason::OnlyAdministratorsManageUsers => {
                "Only agency and system administrators manage users".to_owned()
            }
            Reason::AgencyAdminsManageOwnAgencyOnly { .. } => {
                "Agency administrators manage only their own agency's users".to_owned()
            }
            Reason::OnlySystemAdminsManageSystemAdmins => {
                "Only system administrators create or manage system administrators".to_owned()
            }
            Reason::NotOnYourOwnAccount => {
                "You cannot disable your own account or change your own role".to_owned()
            }
            Reason::OwnPasswordNeedsCurrent => {
                "Change your own password on your account page, with your current password"
                    .to_owned()
            }
            Reason::ManagesAsSystemAdmin => "Allowed to you as system administrator".to_owned(),
            Reason::ManagesOwnAgency { org } => {
                format!("Allowed to you as agency administrator of {}", org_name(*org))
            }
            Reason::YourOwnAccount => "Your own account".to_owned(),
            Reason::ReadsWholeAuditLog => {
                "System administrators read the whole audit log".to_owned()
            }
            Reason::ReadsOwnAgencyAudit { org } => format!(
                "Agency administrators read the audit entries of their own agency's users ({})",
                org_name(*org)
            ),
            Reason::OnlyAdministratorsReadAudit => {
                "Only agency and system administrators read the audit log".to_owned()
            }
            Reason::HeadOfHousehold => "Head of household".to_owned(),
            Reason::NotHeadOfHousehold { head } => format!(
                "Case managers are assigned to the head of household: assign one on the profile \
                 of client #{head}, the household's head"
            ),
            Reason::MayLinkRecords => {
                "Any agency may mark two records as the same person; nothing is merged".to_owned()
            }
            Reason::SameRecord => "A record cannot be linked to itself".to_owned(),
            Reason::AlreadyLinked { client } => format!(
                "Client #{client} is already linked as the same person as another record: undo \
                 that link first"
            ),
            Reason::OnlyAdminOfLinkingAgency { org } => format!(
                "Only a system administrator or an administrator of {}, the agency that linked \
                 these records, may undo this link",
                org_name(*org)
            ),
        }
    }
}
