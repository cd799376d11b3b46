use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn a_retried_create_with_the_same_key_returns_the_first_response_and_creates_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let body = json!({"code": "GHB", "name": "工会办", "kind": "department"});
    let send = |b: Value| {
        app.req(reqwest::Method::POST, "/api/v1/units", Some(&admin))
            .header("Idempotency-Key", "create-ghb-1")
            .json(&b)
            .send()
    };
    let first = send(body.clone()).await.unwrap();
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = send(body.clone()).await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.json::<Value>().await.unwrap(), first);

    let list: Value = app.get("/api/v1/units", &admin).await.json().await.unwrap();
    assert_eq!(list["total"], 1);
    let creates = app.audit(&admin, "action=unit.create").await;
    assert_eq!(creates.len(), 1);

    // Same key, different body: refused, nothing created.
    let r = send(json!({"code": "OTHER", "name": "别的", "kind": "department"}))
        .await
        .unwrap();
    assert_problem(r, 422, "idempotency_key_reused").await;
    let list: Value = app.get("/api/v1/units", &admin).await.json().await.unwrap();
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn keys_are_per_user_and_per_endpoint() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, other_admin) = {
        let r = app
            .post(
                "/api/v1/users",
                &admin,
                json!({"username": "admin2", "password": PASSWORD, "role": "admin"}),
            )
            .await;
        assert_eq!(r.status(), 201);
        ((), app.login("admin2", PASSWORD).await)
    };
    for (token, code) in [(&admin, "U1"), (&other_admin, "U2")] {
        let r = app
            .req(reqwest::Method::POST, "/api/v1/units", Some(token))
            .header("Idempotency-Key", "shared-key")
            .json(&json!({"code": code, "name": code, "kind": "department"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let list: Value = app.get("/api/v1/units", &admin).await.json().await.unwrap();
    assert_eq!(list["total"], 2);
    // The same key on another endpoint is another request.
    let r = app
        .req(reqwest::Method::POST, "/api/v1/users", Some(&admin))
        .header("Idempotency-Key", "shared-key")
        .json(&json!({"username": "someone", "password": PASSWORD, "role": "viewer"}))
        .send()
        .await
        .unwrap();
    assert_problem(r, 422, "idempotency_key_reused").await;
}

#[tokio::test]
async fn a_failed_create_does_not_burn_the_key() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let send = |b: Value| {
        app.req(reqwest::Method::POST, "/api/v1/users", Some(&admin))
            .header("Idempotency-Key", "k-42")
            .json(&b)
            .send()
    };
    let bad = send(json!({"username": "x", "password": PASSWORD, "role": "viewer"}))
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let good = send(json!({"username": "xavier", "password": PASSWORD, "role": "viewer"}))
        .await
        .unwrap();
    assert_eq!(good.status(), 201);
}
