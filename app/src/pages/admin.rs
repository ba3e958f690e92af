//! The administrators' pages under `/admin/`: one module per page.

pub mod queues;
pub mod releases;
