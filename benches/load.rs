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
//! - reading the change feed once those writes have filled it (2,500 forms: about 7,500 events;
//!   `seed-province` writes none): events/s for a viewer API client paging through the whole
//!   feed 1000 events at a time, and the p50/p99 of one page,
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
/// Events per page of the change feed (its most), and timed passes through the whole feed.
const FEED_PAGE: usize = 1000;
const FEED_PASSES: usize = 5;

/// Items prepared so far (their names must differ).
static PREPARED: AtomicUsize = AtomicUsize::new(0);

type Error = Box<dyn std::error::Error + Send + Sync>;

#[path = "load/measure.rs"]
mod measure;
#[path = "load/support.rs"]
mod support;

use measure::*;
use support::*;

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

    // The change feed, as filled by the writes above (the generator writes no events).
    let token = viewer_client_token(&c, &base).await?;
    let cpu = cpu_seconds(server.child.id())?;
    let feed = read_feed(&c, &base, &token, FEED_PASSES).await?;
    let cpu = cpu_seconds(server.child.id())? - cpu;
    let thousands_read = (feed.events * (FEED_PASSES + 1)) as f64 / 1000.0;
    out.push((
        format!(
            "read the change feed: a viewer API client pages through all {} events ({:.1} MB), {FEED_PAGE} a page, {FEED_PASSES} times",
            grouped(feed.events),
            feed.bytes as f64 / 1e6
        ),
        format!(
            "{:.0} events/s; one page p50 {}, p99 {} ({} pages); server CPU {:.1} ms per {FEED_PAGE} events",
            feed.per_second,
            ms(percentile(&feed.pages, 50.0)),
            ms(percentile(&feed.pages, 99.0)),
            feed.pages.len(),
            cpu * 1000.0 / thousands_read
        ),
    ));

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
