//! `AppState`: what every handler shares: the database, the policy, the configuration, the clock.

use crate::clock::Clock;
use crate::config::Config;
use shared::PolicyConfig;
use sqlx::SqlitePool;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState(Arc<App>);

pub struct App {
    pub pool: SqlitePool,
    pub policy: PolicyConfig,
    pub config: Config,
    pub clock: Arc<dyn Clock>,
}

impl AppState {
    pub fn new(pool: SqlitePool, config: Config, clock: Arc<dyn Clock>) -> Self {
        Self(Arc::new(App {
            pool,
            policy: PolicyConfig::default(),
            config,
            clock,
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}
