//! One attempt at one claimed delivery: sign, send, record, and disable the endpoint when the
//! attempt says so.

use std::sync::Arc;

use sea_orm::{DbErr, TransactionTrait};

use super::sender::{Sent, Signed};
use super::Shared;
use crate::domain::webhooks::{
    disable_reason, retry_after, signature, Attempt, Delivery, DeliveryStatus, Verdict,
};
use crate::http::events::CloudEvent;
use crate::persistence::deliveries::{self, Recorded};
use crate::persistence::{self, events, webhooks};

/// Makes the attempt; failures to reach the database are logged (the lease runs out and the
/// attempt is made again).
pub async fn make(shared: Arc<Shared>, d: Delivery) {
    let id = d.id;
    if let Err(e) = attempt(&shared, d).await {
        tracing::error!(delivery = %id, error = %e, "a webhook attempt could not be recorded");
    }
}

async fn attempt(shared: &Shared, d: Delivery) -> Result<(), crate::error::ApiError> {
    let db = &shared.db;
    // Both go with the delivery (foreign keys): missing, it was deleted meanwhile.
    let Some((endpoint, secret)) = webhooks::with_secret(db, d.webhook_id).await? else {
        return Ok(());
    };
    let Some(event) = events::get(db, d.event_seq).await? else {
        return Ok(());
    };
    // The body is the event exactly as `GET /events` shows it.
    let body = serde_json::to_vec(&CloudEvent::from(event))
        .map_err(|e| crate::error::ApiError::Internal(format!("event body: {e}")))?;
    let now = persistence::now();
    let msg_id = d.event_id.to_string();
    let sig = signature::sign(&secret, &msg_id, now.timestamp(), &body)
        .ok_or_else(|| crate::error::ApiError::Internal("a webhook secret is malformed".into()))?;
    let h = Signed {
        id: &msg_id,
        timestamp: now.timestamp(),
        signature: &sig,
    };
    let sent = shared.sender.send(&endpoint.url, h, body).await;
    let verdict = Verdict::of(sent.status);
    let Some(in_a_row) = record_retrying(shared, &d, sent).await? else {
        return Ok(());
    };
    if let Some(reason) = disable_reason(verdict, in_a_row, shared.settings.max_failures) {
        crate::app::webhooks::disable_for(db, endpoint.id, &reason).await?;
    }
    Ok(())
}

/// [`record`], tried again a few times after a database error (a pool that timed out under
/// load, a lost connection): an attempt the endpoint has answered is worth recording, or it is
/// sent again once its lease runs out.
async fn record_retrying(shared: &Shared, d: &Delivery, sent: Sent) -> Result<Option<i32>, DbErr> {
    let mut wait = std::time::Duration::from_millis(200);
    for _ in 0..4 {
        match record(shared, d, sent.clone()).await {
            Ok(recorded) => return Ok(recorded),
            Err(e) => {
                tracing::warn!(delivery = %d.id, error = %e, "could not record a webhook attempt; trying again");
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
        }
    }
    record(shared, d, sent).await
}

/// Records what the attempt got, and when the next is due if there is one, and counts it
/// against the endpoint. Returns the endpoint's failures in a row after it; `None` (nothing
/// recorded) when the lease ran out before.
async fn record(shared: &Shared, d: &Delivery, sent: Sent) -> Result<Option<i32>, DbErr> {
    let verdict = Verdict::of(sent.status);
    let number = d.attempts + 1;
    let at = persistence::now();
    let (status, next) = match verdict {
        Verdict::Delivered => (DeliveryStatus::Delivered, at),
        Verdict::Gone => (DeliveryStatus::Failed, at),
        Verdict::Failed => match retry_after(number, shared.settings.retry_scale, jitter()) {
            Some(wait) => (DeliveryStatus::Pending, at + wait),
            None => (DeliveryStatus::Failed, at),
        },
    };
    let answered = sent.status;
    let latency = std::time::Duration::from_millis(sent.latency_ms.max(0) as u64);
    let recorded = Recorded {
        attempt: Attempt {
            delivery_id: d.id,
            attempt: number,
            status_code: sent.status,
            latency_ms: sent.latency_ms,
            error: sent.error,
            at,
        },
        status,
        next_attempt_at: next,
    };
    let txn = shared.db.begin().await?;
    if !deliveries::record(&txn, shared.owner, recorded).await? {
        tracing::warn!(delivery = %d.id, "the lease ran out before the attempt was recorded");
        return Ok(None);
    }
    let ok = verdict == Verdict::Delivered;
    let in_a_row = webhooks::count_outcome(&txn, d.webhook_id, ok).await?;
    txn.commit().await?;
    let outcome = match status {
        DeliveryStatus::Delivered => "delivered",
        DeliveryStatus::Pending => "retrying",
        DeliveryStatus::Failed => "failed",
    };
    crate::metrics::webhook_attempt(outcome, answered, latency);
    tracing::info!(delivery = %d.id, attempt = number, status = ?status, "webhook attempt");
    Ok(Some(in_a_row))
}

/// A random number in [-1, 1].
fn jitter() -> f64 {
    let mut b = [0u8; 4];
    if getrandom::fill(&mut b).is_err() {
        return 0.0;
    }
    f64::from(u32::from_le_bytes(b)) / f64::from(u32::MAX) * 2.0 - 1.0
}
