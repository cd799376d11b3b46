//! Queries, one module per aggregate. Every function takes `&impl ConnectionTrait`, so it runs
//! on the pool or inside a transaction alike.

pub mod adjustments;
pub mod audit;
pub mod batch;
pub mod clients;
pub mod corrective_actions;
pub mod db;
pub mod deliveries;
mod entities;
pub mod events;
pub mod history;
pub mod idempotency;
pub mod indicators;
pub mod items;
pub mod measures;
pub mod money;
pub mod periods;
pub mod rate_limits;
pub mod reports;
pub mod rule_filters;
pub(crate) mod shared;
pub mod submissions;
pub mod units;
pub mod users;
pub mod webhooks;

use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, EntityTrait, IntoActiveModel, Iterable, SqlErr,
    TransactionTrait,
};

/// A JSON value as a statement's parameter, sent as its text: PostgreSQL reads it as `jsonb`,
/// as it reads a bound JSON value (and assigns it to a `json` column from there); SQLite keeps
/// JSON as the same text. Bound as a tree instead, the value would be copied twice on its way to
/// the driver (once as the statement is built, once as it is bound) and written out there.
pub fn json_param(backend: DbBackend, v: Option<&serde_json::Value>) -> Expr {
    match v {
        None => Expr::val(sea_orm::Value::Json(None)),
        Some(v) => {
            let text = Expr::val(v.to_string());
            match backend {
                DbBackend::Postgres => text.cast_as("jsonb"),
                _ => text,
            }
        }
    }
}

/// Opens the pool: PostgreSQL as configured, or a SQLite file in WAL mode with a busy timeout,
/// so concurrent requests neither serialise on one connection nor see "database is locked".
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_with(url, if url.starts_with("sqlite") { 8 } else { 32 }).await
}

/// Opens a pool of at most `max_connections`.
pub(crate) async fn connect_with(
    url: &str,
    max_connections: u32,
) -> Result<DatabaseConnection, DbErr> {
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(5))
        .max_connections(max_connections)
        // No ping before each checkout: it would double the round trips of a short request. A
        // connection the server dropped fails its next query and leaves the pool.
        .test_before_acquire(false)
        .min_connections(1)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    Database::connect(opts).await
}

/// Begins a transaction that will write, on a connection of its own: on SQLite it takes the
/// write lock at once (`BEGIN IMMEDIATE`, waiting out other writers within the busy timeout),
/// so that reading first cannot make it fail with "database is locked" when another connection
/// (a running server, say) writes in between. For what writes from outside the service's own
/// writer: the seeds.
pub async fn begin_writing(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let immediate = sea_orm::TransactionOptions {
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
        ..Default::default()
    };
    db.begin_with_options(immediate).await
}

/// The current instant at the precision both databases keep (microseconds).
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Whether a database error is a unique-constraint violation.
pub fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

/// Whether a database error means the database cannot be reached right now, so that the same
/// request may succeed shortly: the connection was lost or refused, the server is shutting down
/// or restarting, it has too many connections, or (SQLite) the file is locked by another process
/// beyond the busy timeout, cannot be opened or read.
pub fn is_unavailable(e: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    match e {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(RuntimeErr::Internal(_)) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => sqlx_unavailable(e),
        _ => false,
    }
}

fn sqlx_unavailable(e: &sea_orm::sqlx::Error) -> bool {
    use sea_orm::sqlx::Error;
    match e {
        Error::Io(_)
        | Error::Tls(_)
        | Error::Protocol(_)
        | Error::PoolTimedOut
        | Error::PoolClosed
        | Error::WorkerCrashed => true,
        Error::Database(d) => d.code().is_some_and(|c| unavailable_code(&c)),
        _ => false,
    }
}

/// PostgreSQL SQLSTATEs and SQLite result codes that mean "unavailable, try again".
fn unavailable_code(code: &str) -> bool {
    // PostgreSQL: class 08 (connection exception); 57P01-57P03 and 57P05 (admin or crash
    // shutdown, cannot connect now, idle session timeout); 53300 (too many connections).
    if code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "57P05" | "53300") {
        return true;
    }
    // SQLite (extended codes; the primary code is the low byte): BUSY, LOCKED, IOERR, CANTOPEN.
    code.parse::<i32>()
        .is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 10 | 14))
}

/// Whether a database error is a foreign-key violation.
pub fn is_foreign_key_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::ForeignKeyConstraintViolation(_)))
}

/// Inserts rows with multi-row statements, each under both databases' limit on bound values.
/// How many rows of `E` one `INSERT` takes: 30,000 parameters at most (PostgreSQL allows
/// 65,535 per statement, SQLite 32,766).
pub(crate) fn rows_per_insert<E: EntityTrait>() -> usize {
    (30_000 / E::Column::iter().count().max(1)).max(1)
}

pub(crate) async fn insert_chunked<E, A>(
    db: &impl ConnectionTrait,
    rows: impl IntoIterator<Item = A>,
) -> Result<(), DbErr>
where
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E>,
    E::Model: IntoActiveModel<A>,
{
    let per_statement = rows_per_insert::<E>();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(per_statement).collect();
        E::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::sea_query::{Alias, Query};
    use sea_orm::{sqlx, ConnAcquireErr, RuntimeErr, Value};

    #[test]
    fn json_is_bound_as_its_text_and_read_as_jsonb_by_postgresql() {
        let v = serde_json::json!({"b": [1, "二"], "a": null});
        let insert = |backend: DbBackend, v: Option<&serde_json::Value>| {
            backend.build(
                Query::insert()
                    .into_table(Alias::new("t"))
                    .columns([Alias::new("j")])
                    .values_panic([json_param(backend, v)]),
            )
        };
        let text = Value::from(r#"{"a":null,"b":[1,"二"]}"#);
        let pg = insert(DbBackend::Postgres, Some(&v));
        assert_eq!(
            pg.sql,
            r#"INSERT INTO "t" ("j") VALUES (CAST($1 AS jsonb))"#
        );
        assert_eq!(pg.values.unwrap().0, vec![text.clone()]);
        let sqlite = insert(DbBackend::Sqlite, Some(&v));
        assert_eq!(sqlite.sql, r#"INSERT INTO "t" ("j") VALUES (?)"#);
        assert_eq!(sqlite.values.unwrap().0, vec![text]);
        // No value: a NULL of the JSON type, as before.
        let none = insert(DbBackend::Postgres, None);
        assert_eq!(none.sql, r#"INSERT INTO "t" ("j") VALUES ($1)"#);
        assert_eq!(none.values.unwrap().0, vec![Value::Json(None)]);
    }

    #[test]
    fn lost_refused_and_overloaded_databases_are_unavailable() {
        let io = || sqlx::Error::Io(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
        for (e, unavailable) in [
            (DbErr::ConnectionAcquire(ConnAcquireErr::Timeout), true),
            (
                DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
                true,
            ),
            (
                DbErr::Query(RuntimeErr::SqlxError(std::sync::Arc::new(io()))),
                true,
            ),
            (
                DbErr::Exec(RuntimeErr::SqlxError(std::sync::Arc::new(io()))),
                true,
            ),
            (
                DbErr::Conn(RuntimeErr::SqlxError(std::sync::Arc::new(
                    sqlx::Error::PoolTimedOut,
                ))),
                true,
            ),
            (
                DbErr::Exec(RuntimeErr::SqlxError(std::sync::Arc::new(
                    sqlx::Error::WorkerCrashed,
                ))),
                true,
            ),
            (
                DbErr::Query(RuntimeErr::SqlxError(std::sync::Arc::new(
                    sqlx::Error::RowNotFound,
                ))),
                false,
            ),
            (DbErr::Type("bad".into()), false),
            (DbErr::RecordNotFound("x".into()), false),
            (DbErr::Custom("x".into()), false),
        ] {
            assert_eq!(is_unavailable(&e), unavailable, "{e:?}");
        }
    }

    #[test]
    fn sqlstates_and_sqlite_codes_that_mean_try_again() {
        for (code, unavailable) in [
            ("08006", true),
            ("08003", true),
            ("57P01", true),
            ("57P02", true),
            ("57P03", true),
            ("53300", true),
            ("23505", false),
            ("22001", false),
            ("40001", false),
            ("5", true),
            ("517", true),
            ("6", true),
            ("10", true),
            ("3850", true),
            ("14", true),
            ("19", false),
            ("2067", false),
            ("1", false),
        ] {
            assert_eq!(unavailable_code(code), unavailable, "{code}");
        }
    }
}
