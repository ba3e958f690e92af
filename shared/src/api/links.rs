//! Wire types of issue 15's links between two records of one person (`shared::links`).

use super::ClientSummary;
use crate::ids::ClientId;
use crate::links::ClientLink;
use serde::{Deserialize, Serialize};

/// `POST /api/v1/clients/{id}/links`: the other record of the same person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewLinkRequest {
    pub other: ClientId,
}

/// One link as the caller sees it from one record: the link, the other record's tier-1 summary
/// (S-1, read through the shared decision) and the linking agency's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClientLinkView {
    #[serde(flatten)]
    pub link: ClientLink,
    pub other: ClientSummary,
    pub org_name: String,
}

/// `GET /api/v1/clients/{id}/links`: the live link first, then the ended ones (the history).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClientLinks {
    pub links: Vec<ClientLinkView>,
}
