//! `Idempotency-Key` for creating requests: a retry with the same key and body gets the first
//! response again and creates nothing; the same key with another body is refused.

use sea_orm::ConnectionTrait;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::persistence::{self, idempotency::StoredResponse};

/// A resource as the API shows it: what a write answers with, and a retry gets again.
pub trait Resource: Serialize {
    /// Where it can be read, e.g. `/api/v1/units/{id}` (the `Location` of a new one); empty for
    /// a resource that is not read on its own.
    fn location(&self) -> String;
    /// Its version, the `ETag`; `None` for a resource that has none.
    fn version(&self) -> Option<i32>;
}

/// A resource that may be gone (a delete answers with none).
impl<T: Resource> Resource for Option<T> {
    fn location(&self) -> String {
        self.as_ref().map(T::location).unwrap_or_default()
    }
    fn version(&self) -> Option<i32> {
        self.as_ref().and_then(T::version)
    }
}

/// The first response to a request, kept for its retries.
#[derive(Debug, Clone)]
pub struct Replay {
    pub status: u16,
    /// The JSON body, as first sent.
    pub body: String,
    /// The first response's `Location` (empty for none) and version (its `ETag`).
    pub location: String,
    pub version: Option<i32>,
}

/// A key the client sent, with the fingerprint of the request it came with.
struct Keyed {
    key: String,
    hash: String,
}

/// One creating request that may carry an idempotency key.
pub struct Idempotent {
    user_id: Uuid,
    /// The client's key and the request's fingerprint, when the client sent a key.
    keyed: Option<Keyed>,
    method: String,
    path: String,
}

impl Idempotent {
    /// The request `method path` with `body`, by `user_id`, under `key` (if the client sent one).
    /// The request is fingerprinted only under a key: without one there is nothing to replay.
    pub fn new(
        key: Option<String>,
        user_id: Uuid,
        method: &str,
        path: &str,
        body: &impl Serialize,
    ) -> Self {
        let keyed = key.map(|key| Keyed {
            key,
            hash: fingerprint(method, path, body),
        });
        Idempotent {
            user_id,
            keyed,
            method: method.to_string(),
            path: path.to_string(),
        }
    }

    /// Whether the client sent a key.
    pub fn is_keyed(&self) -> bool {
        self.keyed.is_some()
    }

    /// The stored first response, if this is a retry of it.
    pub async fn replay(&self, db: &impl ConnectionTrait) -> ApiResult<Option<Replay>> {
        let Some(Keyed { key, hash }) = &self.keyed else {
            return Ok(None);
        };
        let Some(stored) = persistence::idempotency::find(db, self.user_id, key).await? else {
            return Ok(None);
        };
        if &stored.request_hash != hash {
            return Err(ApiError::new(
                ErrorCode::IdempotencyKeyReused,
                "this Idempotency-Key was used for a different request; use a new key",
            ));
        }
        Ok(Some(Replay {
            status: stored.status as u16,
            body: stored.body,
            location: stored.location.unwrap_or_default(),
            version: stored.version,
        }))
    }

    /// Keeps the response for later retries, in the transaction that created the resource.
    pub async fn save(
        &self,
        db: &impl ConnectionTrait,
        status: u16,
        body: &impl Resource,
    ) -> ApiResult<()> {
        let Some(Keyed { key, hash }) = &self.keyed else {
            return Ok(());
        };
        let r = StoredResponse {
            user_id: self.user_id,
            key: key.clone(),
            request_hash: hash.clone(),
            method: self.method.clone(),
            path: self.path.clone(),
            status: status as i32,
            body: serde_json::to_string(body).map_err(|e| ApiError::Internal(e.to_string()))?,
            location: Some(body.location()).filter(|l| !l.is_empty()),
            version: body.version(),
            created_at: persistence::now(),
        };
        persistence::idempotency::insert(db, r).await.map_err(|e| {
            if persistence::is_unique_violation(&e) {
                ApiError::new(
                    ErrorCode::IdempotencyKeyInFlight,
                    "another request with this Idempotency-Key was processed at the same time",
                )
            } else {
                e.into()
            }
        })
    }
}

/// SHA-256 (lowercase hex) of `method path` and the JSON of `body`: the same request gives the
/// same fingerprint.
fn fingerprint(method: &str, path: &str, body: &impl Serialize) -> String {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update(b" ");
    h.update(path.as_bytes());
    h.update(b"\n");
    h.update(serde_json::to_vec(body).unwrap_or_default());
    format!("{:x}", h.finalize())
}
