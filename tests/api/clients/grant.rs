//! `POST /auth/token` with `grant_type=client_credentials` (RFC 6749 §4.4): the id and secret
//! in HTTP Basic or in the form, a short-lived bearer token, and RFC 6749 §5.2 errors; the
//! JSON password sign-in unchanged beside it.

use serde_json::{json, Value};

use super::*;

#[tokio::test]
async fn a_client_gets_a_short_lived_token_with_basic_or_with_the_form() {
    let app = spawn_app().await;
    let c = viewer_client(&app, "province-platform").await;
    let r = try_token(&app, &c.id, &c.secret).await;
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_eq!(r.headers()["pragma"], "no-cache");
    let v = ok(r, 200).await;
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 900, "15 minutes by default");
    let token = v["access_token"].as_str().unwrap().to_string();
    let me = ok(app.get("/api/v1/me", &token).await, 200).await;
    assert_eq!(me["id"], c.body["id"]);
    assert_eq!(me["username"], "client:province-platform");
    assert_eq!(me["role"], "viewer");

    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", c.id.as_str()),
        ("client_secret", c.secret.as_str()),
        ("scope", "anything"),
    ];
    let v = ok(token_request(&app, None, &form).await, 200).await;
    let token = v["access_token"].as_str().unwrap();
    ok(app.get("/api/v1/units", token).await, 200).await;
    // Basic with the client_id repeated in the form is the same client.
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", c.id.as_str()),
    ];
    let basic = Some((c.id.as_str(), c.secret.as_str()));
    ok(token_request(&app, basic, &form).await, 200).await;
}

#[tokio::test]
async fn a_token_never_outlives_its_clients_expiry() {
    let app = spawn_app().await;
    let soon = (chrono::Utc::now() + chrono::Duration::seconds(120)).to_rfc3339();
    let c = new_client(
        &app,
        json!({"name": "short-lived", "role": "viewer", "expires_at": soon}),
    )
    .await;
    let v = ok(try_token(&app, &c.id, &c.secret).await, 200).await;
    let lives = v["expires_in"].as_i64().unwrap();
    assert!((100..=120).contains(&lives), "{lives}");
}

#[tokio::test]
async fn malformed_client_credentials_requests_get_rfc_6749_errors() {
    let app = spawn_app().await;
    let c = viewer_client(&app, "province-platform").await;
    let (id, secret) = (c.id.as_str(), c.secret.as_str());
    let basic = Some((id, secret));
    let cc = ("grant_type", "client_credentials");
    for (basic, form, status, error) in [
        (basic, vec![], 400, "invalid_request"),
        (
            basic,
            vec![("grant_type", "password"), ("username", "admin")],
            400,
            "unsupported_grant_type",
        ),
        (
            None,
            vec![("grant_type", "authorization_code")],
            400,
            "unsupported_grant_type",
        ),
        (basic, vec![cc, cc], 400, "invalid_request"),
        (
            basic,
            vec![cc, ("client_secret", secret)],
            400,
            "invalid_request",
        ),
        (None, vec![cc, ("client_id", id)], 401, "invalid_client"),
        (None, vec![cc], 401, "invalid_client"),
        (Some((id, "wrong")), vec![cc], 401, "invalid_client"),
        (
            None,
            vec![cc, ("client_id", "not-a-uuid"), ("client_secret", secret)],
            401,
            "invalid_client",
        ),
    ] {
        let r = token_request(&app, basic, &form).await;
        let v = assert_oauth_error(r, status, error).await;
        assert_eq!(v["instance"], "/api/v1/auth/token");
    }
    let r = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/token"))
                .header("Authorization", "Basic not base64!")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("grant_type=client_credentials"),
        )
        .await;
    assert_oauth_error(r, 401, "invalid_client").await;
    // Basic alone, without a body, still asks for a grant type.
    let r = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/token"))
                .basic_auth(id, Some(secret)),
        )
        .await;
    assert_oauth_error(r, 400, "invalid_request").await;
}

#[tokio::test]
async fn the_json_password_sign_in_is_as_it_was() {
    let app = spawn_app().await;
    let c = viewer_client(&app, "province-platform").await;
    let v: Value = ok(app.try_login("admin", ADMIN_PASSWORD).await, 200).await;
    assert_eq!(v["expires_in"], 3600);
    assert_problem(
        app.try_login("admin", "wrong password").await,
        401,
        "invalid_credentials",
    )
    .await;
    // Client credentials are not JSON fields, and a JSON body with Basic is a password sign-in.
    let r = app
        .send(app.client.post(app.url("/api/v1/auth/token")).json(
            &json!({"grant_type": "client_credentials", "client_id": c.id, "client_secret": c.secret}),
        ))
        .await;
    let p = assert_problem(r, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["code"], "unknown_field");
    let r = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/token"))
                .basic_auth(&c.id, Some(&c.secret))
                .json(&json!({"username": "admin", "password": ADMIN_PASSWORD})),
        )
        .await;
    let v = ok(r, 200).await;
    let me = ok(
        app.get("/api/v1/me", v["access_token"].as_str().unwrap())
            .await,
        200,
    )
    .await;
    assert_eq!(me["username"], "admin");
    let r = app
        .send(
            app.client
                .post(app.url("/api/v1/auth/token"))
                .body("grant_type=client_credentials"),
        )
        .await;
    assert_problem(r, 415, "unsupported_media_type").await;
}
