//! `/webhooks`: endpoints the change feed is pushed to, managed by the administrator only, and
//! their delivery logs. Deliveries follow the Standard Webhooks convention; the payload and its
//! headers are documented in the OpenAPI document's top-level `webhooks`.

mod dto;

use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

pub use dto::*;

use super::extract::{IfMatch, Json, NoBody, PageParams, Paginated};
use super::respond::{reply, with_etag, Writer};
use crate::app::pipeline::Outcome;
use crate::app::webhooks;
use crate::auth::CurrentUser;
use crate::domain::webhooks::signature;
use crate::error::ApiResult;
use crate::persistence::{deliveries, webhooks as repo};
use crate::state::AppState;

/// The answer to a write that made a secret: the endpoint with its secret, shown this once (a
/// replayed create has none: answers are stored without it).
fn reply_with_secret(outcome: Outcome<WebhookResponse>, secret: String) -> HttpResponse {
    match outcome {
        Outcome::Done(mut change) => {
            change.after.secret = Some(secret);
            reply(Outcome::Done(change))
        }
        replayed => reply(replayed),
    }
}

/// Register a webhook endpoint (admin); the answer carries its signing secret, shown this once.
///
/// The URL must be `https://` on a public address (`BM_WEBHOOK_ALLOW_PRIVATE=true` lifts this
/// for development). Each committed change of a type the endpoint asked for is POSTed to it as
/// the CloudEvent `GET /events` shows, signed the Standard Webhooks way (see `webhooks` in this
/// document), and tried again on failure for about three days.
#[utoipa::path(
    tag = "webhooks",
    request_body = CreateWebhookRequest,
    params(crate::http::extract::IdempotencyKeyHeader),
    responses(
        (status = 201, description = "The new endpoint with its `secret` (shown this once)", body = WebhookResponse, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_webhook(
    w: Writer,
    body: Json<CreateWebhookRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.0;
    let secret = signature::generate_secret();
    let policy = w.state.webhook_targets;
    let outcome = w
        .idempotent(&req)
        .run(
            async |_| webhooks::authorize(&w.user),
            async |txn, ()| {
                let change = webhooks::create(txn, policy, (&req).into(), &secret).await?;
                Ok(change.map(WebhookResponse::from))
            },
        )
        .await?;
    Ok(reply_with_secret(outcome, secret))
}

/// List webhook endpoints (admin), oldest first.
#[utoipa::path(
    tag = "webhooks",
    params(PageParams, WebhookListQuery),
    responses(
        (status = 200, description = "One page of endpoints", body = Paginated<WebhookResponse>),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    user: CurrentUser,
    page: web::Query<PageParams>,
    q: web::Query<WebhookListQuery>,
) -> ApiResult<HttpResponse> {
    webhooks::authorize(&user)?;
    let page = page.check()?;
    let (rows, total) = repo::list(&state.db, q.enabled, page.offset(), page.per_page).await?;
    let items = rows.into_iter().map(WebhookResponse::from).collect();
    Ok(HttpResponse::Ok().json(Paginated::new(items, total, page)))
}

/// Read one webhook endpoint (admin); its secret is never shown again.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The endpoint, without its secret", body = WebhookResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such webhook.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_webhook(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    webhooks::authorize(&user)?;
    let w = webhooks::get(&state.db, *id).await?;
    Ok(with_etag(StatusCode::OK, &WebhookResponse::from(w)))
}

/// Change a webhook endpoint's URL, event types or enabled flag (admin); needs `If-Match`.
///
/// Enabling an endpoint the service disabled (410 Gone, or too many failures in a row) forgets
/// its failures; its deliveries still pending are attempted again.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag from your last read")),
    request_body = UpdateWebhookRequest,
    responses(
        (status = 200, description = "The changed endpoint", body = WebhookResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such webhook.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The resource changed since your read: the `If-Match` is stale; nothing was changed.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_webhook(
    w: Writer,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<UpdateWebhookRequest>,
) -> ApiResult<HttpResponse> {
    let policy = w.state.webhook_targets;
    let outcome = w
        .write()
        .run(
            async |_| webhooks::authorize(&w.user),
            async |txn, ()| {
                let change = webhooks::update(txn, policy, *id, &if_match, body.0.into()).await?;
                Ok(change.map(WebhookResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
}

/// Rotate a webhook endpoint's secret (admin): the answer carries the new secret, shown once.
///
/// Deliveries from now on are signed with the new secret only: put it in place at the
/// receiver first (or accept both while switching).
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The endpoint with its new `secret` (shown this once)", body = WebhookResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such webhook.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/rotate")]
#[tracing::instrument(skip_all)]
pub async fn rotate_webhook_secret(
    w: Writer,
    id: web::Path<Uuid>,
    _body: NoBody,
) -> ApiResult<HttpResponse> {
    let secret = signature::generate_secret();
    let outcome = w
        .write()
        .run(
            async |_| webhooks::authorize(&w.user),
            async |txn, ()| {
                let change = webhooks::rotate(txn, *id, &secret).await?;
                Ok(change.map(WebhookResponse::from))
            },
        )
        .await?;
    Ok(reply_with_secret(outcome, secret))
}

/// Delete a webhook endpoint (admin), with its pending deliveries and its delivery log.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "The endpoint is deleted"),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such webhook.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_webhook(
    w: Writer,
    id: web::Path<Uuid>,
    _body: NoBody,
) -> ApiResult<HttpResponse> {
    w.write()
        .run(
            async |_| webhooks::authorize(&w.user),
            async |txn, ()| {
                let change = webhooks::delete(txn, *id).await?;
                Ok(change.map(|w| w.map(WebhookResponse::from)))
            },
        )
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Read a webhook endpoint's delivery log (admin): its deliveries, newest first, each with its
/// attempts (status code, latency, error).
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path), PageParams, DeliveryListQuery),
    responses(
        (status = 200, description = "One page of deliveries", body = Paginated<DeliveryResponse>),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such webhook.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/deliveries")]
#[tracing::instrument(skip_all)]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    page: web::Query<PageParams>,
    q: web::Query<DeliveryListQuery>,
) -> ApiResult<HttpResponse> {
    webhooks::authorize(&user)?;
    let page = page.check()?;
    let w = webhooks::get(&state.db, *id).await?;
    let (rows, total) =
        deliveries::list(&state.db, w.id, q.status, page.offset(), page.per_page).await?;
    let items = rows
        .into_iter()
        .map(|(d, a)| DeliveryResponse::of(d, a))
        .collect();
    Ok(HttpResponse::Ok().json(Paginated::new(items, total, page)))
}

/// Send a delivered or failed delivery's event again (admin): a new delivery, due at once.
///
/// The new delivery carries the same `webhook-id` (the event's id) and counts its attempts
/// from 1; it follows the same retry schedule.
#[utoipa::path(
    tag = "webhooks",
    params(("id" = Uuid, Path), ("delivery_id" = Uuid, Path), crate::http::extract::IdempotencyKeyHeader),
    responses(
        (status = 201, description = "The new delivery", body = DeliveryResponse),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such webhook, or no such delivery of it.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The webhook is disabled, or the delivery is pending (its next attempt is still to come).", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/deliveries/{delivery_id}/resend")]
#[tracing::instrument(skip_all)]
pub async fn resend_delivery(
    w: Writer,
    path: web::Path<(Uuid, Uuid)>,
    _body: NoBody,
) -> ApiResult<HttpResponse> {
    let (id, delivery_id) = path.into_inner();
    let write = w.idempotent(&());
    let now = write.now;
    let outcome = write
        .run(
            async |_| webhooks::authorize(&w.user),
            async |txn, ()| {
                let change = webhooks::resend(txn, id, delivery_id, now).await?;
                Ok(change.map(|d| DeliveryResponse::of(d, vec![])))
            },
        )
        .await?;
    Ok(reply(outcome))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_webhook)
        .service(list_webhooks)
        .service(get_webhook)
        .service(update_webhook)
        .service(rotate_webhook_secret)
        .service(delete_webhook)
        .service(list_deliveries)
        .service(resend_delivery);
}
