//! The administrators' pages (`/admin/...`), one module each.

pub mod hud_import;
