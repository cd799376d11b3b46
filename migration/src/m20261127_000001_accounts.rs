//! Units, users, the audit trail, idempotency keys and failed logins.

use sea_orm_migration::prelude::*;

use crate::instant_column;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Units {
    Table,
    Id,
    Code,
    Name,
    Kind,
    ParentId,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    PasswordHash,
    Role,
    UnitId,
    Active,
    Version,
    CreatedAt,
    UpdatedAt,
}

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
    ClientAddr,
    Outcome,
    Before,
    After,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    UserId,
    Key,
    RequestHash,
    Method,
    Path,
    Status,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Username,
    FailedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Units::Table)
                    .col(ColumnDef::new(Units::Id).uuid().not_null().primary_key())
                    .col(
                        ColumnDef::new(Units::Code)
                            .string_len(32)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Units::Name).string_len(100).not_null())
                    .col(ColumnDef::new(Units::Kind).string_len(32).not_null())
                    .col(ColumnDef::new(Units::ParentId).uuid().null())
                    .col(ColumnDef::new(Units::Version).integer().not_null())
                    .col(instant_column(Units::CreatedAt).not_null())
                    .col(instant_column(Units::UpdatedAt).not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_units_parent")
                            .from(Units::Table, Units::ParentId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(ColumnDef::new(Users::Id).uuid().not_null().primary_key())
                    .col(
                        ColumnDef::new(Users::Username)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Users::PasswordHash).string().not_null())
                    .col(ColumnDef::new(Users::Role).string_len(16).not_null())
                    .col(ColumnDef::new(Users::UnitId).uuid().null())
                    .col(ColumnDef::new(Users::Active).boolean().not_null())
                    .col(ColumnDef::new(Users::Version).integer().not_null())
                    .col(instant_column(Users::CreatedAt).not_null())
                    .col(instant_column(Users::UpdatedAt).not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_unit")
                            .from(Users::Table, Users::UnitId)
                            .to(Units::Table, Units::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(
                        ColumnDef::new(AuditEvents::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(instant_column(AuditEvents::OccurredAt).not_null())
                    .col(ColumnDef::new(AuditEvents::ActorId).uuid().null())
                    .col(
                        ColumnDef::new(AuditEvents::ActorUsername)
                            .string_len(64)
                            .null(),
                    )
                    .col(ColumnDef::new(AuditEvents::ActorRole).string_len(16).null())
                    .col(ColumnDef::new(AuditEvents::ActorUnitId).uuid().null())
                    .col(
                        ColumnDef::new(AuditEvents::Action)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::ResourceType)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::ResourceId)
                            .string_len(64)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::RequestId)
                            .string_len(128)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::ClientAddr)
                            .string_len(64)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(AuditEvents::Outcome)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditEvents::Before).json_binary().null())
                    .col(ColumnDef::new(AuditEvents::After).json_binary().null())
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("idx_audit_events_time", AuditEvents::OccurredAt),
            ("idx_audit_events_actor", AuditEvents::ActorId),
            ("idx_audit_events_action", AuditEvents::Action),
            ("idx_audit_events_resource", AuditEvents::ResourceId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditEvents::Table)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(ColumnDef::new(IdempotencyKeys::UserId).uuid().not_null())
                    .col(
                        ColumnDef::new(IdempotencyKeys::Key)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IdempotencyKeys::RequestHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IdempotencyKeys::Method)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IdempotencyKeys::Path)
                            .string_len(512)
                            .not_null(),
                    )
                    .col(ColumnDef::new(IdempotencyKeys::Status).integer().not_null())
                    .col(ColumnDef::new(IdempotencyKeys::Body).text().not_null())
                    .col(instant_column(IdempotencyKeys::CreatedAt).not_null())
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::UserId)
                            .col(IdempotencyKeys::Key),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(
                        ColumnDef::new(LoginFailures::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(LoginFailures::Username)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(instant_column(LoginFailures::FailedAt).not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_failures_username_time")
                    .table(LoginFailures::Table)
                    .col(LoginFailures::Username)
                    .col(LoginFailures::FailedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            LoginFailures::Table.into_iden(),
            IdempotencyKeys::Table.into_iden(),
            AuditEvents::Table.into_iden(),
            Users::Table.into_iden(),
            Units::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
