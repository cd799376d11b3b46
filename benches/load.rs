//! The province-scale load benchmark, against PostgreSQL.
//!
//! For each size (units; 200 is the province scale of 15,000 forms and 300,000 indicator values)
//! it creates a fresh database, fills it with `budget-monitor seed-province` (timed), starts the
//! release server as its own process, and measures over real HTTP on loopback:
//!
//! - the JSON, the XLSX and the DOCX report of the whole period (finance; one request at a
//!   time), with their sizes,
//! - reading one submission: requests/s with 32 concurrent connections for 10 s,
//! - creating and submitting a 20-indicator form, p50/p99: one client alone; 32 clients back to
//!   back (the server saturated: latency is then 32 ÷ throughput, queueing); 32 clients each
//!   starting a form every 500, 250 or 125 ms (64, 128 or 256 forms/s offered),
//! - the server's CPU time per request or form, and its peak resident memory (VmHWM).
//!
//! ```sh
//! cargo bench --bench load              # 20 units (0.1×), then 200 (1×)
//! cargo bench --bench load -- 200       # one size
//! BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres cargo bench --bench load
//! ```
//!
//! The load generator shares the machine's cores with the server and PostgreSQL, so the figures
//! are a floor of what the server does on its own.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::{header, Client, StatusCode};
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_budget-monitor");
const PASSWORD: &str = "bench-password-2026";
const CONCURRENCY: usize = 32;
const READ_FOR: Duration = Duration::from_secs(10);
/// Create+submit operations per client.
const FORMS_PER_CLIENT: usize = 25;
const INDICATORS: usize = 20;
const REPORT_RUNS: usize = 5;

/// Items prepared so far (their names must differ).
static PREPARED: AtomicUsize = AtomicUsize::new(0);

type Error = Box<dyn std::error::Error + Send + Sync>;

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(db_url: &str) -> Result<Self, Error> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let child = Command::new(BIN)
            .arg("serve")
            .env("DATABASE_URL", db_url)
            .env("BM_BIND", format!("127.0.0.1:{port}"))
            .env(
                "BM_JWT_SECRET",
                "bench-secret-bench-secret-bench-secret-0123",
            )
            .env("BM_ADMIN_PASSWORD", PASSWORD)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        Ok(Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        })
    }

    /// Peak and current resident memory, in MiB.
    fn memory(&self) -> Result<(f64, f64), Error> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let kib = |key: &str| -> f64 {
            status
                .lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<f64>().ok())
                .unwrap_or(f64::NAN)
        };
        Ok((kib("VmHWM:") / 1024.0, kib("VmRSS:") / 1024.0))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// A count with thousands separators: 1,734,567.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn fresh_database(base: &str, name: &str) -> Result<String, Error> {
    let admin = sea_orm::Database::connect(base).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    // Same server and options (`?sslmode=…`), another database.
    let (url, options) = base.split_once('?').unwrap_or((base, ""));
    let (prefix, _) = url
        .rsplit_once('/')
        .ok_or("BENCH_DATABASE_URL needs a database name")?;
    let options = if options.is_empty() {
        String::new()
    } else {
        format!("?{options}")
    };
    Ok(format!("{prefix}/{name}{options}"))
}

async fn drop_database(base: &str, name: &str) -> Result<(), Error> {
    let admin = sea_orm::Database::connect(base).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin.close().await?;
    Ok(())
}

async fn expect(res: reqwest::Response, want: StatusCode) -> Result<reqwest::Response, Error> {
    if res.status() != want {
        let status = res.status();
        let body = res.text().await.unwrap_or_default();
        return Err(format!("expected {want}, got {status}: {body}").into());
    }
    Ok(res)
}

async fn login(c: &Client, base: &str, username: &str) -> Result<String, Error> {
    let res = c
        .post(format!("{base}/api/v1/auth/token"))
        .json(&json!({"username": username, "password": PASSWORD}))
        .send()
        .await?;
    let body: Value = expect(res, StatusCode::OK).await?.json().await?;
    Ok(body["access_token"]
        .as_str()
        .ok_or("no access_token")?
        .to_string())
}

async fn wait_ready(c: &Client, base: &str) -> Result<(), Error> {
    let until = Instant::now() + Duration::from_secs(60);
    while Instant::now() < until {
        if let Ok(r) = c.get(format!("{base}/readyz")).send().await {
            if r.status().is_success() {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("the server did not become ready".into())
}

/// Times `runs` requests one after another (after one warm-up); returns the sorted latencies and
/// the body size.
async fn time_report(
    c: &Client,
    url: &str,
    token: &str,
    accept: &str,
    runs: usize,
) -> Result<(Vec<Duration>, usize), Error> {
    let mut times = vec![];
    let mut size = 0;
    for n in 0..=runs {
        let started = Instant::now();
        let res = c
            .get(url)
            .bearer_auth(token)
            .header(header::ACCEPT, accept)
            .send()
            .await?;
        let body = expect(res, StatusCode::OK).await?.bytes().await?;
        if n > 0 {
            times.push(started.elapsed());
        }
        size = body.len();
    }
    times.sort();
    Ok((times, size))
}

/// Reads submissions for [`READ_FOR`] from [`CONCURRENCY`] clients; requests/s and latencies.
async fn read_load(
    c: &Client,
    base: &str,
    token: &str,
    ids: &[String],
) -> Result<(f64, Vec<Duration>), Error> {
    let ids = Arc::new(ids.to_vec());
    let started = Instant::now();
    let deadline = started + READ_FOR;
    let mut tasks = vec![];
    for w in 0..CONCURRENCY {
        let (c, base, token, ids) = (c.clone(), base.to_string(), token.to_string(), ids.clone());
        tasks.push(tokio::spawn(async move {
            let mut times = vec![];
            let mut n = w;
            while Instant::now() < deadline {
                let id = &ids[n % ids.len()];
                n += CONCURRENCY;
                let t = Instant::now();
                let res = c
                    .get(format!("{base}/api/v1/submissions/{id}"))
                    .bearer_auth(&token)
                    .send()
                    .await?;
                expect(res, StatusCode::OK).await?.bytes().await?;
                times.push(t.elapsed());
            }
            Ok::<_, Error>(times)
        }));
    }
    let all = latencies(tasks).await?;
    Ok((all.len() as f64 / started.elapsed().as_secs_f64(), all))
}

/// The item (with its 20 indicators) a client files a form on, created through the API.
async fn prepare_item(c: &Client, base: &str, token: &str, n: usize) -> Result<Value, Error> {
    let res = c
        .post(format!("{base}/api/v1/items"))
        .bearer_auth(token)
        .json(&json!({
            "year": 2026, "kind": "project", "name": format!("压测项目{n:05}"),
            "budget": {"fiscal": "120.5", "union": "80.25"},
            "annual_goal": "按计划完成年度目标", "start_year": 2026, "end_year": 2026
        }))
        .send()
        .await?;
    let item: Value = expect(res, StatusCode::CREATED).await?.json().await?;
    let item_id = item["id"].as_str().ok_or("no item id")?.to_string();
    let mut ids = vec![];
    for j in 0..INDICATORS {
        let res = c
            .post(format!("{base}/api/v1/items/{item_id}/indicators"))
            .bearer_auth(token)
            .json(&json!({
                "level1": "output", "level2": "quantity", "name": format!("服务人次{j}"),
                "measure_unit": "人次", "direction": "higher_better", "target": "1000",
                "prorate": true
            }))
            .send()
            .await?;
        let ind: Value = expect(res, StatusCode::CREATED).await?.json().await?;
        ids.push(ind["id"].clone());
    }
    Ok(json!({"item_id": item_id, "indicators": ids}))
}

/// Creates and submits one form on each prepared item, each client working through its own list.
/// Back to back when `every` is `None`; otherwise client `w` starts its `k`-th form at
/// `start + k × every` (staggered across clients), and the latency counts from that scheduled
/// start, so a slow server cannot hide its queue by delaying the next request.
async fn create_submit_load(
    c: &Client,
    base: &str,
    period: &str,
    work: Vec<(String, Vec<Value>)>,
    every: Option<Duration>,
) -> Result<Vec<Duration>, Error> {
    let clients = work.len() as u32;
    let start = tokio::time::Instant::now() + Duration::from_millis(50);
    let mut tasks = vec![];
    for (w, (token, items)) in work.into_iter().enumerate() {
        let (c, base, period) = (c.clone(), base.to_string(), period.to_string());
        tasks.push(tokio::spawn(async move {
            let mut times = vec![];
            for (k, it) in items.into_iter().enumerate() {
                let values: Vec<Value> = it["indicators"]
                    .as_array()
                    .ok_or("no indicators")?
                    .iter()
                    .map(|id| json!({"indicator_id": id, "actual": "520", "possibility": "certain"}))
                    .collect();
                let body = json!({
                    "period_id": period, "item_id": it["item_id"],
                    "executed": {"fiscal": "60.25", "union": "40.125"},
                    "expected_year_end": {"fiscal": "120.5", "union": "80.25"},
                    "goal_progress": "上半年按计划推进", "indicator_values": values,
                    "outlook": "certain",
                    "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}
                });
                let t = match every {
                    Some(every) => {
                        let at = start + every * k as u32 + every * w as u32 / clients;
                        tokio::time::sleep_until(at).await;
                        at.into_std()
                    }
                    None => Instant::now(),
                };
                let res = c
                    .post(format!("{base}/api/v1/submissions"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await?;
                let form: Value = expect(res, StatusCode::CREATED).await?.json().await?;
                let id = form["id"].as_str().ok_or("no form id")?;
                let res = c
                    .post(format!("{base}/api/v1/submissions/{id}/submit"))
                    .bearer_auth(&token)
                    .send()
                    .await?;
                expect(res, StatusCode::OK).await?.bytes().await?;
                times.push(t.elapsed());
            }
            Ok::<_, Error>(times)
        }));
    }
    latencies(tasks).await
}

/// Every client's latencies, sorted.
async fn latencies(
    tasks: Vec<tokio::task::JoinHandle<Result<Vec<Duration>, Error>>>,
) -> Result<Vec<Duration>, Error> {
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await??);
    }
    all.sort();
    Ok(all)
}

/// CPU seconds (user + system) the process has used so far.
fn cpu_seconds(pid: u32) -> Result<f64, Error> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit_once(')').ok_or("bad /proc stat")?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f[11].parse::<f64>()? + f[12].parse::<f64>()?;
    Ok(ticks / 100.0)
}

async fn run(base_url: &str, units: usize) -> Result<Vec<(String, String)>, Error> {
    let name = format!("bm_bench_{units}");
    let db_url = fresh_database(base_url, &name).await?;
    let mut out: Vec<(String, String)> = vec![];

    let started = Instant::now();
    let seeded = Command::new(BIN)
        .args(["seed-province", "--units", &units.to_string()])
        .env("DATABASE_URL", &db_url)
        .env(
            "BM_JWT_SECRET",
            "bench-secret-bench-secret-bench-secret-0123",
        )
        .env("BM_ADMIN_PASSWORD", PASSWORD)
        .env("BM_DEMO_PASSWORD", PASSWORD)
        .output()?;
    if !seeded.status.success() {
        return Err(String::from_utf8_lossy(&seeded.stderr).to_string().into());
    }
    let seed_time = started.elapsed();
    eprint!("{}", String::from_utf8_lossy(&seeded.stdout));
    out.push((
        "generate (migrate + seed-province)".into(),
        format!("{:.1} s", seed_time.as_secs_f64()),
    ));

    let server = Server::start(&db_url)?;
    let c = Client::builder().pool_max_idle_per_host(64).build()?;
    let base = server.base.clone();
    wait_ready(&c, &base).await?;
    let fin = login(&c, &base, "finance").await?;
    let periods: Value = c
        .get(format!("{base}/api/v1/periods"))
        .bearer_auth(&fin)
        .send()
        .await?
        .json()
        .await?;
    let period = periods["items"][0]["id"]
        .as_str()
        .ok_or("no period")?
        .to_string();

    let report_url = format!("{base}/api/v1/periods/{period}/report");
    let (times, size) = time_report(&c, &report_url, &fin, "application/json", REPORT_RUNS).await?;
    out.push((
        format!(
            "JSON report ({:.1} MB), median / max of {REPORT_RUNS}",
            size as f64 / 1e6
        ),
        format!(
            "{} / {}",
            ms(percentile(&times, 50.0)),
            ms(times[times.len() - 1])
        ),
    ));
    for (name, media_type) in [
        (
            "XLSX",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "DOCX",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ] {
        let (times, size) = time_report(&c, &report_url, &fin, media_type, REPORT_RUNS).await?;
        out.push((
            format!(
                "{name} report ({:.1} MB, {} bytes), median / max of {REPORT_RUNS}",
                size as f64 / 1e6,
                grouped(size)
            ),
            format!(
                "{} / {}",
                ms(percentile(&times, 50.0)),
                ms(times[times.len() - 1])
            ),
        ));
    }

    let page: Value = c
        .get(format!(
            "{base}/api/v1/submissions?period_id={period}&per_page=200"
        ))
        .bearer_auth(&fin)
        .send()
        .await?
        .json()
        .await?;
    let ids: Vec<String> = page["items"]
        .as_array()
        .ok_or("no submissions")?
        .iter()
        .filter_map(|s| s["id"].as_str().map(String::from))
        .collect();
    let cpu = cpu_seconds(server.child.id())?;
    let (rps, times) = read_load(&c, &base, &fin, &ids).await?;
    let cpu = cpu_seconds(server.child.id())? - cpu;
    out.push((
        format!(
            "read one submission, {CONCURRENCY} connections, {} s",
            READ_FOR.as_secs()
        ),
        format!(
            "{rps:.0} req/s (p50 {}, p99 {}); server CPU {:.2} ms per request",
            ms(percentile(&times, 50.0)),
            ms(percentile(&times, 99.0)),
            cpu * 1000.0 / times.len() as f64
        ),
    ));

    // Each client files as one unit's reporter, on items prepared through the API beforehand.
    let mut tokens = vec![];
    for w in 0..CONCURRENCY {
        let reporter = format!("p{:03}.reporter", w % units + 1);
        tokens.push(login(&c, &base, &reporter).await?);
    }
    let ms_ = Duration::from_millis;
    let phases: [(&str, usize, usize, Option<Duration>); 5] = [
        ("1 client, back to back", 1, 100, None),
        (
            "32 clients, back to back",
            CONCURRENCY,
            FORMS_PER_CLIENT,
            None,
        ),
        (
            "32 clients, each one every 500 ms (64/s offered)",
            CONCURRENCY,
            10,
            Some(ms_(500)),
        ),
        (
            "32 clients, each one every 250 ms (128/s offered)",
            CONCURRENCY,
            20,
            Some(ms_(250)),
        ),
        (
            "32 clients, each one every 125 ms (256/s offered)",
            CONCURRENCY,
            20,
            Some(ms_(125)),
        ),
    ];
    for (label, clients, per_client, every) in phases {
        let mut prep = vec![];
        for token in tokens.iter().take(clients) {
            let (c, base, token) = (c.clone(), base.clone(), token.clone());
            prep.push(tokio::spawn(async move {
                let mut items = vec![];
                for _ in 0..per_client {
                    let n = PREPARED.fetch_add(1, Ordering::Relaxed);
                    items.push(prepare_item(&c, &base, &token, n).await?);
                }
                Ok::<_, Error>(items)
            }));
        }
        let mut work = vec![];
        for (w, p) in prep.into_iter().enumerate() {
            work.push((tokens[w].clone(), p.await??));
        }
        let cpu = cpu_seconds(server.child.id())?;
        let started = Instant::now();
        let times = create_submit_load(&c, &base, &period, work, every).await?;
        let wall = started.elapsed().as_secs_f64();
        let cpu = cpu_seconds(server.child.id())? - cpu;
        out.push((
            format!("create + submit a {INDICATORS}-indicator form: {label}"),
            format!(
                "p50 {}, p99 {}, max {}; {:.0} forms/s; server CPU {:.1} ms per form ({} forms)",
                ms(percentile(&times, 50.0)),
                ms(percentile(&times, 99.0)),
                ms(times[times.len() - 1]),
                times.len() as f64 / wall,
                cpu * 1000.0 / times.len() as f64,
                times.len()
            ),
        ));
    }

    let (peak, now) = server.memory()?;
    out.push((
        "server memory: peak (VmHWM) / at the end (VmRSS)".into(),
        format!("{peak:.1} MiB / {now:.1} MiB"),
    ));
    drop(server);
    drop_database(base_url, &name).await?;
    Ok(out)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        sizes = vec![20, 200];
    }
    let base = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    for units in sizes {
        let rows = run(&base, units).await?;
        println!(
            "\n{units} units × 75 forms × 20 indicators ({} forms, {} indicator values), PostgreSQL\n",
            units * 75,
            units * 75 * 20
        );
        println!("| measure | result |\n|---|---|");
        for (k, v) in rows {
            println!("| {k} | {v} |");
        }
    }
    Ok(())
}
