//! The test application and its plumbing: a fresh app per test, signed-in sessions per role
//! ([`session`]) and typed builders of the monitoring fixtures ([`fixtures`]).

mod faults;
mod fixtures;
mod scratch;
mod session;

pub use faults::*;
pub use fixtures::*;
pub use scratch::*;
pub use session::*;

use budget_monitor::config::Settings;
use budget_monitor::startup::Application;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{json, Value};
use uuid::Uuid;

pub const ADMIN_PASSWORD: &str = "admin-password-2026";
pub const JWT_SECRET: &str = "test-secret-0123456789-0123456789-abcdef";
pub const PASSWORD: &str = "user-password-2026";

pub struct TestApp {
    pub address: String,
    /// The metrics' own listener, when the settings give them one (`BM_METRICS_BIND`).
    pub metrics_address: Option<String>,
    pub client: reqwest::Client,
    pub settings: Settings,
    /// The sessions signed in so far, one per role (and per unit for reporters).
    sessions: std::sync::Mutex<std::collections::HashMap<String, Session>>,
    /// The folder and database the app was made on, when it made them: removed with the app.
    scratch: Option<Scratch>,
}

impl TestApp {
    /// Removes `scratch` (the folder and database the app runs on) once the app is dropped.
    pub fn owning(mut self, scratch: Scratch) -> Self {
        self.scratch = Some(scratch);
        self
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| ()).await
}

/// A test app over a fresh database, its settings changed by `configure` first.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let scratch = Scratch::new().await;
    let mut settings = test_settings(scratch.dir.clone(), scratch.url.clone());
    configure(&mut settings);
    spawn_with(settings).await.owning(scratch)
}

/// The settings of a test app over `database_url`, on port 0.
pub fn test_settings(dir: std::path::PathBuf, database_url: String) -> Settings {
    Settings {
        database_url,
        bind: "127.0.0.1:0".into(),
        data_dir: dir,
        admin_password: Some(ADMIN_PASSWORD.into()),
        jwt_secret: Some(JWT_SECRET.into()),
        token_ttl_secs: 3600,
        client_token_ttl_secs: 900,
        log_json: false,
        utc_offset: budget_monitor::config::china_offset(),
        cors_origins: vec![],
        trusted_proxies: Default::default(),
        oidc: None,
        event_retention_days: 400,
        webhooks: Default::default(),
        telemetry: Default::default(),
    }
}

pub async fn spawn_with(settings: Settings) -> TestApp {
    let app = Application::build(settings.clone())
        .await
        .expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let metrics_address = app.metrics_port().map(|p| format!("http://127.0.0.1:{p}"));
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        metrics_address,
        client: client(),
        settings,
        sessions: Default::default(),
        scratch: None,
    }
}

/// A test app whose server the test stops: the app, its server's handle, and the task that
/// ends once the server and then the webhook worker have stopped.
pub async fn spawn_stoppable(
    settings: Settings,
) -> (
    TestApp,
    actix_web::dev::ServerHandle,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let app = Application::build(settings.clone())
        .await
        .expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let metrics_address = app.metrics_port().map(|p| format!("http://127.0.0.1:{p}"));
    let handle = app.handle();
    let task = tokio::spawn(app.run_until_stopped());
    let test_app = TestApp {
        address,
        metrics_address,
        client: client(),
        settings,
        sessions: Default::default(),
        scratch: None,
    };
    (test_app, handle, task)
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn req(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let mut r = self.client.request(method, self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r
    }

    /// Sends a request and checks its answer against the OpenAPI document.
    pub async fn send(&self, r: RequestBuilder) -> Response {
        let req = r.build().unwrap();
        let method = req.method().clone();
        let resp = self.client.execute(req).await.unwrap();
        crate::contract::checked(&method, resp).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.send(self.req(Method::GET, path, Some(token))).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Response {
        self.send(self.req(Method::POST, path, Some(token)).json(&body))
            .await
    }

    pub async fn patch(
        &self,
        path: &str,
        token: &str,
        if_match: Option<&str>,
        body: Value,
    ) -> Response {
        let mut r = self.req(Method::PATCH, path, Some(token)).json(&body);
        if let Some(m) = if_match {
            r = r.header("If-Match", m);
        }
        self.send(r).await
    }

    pub async fn try_login(&self, username: &str, password: &str) -> Response {
        self.send(
            self.client
                .post(self.url("/api/v1/auth/token"))
                .json(&json!({"username": username, "password": password})),
        )
        .await
    }

    /// Signs in through `client` with extra request headers.
    pub async fn try_login_via(
        &self,
        client: &reqwest::Client,
        headers: &[(&str, &str)],
        username: &str,
        password: &str,
    ) -> Response {
        let mut r = client
            .post(self.url("/api/v1/auth/token"))
            .json(&json!({"username": username, "password": password}));
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        let resp = client.execute(r.build().unwrap()).await.unwrap();
        crate::contract::checked(&Method::POST, resp).await
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let r = self.try_login(username, password).await;
        assert_eq!(r.status(), 200, "login of {username}");
        let v: Value = r.json().await.unwrap();
        v["access_token"].as_str().unwrap().to_string()
    }

    pub async fn admin(&self) -> String {
        self.login("admin", ADMIN_PASSWORD).await
    }

    pub async fn create_unit(&self, admin: &str, code: &str) -> Uuid {
        let r = self
            .post(
                "/api/v1/units",
                admin,
                json!({"code": code, "name": format!("单位{code}"), "kind": "department"}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let v: Value = r.json().await.unwrap();
        v["id"].as_str().unwrap().parse().unwrap()
    }

    /// Creates a user and returns its id and a token.
    pub async fn create_user(
        &self,
        admin: &str,
        username: &str,
        role: &str,
        unit: Option<Uuid>,
    ) -> (Uuid, String) {
        let r = self
            .post(
                "/api/v1/users",
                admin,
                json!({"username": username, "password": PASSWORD, "role": role, "unit_id": unit}),
            )
            .await;
        assert_eq!(r.status(), 201, "create {username}");
        let v: Value = r.json().await.unwrap();
        let id = v["id"].as_str().unwrap().parse().unwrap();
        (id, self.login(username, PASSWORD).await)
    }

    /// Sessions for one user of every role; the reporter belongs to a new unit.
    pub async fn roles(&self) -> Roles {
        let admin = self.as_admin().await;
        let unit = self.unit("R-UNIT").await.id;
        let finance = self.as_finance().await;
        let reporter = self.sign_up("reporter1", "reporter", Some(unit)).await;
        self.remember(&format!("reporter:{unit}"), &reporter);
        let viewer = self.as_viewer().await;
        Roles {
            admin,
            finance,
            reporter,
            viewer,
            unit,
        }
    }

    /// The audit events matching a query string, newest first.
    pub async fn audit(&self, admin: &str, query: &str) -> Vec<Value> {
        let r = self
            .get(&format!("/api/v1/audit-events?per_page=200&{query}"), admin)
            .await;
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        v["items"].as_array().unwrap().clone()
    }
}

/// A client whose connections come from `ip`: on Linux every 127.x.y.z address reaches the
/// test server, which then sees a different peer address.
pub fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<std::net::IpAddr>().unwrap())
        .pool_idle_timeout(IDLE)
        .build()
        .unwrap()
}

/// One signed-in user of every role; a session is usable wherever a token (`&str`) is.
pub struct Roles {
    pub admin: Session,
    pub finance: Session,
    pub reporter: Session,
    pub viewer: Session,
    pub unit: Uuid,
}

/// Asserts a problem+json answer and returns its body.
pub async fn assert_problem(r: Response, status: u16, code: &str) -> Value {
    assert_eq!(r.status().as_u16(), status, "status for expected {code}");
    let ct = r
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(ct, "application/problem+json");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], code, "{v}");
    assert_eq!(v["status"], status);
    assert!(v["type"].as_str().unwrap().ends_with(code));
    assert!(v["title"].is_string() && v["detail"].is_string() && v["instance"].is_string());
    assert!(!v["request_id"].as_str().unwrap().is_empty());
    v
}

/// The server closes a keep-alive connection after 5 idle seconds; a test that pauses longer
/// (converting with LibreOffice) must not send its next request on a connection being closed.
const IDLE: std::time::Duration = std::time::Duration::from_secs(2);

/// The tests' HTTP client.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(IDLE)
        .build()
        .unwrap()
}

/// Waits, if need be, until at least a minute of the current throttling window is left, so
/// that a test's attempts are all counted in one window (windows start on the clock's quarter
/// hours; a test crossing one would see its counts start again).
pub async fn within_one_window() {
    let window = budget_monitor::domain::throttle::WINDOW_SECS;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let left = window as f64 - now % window as f64;
    if left < 60.0 {
        tokio::time::sleep(std::time::Duration::from_secs_f64(left + 0.5)).await;
    }
}
