//! sea-orm models, one per table. They carry database types only; `persistence::*` converts
//! them to domain types.

pub mod audit_event;
pub mod idempotency_key;
pub mod login_failure;
pub mod unit;
pub mod user;
