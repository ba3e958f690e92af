//! Wire types of the HUD CSV import run from the admin screen (issue #16): the upload's query,
//! the job's progress and its report, file by file, with every row error and warning.

use serde::{Deserialize, Serialize};

/// `POST /admin/hud-import?dry_run=true`: check and report, store nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HudImportQuery {
    /// `true`: a dry run (the same checks and report, nothing stored); `false` or absent: an
    /// import (`shared::input::flag`).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Option<bool>"))]
    pub dry_run: Option<String>,
}

impl super::endpoint::QueryParams for HudImportQuery {
    const PARAMS: &'static [(&'static str, &'static str)] = &[(
        "dry_run",
        "true: check every row and report, store nothing (default false)",
    )];
    fn pairs(&self) -> Vec<(&'static str, String)> {
        match &self.dry_run {
            Some(d) => vec![("dry_run", d.clone())],
            None => Vec::new(),
        }
    }
}

/// Where an import job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum HudImportState {
    Running,
    Done,
    /// Stopped by a fatal error (`error`): files already committed stay.
    Failed,
}

/// The import job (one at a time): its progress while it runs, then its report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HudImportJob {
    /// Counts up with every job the server starts.
    pub id: u64,
    pub state: HudImportState,
    pub dry_run: bool,
    /// The file being written (`Client.csv`), its rows done and in all.
    pub file: String,
    pub done: u64,
    pub total: u64,
    pub elapsed_ms: u64,
    /// Set when the job is `Done`.
    pub report: Option<HudImportReport>,
    /// Set when the job `Failed`.
    pub error: Option<String>,
}

/// What an import (or a dry run) did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HudImportReport {
    /// HUD's SourceID of the export.
    pub source: String,
    pub dry_run: bool,
    pub files: Vec<HudFileReport>,
    /// Rows not imported.
    pub errors: Vec<HudRowIssue>,
    /// Rows imported without one of their values.
    pub warnings: Vec<HudRowIssue>,
    pub notes: Vec<String>,
}

/// One file's counts; `rows` = created + updated + unchanged + tombstoned + skipped + errors.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HudFileReport {
    pub file: String,
    /// `imported`, `not_imported` (with `reason`) or `missing`.
    pub status: String,
    pub reason: Option<String>,
    pub rows: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub tombstoned: u64,
    pub skipped: u64,
    pub errors: u64,
    pub warnings: u64,
    /// Columns not imported, and other remarks.
    pub notes: Vec<String>,
}

/// A row error or warning: file, line (the CSV line, header = 1), column, reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct HudRowIssue {
    pub file: String,
    pub line: u64,
    pub column: String,
    pub reason: String,
}
