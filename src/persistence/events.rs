//! The change feed's table (`events`, a transactional outbox): appending an event in the
//! transaction of its change, reading the feed in order, and deleting what retention let go.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, QuerySelect, Select,
};
use uuid::Uuid;

use super::batch::Batch;
use super::entities::audit_chain;
use super::entities::event::{Column, Entity};
use crate::domain::events::{Event, StoredEvent};

/// The id of the audit chain's one head row, which also holds the feed's counter.
const HEAD_ID: i32 = 1;

/// Stores `e` at position `seq` of the feed (`e.seq` is ignored).
///
/// The position comes from `audit_chain.last_event_seq`, bumped by the `UPDATE … RETURNING` of
/// the chain's head row that records the change's audit event
/// ([`super::audit::record_with_feed`]), in the same transaction. That row stays locked by
/// this transaction until it commits or rolls back. So
/// - a second writer (on any instance sharing the database) waits at its own audit record
///   until this one has committed, and only then takes the next position: positions are handed
///   out in commit order, and an event is visible to readers before any event with a higher
///   position can commit (PostgreSQL makes a commit visible before it releases its locks);
/// - a transaction that rolls back undoes its bump along with its event: no gaps;
/// - on SQLite there is one writer at a time anyway.
///
/// A reader that has seen position `n` has therefore seen every event up to `n`, and no event
/// committed later can land below it: resuming after `n` misses nothing.
///
/// The row is left in `batch`, run by the caller with the audit record's rows.
pub fn store(batch: &mut Batch, backend: DbBackend, e: Event, seq: i64) {
    let row: [Expr; 8] = [
        seq.into(),
        e.id.into(),
        e.event_type.into(),
        e.source.into(),
        e.subject.into(),
        e.time.into(),
        // As text: [`super::json_param`].
        super::json_param(backend, Some(&e.data)),
        e.unit_id.into(),
    ];
    batch.push(
        backend.build(
            Query::insert()
                .into_table(Entity)
                .columns([
                    Column::Seq,
                    Column::Id,
                    Column::EventType,
                    Column::Source,
                    Column::Subject,
                    Column::Time,
                    Column::Data,
                    Column::UnitId,
                ])
                .values_panic(row),
        ),
    );
}

/// The position of the last committed event (0 before the first), deleted or not.
#[tracing::instrument(skip_all)]
pub async fn last_seq(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    let head = audit_chain::Entity::find_by_id(HEAD_ID)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("audit_chain head row".into()))?;
    Ok(head.last_event_seq)
}

/// The position of the oldest event still kept, if any is.
#[tracing::instrument(skip_all)]
pub async fn first_seq(db: &impl ConnectionTrait) -> Result<Option<i64>, DbErr> {
    let first = Entity::find()
        .select_only()
        .column(Column::Seq)
        .order_by_asc(Column::Seq)
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?;
    Ok(first)
}

/// The event at `seq`, if it is still kept.
#[tracing::instrument(skip_all)]
pub async fn get(db: &impl ConnectionTrait, seq: i64) -> Result<Option<StoredEvent>, DbErr> {
    let row = as_text(Entity::find_by_id(seq)).one(db).await?;
    row.map(stored).transpose()
}

/// The time of the newest event kept, if any is (the change feed's freshness, for metrics).
#[tracing::instrument(skip_all)]
pub async fn newest_time(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::Time)
        .order_by_desc(Column::Seq)
        .limit(1)
        .into_tuple::<DateTime<Utc>>()
        .one(db)
        .await
}

/// At most `limit` events with `after < seq ≤ upto`, in feed order. With `unit`, only the
/// events of that unit and those every role may read (no unit).
#[tracing::instrument(skip_all)]
pub async fn page(
    db: &impl ConnectionTrait,
    after: i64,
    upto: i64,
    unit: Option<Uuid>,
    limit: u64,
) -> Result<Vec<StoredEvent>, DbErr> {
    let mut q = Entity::find()
        .filter(Column::Seq.gt(after))
        .filter(Column::Seq.lte(upto));
    if let Some(u) = unit {
        q = q.filter(
            Condition::any()
                .add(Column::UnitId.eq(u))
                .add(Column::UnitId.is_null()),
        );
    }
    let q = q.order_by_asc(Column::Seq).limit(limit);
    as_text(q).all(db).await?.into_iter().map(stored).collect()
}

/// Deletes the events that happened before `before`, and every event before those in feed
/// order, so that what is kept stays one unbroken run of positions (`time` follows `seq` only
/// roughly: it is taken when a change starts, the position when it reaches its audit event).
/// Returns how many it deleted.
#[tracing::instrument(skip_all, err)]
pub async fn delete_before(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, DbErr> {
    let last_old = Entity::find()
        .select_only()
        .column(Column::Seq)
        .filter(Column::Time.lt(before))
        .order_by_desc(Column::Seq)
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?;
    let Some(last_old) = last_old else {
        return Ok(0);
    };
    let r = Entity::delete_many()
        .filter(Column::Seq.lte(last_old))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// An event's row with its data as the stored JSON text.
#[derive(FromQueryResult)]
struct TextRow {
    seq: i64,
    id: Uuid,
    event_type: String,
    source: String,
    subject: String,
    time: DateTime<Utc>,
    data: String,
    unit_id: Option<Uuid>,
}

/// Selects the events of `q` with their data as text (`json` is text on both databases).
fn as_text(q: Select<Entity>) -> sea_orm::Selector<sea_orm::SelectModel<TextRow>> {
    q.select_only()
        .columns([Column::Seq, Column::Id])
        .column_as(Column::EventType, "event_type")
        .columns([Column::Source, Column::Subject, Column::Time])
        .column_as(Expr::col((Entity, Column::Data)).cast_as("text"), "data")
        .column(Column::UnitId)
        .into_model::<TextRow>()
}

fn stored(r: TextRow) -> Result<StoredEvent, DbErr> {
    let data = serde_json::value::RawValue::from_string(r.data)
        .map_err(|e| DbErr::Type(format!("the data of event {} is not JSON: {e}", r.seq)))?;
    Ok(Event {
        seq: r.seq,
        id: r.id,
        event_type: r.event_type,
        source: r.source,
        subject: r.subject,
        time: r.time,
        data,
        unit_id: r.unit_id,
    })
}
