//! A signed-in user: its token and the requests it sends, each answer checked against the
//! OpenAPI document like every request of the tests.

use reqwest::{Method, RequestBuilder, Response};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{TestApp, ADMIN_PASSWORD, PASSWORD};

/// A user signed in to a test app. It dereferences to its token, so `&session` goes wherever a
/// token (`&str`) does.
#[derive(Clone, Debug)]
pub struct Session {
    pub token: String,
    client: reqwest::Client,
    address: String,
}

impl std::ops::Deref for Session {
    type Target = str;
    fn deref(&self) -> &str {
        &self.token
    }
}

impl Session {
    /// The bearer token.
    pub fn as_str(&self) -> &str {
        &self.token
    }

    fn req(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{}", self.address, path))
            .bearer_auth(&self.token)
    }

    async fn send(&self, r: RequestBuilder) -> Response {
        let req = r.build().unwrap();
        let method = req.method().clone();
        let resp = self.client.execute(req).await.unwrap();
        crate::contract::checked(&method, resp).await
    }

    pub async fn get(&self, path: &str) -> Response {
        self.send(self.req(Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Response {
        self.send(self.req(Method::POST, path).json(&body)).await
    }

    /// A PUT with the `If-Match` of the version the caller read.
    pub async fn put(&self, path: &str, if_match: impl AsRef<str>, body: &Value) -> Response {
        let r = self
            .req(Method::PUT, path)
            .header("If-Match", if_match.as_ref());
        self.send(r.json(body)).await
    }

    pub async fn patch(&self, path: &str, if_match: Option<&str>, body: Value) -> Response {
        let mut r = self.req(Method::PATCH, path).json(&body);
        if let Some(m) = if_match {
            r = r.header("If-Match", m);
        }
        self.send(r).await
    }

    /// POSTs `{}` to an action such as `/api/v1/submissions/{id}/submit`, expecting 200.
    pub async fn act(&self, path: &str) -> Value {
        ok(self.post(path, json!({})).await, 200).await
    }
}

/// Asserts the status of an answer (showing its body when it differs) and returns the body
/// (`null` when it has none).
pub async fn ok(r: Response, status: u16) -> Value {
    let s = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(s, status, "{body}");
    body
}

/// The `ETag` of an answer (empty when it has none).
pub fn etag_of(r: &Response) -> String {
    r.headers()
        .get("etag")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// The `id` of a created resource.
pub fn id_of(v: &Value) -> Uuid {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {v}"))
        .parse()
        .unwrap()
}

impl TestApp {
    /// A session of a user signed in with `username` and `password`.
    pub async fn session(&self, username: &str, password: &str) -> Session {
        Session {
            token: self.login(username, password).await,
            client: self.client.clone(),
            address: self.address.clone(),
        }
    }

    /// A session with a token obtained another way (an API client's).
    pub fn session_with(&self, token: String) -> Session {
        Session {
            token,
            client: self.client.clone(),
            address: self.address.clone(),
        }
    }

    /// Creates a user (as admin) and signs it in.
    pub async fn sign_up(&self, username: &str, role: &str, unit: Option<Uuid>) -> Session {
        let admin = self.as_admin().await;
        let body =
            json!({"username": username, "password": PASSWORD, "role": role, "unit_id": unit});
        ok(admin.post("/api/v1/users", body).await, 201).await;
        self.session(username, PASSWORD).await
    }

    pub(super) fn remember(&self, key: &str, s: &Session) {
        let mut sessions = self.sessions.lock().unwrap();
        sessions.insert(key.into(), s.clone());
    }

    fn remembered(&self, key: &str) -> Option<Session> {
        self.sessions.lock().unwrap().get(key).cloned()
    }

    /// The built-in admin, signed in once per app.
    pub async fn as_admin(&self) -> Session {
        if let Some(s) = self.remembered("admin") {
            return s;
        }
        let s = self.session("admin", ADMIN_PASSWORD).await;
        self.remember("admin", &s);
        s
    }

    async fn as_role(&self, key: &str, username: &str, role: &str, unit: Option<Uuid>) -> Session {
        if let Some(s) = self.remembered(key) {
            return s;
        }
        let s = self.sign_up(username, role, unit).await;
        self.remember(key, &s);
        s
    }

    /// `finance1`, created on first use.
    pub async fn as_finance(&self) -> Session {
        self.as_role("finance", "finance1", "finance", None).await
    }

    /// `viewer1`, created on first use.
    pub async fn as_viewer(&self) -> Session {
        self.as_role("viewer", "viewer1", "viewer", None).await
    }

    /// A reporter of `unit` (`reporter-<unit>`), created on first use.
    pub async fn as_reporter(&self, unit: Uuid) -> Session {
        let name = format!("reporter-{}", &unit.simple().to_string()[..12]);
        self.as_role(&format!("reporter:{unit}"), &name, "reporter", Some(unit))
            .await
    }
}
