use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn a_user_signs_in_and_reads_who_it_is() {
    let app = spawn_app().await;
    let r = app.try_login("admin", ADMIN_PASSWORD).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 3600);
    let token = v["access_token"].as_str().unwrap();
    let me: Value = app.get("/api/v1/me", token).await.json().await.unwrap();
    assert_eq!(me["username"], "admin");
    assert_eq!(me["role"], "admin");
    assert!(me.get("password_hash").is_none());
}

#[tokio::test]
async fn a_wrong_password_or_unknown_user_gets_401_invalid_credentials() {
    let app = spawn_app().await;
    assert_problem(
        app.try_login("admin", "wrong-password!").await,
        401,
        "invalid_credentials",
    )
    .await;
    assert_problem(
        app.try_login("nobody", "wrong-password!").await,
        401,
        "invalid_credentials",
    )
    .await;
}

fn forge(claims: Value, secret: &str, alg: Algorithm) -> String {
    encode(
        &Header::new(alg),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn b64(s: &str) -> String {
    // URL-safe base64 without padding, as JWT segments are written.
    const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, x)| acc | (*x as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[tokio::test]
async fn every_kind_of_bad_token_gets_401_with_www_authenticate_and_never_500() {
    let app = spawn_app().await;
    let me: Value = app
        .get("/api/v1/me", &app.admin().await)
        .await
        .json()
        .await
        .unwrap();
    let sub = me["id"].as_str().unwrap();
    let now = chrono::Utc::now().timestamp();
    let valid_claims =
        json!({"sub": sub, "role": "admin", "unit_id": null, "iat": now, "exp": now + 600});
    let header_none = b64(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = b64(&valid_claims.to_string());
    let string_exp = forge(
        json!({"sub": sub, "role": "admin", "unit_id": null, "iat": now, "exp": (now + 600).to_string()}),
        JWT_SECRET,
        Algorithm::HS256,
    );
    let cases: Vec<(&str, Option<String>, &str)> = vec![
        ("missing", None, "missing_token"),
        (
            "not a bearer scheme",
            Some("Basic YWRtaW46YWRtaW4=".into()),
            "invalid_token",
        ),
        (
            "malformed",
            Some("Bearer not-a-jwt".into()),
            "invalid_token",
        ),
        ("empty", Some("Bearer ".into()), "invalid_token"),
        (
            "expired",
            Some(format!(
                "Bearer {}",
                forge(
                    json!({"sub": sub, "role": "admin", "unit_id": null, "iat": now - 7200, "exp": now - 3600}),
                    JWT_SECRET,
                    Algorithm::HS256
                )
            )),
            "invalid_token",
        ),
        (
            "wrong signature",
            Some(format!(
                "Bearer {}",
                forge(
                    valid_claims.clone(),
                    "another-secret-0123456789-0123456789",
                    Algorithm::HS256
                )
            )),
            "invalid_token",
        ),
        (
            "other HMAC algorithm",
            Some(format!(
                "Bearer {}",
                forge(valid_claims.clone(), JWT_SECRET, Algorithm::HS512)
            )),
            "invalid_token",
        ),
        (
            "alg none",
            Some(format!("Bearer {header_none}.{payload}.")),
            "invalid_token",
        ),
        (
            "string exp",
            Some(format!("Bearer {string_exp}")),
            "invalid_token",
        ),
        (
            "unknown user",
            Some(format!(
                "Bearer {}",
                forge(
                    json!({"sub": uuid::Uuid::new_v4(), "role": "admin", "unit_id": null, "iat": now, "exp": now + 600}),
                    JWT_SECRET,
                    Algorithm::HS256
                )
            )),
            "invalid_token",
        ),
    ];
    for (what, header, code) in cases {
        let mut r = app.client.get(app.url("/api/v1/me"));
        if let Some(h) = &header {
            r = r.header("Authorization", h);
        }
        let resp = r.send().await.unwrap();
        let www = resp
            .headers()
            .get("www-authenticate")
            .map(|h| h.to_str().unwrap().to_string())
            .unwrap_or_default();
        assert!(
            www.starts_with("Bearer"),
            "{what}: WWW-Authenticate {www:?}"
        );
        assert_problem(resp, 401, code).await;
    }
    // The genuine article still works.
    let good = forge(valid_claims, JWT_SECRET, Algorithm::HS256);
    assert_eq!(app.get("/api/v1/me", &good).await.status(), 200);
}

#[tokio::test]
async fn a_deactivated_users_tokens_stop_working_at_once() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (id, token) = app.create_user(&admin, "leaving", "viewer", None).await;
    assert_eq!(app.get("/api/v1/me", &token).await.status(), 200);
    let r = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            Some("\"1\""),
            json!({"active": false}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_problem(app.get("/api/v1/me", &token).await, 401, "invalid_token").await;
    assert_problem(
        app.try_login("leaving", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn five_failed_logins_throttle_the_username_with_retry_after() {
    within_one_window().await;
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_problem(
            app.try_login("admin", "wrong-password!").await,
            401,
            "invalid_credentials",
        )
        .await;
    }
    // Even the right password waits now.
    let r = app.try_login("admin", ADMIN_PASSWORD).await;
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "Retry-After {retry}");
    assert_problem(r, 429, "login_throttled").await;
    // Another username is not affected.
    assert_problem(
        app.try_login("someone-else", "wrong-password!").await,
        401,
        "invalid_credentials",
    )
    .await;
}

#[tokio::test]
async fn the_throttle_is_kept_in_the_database_so_a_second_instance_enforces_it() {
    within_one_window().await;
    let app = spawn_app().await;
    for _ in 0..5 {
        app.try_login("admin", "wrong-password!").await;
    }
    let second = spawn_with(app.settings.clone()).await;
    assert_problem(
        second.try_login("admin", ADMIN_PASSWORD).await,
        429,
        "login_throttled",
    )
    .await;
}

#[tokio::test]
async fn a_successful_login_clears_earlier_failures() {
    let app = spawn_app().await;
    for _ in 0..4 {
        app.try_login("admin", "wrong-password!").await;
    }
    app.admin().await;
    for _ in 0..4 {
        app.try_login("admin", "wrong-password!").await;
    }
    assert_eq!(app.try_login("admin", ADMIN_PASSWORD).await.status(), 200);
}

#[tokio::test]
async fn on_sqlite_without_a_configured_secret_tokens_survive_a_restart() {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|s| !s.is_empty()) {
        return; // PostgreSQL always needs a configured secret
    }
    let scratch = Scratch::new().await;
    let dir = scratch.dir.clone();
    let url = format!("sqlite://{}?mode=rwc", dir.join("db.sqlite").display());
    let mut settings = test_settings(dir.clone(), url);
    settings.jwt_secret = None;
    let first = spawn_with(settings.clone()).await;
    let token = first.admin().await;
    assert!(dir.join("jwt-secret").exists());
    let restarted = spawn_with(settings).await;
    assert_eq!(restarted.get("/api/v1/me", &token).await.status(), 200);
}

#[tokio::test]
async fn postgres_settings_without_a_secret_are_refused() {
    for (k, v) in [
        ("DATABASE_URL", "postgres://localhost/x"),
        ("BM_JWT_SECRET", ""),
    ] {
        // Only this test reads these variables through from_env.
        std::env::set_var(k, v);
    }
    let err = budget_monitor::config::Settings::from_env().unwrap_err();
    assert!(err.contains("BM_JWT_SECRET"), "{err}");
    std::env::remove_var("DATABASE_URL");
}

#[tokio::test]
async fn login_accepts_only_post() {
    let app = spawn_app().await;
    let r = app
        .req(Method::GET, "/api/v1/auth/token", None)
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["allow"], "POST");
    assert_problem(r, 405, "method_not_allowed").await;
}
