//! Hearth's server: the authority. It serves the built WASM app and the JSON API under `/api/v1/`,
//! and re-checks every read and write with the decisions of the `shared` crate.

pub mod batch;
pub mod cache;
pub mod clock;
pub mod config;
pub mod db;
pub mod digest;
pub mod error;
pub mod extract;
pub mod files;
pub mod idempotency;
pub mod openapi;
pub mod password;
pub mod routes;
pub mod services;
pub mod state;
pub mod web;

pub use config::Config;
pub use state::AppState;

use std::net::SocketAddr;
use tokio::net::TcpListener;

/// A built, listening server: `build` binds the port (0 in tests), `run` serves until stopped.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    state: AppState,
}

impl Application {
    /// Opens and migrates the database, binds the listener and builds the router. With
    /// `HEARTH_TEST_CLOCK=1` (`Config::test_clock`) the clock is a `ManualClock` starting at the
    /// real now, moved by `POST /api/v1/test/clock/advance` (`build_with_test_clock`).
    pub async fn build(config: Config) -> anyhow_lite::Result<Self> {
        if config.test_clock {
            let now = chrono::Utc::now().naive_utc();
            return Self::build_with_test_clock(config, clock::ManualClock::new(now)).await;
        }
        Self::build_with_clock(config, clock::system()).await
    }

    /// As `build`, with the given clock (tests move a `ManualClock` instead of sleeping).
    pub async fn build_with_clock(
        config: Config,
        clock: std::sync::Arc<dyn clock::Clock>,
    ) -> anyhow_lite::Result<Self> {
        Self::assemble(config, clock, None).await
    }

    /// As `build_with_clock` with `clock` also moved over HTTP: `POST /api/v1/test/clock/advance`
    /// is routed (and only then). Refused on a listen address that is not loopback: anyone who
    /// can reach it could move every date decision (R-3's 14 days, sessions' timeouts).
    pub async fn build_with_test_clock(
        config: Config,
        clock: std::sync::Arc<clock::ManualClock>,
    ) -> anyhow_lite::Result<Self> {
        Self::assemble(config, clock.clone(), Some(clock)).await
    }

    async fn assemble(
        config: Config,
        clock: std::sync::Arc<dyn clock::Clock>,
        test_clock: Option<std::sync::Arc<clock::ManualClock>>,
    ) -> anyhow_lite::Result<Self> {
        let listener = TcpListener::bind(&config.listen).await?;
        if test_clock.is_some() {
            let addr = listener.local_addr()?;
            if !addr.ip().is_loopback() {
                return Err(format!(
                    "HEARTH_TEST_CLOCK=1 lets any caller move the server's clock: it is for tests \
                     on a loopback address only, not {addr} (HEARTH_LISTEN)"
                )
                .into());
            }
            tracing::warn!(
                %addr,
                "TEST CLOCK ON (HEARTH_TEST_CLOCK=1): the clock stands still and \
                 POST /api/v1/test/clock/advance moves it; never run like this with real data"
            );
        }
        let pool = db::connect(&config.database).await?;
        let state = AppState::new(pool, config.clone(), clock);
        Ok(Self {
            listener,
            router: routes::router_with(state.clone(), test_clock),
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// The shared state (tests run the background jobs on it directly).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// Serves until stopped, with the background jobs (`services::jobs::run_forever`: hourly, email
    /// every 30 s) running beside the server.
    pub async fn run(self) -> std::io::Result<()> {
        let jobs = tokio::spawn(services::jobs::run_forever(
            self.state.clone(),
            std::time::Duration::from_secs(3600),
            std::time::Duration::from_secs(30),
        ));
        let served = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown_signal())
            .await;
        jobs.abort();
        served
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
}

/// A boxed error for start-up paths (binding, opening the database), where the message is all
/// that matters.
pub mod anyhow_lite {
    pub type Error = Box<dyn std::error::Error + Send + Sync + 'static>;
    pub type Result<T> = std::result::Result<T, Error>;
}
