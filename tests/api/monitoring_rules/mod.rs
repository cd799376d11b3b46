//! Rules of the forms: lateness, warnings and their reasons, notes, and what a filed form locks.

mod lateness;
mod locks;
mod warnings;

use crate::helpers::*;
use serde_json::Value;

pub(super) fn signed(mut v: Value) -> Value {
    v["signatures"] = signatures();
    v
}
