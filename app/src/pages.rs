//! One module per route (see `Page`).

pub mod client;
pub mod search;
pub mod sign_in;
