//! The database schema's history. Each migration has `up` and `down`; nothing here imports the
//! service, so old migrations never change when the code moves on.

pub use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

mod m20261127_000001_accounts;
mod m20261127_000002_monitoring;
mod m20261127_000003_follow_through;
mod m20261127_000004_reports;
mod m20261127_000005_report_columns;
mod m20261130_000001_audit_chain;
mod m20261130_000001_rate_limits;
mod m20261130_000002_token_version;
mod m20261206_000001_judged_budget;
mod m20261206_000001_report_docx;
mod m20261207_000001_api_clients;
mod m20261207_000002_events;
mod m20261207_000003_webhooks;
mod m20261207_000004_toast_lz4;
mod m20261207_000005_idempotent_headers;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_accounts::Migration),
            Box::new(m20261127_000002_monitoring::Migration),
            Box::new(m20261127_000003_follow_through::Migration),
            Box::new(m20261127_000004_reports::Migration),
            Box::new(m20261127_000005_report_columns::Migration),
            Box::new(m20261130_000001_audit_chain::Migration),
            Box::new(m20261130_000001_rate_limits::Migration),
            Box::new(m20261130_000002_token_version::Migration),
            Box::new(m20261206_000001_judged_budget::Migration),
            Box::new(m20261206_000001_report_docx::Migration),
            Box::new(m20261207_000001_api_clients::Migration),
            Box::new(m20261207_000002_events::Migration),
            Box::new(m20261207_000003_webhooks::Migration),
            Box::new(m20261207_000004_toast_lz4::Migration),
            Box::new(m20261207_000005_idempotent_headers::Migration),
        ]
    }
}

/// A money column: `NUMERIC(18,6)` on PostgreSQL; integer millionths of 万元 on SQLite, where a
/// decimal would pass through a floating-point value and lose digits.
pub fn money_column<T: IntoIden>(backend: DbBackend, name: T) -> ColumnDef {
    let mut c = ColumnDef::new(name);
    match backend {
        DbBackend::Postgres => c.decimal_len(18, 6),
        _ => c.big_integer(),
    };
    c
}

/// An instant: `timestamptz` on PostgreSQL, RFC 3339 text on SQLite.
pub fn instant_column<T: IntoIden>(name: T) -> ColumnDef {
    let mut c = ColumnDef::new(name);
    c.timestamp_with_time_zone();
    c
}
