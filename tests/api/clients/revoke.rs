//! Stopping a client: wrong secrets throttled like passwords, a disabled client's tokens
//! refused at once, an expired client refused, a rotated secret replacing the old one.

use serde_json::json;

use super::*;

#[tokio::test]
async fn wrong_secrets_get_401_and_then_429_like_wrong_passwords() {
    within_one_window().await;
    let app = spawn_app().await;
    let c = viewer_client(&app, "province-platform").await;
    for _ in 0..5 {
        let r = try_token(&app, &c.id, "not-the-secret").await;
        assert_oauth_error(r, 401, "invalid_client").await;
    }
    let r = try_token(&app, &c.id, &c.secret).await;
    assert!(r.headers().contains_key("retry-after"));
    assert_problem(r, 429, "login_throttled").await;
    // Another address is not held back.
    let elsewhere = client_from("127.0.0.7");
    let resp = elsewhere
        .post(app.url("/api/v1/auth/token"))
        .basic_auth(&c.id, Some(&c.secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let admin = app.as_admin().await;
    let failed = ok(
        admin
            .get("/api/v1/audit-events?action=auth.client_token_failed")
            .await,
        200,
    )
    .await;
    assert_eq!(failed["total"], 5);
    assert_eq!(failed["items"][0]["after"]["reason"], "wrong_secret");
    assert_eq!(failed["items"][0]["resource_id"], c.id);
    let throttled = ok(
        admin
            .get("/api/v1/audit-events?action=auth.login_throttled")
            .await,
        200,
    )
    .await;
    assert_eq!(throttled["total"], 1);
}

#[tokio::test]
async fn a_disabled_clients_tokens_stop_working_at_once() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let c = viewer_client(&app, "province-platform").await;
    let other = viewer_client(&app, "other-platform").await;
    let token = token_of(&app, &c).await;
    let bystander = token_of(&app, &other).await;
    ok(app.get("/api/v1/units", &token).await, 200).await;
    let one = format!("/api/v1/clients/{}", c.id);
    ok(
        admin
            .patch(&one, Some("\"1\""), json!({"enabled": false}))
            .await,
        200,
    )
    .await;
    assert_problem(app.get("/api/v1/units", &token).await, 401, "invalid_token").await;
    ok(app.get("/api/v1/units", &bystander).await, 200).await;
    let v = assert_oauth_error(
        try_token(&app, &c.id, &c.secret).await,
        401,
        "invalid_client",
    )
    .await;
    assert_eq!(v["detail"], "this client is disabled");
    // Enabled again, it asks for a new token; the old one stays dead.
    ok(
        admin
            .patch(&one, Some("\"2\""), json!({"enabled": true}))
            .await,
        200,
    )
    .await;
    assert_problem(app.get("/api/v1/units", &token).await, 401, "invalid_token").await;
    let fresh = token_of(&app, &c).await;
    ok(app.get("/api/v1/units", &fresh).await, 200).await;
    // A new name keeps the client's tokens.
    ok(
        admin
            .patch(&one, Some("\"3\""), json!({"name": "renamed"}))
            .await,
        200,
    )
    .await;
    let me = ok(app.get("/api/v1/me", &fresh).await, 200).await;
    assert_eq!(me["username"], "client:renamed");
}

#[tokio::test]
async fn an_expired_client_gets_no_token() {
    let app = spawn_app().await;
    app.as_admin().await;
    let soon = chrono::Utc::now() + chrono::Duration::seconds(3);
    let body = json!({"name": "short-lived", "role": "viewer", "expires_at": soon.to_rfc3339()});
    let c = new_client(&app, body).await;
    let left = soon - chrono::Utc::now() + chrono::Duration::milliseconds(100);
    tokio::time::sleep(left.to_std().unwrap_or_default()).await;
    let v = assert_oauth_error(
        try_token(&app, &c.id, &c.secret).await,
        401,
        "invalid_client",
    )
    .await;
    assert_eq!(v["detail"], "this client has expired");
    let admin = app.as_admin().await;
    let read = ok(admin.get(&format!("/api/v1/clients/{}", c.id)).await, 200).await;
    assert_eq!(read["expired"], true);
    let wrong =
        assert_oauth_error(try_token(&app, &c.id, "wrong").await, 401, "invalid_client").await;
    assert!(
        !wrong["detail"].as_str().unwrap().contains("expired"),
        "only the secret's holder learns why"
    );
}

#[tokio::test]
async fn a_rotated_secret_replaces_the_old_one_and_ends_its_tokens() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let c = viewer_client(&app, "province-platform").await;
    let token = token_of(&app, &c).await;
    let r = admin
        .post(&format!("/api/v1/clients/{}/rotate", c.id), json!({}))
        .await;
    assert_eq!(etag_of(&r), "\"2\"");
    let rotated = ok(r, 200).await;
    let new_secret = rotated["client_secret"].as_str().unwrap();
    assert_ne!(new_secret, c.secret);
    assert_eq!(rotated["version"], 2);
    assert_oauth_error(
        try_token(&app, &c.id, &c.secret).await,
        401,
        "invalid_client",
    )
    .await;
    assert_problem(app.get("/api/v1/units", &token).await, 401, "invalid_token").await;
    let v = ok(try_token(&app, &c.id, new_secret).await, 200).await;
    ok(
        app.get("/api/v1/units", v["access_token"].as_str().unwrap())
            .await,
        200,
    )
    .await;
    let r = admin
        .post(
            &format!("/api/v1/clients/{}/rotate", uuid::Uuid::nil()),
            json!({}),
        )
        .await;
    assert_problem(r, 404, "not_found").await;
    let audit = ok(
        admin
            .get("/api/v1/audit-events?action=api_client.rotate_secret")
            .await,
        200,
    )
    .await;
    let e = &audit["items"][0];
    assert_eq!(e["actor_username"], "admin");
    assert_eq!(e["before"]["version"], 1);
    assert_eq!(e["after"]["version"], 2);
    assert!(!audit.to_string().contains(new_secret));
}
