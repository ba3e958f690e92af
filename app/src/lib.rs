//! Hearth's browser client (Leptos, client-side rendered). It calls the JSON API through `api`,
//! and uses the `shared` rules to decide and explain, instantly, what each badge and control says;
//! the server re-checks everything.

pub mod api;
pub mod components;
pub mod pages;
pub mod routes;
pub mod session;

use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{ParamSegment, StaticSegment};

pub use routes::{Bundle, Page, Section};
pub use session::{Session, SessionState};

/// Mounts the main bundle (`index.html`): everything but the administrators' screens.
pub fn start() {
    remove_boot_shell();
    leptos::mount::mount_to_body(App);
}

/// Mounts the administrators' bundle (`admin.html`, served under `/admin`).
pub fn start_admin() {
    Bundle::Admin.set_current();
    remove_boot_shell();
    leptos::mount::mount_to_body(AdminApp);
}

/// index.html's static shell (painted before the WASM ran) gives way to the app.
fn remove_boot_shell() {
    if let Some(boot) = document().get_element_by_id("boot") {
        boot.remove();
    }
}

#[component]
pub fn App() -> impl IntoView {
    // The session is loaded once, here; every protected route reads it from the context.
    let session = Session::new();
    provide_context(session);
    session.load();
    use pages::client as c;
    view! {
        <Router>
            <components::SkipLink />
            <components::Header />
            <main class="page" id="main" tabindex="-1">
                <Routes fallback=pages::NotFound>
                    <Route path=StaticSegment(routes::seg::SIGN_IN) view=pages::sign_in::SignInPage />
                    <ParentRoute path=StaticSegment("") view=components::Protected>
                        <Route path=StaticSegment("") view=pages::home::HomePage />
                        <Route path=StaticSegment(routes::seg::SEARCH) view=pages::search::SearchPage />
                        <Route path=StaticSegment(routes::seg::INBOX) view=pages::inbox::InboxPage />
                        <Route path=StaticSegment(routes::seg::ACCOUNT) view=pages::account::AccountPage />
                        <Route path=routes::new_client_segments() view=pages::new_client::NewClientPage />
                        <ParentRoute path=routes::client_segments() view=c::ClientPage>
                            <Route path=Section::Overview.segment() view=c::overview::OverviewSection />
                            <Route path=Section::Intake.segment() view=c::intake::IntakeSection />
                            <Route path=Section::Contacts.segment() view=c::contacts::ContactsSection />
                            <Route path=Section::Demographics.segment() view=c::demographics::DemographicsSection />
                            <Route path=Section::Enrollments.segment() view=c::enrollments::EnrollmentsSection />
                            <Route path=Section::Services.segment() view=c::services::ServicesSection />
                            <Route path=Section::CaseManagers.segment() view=c::case_managers::CaseManagersSection />
                            <Route path=Section::Notes.segment() view=c::notes::NotesSection />
                            <Route path=Section::Attachments.segment() view=c::attachments::AttachmentsSection />
                            <Route path=Section::Forms.segment() view=c::forms::FormsSection />
                            <Route path=Section::Releases.segment() view=c::releases::ReleasesSection />
                            <Route path=Section::Conflicts.segment() view=c::conflicts::ConflictsSection />
                            <Route path=Section::Household.segment() view=c::household::HouseholdSection />
                        </ParentRoute>
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}

/// The administrators' screens (`routes::Bundle::Admin`), with the same frame and session as the
/// main bundle. Sign-in and every other page are the main bundle's (see `pages::NotFound`).
#[component]
pub fn AdminApp() -> impl IntoView {
    let session = Session::new();
    provide_context(session);
    session.load();
    view! {
        <Router>
            <components::SkipLink />
            <components::Header />
            <main class="page" id="main" tabindex="-1">
                <Routes fallback=pages::NotFound>
                    <ParentRoute path=StaticSegment(routes::seg::ADMIN) view=components::Protected>
                        <Route path=StaticSegment("") view=pages::admin::AdminHome />
                        <Route path=StaticSegment(routes::seg::USERS) view=pages::admin::users::UsersPage />
                        <Route path=(StaticSegment(routes::seg::USERS), ParamSegment(routes::seg::ID)) view=pages::admin::users::UserPage />
                        <Route path=StaticSegment(routes::seg::ORGANIZATIONS) view=pages::admin::organizations::OrganizationsPage />
                        <Route path=StaticSegment(routes::seg::PROGRAMS) view=pages::admin::programs::ProgramsPage />
                        <Route path=StaticSegment(routes::seg::AUDIT) view=pages::admin::audit::AuditPage />
                        <Route path=StaticSegment(routes::seg::HUD_IMPORT) view=pages::admin::hud_import::HudImportPage />
                        <Route path=StaticSegment(routes::seg::RELEASES) view=pages::admin::releases::AgencyReleasesPage />
                        <Route path=StaticSegment(routes::seg::QUEUES) view=pages::admin::queues::QueuesPage />
                        <Route path=StaticSegment(routes::seg::MOUS) view=pages::admin::mous::MousPage />
                        <Route path=(StaticSegment(routes::seg::MOUS), ParamSegment(routes::seg::ID)) view=pages::admin::mous::MouPage />
                    </ParentRoute>
                </Routes>
            </main>
        </Router>
    }
}
