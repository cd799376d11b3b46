//! `Idempotency-Key` for handlers not yet on the write pipeline: the same rule as
//! [`crate::app::idempotency`], answered as HTTP.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use sea_orm::ConnectionTrait;
use serde::Serialize;

use super::extract::IdempotencyKey;
use super::request_id::RequestContext;
use crate::app::idempotency::Idempotent as Core;
use crate::app::pipeline::Outcome;
use crate::auth::CurrentUser;
use crate::error::ApiResult;

/// One creating request that may carry an idempotency key.
pub struct Idempotent(Core);

impl Idempotent {
    pub fn new(
        key: IdempotencyKey,
        user: &CurrentUser,
        ctx: &RequestContext,
        body: &impl Serialize,
    ) -> Self {
        Idempotent(Core::new(key.0, user.id, &ctx.method, &ctx.path, body))
    }

    /// The stored first response, if this is a retry of it.
    pub async fn replay(&self, db: &impl ConnectionTrait) -> ApiResult<Option<HttpResponse>> {
        Ok(self
            .0
            .replay(db)
            .await?
            .map(|r| super::respond::reply::<()>(Outcome::Replayed(r))))
    }

    /// Keeps the response for later retries, in the transaction that created the resource.
    pub async fn save(
        &self,
        db: &impl ConnectionTrait,
        status: StatusCode,
        body: &impl Serialize,
    ) -> ApiResult<()> {
        self.0.save(db, status.as_u16(), body).await
    }
}
