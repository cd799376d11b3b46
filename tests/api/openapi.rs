use serde_json::Value;

use crate::helpers::*;

#[test]
fn the_committed_spec_matches_the_code() {
    let generated = budget_monitor::http::openapi_json();
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .unwrap_or_default();
    assert!(
        generated == committed,
        "openapi/openapi.json is out of date; run: cargo run -- openapi > openapi/openapi.json"
    );
}

#[test]
fn every_operation_is_documented_for_integrators() {
    let spec: Value = serde_json::from_str(&budget_monitor::http::openapi_json()).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{method} {path} summary"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path} tags"
            );
            if path.starts_with("/api/v1") && path != "/api/v1/auth/token" {
                assert!(op["security"].is_array(), "{method} {path} security");
                for status in ["401", "403", "422", "500"] {
                    let r = &op["responses"][status];
                    assert!(
                        r["content"]["application/problem+json"].is_object(),
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn the_service_serves_its_spec_and_an_offline_docs_page() {
    let app = spawn_app().await;
    let served: Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let generated: Value = serde_json::from_str(&budget_monitor::http::openapi_json()).unwrap();
    assert_eq!(served, generated);
    let page = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger"));
    assert!(
        !html.contains("cdn"),
        "the docs page loads nothing from a CDN"
    );
    let js = app
        .client
        .get(app.url("/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    let redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(app.url("/docs"))
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.headers()["location"], "/docs/");
}
