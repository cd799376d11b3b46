//! The delivery worker: sends the change feed's events to the webhooks that asked for them,
//! at least once, from the database.
//!
//! Each instance runs one worker (started with the server, stopped after it). A worker claims
//! due deliveries with a lease (`persistence::deliveries::claim`), so that two instances never
//! make the same attempt; a worker that stops cleanly finishes the attempts it has begun, one
//! that dies leaves its leases to run out and another worker (or itself after a restart) makes
//! those attempts again, with the same `webhook-id`. Receivers drop repeated ids.

mod attempt;
pub mod sender;

use std::sync::Arc;
use std::time::Duration;

use sea_orm::TransactionTrait;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use uuid::Uuid;

use crate::config::WebhookSettings;
use crate::persistence::db::Db;
use crate::persistence::{self, deliveries};
use sender::Sender;

/// Deliveries claimed at once (and attempted side by side).
const BATCH: u64 = 16;

/// What a worker shares with its attempts.
struct Shared {
    db: Db,
    sender: Sender,
    settings: WebhookSettings,
    /// This worker, as its leases name it.
    owner: Uuid,
}

impl Shared {
    /// How long a claim holds: longer than any attempt takes, with time to record it.
    fn lease(&self) -> Duration {
        self.settings.timeout + Duration::from_secs(5)
    }
}

/// A running worker.
pub struct Worker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Worker {
    /// Starts the worker in the background.
    pub fn start(db: Db, settings: WebhookSettings) -> Result<Worker, reqwest::Error> {
        let shared = Arc::new(Shared {
            sender: Sender::new(&settings)?,
            db,
            settings,
            owner: Uuid::new_v4(),
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(shared, stopped));
        Ok(Worker { stop, task })
    }

    /// Stops claiming deliveries, lets the attempts under way finish and waits for them.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "the webhook delivery worker ended abnormally");
        }
    }
}

async fn run(shared: Arc<Shared>, mut stopped: watch::Receiver<bool>) {
    tracing::info!(worker = %shared.owner, "webhook delivery worker started");
    while !*stopped.borrow() {
        let busy = match round(&shared).await {
            Ok(n) => n > 0,
            Err(e) => {
                tracing::warn!(error = %e, "could not claim webhook deliveries; trying again");
                false
            }
        };
        if !busy {
            tokio::select! {
                _ = tokio::time::sleep(shared.settings.poll) => {}
                _ = stopped.changed() => {}
            }
        }
    }
    tracing::info!(worker = %shared.owner, "webhook delivery worker stopped");
}

/// Claims what is due and attempts it all; returns how many were claimed.
async fn round(shared: &Arc<Shared>) -> Result<usize, sea_orm::DbErr> {
    let now = persistence::now();
    let until = now + shared.lease();
    // A write, so on the writer (see `Db`).
    let txn = shared.db.begin().await?;
    let claimed = deliveries::claim(&txn, shared.owner, now, until, BATCH).await?;
    txn.commit().await?;
    let n = claimed.len();
    let mut attempts = JoinSet::new();
    for d in claimed {
        attempts.spawn(attempt::make(shared.clone(), d));
    }
    while attempts.join_next().await.is_some() {}
    Ok(n)
}
