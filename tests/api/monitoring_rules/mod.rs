//! Rules of the forms: lateness, warnings and their reasons, notes, and what a filed form locks.

mod lateness;
mod locks;
mod warnings;

use crate::helpers::*;
use serde_json::{json, Value};

pub(super) async fn put(
    app: &TestApp,
    token: &str,
    id: &str,
    version: i64,
    body: Value,
) -> reqwest::Response {
    app.req(
        reqwest::Method::PUT,
        &format!("/api/v1/submissions/{id}"),
        Some(token),
    )
    .header("If-Match", format!("\"{version}\""))
    .json(&body)
    .send()
    .await
    .unwrap()
}

pub(super) fn signed(mut v: Value) -> Value {
    v["signatures"] =
        json!({"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"});
    v
}
