//! The change feed: `events`, one row per committed change (a transactional outbox that
//! clients read with `GET /api/v1/events`), and `audit_chain.last_event_seq`, the counter its
//! positions come from.
//!
//! The counter lives in the audit chain's head row because every change already locks that row
//! until it commits: positions taken from it are handed out in commit order and without gaps.
//! Changes made before this migration have no event (the feed starts empty).

use sea_orm_migration::prelude::*;

use crate::instant_column;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Events {
    Table,
    Seq,
    Id,
    Type,
    Source,
    Subject,
    Time,
    Data,
    UnitId,
}

#[derive(DeriveIden)]
enum AuditChain {
    Table,
    LastEventSeq,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(AuditChain::Table)
                    .add_column(
                        ColumnDef::new(AuditChain::LastEventSeq)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(
                        ColumnDef::new(Events::Seq)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Events::Id).uuid().not_null().unique_key())
                    .col(ColumnDef::new(Events::Type).string_len(64).not_null())
                    .col(ColumnDef::new(Events::Source).string_len(255).not_null())
                    .col(ColumnDef::new(Events::Subject).string_len(255).not_null())
                    .col(instant_column(Events::Time).not_null())
                    .col(ColumnDef::new(Events::Data).json().not_null())
                    .col(ColumnDef::new(Events::UnitId).uuid().null())
                    .to_owned(),
            )
            .await?;
        // A unit's events in feed order (a reporter's reads), and the oldest first (retention).
        manager
            .create_index(
                Index::create()
                    .name("idx_events_unit_id_seq")
                    .table(Events::Table)
                    .col(Events::UnitId)
                    .col(Events::Seq)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_events_time")
                    .table(Events::Table)
                    .col(Events::Time)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Events::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(AuditChain::Table)
                    .drop_column(AuditChain::LastEventSeq)
                    .to_owned(),
            )
            .await
    }
}
