//! A deliberately naive reference model of the read policy.
