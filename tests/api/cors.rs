//! Cross-origin access is configuration: only the origins of `BM_CORS_ORIGINS` get CORS
//! headers, preflights are answered for every route, and scripts may read the headers the API
//! is used through.

use reqwest::{Method, Response};
use serde_json::json;

use crate::helpers::*;

const FRONTEND: &str = "http://127.0.0.1:18101";
const OTHER: &str = "http://127.0.0.1:18102";

async fn spawn_with_origins(origins: &[&str]) -> TestApp {
    let scratch = Scratch::new().await;
    let mut settings = test_settings(scratch.dir.clone(), scratch.url.clone());
    settings.cors_origins = origins.iter().map(|o| o.to_string()).collect();
    spawn_with(settings).await.owning(scratch)
}

fn header(r: &Response, name: &str) -> Option<String> {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_ascii_lowercase())
}

/// Asserts that a header's list names every one of the space-separated `names`.
fn assert_names(list: &str, names: &str) {
    for name in names.split(' ') {
        assert!(list.contains(name), "{name} in {list}");
    }
}

fn cors_headers(r: &Response) -> Vec<String> {
    r.headers()
        .keys()
        .map(|k| k.as_str().to_string())
        .filter(|k| k.starts_with("access-control-"))
        .collect()
}

async fn preflight(app: &TestApp, origin: &str, path: &str, method: &str) -> Response {
    app.client
        .request(Method::OPTIONS, app.url(path))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method)
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type, if-match, idempotency-key, x-request-id",
        )
        .send()
        .await
        .unwrap()
}

/// `GET /api/v1/me` from a page of `origin`.
async fn me_from(app: &TestApp, origin: &str, token: &str) -> Response {
    let r = app.client.get(app.url("/api/v1/me"));
    let r = r.header("Origin", origin).bearer_auth(token);
    r.send().await.unwrap()
}

#[tokio::test]
async fn a_configured_origin_gets_preflights_for_every_route_and_reads_the_api_headers() {
    let app = spawn_with_origins(&[FRONTEND]).await;
    let id = uuid::Uuid::new_v4();
    for (path, method) in [
        ("/api/v1/auth/token".to_string(), "POST"),
        (format!("/api/v1/submissions/{id}"), "PUT"),
        (format!("/api/v1/units/{id}"), "PATCH"),
        (format!("/api/v1/items/{id}/indicators/{id}"), "DELETE"),
        (format!("/api/v1/periods/{id}/report.xlsx"), "GET"),
    ] {
        let r = preflight(&app, FRONTEND, &path, method).await;
        assert_eq!(r.status(), 200, "{method} {path}");
        assert_eq!(
            header(&r, "access-control-allow-origin").as_deref(),
            Some(FRONTEND)
        );
        let methods = header(&r, "access-control-allow-methods").unwrap();
        assert!(methods.contains(&method.to_ascii_lowercase()), "{methods}");
        let allowed = header(&r, "access-control-allow-headers").unwrap();
        let used = "authorization content-type if-match idempotency-key x-request-id";
        assert_names(&allowed, used);
    }
    // An actual request: answered with the origin allowed and the API's headers exposed.
    let r = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .header("Origin", FRONTEND)
        .json(&json!({"username": "admin", "password": ADMIN_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        header(&r, "access-control-allow-origin").as_deref(),
        Some(FRONTEND)
    );
    let exposed = header(&r, "access-control-expose-headers").unwrap();
    let api = "etag location x-request-id idempotent-replayed retry-after";
    assert_names(&exposed, api);
    assert!(header(&r, "access-control-allow-credentials").is_none());
}

#[tokio::test]
async fn an_origin_that_is_not_configured_gets_no_cors_header() {
    let app = spawn_with_origins(&[FRONTEND]).await;
    let r = preflight(&app, OTHER, "/api/v1/auth/token", "POST").await;
    assert!(cors_headers(&r).is_empty(), "{:?}", cors_headers(&r));
    let p = assert_problem(r, 400, "invalid_header").await;
    assert!(p["detail"].as_str().unwrap().contains("Origin"), "{p}");
    // Its request is still served (a non-browser client may send any Origin), but a browser
    // gets nothing it may hand to the page.
    let token = app.admin().await;
    for origin in [OTHER, "null"] {
        let r = me_from(&app, origin, &token).await;
        assert_eq!(r.status(), 200);
        assert!(
            cors_headers(&r).is_empty(),
            "{origin}: {:?}",
            cors_headers(&r)
        );
    }
    // Requests without an Origin (curl, servers) carry no CORS header either.
    let r = app.get("/api/v1/me", &token).await;
    assert!(cors_headers(&r).is_empty(), "{:?}", cors_headers(&r));
}

#[tokio::test]
async fn without_configured_origins_no_origin_gets_cors_headers() {
    let app = spawn_app().await;
    assert!(app.settings.cors_origins.is_empty());
    let r = preflight(&app, FRONTEND, "/api/v1/auth/token", "POST").await;
    assert!(cors_headers(&r).is_empty());
    assert_problem(r, 405, "method_not_allowed").await;
    let token = app.admin().await;
    let r = me_from(&app, FRONTEND, &token).await;
    assert_eq!(r.status(), 200);
    assert!(cors_headers(&r).is_empty());
}

#[tokio::test]
async fn a_configured_origin_can_read_why_its_query_string_was_refused() {
    let app = spawn_with_origins(&[FRONTEND]).await;
    let r = preflight(&app, FRONTEND, "/api/v1/units?bogus=1", "GET").await;
    assert_eq!(r.status(), 200);
    let token = app.admin().await;
    for (query, status, code) in [
        ("bogus=1", 400, "invalid_query_parameter"),
        ("kind=department%00", 422, "validation_failed"),
    ] {
        let r = app
            .send(
                app.client
                    .get(app.url(&format!("/api/v1/units?{query}")))
                    .header("Origin", FRONTEND)
                    .bearer_auth(&token),
            )
            .await;
        assert_eq!(
            header(&r, "access-control-allow-origin").as_deref(),
            Some(FRONTEND),
            "{query}"
        );
        assert!(header(&r, "x-request-id").is_some(), "{query}");
        assert_problem(r, status, code).await;
    }
}

#[tokio::test]
async fn a_preflight_asking_for_a_method_or_header_the_api_does_not_take_gets_a_problem() {
    let app = spawn_with_origins(&[FRONTEND]).await;
    let ask = |method: &'static str, headers: &'static str| {
        let r = app
            .client
            .request(Method::OPTIONS, app.url("/api/v1/units"));
        let r = r.header("Origin", FRONTEND);
        r.header("Access-Control-Request-Method", method)
            .header("Access-Control-Request-Headers", headers)
            .send()
    };
    let r = ask("POST", "x-custom").await.unwrap();
    assert!(r.headers().contains_key("x-request-id"));
    let p = assert_problem(r, 400, "invalid_header").await;
    assert!(p["detail"].as_str().unwrap().contains("header"), "{p}");
    let r = ask("TRACE", "content-type").await.unwrap();
    let p = assert_problem(r, 400, "invalid_header").await;
    assert!(p["detail"].as_str().unwrap().contains("method"), "{p}");
}
