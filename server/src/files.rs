//! Uploaded files on disk (`HEARTH_FILES_DIR`): each under a random name that says nothing about
//! the client or the file; the database keeps the key, type, size and SHA-256.

use crate::error::ApiError;

/// Writes `bytes` under a random 128-bit name in `dir`; returns the storage key and SHA-256.
/// Nothing about the client or the file's name is on disk.
pub async fn store_file(dir: &std::path::Path, bytes: &[u8]) -> Result<(String, String), ApiError> {
    let key = crate::digest::random_hex::<16>()?;
    let sha = crate::digest::sha256_hex(bytes);
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| ApiError::Internal(format!("files directory: {e}")))?;
    tokio::fs::write(dir.join(&key), bytes)
        .await
        .map_err(|e| ApiError::Internal(format!("writing an upload: {e}")))?;
    Ok((key, sha))
}
