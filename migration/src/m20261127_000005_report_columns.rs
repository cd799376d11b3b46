//! What the monitoring report reads of each form, kept in small columns beside the form's JSON so
//! that a province-sized report never reads and parses whole forms. The service fills them for
//! forms written before this migration when it starts.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Submissions {
    Table,
    Outlook,
    CompletionRate,
    GoalLight,
    Reasons,
    Problems,
}

fn columns() -> Vec<ColumnDef> {
    vec![
        ColumnDef::new(Submissions::Outlook)
            .string_len(16)
            .null()
            .to_owned(),
        ColumnDef::new(Submissions::CompletionRate)
            .string_len(32)
            .null()
            .to_owned(),
        ColumnDef::new(Submissions::GoalLight)
            .string_len(16)
            .null()
            .to_owned(),
        ColumnDef::new(Submissions::Reasons)
            .text()
            .null()
            .to_owned(),
        ColumnDef::new(Submissions::Problems)
            .text()
            .null()
            .to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for mut c in columns() {
            manager
                .alter_table(
                    Table::alter()
                        .table(Submissions::Table)
                        .add_column(&mut c)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for c in [
            Submissions::Problems,
            Submissions::Reasons,
            Submissions::GoalLight,
            Submissions::CompletionRate,
            Submissions::Outlook,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Submissions::Table)
                        .drop_column(c)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
