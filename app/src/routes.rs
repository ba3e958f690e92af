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
    /// The administrators' screens: their own bundle (see `Bundle`).
    pub const ADMIN: &str = "admin";
    /// `/clients/new` (the phone-first intake) and its query: the search's terms carried over.
    pub const NEW: &str = "new";
    pub const NAME: &str = "name";
    pub const DOB: &str = "dob";
    /// `/admin/releases`: the agency's releases of information.
    pub const RELEASES: &str = "releases";
    /// `/admin/queues`: the data-resolution queues.
    pub const QUEUES: &str = "queues";
    /// `/admin/mous`: the MOUs (S-6).
    pub const MOUS: &str = "mous";
    pub const USERS: &str = "users";
    pub const ORGANIZATIONS: &str = "organizations";
    pub const PROGRAMS: &str = "programs";
    pub const AUDIT: &str = "audit";
    /// `/admin/hud-import`: the HUD CSV import (SystemAdmins).
    pub const HUD_IMPORT: &str = "hud-import";
}

/// The app ships as two bundles, so a caseworker's phone never downloads the administrators'
/// screens: the main one (`/`, built from `index.html`) and the administrators' (`/admin/...`,
/// built from `admin.html` into `dist/admin`, mounted by `start_admin`). A link into the other
/// bundle is an ordinary link: the router finds no route for it and `pages::NotFound` loads the
/// page from the server, which sends the other bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    Main,
    Admin,
}

static ADMIN_BUNDLE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl Bundle {
    /// The bundle that serves `path`.
    pub fn of(path: &str) -> Bundle {
        let rest = path.trim_start_matches('/');
        match rest.strip_prefix(seg::ADMIN) {
            Some("") => Bundle::Admin,
            Some(tail) if tail.starts_with('/') || tail.starts_with('?') => Bundle::Admin,
            _ => Bundle::Main,
        }
    }

    /// The bundle running in this page.
    pub fn current() -> Bundle {
        if ADMIN_BUNDLE.load(std::sync::atomic::Ordering::Relaxed) {
            Bundle::Admin
        } else {
            Bundle::Main
        }
    }

    /// Called once at start by the administrators' bundle.
    pub fn set_current(self) {
        ADMIN_BUNDLE.store(self == Bundle::Admin, std::sync::atomic::Ordering::Relaxed);
    }
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
    /// The phone-first intake of a new client (`/clients/new?name=&dob=`), with the terms of
    /// the search that came before it (either may be empty).
    NewClient {
        name: String,
        dob: String,
    },
    /// The releases of information across the user's agency (S-3, P-2).
    AdminReleases,
    /// The data-resolution queues.
    AdminQueues,
    /// The MOUs (S-6), for SystemAdmins: `/admin/mous`.
    Mous,
    /// One MOU's page: `/admin/mous/:id`.
    Mou(i64),
    /// `/admin`: the administrators' areas the user may use.
    Admin,
    AdminUsers,
    /// `/admin/users/:id`.
    AdminUser(i64),
    AdminOrganizations,
    AdminPrograms,
    /// `/admin/audit?…`: the audit viewer, its filters in the URL.
    AdminAudit(shared::api::endpoints::AuditQuery),
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
            Page::NewClient { name, dob } => {
                let mut out = format!("/{}/{}", seg::CLIENTS, seg::NEW);
                let pairs = [(seg::NAME, name), (seg::DOB, dob)];
                for (i, (k, v)) in pairs.iter().filter(|(_, v)| !v.is_empty()).enumerate() {
                    out.push_str(&format!(
                        "{}{k}={}",
                        if i == 0 { '?' } else { '&' },
                        encode(v)
                    ));
                }
                out
            }
            Page::AdminReleases => format!("/{}/{}", seg::ADMIN, seg::RELEASES),
            Page::AdminQueues => format!("/{}/{}", seg::ADMIN, seg::QUEUES),
            Page::Mous => format!("/{}/{}", seg::ADMIN, seg::MOUS),
            Page::Mou(id) => format!("/{}/{}/{id}", seg::ADMIN, seg::MOUS),
            Page::Admin => format!("/{}", seg::ADMIN),
            Page::AdminUsers => format!("/{}/{}", seg::ADMIN, seg::USERS),
            Page::AdminUser(id) => format!("/{}/{}/{id}", seg::ADMIN, seg::USERS),
            Page::AdminOrganizations => format!("/{}/{}", seg::ADMIN, seg::ORGANIZATIONS),
            Page::AdminPrograms => format!("/{}/{}", seg::ADMIN, seg::PROGRAMS),
            Page::AdminAudit(q) => {
                use shared::api::endpoint::QueryParams;
                let pairs: Vec<String> = q
                    .pairs()
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| format!("{k}={}", encode(&v)))
                    .collect();
                match pairs.is_empty() {
                    true => format!("/{}/{}", seg::ADMIN, seg::AUDIT),
                    false => format!("/{}/{}?{}", seg::ADMIN, seg::AUDIT, pairs.join("&")),
                }
            }
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

/// `/clients/new`'s segments.
pub fn new_client_segments() -> (StaticSegment<&'static str>, StaticSegment<&'static str>) {
    (StaticSegment(seg::CLIENTS), StaticSegment(seg::NEW))
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
