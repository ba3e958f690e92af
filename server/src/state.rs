//! `AppState`: what every handler shares: the database, the policy, the configuration, the clock.

use crate::clock::Clock;
use crate::config::Config;
use crate::db::Pool;
use shared::PolicyConfig;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState(Arc<App>);

pub struct App {
    pub pool: Pool,
    pub policy: PolicyConfig,
    pub config: Config,
    pub clock: Arc<dyn Clock>,
}

impl AppState {
    pub fn new(pool: Pool, config: Config, clock: Arc<dyn Clock>) -> Self {
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
