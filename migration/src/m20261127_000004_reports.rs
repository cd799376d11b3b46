//! Published monitoring reports, frozen in every format.

use sea_orm_migration::prelude::*;

use crate::instant_column;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PublishedReports {
    Table,
    PeriodId,
    Json,
    Csv,
    Xlsx,
    PublishedAt,
    PublishedBy,
}

#[derive(DeriveIden)]
enum Periods {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PublishedReports::Table)
                    .col(
                        ColumnDef::new(PublishedReports::PeriodId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(PublishedReports::Json).text().not_null())
                    .col(ColumnDef::new(PublishedReports::Csv).blob().not_null())
                    .col(ColumnDef::new(PublishedReports::Xlsx).blob().not_null())
                    .col(instant_column(PublishedReports::PublishedAt).not_null())
                    .col(
                        ColumnDef::new(PublishedReports::PublishedBy)
                            .uuid()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reports_period")
                            .from(PublishedReports::Table, PublishedReports::PeriodId)
                            .to(Periods::Table, Periods::Id),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PublishedReports::Table).to_owned())
            .await
    }
}
