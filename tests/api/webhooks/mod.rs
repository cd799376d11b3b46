//! Webhooks: endpoints registered by the admin get every committed change of the types they
//! asked for, signed the Standard Webhooks way, at least once, from the database. Each test
//! runs a receiver of its own on 127.0.0.1 that records what it gets.

mod crash;
mod delivery;
mod durability;
mod manage;
mod policy;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use budget_monitor::config::{Settings, WebhookSettings};
use serde_json::{json, Value};

use crate::helpers::*;

/// What the receiver got in one request.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Received {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// How the receiver answers one request: a status, after holding it for a while.
#[derive(Debug, Clone, Copy)]
pub struct Reply(pub u16, pub Duration);

#[derive(Default)]
struct Inbox {
    got: Mutex<Vec<Received>>,
    script: Mutex<VecDeque<Reply>>,
    /// The answer once the script is used up.
    otherwise: Mutex<Option<u16>>,
}

/// An HTTP server on 127.0.0.1 that records every request and answers as scripted (200 once
/// the script is used up, unless told otherwise).
pub struct Receiver {
    pub url: String,
    pub port: u16,
    inbox: Arc<Inbox>,
}

fn header(req: &HttpRequest, name: &str) -> String {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn receive(req: HttpRequest, body: web::Bytes, inbox: web::Data<Arc<Inbox>>) -> HttpResponse {
    inbox.got.lock().unwrap().push(Received {
        id: header(&req, "webhook-id"),
        timestamp: header(&req, "webhook-timestamp"),
        signature: header(&req, "webhook-signature"),
        content_type: header(&req, "content-type"),
        body: body.to_vec(),
    });
    let next = inbox.script.lock().unwrap().pop_front();
    let otherwise = inbox.otherwise.lock().unwrap().unwrap_or(200);
    let Reply(status, hold) = next.unwrap_or(Reply(otherwise, Duration::ZERO));
    tokio::time::sleep(hold).await;
    let mut r = HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap());
    if (300..400).contains(&status) {
        // A redirect to a path that would answer 200: the service must not follow it.
        r.insert_header(("location", "/elsewhere"));
    }
    r.finish()
}

impl Receiver {
    /// A receiver answering `script` first, then 200.
    pub async fn start(script: &[Reply]) -> Receiver {
        let inbox = Arc::new(Inbox::default());
        inbox.script.lock().unwrap().extend(script.iter().copied());
        let data = web::Data::new(inbox.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .default_service(web::to(receive))
        })
        .workers(2)
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        Receiver {
            url: format!("http://127.0.0.1:{port}/hook"),
            port,
            inbox,
        }
    }

    /// From now on, answer `status` once the script is used up.
    pub fn answer(&self, status: u16) {
        *self.inbox.otherwise.lock().unwrap() = Some(status);
    }

    pub fn received(&self) -> Vec<Received> {
        self.inbox.got.lock().unwrap().clone()
    }

    /// Waits until at least `n` requests came; all of them.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        eventually(&format!("{n} requests at the receiver"), || {
            let got = self.received();
            async move { (got.len() >= n).then_some(got) }
        })
        .await
    }
}

/// Polls `check` every 25 ms until it gives a value; fails after 20 seconds.
pub async fn eventually<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Webhook settings for tests: private targets allowed (the receiver is on loopback), a fast
/// worker and the retry schedule in milliseconds (5 ms, 300 ms, 1.8 s, …).
pub fn fast(s: &mut Settings) {
    s.webhooks = WebhookSettings {
        allow_private: true,
        poll: Duration::from_millis(20),
        max_failures: 20,
        timeout: Duration::from_secs(3),
        retry_scale: 0.001,
    };
}

pub async fn spawn_webhook_app() -> TestApp {
    spawn_app_with(fast).await
}

/// Registers `url` for `types` as the admin; the created endpoint (with its `secret`).
pub async fn register(admin: &Session, url: &str, types: &[&str]) -> Value {
    let body = json!({"url": url, "event_types": types});
    ok(admin.post("/api/v1/webhooks", body).await, 201).await
}

/// A `period.opened` event: finance creates and opens a period of `year`.
pub async fn open_a_period(app: &TestApp, year: i32) -> Value {
    open_a_period_as(&app.as_finance().await, year).await
}

/// A `period.opened` event made by `finance`.
pub async fn open_a_period_as(finance: &Session, year: i32) -> Value {
    let p = finance.new_period(year, "h1").await;
    finance.open_period(p.id).await;
    finance.read(&format!("/api/v1/periods/{}", p.id)).await
}

/// The endpoint's delivery log (first page).
pub async fn deliveries(admin: &Session, webhook: &Value) -> Vec<Value> {
    let path = format!(
        "/api/v1/webhooks/{}/deliveries",
        webhook["id"].as_str().unwrap()
    );
    admin.read(&path).await["items"].as_array().unwrap().clone()
}

/// Waits until the endpoint's newest delivery is `status`; that delivery.
pub async fn settled(admin: &Session, webhook: &Value, status: &str) -> Value {
    eventually(&format!("a {status} delivery"), || async move {
        deliveries(admin, webhook)
            .await
            .into_iter()
            .next()
            .filter(|d| d["status"] == status)
    })
    .await
}
