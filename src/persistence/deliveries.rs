//! Webhook deliveries: queued in the event's transaction, claimed by one worker at a time with
//! a lease, and their attempts (the delivery log).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::batch::Batch;
use super::entities::webhook;
use super::entities::webhook_attempt as attempt;
use super::entities::webhook_delivery::{self, Column, Entity};
use crate::domain::webhooks::{Attempt, Delivery, DeliveryStatus};

fn to_domain(m: webhook_delivery::Model) -> Result<Delivery, DbErr> {
    Ok(Delivery {
        status: m
            .status
            .parse::<DeliveryStatus>()
            .map_err(|e| DbErr::Type(format!("webhook_deliveries.status: {e}")))?,
        id: m.id,
        webhook_id: m.webhook_id,
        event_seq: m.event_seq,
        event_id: m.event_id,
        event_type: m.event_type,
        attempts: m.attempts,
        next_attempt_at: m.next_attempt_at,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn attempt_of(m: attempt::Model) -> Attempt {
    Attempt {
        delivery_id: m.delivery_id,
        attempt: m.attempt,
        status_code: m.status_code.and_then(|c| u16::try_from(c).ok()),
        latency_ms: m.latency_ms,
        error: m.error,
        at: m.at,
    }
}

/// The event a delivery is of.
#[derive(Debug, Clone)]
pub struct EventRef {
    pub seq: i64,
    pub id: Uuid,
    pub event_type: String,
}

/// Queues `event` for each of `webhooks`, due at `now`. Returns the new deliveries.
#[tracing::instrument(skip_all, fields(endpoints = webhooks.len()))]
pub async fn enqueue(
    db: &impl ConnectionTrait,
    event: &EventRef,
    webhooks: &[Uuid],
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, DbErr> {
    let mut batch = Batch::default();
    let ids = enqueue_in(&mut batch, db.get_database_backend(), event, webhooks, now);
    batch.run(db).await?;
    Ok(ids)
}

/// [`enqueue`], its rows left in `batch`.
pub fn enqueue_in(
    batch: &mut Batch,
    backend: DbBackend,
    event: &EventRef,
    webhooks: &[Uuid],
    now: DateTime<Utc>,
) -> Vec<Uuid> {
    if webhooks.is_empty() {
        return vec![];
    }
    let ids: Vec<Uuid> = webhooks.iter().map(|_| Uuid::now_v7()).collect();
    let rows = ids
        .iter()
        .zip(webhooks)
        .map(|(id, w)| webhook_delivery::ActiveModel {
            id: Set(*id),
            webhook_id: Set(*w),
            event_seq: Set(event.seq),
            event_id: Set(event.id),
            event_type: Set(event.event_type.clone()),
            status: Set(DeliveryStatus::Pending.as_str().to_string()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            lease_owner: Set(None),
            lease_until: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        });
    batch.push(Entity::insert_many(rows).build(backend));
    ids
}

/// Takes up to `limit` deliveries that are due at `now`, pending, of an enabled endpoint and
/// not leased to a worker (or whose lease ran out), and leases them to `owner` until `until`.
///
/// One statement, `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING *`: on
/// PostgreSQL two workers never take the same row (the second skips the rows the first has
/// locked, and finds them leased once it commits); SQLite has no row locks and needs none, its
/// writes taking turns.
#[tracing::instrument(skip_all)]
pub async fn claim(
    db: &impl ConnectionTrait,
    owner: Uuid,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Delivery>, DbErr> {
    let enabled = webhook::Entity::find()
        .select_only()
        .column(webhook::Column::Id)
        .filter(webhook::Column::Enabled.eq(true))
        .into_query();
    let due = Entity::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Status.eq(DeliveryStatus::Pending.as_str()))
        .filter(Column::NextAttemptAt.lte(now))
        .filter(
            Condition::any()
                .add(Column::LeaseUntil.is_null())
                .add(Column::LeaseUntil.lt(now)),
        )
        .filter(Column::WebhookId.in_subquery(enabled))
        .order_by_asc(Column::NextAttemptAt)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .into_query();
    let rows = Entity::update_many()
        .col_expr(Column::LeaseOwner, Expr::value(owner))
        .col_expr(Column::LeaseUntil, Expr::value(until))
        .filter(Column::Id.in_subquery(due))
        .exec_with_returning(db)
        .await?;
    rows.into_iter().map(to_domain).collect()
}

/// What an attempt leaves of its delivery.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub attempt: Attempt,
    pub status: DeliveryStatus,
    /// When the next attempt is due (for a delivery still pending).
    pub next_attempt_at: DateTime<Utc>,
}

/// Writes an attempt and its delivery's new state, if `owner` still holds the lease; `false`
/// (nothing written) if it does not.
#[tracing::instrument(skip_all)]
pub async fn record(db: &impl ConnectionTrait, owner: Uuid, r: Recorded) -> Result<bool, DbErr> {
    let a = &r.attempt;
    let res = Entity::update_many()
        .col_expr(Column::Status, Expr::value(r.status.as_str()))
        .col_expr(Column::Attempts, Expr::value(a.attempt))
        .col_expr(Column::NextAttemptAt, Expr::value(r.next_attempt_at))
        .col_expr(Column::LeaseOwner, Expr::value(Option::<Uuid>::None))
        .col_expr(
            Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::UpdatedAt, Expr::value(a.at))
        .filter(Column::Id.eq(a.delivery_id))
        .filter(Column::LeaseOwner.eq(owner))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Ok(false);
    }
    let m = attempt::ActiveModel {
        id: Set(Uuid::now_v7()),
        delivery_id: Set(a.delivery_id),
        attempt: Set(a.attempt),
        status_code: Set(a.status_code.map(i32::from)),
        latency_ms: Set(a.latency_ms),
        error: Set(a.error.clone()),
        at: Set(a.at),
    };
    attempt::Entity::insert(m)
        .exec_without_returning(db)
        .await?;
    Ok(true)
}

/// The delivery `id` of the endpoint `webhook_id`.
pub async fn get(
    db: &impl ConnectionTrait,
    webhook_id: Uuid,
    id: Uuid,
) -> Result<Option<Delivery>, DbErr> {
    Entity::find_by_id(id)
        .filter(Column::WebhookId.eq(webhook_id))
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
}

/// A delivery with its attempts, the first first.
pub type Logged = (Delivery, Vec<Attempt>);

/// One page of an endpoint's deliveries, newest first, each with its attempts (oldest first),
/// and how many deliveries it has.
#[tracing::instrument(skip_all)]
pub async fn list(
    db: &impl ConnectionTrait,
    webhook_id: Uuid,
    status: Option<DeliveryStatus>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Logged>, u64), DbErr> {
    let mut q = Entity::find().filter(Column::WebhookId.eq(webhook_id));
    if let Some(s) = status {
        q = q.filter(Column::Status.eq(s.as_str()));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|d| d.id).collect();
    let mut attempts: HashMap<Uuid, Vec<Attempt>> = HashMap::new();
    for a in attempt::Entity::find()
        .filter(attempt::Column::DeliveryId.is_in(ids))
        .order_by_asc(attempt::Column::Attempt)
        .all(db)
        .await?
    {
        attempts
            .entry(a.delivery_id)
            .or_default()
            .push(attempt_of(a));
    }
    let items = rows
        .into_iter()
        .map(|d| {
            let a = attempts.remove(&d.id).unwrap_or_default();
            to_domain(d).map(|d| (d, a))
        })
        .collect::<Result<_, _>>()?;
    Ok((items, total))
}
