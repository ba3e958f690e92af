//! Wire types of the households API (`/api/v1/households/...`, `/api/v1/clients/{id}/households`):
//! a household's family name, its effective-dated members and address rows, and who is head of
//! household (seed 1b, S-1, R-4, R-5; the rules are `crate::household`).

use crate::api::EnteredBy;
use crate::decision::Reason;
use crate::household::{HeadOf, RelationshipToHoH};
use crate::ids::{ClientId, HmisNumber, HouseholdAddressId, HouseholdId, MembershipId, OrgId};
use crate::ids::{RecordId, UserId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A member of a request: the client and their relationship to the head of household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    pub client_id: ClientId,
    pub relationship: RelationshipToHoH,
}

/// `POST /api/v1/households`: a household with its first members, all from `start_date`;
/// exactly one of them is the head (`self_head_of_household`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewHouseholdRequest {
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub family_name: String,
    pub start_date: NaiveDate,
    pub members: Vec<MemberInput>,
}

/// `PATCH /api/v1/households/{id}`: a new family name (the old one is kept in history, P-3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RenameHouseholdRequest {
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::SHORT_TEXT_MAX_CHARS)))]
    pub family_name: String,
}

/// `POST /api/v1/households/{id}/members`: a client joins from `start_date` (to `end_date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMemberRequest {
    pub client_id: ClientId,
    pub relationship: RelationshipToHoH,
    pub start_date: NaiveDate,
    #[serde(default)]
    pub end_date: Option<NaiveDate>,
}

/// `POST /api/v1/household-members/{id}/end`: the membership's last day (the member leaves).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EndMembershipRequest {
    pub end_date: NaiveDate,
}

/// `POST /api/v1/households/{id}/head`: from `start_date`, `client_id` is the head; each other
/// current member named in `relationships` stays with that relationship to the new head, the
/// others leave (their rows end the day before).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangeHeadRequest {
    pub client_id: ClientId,
    pub start_date: NaiveDate,
    #[serde(default)]
    pub relationships: Vec<MemberInput>,
}

/// `POST /api/v1/households/{id}/addresses`: a household address change at the client's
/// direction: a new row, end-dating the rows it replaces; the correction note on the head's
/// profile unless declined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewHouseholdAddress {
    #[cfg_attr(feature = "schema", schemars(length(max = crate::text::CONTACT_VALUE_MAX_CHARS)))]
    pub value: String,
    pub start_date: NaiveDate,
    #[serde(default)]
    pub replaces: Vec<HouseholdAddressId>,
    pub client_directed: bool,
    #[serde(default)]
    pub decline_note: bool,
    /// notify the AgencyAdmins of the agencies whose rows this change replaces.
    #[serde(default)]
    pub notify_owners: bool,
}

/// One membership row as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MemberView {
    pub id: MembershipId,
    pub client_id: ClientId,
    pub hmis_number: HmisNumber,
    /// The member's name (first and last), as their intake says (S-1).
    pub name: String,
    pub relationship: RelationshipToHoH,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    /// On the server's today.
    pub current: bool,
    pub org: OrgId,
    pub author: UserId,
    /// S-2: the entering user's and organization's names.
    pub entered_by: EnteredBy,
}

/// One household address row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HouseholdAddressView {
    pub id: HouseholdAddressId,
    pub value: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub current: bool,
    /// the agency that entered the row.
    pub org: OrgId,
    pub author: UserId,
    pub entered_by: EnteredBy,
}

/// `GET /api/v1/households/{id}`: the household, its members past and present (those whose
/// client the reader may read), its address rows, and its head today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HouseholdView {
    pub id: HouseholdId,
    pub family_name: String,
    pub org: OrgId,
    pub author: UserId,
    pub entered_by: EnteredBy,
    /// The head of household on the server's today (`None`: no current member).
    pub head_today: Option<ClientId>,
    /// Oldest first.
    pub members: Vec<MemberView>,
    /// Oldest first.
    pub addresses: Vec<HouseholdAddressView>,
    /// Why the reader sees it (S-1: shared with all agencies).
    pub reason: Reason,
}

/// One of a client's memberships.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClientMembership {
    pub household_id: HouseholdId,
    pub family_name: String,
    pub membership_id: MembershipId,
    pub relationship: RelationshipToHoH,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub current: bool,
}

/// `GET /api/v1/clients/{id}/households`: the client's memberships, current and past (newest
/// first), and who their head of household is today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClientHouseholds {
    pub client_id: ClientId,
    pub head_of_household: HeadOf,
    pub memberships: Vec<ClientMembership>,
}

/// The answer to a household address change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HouseholdAddressResult {
    pub address: HouseholdAddressView,
    pub end_dated: Vec<HouseholdAddressId>,
    pub left_current: Vec<HouseholdAddressId>,
    /// the note on the head of household's profile (`None`: declined).
    pub correction_note: Option<RecordId>,
    pub may_notify: Vec<OrgId>,
    pub notified: Vec<OrgId>,
}
