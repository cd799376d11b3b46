//! Capturing the SQL the server sends for one request, from the PostgreSQL log.
//!
//! A second server process runs on the same database with `log_statement = all` set for its own
//! connections only (a startup option in its `DATABASE_URL`, allowed as the benchmark connects as
//! a superuser), so neither the server under test nor anyone else's database logs anything. The
//! statements of one request are the log records of that database written while the request
//! ran: `statement: …` (simple protocol: `BEGIN`, `COMMIT`) and `execute <name>: …` (prepared)
//! with its `DETAIL:  parameters: $1 = '…', …`.

use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;

use super::*;

/// The `application_name` of the capturing server's connections.
pub(crate) const CAPTURE_APP: &str = "bm-bench-capture";

/// One statement as the server sent it: its text and its parameters (`None`: NULL).
#[derive(Debug, Clone)]
pub(crate) struct Statement {
    pub(crate) sql: String,
    pub(crate) params: Vec<Option<String>>,
}

/// A server whose statements the PostgreSQL log records.
pub(crate) struct Capture {
    pub(crate) server: Server,
    log: PathBuf,
    database: String,
}

impl Capture {
    pub(crate) async fn start(c: &Client, db_url: &str) -> Result<Self, Error> {
        let log = log_file()?;
        let database = db_url
            .split('?')
            .next()
            .and_then(|u| u.rsplit('/').next())
            .ok_or("no database name in the URL")?
            .to_string();
        let sep = if db_url.contains('?') { '&' } else { '?' };
        let url = format!("{db_url}{sep}options[log_statement]=all&application_name={CAPTURE_APP}");
        // The webhook worker polls the database every second by default: not during a capture.
        let server = Server::start_with(&url, &[("BM_WEBHOOK_POLL_MS", "60000")])?;
        wait_ready(c, &server.base).await?;
        Ok(Capture {
            server,
            log,
            database,
        })
    }

    /// Where the log ends now: what `request` sends is logged after it.
    pub(crate) fn mark(&self) -> Result<u64, Error> {
        Ok(std::fs::metadata(&self.log)?.len())
    }

    /// The statements of this database logged since `mark` (after a moment for the log writes).
    pub(crate) async fn since(&self, mark: u64) -> Result<Vec<Statement>, Error> {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut file = std::fs::File::open(&self.log)?;
        file.seek(SeekFrom::Start(mark))?;
        let mut bytes = vec![];
        file.read_to_end(&mut bytes)?;
        let text = String::from_utf8_lossy(&bytes);
        let statements = parse_log(&text, &self.database)?;
        if statements.is_empty() {
            return Err(format!(
                "no statements of database {} in {} (set BENCH_PG_LOG to the PostgreSQL log file; \
                 it must be the server's stderr log with %p and %d in log_line_prefix)",
                self.database,
                self.log.display()
            )
            .into());
        }
        Ok(statements)
    }
}

/// The PostgreSQL log: `BENCH_PG_LOG`, or the newest /var/log/postgresql/postgresql-*-main.log.
fn log_file() -> Result<PathBuf, Error> {
    if let Ok(path) = std::env::var("BENCH_PG_LOG") {
        return Ok(path.into());
    }
    let dir = std::fs::read_dir("/var/log/postgresql").map_err(|e| {
        format!("cannot capture statements: /var/log/postgresql: {e} (set BENCH_PG_LOG)")
    })?;
    let mut logs = vec![];
    for entry in dir {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with("postgresql-") && name.ends_with("-main.log") {
            logs.push((entry.metadata()?.modified()?, entry.path()));
        }
    }
    logs.sort();
    let (_, path) = logs.pop().ok_or(
        "cannot capture statements: no PostgreSQL log in /var/log/postgresql (set BENCH_PG_LOG)",
    )?;
    std::fs::File::open(&path)
        .map_err(|e| format!("cannot capture statements: {}: {e}", path.display()))?;
    Ok(path)
}

/// The statements of `database` in a stretch of the log (`%m [%p] %q%u@%d ` prefixes; the
/// lines after the first of a record start with a tab).
fn parse_log(text: &str, database: &str) -> Result<Vec<Statement>, Error> {
    let mut records: Vec<String> = vec![];
    for line in text.lines() {
        match line.strip_prefix('\t') {
            Some(more) if !records.is_empty() => {
                let last = records.last_mut().expect("a record");
                last.push('\n');
                last.push_str(more);
            }
            _ => records.push(line.to_string()),
        }
    }
    let tag = format!("@{database} ");
    let mut statements: Vec<Statement> = vec![];
    // The last statement of each backend, which a DETAIL record that follows belongs to.
    let mut last_of: std::collections::HashMap<String, usize> = Default::default();
    for record in records.iter().filter(|r| r.contains(&tag)) {
        let pid = record
            .split_once(" [")
            .and_then(|(_, r)| r.split_once(']'))
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        if let Some((_, message)) = record.split_once(" LOG:  ") {
            let sql = if let Some(sql) = message.strip_prefix("statement: ") {
                sql
            } else if let Some(rest) = message.strip_prefix("execute ") {
                rest.split_once(": ").ok_or("bad execute record")?.1
            } else {
                continue;
            };
            last_of.insert(pid, statements.len());
            statements.push(Statement {
                sql: sql.trim().to_string(),
                params: vec![],
            });
        } else if let Some((_, detail)) = record.split_once(" DETAIL:  parameters: ") {
            if let Some(&k) = last_of.get(&pid) {
                statements[k].params = parse_parameters(detail)?;
            }
        }
    }
    Ok(statements)
}

/// `$1 = 'a''b', $2 = NULL` → `[Some("a'b"), None]`.
fn parse_parameters(detail: &str) -> Result<Vec<Option<String>>, Error> {
    let mut params = vec![];
    let mut rest = detail;
    while !rest.is_empty() {
        let (_, after) = rest.split_once(" = ").ok_or("bad parameters record")?;
        if let Some(after) = after.strip_prefix("NULL") {
            params.push(None);
            rest = after;
        } else {
            let mut chars = after
                .strip_prefix('\'')
                .ok_or("bad parameter")?
                .char_indices();
            let mut value = String::new();
            let end = loop {
                match chars.next() {
                    Some((i, '\'')) => {
                        if after[1 + i + 1..].starts_with('\'') {
                            value.push('\'');
                            chars.next();
                        } else {
                            break 1 + i + 1;
                        }
                    }
                    Some((_, ch)) => value.push(ch),
                    None => return Err("unterminated parameter".into()),
                }
            };
            params.push(Some(value));
            rest = &after[end..];
        }
        rest = rest.strip_prefix(", ").unwrap_or(rest);
    }
    Ok(params)
}

/// The statements as a numbered list, for the report.
pub(crate) fn listing(statements: &[Statement]) -> String {
    let mut out = String::new();
    for (k, s) in statements.iter().enumerate() {
        let sql: String = s.sql.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push_str(&format!("  {:>2}. {sql}", k + 1));
        if !s.params.is_empty() {
            let shown: Vec<String> = s
                .params
                .iter()
                .map(|p| match p {
                    Some(v) if v.chars().count() > 40 => {
                        format!("'{}…'", v.chars().take(40).collect::<String>())
                    }
                    Some(v) => format!("'{v}'"),
                    None => "NULL".into(),
                })
                .collect();
            out.push_str(&format!("  [{}]", shown.join(", ")));
        }
        out.push('\n');
    }
    out
}
