//! The provider's key set: fetched when first needed, fetched again for an unknown `kid` at most
//! once a minute and once for many requests, and a provider that cannot be reached costs its
//! tokens a 401, never the service its readiness.

use std::time::Duration;

use serde_json::Value;

use super::idp::*;
use crate::helpers::*;

async fn status(app: &TestApp, token: &str) -> u16 {
    app.get("/api/v1/me", token).await.status().as_u16()
}

#[tokio::test]
async fn a_rotated_key_is_fetched_when_a_token_names_it() {
    let old = SigningKey::rsa("2026-01");
    let new = SigningKey::p256("2026-07");
    let idp = Idp::start(&[&old]).await;
    let mut settings = idp.settings();
    settings.min_refresh = Duration::from_millis(500);
    let app = spawn_app_with_sso(settings).await;
    app.sign_up("li.wei", "viewer", None).await;
    let claims = idp.claims("li.wei");
    assert_eq!(status(&app, &old.sign(&claims)).await, 200);
    assert_eq!(idp.jwks_fetches(), 1);

    // The provider rotates: the new key in, the old one out.
    idp.serve(&[&new]);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(status(&app, &new.sign(&claims)).await, 200);
    assert_eq!(idp.jwks_fetches(), 2);
    assert_eq!(status(&app, &new.sign(&claims)).await, 200);
    assert_eq!(idp.jwks_fetches(), 2, "a known key needs no fetch");
    // The old key left the set with that fetch.
    assert_eq!(status(&app, &old.sign(&claims)).await, 401);
}

#[tokio::test]
async fn an_unknown_kid_fetches_the_key_set_at_most_once_a_minute() {
    let known = SigningKey::rsa("rsa-1");
    let unknown = SigningKey::p256("not-yet");
    let idp = Idp::start(&[&known]).await;
    let app = spawn_app_with_sso(idp.settings()).await;
    app.sign_up("li.wei", "viewer", None).await;
    let claims = idp.claims("li.wei");

    // The first token fetches the set; its key is not in it.
    assert_eq!(status(&app, &unknown.sign(&claims)).await, 401);
    assert_eq!(idp.jwks_fetches(), 1);
    assert_eq!(status(&app, &unknown.sign(&claims)).await, 401);
    assert_eq!(idp.jwks_fetches(), 1, "unknown twice in a row fetches once");

    // Even once the provider serves it: not before the minute is over.
    idp.serve(&[&known, &unknown]);
    for _ in 0..3 {
        assert_eq!(status(&app, &unknown.sign(&claims)).await, 401);
    }
    assert_eq!(idp.jwks_fetches(), 1);
    // Known keys are unaffected.
    assert_eq!(status(&app, &known.sign(&claims)).await, 200);
    assert_eq!((idp.discovery_fetches(), idp.jwks_fetches()), (1, 1));
}

#[tokio::test]
async fn requests_arriving_together_fetch_the_key_set_once() {
    let key = SigningKey::p256("ec-1");
    let idp = Idp::start(&[&key]).await;
    let app = spawn_app_with_sso(idp.settings()).await;
    app.sign_up("li.wei", "viewer", None).await;
    let token = key.sign(&idp.claims("li.wei"));
    let unknown = SigningKey::p256("ec-2").sign(&idp.claims("li.wei"));
    let requests = (0..12).map(|i| {
        let t = if i % 3 == 0 { &unknown } else { &token };
        status(&app, t)
    });
    let statuses = futures_util::future::join_all(requests).await;
    let expected: Vec<u16> = (0..12)
        .map(|i| if i % 3 == 0 { 401 } else { 200 })
        .collect();
    assert_eq!(statuses, expected);
    assert_eq!((idp.discovery_fetches(), idp.jwks_fetches()), (1, 1));
}

#[tokio::test]
async fn a_provider_that_fails_costs_its_tokens_a_401_and_the_service_nothing() {
    let key = SigningKey::rsa("rsa-1");
    let idp = Idp::start(&[&key]).await;
    idp.fail(true);
    let mut settings = idp.settings();
    settings.min_refresh = Duration::from_millis(300);
    let app = spawn_app_with_sso(settings).await;
    app.sign_up("li.wei", "viewer", None).await;
    let token = key.sign(&idp.claims("li.wei"));

    assert_problem(app.get("/api/v1/me", &token).await, 401, "invalid_token").await;
    assert_eq!(idp.jwks_fetches(), 1);
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let admin = app.as_admin().await;
    ok(admin.get("/api/v1/me").await, 200).await;

    // Once the provider answers again, the next fetch brings its keys.
    idp.fail(false);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let v: Value = ok(app.get("/api/v1/me", &token).await, 200).await;
    assert_eq!(v["username"], "li.wei");
    assert_eq!(idp.jwks_fetches(), 2);
}

#[tokio::test]
async fn an_unreachable_key_set_or_a_discovery_for_another_issuer_gives_401() {
    let key = SigningKey::rsa("rsa-1");
    let idp = Idp::start(&[&key]).await;

    // Nothing listens at the configured key set's address.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let mut settings = idp.settings();
    settings.jwks_url = Some(format!("http://127.0.0.1:{port}/keys"));
    let app = spawn_app_with_sso(settings).await;
    app.sign_up("li.wei", "viewer", None).await;
    let r = app
        .get("/api/v1/me", &key.sign(&idp.claims("li.wei")))
        .await;
    assert_problem(r, 401, "invalid_token").await;
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);

    // Configured with the issuer's URL spelled differently (a trailing slash): discovery names
    // the issuer without it, and tokens carrying it are not trusted.
    let mut settings = idp.settings();
    settings.issuer = format!("{}/", idp.issuer);
    let app = spawn_app_with_sso(settings).await;
    app.sign_up("li.wei", "viewer", None).await;
    let claims = with(
        &idp.claims("li.wei"),
        serde_json::json!({"iss": format!("{}/", idp.issuer)}),
    );
    let r = app.get("/api/v1/me", &key.sign(&claims)).await;
    assert_problem(r, 401, "invalid_token").await;
    assert_eq!(idp.discovery_fetches(), 1);
    assert_eq!(idp.jwks_fetches(), 0);
}
