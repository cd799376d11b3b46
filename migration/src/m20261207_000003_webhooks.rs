//! Webhooks: endpoints the administrator registers (`webhooks`), one delivery per event and
//! endpoint (`webhook_deliveries`, written in the event's own transaction), and every attempt
//! to deliver one (`webhook_attempts`, the delivery log).
//!
//! A delivery is claimed by one worker at a time with a lease (`lease_owner`, `lease_until`);
//! a worker that stops mid-attempt leaves the lease to expire and another takes the delivery
//! up again. Deliveries go with their event (retention) and with their endpoint.

use sea_orm_migration::prelude::*;

use crate::instant_column;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Webhooks {
    Table,
    Id,
    Url,
    EventTypes,
    Secret,
    SecretCreatedAt,
    Enabled,
    DisabledReason,
    ConsecutiveFailures,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookDeliveries {
    Table,
    Id,
    WebhookId,
    EventSeq,
    EventId,
    EventType,
    Status,
    Attempts,
    NextAttemptAt,
    LeaseOwner,
    LeaseUntil,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum WebhookAttempts {
    Table,
    Id,
    DeliveryId,
    Attempt,
    StatusCode,
    LatencyMs,
    Error,
    At,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Seq,
}

fn webhooks() -> TableCreateStatement {
    Table::create()
        .table(Webhooks::Table)
        .col(ColumnDef::new(Webhooks::Id).uuid().not_null().primary_key())
        .col(ColumnDef::new(Webhooks::Url).string_len(2048).not_null())
        .col(ColumnDef::new(Webhooks::EventTypes).json().not_null())
        .col(ColumnDef::new(Webhooks::Secret).string_len(128).not_null())
        .col(instant_column(Webhooks::SecretCreatedAt).not_null())
        .col(ColumnDef::new(Webhooks::Enabled).boolean().not_null())
        .col(
            ColumnDef::new(Webhooks::DisabledReason)
                .string_len(255)
                .null(),
        )
        .col(
            ColumnDef::new(Webhooks::ConsecutiveFailures)
                .integer()
                .not_null()
                .default(0),
        )
        .col(ColumnDef::new(Webhooks::Version).integer().not_null())
        .col(instant_column(Webhooks::CreatedAt).not_null())
        .col(instant_column(Webhooks::UpdatedAt).not_null())
        .to_owned()
}

fn deliveries() -> TableCreateStatement {
    use WebhookDeliveries as D;
    Table::create()
        .table(D::Table)
        .col(ColumnDef::new(D::Id).uuid().not_null().primary_key())
        .col(ColumnDef::new(D::WebhookId).uuid().not_null())
        .col(ColumnDef::new(D::EventSeq).big_integer().not_null())
        .col(ColumnDef::new(D::EventId).uuid().not_null())
        .col(ColumnDef::new(D::EventType).string_len(64).not_null())
        .col(ColumnDef::new(D::Status).string_len(16).not_null())
        .col(ColumnDef::new(D::Attempts).integer().not_null().default(0))
        .col(instant_column(D::NextAttemptAt).not_null())
        .col(ColumnDef::new(D::LeaseOwner).uuid().null())
        .col(instant_column(D::LeaseUntil).null())
        .col(instant_column(D::CreatedAt).not_null())
        .col(instant_column(D::UpdatedAt).not_null())
        .foreign_key(
            ForeignKey::create()
                .name("fk_webhook_deliveries_webhook")
                .from(D::Table, D::WebhookId)
                .to(Webhooks::Table, Webhooks::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .name("fk_webhook_deliveries_event")
                .from(D::Table, D::EventSeq)
                .to(Events::Table, Events::Seq)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

fn attempts() -> TableCreateStatement {
    use WebhookAttempts as A;
    Table::create()
        .table(A::Table)
        .col(ColumnDef::new(A::Id).uuid().not_null().primary_key())
        .col(ColumnDef::new(A::DeliveryId).uuid().not_null())
        .col(ColumnDef::new(A::Attempt).integer().not_null())
        .col(ColumnDef::new(A::StatusCode).integer().null())
        .col(ColumnDef::new(A::LatencyMs).big_integer().not_null())
        .col(ColumnDef::new(A::Error).string_len(512).null())
        .col(instant_column(A::At).not_null())
        .foreign_key(
            ForeignKey::create()
                .name("fk_webhook_attempts_delivery")
                .from(A::Table, A::DeliveryId)
                .to(WebhookDeliveries::Table, WebhookDeliveries::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(webhooks()).await?;
        manager.create_table(deliveries()).await?;
        manager.create_table(attempts()).await?;
        // What the workers look for: pending deliveries by when they are due. And an endpoint's
        // log, newest first; a delivery's attempts.
        for (name, table, cols) in [
            (
                "idx_webhook_deliveries_due",
                WebhookDeliveries::Table,
                vec![WebhookDeliveries::Status, WebhookDeliveries::NextAttemptAt],
            ),
            (
                "idx_webhook_deliveries_webhook",
                WebhookDeliveries::Table,
                vec![WebhookDeliveries::WebhookId, WebhookDeliveries::CreatedAt],
            ),
            (
                "idx_webhook_deliveries_event",
                WebhookDeliveries::Table,
                vec![WebhookDeliveries::EventSeq],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(table);
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx.to_owned()).await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_webhook_attempts_delivery")
                    .table(WebhookAttempts::Table)
                    .col(WebhookAttempts::DeliveryId)
                    .col(WebhookAttempts::Attempt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            WebhookAttempts::Table.into_iden(),
            WebhookDeliveries::Table.into_iden(),
            Webhooks::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
