//! Answering writes and reads of one resource: the body with its `ETag` (and `Location` for a
//! new one), or the first answer again for a retried request. Every resource goes through here.

use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, HttpResponseBuilder};
use serde::Serialize;
use std::future::Future;
use std::pin::Pin;

use super::extract::{etag, IdempotencyKey};
use super::request_id::RequestContext;
use crate::app::idempotency::Idempotent;
use crate::app::pipeline::{Outcome, Write};
use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::state::AppState;

pub use crate::app::idempotency::Resource;

/// An answer with the resource's `ETag` (its version, if it has one), and its `Location` when
/// it is new (201).
fn headed(status: StatusCode, version: Option<i32>, location: String) -> HttpResponseBuilder {
    let mut b = HttpResponse::build(status);
    if let Some(v) = version {
        b.insert_header((header::ETAG, etag(v)));
    }
    if status == StatusCode::CREATED && !location.is_empty() {
        b.insert_header((header::LOCATION, location));
    }
    b
}

/// The resource with its `ETag`, and its `Location` when it is new (201).
pub fn with_etag<T: Resource>(status: StatusCode, r: &T) -> HttpResponse {
    headed(status, r.version(), r.location()).json(r)
}

/// The answer to a write: the changed resource, or the stored first answer to a retry, with
/// the same `ETag` and `Location`.
pub fn reply<T: Resource>(outcome: Outcome<T>) -> HttpResponse {
    match outcome {
        Outcome::Done(change) => {
            let status = StatusCode::from_u16(change.status()).unwrap_or(StatusCode::OK);
            with_etag(status, &change.after)
        }
        Outcome::Replayed(r) => {
            let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::OK);
            headed(status, r.version, r.location)
                .content_type("application/json")
                .insert_header(("Idempotent-Replayed", "true"))
                .body(r.body)
        }
    }
}

/// What a writing handler needs: the state, the caller, the request's origin and its
/// `Idempotency-Key`.
pub struct Writer {
    pub state: web::Data<AppState>,
    pub user: CurrentUser,
    pub ctx: RequestContext,
    key: IdempotencyKey,
}

impl Writer {
    /// A write that is not retry-safe by key (updates: `If-Match` guards those).
    pub fn write(&self) -> Write<'_> {
        Write::new(&self.state.db, &self.user, self.ctx.origin())
    }

    /// A creating write: a retry with the same `Idempotency-Key` and `body` gets the first
    /// answer again.
    pub fn idempotent(&self, body: &impl Serialize) -> Write<'_> {
        let idem = Idempotent::new(
            self.key.0.clone(),
            self.user.id,
            &self.ctx.method,
            &self.ctx.path,
            body,
        );
        self.write().idempotent(idem)
    }
}

impl FromRequest for Writer {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let user = CurrentUser::from_request(req, payload);
        let ctx = RequestContext::from_request(req, payload);
        let key = IdempotencyKey::from_request(req, payload);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal("no app state".into()))?;
            let user = user.await?;
            let ctx = ctx.await.map_err(|e| ApiError::Internal(e.to_string()))?;
            let key = key.await?;
            Ok(Writer {
                state,
                user,
                ctx,
                key,
            })
        })
    }
}
