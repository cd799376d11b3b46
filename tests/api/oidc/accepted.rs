//! A provider's token signs in the local user it names, with the local user's role and unit.

use serde_json::{json, Value};

use super::idp::*;
use crate::helpers::*;

/// GET /api/v1/me with `token`: 200 and its body.
async fn me(app: &TestApp, token: &str) -> Value {
    ok(app.get("/api/v1/me", token).await, 200).await
}

#[tokio::test]
async fn an_rs256_token_signs_in_the_local_user_with_the_local_role_and_unit() {
    let key = SigningKey::rsa("rsa-1");
    let idp = Idp::start(&[&key]).await;
    let app = spawn_app_with_sso(idp.settings()).await;
    let unit = app.unit("SSO-UNIT").await.id;
    app.sign_up("li.wei", "reporter", Some(unit)).await;

    // What the token says about roles and units counts for nothing.
    let claims = with(
        &idp.claims("li.wei"),
        json!({"role": "admin", "roles": ["admin"], "unit_id": null, "groups": ["admin"]}),
    );
    let token = key.sign(&claims);
    let v = me(&app, &token).await;
    assert_eq!(v["username"], "li.wei");
    assert_eq!(v["role"], "reporter");
    assert_eq!(v["unit_id"], unit.to_string());
    assert_problem(app.get("/api/v1/users", &token).await, 403, "forbidden").await;
    // Keys from discovery, fetched once and kept.
    me(&app, &token).await;
    assert_eq!((idp.discovery_fetches(), idp.jwks_fetches()), (1, 1));

    // The service's own tokens work as before, beside the provider's.
    let admin = app.as_admin().await;
    assert_eq!(me(&app, &admin).await["role"], "admin");
    assert_eq!(
        me(&app, &app.session("li.wei", PASSWORD).await).await["username"],
        "li.wei"
    );
}

#[tokio::test]
async fn an_es256_token_works_with_a_configured_key_set_and_username_claim() {
    let key = SigningKey::p256("ec-1");
    let idp = Idp::start(&[&key]).await;
    let mut settings = idp.settings();
    settings.jwks_url = Some(idp.jwks_url.clone());
    settings.username_claim = "employee_id".into();
    let app = spawn_app_with_sso(settings).await;
    app.sign_up("e10027", "finance", None).await;

    let claims = with(
        &idp.claims("somebody-else"),
        json!({"employee_id": "e10027", "aud": ["account", AUDIENCE]}),
    );
    let v = me(&app, &key.sign(&claims)).await;
    assert_eq!(v["username"], "e10027");
    assert_eq!(v["role"], "finance");
    assert_eq!(
        idp.discovery_fetches(),
        0,
        "the key set's URL was configured"
    );
    assert_eq!(idp.jwks_fetches(), 1);

    // Without the configured claim there is nobody to sign in.
    let r = app
        .get("/api/v1/me", &key.sign(&idp.claims("e10027")))
        .await;
    assert_problem(r, 401, "invalid_token").await;
}

#[tokio::test]
async fn a_role_or_unit_change_of_the_local_user_takes_effect_at_once() {
    let key = SigningKey::rsa("rsa-1");
    let idp = Idp::start(&[&key]).await;
    let app = spawn_app_with_sso(idp.settings()).await;
    let admin = app.as_admin().await;
    let unit = app.unit("SSO-UNIT").await.id;
    app.sign_up("zhang.min", "reporter", Some(unit)).await;
    let token = key.sign(&idp.claims("zhang.min"));
    let v = me(&app, &token).await;
    assert_eq!(v["role"], "reporter");
    let id = v["id"].as_str().unwrap().to_string();

    let r = admin
        .patch(
            &format!("/api/v1/users/{id}"),
            Some("\"1\""),
            json!({"role": "finance", "unit_id": null}),
        )
        .await;
    ok(r, 200).await;
    // The same token, unchanged: the new role, no unit.
    let v = me(&app, &token).await;
    assert_eq!(v["role"], "finance");
    assert_eq!(v["unit_id"], Value::Null);
    ok(app.get("/api/v1/periods", &token).await, 200).await;
}

#[tokio::test]
async fn a_token_just_past_exp_or_just_before_nbf_passes_within_the_leeway() {
    let key = SigningKey::p256("ec-1");
    let idp = Idp::start(&[&key]).await;
    let app = spawn_app_with_sso(idp.settings()).await;
    app.sign_up("wang.fang", "viewer", None).await;
    let now = chrono::Utc::now().timestamp();
    let skewed = with(
        &idp.claims("wang.fang"),
        json!({"exp": now - 10, "nbf": now + 10, "iat": now + 10}),
    );
    assert_eq!(me(&app, &key.sign(&skewed)).await["username"], "wang.fang");
}
