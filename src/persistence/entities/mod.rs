//! sea-orm models, one per table. They carry database types only; `persistence::*` converts
//! them to domain types.

pub mod audit_event;
pub mod idempotency_key;
pub mod indicator;
pub mod item;
pub mod login_failure;
pub mod period;
pub mod period_extension;
pub mod submission;
pub mod submission_value;
pub mod submission_version;
pub mod unit;
pub mod user;
