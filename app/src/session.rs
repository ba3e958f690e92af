//! The signed-in user, loaded once at the root and shared by every page through the context.
//! A network failure while loading it is an error (with a retry), never "signed out". Also what
//! the header and the pages share about it: the unread notification count, and the idle watch
//! (P-5) that warns a few minutes before the server's idle timeout, offers "stay signed in" and,
//! once the server has ended the session, sends the user to sign in (and back here afterwards).

use crate::api::{self, ApiError};
use leptos::leptos_dom::helpers::TimeoutHandle;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::SessionInfo;

#[derive(Debug, Clone)]
pub enum SessionState {
    /// Asking the server.
    Loading,
    SignedIn(Box<SessionInfo>),
    /// No session, or it ended.
    SignedOut,
    /// The server could not be asked (network, 5xx): not the same as signed out.
    Failed(ApiError),
}

/// The tab's note that its session timed out (shown on the sign-in page after the reload).
const TIMED_OUT_KEY: &str = "hearth.timed-out";

/// The app's current address: path and query.
fn here() -> String {
    web_sys::window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.pathname().unwrap_or_default(),
                l.search().unwrap_or_default()
            )
        })
        .unwrap_or_default()
}

/// Which of the states, without the data (so views re-render only when it changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStatus {
    Loading,
    SignedIn,
    SignedOut,
    Failed,
}

#[derive(Clone, Copy)]
pub struct Session {
    pub state: RwSignal<SessionState>,
    /// How many of the user's notifications are unread (`None`: not known yet).
    pub unread: RwSignal<Option<i64>>,
    /// The idle warning, while it is shown.
    pub idle: RwSignal<Option<IdleWarning>>,
    /// The session ended by itself (idle or absolute timeout), not by signing out.
    pub ended_by_timeout: RwSignal<bool>,
}

/// The idle warning: when the session ends (browser clock, milliseconds) and whether a request
/// can still extend it (not when the absolute limit is the nearer).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IdleWarning {
    pub ends_at_ms: f64,
    pub can_extend: bool,
}

impl Session {
    pub fn new() -> Session {
        Session {
            state: RwSignal::new(SessionState::Loading),
            unread: RwSignal::new(None),
            idle: RwSignal::new(None),
            // Set by `ended` before the page was reloaded (this tab only).
            ended_by_timeout: RwSignal::new(tab_get(TIMED_OUT_KEY).ok().flatten().is_some()),
        }
    }

    /// Asks the server who is signed in.
    pub fn load(self) {
        self.state.set(SessionState::Loading);
        spawn_local(async move {
            let state = match api::session().await {
                Ok(info) => SessionState::SignedIn(Box::new(info)),
                Err(ApiError::SignedOut) => SessionState::SignedOut,
                Err(e) => SessionState::Failed(e),
            };
            self.state.set(state);
        });
    }

    pub fn signed_in(self, info: SessionInfo) {
        self.ended_by_timeout.set(false);
        let _ = tab_remove(TIMED_OUT_KEY);
        self.state.set(SessionState::SignedIn(Box::new(info)));
    }

    /// The session ended (sign-out, or the server answered 401): protected routes go to sign-in.
    /// While a signed-in page is shown, this leaves by `ended` (returning here afterwards).
    pub fn signed_out(self) {
        if self.status_untracked() == SessionStatus::SignedIn {
            // The server ended it (timeout, or the account's sessions were ended elsewhere).
            self.ended(Some(here()), true);
        } else if self.status_untracked() != SessionStatus::SignedOut {
            self.state.set(SessionState::SignedOut);
        }
    }

    /// The session ended by itself (idle or absolute timeout, P-5): as `signed_out`, and the
    /// sign-in page says why.
    pub fn timed_out(self) {
        if self.status_untracked() == SessionStatus::SignedIn {
            self.ended(Some(here()), true);
        } else {
            self.signed_out();
        }
    }

    /// Leaves a signed-in page for sign-in (then `next`) by loading the sign-in page afresh: the
    /// page's memory, with every client record it held, is dropped at once, and nothing shown is
    /// torn down while it still reacts to the session.
    pub fn ended(self, next: Option<String>, timed_out: bool) {
        self.idle.set(None);
        if timed_out {
            let _ = tab_set(TIMED_OUT_KEY, "1");
        }
        let target = crate::Page::SignIn(next.and_then(|n| crate::routes::safe_next(&n))).path();
        if let Some(w) = web_sys::window() {
            if w.location().assign(&target).is_ok() {
                return;
            }
        }
        self.state.set(SessionState::SignedOut);
    }

    /// Changes the signed-in user's information in place (e.g. a new notification email),
    /// without reloading the session.
    pub fn update_me(self, f: impl FnOnce(&mut SessionInfo)) {
        self.state.update(|s| {
            if let SessionState::SignedIn(info) = s {
                f(info);
            }
        });
    }

    fn status_untracked(self) -> SessionStatus {
        self.state.with_untracked(|s| match s {
            SessionState::Loading => SessionStatus::Loading,
            SessionState::SignedIn(_) => SessionStatus::SignedIn,
            SessionState::SignedOut => SessionStatus::SignedOut,
            SessionState::Failed(_) => SessionStatus::Failed,
        })
    }

    pub fn status(self) -> SessionStatus {
        self.state.with(|s| match s {
            SessionState::Loading => SessionStatus::Loading,
            SessionState::SignedIn(_) => SessionStatus::SignedIn,
            SessionState::SignedOut => SessionStatus::SignedOut,
            SessionState::Failed(_) => SessionStatus::Failed,
        })
    }

    /// Reads the signed-in user (tracked); `None` when not signed in.
    pub fn with_me<R>(self, f: impl FnOnce(&SessionInfo) -> R) -> Option<R> {
        self.state.with(|s| match s {
            SessionState::SignedIn(info) => Some(f(info)),
            _ => None,
        })
    }

    /// Like `with_me`, untracked.
    pub fn with_me_untracked<R>(self, f: impl FnOnce(&SessionInfo) -> R) -> Option<R> {
        self.state.with_untracked(|s| match s {
            SessionState::SignedIn(info) => Some(f(info)),
            _ => None,
        })
    }

    /// A copy of the signed-in user (untracked); inside a protected route it is always there.
    pub fn me(self) -> Option<SessionInfo> {
        self.with_me_untracked(Clone::clone)
    }
}

impl Default for Session {
    fn default() -> Self {
        Session::new()
    }
}

/// The session of the context.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

// ---- The idle watch (P-5) ----

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The browser's clock, in milliseconds.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    fn date_now() -> f64;
    #[wasm_bindgen(js_namespace = sessionStorage, js_name = getItem, catch)]
    fn tab_get(key: &str) -> Result<Option<String>, wasm_bindgen::JsValue>;
    #[wasm_bindgen(js_namespace = sessionStorage, js_name = setItem, catch)]
    fn tab_set(key: &str, value: &str) -> Result<(), wasm_bindgen::JsValue>;
    #[wasm_bindgen(js_namespace = sessionStorage, js_name = removeItem, catch)]
    fn tab_remove(key: &str) -> Result<(), wasm_bindgen::JsValue>;
}

/// Milliseconds on the browser's clock.
pub fn now_ms() -> f64 {
    date_now()
}

/// How long before the session's end the warning shows: three minutes, or half the idle
/// timeout when that is shorter. Presentation only: the timeout itself is the server's.
fn warn_before_seconds(idle_timeout_minutes: u32) -> i64 {
    (i64::from(idle_timeout_minutes) * 30).clamp(1, 180)
}

/// Watches the session's idle and absolute timeouts while signed in. It never keeps the session
/// alive by itself: it asks `GET /session/time-left` (which does not move the server's idle
/// timer) only when the warning may be due, shows the warning when the end is near, and marks
/// the session ended when the server says so. Only "stay signed in" (`stay_signed_in`) makes a
/// request that counts as activity.
pub fn watch_idle(session: Session) {
    let status = Memo::new(move |_| session.status());
    Effect::new(move |_| match status.get() {
        SessionStatus::SignedIn => check_time_left(session),
        _ => cancel_check(),
    });
}

thread_local! {
    /// The idle watch's next check (one per app).
    static NEXT_CHECK: std::cell::Cell<Option<TimeoutHandle>> = const { std::cell::Cell::new(None) };
}

fn cancel_check() {
    if let Some(h) = NEXT_CHECK.take() {
        h.clear();
    }
}

fn schedule_check(session: Session, after_ms: f64) {
    cancel_check();
    let delay = std::time::Duration::from_millis(after_ms.max(1000.0) as u64);
    NEXT_CHECK.set(set_timeout_with_handle(move || check_time_left(session), delay).ok());
}

/// Asks the server how long the session has left and shows, hides or ends accordingly.
fn check_time_left(session: Session) {
    let Some(idle_minutes) = session.with_me_untracked(|me| me.idle_timeout_minutes) else {
        return;
    };
    spawn_local(async move {
        use shared::api::endpoint::{NoBody, NoQuery};
        match api::call::<shared::api::endpoints::GetSessionTimeLeft>(&[], &NoQuery, &NoBody).await
        {
            Ok(left) => {
                let remaining = left.idle_seconds.min(left.absolute_seconds);
                let warn = warn_before_seconds(idle_minutes);
                if remaining <= warn {
                    session.idle.set(Some(IdleWarning {
                        ends_at_ms: now_ms() + remaining as f64 * 1000.0,
                        can_extend: left.idle_seconds < left.absolute_seconds,
                    }));
                    // Ask again when it should have ended (another tab may have kept it alive).
                    schedule_check(session, remaining as f64 * 1000.0 + 1000.0);
                } else {
                    session.idle.set(None);
                    schedule_check(session, (remaining - warn) as f64 * 1000.0);
                }
            }
            Err(ApiError::SignedOut) => {
                cancel_check();
                session.timed_out();
            }
            // The server could not be asked: try again in a minute; the session is not ended.
            Err(_) => schedule_check(session, 60_000.0),
        }
    });
}

/// "Stay signed in": a real request (`GET /session`), which moves the server's idle timer; then
/// the watch starts over.
pub fn stay_signed_in(session: Session) {
    spawn_local(async move {
        match api::session().await {
            Ok(_) => {
                session.idle.set(None);
                check_time_left(session);
            }
            Err(ApiError::SignedOut) => session.timed_out(),
            Err(_) => schedule_check(session, 10_000.0),
        }
    });
}
