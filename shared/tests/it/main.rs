//! The shared crate's integration tests: one binary, one module per area. Tests are named after
//! the SPEC rule they prove (`grep -r 's3_' shared/tests`).

mod actions;
mod admin;
#[path = "../vectors/cases.rs"]
mod cases;
mod common;
mod endpoints;
mod households;
mod hygiene;
mod impact;
mod notify;
#[cfg(not(target_arch = "wasm32"))]
mod props;
#[cfg(not(target_arch = "wasm32"))]
mod reference;
mod releases;
mod resolution;
mod sharing;
mod stored;
#[cfg(not(target_arch = "wasm32"))]
mod vectors_gen;
