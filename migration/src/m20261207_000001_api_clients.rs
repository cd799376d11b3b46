//! API clients (machine accounts) that get tokens with OAuth 2.0 client credentials.
//!
//! A client is a row of `users` with `kind = 'client'`, so that every rule that reads `users`
//! (roles, units, the active flag, `token_version`, and the foreign keys of the rows a client
//! creates) holds for it unchanged; its username is `client:<name>`, which no person's username
//! can be (a `:` is not allowed there). What only a client has lives in `api_clients`, one row
//! per client: the hash of its secret, when that secret was made, and an optional expiry.

use sea_orm_migration::prelude::*;

use crate::instant_column;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Kind,
}

#[derive(DeriveIden)]
enum ApiClients {
    Table,
    UserId,
    SecretHash,
    SecretCreatedAt,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::Kind)
                            .string_len(16)
                            .not_null()
                            .default("person"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiClients::Table)
                    .col(
                        ColumnDef::new(ApiClients::UserId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ApiClients::SecretHash).text().not_null())
                    .col(instant_column(ApiClients::SecretCreatedAt).not_null())
                    .col(instant_column(ApiClients::ExpiresAt).null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_clients_user")
                            .from(ApiClients::Table, ApiClients::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApiClients::Table).to_owned())
            .await?;
        // The client accounts go with the table that made them clients; the rows they created
        // keep them through their foreign keys, so they stay as deactivated accounts.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE users SET active = false, token_version = token_version + 1 WHERE kind = 'client'",
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::Kind)
                    .to_owned(),
            )
            .await
    }
}
