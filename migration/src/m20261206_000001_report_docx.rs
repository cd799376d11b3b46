//! The published report's Word document (绩效监控报告), frozen with its other renderings. A
//! report published before this column is rendered from its frozen JSON when it is read.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum PublishedReports {
    Table,
    Docx,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PublishedReports::Table)
                    .add_column(ColumnDef::new(PublishedReports::Docx).blob().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(PublishedReports::Table)
                    .drop_column(PublishedReports::Docx)
                    .to_owned(),
            )
            .await
    }
}
