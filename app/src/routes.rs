//! Every route of the app, typed: `Page` builds every link and the path segments here feed every
//! `<Route>` in `lib.rs`, so no path is written twice.

use leptos_router::{ParamSegment, StaticSegment};

/// The path segments, written once.
pub mod seg {
    pub const SIGN_IN: &str = "sign-in";
    pub const SEARCH: &str = "search";
    pub const CLIENTS: &str = "clients";
    /// The client id parameter of `/clients/:id`.
    pub const ID: &str = "id";
    /// The query parameter of the search page (`/search?q=`) and of the sign-in page's return
    /// address (`/sign-in?next=`).
    pub const Q: &str = "q";
    pub const NEXT: &str = "next";
    pub const INBOX: &str = "inbox";
    pub const ACCOUNT: &str = "account";
    pub const ADMIN: &str = "admin";
    pub const HUD_IMPORT: &str = "hud-import";
}

/// The client file's sections: each is a nested route of `/clients/:id` with its own URL and tab.
/// `Overview` is the index route (`/clients/:id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    Overview,
    Intake,
    Contacts,
    Demographics,
    Enrollments,
    Services,
    CaseManagers,
    Notes,
    Attachments,
    Forms,
    Releases,
    Conflicts,
    Household,
}

impl Section {
    /// In tab order.
    pub const ALL: [Section; 13] = [
        Section::Overview,
        Section::Intake,
        Section::Contacts,
        Section::Demographics,
        Section::Enrollments,
        Section::Services,
        Section::CaseManagers,
        Section::Notes,
        Section::Attachments,
        Section::Forms,
        Section::Releases,
        Section::Conflicts,
        Section::Household,
    ];

    /// The tab's short label.
    pub const fn tab(self) -> &'static str {
        match self {
            Section::Contacts => "Contacts",
            Section::Demographics => "Demographics",
            s => s.title(),
        }
    }

    /// The section's path segment under `/clients/:id` (empty for the overview).
    pub const fn slug(self) -> &'static str {
        match self {
            Section::Overview => "",
            Section::Intake => "intake",
            Section::Contacts => "contacts",
            Section::Demographics => "demographics",
            Section::Enrollments => "enrollments",
            Section::Services => "services",
            Section::CaseManagers => "case-managers",
            Section::Notes => "notes",
            Section::Attachments => "attachments",
            Section::Forms => "forms",
            Section::Releases => "releases",
            Section::Conflicts => "conflicts",
            Section::Household => "household",
        }
    }

    /// The tab's label and the section's heading.
    pub const fn title(self) -> &'static str {
        match self {
            Section::Overview => "Overview",
            Section::Intake => "Intake",
            Section::Contacts => "Family and contacts",
            Section::Demographics => "Demographics and photo",
            Section::Enrollments => "Enrollments",
            Section::Services => "Services",
            Section::CaseManagers => "Case managers",
            Section::Notes => "Notes",
            Section::Attachments => "Attachments",
            Section::Forms => "Forms",
            Section::Releases => "Releases",
            Section::Conflicts => "Conflicts",
            Section::Household => "Household",
        }
    }

    /// The nested route's path segment.
    pub fn segment(self) -> StaticSegment<&'static str> {
        StaticSegment(self.slug())
    }
}

/// Every page of the app; `path()` is the only place a link's address is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// The caseworker's own page after sign-in (with the search box).
    Home,
    /// Search results: `/search?q=`.
    Search(String),
    /// Sign-in, returning to `next` (a path of this app) afterwards.
    SignIn(Option<String>),
    /// A section of a client's file.
    Client(i64, Section),
    /// The in-app notifications, read and unread.
    Inbox,
    /// The signed-in user's own account: password and notification email.
    Account,
    /// SystemAdmins: the HUD CSV import (upload, dry run, report).
    HudImport,
}

impl Page {
    pub fn path(&self) -> String {
        match self {
            Page::Home => "/".to_owned(),
            Page::Search(q) if q.is_empty() => format!("/{}", seg::SEARCH),
            Page::Search(q) => format!("/{}?{}={}", seg::SEARCH, seg::Q, encode(q)),
            Page::SignIn(None) => format!("/{}", seg::SIGN_IN),
            Page::SignIn(Some(next)) => {
                format!("/{}?{}={}", seg::SIGN_IN, seg::NEXT, encode(next))
            }
            Page::Client(id, Section::Overview) => format!("/{}/{id}", seg::CLIENTS),
            Page::Client(id, section) => format!("/{}/{id}/{}", seg::CLIENTS, section.slug()),
            Page::Inbox => format!("/{}", seg::INBOX),
            Page::Account => format!("/{}", seg::ACCOUNT),
            Page::HudImport => format!("/{}/{}", seg::ADMIN, seg::HUD_IMPORT),
        }
    }

    /// The path of the search page's form `action` (the query goes in the URL, method GET).
    pub fn search_action() -> String {
        format!("/{}", seg::SEARCH)
    }
}

/// `/clients/:id`'s segments.
pub fn client_segments() -> (StaticSegment<&'static str>, ParamSegment) {
    (StaticSegment(seg::CLIENTS), ParamSegment(seg::ID))
}

/// Percent-encodes a query value (unreserved characters kept, space as `%20`).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Whether `next` is a path of this app (so sign-in never sends the user elsewhere).
pub fn safe_next(next: &str) -> Option<String> {
    (next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with(&format!("/{}", seg::SIGN_IN)))
    .then(|| next.to_owned())
}
