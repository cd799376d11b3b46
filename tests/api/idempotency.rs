use serde_json::{json, Value};

use crate::helpers::*;

const REUSED: Expect = Expect::Problem(422, "idempotency_key_reused");

#[tokio::test]
async fn a_retried_create_with_the_same_key_returns_the_first_response_and_creates_nothing() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let body = json!({"code": "GHB", "name": "工会办", "kind": "department"});
    let send = |b: Value| {
        let admin = &admin;
        async move { admin.post_keyed("/api/v1/units", "create-ghb-1", &b).await }
    };
    let first = send(body.clone()).await;
    let headers = |r: &reqwest::Response| {
        let h = |name: &str| {
            r.headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_string())
        };
        (h("location"), h("etag"))
    };
    let first_headers = headers(&first);
    let first = ok(first, 201).await;
    let again = send(body.clone()).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    // The retry gets the first answer whole: its Location and ETag too.
    assert_eq!(headers(&again), first_headers);
    let unit = format!("/api/v1/units/{}", first["id"].as_str().unwrap());
    assert_eq!(first_headers, (Some(unit), Some("\"1\"".to_string())));
    let again = ok(again, 201).await;
    assert_eq!(again, first);

    assert_eq!(admin.total("/api/v1/units").await, 1);
    let creates = app.audit(&admin, "action=unit.create").await;
    assert_eq!(creates.len(), 1);

    // Same key, different body: refused, nothing created.
    let other = json!({"code": "OTHER", "name": "别的", "kind": "department"});
    REUSED.check(send(other).await).await;
    assert_eq!(admin.total("/api/v1/units").await, 1);
}

#[tokio::test]
async fn keys_are_per_user_and_per_endpoint() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let other_admin = app.sign_up("admin2", "admin", None).await;
    for (s, code) in [(&admin, "U1"), (&other_admin, "U2")] {
        let unit = json!({"code": code, "name": code, "kind": "department"});
        ok(
            s.post_keyed("/api/v1/units", "shared-key", &unit).await,
            201,
        )
        .await;
    }
    assert_eq!(admin.total("/api/v1/units").await, 2);
    // The same key on another endpoint is another request.
    let user = json!({"username": "someone", "password": PASSWORD, "role": "viewer"});
    let r = admin.post_keyed("/api/v1/users", "shared-key", &user).await;
    REUSED.check(r).await;
}

#[tokio::test]
async fn a_failed_create_does_not_burn_the_key() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let send = |username: &str| {
        let body = json!({"username": username, "password": PASSWORD, "role": "viewer"});
        let admin = &admin;
        async move { admin.post_keyed("/api/v1/users", "k-42", &body).await }
    };
    assert_eq!(send("x").await.status(), 422);
    assert_eq!(send("xavier").await.status(), 201);
}
