//! Issue 15 duplicates linked, not merged: who may mark two client records as the same person,
//! and who may undo it. A link joins two records; neither is changed, so undoing it loses
//! nothing (P-3). A record is in at most one live link, so a person's records are a pair.

use crate::decision::{Decision, Reason};
use crate::ids::{ClientId, ClientLinkId, OrgId, UserId};
use crate::model::{Actor, Role};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// A link between two client records, live until `ended_at`. Never deleted: unlinking ends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClientLink {
    pub id: ClientLinkId,
    /// The two records, the smaller id first.
    pub clients: [ClientId; 2],
    /// The linking agency: its administrators (and SystemAdmins) may undo the link.
    pub org: OrgId,
    pub linked_by: UserId,
    pub linked_at: NaiveDateTime,
    pub ended_at: Option<NaiveDateTime>,
    pub ended_by: Option<UserId>,
}

impl ClientLink {
    pub fn is_live(&self) -> bool {
        self.ended_at.is_none()
    }

    /// The record linked to `client` (`client` itself if it is not one of the pair).
    pub fn other(&self, client: ClientId) -> ClientId {
        if self.clients[0] == client {
            self.clients[1]
        } else {
            self.clients[0]
        }
    }
}

/// The two records in the order a link stores them.
pub fn pair(a: ClientId, b: ClientId) -> [ClientId; 2] {
    if a <= b {
        [a, b]
    } else {
        [b, a]
    }
}

/// What the link decision needs to know about one of the two records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkSide {
    pub client: ClientId,
    /// Tombstoned (P-3): not linked.
    pub deleted: bool,
    /// In a live link now (to another record).
    pub linked: bool,
}

/// May `actor` mark `a` and `b` as the same person? Any user of any agency may (both records'
/// intakes are tier 1, S-1), unless they are one record, either is deleted, or either is
/// already in a live link.
pub fn can_link(_actor: &Actor, a: &LinkSide, b: &LinkSide) -> Decision {
    if a.client == b.client {
        return Decision::deny(Reason::SameRecord);
    }
    if a.deleted || b.deleted {
        return Decision::deny(Reason::Deleted);
    }
    for side in [a, b] {
        if side.linked {
            return Decision::deny(Reason::AlreadyLinked {
                client: side.client,
            });
        }
    }
    Decision::allow(Reason::MayLinkRecords)
}

/// May `actor` undo `link`? A SystemAdmin, or an AgencyAdmin of the agency that linked the
/// records; nobody once it has ended.
pub fn can_unlink(actor: &Actor, link: &ClientLink) -> Decision {
    if !link.is_live() {
        return Decision::deny(Reason::AlreadyEnded);
    }
    match actor.role {
        Role::SystemAdmin => Decision::allow(Reason::ManagesAsSystemAdmin),
        Role::AgencyAdmin if actor.org == link.org => {
            Decision::allow(Reason::ManagesOwnAgency { org: link.org })
        }
        _ => Decision::deny(Reason::OnlyAdminOfLinkingAgency { org: link.org }),
    }
}
