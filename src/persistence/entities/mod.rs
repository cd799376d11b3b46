//! sea-orm models, one per table. They carry database types only; `persistence::*` converts
//! them to domain types.

pub mod adjustment_request;
pub mod api_client;
pub mod audit_chain;
pub mod audit_event;
pub mod corrective_action;
pub mod corrective_action_note;
pub mod event;
pub mod idempotency_key;
pub mod indicator;
pub mod item;
pub mod item_history;
pub mod measure;
pub mod period;
pub mod period_extension;
pub mod published_report;
pub mod rate_limit;
pub mod submission;
pub mod submission_value;
pub mod submission_version;
pub mod unit;
pub mod user;
pub mod webhook;
pub mod webhook_attempt;
pub mod webhook_delivery;
