//! PAN evaluation (placeholder module; see the crate docs).
