//! The append-only audit trail. There is no update or delete here on purpose.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::ExprTrait;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, Order,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Statement,
};
use serde_json::Value;
use uuid::Uuid;

use super::batch::Batch;
use super::entities::audit_chain;
use super::entities::audit_event::{self, Column, Entity};
use super::shared;
use super::webhooks::{self, Subscriptions};
use crate::domain::account::Role;
use crate::domain::audit_chain::{ChainWalk, ChainedEvent, Verification};

/// Who acted; all empty for an anonymous caller (e.g. a failed login).
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub id: Option<Uuid>,
    pub username: Option<String>,
    pub role: Option<Role>,
    pub unit_id: Option<Uuid>,
}

/// Where the request came from.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The server's own id of the request (a new UUID per request).
    pub request_id: String,
    pub client_addr: Option<String>,
    /// The `X-Request-Id` the client sent, if any (kept apart: a client cannot choose the
    /// server's request id).
    pub client_request_id: Option<String>,
}

/// One change (or attempt) to record.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `<resource>.<verb>`, e.g. `unit.update`.
    pub action: &'static str,
    pub resource_type: &'static str,
    pub resource_id: Option<String>,
    /// `success`, `failure` or `denied`.
    pub outcome: &'static str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Entry {
    pub fn success(
        action: &'static str,
        resource_type: &'static str,
        resource_id: impl ToString,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Self {
        Entry {
            action,
            resource_type,
            resource_id: Some(resource_id.to_string()),
            outcome: "success",
            before,
            after,
        }
    }
}

const SECRET_KEYS: &[&str] = &[
    "password",
    "password_hash",
    "secret",
    "token",
    "access_token",
];

/// Replaces the value of every secret-looking key, at any depth.
pub fn redact(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    if SECRET_KEYS.contains(&k.as_str()) {
                        (k, Value::String("[redacted]".into()))
                    } else {
                        (k, redact(v))
                    }
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(redact).collect()),
        other => other,
    }
}

/// Appends one event to the trail, chained to the one before it.
///
/// Takes the chain's head (`audit_chain`, one row) with an `UPDATE … RETURNING`, which locks it
/// until the caller's transaction ends: on PostgreSQL two instances appending at once take
/// their turns, so seqs have neither gaps nor duplicates. Call it inside the transaction of the
/// change, as its last statement where possible, so that the head is held briefly.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    origin: &Origin,
    e: Entry,
) -> Result<(), DbErr> {
    let mut batch = Batch::default();
    record_with_feed(db, actor, origin, e, false, &mut batch).await?;
    batch.run(db).await
}

/// [`record`], and when `feed_event` is set also takes the change feed's next position in the
/// same statement (`audit_chain.last_event_seq`, held under the same lock: see
/// [`super::events::store`]) and, on PostgreSQL, the endpoints subscribed to events
/// ([`webhooks::SUBSCRIPTIONS_JSON_PG`]), and returns both. Round trips saved while the head is
/// held, which every writer waits for. The event's row and the head's new hash are left in `batch`,
/// for the caller to run with whatever else it writes under the head (the feed's event) in one
/// round trip.
#[tracing::instrument(skip_all, fields(action = e.action), err)]
pub async fn record_with_feed(
    db: &impl ConnectionTrait,
    actor: &Actor,
    origin: &Origin,
    e: Entry,
    feed_event: bool,
    batch: &mut Batch,
) -> Result<Option<FeedSlot>, DbErr> {
    let mut event = unchained(actor, origin, e);
    let (head, subscriptions) = take_head(db, feed_event).await?;
    event.seq = head.last_seq;
    event.prev_hash = head.last_hash;
    let hash = event.compute_hash();
    let backend = db.get_database_backend();
    batch.push(insert_stored(backend, event, hash.clone()));
    batch.push(
        audit_chain::Entity::update_many()
            .col_expr(audit_chain::Column::LastHash, Expr::value(hash))
            .filter(audit_chain::Column::Id.eq(HEAD_ID))
            .build(backend),
    );
    Ok(subscriptions.map(|subscriptions| FeedSlot {
        seq: head.last_event_seq,
        subscriptions,
    }))
}

/// Where a change's feed event goes: its position in the feed, and the endpoints subscribed to
/// events as they are while the head is held.
#[derive(Debug)]
pub struct FeedSlot {
    pub seq: i64,
    pub subscriptions: Subscriptions,
}

/// The event of an entry, its secrets redacted, before it takes its place in the chain.
fn unchained(actor: &Actor, origin: &Origin, e: Entry) -> ChainedEvent {
    ChainedEvent {
        seq: 0,
        prev_hash: String::new(),
        id: Uuid::now_v7(),
        occurred_at: super::now(),
        actor_id: actor.id,
        actor_username: actor.username.clone(),
        actor_role: actor.role.map(|r| r.as_str().to_string()),
        actor_unit_id: actor.unit_id,
        action: e.action.to_string(),
        resource_type: e.resource_type.to_string(),
        resource_id: e.resource_id,
        request_id: origin.request_id.clone(),
        client_request_id: origin.client_request_id.clone(),
        client_addr: origin.client_addr.clone(),
        outcome: e.outcome.to_string(),
        before: e.before.map(redact),
        after: e.after.map(redact),
    }
}

/// Advances the chain's head by one seq (and the feed's by one when `feed_event`) and returns
/// it, locked until the transaction ends; with a feed event, also the endpoints subscribed to
/// events, read in the same statement on PostgreSQL.
async fn take_head(
    db: &impl ConnectionTrait,
    feed_event: bool,
) -> Result<(audit_chain::Model, Option<Subscriptions>), DbErr> {
    let backend = db.get_database_backend();
    let mut update = audit_chain::Entity::update_many()
        .col_expr(
            audit_chain::Column::LastSeq,
            Expr::col(audit_chain::Column::LastSeq).add(1),
        )
        .col_expr(
            audit_chain::Column::LastEventSeq,
            Expr::col(audit_chain::Column::LastEventSeq).add(i64::from(feed_event)),
        )
        .filter(audit_chain::Column::Id.eq(HEAD_ID))
        .into_query();
    let mut returning = vec![
        Expr::col(audit_chain::Column::Id),
        Expr::col(audit_chain::Column::LastSeq),
        Expr::col(audit_chain::Column::LastHash),
        Expr::col(audit_chain::Column::LastEventSeq),
    ];
    let subscriptions_inline = feed_event && backend == DbBackend::Postgres;
    if subscriptions_inline {
        returning.push(Expr::cust(webhooks::SUBSCRIPTIONS_JSON_PG));
    }
    update.returning(Query::returning().exprs(returning));
    let row = db
        .query_one(&update)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_chain head row".into()))?;
    let head = audit_chain::Model::from_query_result(&row, "")?;
    let subscriptions = if subscriptions_inline {
        let json: Option<Value> = row.try_get_by_index(4)?;
        Some(Subscriptions::from_json(json)?)
    } else if feed_event {
        Some(webhooks::subscriptions(db).await?)
    } else {
        None
    };
    Ok((head, subscriptions))
}

/// The row of a chained event with its hash (the inverse of [`chained`]).
/// The statement storing `event` with its `hash` (its JSON sent as text: [`super::json_param`]).
fn insert_stored(backend: DbBackend, event: ChainedEvent, hash: String) -> Statement {
    let json = |v: Option<&Value>| super::json_param(backend, v);
    let row: [Expr; 18] = [
        event.id.into(),
        event.occurred_at.into(),
        event.actor_id.into(),
        event.actor_username.into(),
        event.actor_role.into(),
        event.actor_unit_id.into(),
        event.action.into(),
        event.resource_type.into(),
        event.resource_id.into(),
        event.request_id.into(),
        event.client_request_id.into(),
        event.client_addr.into(),
        event.outcome.into(),
        json(event.before.as_ref()),
        json(event.after.as_ref()),
        event.seq.into(),
        event.prev_hash.into(),
        hash.into(),
    ];
    backend.build(
        Query::insert()
            .into_table(Entity)
            .columns([
                Column::Id,
                Column::OccurredAt,
                Column::ActorId,
                Column::ActorUsername,
                Column::ActorRole,
                Column::ActorUnitId,
                Column::Action,
                Column::ResourceType,
                Column::ResourceId,
                Column::RequestId,
                Column::ClientRequestId,
                Column::ClientAddr,
                Column::Outcome,
                Column::Before,
                Column::After,
                Column::Seq,
                Column::PrevHash,
                Column::Hash,
            ])
            .values_panic(row),
    )
}

/// The id of the chain's one head row.
const HEAD_ID: i32 = 1;

/// One event as stored: the fields its hash covers, and the hash.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    pub event: ChainedEvent,
    pub hash: String,
}

impl From<audit_event::Model> for StoredEvent {
    fn from(m: audit_event::Model) -> Self {
        StoredEvent {
            event: ChainedEvent {
                seq: m.seq,
                prev_hash: m.prev_hash,
                id: m.id,
                occurred_at: m.occurred_at,
                actor_id: m.actor_id,
                actor_username: m.actor_username,
                actor_role: m.actor_role,
                actor_unit_id: m.actor_unit_id,
                action: m.action,
                resource_type: m.resource_type,
                resource_id: m.resource_id,
                request_id: m.request_id,
                client_request_id: m.client_request_id,
                client_addr: m.client_addr,
                outcome: m.outcome,
                before: m.before,
                after: m.after,
            },
            hash: m.hash,
        }
    }
}

/// Events read per query while verifying: memory stays flat however long the trail is.
const VERIFY_BATCH: u64 = 1000;

/// Recomputes the whole chain, a page of events at a time in seq order, and compares its end
/// with the head. Events appended while it runs (past the head read at the start) are left for
/// the next run.
#[tracing::instrument(skip_all)]
pub async fn verify(db: &impl ConnectionTrait) -> Result<Verification, DbErr> {
    let head = audit_chain::Entity::find_by_id(HEAD_ID)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_chain head row".into()))?;
    let mut walk = ChainWalk::default();
    let mut cursor = i64::MIN;
    let first_break = loop {
        let rows = Entity::find()
            .filter(Column::Seq.gt(cursor))
            .filter(Column::Seq.lte(head.last_seq))
            .order_by_asc(Column::Seq)
            .limit(VERIFY_BATCH)
            .all(db)
            .await?;
        let Some(last) = rows.last() else {
            break walk.finish(head.last_seq, &head.last_hash).err();
        };
        cursor = last.seq;
        if let Some(b) = rows
            .into_iter()
            .map(StoredEvent::from)
            .find_map(|s| walk.step(&s.event, &s.hash).err())
        {
            break Some(b);
        }
    };
    Ok(Verification {
        checked: walk.checked(),
        last_seq: walk.last_seq(),
        last_hash: walk.last_hash().to_string(),
        head_seq: head.last_seq,
        first_break,
    })
}

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    pub action: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub seq: Option<i64>,
}

/// Newest first (in chain order).
#[tracing::instrument(skip_all)]
pub async fn list(
    db: &impl ConnectionTrait,
    f: &AuditFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<StoredEvent>, u64), DbErr> {
    let q = Entity::find()
        .apply_if(f.actor_id, |q, a| q.filter(Column::ActorId.eq(a)))
        .apply_if(f.action.as_deref(), |q, a| q.filter(Column::Action.eq(a)))
        .apply_if(f.resource_type.as_deref(), |q, t| {
            q.filter(Column::ResourceType.eq(t))
        })
        .apply_if(f.resource_id.as_deref(), |q, r| {
            q.filter(Column::ResourceId.eq(r))
        })
        .apply_if(f.from, |q, t| q.filter(Column::OccurredAt.gte(t)))
        .apply_if(f.to, |q, t| q.filter(Column::OccurredAt.lt(t)))
        .apply_if(f.seq, |q, s| q.filter(Column::Seq.eq(s)));
    let order = [(Column::Seq, Order::Desc)];
    let to_domain = |m| Ok(StoredEvent::from(m));
    shared::page(db, q, &order, offset, limit, to_domain).await
}
