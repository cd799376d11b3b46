//! Periods, items, indicators and submissions (the three official forms).

use sea_orm_migration::prelude::*;

use crate::{instant_column, money_column};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Periods {
    Table,
    Id,
    Year,
    Kind,
    Name,
    AsOf,
    SubmissionDeadline,
    ReportDeadline,
    Status,
    Settings,
    SingletonKey,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PeriodExtensions {
    Table,
    Id,
    PeriodId,
    UnitId,
    Until,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Items {
    Table,
    Id,
    UnitId,
    Year,
    Kind,
    Name,
    KeyMonitored,
    BudgetFiscal,
    BudgetUnion,
    OriginalFiscal,
    OriginalUnion,
    AnnualGoal,
    StartYear,
    EndYear,
    PreviousItemId,
    FundingSource,
    ParentId,
    PaymentStatus,
    OverallKey,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Indicators {
    Table,
    Id,
    ItemId,
    Position,
    Level1,
    Level2,
    Name,
    MeasureUnit,
    Direction,
    Target,
    OriginalTarget,
    Prorate,
    Weight,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Submissions {
    Table,
    Id,
    PeriodId,
    ItemId,
    UnitId,
    Form,
    Status,
    Content,
    Computed,
    Warning,
    Late,
    ExecutedFiscal,
    ExecutedUnion,
    SubmittedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SubmissionValues {
    Table,
    SubmissionId,
    IndicatorId,
}

#[derive(DeriveIden)]
enum SubmissionVersions {
    Table,
    Id,
    SubmissionId,
    Number,
    Event,
    Reason,
    Snapshot,
    ActorId,
    ActorUsername,
    CreatedAt,
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
                    .table(Periods::Table)
                    .col(ColumnDef::new(Periods::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Periods::Year).integer().not_null())
                    .col(ColumnDef::new(Periods::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Periods::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Periods::AsOf).date().not_null())
                    .col(
                        ColumnDef::new(Periods::SubmissionDeadline)
                            .date()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Periods::ReportDeadline).date().not_null())
                    .col(ColumnDef::new(Periods::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Periods::Settings).text().not_null())
                    .col(
                        ColumnDef::new(Periods::SingletonKey)
                            .string_len(32)
                            .null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Periods::Version).integer().not_null())
                    .col(instant_column(Periods::CreatedAt).not_null())
                    .col(instant_column(Periods::UpdatedAt).not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PeriodExtensions::Table)
                    .col(
                        ColumnDef::new(PeriodExtensions::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(PeriodExtensions::PeriodId).uuid().not_null())
                    .col(ColumnDef::new(PeriodExtensions::UnitId).uuid().not_null())
                    .col(ColumnDef::new(PeriodExtensions::Until).date().not_null())
                    .col(instant_column(PeriodExtensions::CreatedAt).not_null())
                    .foreign_key(&mut fk(
                        "fk_ext_period",
                        PeriodExtensions::Table,
                        PeriodExtensions::PeriodId,
                        Periods::Table,
                        Periods::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_ext_unit",
                        PeriodExtensions::Table,
                        PeriodExtensions::UnitId,
                        Units::Table,
                        Units::Id,
                    ))
                    .index(
                        Index::create()
                            .unique()
                            .name("ux_ext_period_unit")
                            .col(PeriodExtensions::PeriodId)
                            .col(PeriodExtensions::UnitId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Items::Table)
                    .col(ColumnDef::new(Items::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Items::UnitId).uuid().not_null())
                    .col(ColumnDef::new(Items::Year).integer().not_null())
                    .col(ColumnDef::new(Items::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Items::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Items::KeyMonitored).boolean().not_null())
                    .col(money_column(backend, Items::BudgetFiscal).not_null())
                    .col(money_column(backend, Items::BudgetUnion).not_null())
                    .col(money_column(backend, Items::OriginalFiscal).not_null())
                    .col(money_column(backend, Items::OriginalUnion).not_null())
                    .col(ColumnDef::new(Items::AnnualGoal).text().not_null())
                    .col(ColumnDef::new(Items::StartYear).integer().null())
                    .col(ColumnDef::new(Items::EndYear).integer().null())
                    .col(ColumnDef::new(Items::PreviousItemId).uuid().null())
                    .col(ColumnDef::new(Items::FundingSource).string_len(32).null())
                    .col(ColumnDef::new(Items::ParentId).uuid().null())
                    .col(
                        ColumnDef::new(Items::PaymentStatus)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Items::OverallKey)
                            .string_len(64)
                            .null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Items::Version).integer().not_null())
                    .col(instant_column(Items::CreatedAt).not_null())
                    .col(instant_column(Items::UpdatedAt).not_null())
                    .foreign_key(&mut fk(
                        "fk_items_unit",
                        Items::Table,
                        Items::UnitId,
                        Units::Table,
                        Units::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_items_previous",
                        Items::Table,
                        Items::PreviousItemId,
                        Items::Table,
                        Items::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_items_parent",
                        Items::Table,
                        Items::ParentId,
                        Items::Table,
                        Items::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_items_unit_year")
                    .table(Items::Table)
                    .col(Items::UnitId)
                    .col(Items::Year)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Indicators::Table)
                    .col(
                        ColumnDef::new(Indicators::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Indicators::ItemId).uuid().not_null())
                    .col(ColumnDef::new(Indicators::Position).integer().not_null())
                    .col(ColumnDef::new(Indicators::Level1).string_len(16).not_null())
                    .col(ColumnDef::new(Indicators::Level2).string_len(32).not_null())
                    .col(ColumnDef::new(Indicators::Name).string_len(200).not_null())
                    .col(
                        ColumnDef::new(Indicators::MeasureUnit)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Indicators::Direction)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Indicators::Target)
                            .string_len(500)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Indicators::OriginalTarget)
                            .string_len(500)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Indicators::Prorate).boolean().not_null())
                    .col(ColumnDef::new(Indicators::Weight).string_len(32).null())
                    .col(ColumnDef::new(Indicators::Version).integer().not_null())
                    .col(instant_column(Indicators::CreatedAt).not_null())
                    .col(instant_column(Indicators::UpdatedAt).not_null())
                    .foreign_key(&mut fk(
                        "fk_indicators_item",
                        Indicators::Table,
                        Indicators::ItemId,
                        Items::Table,
                        Items::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_indicators_item")
                    .table(Indicators::Table)
                    .col(Indicators::ItemId)
                    .col(Indicators::Position)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Submissions::Table)
                    .col(
                        ColumnDef::new(Submissions::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Submissions::PeriodId).uuid().not_null())
                    .col(ColumnDef::new(Submissions::ItemId).uuid().not_null())
                    .col(ColumnDef::new(Submissions::UnitId).uuid().not_null())
                    .col(ColumnDef::new(Submissions::Form).small_integer().not_null())
                    .col(
                        ColumnDef::new(Submissions::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Submissions::Content).text().not_null())
                    .col(ColumnDef::new(Submissions::Computed).text().not_null())
                    .col(
                        ColumnDef::new(Submissions::Warning)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Submissions::Late).boolean().not_null())
                    .col(money_column(backend, Submissions::ExecutedFiscal).not_null())
                    .col(money_column(backend, Submissions::ExecutedUnion).not_null())
                    .col(instant_column(Submissions::SubmittedAt).null())
                    .col(ColumnDef::new(Submissions::Version).integer().not_null())
                    .col(instant_column(Submissions::CreatedAt).not_null())
                    .col(instant_column(Submissions::UpdatedAt).not_null())
                    .foreign_key(&mut fk(
                        "fk_submissions_period",
                        Submissions::Table,
                        Submissions::PeriodId,
                        Periods::Table,
                        Periods::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_submissions_item",
                        Submissions::Table,
                        Submissions::ItemId,
                        Items::Table,
                        Items::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_submissions_unit",
                        Submissions::Table,
                        Submissions::UnitId,
                        Units::Table,
                        Units::Id,
                    ))
                    .index(
                        Index::create()
                            .unique()
                            .name("ux_submissions_period_item")
                            .col(Submissions::PeriodId)
                            .col(Submissions::ItemId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_submissions_period_unit")
                    .table(Submissions::Table)
                    .col(Submissions::PeriodId)
                    .col(Submissions::UnitId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SubmissionValues::Table)
                    .col(
                        ColumnDef::new(SubmissionValues::SubmissionId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SubmissionValues::IndicatorId)
                            .uuid()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(SubmissionValues::SubmissionId)
                            .col(SubmissionValues::IndicatorId),
                    )
                    .foreign_key(&mut fk(
                        "fk_values_submission",
                        SubmissionValues::Table,
                        SubmissionValues::SubmissionId,
                        Submissions::Table,
                        Submissions::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_values_indicator",
                        SubmissionValues::Table,
                        SubmissionValues::IndicatorId,
                        Indicators::Table,
                        Indicators::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_values_indicator")
                    .table(SubmissionValues::Table)
                    .col(SubmissionValues::IndicatorId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SubmissionVersions::Table)
                    .col(
                        ColumnDef::new(SubmissionVersions::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(SubmissionVersions::SubmissionId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SubmissionVersions::Number)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SubmissionVersions::Event)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(SubmissionVersions::Reason).text().null())
                    .col(
                        ColumnDef::new(SubmissionVersions::Snapshot)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SubmissionVersions::ActorId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(SubmissionVersions::ActorUsername)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(instant_column(SubmissionVersions::CreatedAt).not_null())
                    .foreign_key(&mut fk(
                        "fk_versions_submission",
                        SubmissionVersions::Table,
                        SubmissionVersions::SubmissionId,
                        Submissions::Table,
                        Submissions::Id,
                    ))
                    .index(
                        Index::create()
                            .unique()
                            .name("ux_versions_number")
                            .col(SubmissionVersions::SubmissionId)
                            .col(SubmissionVersions::Number),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            SubmissionVersions::Table.into_iden(),
            SubmissionValues::Table.into_iden(),
            Submissions::Table.into_iden(),
            Indicators::Table.into_iden(),
            Items::Table.into_iden(),
            PeriodExtensions::Table.into_iden(),
            Periods::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
