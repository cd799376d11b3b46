//! The audit trail becomes a hash chain and append-only in the database itself.
//!
//! - `audit_events` gains `seq` (position in the chain, unique), `prev_hash`, `hash` (SHA-256 of
//!   the event's canonical encoding, `bm-audit-v1`) and `client_request_id` (the
//!   `X-Request-Id` a client sent; `request_id` is now always the server's own).
//! - `audit_chain` is a one-row head (last seq, last hash), updated in the transaction of every
//!   insert, so two instances on one database append one after the other.
//! - The events already stored are chained in (occurred_at, id) order.
//! - Triggers refuse UPDATE and DELETE of `audit_events` (and TRUNCATE on PostgreSQL).
//!
//! The encoding below is a frozen copy of the service's (`src/domain/audit_chain.rs`): this is
//! history and must not follow later changes.

use sea_orm::{DbBackend, FromQueryResult, JsonValue, Statement};
use sea_orm_migration::prelude::*;
use sha2::{Digest, Sha256};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    OccurredAt,
    ActorId,
    ActorUsername,
    ActorRole,
    ActorUnitId,
    Action,
    ResourceType,
    ResourceId,
    RequestId,
    ClientRequestId,
    ClientAddr,
    Outcome,
    Before,
    After,
    Seq,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditChain {
    Table,
    Id,
    LastSeq,
    LastHash,
}

const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const BATCH: u64 = 1000;

#[derive(Debug, FromQueryResult)]
struct Row {
    id: uuid::Uuid,
    occurred_at: chrono::DateTime<chrono::Utc>,
    actor_id: Option<uuid::Uuid>,
    actor_username: Option<String>,
    actor_role: Option<String>,
    actor_unit_id: Option<uuid::Uuid>,
    action: String,
    resource_type: String,
    resource_id: Option<String>,
    request_id: String,
    client_addr: Option<String>,
    outcome: String,
    before: Option<JsonValue>,
    after: Option<JsonValue>,
}

fn canonical(v: &JsonValue) -> JsonValue {
    match v {
        JsonValue::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = serde_json::Map::new();
            for k in keys {
                out.insert(k.clone(), canonical(&map[k]));
            }
            JsonValue::Object(out)
        }
        JsonValue::Array(a) => JsonValue::Array(a.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// `bm-audit-v1`: SHA-256 (lowercase hex) of a compact JSON array of every stored field.
fn hash_v1(seq: i64, prev_hash: &str, r: &Row) -> String {
    let uuid = |u: Option<uuid::Uuid>| {
        u.map_or(JsonValue::Null, |u| {
            JsonValue::String(u.hyphenated().to_string())
        })
    };
    let text = |s: &Option<String>| s.clone().map_or(JsonValue::Null, JsonValue::String);
    let json = |v: &Option<JsonValue>| v.as_ref().map_or(JsonValue::Null, canonical);
    let fields = JsonValue::Array(vec![
        JsonValue::String("bm-audit-v1".into()),
        JsonValue::from(seq),
        JsonValue::String(prev_hash.into()),
        JsonValue::String(r.id.hyphenated().to_string()),
        JsonValue::String(r.occurred_at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()),
        uuid(r.actor_id),
        text(&r.actor_username),
        text(&r.actor_role),
        uuid(r.actor_unit_id),
        JsonValue::String(r.action.clone()),
        JsonValue::String(r.resource_type.clone()),
        text(&r.resource_id),
        JsonValue::String(r.request_id.clone()),
        JsonValue::Null, // client_request_id: none before this migration
        text(&r.client_addr),
        JsonValue::String(r.outcome.clone()),
        json(&r.before),
        json(&r.after),
    ]);
    Sha256::digest(fields.to_string().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn new_columns() -> Vec<ColumnDef> {
    vec![
        ColumnDef::new(AuditEvents::Seq)
            .big_integer()
            .not_null()
            .default(0)
            .to_owned(),
        ColumnDef::new(AuditEvents::PrevHash)
            .string_len(64)
            .not_null()
            .default("")
            .to_owned(),
        ColumnDef::new(AuditEvents::Hash)
            .string_len(64)
            .not_null()
            .default("")
            .to_owned(),
        ColumnDef::new(AuditEvents::ClientRequestId)
            .string_len(128)
            .null()
            .to_owned(),
    ]
}

/// Chains the stored events in (occurred_at, id) order, a batch at a time; returns the head.
async fn chain_existing(manager: &SchemaManager<'_>) -> Result<(i64, String), DbErr> {
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    let (mut seq, mut prev) = (0i64, GENESIS_HASH.to_string());
    let mut after: Option<(chrono::DateTime<chrono::Utc>, uuid::Uuid)> = None;
    loop {
        let mut q = Query::select();
        q.columns([
            AuditEvents::Id,
            AuditEvents::OccurredAt,
            AuditEvents::ActorId,
            AuditEvents::ActorUsername,
            AuditEvents::ActorRole,
            AuditEvents::ActorUnitId,
            AuditEvents::Action,
            AuditEvents::ResourceType,
            AuditEvents::ResourceId,
            AuditEvents::RequestId,
            AuditEvents::ClientAddr,
            AuditEvents::Outcome,
            AuditEvents::Before,
            AuditEvents::After,
        ])
        .from(AuditEvents::Table)
        .order_by(AuditEvents::OccurredAt, Order::Asc)
        .order_by(AuditEvents::Id, Order::Asc)
        .limit(BATCH);
        if let Some((t, id)) = after {
            q.cond_where(
                Cond::any()
                    .add(Expr::col(AuditEvents::OccurredAt).gt(t))
                    .add(
                        Cond::all()
                            .add(Expr::col(AuditEvents::OccurredAt).eq(t))
                            .add(Expr::col(AuditEvents::Id).gt(id)),
                    ),
            );
        }
        let rows = Row::find_by_statement(backend.build(&q)).all(db).await?;
        let Some(last) = rows.last() else { break };
        after = Some((last.occurred_at, last.id));
        for r in &rows {
            seq += 1;
            let hash = hash_v1(seq, &prev, r);
            let u = Query::update()
                .table(AuditEvents::Table)
                .value(AuditEvents::Seq, seq)
                .value(AuditEvents::PrevHash, prev.clone())
                .value(AuditEvents::Hash, hash.clone())
                .and_where(Expr::col(AuditEvents::Id).eq(r.id))
                .to_owned();
            db.execute_raw(backend.build(&u)).await?;
            prev = hash;
        }
    }
    Ok((seq, prev))
}

const PG_TRIGGERS: &str = r#"
CREATE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
"#;

const SQLITE_TRIGGERS: [&str; 2] = [
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events \
     BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events \
     BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused'); END",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for mut c in new_columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditEvents::Table)
                        .add_column(&mut c)
                        .to_owned(),
                )
                .await?;
        }
        let (seq, hash) = chain_existing(manager).await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_events_seq")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::Seq)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditChain::Table)
                    .col(
                        ColumnDef::new(AuditChain::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AuditChain::LastSeq).big_integer().not_null())
                    .col(
                        ColumnDef::new(AuditChain::LastHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        let head = Query::insert()
            .into_table(AuditChain::Table)
            .columns([AuditChain::Id, AuditChain::LastSeq, AuditChain::LastHash])
            .values_panic([1.into(), seq.into(), hash.into()])
            .to_owned();
        manager.exec_stmt(head).await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(PG_TRIGGERS).await?;
            }
            _ => {
                for t in SQLITE_TRIGGERS {
                    db.execute_raw(Statement::from_string(DbBackend::Sqlite, t))
                        .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared(
                    "DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events; \
                     DROP TRIGGER IF EXISTS audit_events_no_update_delete ON audit_events; \
                     DROP FUNCTION IF EXISTS audit_events_refuse_change();",
                )
                .await?;
            }
            _ => {
                for t in ["audit_events_no_update", "audit_events_no_delete"] {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {t}"))
                        .await?;
                }
            }
        }
        manager
            .drop_table(Table::drop().table(AuditChain::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_audit_events_seq")
                    .table(AuditEvents::Table)
                    .to_owned(),
            )
            .await?;
        for c in [
            AuditEvents::ClientRequestId,
            AuditEvents::Hash,
            AuditEvents::PrevHash,
            AuditEvents::Seq,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(AuditEvents::Table)
                        .drop_column(c)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
