//! One HUD CSV file read whole: headers matched by name (case-insensitive, any order), each row
//! with its line number, and the getters that turn a cell into a value or a row error naming the
//! file, line, column and reason.

use super::report::RowError;
use chrono::{NaiveDate, NaiveDateTime};
use shared::ParseError;
use std::collections::HashMap;

/// A HUD CSV file: its name (`Client.csv`), its header (as written) and rows.
pub struct Table {
    pub file: &'static str,
    pub headers: Vec<String>,
    index: HashMap<String, usize>,
    pub rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    /// Reads `data` (a file's bytes, from a folder or a zip) as the HUD file `file`. A file that
    /// is not CSV (or not UTF-8) is an error naming the file and line.
    pub fn read(file: &'static str, data: &[u8]) -> Result<Self, String> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(data);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| format!("{file}: bad header line: {e}"))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
            .collect();
        let mut index = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            if index.insert(h.to_ascii_lowercase(), i).is_some() {
                return Err(format!("{file}: line 1: column {h} appears twice"));
            }
        }
        let mut rows = Vec::new();
        for rec in reader.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                format!("{file}: line {line}: not a CSV row of the header's columns: {e}")
            })?;
            let line = rec.position().map(|p| p.line()).unwrap_or(0);
            rows.push((line, rec));
        }
        Ok(Self {
            file,
            headers,
            index,
            rows,
        })
    }

    /// A file with no header and no row (a missing file's stand-in).
    pub fn empty() -> Self {
        Self {
            file: "",
            headers: Vec::new(),
            index: HashMap::new(),
            rows: Vec::new(),
        }
    }

    pub fn has(&self, column: &str) -> bool {
        self.index.contains_key(&column.to_ascii_lowercase())
    }

    /// The row at `i` with its getters.
    pub fn row(&self, i: usize) -> Row<'_> {
        let (line, rec) = &self.rows[i];
        Row {
            table: self,
            line: *line,
            rec,
        }
    }
}

/// One row of a [`Table`].
pub struct Row<'a> {
    table: &'a Table,
    pub line: u64,
    rec: &'a csv::StringRecord,
}

impl Row<'_> {
    /// A row with more or fewer fields than the header is an error of the whole row.
    pub fn check_width(&self) -> Result<(), RowError> {
        let (n, want) = (self.rec.len(), self.table.headers.len());
        if n != want {
            return Err(self.err("(row)", format!("has {n} fields, the header has {want}")));
        }
        Ok(())
    }

    /// A row error at `column`.
    pub fn err(&self, column: &str, reason: impl Into<String>) -> RowError {
        RowError {
            file: self.table.file,
            line: self.line,
            column: column.to_owned(),
            reason: reason.into(),
        }
    }

    /// A shared parse error at `column` (the code lists' reasons).
    pub fn parse_err(&self, column: &str, e: ParseError) -> RowError {
        self.err(column, e.reason)
    }

    /// The cell, trimmed; empty when the column is absent.
    pub fn get(&self, column: &str) -> &str {
        self.table
            .index
            .get(&column.to_ascii_lowercase())
            .and_then(|i| self.rec.get(*i))
            .map(str::trim)
            .unwrap_or("")
    }

    /// The cell, or `None` when empty.
    pub fn opt(&self, column: &str) -> Option<&str> {
        Some(self.get(column)).filter(|s| !s.is_empty())
    }

    /// A required cell.
    pub fn req(&self, column: &str) -> Result<&str, RowError> {
        self.opt(column)
            .ok_or_else(|| self.err(column, "missing required value"))
    }

    /// An integer code, decoded by a shared code list (`from_code`); `None` when empty.
    pub fn code<T>(
        &self,
        column: &str,
        from_code: impl Fn(i64) -> Result<T, ParseError>,
    ) -> Result<Option<T>, RowError> {
        let Some(s) = self.opt(column) else {
            return Ok(None);
        };
        let n: i64 = s
            .parse()
            .map_err(|_| self.err(column, format!("bad code {s:?}: not a whole number")))?;
        from_code(n)
            .map(Some)
            .map_err(|e| self.err(column, format!("bad code {n}: {}", e.reason)))
    }

    /// A required integer code.
    pub fn req_code<T>(
        &self,
        column: &str,
        from_code: impl Fn(i64) -> Result<T, ParseError>,
    ) -> Result<T, RowError> {
        self.req(column)?;
        self.code(column, from_code)?
            .ok_or_else(|| self.err(column, "missing required value"))
    }

    /// A 0/1 flag (HUD's race columns); empty is 0.
    pub fn flag(&self, column: &str) -> Result<bool, RowError> {
        match self.get(column) {
            "" | "0" => Ok(false),
            "1" => Ok(true),
            s => Err(self.err(column, format!("bad code {s:?}: must be 0 or 1"))),
        }
    }

    /// A HUD date (`YYYY-MM-DD`); `None` when empty.
    pub fn date(&self, column: &str) -> Result<Option<NaiveDate>, RowError> {
        self.opt(column)
            .map(|s| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_err(|_| self.err(column, format!("bad date {s:?}: must be YYYY-MM-DD")))
            })
            .transpose()
    }

    pub fn req_date(&self, column: &str) -> Result<NaiveDate, RowError> {
        self.req(column)?;
        self.date(column)?
            .ok_or_else(|| self.err(column, "missing required value"))
    }

    /// A HUD timestamp (`YYYY-MM-DD HH:MM:SS`); `None` when empty.
    pub fn timestamp(&self, column: &str) -> Result<Option<NaiveDateTime>, RowError> {
        self.opt(column)
            .map(|s| {
                NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
                    .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
                    .map_err(|_| {
                        self.err(
                            column,
                            format!("bad date {s:?}: must be YYYY-MM-DD HH:MM:SS"),
                        )
                    })
            })
            .transpose()
    }

    pub fn req_timestamp(&self, column: &str) -> Result<NaiveDateTime, RowError> {
        self.req(column)?;
        self.timestamp(column)?
            .ok_or_else(|| self.err(column, "missing required value"))
    }
}
