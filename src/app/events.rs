//! The change feed: the pipeline writes one event per committed change that has an event type
//! ([`event_of`], [`store`]), clients read them in order from a cursor ([`read`]), and events
//! older than the retention are deleted ([`forget_expired`]). Each event is queued for the
//! webhooks that asked for its type in the same transaction (`persistence::deliveries`).

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, TransactionTrait};
use serde::Serialize;
use uuid::Uuid;

use super::pipeline::Change;
use crate::auth::CurrentUser;
use crate::domain::events::{expired, feed_of, Audience, Cursor, Event, Feed, StoredEvent};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::persistence::batch::Batch;
use crate::persistence::db::Db;
use crate::persistence::deliveries::{self, EventRef};
use crate::persistence::events as repo;

/// The CloudEvents `source` of every event: the API the subjects are read from.
pub const SOURCE: &str = "/api/v1";

/// Events per read when the client names no `limit`, and the most it may ask for.
pub const DEFAULT_LIMIT: u64 = 100;
pub const MAX_LIMIT: u64 = 1000;

/// The event of `change`, made at `at`, if its action has one (see [`feed_of`]); its position
/// is taken with the change's audit record and it is stored with [`store`]. The pipeline calls
/// both in the change's transaction: a change that rolls back leaves no event, one that
/// commits always has one. `data` is `change.after` as the client is answered (the pipeline's
/// `T` is the wire type).
pub fn event_of<T: Serialize>(change: &Change<T>, at: DateTime<Utc>) -> ApiResult<Option<Event>> {
    let kind = match feed_of(change.action, || status_of(change.before.as_ref())) {
        Feed::Emits(kind) => kind,
        Feed::Silent => return Ok(None),
        Feed::Unknown => {
            // Tests run debug builds: a new action cannot slip past the table unnoticed.
            if cfg!(debug_assertions) {
                panic!(
                    "the audit action {} is not in the change feed's table (domain::events::feed_of)",
                    change.action
                );
            }
            tracing::warn!(action = change.action, "no event type for this action");
            return Ok(None);
        }
    };
    let data = serde_json::to_value(&change.after)
        .map_err(|e| ApiError::Internal(format!("event data: {e}")))?;
    let unit_id = match kind.audience {
        Audience::Everyone => None,
        // Fail closed: an event of a unit's resource that names no unit would be shown to all.
        Audience::Unit => Some(unit_of(&data).ok_or_else(|| {
            ApiError::Internal(format!("the data of a {} event has no unit_id", kind.name))
        })?),
    };
    Ok(Some(Event {
        seq: 0,
        id: Uuid::now_v7(),
        event_type: kind.name.to_string(),
        source: SOURCE.to_string(),
        subject: format!("{}/{}", kind.collection, change.resource_id),
        time: at,
        data,
        unit_id,
    }))
}

/// Stores `event` at the feed position `seq` taken for it with the change's audit record, and
/// queues it for `subscribers`, the webhooks that asked for its type
/// (read with the audit chain's head, `persistence::audit::record_with_feed`). The rows are left in `batch`, which the pipeline runs with
/// the audit record's.
pub fn store(batch: &mut Batch, backend: DbBackend, event: Event, seq: i64, subscribers: &[Uuid]) {
    let queued = EventRef {
        seq,
        id: event.id,
        event_type: event.event_type.clone(),
    };
    let at = event.time;
    repo::store(batch, backend, event, seq);
    deliveries::enqueue_in(batch, backend, &queued, subscribers, at);
}

/// Counts an event of `event_type` whose change has committed (a rolled-back change's event
/// never counts).
pub fn committed(event_type: &str) {
    crate::metrics::feed_event_committed(event_type);
}

/// The `status` of the resource before the change, if it has one.
fn status_of<T: Serialize>(before: Option<&T>) -> Option<String> {
    let v = serde_json::to_value(before?).ok()?;
    v.get("status")?.as_str().map(str::to_string)
}

fn unit_of(data: &serde_json::Value) -> Option<Uuid> {
    data.get("unit_id")?.as_str()?.parse().ok()
}

/// One read of the feed.
#[derive(Debug)]
pub struct FeedPage {
    pub events: Vec<StoredEvent>,
    /// Where the next read resumes: after the last event returned, or after the last event
    /// there is when the caller has seen everything it may see.
    pub next: Cursor,
}

/// The events after `after` (from the oldest kept when `None`) that `user` may see, at most
/// `limit`, in feed order. A reporter sees its unit's events and those every role may read
/// (periods); the others are skipped, and `next` moves past them all the same.
///
/// 422 for a cursor past the last event (not one of this feed's), 410 `cursor_expired` when
/// events after it were deleted by retention.
#[tracing::instrument(skip_all)]
pub async fn read(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    after: Option<Cursor>,
    limit: u64,
) -> ApiResult<FeedPage> {
    // Read the last position first: everything up to it is committed (positions follow
    // commit order), so the page below sees a complete run, whatever commits meanwhile.
    let last = repo::last_seq(db).await?;
    let first = repo::first_seq(db).await?;
    let from = match after {
        None => Cursor(first.map_or(last, |f| f - 1)),
        Some(c) if c.0 > last => {
            return Err(ApiError::field(
                "after",
                "unknown_cursor",
                format!("is past the feed's last event ({last}): not a cursor of this feed"),
            ))
        }
        Some(c) if expired(c, first, last) => {
            return Err(ApiError::new(
                ErrorCode::CursorExpired,
                format!(
                    "events after {c} were deleted by the retention; read again without `after` to start from the oldest event kept"
                ),
            ))
        }
        Some(c) => c,
    };
    let events = repo::page(db, from.0, last, user.unit_scope(), limit).await?;
    let next = match events.last() {
        Some(e) if events.len() as u64 == limit => Cursor(e.seq),
        _ => Cursor(last),
    };
    Ok(FeedPage { events, next })
}

/// Sets the feed's gauges from the database (at scrape time): its last position, and when its
/// newest event kept was written.
pub async fn sample_metrics(db: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
    let last = repo::last_seq(db).await?;
    let newest = repo::newest_time(db).await?;
    crate::metrics::feed_sampled(last, newest);
    Ok(())
}

/// Deletes the events that happened more than `days` days before `now`; returns how many.
#[tracing::instrument(skip_all, err)]
pub async fn forget_expired(db: &Db, days: u32, now: DateTime<Utc>) -> ApiResult<u64> {
    let txn = db.begin().await?;
    let n = repo::delete_before(&txn, now - chrono::Duration::days(days.into())).await?;
    txn.commit().await?;
    if n > 0 {
        tracing::info!(events = n, days, "deleted events past their retention");
    }
    Ok(n)
}

/// How often each instance applies the retention.
const RETENTION_EVERY: Duration = Duration::from_secs(3600);

/// Applies the retention every hour from now on, in the background (each instance does; a
/// second delete finds nothing).
pub fn keep_forgetting(db: Db, days: u32) {
    tokio::spawn(async move {
        let start = tokio::time::Instant::now() + RETENTION_EVERY;
        let mut every = tokio::time::interval_at(start, RETENTION_EVERY);
        loop {
            every.tick().await;
            // A failure is logged (by `forget_expired`) and tried again at the next tick.
            let _ = forget_expired(&db, days, crate::persistence::now()).await;
        }
    });
}
