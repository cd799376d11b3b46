//! Request ids are the server's own: a new UUID per request, returned as `X-Request-Id`, in
//! problem bodies and in audit events; a client's `X-Request-Id` is kept apart as
//! `client_request_id` and can never pose as the server's.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

/// Creates a unit sending `client_id` as `X-Request-Id`; returns the response's request id and
/// the audit event of the creation.
async fn create_unit_with(app: &TestApp, code: &str, client_id: &str) -> (String, Value) {
    let admin = app.as_admin().await;
    let r = admin
        .send(
            admin
                .req(Method::POST, "/api/v1/units")
                .header("X-Request-Id", client_id)
                .json(&json!({"code": code, "name": "办公室", "kind": "department"})),
        )
        .await;
    let server_id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let unit = ok(r, 201).await;
    let query = format!("action=unit.create&resource_id={}", id_of(&unit));
    let events = app.audit(&admin, &query).await;
    assert_eq!(events.len(), 1);
    (server_id, events[0].clone())
}

#[tokio::test]
async fn a_clients_request_id_is_stored_apart_and_never_becomes_the_servers() {
    let app = spawn_app().await;
    let (server_id, e) = create_unit_with(&app, "BGS", "seed-demo").await;
    assert!(uuid::Uuid::parse_str(&server_id).is_ok(), "{server_id}");
    assert_eq!(e["request_id"], server_id.as_str());
    assert_ne!(
        e["request_id"], "seed-demo",
        "a client cannot pose as the seed"
    );
    assert_eq!(e["client_request_id"], "seed-demo");

    // Two requests with the same client id get two server ids.
    let (again, e2) = create_unit_with(&app, "ZZB", "seed-demo").await;
    assert_ne!(again, server_id);
    assert_eq!(e2["request_id"], again.as_str());
}

#[tokio::test]
async fn an_invalid_client_request_id_is_ignored() {
    let app = spawn_app().await;
    let (server_id, e) = create_unit_with(&app, "BGS", &"x".repeat(129)).await;
    assert_eq!(e["request_id"], server_id.as_str());
    assert_eq!(e["client_request_id"], Value::Null);
}
