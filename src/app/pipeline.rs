//! The one write pipeline. Every change goes through [`Write::run`], which owns the order:
//! begin → authorize (and find what the caller may see) → idempotency replay → the use case →
//! saved idempotent response → audit event → change-feed event (`app::events`) → commit.
//! Nobody else begins, audits, writes feed events or commits.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};
use serde::Serialize;

use super::events;
use super::idempotency::{Idempotent, Replay, Resource};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::persistence::audit::{self, Entry, Origin};
use crate::persistence::batch::Batch;
use crate::persistence::db::Db;

/// What a use case changed: the resource after the change (and before it, for an update), and
/// the audit action that names the change.
#[derive(Debug, Clone)]
pub struct Change<T> {
    /// `<resource>.<verb>`, e.g. `unit.create`.
    pub action: &'static str,
    pub resource_type: &'static str,
    pub resource_id: String,
    pub before: Option<T>,
    pub after: T,
    /// A new resource (201 with `Location`) rather than a changed one (200).
    pub created: bool,
    /// What the audit event shows instead of `before`/`after`, for a change recorded as a
    /// step (`{"status": ..}`) or with secrets left out.
    pub audit: Option<(Option<serde_json::Value>, Option<serde_json::Value>)>,
    /// An edit whose every effect shows in the resource: when it reads the same after as
    /// before (but for its version and time), nothing is kept ([`Change::unchanged`]).
    pub edit: bool,
}

impl<T> Change<T> {
    /// A new resource.
    pub fn created(
        action: &'static str,
        resource_type: &'static str,
        id: impl ToString,
        after: T,
    ) -> Self {
        Change {
            action,
            resource_type,
            resource_id: id.to_string(),
            before: None,
            after,
            created: true,
            audit: None,
            edit: false,
        }
    }

    /// A changed resource, with what it was.
    pub fn updated(
        action: &'static str,
        resource_type: &'static str,
        id: impl ToString,
        before: T,
        after: T,
    ) -> Self {
        Change {
            action,
            resource_type,
            resource_id: id.to_string(),
            before: Some(before),
            after,
            created: false,
            audit: None,
            edit: false,
        }
    }

    /// The change as an edit of the resource's fields (`PATCH`, `PUT`): one that leaves them as
    /// they were keeps nothing, neither a new version nor an audit event.
    pub fn edit(mut self) -> Self {
        self.edit = true;
        self
    }

    /// The same change, its values shown another way (e.g. as the wire type).
    pub fn map<U>(self, f: impl Fn(T) -> U) -> Change<U> {
        Change {
            action: self.action,
            resource_type: self.resource_type,
            resource_id: self.resource_id,
            before: self.before.map(&f),
            after: f(self.after),
            created: self.created,
            audit: self.audit,
            edit: self.edit,
        }
    }

    /// The same change, audited as `before` → `after` rather than as the resource.
    pub fn audited_as(
        mut self,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Self {
        self.audit = Some((before, after));
        self
    }

    /// The HTTP status the change is answered with.
    pub fn status(&self) -> u16 {
        if self.created {
            201
        } else {
            200
        }
    }
}

/// The fields every write of a resource changes: its version and the time of the write.
const STAMPS: [&str; 2] = ["version", "updated_at"];

impl<T: Serialize> Change<T> {
    /// An edit that left the resource as it was: it reads the same after as before, but for
    /// its [`STAMPS`].
    pub fn unchanged(&self) -> bool {
        let Some(before) = self.before.as_ref().filter(|_| self.edit) else {
            return false;
        };
        let fields = |t: &T| {
            let mut v = serde_json::to_value(t).ok()?;
            let o = v.as_object_mut()?;
            STAMPS.iter().for_each(|k| {
                o.remove(*k);
            });
            Some(v)
        };
        fields(before).is_some_and(|b| Some(b) == fields(&self.after))
    }

    /// The audit event of the change.
    pub fn entry(&self) -> Entry {
        if let Some((before, after)) = &self.audit {
            let id = &self.resource_id;
            return Entry::success(
                self.action,
                self.resource_type,
                id,
                before.clone(),
                after.clone(),
            );
        }
        Entry::success(
            self.action,
            self.resource_type,
            &self.resource_id,
            self.before
                .as_ref()
                .and_then(|b| serde_json::to_value(b).ok()),
            serde_json::to_value(&self.after).ok(),
        )
    }
}

/// How a write ended: a change made now, or the first answer to a retried request.
#[derive(Debug)]
pub enum Outcome<T> {
    Done(Change<T>),
    Replayed(Replay),
}

/// One write by one caller.
pub struct Write<'a> {
    db: &'a Db,
    pub user: &'a CurrentUser,
    origin: Origin,
    idempotency: Option<Idempotent>,
    /// The instant the write happens at (the use cases' clock).
    pub now: DateTime<Utc>,
}

impl<'a> Write<'a> {
    /// The error `e` of a keyed request's use case, unless a request with the same key and
    /// body committed its answer meanwhile (two copies of one retried request at once: the
    /// other's new resource made this one's fail, e.g. `already_exists`): then that answer.
    async fn answered_meanwhile<T>(
        &self,
        txn: DatabaseTransaction,
        e: ApiError,
    ) -> ApiResult<Outcome<T>> {
        let Some(idem) = self.idempotency.as_ref().filter(|i| i.is_keyed()) else {
            return Err(e);
        };
        // Read after this transaction ends: the other's answer committed before this one's
        // write could fail on it.
        txn.rollback().await?;
        match idem.replay(self.db).await? {
            Some(replay) => Ok(Outcome::Replayed(replay)),
            None => Err(e),
        }
    }

    pub fn new(db: &'a Db, user: &'a CurrentUser, origin: Origin) -> Self {
        Write {
            db,
            user,
            origin,
            idempotency: None,
            now: crate::persistence::now(),
        }
    }

    /// Makes the write retry-safe under the client's key.
    pub fn idempotent(mut self, idempotency: Idempotent) -> Self {
        self.idempotency = Some(idempotency);
        self
    }

    /// Runs `authorize` (who may, and what they may see: 403/404 come from here), then answers
    /// a retry with its first response, else runs `apply` with what `authorize` found, records
    /// the change and commits. Anything failing rolls everything back.
    pub async fn run<G, T: Resource>(
        self,
        authorize: impl AsyncFnOnce(&DatabaseTransaction) -> ApiResult<G>,
        apply: impl AsyncFnOnce(&DatabaseTransaction, G) -> ApiResult<Change<T>>,
    ) -> ApiResult<Outcome<T>> {
        let txn = self.db.begin().await?;
        let found = authorize(&txn).await?;
        if let Some(idem) = &self.idempotency {
            if let Some(replay) = idem.replay(&txn).await? {
                return Ok(Outcome::Replayed(replay));
            }
        }
        let mut change = match apply(&txn, found).await {
            Ok(change) => change,
            Err(e) => return self.answered_meanwhile(txn, e).await,
        };
        if change.unchanged() {
            // An edit to what the resource already is: undone (its new version too), and
            // answered with the resource as it was, unaudited.
            txn.rollback().await?;
            change.after = change.before.take().unwrap_or(change.after);
            return Ok(Outcome::Done(change));
        }
        if let Some(idem) = &self.idempotency {
            if let Err(e) = idem.save(&txn, change.status(), &change.after).await {
                return self.answered_meanwhile(txn, e).await;
            }
        }
        let event = events::event_of(&change, self.now)?;
        let event_type = event.as_ref().map(|e| e.event_type.clone());
        // Last, as few statements as possible: from here to the commit every other writer
        // waits for the audit chain's head row.
        let actor = self.user.actor();
        let entry = change.entry();
        let mut batch = Batch::default();
        let slot = audit::record_with_feed(
            &txn,
            &actor,
            &self.origin,
            entry,
            event.is_some(),
            &mut batch,
        )
        .await?;
        if let (Some(event), Some(slot)) = (event, slot) {
            let subscribers = slot.subscriptions.of(&event.event_type);
            let backend = txn.get_database_backend();
            events::store(&mut batch, backend, event, slot.seq, &subscribers);
        }
        batch.run(&txn).await?;
        txn.commit().await.map_err(ApiError::from)?;
        if let Some(t) = event_type {
            events::committed(&t);
        }
        Ok(Outcome::Done(change))
    }
}
