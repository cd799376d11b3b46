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

fn spec() -> Value {
    serde_json::from_str(&budget_monitor::http::openapi_json()).unwrap()
}

/// The problem codes the service can answer, with their statuses.
const CODES: [(&str, u16); 31] = [
    ("validation_failed", 422),
    ("malformed_json", 400),
    ("unsupported_media_type", 415),
    ("payload_too_large", 413),
    ("invalid_path_parameter", 400),
    ("invalid_query_parameter", 400),
    ("invalid_header", 400),
    ("missing_token", 401),
    ("invalid_token", 401),
    ("invalid_credentials", 401),
    ("forbidden", 403),
    ("not_found", 404),
    ("route_not_found", 404),
    ("method_not_allowed", 405),
    ("conflict", 409),
    ("invalid_transition", 409),
    ("already_exists", 409),
    ("locked", 409),
    ("period_not_open", 409),
    ("precondition_required", 428),
    ("precondition_failed", 412),
    ("idempotency_key_reused", 422),
    ("idempotency_key_in_flight", 409),
    ("login_throttled", 429),
    ("database_unavailable", 503),
    ("internal_error", 500),
    ("not_xlsx", 415),
    ("workbook_encrypted", 422),
    ("workbook_damaged", 400),
    ("not_a_form_template", 422),
    ("cursor_expired", 410),
];

/// Operations with more than one success: the import answers a dry run or an update with 200
/// and a new form with 201; an extension, 201 when new and 200 when moved.
const TWO_SUCCESSES: [&str; 2] = [
    "post /api/v1/submissions/import",
    "post /api/v1/periods/{id}/extensions",
];

#[test]
fn every_operation_is_documented_for_integrators() {
    let spec = spec();
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(spec["servers"].as_array().is_some_and(|s| !s.is_empty()));
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
    let mut ids = std::collections::HashSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let name = format!("{method} {path}");
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(
                !id.is_empty() && ids.insert(id.to_string()),
                "{name} operationId"
            );
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{name} summary"
            );
            assert!(
                op["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{name} tags"
            );
            let public = path == "/api/v1/auth/token";
            let security = op["security"].as_array().expect("security stated");
            assert_eq!(security.is_empty(), public, "{name} security");
            let responses = op["responses"].as_object().unwrap();
            let successes: Vec<_> = responses
                .iter()
                .filter(|(s, _)| s.starts_with('2'))
                .collect();
            let expected = if TWO_SUCCESSES.contains(&name.as_str()) {
                2
            } else {
                1
            };
            assert_eq!(successes.len(), expected, "{name} one success");
            for (status, r) in responses {
                assert!(
                    r["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{name} {status} description"
                );
                assert_eq!(
                    r["headers"]["X-Request-Id"]["$ref"], "#/components/headers/X-Request-Id",
                    "{name} {status} X-Request-Id"
                );
            }
            for (status, r) in &successes {
                if let Some(json) = r["content"].get("application/json") {
                    assert!(json.get("example").is_some(), "{name} {status} example");
                }
                for (media, c) in r["content"].as_object().into_iter().flatten() {
                    if media.starts_with("text/plain") {
                        // The metrics: text, shown by an example.
                        assert_eq!(c["schema"]["type"], "string", "{name} {media}");
                        assert!(c["example"].is_string(), "{name} {media} example");
                    } else if !media.contains("json") {
                        assert_eq!(c["schema"]["format"], "binary", "{name} {media}");
                    }
                }
            }
            check_problems(&name, op, !public);
        }
    }
}

/// Every problem response shows an example of its own status for each code it can carry.
fn check_problems(name: &str, op: &Value, secured: bool) {
    let responses = &op["responses"];
    // Outside the API (`/metrics`) nothing reaches the database's failures or a use case.
    let mut expected = if name.contains(" /api/") {
        vec!["500", "503"]
    } else {
        vec![]
    };
    if secured {
        expected.push("401");
    }
    if op.get("requestBody").is_some() {
        expected.extend(["400", "413", "415", "422"]);
    }
    if op["parameters"]
        .as_array()
        .is_some_and(|p| p.iter().any(|p| p["in"] == "path"))
    {
        expected.extend(["400", "404"]);
    }
    for status in expected {
        assert!(responses.get(status).is_some(), "{name} documents {status}");
    }
    for (status, r) in responses.as_object().unwrap() {
        if status.starts_with('2') {
            continue;
        }
        let media = &r["content"]["application/problem+json"];
        assert_eq!(
            media["schema"]["$ref"], "#/components/schemas/Problem",
            "{name} {status}"
        );
        let examples = media["examples"].as_object().expect("examples");
        assert!(!examples.is_empty(), "{name} {status} examples");
        for (code, e) in examples {
            let v = &e["value"];
            assert_eq!(v["code"], code.as_str(), "{name} {status} {code}");
            assert_eq!(v["status"].to_string(), *status, "{name} {status} {code}");
            let known = CODES.iter().find(|(c, _)| c == code).expect("a known code");
            assert_eq!(
                known.1.to_string(),
                *status,
                "{name}: {code} is never {status}"
            );
            assert_eq!(v["type"], format!("urn:budget-monitor:problem:{code}"));
        }
    }
}

#[test]
fn every_schema_is_one_per_resource_and_shows_an_example() {
    let spec = spec();
    let schemas = spec["components"]["schemas"].as_object().unwrap();
    for (name, s) in schemas {
        assert!(
            s.get("example").is_some() || s.get("examples").is_some(),
            "{name} has no example"
        );
        // A response that includes a request schema would inherit its
        // `additionalProperties: false` and forbid its own fields.
        assert!(s.get("allOf").is_none(), "{name} is an allOf");
        if let Some(item) = name.strip_prefix("Paginated_") {
            assert_eq!(
                s["properties"]["items"]["items"]["$ref"],
                format!("#/components/schemas/{item}"),
                "{name} refers to its item's schema"
            );
            assert_eq!(
                s["required"],
                serde_json::json!(["items", "total", "page", "per_page"])
            );
        }
    }
    let text = budget_monitor::http::openapi_json();
    let refs = text.matches("\"$ref\": \"#/components/schemas/");
    assert!(refs.count() > 0);
    for (name, _) in schemas {
        assert!(
            text.contains(&format!("\"#/components/schemas/{name}\"")),
            "{name} is never used"
        );
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
