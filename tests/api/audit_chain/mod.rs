//! The audit trail as a hash chain: every event carries its seq and hashes, the verify endpoint
//! and the CLI recompute the chain and name the first event that does not fit, and the database
//! itself refuses to change or delete events.

mod chain;
mod migration;
mod tampering;
mod writers;

use std::process::Command;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, TransactionTrait};
use serde_json::Value;

use crate::helpers::*;

fn on_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok_and(|s| !s.is_empty())
}

/// A connection of our own to the app's database, as a DBA would open one.
async fn dba(app: &TestApp) -> DatabaseConnection {
    sea_orm::Database::connect(&app.settings.database_url)
        .await
        .expect("the test database connects")
}

/// Every event, oldest first.
async fn events(app: &TestApp, admin: &str) -> Vec<Value> {
    let mut all = app.audit(admin, "").await;
    all.reverse();
    all
}

async fn verify(app: &TestApp, token: &str) -> Value {
    let r = app.get("/api/v1/audit-events/verify", token).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// An app with a few events: the admin's sign-in and four units created.
async fn app_with_events() -> (TestApp, String) {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for code in ["A1", "A2", "A3", "A4"] {
        app.create_unit(&admin, code).await;
    }
    (app, admin)
}

/// Runs `budget-monitor audit verify` on the app's database.
fn cli_verify(app: &TestApp) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_budget-monitor"))
        .args(["audit", "verify"])
        .env("DATABASE_URL", &app.settings.database_url)
        .env("BM_DATA_DIR", &app.settings.data_dir)
        .env("BM_JWT_SECRET", JWT_SECRET)
        .env_remove("BM_ADMIN_PASSWORD")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

/// Runs SQL on the audit table with its triggers out of the way, as a DBA could: on
/// PostgreSQL in a transaction with `session_replication_role = replica`, on SQLite after
/// dropping the triggers.
async fn as_dba_bypassing_triggers(db: &DatabaseConnection, sql: &str) {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin().await.unwrap();
            txn.execute_unprepared("SET LOCAL session_replication_role = replica")
                .await
                .unwrap();
            txn.execute_unprepared(sql).await.unwrap();
            txn.commit().await.unwrap();
        }
        _ => {
            db.execute_unprepared("DROP TRIGGER IF EXISTS audit_events_no_update")
                .await
                .unwrap();
            db.execute_unprepared("DROP TRIGGER IF EXISTS audit_events_no_delete")
                .await
                .unwrap();
            db.execute_unprepared(sql).await.unwrap();
        }
    }
}
