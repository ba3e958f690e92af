//! Households (seed 1b: family name, family relationships, family address; S-1 tier 1): a
//! household groups clients under a family name, each member on effective-dated rows with a
//! relationship to the head of household (HUD 3.15), never overwritten; exactly one head
//! at any date while it has members; who is head of household for comes from here.
//! The household's address rows are contact rows planned by the shared contact plan.

use crate::decision::{Decision, Reason};
use crate::ids::{ClientId, HouseholdAddressId, HouseholdId, MembershipId, OrgId, ParseError};
use crate::model::{Actor, Provenance, RecordKind, RecordMeta};
use crate::policy::{PolicyConfig, Tier};
use crate::records::{check_end, is_within, ContactKind, ContactRow};
use crate::resolution::{plan_contact_change, ContactChange, ContactPlan, ContactPlanError};
use crate::{dates, text, RecordId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::hud::RelationshipToHoH;

/// A household: its family name and who created it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub id: HouseholdId,
    pub family_name: String,
    pub provenance: Provenance,
}

/// One effective-dated row of a client's membership in a household (never overwritten: a
/// change of relationship or of head ends the row and adds new ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub id: MembershipId,
    pub household: HouseholdId,
    pub client: ClientId,
    pub relationship: RelationshipToHoH,
    pub start: NaiveDate,
    /// Inclusive last day; `None` while open.
    pub end: Option<NaiveDate>,
    pub provenance: Provenance,
}

impl Membership {
    pub fn is_current(&self, on: NaiveDate) -> bool {
        is_within(self.start, self.end, on)
    }

    pub fn is_head(&self) -> bool {
        self.relationship == RelationshipToHoH::SelfHeadOfHousehold
    }

    fn overlaps(&self, other: &Membership) -> bool {
        overlaps((self.start, self.end), (other.start, other.end))
    }
}

fn overlaps(a: (NaiveDate, Option<NaiveDate>), b: (NaiveDate, Option<NaiveDate>)) -> bool {
    a.0 <= b.1.unwrap_or(NaiveDate::MAX) && b.0 <= a.1.unwrap_or(NaiveDate::MAX)
}

/// S-1: may `actor` create a household, add or end a member, rename it or change its address?
/// Households are family and contact information (seed 1b), whose tier the policy gives
/// (`RecordKind::FamilyContact`, P-2): tier 1 (the default) lets every agency; otherwise only
/// the agency that created the household (`owner`; `None`: a new household, the actor's own).
pub fn can_change_household(
    actor: &Actor,
    owner: Option<OrgId>,
    policy: &PolicyConfig,
) -> Decision {
    if policy.tier(RecordKind::FamilyContact) == Tier::CommunityEditable {
        return Decision::allow(Reason::CommunityEditable);
    }
    match owner {
        None => Decision::allow(Reason::YourAgency),
        Some(org) if org == actor.org => Decision::allow(Reason::YourAgency),
        Some(org) => Decision::deny(Reason::OnlyOwningAgency { org }),
    }
}

/// A household's family name: one line of 1 to [`text::SHORT_TEXT_MAX_CHARS`] characters,
/// trimmed. Errors name `family_name`.
pub fn parse_family_name(s: &str) -> Result<String, ParseError> {
    Ok(text::person_name("family_name", s, text::SHORT_TEXT_MAX_CHARS)?.to_owned())
}

/// A member about to join: the client, their relationship to the head, from `start` (to `end`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMember {
    pub client: ClientId,
    pub relationship: RelationshipToHoH,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// What breaks a household's rules, found by [`check_rows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Violation {
    /// A client on two overlapping rows (here or in another household).
    ClientTwice {
        client: ClientId,
        household: HouseholdId,
        from: NaiveDate,
    },
    /// Two heads on one date.
    TwoHeads { from: NaiveDate },
    /// A member on a date the household has no head.
    NoHead { client: ClientId, on: NaiveDate },
}

/// The household's rows (`rows`, every row of one household) and every row of its members in
/// other households (`elsewhere`) against the rules: no client on two overlapping rows
/// (a client belongs to at most one household at a time), no two heads on one date, a head on
/// every date a member's row covers.
fn check_rows(rows: &[Membership], elsewhere: &[Membership]) -> Result<(), Violation> {
    for (i, a) in rows.iter().enumerate() {
        let later = rows[i + 1..].iter().chain(elsewhere.iter());
        if let Some(b) = later
            .filter(|b| b.id != a.id || b.household != a.household)
            .find(|b| b.client == a.client && a.overlaps(b))
        {
            return Err(Violation::ClientTwice {
                client: a.client,
                household: b.household,
                from: b.start,
            });
        }
    }
    let heads: Vec<&Membership> = rows.iter().filter(|r| r.is_head()).collect();
    for (i, a) in heads.iter().enumerate() {
        if let Some(b) = heads[i + 1..].iter().find(|b| a.overlaps(b)) {
            return Err(Violation::TwoHeads {
                from: a.start.max(b.start),
            });
        }
    }
    for m in rows.iter().filter(|r| !r.is_head()) {
        if let Some(on) = first_day_without_head(&heads, m.start, m.end) {
            return Err(Violation::NoHead {
                client: m.client,
                on,
            });
        }
    }
    Ok(())
}

/// The first day from `start` to `end` (inclusive; `None`: open) that no head row covers.
fn first_day_without_head(
    heads: &[&Membership],
    start: NaiveDate,
    end: Option<NaiveDate>,
) -> Option<NaiveDate> {
    let mut day = start;
    loop {
        if end.is_some_and(|e| day > e) {
            return None;
        }
        let Some(head) = heads.iter().find(|h| h.is_current(day)) else {
            return Some(day);
        };
        // The head covers `day`; go on from the day after the head's row ends.
        match head.end.and_then(|e| e.succ_opt()) {
            None => return None,
            Some(next) => day = next,
        }
    }
}

/// The household's rules as a 422 naming `field` (the field of the request that broke them).
fn refuse(v: Violation, field: &str) -> ParseError {
    match v {
        Violation::ClientTwice {
            client,
            household,
            from,
        } => ParseError::new(
            field,
            format!(
                "client #{client} already belongs to household #{household} from {from}: a client \
                 belongs to one household at a time (end that membership first)"
            ),
        ),
        Violation::TwoHeads { from } => ParseError::new(
            field,
            format!(
                "the household already has a head of household on {from}: a household has one \
                 head at a time (change the head instead)"
            ),
        ),
        Violation::NoHead { client, on } => ParseError::new(
            field,
            format!(
                "client #{client} would be a member on {on} with no head of household: a \
                 household has a head on every date it has members"
            ),
        ),
    }
}

/// A member's dates as entered: plausible (`shared::dates`, a planned date: up to a year
/// ahead) and the end not before the start. Errors name `start_date` / `end_date`.
fn check_dates(
    start: NaiveDate,
    end: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), ParseError> {
    dates::check("start_date", dates::DateKind::Scheduled, start, today)?;
    dates::check_opt("end_date", dates::DateKind::Scheduled, end, today)?;
    check_end("end_date", start, end)
}

/// A row not stored yet (its id is never a stored one).
fn unsaved(household: HouseholdId, m: &NewMember, provenance: Provenance, n: usize) -> Membership {
    Membership {
        id: MembershipId(-1 - n as i64),
        household,
        client: m.client,
        relationship: m.relationship,
        start: m.start,
        end: m.end,
        provenance,
    }
}

/// A new household's first members (all from one start date): at least one, exactly one head,
/// no client twice, none already in another household then (`elsewhere`: their rows in other
/// households). Errors name `members` (or the dates' fields).
pub fn check_new_household(
    members: &[NewMember],
    elsewhere: &[Membership],
    provenance: Provenance,
    today: NaiveDate,
) -> Result<(), ParseError> {
    if members.is_empty() {
        return Err(ParseError::new(
            "members",
            "a household has at least one member, its head of household",
        ));
    }
    for m in members {
        check_dates(m.start, m.end, today)?;
    }
    if members
        .iter()
        .filter(|m| m.relationship == RelationshipToHoH::SelfHeadOfHousehold)
        .count()
        != 1
    {
        return Err(ParseError::new(
            "members",
            "exactly one member is the head of household (relationship self_head_of_household)",
        ));
    }
    let new = HouseholdId(0);
    let rows: Vec<Membership> = members
        .iter()
        .enumerate()
        .map(|(n, m)| unsaved(new, m, provenance, n))
        .collect();
    check_rows(&rows, elsewhere).map_err(|v| refuse(v, "members"))
}

/// Adding `new` to the household whose rows are `rows` (every row, past and present), with the
/// new member's rows in other households `elsewhere`. A second head while one is current is
/// refused (change the head instead), as is a member on a date with no head, or a client
/// already in a household then. Errors name `client_id`, `relationship`, `start_date` or
/// `end_date`.
pub fn check_add_member(
    household: HouseholdId,
    rows: &[Membership],
    elsewhere: &[Membership],
    new: &NewMember,
    provenance: Provenance,
    today: NaiveDate,
) -> Result<(), ParseError> {
    check_dates(new.start, new.end, today)?;
    let mut after = rows.to_vec();
    after.push(unsaved(household, new, provenance, 0));
    check_rows(&after, elsewhere).map_err(|v| match v {
        Violation::ClientTwice { .. } => refuse(v, "client_id"),
        Violation::TwoHeads { .. } => refuse(v, "relationship"),
        Violation::NoHead { .. } => refuse(v, "start_date"),
    })
}

/// Ending membership `row` of the household whose rows are `rows` on `end` (its inclusive last
/// day). Already ended (on or before `end`): refused, the row is never rewritten; the end is not
/// before the row's start; a head's row ends only when no member stays on without a head (change
/// the head first, or end the others' rows too). Errors name `end_date`.
pub fn check_end_membership(
    rows: &[Membership],
    row: MembershipId,
    end: NaiveDate,
    today: NaiveDate,
) -> Result<Membership, ParseError> {
    dates::check("end_date", dates::DateKind::Scheduled, end, today)?;
    let Some(current) = rows.iter().find(|r| r.id == row) else {
        return Err(ParseError::new(
            "member",
            "no such membership in this household",
        ));
    };
    if let Some(e) = current.end.filter(|e| *e <= end) {
        return Err(ParseError::new(
            "end_date",
            format!("the membership already ended on {e}"),
        ));
    }
    check_end("end_date", current.start, Some(end))?;
    let after: Vec<Membership> = rows
        .iter()
        .map(|r| {
            if r.id == row {
                Membership {
                    end: Some(end),
                    ..*r
                }
            } else {
                *r
            }
        })
        .collect();
    check_rows(&after, &[]).map_err(|v| refuse(v, "end_date"))?;
    Ok(Membership {
        end: Some(end),
        ..*current
    })
}

/// A change of head of household: from `start`, `new_head` is head; every other member current
/// on `start` stays on with the relationship given in `relationships` (to the new head), or
/// leaves if `relationships` does not name them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadChange {
    pub new_head: ClientId,
    pub start: NaiveDate,
    pub relationships: Vec<(ClientId, RelationshipToHoH)>,
}

/// What a head change writes: rows ended (each on the day before the change), rows added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadChangePlan {
    pub ends: Vec<(MembershipId, NaiveDate)>,
    pub adds: Vec<NewMember>,
}

/// Plans `change` on the household whose rows are `rows`; `elsewhere`: the new head's rows in
/// other households. Every row current on the change's date is ended the day before and new
/// rows start on it: nothing is overwritten, and the household has one head on every date.
/// Errors name `start_date`, `client_id` or `relationships`.
pub fn plan_head_change(
    household: HouseholdId,
    rows: &[Membership],
    elsewhere: &[Membership],
    change: &HeadChange,
    provenance: Provenance,
    today: NaiveDate,
) -> Result<HeadChangePlan, ParseError> {
    dates::check(
        "start_date",
        dates::DateKind::Scheduled,
        change.start,
        today,
    )?;
    let current: Vec<&Membership> = rows.iter().filter(|r| r.is_current(change.start)).collect();
    if !current.iter().any(|r| r.is_head()) {
        return Err(ParseError::new(
            "start_date",
            "the household has no head of household on this date to change",
        ));
    }
    if current
        .iter()
        .any(|r| r.is_head() && r.client == change.new_head)
    {
        return Err(ParseError::new(
            "client_id",
            "is already the head of household on this date",
        ));
    }
    let Some(day_before) = change.start.pred_opt() else {
        return Err(ParseError::new(
            "start_date",
            "cannot be the first day of time",
        ));
    };
    if let Some(r) = current.iter().find(|r| r.start > day_before) {
        return Err(ParseError::new(
            "start_date",
            format!(
                "must be after {}, when client #{}'s current membership started",
                r.start, r.client
            ),
        ));
    }
    for (client, relationship) in &change.relationships {
        if *relationship == RelationshipToHoH::SelfHeadOfHousehold {
            return Err(ParseError::new(
                "relationships",
                "only the new head is self_head_of_household",
            ));
        }
        if !current.iter().any(|r| r.client == *client) || *client == change.new_head {
            return Err(ParseError::new(
                "relationships",
                format!("client #{client} is not another current member of the household"),
            ));
        }
    }
    let ends: Vec<(MembershipId, NaiveDate)> = current.iter().map(|r| (r.id, day_before)).collect();
    let mut adds = vec![NewMember {
        client: change.new_head,
        relationship: RelationshipToHoH::SelfHeadOfHousehold,
        start: change.start,
        end: current
            .iter()
            .find(|r| r.client == change.new_head)
            .and_then(|r| r.end),
    }];
    for (client, relationship) in &change.relationships {
        let end = current
            .iter()
            .find(|r| r.client == *client)
            .and_then(|r| r.end);
        adds.push(NewMember {
            client: *client,
            relationship: *relationship,
            start: change.start,
            end,
        });
    }
    let mut after: Vec<Membership> = rows
        .iter()
        .map(|r| match ends.iter().find(|(id, _)| *id == r.id) {
            Some((_, e)) => Membership {
                end: Some(*e),
                ..*r
            },
            None => *r,
        })
        .collect();
    after.extend(
        adds.iter()
            .enumerate()
            .map(|(n, m)| unsaved(household, m, provenance, n)),
    );
    check_rows(&after, elsewhere).map_err(|v| match v {
        Violation::ClientTwice { .. } => refuse(v, "client_id"),
        _ => refuse(v, "relationships"),
    })?;
    Ok(HeadChangePlan { ends, adds })
}

/// Who is head of household for a client on a date, from the household rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HeadOf {
    /// The household the client belongs to then; `None`: none, a household of one.
    pub household: Option<HouseholdId>,
    /// The head of that household (the client themself when in none).
    pub head: ClientId,
    /// Whether the client is their household's head (R-9's checklist, R-10's case managers).
    pub is_head: bool,
    /// The client's relationship to the head.
    pub relationship: RelationshipToHoH,
}

/// Who `client`'s head of household is on `on`, from `rows` (every row of the households the
/// client belongs to; other rows are ignored). A client in no household then is their own head:
/// a single adult is a household of one, as HUD counts households.
pub fn head_of_household(client: ClientId, rows: &[Membership], on: NaiveDate) -> HeadOf {
    let alone = HeadOf {
        household: None,
        head: client,
        is_head: true,
        relationship: RelationshipToHoH::SelfHeadOfHousehold,
    };
    let Some(mine) = rows.iter().find(|r| r.client == client && r.is_current(on)) else {
        return alone;
    };
    let head = rows
        .iter()
        .find(|r| r.household == mine.household && r.is_head() && r.is_current(on))
        .map_or(client, |r| r.client);
    HeadOf {
        household: Some(mine.household),
        head,
        is_head: head == client,
        relationship: if head == client {
            RelationshipToHoH::SelfHeadOfHousehold
        } else {
            mine.relationship
        },
    }
}

/// may a case manager be assigned on the profile of a client whose head of household is
/// `head` (on the assignment's start date)? Case managers are identified for every head of
/// household: on a member's profile, refused, naming the head to assign on.
pub fn can_assign_case_manager(head: &HeadOf) -> Decision {
    if head.is_head {
        Decision::allow(Reason::HeadOfHousehold)
    } else {
        Decision::deny(Reason::NotHeadOfHousehold { head: head.head })
    }
}

/// One effective-dated address row of a household: as a client's contact rows, never
/// overwritten, only end-dated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressRow {
    pub id: HouseholdAddressId,
    pub household: HouseholdId,
    pub value: String,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub provenance: Provenance,
}

/// A household address change as a user asks for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressChange {
    pub value: String,
    pub start: NaiveDate,
    pub replaces: Vec<HouseholdAddressId>,
    pub client_directed: bool,
    pub decline_note: bool,
}

/// plans a household address change with the contact plan of client rows
/// ([`plan_contact_change`]): the household's address rows are planned as the address rows of
/// its head's profile, where the correction note goes (`head`, on the change's start date).
/// Row ids in the plan are the address rows' ids (`RecordId(address id)`).
pub fn plan_address_change(
    actor: &Actor,
    head: ClientId,
    change: &AddressChange,
    rows: &[AddressRow],
) -> Result<ContactPlan, ContactPlanError> {
    let as_contact: Vec<ContactRow> = rows
        .iter()
        .map(|r| ContactRow {
            meta: RecordMeta {
                id: RecordId(r.id.0),
                client: head,
                kind: RecordKind::FamilyContact,
                provenance: r.provenance,
                security: None,
                deleted: false,
            },
            contact_kind: ContactKind::Address,
            value: r.value.clone(),
            start: r.start,
            end: r.end,
        })
        .collect();
    let mut plan = plan_contact_change(
        actor,
        &ContactChange {
            client: head,
            contact_kind: ContactKind::Address,
            value: change.value.clone(),
            start: change.start,
            replaces: change.replaces.iter().map(|r| RecordId(r.0)).collect(),
            client_directed: change.client_directed,
            decline_note: change.decline_note,
        },
        &as_contact,
    )?;
    if let Some(note) = plan.correction_note.as_mut() {
        note.text = note
            .text
            .replacen("Contact information", "Household address", 1);
    }
    Ok(plan)
}

/// S-1: may `actor` read `household` (its family name, members and address)? As family and
/// contact information (`RecordKind::FamilyContact`) entered by the household's creator:
/// tier 1 by default, shared with all agencies; households are not tied to one client's
/// releases.
pub fn can_read_household(
    actor: &Actor,
    household: &Household,
    today: NaiveDate,
    policy: &PolicyConfig,
) -> Decision {
    let meta = RecordMeta {
        id: RecordId(household.id.0),
        client: ClientId(0),
        kind: RecordKind::FamilyContact,
        provenance: household.provenance,
        security: None,
        deleted: false,
    };
    let ctx = crate::sharing::SharingContext {
        rois: &[],
        mous: &[],
    };
    crate::sharing::can_read(actor, &meta, &ctx, today, policy)
}
