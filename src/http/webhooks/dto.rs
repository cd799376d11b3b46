//! The request and response types of `/webhooks`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::webhooks::{WebhookEdit, WebhookInput};
use crate::domain::webhooks::{Attempt, Delivery, DeliveryStatus, Webhook};
use crate::http::respond::Resource;

/// A webhook endpoint. Its secret is shown only in the answers to create and rotate.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a",
    "url": "https://hooks.province.example.org/budget-monitor",
    "event_types": ["submission.submitted", "submission.accepted"],
    "enabled": true, "disabled_reason": null, "consecutive_failures": 0,
    "secret_created_at": "2026-01-05T09:00:00Z", "version": 1,
    "created_at": "2026-01-05T09:00:00Z", "updated_at": "2026-01-05T09:00:00Z"
}))]
pub struct WebhookResponse {
    pub id: Uuid,
    /// Where deliveries are POSTed.
    #[schema(example = "https://hooks.province.example.org/budget-monitor")]
    pub url: String,
    /// The change-feed event types delivered to it.
    #[schema(example = json!(["submission.submitted"]))]
    pub event_types: Vec<String>,
    /// A disabled endpoint gets no deliveries, and events while it is disabled are not queued
    /// for it (read them from `GET /events`).
    pub enabled: bool,
    /// Why the service disabled it (410 Gone, or too many failures in a row); `null` when it
    /// is enabled or an administrator disabled it.
    pub disabled_reason: Option<String>,
    /// Failed attempts since its last successful one.
    #[schema(example = 0, minimum = 0)]
    pub consecutive_failures: i32,
    /// When the current secret was made.
    pub secret_created_at: DateTime<Utc>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The signing secret, only in the answers to create and rotate: `whsec_` and 32 random
    /// bytes in base64; the HMAC key is the base64-decoded part. A retried create (same
    /// `Idempotency-Key`) answers without it: rotate to get a new one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwJkQ0ZnV0dXJlcw==")]
    pub secret: Option<String>,
}

impl From<Webhook> for WebhookResponse {
    fn from(w: Webhook) -> Self {
        WebhookResponse {
            id: w.id,
            url: w.url,
            event_types: w.event_types,
            enabled: w.enabled,
            disabled_reason: w.disabled_reason,
            consecutive_failures: w.consecutive_failures,
            secret_created_at: w.secret_created_at,
            version: w.version,
            created_at: w.created_at,
            updated_at: w.updated_at,
            secret: None,
        }
    }
}

impl Resource for WebhookResponse {
    fn location(&self) -> String {
        format!("/api/v1/webhooks/{}", self.id)
    }
    fn version(&self) -> Option<i32> {
        Some(self.version)
    }
}

/// A new webhook endpoint.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"url": "https://hooks.province.example.org/budget-monitor", "event_types": ["submission.submitted", "submission.accepted"]}))]
pub struct CreateWebhookRequest {
    /// An `https://` URL on a public address, without user name, password or fragment.
    #[schema(
        max_length = 2048,
        example = "https://hooks.province.example.org/budget-monitor"
    )]
    pub url: String,
    /// One or more event types of the change feed (see `GET /events`), each once.
    #[schema(min_items = 1, example = json!(["submission.submitted"]))]
    pub event_types: Vec<String>,
    /// Default `true`.
    #[serde(default)]
    pub enabled: Option<bool>,
}

impl From<&CreateWebhookRequest> for WebhookInput {
    fn from(r: &CreateWebhookRequest) -> Self {
        WebhookInput {
            url: r.url.clone(),
            event_types: r.event_types.clone(),
            enabled: r.enabled.unwrap_or(true),
        }
    }
}

/// Changes to an endpoint; absent fields stay. `enabled: true` on a disabled endpoint forgets
/// its failures.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"enabled": true}))]
pub struct UpdateWebhookRequest {
    #[schema(max_length = 2048)]
    pub url: Option<String>,
    #[schema(min_items = 1)]
    pub event_types: Option<Vec<String>>,
    pub enabled: Option<bool>,
}

impl From<UpdateWebhookRequest> for WebhookEdit {
    fn from(r: UpdateWebhookRequest) -> Self {
        WebhookEdit {
            url: r.url,
            event_types: r.event_types,
            enabled: r.enabled,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WebhookListQuery {
    pub enabled: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryListQuery {
    pub status: Option<DeliveryStatus>,
}

/// One attempt at a delivery.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"attempt": 1, "status_code": 503, "latency_ms": 87, "error": "the endpoint answered 503", "at": "2026-07-08T02:15:00.456Z"}))]
pub struct AttemptResponse {
    /// 1 for the first attempt of the delivery.
    #[schema(minimum = 1, example = 1)]
    pub attempt: i32,
    /// The endpoint's HTTP status; `null` when it gave none (timeout, refused address, …).
    #[schema(example = 200)]
    pub status_code: Option<u16>,
    /// From sending the request to the end of the answer, in milliseconds.
    #[schema(minimum = 0, example = 87)]
    pub latency_ms: i64,
    /// Why the attempt failed; `null` for a 2xx.
    pub error: Option<String>,
    pub at: DateTime<Utc>,
}

impl From<Attempt> for AttemptResponse {
    fn from(a: Attempt) -> Self {
        AttemptResponse {
            attempt: a.attempt,
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            error: a.error,
            at: a.at,
        }
    }
}

/// One event to deliver to the endpoint, with its attempts so far.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193a1f2-8d4e-7f50-9b6c-7d8e9f0a1b2c", "webhook_id": "7d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a",
    "event_id": "0193a1f2-7c3d-7e4f-8a5b-6c7d8e9f0a1b", "event_type": "submission.submitted", "event_seq": 42,
    "status": "delivered", "next_attempt_at": null,
    "attempts": [
        {"attempt": 1, "status_code": 503, "latency_ms": 87, "error": "the endpoint answered 503", "at": "2026-07-08T02:15:00.456Z"},
        {"attempt": 2, "status_code": 200, "latency_ms": 64, "error": null, "at": "2026-07-08T02:15:05.512Z"}
    ],
    "created_at": "2026-07-08T02:15:00.123Z", "updated_at": "2026-07-08T02:15:05.512Z"
}))]
pub struct DeliveryResponse {
    pub id: Uuid,
    pub webhook_id: Uuid,
    /// The event's `id`: the `webhook-id` header of every attempt.
    pub event_id: Uuid,
    #[schema(example = "submission.submitted")]
    pub event_type: String,
    /// The event's `seq` in the change feed.
    #[schema(minimum = 1, example = 42)]
    pub event_seq: i64,
    pub status: DeliveryStatus,
    /// When the next attempt is due; `null` unless `pending`.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The attempts so far, the first first.
    pub attempts: Vec<AttemptResponse>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl DeliveryResponse {
    pub fn of(d: Delivery, attempts: Vec<Attempt>) -> Self {
        DeliveryResponse {
            next_attempt_at: (d.status == DeliveryStatus::Pending).then_some(d.next_attempt_at),
            id: d.id,
            webhook_id: d.webhook_id,
            event_id: d.event_id,
            event_type: d.event_type,
            event_seq: d.event_seq,
            status: d.status,
            attempts: attempts.into_iter().map(AttemptResponse::from).collect(),
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

impl Resource for DeliveryResponse {
    fn location(&self) -> String {
        String::new()
    }
    fn version(&self) -> Option<i32> {
        None
    }
}
