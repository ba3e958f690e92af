//! Issue 15 duplicates linked, not merged: linking two client records of one person, undoing the
//! link, and listing a record's links. Decided by `shared::links`, audited for both records
//! (P-4), reported to the agencies that entered either record by HMIS number only.

use crate::db::{self, AuditEntry, ClientRow};
use crate::error::{allow, ApiError};
use crate::services::access;
use crate::services::auth::AuthUser;
use crate::state::AppState;
use shared::api::links::{ClientLinkView, ClientLinks, NewLinkRequest};
use shared::api::ClientSummary;
use shared::ids::ClientLinkId;
use shared::links::{can_link, can_unlink, pair, ClientLink, LinkSide};
use shared::notify::{Message, Notification, Recipient};
use shared::{Actor, ClientId, Decision, Reason};
use sqlx::AnyConnection;

/// The tier-1 summary of a client for a list (S-1).
pub fn summary(c: &ClientRow, same_person: Vec<shared::HmisNumber>) -> ClientSummary {
    ClientSummary {
        id: c.id,
        hmis_number: c.hmis_number.clone(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        date_of_birth: c.date_of_birth,
        same_person,
    }
}

async fn view(
    state: &AppState,
    actor: &Actor,
    link: ClientLink,
    from: ClientId,
) -> Result<Option<ClientLinkView>, ApiError> {
    // The other record as the caller may read it (S-1; a tombstone only for SystemAdmins):
    // one the caller may not read is left out (S-9).
    let other = match access::readable_client(state, actor, link.other(from)).await {
        Ok(c) => c,
        Err(ApiError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let org_name = db::org_names(&state.pool)
        .await?
        .into_iter()
        .find(|o| o.id == link.org)
        .map(|o| o.name)
        .unwrap_or_default();
    Ok(Some(ClientLinkView {
        link,
        other: summary(&other, Vec::new()),
        org_name,
    }))
}

/// `GET /clients/{id}/links`: audited as a read of the client and of each linked record shown.
pub async fn list(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
) -> Result<ClientLinks, ApiError> {
    let actor = &auth.actor;
    let client = access::readable_client(state, actor, id).await?;
    let mut links = Vec::new();
    for link in db::links::links_of(&state.pool, client.id).await? {
        if let Some(v) = view(state, actor, link, client.id).await? {
            links.push(v);
        }
    }
    let now = state.clock.now();
    let mut entries = vec![AuditEntry::new(
        now,
        actor,
        "read client links",
        format!("{}; {} links", Reason::SharedWithAll, links.len()),
    )
    .client(Some(&client.hmis_number))];
    for v in &links {
        entries.push(
            AuditEntry::new(
                now,
                actor,
                "read client links",
                format!(
                    "{}; linked record of link #{}",
                    Reason::SharedWithAll,
                    v.link.id
                ),
            )
            .client(Some(&v.other.hmis_number)),
        );
    }
    state.audit_all(entries).await?;
    Ok(ClientLinks { links })
}

async fn side(conn: &mut AnyConnection, c: &ClientRow) -> Result<LinkSide, ApiError> {
    let linked = db::links::live_link_of(conn, c.id).await?;
    Ok(LinkSide {
        client: c.id,
        deleted: c.meta.deleted,
        linked: linked.is_some(),
    })
}

/// The notices of a link or unlink: to the AgencyAdmins of the agency that entered each record,
/// naming that record and the other one by HMIS number only; once per agency.
fn notices(a: &ClientRow, b: &ClientRow, unlink: bool, by: shared::OrgId) -> Vec<Notification> {
    let mut out: Vec<Notification> = Vec::new();
    for (this, other) in [(a, b), (b, a)] {
        let org = this.meta.provenance.org;
        if out
            .iter()
            .any(|n| n.recipient == Recipient::AgencyAdmins { org })
        {
            continue;
        }
        let other_hmis = other.hmis_number.clone();
        let message = if unlink {
            Message::RecordsUnlinked {
                other: other_hmis,
                by,
            }
        } else {
            Message::RecordsLinked {
                other: other_hmis,
                by,
            }
        };
        out.push(Notification::new(
            Recipient::AgencyAdmins { org },
            this.hmis_number.clone(),
            message,
        ));
    }
    out
}

fn audit_both(
    state: &AppState,
    actor: &Actor,
    action: &str,
    decision: &Decision,
    link: ClientLinkId,
    a: &ClientRow,
    b: &ClientRow,
) -> Vec<AuditEntry> {
    let now = state.clock.now();
    [(a, b), (b, a)]
        .into_iter()
        .map(|(this, other)| {
            AuditEntry::new(
                now,
                actor,
                action,
                format!(
                    "{}; link #{link} with {}",
                    decision.reason, other.hmis_number
                ),
            )
            .client(Some(&this.hmis_number))
        })
        .collect()
}

/// `POST /clients/{id}/links`: marks the two records as the same person.
pub async fn link(
    state: &AppState,
    auth: &AuthUser,
    id: ClientId,
    req: &NewLinkRequest,
) -> Result<ClientLinkView, ApiError> {
    let actor = &auth.actor;
    access::live_client(state, actor, id).await?;
    access::live_client(state, actor, req.other)
        .await
        .map_err(|e| match e {
            ApiError::NotFound => ApiError::validation("other", "no such client"),
            e => e,
        })?;
    let now = state.clock.now();
    let mut tx = db::begin_write(&state.pool).await?;
    db::links::lock(&mut tx).await?;
    let a = db::client_by_id(&mut *tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let b = db::client_by_id(&mut *tx, req.other)
        .await?
        .ok_or_else(|| ApiError::validation("other", "no such client"))?;
    let decision = can_link(actor, &side(&mut tx, &a).await?, &side(&mut tx, &b).await?);
    if let (false, Reason::AlreadyLinked { .. }) = (decision.allowed, &decision.reason) {
        let text = decision
            .reason
            .describe(&|org| format!("organization #{org}"));
        return Err(ApiError::conflict("other", text));
    }
    let decision = allow(decision)?;
    let link_id =
        match db::links::insert(&mut tx, pair(a.id, b.id), actor.org, actor.user, now).await {
            Ok(l) => l,
            Err(e) if db::accounts::is_unique_violation(&e) => {
                return Err(ApiError::conflict(
                    "other",
                    "Already linked meanwhile: reload",
                ))
            }
            Err(e) => return Err(e.into()),
        };
    crate::services::notify::enqueue_all(&mut tx, &notices(&a, &b, false, actor.org), now).await?;
    tx.commit().await?;
    state
        .audit_all(audit_both(
            state,
            actor,
            "link clients",
            &decision,
            link_id,
            &a,
            &b,
        ))
        .await?;
    let link = db::links::link_by_id(&state.pool, link_id)
        .await?
        .ok_or(ApiError::NotFound)?;
    view(state, actor, link, a.id)
        .await?
        .ok_or(ApiError::NotFound)
}

/// `POST /client-links/{id}/unlink`: ends the link; both records are kept as they were.
pub async fn unlink(
    state: &AppState,
    auth: &AuthUser,
    id: ClientLinkId,
) -> Result<ClientLinkView, ApiError> {
    let actor = &auth.actor;
    let link = db::links::link_by_id(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    // A link is seen through its first record: one the caller may not read is 404 (S-9).
    let from = access::readable_client(state, actor, link.clients[0]).await?;
    let now = state.clock.now();
    let mut tx = db::begin_write(&state.pool).await?;
    db::links::lock(&mut tx).await?;
    let link = db::links::link_by_id(&mut *tx, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    let decision = can_unlink(actor, &link);
    if let (false, Reason::AlreadyEnded) = (decision.allowed, &decision.reason) {
        return Err(ApiError::conflict(
            "link",
            "The link has been undone already.",
        ));
    }
    let decision = allow(decision)?;
    if !db::links::end(&mut tx, id, actor.user, now).await? {
        return Err(ApiError::conflict(
            "link",
            "The link has been undone already.",
        ));
    }
    let a = db::client_by_id(&mut *tx, link.clients[0])
        .await?
        .ok_or(ApiError::NotFound)?;
    let b = db::client_by_id(&mut *tx, link.clients[1])
        .await?
        .ok_or(ApiError::NotFound)?;
    crate::services::notify::enqueue_all(&mut tx, &notices(&a, &b, true, actor.org), now).await?;
    tx.commit().await?;
    state
        .audit_all(audit_both(
            state,
            actor,
            "unlink clients",
            &decision,
            id,
            &a,
            &b,
        ))
        .await?;
    let link = db::links::link_by_id(&state.pool, id)
        .await?
        .ok_or(ApiError::NotFound)?;
    view(state, actor, link, from.id)
        .await?
        .ok_or(ApiError::NotFound)
}
