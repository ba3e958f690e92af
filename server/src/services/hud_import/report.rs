//! What an import (or a dry run) did, file by file: rows read, created, updated, unchanged,
//! tombstoned, refused; every row error with its file, line, column and reason; every warning
//! (a row imported without one of its values, said where and why); and what was not imported
//! (files, columns) and why.

use std::fmt;

/// A row that was not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub file: &'static str,
    pub line: u64,
    pub column: String,
    pub reason: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: line {}: {}: {}",
            self.file, self.line, self.column, self.reason
        )
    }
}

/// A row imported without one of its values (e.g. a move-in date HUD collects only in permanent
/// housing): the same shape as an error, but the row IS imported.
pub type RowWarning = RowError;

/// One file's counts. `rows` = created + updated + unchanged + tombstoned + skipped + errors;
/// `warnings` counts the warnings of rows among them (imported without one of their values).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileReport {
    pub file: String,
    /// Imported (mapped to Hearth's records), or why not.
    pub status: FileStatus,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub tombstoned: usize,
    /// Rows read but deliberately not written (each counted with a note saying why).
    pub skipped: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Columns present but not imported, and other remarks.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FileStatus {
    #[default]
    Imported,
    /// Read and checked, but Hearth does not hold these records yet.
    NotImported(String),
    /// Not in the folder.
    Missing,
}

/// The whole report.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub source: String,
    pub dry_run: bool,
    pub files: Vec<FileReport>,
    pub errors: Vec<RowError>,
    pub warnings: Vec<RowWarning>,
    pub notes: Vec<String>,
}

impl Report {
    pub fn file(&self, name: &str) -> Option<&FileReport> {
        self.files.iter().find(|f| f.file == name)
    }

    /// Every row error of `file`.
    pub fn warnings_of<'a>(&'a self, file: &'a str) -> impl Iterator<Item = &'a RowWarning> + 'a {
        self.warnings.iter().filter(move |e| e.file == file)
    }

    pub fn errors_of<'a>(&'a self, file: &'a str) -> impl Iterator<Item = &'a RowError> + 'a {
        self.errors.iter().filter(move |e| e.file == file)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "HUD CSV import{} from source {}",
            if self.dry_run {
                " (dry run: nothing was stored)"
            } else {
                ""
            },
            self.source
        )?;
        for n in &self.notes {
            writeln!(f, "  note: {n}")?;
        }
        for r in &self.files {
            match &r.status {
                FileStatus::Imported => writeln!(
                    f,
                    "{}: {} rows: {} created, {} updated, {} unchanged, {} tombstoned, {} skipped, {} with errors, {} warnings",
                    r.file, r.rows, r.created, r.updated, r.unchanged, r.tombstoned, r.skipped, r.errors, r.warnings
                )?,
                FileStatus::NotImported(why) => {
                    writeln!(f, "{}: {} rows: not imported: {why}", r.file, r.rows)?
                }
                FileStatus::Missing => writeln!(f, "{}: missing: nothing imported", r.file)?,
            }
            for n in &r.notes {
                writeln!(f, "  {}: {n}", r.file)?;
            }
        }
        if !self.warnings.is_empty() {
            writeln!(
                f,
                "{} warnings (those rows were imported without the value named):",
                self.warnings.len()
            )?;
            for w in &self.warnings {
                writeln!(f, "  {w}")?;
            }
        }
        if !self.errors.is_empty() {
            writeln!(
                f,
                "{} row errors (those rows were not imported):",
                self.errors.len()
            )?;
            for e in &self.errors {
                writeln!(f, "  {e}")?;
            }
        }
        Ok(())
    }
}
