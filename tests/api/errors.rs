use reqwest::Method;
use serde_json::Value;

use crate::helpers::*;

async fn unit_count(app: &TestApp, token: &str) -> u64 {
    let v: Value = app.get("/api/v1/units", token).await.json().await.unwrap();
    v["total"].as_u64().unwrap()
}

#[tokio::test]
async fn every_kind_of_bad_input_gets_problem_json_and_writes_nothing() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let post = |body: &'static str, ct: &'static str| {
        app.req(Method::POST, "/api/v1/units", Some(&admin))
            .header("Content-Type", ct)
            .body(body)
            .send()
    };
    assert_problem(
        post("{\"code\": ", "application/json").await.unwrap(),
        400,
        "malformed_json",
    )
    .await;
    assert_problem(
        post("", "application/json").await.unwrap(),
        400,
        "malformed_json",
    )
    .await;
    let p = assert_problem(
        post(
            r#"{"code":"A","name":"a","kind":"department","budget":"1"}"#,
            "application/json",
        )
        .await
        .unwrap(),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "budget");
    assert_eq!(p["errors"][0]["code"], "unknown_field");
    let p = assert_problem(
        post(r#"{"code":"A","kind":"department"}"#, "application/json")
            .await
            .unwrap(),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "name");
    assert_eq!(p["errors"][0]["code"], "required");
    let p = assert_problem(
        post(
            r#"{"code":5,"name":"a","kind":"department"}"#,
            "application/json",
        )
        .await
        .unwrap(),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "code");
    assert_problem(
        post(
            r#"{"code":"A","name":"a","kind":"department"}"#,
            "text/plain",
        )
        .await
        .unwrap(),
        415,
        "unsupported_media_type",
    )
    .await;
    let big = format!(
        r#"{{"code":"A","name":"{}","kind":"department"}}"#,
        "x".repeat(1024 * 1024 + 10)
    );
    let r = app
        .req(Method::POST, "/api/v1/units", Some(&admin))
        .header("Content-Type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_problem(r, 413, "payload_too_large").await;
    assert_eq!(unit_count(&app, &admin).await, 0, "nothing was written");
}

#[tokio::test]
async fn bad_path_parameters_unknown_routes_and_wrong_methods_answer_problem_json() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    assert_problem(
        app.get("/api/v1/units/not-a-uuid", &admin).await,
        400,
        "invalid_path_parameter",
    )
    .await;
    assert_problem(
        app.get(&format!("/api/v1/units/{}", uuid::Uuid::new_v4()), &admin)
            .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.get("/api/v1/nothing-here", &admin).await,
        404,
        "route_not_found",
    )
    .await;
    assert_problem(app.get("/nothing", &admin).await, 404, "route_not_found").await;
    let r = app
        .req(Method::DELETE, "/api/v1/units", Some(&admin))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["allow"], "GET, HEAD, POST");
    assert_problem(r, 405, "method_not_allowed").await;
    let r = app
        .req(
            Method::PUT,
            &format!("/api/v1/units/{}", uuid::Uuid::new_v4()),
            Some(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["allow"], "GET, HEAD, PATCH");
    assert_problem(r, 405, "method_not_allowed").await;
}

#[tokio::test]
async fn the_request_id_is_the_servers_own_and_appears_in_problems() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/api/v1/me"))
        .header("X-Request-Id", "trace-abc-123")
        .send()
        .await
        .unwrap();
    let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_ne!(id, "trace-abc-123", "a client's id is never the server's");
    assert!(uuid::Uuid::parse_str(&id).is_ok());
    let p = assert_problem(r, 401, "missing_token").await;
    assert_eq!(p["request_id"], id.as_str());
    assert_eq!(p["instance"], "/api/v1/me");

    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    let generated = r.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(generated).is_ok());
}
