//! The administrators' pages (under `/admin`), one module per screen.

pub mod mous;
