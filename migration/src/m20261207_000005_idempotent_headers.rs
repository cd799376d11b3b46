//! `idempotency_keys.location` and `.version`: the `Location` and `ETag` of the first answer
//! to a creating POST, sent again with the body when the request is retried with the same
//! `Idempotency-Key`. Answers stored before have neither (NULL): their retries get the body
//! without them, as before.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Location,
    Version,
}

fn alter() -> TableAlterStatement {
    Table::alter().table(IdempotencyKeys::Table).to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        let location = ColumnDef::new(IdempotencyKeys::Location)
            .text()
            .null()
            .to_owned();
        let version = ColumnDef::new(IdempotencyKeys::Version)
            .integer()
            .null()
            .to_owned();
        manager
            .alter_table(alter().add_column(location).to_owned())
            .await?;
        manager
            .alter_table(alter().add_column(version).to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [IdempotencyKeys::Version, IdempotencyKeys::Location] {
            manager
                .alter_table(alter().drop_column(column).to_owned())
                .await?;
        }
        Ok(())
    }
}
