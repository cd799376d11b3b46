//! The use cases: one function per thing a user does, over a transaction and an actor. The
//! JSON handlers and the workbook import call the same ones, so a rule lives in one place.

pub mod form_import;
pub mod submissions;
