//! Queries on webhook endpoints (`webhooks`).

use sea_orm::sea_query::Expr;
use sea_orm::ExprTrait;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entities::webhook::{self, Column, Entity};
use crate::domain::webhooks::Webhook;

fn to_domain(m: webhook::Model) -> Result<Webhook, DbErr> {
    let event_types = serde_json::from_value(m.event_types)
        .map_err(|e| DbErr::Type(format!("webhooks.event_types: {e}")))?;
    Ok(Webhook {
        id: m.id,
        url: m.url,
        event_types,
        enabled: m.enabled,
        disabled_reason: m.disabled_reason,
        consecutive_failures: m.consecutive_failures,
        secret_created_at: m.secret_created_at,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// A new endpoint, checked beforehand.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub url: String,
    pub event_types: Vec<String>,
    pub secret: String,
    pub enabled: bool,
}

#[tracing::instrument(skip_all)]
pub async fn insert(db: &impl ConnectionTrait, w: NewWebhook) -> Result<Webhook, DbErr> {
    let now = super::now();
    let m = webhook::ActiveModel {
        id: Set(Uuid::new_v4()),
        url: Set(w.url),
        event_types: Set(serde_json::json!(w.event_types)),
        secret: Set(w.secret),
        secret_created_at: Set(now),
        enabled: Set(w.enabled),
        disabled_reason: Set(None),
        consecutive_failures: Set(0),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    to_domain(Entity::insert(m).exec_with_returning(db).await?)
}

/// The endpoint `id`.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Webhook>, DbErr> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
}

/// The endpoint `id` with its secret, for signing a delivery.
pub async fn with_secret(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(Webhook, String)>, DbErr> {
    let Some(m) = Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let secret = m.secret.clone();
    Ok(Some((to_domain(m)?, secret)))
}

/// One page of endpoints, oldest first, and how many there are.
#[tracing::instrument(skip_all)]
pub async fn list(
    db: &impl ConnectionTrait,
    enabled: Option<bool>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Webhook>, u64), DbErr> {
    let mut q = Entity::find();
    if let Some(e) = enabled {
        q = q.filter(Column::Enabled.eq(e));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    let items = rows.into_iter().map(to_domain).collect::<Result<_, _>>()?;
    Ok((items, total))
}

/// The enabled endpoints, each with the event types it asked for; [`Subscriptions::of`] says
/// which of them an event goes to. Endpoints are few (tens at most), so their lists are matched
/// here rather than with each database's JSON operators.
#[derive(Debug, Clone, Default)]
pub struct Subscriptions(Vec<(Uuid, serde_json::Value)>);

impl Subscriptions {
    /// The endpoints that asked for events of `event_type`.
    pub fn of(&self, event_type: &str) -> Vec<Uuid> {
        self.0
            .iter()
            .filter(|(_, types)| {
                types
                    .as_array()
                    .is_some_and(|a| a.iter().any(|t| t.as_str() == Some(event_type)))
            })
            .map(|(id, _)| *id)
            .collect()
    }

    /// From the `[[id, event_types], …]` array of [`SUBSCRIPTIONS_JSON_PG`] (`NULL` when no
    /// endpoint is enabled).
    pub fn from_json(json: Option<serde_json::Value>) -> Result<Self, DbErr> {
        let Some(json) = json else {
            return Ok(Subscriptions::default());
        };
        let rows: Vec<(Uuid, serde_json::Value)> = serde_json::from_value(json)
            .map_err(|e| DbErr::Type(format!("webhooks.event_types: {e}")))?;
        Ok(Subscriptions(rows))
    }
}

/// A PostgreSQL expression whose value is every enabled endpoint with its event types, as the
/// JSON array [`Subscriptions::from_json`] reads: a writer reads them in the statement that
/// takes the audit chain's head, without a round trip of their own.
pub const SUBSCRIPTIONS_JSON_PG: &str = r#"(SELECT json_agg(json_build_array(w."id", w."event_types")) FROM "webhooks" w WHERE w."enabled")"#;

/// Every enabled endpoint with its event types, in a query of its own.
pub async fn subscriptions(db: &impl ConnectionTrait) -> Result<Subscriptions, DbErr> {
    let rows: Vec<(Uuid, serde_json::Value)> = Entity::find()
        .select_only()
        .column(Column::Id)
        .column(Column::EventTypes)
        .filter(Column::Enabled.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    Ok(Subscriptions(rows))
}

/// The fields of an endpoint an administrator can change.
#[derive(Debug, Clone)]
pub struct WebhookChanges {
    pub url: String,
    pub event_types: Vec<String>,
    pub enabled: bool,
    /// Enabling forgets the failures and the reason it was disabled for.
    pub reset_failures: bool,
}

/// Writes the changes if the endpoint is still at `expected_version`.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    c: WebhookChanges,
) -> Result<bool, DbErr> {
    let mut q = Entity::update_many();
    if c.reset_failures {
        q = q
            .col_expr(Column::ConsecutiveFailures, Expr::value(0))
            .col_expr(Column::DisabledReason, Expr::value(Option::<String>::None));
    }
    let res = q
        .col_expr(Column::Url, Expr::value(c.url))
        .col_expr(
            Column::EventTypes,
            Expr::value(serde_json::json!(c.event_types)),
        )
        .col_expr(Column::Enabled, Expr::value(c.enabled))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(super::now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Replaces the secret.
#[tracing::instrument(skip_all)]
pub async fn set_secret(
    db: &impl ConnectionTrait,
    id: Uuid,
    secret: String,
) -> Result<bool, DbErr> {
    let now = super::now();
    let res = Entity::update_many()
        .col_expr(Column::Secret, Expr::value(secret))
        .col_expr(Column::SecretCreatedAt, Expr::value(now))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(now))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Deletes the endpoint, its deliveries and their log.
#[tracing::instrument(skip_all)]
pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, DbErr> {
    Ok(Entity::delete_by_id(id).exec(db).await?.rows_affected == 1)
}

/// Counts an attempt's outcome against the endpoint: a success forgets its failures, a failure
/// adds one. Returns the failures in a row after it.
#[tracing::instrument(skip_all)]
pub async fn count_outcome(db: &impl ConnectionTrait, id: Uuid, ok: bool) -> Result<i32, DbErr> {
    let value = if ok {
        Expr::value(0)
    } else {
        Expr::col(Column::ConsecutiveFailures).add(1)
    };
    let rows = Entity::update_many()
        .col_expr(Column::ConsecutiveFailures, value)
        .filter(Column::Id.eq(id))
        .exec_with_returning(db)
        .await?;
    Ok(rows.first().map_or(0, |m| m.consecutive_failures))
}

/// Disables an enabled endpoint for `reason`; `false` if it was not enabled (any more).
#[tracing::instrument(skip_all)]
pub async fn disable(db: &impl ConnectionTrait, id: Uuid, reason: &str) -> Result<bool, DbErr> {
    let res = Entity::update_many()
        .col_expr(Column::Enabled, Expr::value(false))
        .col_expr(Column::DisabledReason, Expr::value(reason))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(super::now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Enabled.eq(true))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}
