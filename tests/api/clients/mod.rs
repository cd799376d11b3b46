//! API clients: machine accounts managed by the admin at `/clients`, which get short-lived
//! tokens with OAuth 2.0 client credentials and then act with their role and unit.

mod grant;
mod manage;
mod revoke;
mod roles;

use reqwest::Response;
use serde_json::{json, Value};

use crate::helpers::*;

/// A client's credentials, as its creation answered them.
pub struct Creds {
    pub id: String,
    pub secret: String,
    /// The whole answer to the creation.
    pub body: Value,
}

/// Creates a client as the admin, expecting 201 and a secret.
pub async fn new_client(app: &TestApp, body: Value) -> Creds {
    let admin = app.as_admin().await;
    let body = ok(admin.post("/api/v1/clients", body).await, 201).await;
    Creds {
        id: body["client_id"].as_str().unwrap().to_string(),
        secret: body["client_secret"].as_str().unwrap().to_string(),
        body,
    }
}

/// A viewer client named `name`.
pub async fn viewer_client(app: &TestApp, name: &str) -> Creds {
    new_client(app, json!({"name": name, "role": "viewer"})).await
}

/// POSTs a form-encoded token request, with HTTP Basic when `basic` is given.
pub async fn token_request(
    app: &TestApp,
    basic: Option<(&str, &str)>,
    form: &[(&str, &str)],
) -> Response {
    let mut r = app.client.post(app.url("/api/v1/auth/token")).form(form);
    if let Some((id, secret)) = basic {
        r = r.basic_auth(id, Some(secret));
    }
    app.send(r).await
}

/// Asks for a token with HTTP Basic.
pub async fn try_token(app: &TestApp, id: &str, secret: &str) -> Response {
    token_request(
        app,
        Some((id, secret)),
        &[("grant_type", "client_credentials")],
    )
    .await
}

/// A token of the client, expecting 200.
pub async fn token_of(app: &TestApp, c: &Creds) -> String {
    let v = ok(try_token(app, &c.id, &c.secret).await, 200).await;
    v["access_token"].as_str().unwrap().to_string()
}

/// A session of the client, with a token it got with HTTP Basic.
pub async fn client_session(app: &TestApp, c: &Creds) -> Session {
    app.session_with(token_of(app, c).await)
}

/// Asserts an RFC 6749 §5.2 error: JSON with `error` and `error_description`, and the
/// service's problem members with the same `code`.
pub async fn assert_oauth_error(r: Response, status: u16, error: &str) -> Value {
    assert_eq!(r.status().as_u16(), status, "status for expected {error}");
    let ct = r.headers()["content-type"].to_str().unwrap().to_string();
    assert_eq!(ct, "application/json");
    if error == "invalid_client" {
        assert_eq!(
            r.headers()["www-authenticate"],
            "Basic realm=\"budget-monitor\""
        );
    }
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["error"], error, "{v}");
    assert_eq!(v["code"], error, "{v}");
    assert_eq!(v["status"], status);
    assert!(v["error_description"]
        .as_str()
        .is_some_and(|d| !d.is_empty()));
    assert_eq!(v["error_description"], v["detail"]);
    v
}
