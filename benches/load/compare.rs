//! The service's reads and creates beside pgbench's run of the same SQL, on the same database.
//!
//! A comparison that cannot be made (no readable PostgreSQL log, no pgbench) says why in its row
//! and the rest of the run goes on.

use super::capture::{listing, Statement};
use super::pgbench::*;
use super::*;

/// Reading one form (right after the service's read phase, at `service` req/s) beside pgbench
/// running the statements the server sends for one read.
pub(crate) async fn read_vs_pgbench(
    ctx: &Ctx,
    db_url: &str,
    ids: &[String],
    service: f64,
    out: &mut Vec<Row>,
    notes: &mut Vec<String>,
) {
    let label = format!(
        "read one submission vs pgbench running the statements the server sends for one read \
         (`-M prepared`, {CONCURRENCY} clients, {} s; each id parameter bound as \
         `(SELECT … FROM bench_ids WHERE n = :n)`, n random per transaction over the same {} forms; \
         other parameters as captured)",
        READ_FOR.as_secs(),
        ids.len()
    );
    let result = async {
        let statements = capture_read(ctx, db_url, ids).await?;
        let tps = read_tps(db_url, &statements, ids).await?;
        Ok::<_, Error>((statements, tps))
    }
    .await;
    match result {
        Ok((statements, tps)) => {
            out.push((label, ratio(service, "req/s", tps, &statements, "read")));
            notes.push(note(
                "one read (GET /api/v1/submissions/{id}, finance)",
                &statements,
            ));
        }
        Err(e) => not_measured(label, e, out),
    }
}

/// Creating one form (32 reporters back to back, create only) beside pgbench inserting one form
/// row and its 20 value rows in one transaction.
pub(crate) async fn create_vs_pgbench(
    ctx: &Ctx,
    db_url: &str,
    tokens: &[String],
    out: &mut Vec<Row>,
    notes: &mut Vec<String>,
) -> Result<(), Error> {
    let phase = Forms {
        label: "32 clients, back to back",
        clients: CONCURRENCY,
        per_client: FORMS_PER_CLIENT,
        every: None,
        submit: false,
    };
    let filed = forms_row(ctx, tokens, &phase, out).await?;
    let label = format!(
        "create a {INDICATORS}-indicator form (32 clients, back to back) vs pgbench inserting one \
         form row and its {INDICATORS} value rows in one transaction (`BEGIN`; `INSERT … RETURNING`; \
         one {INDICATORS}-row `INSERT`; `COMMIT`; `-M prepared`, {CONCURRENCY} clients, {} s; into \
         `LIKE … INCLUDING ALL` copies of the tables, the values of a form the service created)",
        READ_FOR.as_secs()
    );
    let result = async {
        let (statements, form_id) = capture_create(ctx, db_url).await?;
        let tps = create_tps(db_url, &form_id).await?;
        Ok::<_, Error>((statements, tps))
    }
    .await;
    match result {
        Ok((statements, tps)) => {
            let row = ratio(filed.per_second, "forms/s", tps, &statements, "create");
            out.push((
                label,
                format!("{row}; server CPU {:.1} ms per form", filed.cpu_ms),
            ));
            notes.push(note(
                "one create (POST /api/v1/submissions, a reporter)",
                &statements,
            ));
        }
        Err(e) => not_measured(label, e, out),
    }
    Ok(())
}

fn ratio(service: f64, unit: &str, pgbench: f64, statements: &[Statement], per: &str) -> String {
    format!(
        "service {service:.0} {unit}, pgbench {pgbench:.0} tps: {:.0} %; {} round trips per {per}",
        100.0 * service / pgbench,
        statements.len()
    )
}

fn not_measured(label: String, e: Error, out: &mut Vec<Row>) {
    eprintln!("{label}: not measured: {e}");
    let first = e.to_string().lines().next().unwrap_or_default().to_string();
    out.push((label, format!("not measured: {first}")));
}

/// The captured statements, printed after the table.
fn note(what: &str, statements: &[Statement]) -> String {
    format!(
        "Statements for {what}, {} round trips:\n\n{}",
        statements.len(),
        listing(statements)
    )
}
