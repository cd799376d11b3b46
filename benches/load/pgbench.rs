//! The service beside pgbench on the same database: reading one form with the statements the
//! server sends for it, and inserting one form with its 20 value rows in one transaction.

use sea_orm::{DatabaseConnection, DbBackend, Statement as Sql};

use super::capture::{Capture, Statement, CAPTURE_APP};
use super::*;

/// How long and how many pgbench clients (as many as the service's connections).
const PGBENCH_FOR: Duration = Duration::from_secs(10);

/// The statements the server sends for one `GET /api/v1/submissions/{id}` (finance), after one
/// warm-up read on another id.
pub(crate) async fn capture_read(
    ctx: &Ctx,
    db_url: &str,
    ids: &[String],
) -> Result<Vec<Statement>, Error> {
    let cap = Capture::start(&ctx.c, db_url).await?;
    let base = cap.server.base.clone();
    let token = login(&ctx.c, &base, "finance").await?;
    let read = |id: &str| {
        let request = ctx
            .c
            .get(format!("{base}/api/v1/submissions/{id}"))
            .bearer_auth(&token);
        async move {
            expect(request.send().await?, StatusCode::OK)
                .await?
                .bytes()
                .await?;
            Ok::<_, Error>(())
        }
    };
    read(ids.last().ok_or("no submissions")?).await?;
    let mark = cap.mark()?;
    read(&ids[0]).await?;
    cap.since(mark).await
}

/// The statements the server sends for one `POST /api/v1/submissions` (a unit's reporter, 20
/// indicator values), after one warm-up create; and the id of the form it created.
pub(crate) async fn capture_create(
    ctx: &Ctx,
    db_url: &str,
) -> Result<(Vec<Statement>, String), Error> {
    let cap = Capture::start(&ctx.c, db_url).await?;
    let base = cap.server.base.clone();
    let token = login(&ctx.c, &base, "p001.reporter").await?;
    let mut bodies = vec![];
    for _ in 0..2 {
        let n = PREPARED.fetch_add(1, Ordering::Relaxed);
        let item = prepare_item(&ctx.c, &base, &token, n).await?;
        bodies.push(form_body(&ctx.period, &item)?);
    }
    create_form(&ctx.c, &base, &token, &bodies[0]).await?;
    let mark = cap.mark()?;
    let id = create_form(&ctx.c, &base, &token, &bodies[1]).await?;
    Ok((cap.since(mark).await?, id))
}

/// Runs the read statements through pgbench, the ids drawn at random from `ids` (kept in a
/// helper table `bench_ids`, dropped afterwards); its transactions/s.
pub(crate) async fn read_tps(
    db_url: &str,
    statements: &[Statement],
    ids: &[String],
) -> Result<f64, Error> {
    let db = sea_orm::Database::connect(db_url).await?;
    let result = async {
        capture_closed(&db).await?;
        let list: Vec<String> = ids
            .iter()
            .map(|id| quoted_uuid(id))
            .collect::<Result<_, _>>()?;
        db.execute_unprepared(&format!(
            "CREATE TABLE bench_ids AS SELECT (row_number() OVER (ORDER BY s.id))::int AS n, s.* \
             FROM submissions s WHERE s.id IN ({})",
            list.join(", ")
        ))
        .await?;
        db.execute_unprepared("ALTER TABLE bench_ids ADD PRIMARY KEY (n); ANALYZE bench_ids")
            .await?;
        let row = row_as_text(&db, "bench_ids", &format!("id = {}", list[0])).await?;
        let (script, defines) = read_script(statements, &row, ids.len());
        run_pgbench(db_url, "read", &script, &defines)
    }
    .await;
    db.execute_unprepared("DROP TABLE IF EXISTS bench_ids")
        .await?;
    db.close().await?;
    result
}

/// The pgbench script of one read: each parameter that is an id of the form read (a column of
/// its row: `id`, `item_id`, …) becomes `(SELECT <column> FROM bench_ids WHERE n = :n)`, n
/// random per transaction; NULL stays NULL; any other value (the user's id, a limit, …) is bound
/// as captured, through a variable defined on the command line.
fn read_script(
    statements: &[Statement],
    row: &[(String, Option<String>)],
    ids: usize,
) -> (String, Vec<(String, String)>) {
    let mut script = format!("\\set n random(1, {ids})\n");
    let mut defines = vec![];
    for (i, s) in statements.iter().enumerate() {
        let sql = bind_params(&s.sql, |k| match s.params.get(k - 1) {
            None | Some(None) => "NULL".into(),
            Some(Some(v)) => {
                let column = row
                    .iter()
                    .find(|(c, value)| is_uuid(v) && c == "id" && value.as_deref() == Some(v))
                    .or_else(|| {
                        row.iter()
                            .find(|(_, value)| is_uuid(v) && value.as_deref() == Some(v))
                    });
                match column {
                    Some((c, _)) => format!("(SELECT \"{c}\" FROM bench_ids WHERE n = :n)"),
                    None => {
                        defines.push((format!("p{i}_{k}"), v.clone()));
                        format!(":p{i}_{k}")
                    }
                }
            }
        });
        script.push_str(&one_line(&sql));
        script.push_str(";\n");
    }
    (script, defines)
}

/// pgbench inserting, 32 clients, one form row and its 20 value rows in one transaction
/// (`BEGIN`, one `INSERT … RETURNING`, one 20-row `INSERT`, `COMMIT`) into copies of the tables
/// (`LIKE … INCLUDING ALL`: columns, defaults, indexes, no foreign keys; dropped afterwards).
/// The values are those of the form `form_id` the service created (new ids: form, item,
/// indicators); its transactions/s.
pub(crate) async fn create_tps(db_url: &str, form_id: &str) -> Result<f64, Error> {
    let db = sea_orm::Database::connect(db_url).await?;
    let result = async {
        capture_closed(&db).await?;
        db.execute_unprepared(
            "CREATE TABLE bench_submissions (LIKE submissions INCLUDING ALL); \
             CREATE TABLE bench_submission_values (LIKE submission_values INCLUDING ALL)",
        )
        .await?;
        let id = quoted_uuid(form_id)?;
        let form = row_as_text(&db, "submissions", &format!("id = {id}")).await?;
        let value = row_as_text(&db, "submission_values", &format!("submission_id = {id}")).await?;
        let (script, defines) = create_script(&form, &value);
        run_pgbench(db_url, "create", &script, &defines)
    }
    .await;
    db.execute_unprepared("DROP TABLE IF EXISTS bench_submissions, bench_submission_values")
        .await?;
    db.close().await?;
    result
}

fn create_script(
    form: &[(String, Option<String>)],
    value: &[(String, Option<String>)],
) -> (String, Vec<(String, String)>) {
    let mut defines = vec![];
    let mut bind = |prefix: &str, column: &str, v: &Option<String>, fixed: &[(&str, &str)]| {
        if let Some((_, sql)) = fixed.iter().find(|(c, _)| *c == column) {
            return sql.to_string();
        }
        match v {
            None => "NULL".to_string(),
            Some(v) => {
                let name = format!("{prefix}_{column}");
                if !defines.iter().any(|(n, _)| *n == name) {
                    defines.push((name.clone(), v.clone()));
                }
                format!(":{name}")
            }
        }
    };
    let new_ids = [
        ("id", "gen_random_uuid()"),
        ("item_id", "gen_random_uuid()"),
    ];
    let form_values: Vec<String> = form
        .iter()
        .map(|(c, v)| bind("f", c, v, &new_ids))
        .collect();
    let value_ids = [
        ("submission_id", ":form_id"),
        ("indicator_id", "gen_random_uuid()"),
    ];
    let value_row: Vec<String> = value
        .iter()
        .map(|(c, v)| bind("v", c, v, &value_ids))
        .collect();
    let columns = |row: &[(String, Option<String>)]| -> String {
        let names: Vec<String> = row.iter().map(|(c, _)| format!("\"{c}\"")).collect();
        names.join(", ")
    };
    let rows = vec![format!("({})", value_row.join(", ")); INDICATORS];
    let script = format!(
        "BEGIN;\nINSERT INTO bench_submissions ({}) VALUES ({}) RETURNING id AS form_id \\gset\n\
         INSERT INTO bench_submission_values ({}) VALUES {};\nCOMMIT;\n",
        columns(form),
        form_values.join(", "),
        columns(value),
        rows.join(", ")
    );
    (script, defines)
}

/// Waits (at most 10 s) until the capturing server's connections have closed, as pgbench needs
/// as many connections as the server under test has open.
async fn capture_closed(db: &DatabaseConnection) -> Result<(), Error> {
    let sql = format!(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = '{CAPTURE_APP}'"
    );
    for _ in 0..100 {
        let row = db
            .query_one_raw(Sql::from_string(DbBackend::Postgres, sql.clone()))
            .await?
            .ok_or("no count")?;
        if row.try_get::<i32>("", "n")? == 0 {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("the capturing server's connections did not close".into())
}

/// Runs `pgbench -M prepared` with [`CONCURRENCY`] clients for [`PGBENCH_FOR`]; its tps. The
/// PostgreSQL server's connections are shared: when they run out, tries again a few times.
fn run_pgbench(
    db_url: &str,
    name: &str,
    script: &str,
    defines: &[(String, String)],
) -> Result<f64, Error> {
    let path = std::env::temp_dir().join(format!(
        "bm_bench_{name}_{}.pgbench.sql",
        std::process::id()
    ));
    std::fs::write(&path, script)?;
    let names: Vec<&str> = defines.iter().map(|(k, _)| k.as_str()).collect();
    eprintln!(
        "pgbench, {name}: script\n{script}(variables defined with -D, as captured: {})",
        names.join(", ")
    );
    let mut result = pgbench_once(db_url, &path, defines);
    for _ in 0..5 {
        match &result {
            Err(e) if e.to_string().contains("too many clients") => {
                eprintln!("pgbench, {name}: too many clients; trying again in 5 s");
                std::thread::sleep(Duration::from_secs(5));
                result = pgbench_once(db_url, &path, defines);
            }
            _ => break,
        }
    }
    std::fs::remove_file(&path).ok();
    result.map_err(|e| format!("{e}\nscript:\n{script}").into())
}

fn pgbench_once(
    db_url: &str,
    script: &std::path::Path,
    defines: &[(String, String)],
) -> Result<f64, Error> {
    let mut cmd = Command::new(std::env::var("BENCH_PGBENCH").unwrap_or_else(|_| "pgbench".into()));
    cmd.args(["-M", "prepared", "-n", "-j", "2"])
        .args(["-c", &CONCURRENCY.to_string()])
        .args(["-T", &PGBENCH_FOR.as_secs().to_string()])
        .arg("-f")
        .arg(script);
    for (k, v) in defines {
        cmd.arg("-D").arg(format!("{k}={v}"));
    }
    // The same TLS choice as the service's connections (`?sslmode=` of the database URL).
    if let Some(mode) = db_url
        .split_once('?')
        .and_then(|(_, q)| q.split('&').find_map(|kv| kv.strip_prefix("sslmode=")))
    {
        cmd.env("PGSSLMODE", mode);
    }
    let output = cmd
        .arg(db_url.split('?').next().unwrap_or(db_url))
        .output()
        .map_err(|e| format!("pgbench: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let tps = stdout
        .lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok());
    match tps {
        Some(tps) if output.status.success() => Ok(tps),
        _ => {
            // The first line of pgbench's complaint, for the row.
            let stderr = String::from_utf8_lossy(&output.stderr);
            let why = stderr.lines().find(|l| l.contains("error")).unwrap_or("");
            Err(format!("pgbench failed: {why}\n{stdout}{stderr}").into())
        }
    }
}

/// A row's columns as text (PostgreSQL's text form, as a parameter is sent), in table order.
async fn row_as_text(
    db: &DatabaseConnection,
    table: &str,
    filter: &str,
) -> Result<Vec<(String, Option<String>)>, Error> {
    let columns: Vec<String> = db
        .query_all_raw(Sql::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT column_name::text AS c FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = '{table}' \
                 ORDER BY ordinal_position"
            ),
        ))
        .await?
        .iter()
        .map(|r| r.try_get::<String>("", "c"))
        .collect::<Result<_, _>>()?;
    let select: Vec<String> = columns
        .iter()
        .map(|c| format!("\"{c}\"::text AS \"{c}\""))
        .collect();
    let row = db
        .query_one_raw(Sql::from_string(
            DbBackend::Postgres,
            format!(
                "SELECT {} FROM {table} WHERE {filter} LIMIT 1",
                select.join(", ")
            ),
        ))
        .await?
        .ok_or_else(|| format!("no row of {table} where {filter}"))?;
    let mut out = vec![];
    for c in columns {
        let v = row.try_get::<Option<String>>("", &c)?;
        out.push((c, v));
    }
    Ok(out)
}

/// `sql` with each parameter `$k` replaced by `bind(k)`.
fn bind_params(sql: &str, mut bind: impl FnMut(usize) -> String) -> String {
    let mut out = String::new();
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            let mut k = 0;
            while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
                k = k * 10 + d as usize;
                chars.next();
            }
            out.push_str(&bind(k));
        } else {
            out.push(ch);
        }
    }
    out
}

fn one_line(sql: &str) -> String {
    sql.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

fn is_uuid(v: &str) -> bool {
    v.len() == 36 && v.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

/// A UUID as an SQL literal, refusing anything else.
fn quoted_uuid(v: &str) -> Result<String, Error> {
    if is_uuid(v) {
        Ok(format!("'{v}'"))
    } else {
        Err(format!("not a UUID: {v}").into())
    }
}
