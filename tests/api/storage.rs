//! How the database stores what the service writes.

use sea_orm::{ConnectionTrait, DbBackend, Statement};

use crate::helpers::spawn_app;

/// On PostgreSQL the large JSON columns written with every change are compressed with lz4 (its
/// default, pglz, took a large share of the database's CPU on each write). SQLite does not
/// compress values.
#[tokio::test]
async fn the_large_json_columns_are_compressed_with_lz4_on_postgresql() {
    let app = spawn_app().await;
    let db = sea_orm::Database::connect(&app.settings.database_url)
        .await
        .expect("the test database connects");
    if db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    let rows = db
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT c.relname || '.' || a.attname AS col, a.attcompression::text AS method \
             FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
             WHERE c.relname IN ('submissions', 'submission_versions', 'audit_events', 'events', \
             'idempotency_keys', 'published_reports') AND a.attnum > 0 AND NOT a.attisdropped \
             AND a.attcompression <> '' ORDER BY 1",
        ))
        .await
        .expect("the catalog answers");
    let found: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get("", "col").unwrap(),
                r.try_get("", "method").unwrap(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = [
        "audit_events.after",
        "audit_events.before",
        "events.data",
        "idempotency_keys.body",
        "published_reports.json",
        "submission_versions.snapshot",
        "submissions.computed",
        "submissions.content",
    ]
    .iter()
    .map(|c| (c.to_string(), "l".to_string()))
    .collect();
    assert_eq!(found, want);
}
