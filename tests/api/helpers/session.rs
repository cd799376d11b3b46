//! A signed-in user: its token and the requests it sends, each answer checked against the
//! OpenAPI document like every request of the tests.

use reqwest::{Method, RequestBuilder, Response};
use serde_json::{json, Value};
use uuid::Uuid;

use super::{assert_problem, TestApp, ADMIN_PASSWORD, PASSWORD};

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

    /// A request of this user, to send with [`Session::send`] once its headers are set.
    pub fn req(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{}", self.address, path))
            .bearer_auth(&self.token)
    }

    /// Sends a request and checks its answer against the OpenAPI document.
    pub async fn send(&self, r: RequestBuilder) -> Response {
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

    /// A DELETE.
    pub async fn delete(&self, path: &str) -> Response {
        self.send(self.req(Method::DELETE, path)).await
    }

    /// Any request: a JSON body unless `body` is null, and `If-Match` when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        if_match: Option<&str>,
        body: &Value,
    ) -> Response {
        let mut r = self.req(method, path);
        if let Some(m) = if_match {
            r = r.header("If-Match", m);
        }
        if !body.is_null() {
            r = r.json(body);
        }
        self.send(r).await
    }

    /// A POST with an `Idempotency-Key`.
    pub async fn post_keyed(&self, path: &str, key: &str, body: &Value) -> Response {
        let r = self.req(Method::POST, path).header("Idempotency-Key", key);
        self.send(r.json(body)).await
    }

    /// A POST without any body (an action's body may be left out).
    pub async fn post_bare(&self, path: &str) -> Response {
        self.send(self.req(Method::POST, path)).await
    }

    /// POSTs `{}` to an action such as `/api/v1/submissions/{id}/submit`, expecting 200.
    pub async fn act(&self, path: &str) -> Value {
        ok(self.post(path, json!({})).await, 200).await
    }

    /// POSTs `{}` to an action, expecting `e` (a status or a problem).
    pub async fn step<'a>(&self, path: &str, e: impl Into<Expect<'a>>) -> Value {
        e.into().check(self.post(path, json!({})).await).await
    }

    /// GETs `path`, expecting 200; its body.
    pub async fn read(&self, path: &str) -> Value {
        ok(self.get(path).await, 200).await
    }

    /// The `total` of a list.
    pub async fn total(&self, path: &str) -> Value {
        self.read(path).await["total"].clone()
    }

    /// GETs `path`, expecting `e`.
    pub async fn get_is<'a>(&self, path: &str, e: impl Into<Expect<'a>>) -> Value {
        e.into().check(self.get(path).await).await
    }

    /// POSTs `body` to `path`, expecting `e`.
    pub async fn post_is<'a>(&self, path: &str, body: Value, e: impl Into<Expect<'a>>) -> Value {
        e.into().check(self.post(path, body).await).await
    }

    /// PUTs `body` to `path` with `If-Match`, expecting `e`.
    pub async fn put_is<'a>(
        &self,
        path: &str,
        if_match: impl AsRef<str>,
        body: &Value,
        e: impl Into<Expect<'a>>,
    ) -> Value {
        e.into().check(self.put(path, if_match, body).await).await
    }

    /// PATCHes `path` with `body` (and `If-Match` when given), expecting `e`.
    pub async fn patch_is<'a>(
        &self,
        path: &str,
        if_match: Option<&str>,
        body: Value,
        e: impl Into<Expect<'a>>,
    ) -> Value {
        e.into().check(self.patch(path, if_match, body).await).await
    }

    /// DELETEs `path`, expecting `e`.
    pub async fn delete_is<'a>(&self, path: &str, e: impl Into<Expect<'a>>) -> Value {
        e.into().check(self.delete(path).await).await
    }
}

/// What a test expects of an answer: a status (`201`), whose body it then reads; a problem
/// with its status and code ([`FORBIDDEN`], `Expect::Problem(409, "period_not_open")`); or a
/// 422 `validation_failed` whose first error names a field ([`invalid`]).
#[derive(Clone, Copy, Debug)]
pub enum Expect<'a> {
    Status(u16),
    Problem(u16, &'a str),
    Invalid(&'a str),
}

pub const FORBIDDEN: Expect<'static> = Expect::Problem(403, "forbidden");
pub const NOT_FOUND: Expect<'static> = Expect::Problem(404, "not_found");
pub const VALIDATION_FAILED: Expect<'static> = Expect::Problem(422, "validation_failed");
pub const INVALID_TRANSITION: Expect<'static> = Expect::Problem(409, "invalid_transition");
pub const LOCKED: Expect<'static> = Expect::Problem(409, "locked");
pub const ALREADY_EXISTS: Expect<'static> = Expect::Problem(409, "already_exists");
pub const PRECONDITION_FAILED: Expect<'static> = Expect::Problem(412, "precondition_failed");

/// A 422 `validation_failed` whose first error names `field`.
pub fn invalid(field: &str) -> Expect<'_> {
    Expect::Invalid(field)
}

impl From<u16> for Expect<'_> {
    fn from(status: u16) -> Self {
        Expect::Status(status)
    }
}

impl Expect<'_> {
    /// Asserts the answer is what was expected; its body (the problem for a problem).
    pub async fn check(self, r: Response) -> Value {
        match self {
            Expect::Status(s) => ok(r, s).await,
            Expect::Problem(s, code) => assert_problem(r, s, code).await,
            Expect::Invalid(field) => assert_invalid(r, field).await,
        }
    }
}

/// Asserts a 422 `validation_failed` whose first error names `field`; the problem.
pub async fn assert_invalid(r: Response, field: &str) -> Value {
    let p = assert_problem(r, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], field, "{p}");
    p
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
        self.bearer(&self.login(username, password).await)
    }

    /// A session holding `token` as it is (expired, forged, another user's).
    pub fn bearer(&self, token: &str) -> Session {
        Session {
            token: token.into(),
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
        self.new_user(username, role, unit).await.1
    }

    /// Creates a user (as admin) and signs it in; its id and session.
    pub async fn new_user(
        &self,
        username: &str,
        role: &str,
        unit: Option<Uuid>,
    ) -> (Uuid, Session) {
        let admin = self.as_admin().await;
        let body =
            json!({"username": username, "password": PASSWORD, "role": role, "unit_id": unit});
        let created = ok(admin.post("/api/v1/users", body).await, 201).await;
        (id_of(&created), self.session(username, PASSWORD).await)
    }

    /// `stranger`, the reporter of a new unit `OTHER`.
    pub async fn stranger(&self) -> Session {
        let other = self.unit("OTHER").await.id;
        self.sign_up("stranger", "reporter", Some(other)).await
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
