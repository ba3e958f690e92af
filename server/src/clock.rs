//! The server's clock, injectable so tests can move time instead of sleeping.

use chrono::{NaiveDate, NaiveDateTime, Utc};
use std::sync::{Arc, Mutex};

pub trait Clock: Send + Sync {
    /// Now, in UTC.
    fn now(&self) -> NaiveDateTime;
    /// Today's date, the date every shared decision is made for.
    fn today(&self) -> NaiveDate {
        self.now().date()
    }
}

struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> NaiveDateTime {
        Utc::now().naive_utc()
    }
}

pub fn system() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}

/// A clock that stands still until told to move.
pub struct ManualClock(Mutex<NaiveDateTime>);

impl ManualClock {
    pub fn new(at: NaiveDateTime) -> Arc<Self> {
        Arc::new(Self(Mutex::new(at)))
    }

    pub fn advance(&self, by: chrono::Duration) {
        let mut now = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> NaiveDateTime {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
