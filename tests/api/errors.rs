use reqwest::Method;

use crate::helpers::*;

#[tokio::test]
async fn every_kind_of_bad_input_gets_problem_json_and_writes_nothing() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let post = |body: String, ct: &'static str| {
        let r = admin.req(Method::POST, "/api/v1/units");
        admin.send(r.header("Content-Type", ct).body(body))
    };
    let json = |body: &str| post(body.to_string(), "application/json");
    let malformed = Expect::Problem(400, "malformed_json");
    malformed.check(json("{\"code\": ").await).await;
    malformed.check(json("").await).await;
    let unknown = json(r#"{"code":"A","name":"a","kind":"department","budget":"1"}"#).await;
    let p = invalid("budget").check(unknown).await;
    assert_eq!(p["errors"][0]["code"], "unknown_field");
    let nameless = json(r#"{"code":"A","kind":"department"}"#).await;
    let p = invalid("name").check(nameless).await;
    assert_eq!(p["errors"][0]["code"], "required");
    let number = json(r#"{"code":5,"name":"a","kind":"department"}"#).await;
    invalid("code").check(number).await;
    let text = post(
        r#"{"code":"A","name":"a","kind":"department"}"#.into(),
        "text/plain",
    );
    assert_problem(text.await, 415, "unsupported_media_type").await;
    let big = format!(
        r#"{{"code":"A","name":"{}","kind":"department"}}"#,
        "x".repeat(1024 * 1024 + 10)
    );
    assert_problem(json(&big).await, 413, "payload_too_large").await;
    assert_eq!(admin.total("/api/v1/units").await, 0, "nothing was written");
}

#[tokio::test]
async fn bad_path_parameters_unknown_routes_and_wrong_methods_answer_problem_json() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let bad_id = Expect::Problem(400, "invalid_path_parameter");
    admin.get_is("/api/v1/units/not-a-uuid", bad_id).await;
    let missing = format!("/api/v1/units/{}", uuid::Uuid::new_v4());
    admin.get_is(&missing, NOT_FOUND).await;
    let no_route = Expect::Problem(404, "route_not_found");
    admin.get_is("/api/v1/nothing-here", no_route).await;
    admin.get_is("/nothing", no_route).await;
    let r = admin.send(admin.req(Method::DELETE, "/api/v1/units")).await;
    assert_eq!(r.headers()["allow"], "GET, HEAD, POST");
    assert_problem(r, 405, "method_not_allowed").await;
    let r = admin.send(admin.req(Method::PUT, &missing)).await;
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

#[tokio::test]
async fn head_answers_what_get_answers_without_the_body() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let get = admin.send(admin.req(Method::GET, "/api/v1/units")).await;
    assert_eq!(get.status(), 200);
    let length = get.bytes().await.unwrap().len();
    assert!(length > 0);
    let head = admin.send(admin.req(Method::HEAD, "/api/v1/units")).await;
    assert_eq!(head.status(), 200);
    assert_eq!(head.headers()["content-type"], "application/json");
    assert_eq!(
        head.headers()["content-length"],
        length.to_string().as_str()
    );
    assert!(head.headers().contains_key("x-request-id"));
    assert!(head.bytes().await.unwrap().is_empty());
    // A resource that is not there; the OpenAPI document.
    let missing = format!("/api/v1/units/{}", uuid::Uuid::new_v4());
    let r = admin.send(admin.req(Method::HEAD, &missing)).await;
    assert_eq!(r.status(), 404);
    let r = app.send(app.req(Method::HEAD, "/openapi.json", None)).await;
    assert_eq!(r.status(), 200);
    // Who may not GET may not HEAD either.
    let r = app.send(app.req(Method::HEAD, "/api/v1/units", None)).await;
    assert_eq!(r.status(), 401);
    // A route without GET has no HEAD either.
    let r = admin
        .send(admin.req(Method::HEAD, "/api/v1/auth/token"))
        .await;
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["allow"], "POST");
}
