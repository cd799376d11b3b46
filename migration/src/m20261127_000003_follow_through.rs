//! Corrective actions, adjustment requests, finance measures and the item history.

use sea_orm_migration::prelude::*;

use crate::{instant_column, money_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CorrectiveActions {
    Table,
    Id,
    SubmissionId,
    IndicatorId,
    PeriodId,
    ItemId,
    UnitId,
    Lens,
    Cause,
    ObjectiveCause,
    Measure,
    Owner,
    DueDate,
    Status,
    Source,
    CreatedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CorrectiveActionNotes {
    Table,
    Id,
    ActionId,
    Event,
    Note,
    AuthorId,
    AuthorUsername,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AdjustmentRequests {
    Table,
    Id,
    ItemId,
    UnitId,
    Cause,
    Explanation,
    Countermeasures,
    NewFiscal,
    NewUnion,
    NewTargets,
    Status,
    DecisionReason,
    DecidedBy,
    DecidedAt,
    CreatedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Measures {
    Table,
    Id,
    ItemId,
    UnitId,
    PeriodId,
    Kind,
    Reason,
    NewFiscal,
    NewUnion,
    NewTargets,
    CorrectiveActionId,
    Active,
    DecidedBy,
    DecidedByUsername,
    LiftReason,
    LiftedBy,
    LiftedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ItemHistory {
    Table,
    Id,
    ItemId,
    OccurredAt,
    Field,
    IndicatorId,
    Before,
    After,
    CauseType,
    CauseId,
    ActorId,
    ActorUsername,
}

#[derive(DeriveIden)]
enum Items {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Submissions {
    Table,
    Id,
}

fn fk(
    name: &str,
    from_t: impl IntoIden + 'static,
    from_c: impl IntoIden + 'static,
    to_t: impl IntoIden + 'static,
    to_c: impl IntoIden + 'static,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from_t, from_c)
        .to(to_t, to_c)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        manager
            .create_table(
                Table::create()
                    .table(CorrectiveActions::Table)
                    .col(
                        ColumnDef::new(CorrectiveActions::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(CorrectiveActions::SubmissionId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(CorrectiveActions::IndicatorId).uuid().null())
                    .col(
                        ColumnDef::new(CorrectiveActions::PeriodId)
                            .uuid()
                            .not_null(),
                    )
                    .col(ColumnDef::new(CorrectiveActions::ItemId).uuid().not_null())
                    .col(ColumnDef::new(CorrectiveActions::UnitId).uuid().not_null())
                    .col(
                        ColumnDef::new(CorrectiveActions::Lens)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(CorrectiveActions::Cause).text().not_null())
                    .col(
                        ColumnDef::new(CorrectiveActions::ObjectiveCause)
                            .boolean()
                            .not_null(),
                    )
                    .col(ColumnDef::new(CorrectiveActions::Measure).text().not_null())
                    .col(
                        ColumnDef::new(CorrectiveActions::Owner)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(ColumnDef::new(CorrectiveActions::DueDate).date().not_null())
                    .col(
                        ColumnDef::new(CorrectiveActions::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CorrectiveActions::Source)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CorrectiveActions::CreatedBy)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CorrectiveActions::Version)
                            .integer()
                            .not_null(),
                    )
                    .col(instant_column(CorrectiveActions::CreatedAt).not_null())
                    .col(instant_column(CorrectiveActions::UpdatedAt).not_null())
                    .foreign_key(&mut fk(
                        "fk_ca_submission",
                        CorrectiveActions::Table,
                        CorrectiveActions::SubmissionId,
                        Submissions::Table,
                        Submissions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_ca_period_unit")
                    .table(CorrectiveActions::Table)
                    .col(CorrectiveActions::PeriodId)
                    .col(CorrectiveActions::UnitId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CorrectiveActionNotes::Table)
                    .col(
                        ColumnDef::new(CorrectiveActionNotes::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(CorrectiveActionNotes::ActionId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CorrectiveActionNotes::Event)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CorrectiveActionNotes::Note)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CorrectiveActionNotes::AuthorId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CorrectiveActionNotes::AuthorUsername)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(instant_column(CorrectiveActionNotes::CreatedAt).not_null())
                    .foreign_key(&mut fk(
                        "fk_can_action",
                        CorrectiveActionNotes::Table,
                        CorrectiveActionNotes::ActionId,
                        CorrectiveActions::Table,
                        CorrectiveActions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AdjustmentRequests::Table)
                    .col(
                        ColumnDef::new(AdjustmentRequests::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AdjustmentRequests::ItemId).uuid().not_null())
                    .col(ColumnDef::new(AdjustmentRequests::UnitId).uuid().not_null())
                    .col(
                        ColumnDef::new(AdjustmentRequests::Cause)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AdjustmentRequests::Explanation)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AdjustmentRequests::Countermeasures)
                            .text()
                            .not_null(),
                    )
                    .col(money_column(backend, AdjustmentRequests::NewFiscal).null())
                    .col(money_column(backend, AdjustmentRequests::NewUnion).null())
                    .col(
                        ColumnDef::new(AdjustmentRequests::NewTargets)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AdjustmentRequests::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AdjustmentRequests::DecisionReason)
                            .text()
                            .null(),
                    )
                    .col(ColumnDef::new(AdjustmentRequests::DecidedBy).uuid().null())
                    .col(instant_column(AdjustmentRequests::DecidedAt).null())
                    .col(
                        ColumnDef::new(AdjustmentRequests::CreatedBy)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AdjustmentRequests::Version)
                            .integer()
                            .not_null(),
                    )
                    .col(instant_column(AdjustmentRequests::CreatedAt).not_null())
                    .col(instant_column(AdjustmentRequests::UpdatedAt).not_null())
                    .foreign_key(&mut fk(
                        "fk_ar_item",
                        AdjustmentRequests::Table,
                        AdjustmentRequests::ItemId,
                        Items::Table,
                        Items::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Measures::Table)
                    .col(ColumnDef::new(Measures::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Measures::ItemId).uuid().not_null())
                    .col(ColumnDef::new(Measures::UnitId).uuid().not_null())
                    .col(ColumnDef::new(Measures::PeriodId).uuid().null())
                    .col(ColumnDef::new(Measures::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Measures::Reason).text().not_null())
                    .col(money_column(backend, Measures::NewFiscal).null())
                    .col(money_column(backend, Measures::NewUnion).null())
                    .col(ColumnDef::new(Measures::NewTargets).text().not_null())
                    .col(ColumnDef::new(Measures::CorrectiveActionId).uuid().null())
                    .col(ColumnDef::new(Measures::Active).boolean().not_null())
                    .col(ColumnDef::new(Measures::DecidedBy).uuid().not_null())
                    .col(
                        ColumnDef::new(Measures::DecidedByUsername)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Measures::LiftReason).text().null())
                    .col(ColumnDef::new(Measures::LiftedBy).uuid().null())
                    .col(instant_column(Measures::LiftedAt).null())
                    .col(instant_column(Measures::CreatedAt).not_null())
                    .foreign_key(&mut fk(
                        "fk_measures_item",
                        Measures::Table,
                        Measures::ItemId,
                        Items::Table,
                        Items::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_measures_item")
                    .table(Measures::Table)
                    .col(Measures::ItemId)
                    .col(Measures::Active)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ItemHistory::Table)
                    .col(
                        ColumnDef::new(ItemHistory::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ItemHistory::ItemId).uuid().not_null())
                    .col(instant_column(ItemHistory::OccurredAt).not_null())
                    .col(ColumnDef::new(ItemHistory::Field).string_len(32).not_null())
                    .col(ColumnDef::new(ItemHistory::IndicatorId).uuid().null())
                    .col(ColumnDef::new(ItemHistory::Before).text().null())
                    .col(ColumnDef::new(ItemHistory::After).text().null())
                    .col(
                        ColumnDef::new(ItemHistory::CauseType)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(ColumnDef::new(ItemHistory::CauseId).uuid().null())
                    .col(ColumnDef::new(ItemHistory::ActorId).uuid().not_null())
                    .col(
                        ColumnDef::new(ItemHistory::ActorUsername)
                            .string_len(64)
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        "fk_history_item",
                        ItemHistory::Table,
                        ItemHistory::ItemId,
                        Items::Table,
                        Items::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_history_item")
                    .table(ItemHistory::Table)
                    .col(ItemHistory::ItemId)
                    .col(ItemHistory::OccurredAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            ItemHistory::Table.into_iden(),
            Measures::Table.into_iden(),
            AdjustmentRequests::Table.into_iden(),
            CorrectiveActionNotes::Table.into_iden(),
            CorrectiveActions::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
