//! The budget each form's figures were computed against, beside the form, so that a report row
//! shows its rate, lights and warning against one budget even after the item's budget changed
//! (an accepted form keeps the figures it was accepted with). The service fills it for forms
//! written before this migration when it starts.

use sea_orm_migration::prelude::*;

use crate::money_column;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Submissions {
    Table,
    JudgedBudgetFiscal,
    JudgedBudgetUnion,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        // One column per statement: SQLite alters one thing at a time.
        for c in [
            Submissions::JudgedBudgetFiscal,
            Submissions::JudgedBudgetUnion,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Submissions::Table)
                        .add_column(money_column(backend, c).null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for c in [
            Submissions::JudgedBudgetUnion,
            Submissions::JudgedBudgetFiscal,
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
