//! The signed-in user, loaded once at the root and shared by every page through the context.
//! A network failure while loading it is an error (with a retry), never "signed out".

use crate::api::{self, ApiError};
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
}

impl Session {
    pub fn new() -> Session {
        Session {
            state: RwSignal::new(SessionState::Loading),
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
        self.state.set(SessionState::SignedIn(Box::new(info)));
    }

    /// The session ended (sign-out, or the server answered 401): protected routes go to sign-in.
    pub fn signed_out(self) {
        self.state.set(SessionState::SignedOut);
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
