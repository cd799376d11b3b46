//! `Idempotency-Key` for creating POSTs: a retry with the same key and body gets the first
//! response again and creates nothing; the same key with another body is refused.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use sea_orm::ConnectionTrait;
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::extract::IdempotencyKey;
use super::request_id::RequestContext;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::persistence::{self, idempotency::StoredResponse};

/// One creating request that may carry an idempotency key.
pub struct Idempotent {
    user_id: Uuid,
    key: Option<String>,
    hash: String,
    method: String,
    path: String,
}

impl Idempotent {
    pub fn new(
        key: IdempotencyKey,
        user: &CurrentUser,
        ctx: &RequestContext,
        body: &impl Serialize,
    ) -> Self {
        let mut h = Sha256::new();
        h.update(ctx.method.as_bytes());
        h.update(b" ");
        h.update(ctx.path.as_bytes());
        h.update(b"\n");
        h.update(serde_json::to_vec(body).unwrap_or_default());
        Idempotent {
            user_id: user.id,
            key: key.0,
            hash: format!("{:x}", h.finalize()),
            method: ctx.method.clone(),
            path: ctx.path.clone(),
        }
    }

    /// The stored first response, if this is a retry of it.
    pub async fn replay(&self, db: &impl ConnectionTrait) -> ApiResult<Option<HttpResponse>> {
        let Some(key) = &self.key else {
            return Ok(None);
        };
        let Some(stored) = persistence::idempotency::find(db, self.user_id, key).await? else {
            return Ok(None);
        };
        if stored.request_hash != self.hash {
            return Err(ApiError::new(
                ErrorCode::IdempotencyKeyReused,
                "this Idempotency-Key was used for a different request; use a new key",
            ));
        }
        let status = StatusCode::from_u16(stored.status as u16).unwrap_or(StatusCode::OK);
        Ok(Some(
            HttpResponse::build(status)
                .content_type("application/json")
                .insert_header(("Idempotent-Replayed", "true"))
                .body(stored.body),
        ))
    }

    /// Keeps the response for later retries, in the transaction that created the resource.
    pub async fn save(
        &self,
        db: &impl ConnectionTrait,
        status: StatusCode,
        body: &impl Serialize,
    ) -> ApiResult<()> {
        let Some(key) = &self.key else {
            return Ok(());
        };
        let r = StoredResponse {
            user_id: self.user_id,
            key: key.clone(),
            request_hash: self.hash.clone(),
            method: self.method.clone(),
            path: self.path.clone(),
            status: status.as_u16() as i32,
            body: serde_json::to_string(body).map_err(|e| ApiError::Internal(e.to_string()))?,
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
