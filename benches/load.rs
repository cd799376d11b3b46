//! The province-scale load benchmark, against PostgreSQL and against the embedded SQLite.
//!
//! For each size (units; 200 is the province scale of 15,000 forms and 300,000 indicator values)
//! it creates a fresh database, fills it with `budget-monitor seed-province` (timed), starts the
//! release server as its own process, and measures over real HTTP on loopback:
//!
//! - the JSON, the XLSX and the DOCX report of the whole period (finance; one request at a
//!   time), with their sizes,
//! - reading one submission: requests/s with 32 concurrent connections for 10 s; then, on the
//!   same database, pgbench (`-M prepared`, 32 clients, 10 s) running the SQL the server sends
//!   for one read, with random ids, and the service's share of pgbench's rate,
//! - creating and submitting a 20-indicator form, p50/p99: one client alone; 32 clients back to
//!   back (the server saturated: latency is then 32 ÷ throughput, queueing); 32 clients each
//!   starting a form every 500, 250 or 125 ms (64, 128 or 256 forms/s offered),
//! - reading the change feed once those writes have filled it (2,500 forms: about 7,500 events;
//!   `seed-province` writes none): events/s for a viewer API client paging through the whole
//!   feed 1000 events at a time, and the p50/p99 of one page,
//! - creating a form only (32 clients back to back), beside pgbench inserting one form row and
//!   its 20 value rows in one transaction (32 clients, into copies of the two tables), with the
//!   service's share of pgbench's rate,
//! - the server's CPU time per request or form, its peak resident memory (VmHWM), and the
//!   database round trips of one read and of one create.
//!
//! The statements of one read and of one create are captured from the PostgreSQL log: a second
//! server process runs on the database with `log_statement = all` for its own connections only
//! (a startup option in its `DATABASE_URL`), and the log records written while it serves the
//! request are its statements (printed after the table). The log is `BENCH_PG_LOG`, or the
//! newest /var/log/postgresql/postgresql-*-main.log; pgbench is `BENCH_PGBENCH` or `pgbench`.
//! Without them the comparison rows say why they were not measured.
//!
//! Then, on a fresh SQLite file (in a temporary folder) seeded the same way: reading one
//! submission (32 connections, 10 s), and creating and submitting a form, one client and 32
//! clients back to back. If `seed-province` takes longer than `BENCH_SQLITE_SEED_SECS` (600) on
//! SQLite, that size's SQLite table is measured at 20 units and says so.
//!
//! With several sizes, a last table shows how the costs grow with the data: the reports' times,
//! peak memory, reads/s and forms/s, one row per size.
//!
//! ```sh
//! cargo bench --bench load                  # 20 units (0.1×), then 200 (1×)
//! cargo bench --bench load -- 200           # one size
//! cargo bench --bench load -- 20 200 600    # 0.1×, 1× and 3×, and the growth table
//! BENCH_DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable" cargo bench --bench load
//! ```
//!
//! The load generator (and pgbench) shares the machine's cores with the server and PostgreSQL,
//! so the figures are a floor of what the server does on its own.

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

#[path = "load/capture.rs"]
mod capture;
#[path = "load/compare.rs"]
mod compare;
#[path = "load/measure.rs"]
mod measure;
#[path = "load/pgbench.rs"]
mod pgbench;
#[path = "load/phases.rs"]
mod phases;
#[path = "load/sqlite.rs"]
mod sqlite;
#[path = "load/support.rs"]
mod support;

use compare::*;
use measure::*;
use phases::*;
use support::*;

/// One size's row of the growth table.
#[derive(Default)]
struct Growth {
    units: usize,
    /// The medians of the JSON, XLSX and DOCX reports.
    reports: [Duration; 3],
    peak_mib: f64,
    read_rps: f64,
    /// Create + submit, 32 clients back to back.
    forms_32: f64,
}

/// What one size gave: the PostgreSQL table, the statements captured, the SQLite table (and the
/// units it was measured at), the growth row.
struct SizeRun {
    postgres: Vec<Row>,
    notes: Vec<String>,
    sqlite: (usize, Vec<Row>),
    growth: Growth,
}

async fn run(base_url: &str, units: usize) -> Result<SizeRun, Error> {
    let name = format!("bm_bench_{units}");
    let db_url = fresh_database(base_url, &name).await?;
    let result = on_postgres(&db_url, units).await;
    let dropped = drop_database(base_url, &name).await;
    let (postgres, notes, growth) = result?;
    dropped?;
    let sqlite = sqlite::run(units).await?;
    Ok(SizeRun {
        postgres,
        notes,
        sqlite,
        growth,
    })
}

/// Fills a database with `seed-province`; how long it took, or `None` when it did not finish
/// within `limit` (then stopped).
fn seed(
    db_url: &str,
    units: usize,
    env: &[(&str, &str)],
    limit: Option<Duration>,
) -> Result<Option<Duration>, Error> {
    let started = Instant::now();
    let child = Command::new(BIN)
        .args(["seed-province", "--units", &units.to_string()])
        .env("DATABASE_URL", db_url)
        .env(
            "BM_JWT_SECRET",
            "bench-secret-bench-secret-bench-secret-0123",
        )
        .env("BM_ADMIN_PASSWORD", PASSWORD)
        .env("BM_DEMO_PASSWORD", PASSWORD)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()).ok());
    let seeded = match rx.recv_timeout(limit.unwrap_or(Duration::MAX)) {
        Ok(seeded) => seeded?,
        Err(_) => {
            Command::new("kill").arg(pid.to_string()).status()?;
            rx.recv()??;
            return Ok(None);
        }
    };
    if !seeded.status.success() {
        return Err(String::from_utf8_lossy(&seeded.stderr).to_string().into());
    }
    eprint!("{}", String::from_utf8_lossy(&seeded.stdout));
    Ok(Some(started.elapsed()))
}

async fn on_postgres(db_url: &str, units: usize) -> Result<(Vec<Row>, Vec<String>, Growth), Error> {
    let mut g = Growth {
        units,
        ..Default::default()
    };
    let took = seed(db_url, units, &[], None)?.ok_or("seed-province did not finish")?;
    let mut out = vec![(
        "generate (migrate + seed-province)".to_string(),
        format!("{:.1} s", took.as_secs_f64()),
    )];
    let server = Server::start(db_url)?;
    let ctx = Ctx::new(&server).await?;
    g.reports = report_rows(&ctx, &mut out).await?;
    let ids = submission_ids(&ctx).await?;
    g.read_rps = read_row(&ctx, &ids, &mut out).await?;
    let mut notes = vec![];
    read_vs_pgbench(&ctx, db_url, &ids, g.read_rps, &mut out, &mut notes).await;
    // Each client files as one unit's reporter, on items prepared through the API beforehand.
    let tokens = reporter_tokens(&ctx, units).await?;
    for (k, phase) in create_submit_phases().iter().enumerate() {
        let filed = forms_row(&ctx, &tokens, phase, &mut out).await?;
        if k == 1 {
            g.forms_32 = filed.per_second;
        }
    }
    feed_row(&ctx, &mut out).await?;
    create_vs_pgbench(&ctx, db_url, &tokens, &mut out, &mut notes).await?;
    let (peak, now) = server.memory()?;
    g.peak_mib = peak;
    out.push((
        "server memory: peak (VmHWM) / at the end (VmRSS)".into(),
        format!("{peak:.1} MiB / {now:.1} MiB"),
    ));
    Ok((out, notes, g))
}

fn print_table(heading: String, rows: &[Row]) {
    println!("\n{heading}\n");
    println!("| measure | result |\n|---|---|");
    for (k, v) in rows {
        println!("| {k} | {v} |");
    }
}

/// How the costs grow with the data, one row per size.
fn print_growth(rows: &[Growth]) {
    println!("\nGrowth with the data, PostgreSQL\n");
    println!(
        "| units | forms | JSON report | XLSX report | DOCX report | server VmHWM | read one submission | create + submit, 32 clients |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for g in rows {
        println!(
            "| {} | {} | {} | {} | {} | {:.1} MiB | {:.0} req/s | {:.0} forms/s |",
            g.units,
            grouped(g.units * 75),
            ms(g.reports[0]),
            ms(g.reports[1]),
            ms(g.reports[2]),
            g.peak_mib,
            g.read_rps,
            g.forms_32
        );
    }
    println!("\n(report times: the median of {REPORT_RUNS})");
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
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable".into());
    let mut growth = vec![];
    for units in sizes {
        let run = run(&base, units).await?;
        let of = |units: usize| {
            format!(
                "{units} units × 75 forms × 20 indicators ({} forms, {} indicator values)",
                units * 75,
                units * 75 * 20
            )
        };
        print_table(format!("{}, PostgreSQL", of(units)), &run.postgres);
        for note in &run.notes {
            println!("\n{note}");
        }
        print_table(format!("{}, SQLite", of(run.sqlite.0)), &run.sqlite.1);
        growth.push(run.growth);
    }
    if growth.len() > 1 {
        print_growth(&growth);
    }
    Ok(())
}
