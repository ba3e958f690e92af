//! Uploaded documents (signed ROIs and MOUs): which file types are accepted, recognised by their
//! first bytes (never by the name or the declared type alone), and the size limit.

use crate::ids::ParseError;
use serde::{Deserialize, Serialize};

/// The largest accepted document: 10 MiB, enough for a multi-page scan.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// The accepted document types: scans and PDFs only, nothing a browser would run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocumentFormat {
    Pdf,
    Jpeg,
    Png,
}

impl DocumentFormat {
    pub const ALL: [DocumentFormat; 3] = [
        DocumentFormat::Pdf,
        DocumentFormat::Jpeg,
        DocumentFormat::Png,
    ];

    pub fn content_type(self) -> &'static str {
        match self {
            DocumentFormat::Pdf => "application/pdf",
            DocumentFormat::Jpeg => "image/jpeg",
            DocumentFormat::Png => "image/png",
        }
    }

    pub fn from_content_type(s: &str) -> Option<Self> {
        let essence = s
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/pdf" => Some(DocumentFormat::Pdf),
            "image/jpeg" | "image/jpg" => Some(DocumentFormat::Jpeg),
            "image/png" => Some(DocumentFormat::Png),
            _ => None,
        }
    }

    /// The format the bytes actually are, from their magic number.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(DocumentFormat::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(DocumentFormat::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(DocumentFormat::Png)
        } else {
            None
        }
    }

    /// Checks an upload: a declared type we accept, content that really is of that type, not
    /// empty, not over [`MAX_DOCUMENT_BYTES`]. Errors name the field (`content_type`, `body`).
    pub fn check_upload(declared: Option<&str>, bytes: &[u8]) -> Result<Self, ParseError> {
        let declared = declared.and_then(Self::from_content_type).ok_or_else(|| {
            ParseError::new(
                "content_type",
                "send a PDF (application/pdf), JPEG (image/jpeg) or PNG (image/png)",
            )
        })?;
        if bytes.is_empty() {
            return Err(ParseError::new("body", "the document is empty"));
        }
        if bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(ParseError::new(
                "body",
                "the document is larger than 10 MiB",
            ));
        }
        match Self::sniff(bytes) {
            Some(actual) if actual == declared => Ok(actual),
            _ => Err(ParseError::new(
                "body",
                format!(
                    "the content is not a {} file",
                    match declared {
                        DocumentFormat::Pdf => "PDF",
                        DocumentFormat::Jpeg => "JPEG",
                        DocumentFormat::Png => "PNG",
                    }
                ),
            )),
        }
    }
}
