//! Configuration, read from the environment (`HEARTH_*`), with defaults that run out of the box.

use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Config {
    /// `HEARTH_LISTEN`, default `127.0.0.1:8080`.
    pub listen: String,
    /// `DATABASE_URL` if set (e.g. `sqlite://path`), else `sqlite://{HEARTH_DATA_DIR}/hearth.db`.
    pub database: String,
    /// `HEARTH_DIST`: the built app (Trunk's output), default `./dist`.
    pub dist_dir: PathBuf,
    /// `HEARTH_IDLE_TIMEOUT_MINUTES`, default 30.
    pub idle_timeout: Duration,
    /// `HEARTH_ABSOLUTE_TIMEOUT_HOURS`, default 12.
    pub absolute_timeout: Duration,
    /// `HEARTH_SECURE_COOKIES=1` when served over TLS (behind a proxy): adds `Secure`.
    pub secure_cookies: bool,
    /// `HEARTH_PASSWORD_MIN_LENGTH` (default 12, never below 8) and
    /// `HEARTH_PASSWORD_REQUIRE_CLASSES=1` (default off): the password policy (P-5).
    pub password_policy: shared::password::PasswordPolicy,
    /// `HEARTH_SMTP_URL`, `HEARTH_MAIL_FROM`: notification email; none: in-app only.
    pub mail: MailConfig,
    /// `HEARTH_FILES_DIR`: uploaded attachments and photos, default `{HEARTH_DATA_DIR}/files`.
    pub files_dir: PathBuf,
    /// `HEARTH_MAX_UPLOAD_BYTES`: the largest attachment or photo accepted, default 10 MiB.
    pub max_upload_bytes: usize,
    /// `HEARTH_CACHE_CLIENTS`: how many client files each server instance keeps in memory
    /// (`cache`), default 20,000; 0 keeps none.
    pub cache_clients: usize,
    /// The policy in force (P-2): the SPEC's defaults, with
    /// `HEARTH_NOTICE_OF_RESTRICTED_RECORDS=1` (default off) turning on S-9's notice that records
    /// restricted to another agency exist (naming the agency only).
    pub policy: shared::PolicyConfig,
    /// `HEARTH_TEST_CLOCK=1` (default off), for browser tests only: the server's clock stands
    /// still at the real now and `POST /api/v1/test/clock/advance` moves it (routed only then,
    /// never documented). Refused at start-up on a listen address that is not loopback.
    pub test_clock: bool,
}

/// How many client files a server keeps in memory by default (a few KiB each: see docs/decisions.md).
pub const DEFAULT_CACHE_CLIENTS: usize = 20_000;

/// The default upload limit (10 MiB).
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;

impl Config {
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let data_dir = var("HEARTH_DATA_DIR").unwrap_or_else(|| "./data".to_owned());
        let database =
            var("DATABASE_URL").unwrap_or_else(|| format!("sqlite://{data_dir}/hearth.db"));
        let minutes = var("HEARTH_IDLE_TIMEOUT_MINUTES")
            .and_then(|v| v.parse().ok())
            .unwrap_or(30);
        let hours = var("HEARTH_ABSOLUTE_TIMEOUT_HOURS")
            .and_then(|v| v.parse().ok())
            .unwrap_or(12);
        Self {
            listen: var("HEARTH_LISTEN").unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            database,
            dist_dir: var("HEARTH_DIST")
                .unwrap_or_else(|| "./dist".to_owned())
                .into(),
            idle_timeout: Duration::from_secs(minutes * 60),
            absolute_timeout: Duration::from_secs(hours * 3600),
            secure_cookies: var("HEARTH_SECURE_COOKIES").is_some_and(|v| v == "1"),
            password_policy: password_policy_from(&var),
            mail: MailConfig::from_env(),
            files_dir: var("HEARTH_FILES_DIR")
                .unwrap_or_else(|| format!("{data_dir}/files"))
                .into(),
            max_upload_bytes: var("HEARTH_MAX_UPLOAD_BYTES")
                .and_then(|v| v.parse().ok())
                .unwrap_or(DEFAULT_MAX_UPLOAD_BYTES),
            cache_clients: var("HEARTH_CACHE_CLIENTS")
                .and_then(|v| v.parse().ok())
                .unwrap_or(DEFAULT_CACHE_CLIENTS),
            policy: shared::PolicyConfig {
                notice_of_restricted_records: var("HEARTH_NOTICE_OF_RESTRICTED_RECORDS")
                    .is_some_and(|v| v == "1"),
                ..shared::PolicyConfig::default()
            },
            test_clock: var("HEARTH_TEST_CLOCK").is_some_and(|v| v == "1"),
        }
    }

    /// A configuration for tests: a port chosen by the OS and the given database.
    /// Uploads go to `files` beside `dist_dir`.
    pub fn for_tests(database: String, dist_dir: PathBuf) -> Self {
        let files_dir = dist_dir
            .parent()
            .map(|p| p.join("files"))
            .unwrap_or_else(|| dist_dir.join("files"));
        Self {
            files_dir,
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            cache_clients: DEFAULT_CACHE_CLIENTS,
            listen: "127.0.0.1:0".to_owned(),
            database,
            dist_dir,
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 3600),
            secure_cookies: false,
            password_policy: shared::password::PasswordPolicy::default(),
            mail: MailConfig::default(),
            policy: shared::PolicyConfig::default(),
            test_clock: false,
        }
    }
}

/// The password policy from `HEARTH_PASSWORD_MIN_LENGTH` and `HEARTH_PASSWORD_REQUIRE_CLASSES`.
/// A minimum below 8 (ASVS's floor even with other factors) or above the maximum is ignored.
pub fn password_policy_from(
    var: &dyn Fn(&str) -> Option<String>,
) -> shared::password::PasswordPolicy {
    let mut policy = shared::password::PasswordPolicy::default();
    if let Some(n) = var("HEARTH_PASSWORD_MIN_LENGTH").and_then(|v| v.parse::<usize>().ok()) {
        if (8..=policy.max_length).contains(&n) {
            policy.min_length = n;
        }
    }
    policy.require_classes = var("HEARTH_PASSWORD_REQUIRE_CLASSES").is_some_and(|v| v == "1");
    policy
}

/// Email settings: `HEARTH_SMTP_URL` (`smtp://host:port`, plain SMTP to a local relay) and
/// `HEARTH_MAIL_FROM`. Without a URL, notifications stay in the outbox (in-app only).
#[derive(Debug, Clone)]
pub struct MailConfig {
    pub smtp_url: Option<String>,
    pub from: String,
}

const DEFAULT_FROM: &str = "Hearth HMIS <hearth@localhost>";

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            smtp_url: None,
            from: DEFAULT_FROM.to_owned(),
        }
    }
}

impl MailConfig {
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Self {
            smtp_url: var("HEARTH_SMTP_URL"),
            from: var("HEARTH_MAIL_FROM").unwrap_or_else(|| DEFAULT_FROM.to_owned()),
        }
    }
}
