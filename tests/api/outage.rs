//! A database that goes away: requests answer 503 `database_unavailable` with `Retry-After`
//! (never 500), `/readyz` answers 503 while it is away, and the service recovers by itself.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Url;
use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::helpers::*;

fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.is_empty())
}

/// A TCP proxy between the service and PostgreSQL that the test can cut and restore.
struct Proxy {
    port: u16,
    cut: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let cut = Arc::new(AtomicBool::new(false));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (c, l) = (cut.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if c.load(Ordering::SeqCst) {
                    continue; // refused: the connection is dropped at once
                }
                let upstream = upstream.clone();
                l.lock().unwrap().push(tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&upstream).await {
                        tokio::io::copy_bidirectional(&mut client, &mut server)
                            .await
                            .ok();
                    }
                }));
            }
        });
        Proxy { port, cut, links }
    }

    /// Drops every open connection and refuses new ones.
    fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.cut.store(false, Ordering::SeqCst);
    }
}

/// A fresh test database reached through `proxy`.
async fn app_behind(proxy: &Proxy) -> TestApp {
    let scratch = Scratch::new().await;
    let mut url = Url::parse(&scratch.url).unwrap();
    url.set_host(Some("127.0.0.1")).unwrap();
    url.set_port(Some(proxy.port)).unwrap();
    let settings = test_settings(scratch.dir.clone(), url.to_string());
    spawn_with(settings).await.owning(scratch)
}

/// Status, whether `Retry-After` came, the problem code, and the id of what was created.
type Answer = (u16, bool, Option<String>, Option<Uuid>);

async fn answer(r: reqwest::Response) -> Answer {
    let status = r.status().as_u16();
    let retry = r.headers().contains_key("retry-after");
    let v: Value = r.json().await.unwrap_or(Value::Null);
    let code = v["code"].as_str().map(str::to_string);
    let id = (status == 201).then(|| v["id"].as_str().unwrap().parse().unwrap());
    (status, retry, code, id)
}

/// Clients writing and reading until `stop` is set; every answer is kept.
fn load(
    app: &Arc<TestApp>,
    token: &str,
    clients: usize,
    stop: &Arc<AtomicBool>,
) -> Vec<JoinHandle<Vec<Answer>>> {
    (0..clients)
        .map(|c| {
            let (app, token, stop) = (app.clone(), token.to_string(), stop.clone());
            tokio::spawn(async move {
                let mut out = vec![];
                let mut i = 0;
                while !stop.load(Ordering::SeqCst) {
                    let r = if i % 2 == 0 {
                        let code = format!("L{c}-{i}");
                        app.post(
                            "/api/v1/units",
                            &token,
                            json!({"code": code, "name": code, "kind": "department"}),
                        )
                        .await
                    } else {
                        app.get("/api/v1/units?per_page=5", &token).await
                    };
                    out.push(answer(r).await);
                    i += 1;
                }
                out
            })
        })
        .collect()
}

/// Every answer is a success or a 503 `database_unavailable` with `Retry-After`; returns the
/// counts by status and the units acknowledged.
async fn check_answers(tasks: Vec<JoinHandle<Vec<Answer>>>) -> (BTreeMap<u16, usize>, Vec<Uuid>) {
    let mut counts = BTreeMap::new();
    let mut created = vec![];
    for t in tasks {
        for (status, retry, code, id) in t.await.unwrap() {
            *counts.entry(status).or_insert(0) += 1;
            assert!(
                matches!(status, 200 | 201 | 503),
                "status {status} ({code:?})"
            );
            if status == 503 {
                assert!(retry, "503 without Retry-After");
                assert_eq!(code.as_deref(), Some("database_unavailable"));
            }
            created.extend(id);
        }
    }
    (counts, created)
}

async fn assert_unavailable(r: reqwest::Response) {
    assert!(r.headers().contains_key("retry-after"), "Retry-After");
    assert_problem(r, 503, "database_unavailable").await;
}

async fn wait_ready(app: &TestApp) {
    for _ in 0..100 {
        let r = app.client.get(app.url("/readyz")).send().await.unwrap();
        if r.status() == 200 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("/readyz did not recover");
}

/// Writes work again, and every write acknowledged during the outage is stored.
async fn assert_recovered(app: &TestApp, admin: &str, created: &[Uuid]) {
    let r = app
        .post(
            "/api/v1/units",
            admin,
            json!({"code": "AFTER", "name": "恢复后", "kind": "department"}),
        )
        .await;
    assert_eq!(r.status(), 201, "writes work again");
    for id in created {
        let r = app.get(&format!("/api/v1/units/{id}"), admin).await;
        assert_eq!(
            r.status(),
            200,
            "unit {id} was acknowledged but is not stored"
        );
    }
}

#[tokio::test]
async fn a_cut_database_connection_answers_503_and_the_service_recovers() {
    let Some(base) = postgres_url() else { return };
    let upstream = Url::parse(&base).unwrap();
    let upstream = format!(
        "{}:{}",
        upstream.host_str().unwrap(),
        upstream.port().unwrap_or(5432)
    );
    let proxy = Proxy::start(upstream).await;
    let app = Arc::new(app_behind(&proxy).await);
    let admin = app.admin().await;

    let stop = Arc::new(AtomicBool::new(false));
    let tasks = load(&app, &admin, 8, &stop);
    tokio::time::sleep(Duration::from_millis(300)).await;
    proxy.cut();
    // While it is away: not ready, and a request is told to come back.
    assert_unavailable(app.client.get(app.url("/readyz")).send().await.unwrap()).await;
    assert_unavailable(app.get("/api/v1/units", &admin).await).await;
    proxy.restore();
    wait_ready(&app).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    let (counts, created) = check_answers(tasks).await;
    eprintln!("cut connection: {counts:?}");
    assert!(
        counts.get(&503).is_some_and(|n| *n > 0),
        "the outage was seen: {counts:?}"
    );

    assert_recovered(&app, &admin, &created).await;
}

#[tokio::test]
async fn terminated_database_sessions_answer_503_not_500() {
    let Some(base) = postgres_url() else { return };
    let app = Arc::new(spawn_app().await);
    let admin = app.admin().await;
    let db_name = Url::parse(&app.settings.database_url)
        .unwrap()
        .path()
        .trim_start_matches('/')
        .to_string();
    let killer = sea_orm::Database::connect(&base).await.unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let tasks = load(&app, &admin, 8, &stop);
    let mut terminated = 0;
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        // 57P01 admin_shutdown, as in a restart of the server, for every session of the service.
        use sea_orm::ConnectionTrait;
        let rows = killer
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DbBackend::Postgres,
                format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db_name}'"),
            ))
            .await
            .unwrap();
        terminated += rows.len();
    }
    wait_ready(&app).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    let (counts, created) = check_answers(tasks).await;
    eprintln!("{terminated} sessions terminated: {counts:?}");
    assert!(terminated > 0);
    killer.close().await.ok();
    assert_recovered(&app, &admin, &created).await;
}

#[tokio::test]
async fn a_sqlite_file_locked_by_another_process_answers_503_and_stores_nothing() {
    if postgres_url().is_some() {
        return;
    }
    use sea_orm::sqlx::{Connection, Executor, SqliteConnection};
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let locked = || {
        let unit = json!({"code": "LOCKED", "name": "锁定", "kind": "department"});
        admin.post("/api/v1/units", unit)
    };
    // Another program holds the write lock (as a backup or a second writer would).
    let mut other = SqliteConnection::connect(&app.settings.database_url)
        .await
        .unwrap();
    other.execute("BEGIN IMMEDIATE").await.unwrap();
    other.execute("UPDATE units SET name = name").await.unwrap();

    assert_unavailable(locked().await).await;
    // Reads go on beside the lock.
    let r = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);

    other.execute("ROLLBACK").await.unwrap();
    other.close().await.unwrap();
    assert_eq!(admin.total("/api/v1/units").await, 0, "nothing was stored");
    assert_eq!(locked().await.status(), 201);
}
