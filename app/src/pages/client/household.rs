//! The client's household (seed 1b, S-1, R-4, R-5): the family name, the members with their
//! relationship to the head of household (HUD 3.15), who joined and left when, the household's
//! address rows, and the household's history. Every agency changes it (tier 1) unless the CoC's
//! policy says otherwise: the gate is `shared::household::can_change_household`. Memberships and
//! addresses are never overwritten: a member leaves on a date, a new head ends the old rows, a
//! new address end-dates the old one.

use super::{use_client, SectionFrame};
use crate::api::{self, last_error, ApiError, FormKey};
use crate::components::{
    ConfirmButton, DecisionGate, EnumSelect, ErrorView, Field, FormError, InputKind, Loading,
};
use crate::session::use_session;
use crate::{Page, Section};
use chrono::NaiveDate;
use leptos::prelude::*;
use shared::api::endpoint::{NoBody, NoQuery};
use shared::api::endpoints as ep;
use shared::api::households::{
    ChangeHeadRequest, ClientHouseholds, EndMembershipRequest, HouseholdAddressView, HouseholdView,
    MemberInput, MemberView, NewHouseholdAddress, NewHouseholdRequest, NewMemberRequest,
    RenameHouseholdRequest,
};
use shared::api::ClientSummary;
use shared::household::can_change_household;
use shared::hud::RelationshipToHoH;
use shared::{ClientId, Decision, OrgId};

type Households = LocalResource<Result<ClientHouseholds, ApiError>>;
type HouseholdRes = LocalResource<Result<HouseholdView, ApiError>>;

#[component]
pub fn HouseholdSection() -> impl IntoView {
    let file = use_client();
    let memberships: Households = LocalResource::new(move || {
        let id = file.id.get();
        async move { api::call::<ep::ListClientHouseholds>(&[id], &NoQuery, &NoBody).await }
    });
    view! {
        <SectionFrame section=Section::Household>
            <Transition fallback=|| view! { <Loading what="the household" /> }>
                {move || Suspend::new(async move {
                    match memberships.await {
                        Ok(m) => view! { <Memberships households=m reload=memberships /> }.into_any(),
                        Err(e) => view! { <ErrorView error=e describe=file.describe() /> }.into_any(),
                    }
                })}
            </Transition>
        </SectionFrame>
    }
}

/// Every relationship but "self": what a member who is not the head can be.
fn non_head() -> Vec<RelationshipToHoH> {
    RelationshipToHoH::ALL
        .into_iter()
        .filter(|r| *r != RelationshipToHoH::SelfHeadOfHousehold)
        .collect()
}

fn today() -> NaiveDate {
    use_session()
        .with_me_untracked(|me| me.today)
        .unwrap_or_default()
}

/// Whether the signed-in user may change a household entered by `owner` (`None`: a new one).
fn change_decision(owner: Option<OrgId>) -> Signal<Decision> {
    let file = use_client();
    Signal::derive(move || file.decide(|me, _| can_change_household(&me.actor, owner, &me.policy)))
}

#[component]
fn Memberships(households: ClientHouseholds, reload: Households) -> impl IntoView {
    let current = households.memberships.iter().find(|m| m.current).cloned();
    let past: Vec<_> = households
        .memberships
        .iter()
        .filter(|m| !m.current)
        .cloned()
        .collect();
    let main = match current {
        Some(m) => view! { <Household id=m.household_id.0 client_reload=reload /> }.into_any(),
        None => view! {
            <p data-test-id="no-household">
                "Not in a household today: as HUD counts households, this client is a household of one and their own head of household."
            </p>
            <NewHousehold reload=reload />
        }
        .into_any(),
    };
    view! {
        {main}
        {(!past.is_empty()).then(|| view! {
            <h3>"Earlier households"</h3>
            <ul class="plain-list" data-test-id="past-households">
                {past.into_iter().map(|m| view! {
                    <li>
                        <strong>{m.family_name}</strong>
                        {format!(" · {} · {} to {}", m.relationship.label(), m.start_date,
                            m.end_date.map(|d| d.to_string()).unwrap_or_default())}
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// Starts a household with this client as its head.
#[component]
fn NewHousehold(reload: Households) -> impl IntoView {
    let file = use_client();
    let last = file
        .with_untracked(|p| p.intake.last_name.clone())
        .unwrap_or_default();
    let family = RwSignal::new(last);
    let start = RwSignal::new(today().to_string());
    let key = StoredValue::new(FormKey::new());
    let create = Action::new_local(move |body: &NewHouseholdRequest| {
        let body = body.clone();
        let k = key.get_value();
        async move { api::submit::<ep::CreateHousehold>(&k, &[], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if let Some(answer) = create.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                reload.refetch();
            }
        }
    });
    let error = last_error(create);
    let busy = create.pending();
    let start_error = RwSignal::new(None::<ApiError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(start_date) = parse_date(&start.get_untracked(), "start_date", start_error) else {
            return;
        };
        create.dispatch(NewHouseholdRequest {
            family_name: family.get_untracked(),
            start_date,
            members: vec![MemberInput {
                client_id: ClientId(file.id.get_untracked()),
                relationship: RelationshipToHoH::SelfHeadOfHousehold,
            }],
        });
    };
    let errors = Signal::derive(move || start_error.get().or_else(|| error.get()));
    view! {
        <DecisionGate decision=change_decision(None) describe=file.describe() test_id="household-new">
            <form class="record-form" on:submit=submit data-test-id="household-new-form">
                <h3>"Start a household"</h3>
                <p class="hint">"This client will be its head of household; add the other members next."</p>
                <Field label="Family name" name="family_name" value=family form="household-new"
                    error=errors required=true test_id="household-family-name" />
                <Field label="Together since" name="start_date" value=start form="household-new"
                    error=errors kind=InputKind::Date required=true test_id="household-start" />
                <FormError error=errors fields=&["family_name", "start_date"] describe=file.describe() />
                <div class="actions">
                    <button type="submit" class="primary" disabled=busy data-test-id="household-create">
                        {move || if busy.get() { "Starting…" } else { "Start household" }}
                    </button>
                </div>
            </form>
        </DecisionGate>
    }
}

/// A date typed into a date input, or the error the form shows for `field`.
fn parse_date(s: &str, field: &str, error: RwSignal<Option<ApiError>>) -> Option<NaiveDate> {
    match NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d") {
        Ok(d) => {
            error.set(None);
            Some(d)
        }
        Err(_) => {
            error.set(Some(ApiError::Failed(shared::api::ErrorBody {
                error: "Enter a date.".to_owned(),
                field: Some(field.to_owned()),
                reason: None,
            })));
            None
        }
    }
}

#[component]
fn Household(id: i64, client_reload: Households) -> impl IntoView {
    let file = use_client();
    let household: HouseholdRes = LocalResource::new(move || async move {
        api::call::<ep::GetHousehold>(&[id], &NoQuery, &NoBody).await
    });
    let reload = Callback::new(move |_: ()| {
        household.refetch();
        client_reload.refetch();
        file.reload();
    });
    view! {
        <Transition fallback=|| view! { <Loading what="the household" /> }>
            {move || Suspend::new(async move {
                match household.await {
                    Ok(h) => view! { <HouseholdCard household=h reload=reload /> }.into_any(),
                    Err(e) => view! { <ErrorView error=e describe=file.describe() /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn HouseholdCard(household: HouseholdView, reload: Callback<()>) -> impl IntoView {
    let file = use_client();
    let gate = change_decision(Some(household.org));
    let describe = file.describe();
    let this_client = file.id.get_untracked();
    let (current, former): (Vec<MemberView>, Vec<MemberView>) =
        household.members.iter().cloned().partition(|m| m.current);
    let head_name = household
        .head_today
        .and_then(|h| current.iter().find(|m| m.client_id == h))
        .map(|m| m.name.clone())
        .unwrap_or_else(|| "nobody today".to_owned());
    let hid = household.id.0;
    let others = StoredValue::new(current.clone());
    let family_name = StoredValue::new(household.family_name.clone());
    let (addr_now, addr_old): (Vec<HouseholdAddressView>, Vec<HouseholdAddressView>) =
        household.addresses.iter().cloned().partition(|a| a.current);
    let replaces = StoredValue::new(addr_now.iter().map(|a| a.id).collect::<Vec<_>>());
    view! {
        <div class="household" data-test-id="household" data-household-id=hid.to_string()>
            <div class="household-head">
                <h3 data-test-id="household-name">{household.family_name.clone()}</h3>
                <p class="muted">
                    {format!("Head of household: {head_name} · started by {}, {}",
                        household.entered_by.user_name, household.entered_by.org_name)}
                </p>
            </div>
            <table class="members" data-test-id="household-members">
                <caption class="visually-hidden">"Current members"</caption>
                <thead><tr><th scope="col">"Member"</th><th scope="col">"Relationship to the head"</th>
                    <th scope="col">"Since"</th><th scope="col">"Entered by"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                <tbody>
                    {current.into_iter().map(|m| view! {
                        <MemberRow member=m gate=gate reload=reload this_client=this_client />
                    }).collect_view()}
                </tbody>
            </table>
            <DecisionGate decision=gate describe=describe test_id="household-change">
                <details class="disclosure">
                    <summary data-test-id="household-add-open">"Add a member"</summary>
                    <AddMember household=hid reload=reload />
                </details>
                <details class="disclosure">
                    <summary data-test-id="household-head-open">"Change the head of household"</summary>
                    <ChangeHead household=hid members=others.get_value() reload=reload />
                </details>
                <details class="disclosure">
                    <summary>"Rename the household"</summary>
                    <Rename household=hid name=family_name.get_value() reload=reload />
                </details>
            </DecisionGate>
            <h3>"Household address"</h3>
            {if addr_now.is_empty() {
                view! { <p class="empty" data-test-id="household-no-address">"No current address."</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list" data-test-id="household-address">
                        {addr_now.into_iter().map(|a| view! { <AddressLine address=a /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <DecisionGate decision=gate describe=describe test_id="household-address-change">
                <details class="disclosure">
                    <summary data-test-id="household-address-open">"New address at the client's direction"</summary>
                    <NewAddress household=hid replaces=replaces.get_value() reload=reload />
                </details>
            </DecisionGate>
            {(!former.is_empty() || !addr_old.is_empty()).then(|| view! {
                <h3>"History"</h3>
                <ul class="plain-list history" data-test-id="household-history">
                    {former.into_iter().map(|m| view! {
                        <li class="record-ended" data-test-id="former-member">
                            {format!("{} ({}) · {} · {} to {} · entered by {}, {}", m.name, m.hmis_number,
                                m.relationship.label(), m.start_date,
                                m.end_date.map(|d| d.to_string()).unwrap_or_default(),
                                m.entered_by.user_name, m.entered_by.org_name)}
                        </li>
                    }).collect_view()}
                    {addr_old.into_iter().map(|a| view! { <AddressLine address=a /> }).collect_view()}
                </ul>
            })}
        </div>
    }
}

#[component]
fn AddressLine(address: HouseholdAddressView) -> impl IntoView {
    let until = address
        .end_date
        .map(|d| format!(" to {d}"))
        .unwrap_or_else(|| " on".to_owned());
    view! {
        <li class:record-ended=!address.current data-test-id="household-address-row">
            <strong>{address.value}</strong>
            {format!(" · from {}{until} · entered by {}, {}", address.start_date,
                address.entered_by.user_name, address.entered_by.org_name)}
        </li>
    }
}

#[component]
fn MemberRow(
    member: MemberView,
    gate: Signal<Decision>,
    reload: Callback<()>,
    this_client: i64,
) -> impl IntoView {
    let membership = member.id.0;
    let end = RwSignal::new(today().to_string());
    let date_error = RwSignal::new(None::<ApiError>);
    let leave = Action::new_local(move |body: &EndMembershipRequest| {
        let body = *body;
        async move { api::call::<ep::EndHouseholdMembership>(&[membership], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if leave.value().with(|v| matches!(v, Some(Ok(_)))) {
            reload.run(());
        }
    });
    let error = last_error(leave);
    let errors = Signal::derive(move || date_error.get().or_else(|| error.get()));
    let busy = leave.pending();
    let name = member.name.clone();
    let is_this = member.client_id.0 == this_client;
    let form = format!("leave-{membership}");
    let question = format!("{name} leaves the household. Their row is kept in the history.");
    let file = use_client();
    view! {
        <tr data-test-id="household-member" data-client-id=member.client_id.0.to_string()>
            <th scope="row">
                {if is_this {
                    view! { <span>{name.clone()}" (this client)"</span> }.into_any()
                } else {
                    view! { <a href=Page::Client(member.client_id.0, Section::Household).path()>{name.clone()}</a> }.into_any()
                }}
                <span class="hmis">{format!(" {}", member.hmis_number)}</span>
            </th>
            <td data-test-id="member-relationship">{member.relationship.label()}</td>
            <td data-label="Since">{member.start_date.to_string()}</td>
            <td data-label="Entered by">{format!("{}, {}", member.entered_by.user_name, member.entered_by.org_name)}</td>
            <td>
                <DecisionGate decision=gate describe=file.describe() mode=crate::components::GateMode::Silent>
                    <details class="disclosure">
                    <summary data-test-id="member-leave-open">"Leaves the household…"</summary>
                    <div class="inline-form">
                        <Field label="Leaves on" name="end_date" value=end form=form.clone()
                            error=errors kind=InputKind::Date test_id="member-end-date" />
                        <ConfirmButton label="End membership" question=question.clone()
                            confirm="End membership" disabled=busy test_id="member-end"
                            on_confirm=Callback::new(move |_| {
                                if let Some(end_date) = parse_date(&end.get_untracked(), "end_date", date_error) {
                                    leave.dispatch(EndMembershipRequest { end_date });
                                }
                            }) />
                    </div>
                    <FormError error=errors fields=&["end_date"] describe=file.describe() />
                    </details>
                </DecisionGate>
            </td>
        </tr>
    }
}

/// Finds a client by name (the search the rest of the app uses) and adds them as a member.
#[component]
fn AddMember(household: i64, reload: Callback<()>) -> impl IntoView {
    let file = use_client();
    let q = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<ClientSummary>);
    let relationship = RwSignal::new(None::<RelationshipToHoH>);
    let start = RwSignal::new(today().to_string());
    let date_error = RwSignal::new(None::<ApiError>);
    let find = Action::new_local(move |q: &String| {
        let q = q.clone();
        async move { api::search_clients(&q).await }
    });
    let key = StoredValue::new(FormKey::new());
    let add = Action::new_local(move |body: &NewMemberRequest| {
        let body = *body;
        let k = key.get_value();
        async move { api::submit::<ep::AddHouseholdMember>(&k, &[household], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if let Some(answer) = add.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                chosen.set(None);
                q.set(String::new());
                reload.run(());
            }
        }
    });
    let find_error = last_error(find);
    let add_error = last_error(add);
    let errors = Signal::derive(move || date_error.get().or_else(|| add_error.get()));
    let form = format!("member-add-{household}");
    let search = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        find.dispatch(q.get_untracked());
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(client) = chosen.get_untracked() else {
            return;
        };
        let Some(start_date) = parse_date(&start.get_untracked(), "start_date", date_error) else {
            return;
        };
        let Some(relationship) = relationship.get_untracked() else {
            date_error.set(Some(ApiError::Failed(shared::api::ErrorBody {
                error: "Choose the relationship to the head of household.".to_owned(),
                field: Some("relationship".to_owned()),
                reason: None,
            })));
            return;
        };
        add.dispatch(NewMemberRequest {
            client_id: client.id,
            relationship,
            start_date,
            end_date: None,
        });
    };
    let searching = find.pending();
    let form3 = form.clone();
    let adding = add.pending();
    let form2 = form.clone();
    view! {
        <form class="record-form" role="search" on:submit=search data-test-id="member-search-form">
            <Field label="Find the client by name or HMIS number" name="q" value=q form=form.clone()
                error=find_error required=true test_id="member-search" />
            <FormError error=find_error fields=&["q"] />
            <div class="actions">
                <button type="submit" class="button" disabled=searching data-test-id="member-search-go">
                    {move || if searching.get() { "Searching…" } else { "Find" }}
                </button>
            </div>
        </form>
        {move || find.value().get().and_then(Result::ok).map(|found| {
            if found.is_empty() {
                return view! { <p class="empty">"No client matches. Check the spelling, or try the HMIS number."</p> }.into_any();
            }
            view! {
                <fieldset class="choices">
                    <legend>"Who joins"</legend>
                    {found.into_iter().map(|c| {
                        let id = format!("{}-pick-{}", form2, c.id.0);
                        let c2 = c.clone();
                        let label = format!("{} {} · {}{}", c.first_name, c.last_name, c.hmis_number,
                            c.date_of_birth.map(|d| format!(" · born {d}")).unwrap_or_default());
                        view! {
                            <div class="choice">
                                <input type="radio" name=form2.clone() id=id.clone() data-test-id="member-pick"
                                    on:change=move |_| chosen.set(Some(c2.clone())) />
                                <label for=id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            }.into_any()
        })}
        <Show when=move || chosen.with(Option::is_some)>
            <form class="record-form" on:submit=submit data-test-id="member-add-form">
                <EnumSelect label="Relationship to the head of household" name="relationship"
                    options=non_head()
                    label_of=RelationshipToHoH::label value=relationship form=form3.clone()
                    error=errors required=true placeholder=true />
                <Field label="Joins on" name="start_date" value=start form=form3.clone()
                    error=errors kind=InputKind::Date required=true test_id="member-start" />
                <FormError error=errors fields=&["relationship", "start_date"] describe=file.describe() />
                <div class="actions">
                    <button type="submit" class="primary" disabled=adding data-test-id="member-add">
                        {move || if adding.get() { "Adding…" } else { "Add to household" }}
                    </button>
                </div>
            </form>
        </Show>
    }
}

/// A new head from a date: every other current member either stays, with a relationship to the
/// new head, or leaves (no relationship chosen).
#[component]
fn ChangeHead(household: i64, members: Vec<MemberView>, reload: Callback<()>) -> impl IntoView {
    let file = use_client();
    let form = format!("head-{household}");
    let new_head = RwSignal::new(None::<usize>);
    let start = RwSignal::new(today().to_string());
    let date_error = RwSignal::new(None::<ApiError>);
    let relationships: Vec<(MemberView, RwSignal<Option<RelationshipToHoH>>)> = members
        .into_iter()
        .map(|m| (m, RwSignal::new(None)))
        .collect();
    let rel = StoredValue::new(relationships.clone());
    let change = Action::new_local(move |body: &ChangeHeadRequest| {
        let body = body.clone();
        async move { api::call::<ep::ChangeHeadOfHousehold>(&[household], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if change.value().with(|v| matches!(v, Some(Ok(_)))) {
            reload.run(());
        }
    });
    let error = last_error(change);
    let errors = Signal::derive(move || date_error.get().or_else(|| error.get()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(start_date) = parse_date(&start.get_untracked(), "start_date", date_error) else {
            return;
        };
        let rows = rel.get_value();
        let Some(head) = new_head.get_untracked().and_then(|i| rows.get(i).cloned()) else {
            date_error.set(Some(ApiError::Failed(shared::api::ErrorBody {
                error: "Choose the new head of household.".to_owned(),
                field: Some("client_id".to_owned()),
                reason: None,
            })));
            return;
        };
        let relationships = rows
            .iter()
            .filter(|(m, _)| m.client_id != head.0.client_id)
            .filter_map(|(m, r)| {
                r.get_untracked().map(|relationship| MemberInput {
                    client_id: m.client_id,
                    relationship,
                })
            })
            .collect();
        change.dispatch(ChangeHeadRequest {
            client_id: head.0.client_id,
            start_date,
            relationships,
        });
    };
    let busy = change.pending();
    view! {
        <form class="record-form" on:submit=submit data-test-id="head-form">
            <fieldset class="choices">
                <legend>"New head of household"</legend>
                {relationships.iter().enumerate().map(|(i, (m, _))| {
                    let id = format!("{form}-head-{i}");
                    view! {
                        <div class="choice">
                            <input type="radio" name=format!("{form}-head") id=id.clone()
                                disabled=m.relationship == RelationshipToHoH::SelfHeadOfHousehold
                                on:change=move |_| new_head.set(Some(i)) />
                            <label for=id>{m.name.clone()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <p class="hint">"For everyone else, choose their relationship to the new head; leave it empty for someone who leaves the household."</p>
            {relationships.iter().enumerate().map(|(i, (m, r))| {
                let label = format!("{}: relationship to the new head", m.name);
                let sub = format!("{form}-{i}");
                let r = *r;
                view! {
                    <Show when=move || new_head.get() != Some(i)>
                        <EnumSelect label=label.clone() name="relationships"
                            options=non_head() label_of=RelationshipToHoH::label value=r
                            form=sub.clone() placeholder=true />
                    </Show>
                }
            }).collect_view()}
            <Field label="From" name="start_date" value=start form=form.clone() error=errors
                kind=InputKind::Date required=true test_id="head-start" />
            <FormError error=errors fields=&["start_date"] describe=file.describe() />
            <div class="actions">
                <button type="submit" class="primary" disabled=busy data-test-id="head-change">
                    {move || if busy.get() { "Changing…" } else { "Change head of household" }}
                </button>
            </div>
        </form>
    }
}

#[component]
fn Rename(household: i64, name: String, reload: Callback<()>) -> impl IntoView {
    let file = use_client();
    let value = RwSignal::new(name);
    let rename = Action::new_local(move |body: &RenameHouseholdRequest| {
        let body = body.clone();
        async move { api::call::<ep::RenameHousehold>(&[household], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if rename.value().with(|v| matches!(v, Some(Ok(_)))) {
            reload.run(());
        }
    });
    let error = last_error(rename);
    let busy = rename.pending();
    view! {
        <form class="record-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            rename.dispatch(RenameHouseholdRequest { family_name: value.get_untracked() });
        }>
            <Field label="Family name" name="family_name" value=value form=format!("rename-{household}")
                error=error required=true />
            <FormError error=error fields=&["family_name"] describe=file.describe() />
            <div class="actions">
                <button type="submit" class="primary" disabled=busy>
                    {move || if busy.get() { "Saving…" } else { "Save name" }}
                </button>
            </div>
        </form>
    }
}

/// a new address row at the client's direction, end-dating the current rows; R-5: the
/// correction note on the head's profile (declinable) and a notice to the agencies that entered
/// the replaced rows.
#[component]
fn NewAddress(
    household: i64,
    replaces: Vec<shared::ids::HouseholdAddressId>,
    reload: Callback<()>,
) -> impl IntoView {
    let file = use_client();
    let value = RwSignal::new(String::new());
    let start = RwSignal::new(today().to_string());
    let directed = RwSignal::new(false);
    let decline = RwSignal::new(false);
    let notify = RwSignal::new(false);
    let date_error = RwSignal::new(None::<ApiError>);
    let key = StoredValue::new(FormKey::new());
    let replaces = StoredValue::new(replaces);
    let save = Action::new_local(move |body: &NewHouseholdAddress| {
        let body = body.clone();
        let k = key.get_value();
        async move { api::submit::<ep::CreateHouseholdAddress>(&k, &[household], &NoQuery, &body).await }
    });
    Effect::new(move |_| {
        if let Some(answer) = save.value().get() {
            key.update_value(FormKey::renew);
            if answer.is_ok() {
                value.set(String::new());
                reload.run(());
            }
        }
    });
    let error = last_error(save);
    let errors = Signal::derive(move || date_error.get().or_else(|| error.get()));
    let form = format!("address-{household}");
    let busy = save.pending();
    let has_old = !replaces.with_value(Vec::is_empty);
    view! {
        <form class="record-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some(start_date) = parse_date(&start.get_untracked(), "start_date", date_error) else { return };
            save.dispatch(NewHouseholdAddress {
                value: value.get_untracked(),
                start_date,
                replaces: replaces.get_value(),
                client_directed: directed.get_untracked(),
                decline_note: decline.get_untracked(),
                notify_owners: notify.get_untracked(),
            });
        } data-test-id="household-address-form">
            <Field label="New address" name="value" value=value form=form.clone() error=errors
                required=true autocomplete="street-address" test_id="household-address-value" />
            <Field label="From" name="start_date" value=start form=form.clone() error=errors
                kind=InputKind::Date required=true />
            <div class="checkbox-row">
                <input type="checkbox" id=format!("{form}-directed") data-test-id="household-address-directed"
                    on:change=move |ev| directed.set(event_target_checked(&ev)) />
                <label for=format!("{form}-directed")>"The client told us about this change"</label>
            </div>
            {has_old.then(|| view! {
                <p class="hint">"The current address is end-dated the day before, never overwritten. A note saying so is added to the head of household's profile."</p>
                <div class="checkbox-row">
                    <input type="checkbox" id=format!("{form}-decline")
                        on:change=move |ev| decline.set(event_target_checked(&ev)) />
                    <label for=format!("{form}-decline")>"Don't add the note"</label>
                </div>
                <div class="checkbox-row">
                    <input type="checkbox" id=format!("{form}-notify")
                        on:change=move |ev| notify.set(event_target_checked(&ev)) />
                    <label for=format!("{form}-notify")>"Tell the agencies that entered the old address"</label>
                </div>
            })}
            <FormError error=errors fields=&["value", "start_date"] describe=file.describe() />
            <div class="actions">
                <button type="submit" class="primary" disabled=busy data-test-id="household-address-save">
                    {move || if busy.get() { "Saving…" } else { "Save address" }}
                </button>
            </div>
        </form>
    }
}
