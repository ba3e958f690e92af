//! Property tests (proptest) of the read and change policy.
