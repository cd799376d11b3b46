//! The use cases: one function per thing a user does, over a transaction and an actor. The
//! JSON handlers, the workbook import and the seed generators call the same ones, so a rule
//! lives in one place. Every write goes through [`pipeline::Write`].

pub mod access;
pub mod adjustments;
pub mod auth;
pub mod changes;
pub mod clients;
pub mod corrective_actions;
pub mod events;
pub mod form_import;
pub mod idempotency;
pub mod indicators;
pub mod item_life;
pub mod items;
pub mod measures;
pub mod periods;
pub mod pipeline;
pub mod precondition;
pub mod reports;
pub mod submissions;
pub mod units;
pub mod users;
pub mod webhooks;
