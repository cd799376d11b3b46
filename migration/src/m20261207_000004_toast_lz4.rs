//! PostgreSQL compresses the large JSON columns written with every change (a form's content and
//! figures, its kept versions, the audit record, the feed event, the idempotent answer, a
//! published report) with lz4 instead of its default pglz, which took a large share of the
//! database's CPU on each write. Values stored before keep their compression; both are read
//! the same way. A server built without lz4 (PostgreSQL before 14, or built without it) keeps
//! pglz. SQLite does not compress: nothing changes there.

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `(table, column)` of the large JSON columns.
const COLUMNS: [(&str, &str); 8] = [
    ("submissions", "content"),
    ("submissions", "computed"),
    ("submission_versions", "snapshot"),
    ("audit_events", "before"),
    ("audit_events", "after"),
    ("events", "data"),
    ("idempotency_keys", "body"),
    ("published_reports", "json"),
];

fn set_compression(method: &str) -> String {
    let alters: String = COLUMNS
        .iter()
        .map(|(t, c)| {
            format!("ALTER TABLE \"{t}\" ALTER COLUMN \"{c}\" SET COMPRESSION {method};\n")
        })
        .collect();
    // Without lz4 the ALTER fails (feature_not_supported; a syntax error before 14): the
    // columns then keep pglz.
    format!(
        "DO $$ BEGIN\n{alters}EXCEPTION WHEN feature_not_supported OR syntax_error THEN\n\
         RAISE NOTICE 'lz4 is not available: the JSON columns keep pglz';\nEND $$;"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(&set_compression("lz4"))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        manager
            .get_connection()
            .execute_unprepared(&set_compression("pglz"))
            .await?;
        Ok(())
    }
}
