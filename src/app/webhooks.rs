//! Webhooks (admin): register an endpoint with a secret made by the server, change its URL,
//! event types or enabled flag, rotate its secret, delete it, send a delivery again. Every
//! change goes through the pipeline. Events are queued for the endpoints in their own
//! transaction ([`enqueue`]); the delivery worker (`delivery/`) sends them and disables an
//! endpoint that fails too often ([`disable_for`]).

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::pipeline::{Change, Write};
use super::precondition::IfMatch;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::webhooks::{self as domain, Delivery, DeliveryStatus, TargetPolicy, Webhook};
use crate::domain::Violations;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::persistence::audit::Origin;
use crate::persistence::db::Db;
use crate::persistence::deliveries::{self, EventRef};
use crate::persistence::webhooks::{self as repo, NewWebhook, WebhookChanges};

/// A new endpoint as the administrator sends it.
#[derive(Debug, Clone)]
pub struct WebhookInput {
    pub url: String,
    pub event_types: Vec<String>,
    pub enabled: bool,
}

/// Changes to an endpoint; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct WebhookEdit {
    pub url: Option<String>,
    pub event_types: Option<Vec<String>>,
    pub enabled: Option<bool>,
}

/// Only admin manages webhooks.
pub fn authorize(user: &CurrentUser) -> ApiResult<()> {
    user.require(&[Role::Admin])
}

/// Checks an endpoint's URL and event types; returns them as stored.
fn check(policy: TargetPolicy, url: &str, types: &[String]) -> ApiResult<(String, Vec<String>)> {
    let mut v = Violations::new();
    let url = policy.check_url(&mut v, "url", url);
    let types = domain::event_types(&mut v, "event_types", types);
    v.finish(|| ())?;
    let url = url.ok_or_else(|| ApiError::Internal("validated url missing".into()))?;
    Ok((url.to_string(), types))
}

/// A new endpoint signing with `secret`.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &impl ConnectionTrait,
    policy: TargetPolicy,
    input: WebhookInput,
    secret: &str,
) -> ApiResult<Change<Webhook>> {
    let (url, event_types) = check(policy, &input.url, &input.event_types)?;
    let new = NewWebhook {
        url,
        event_types,
        secret: secret.to_string(),
        enabled: input.enabled,
    };
    let w = repo::insert(db, new).await?;
    Ok(Change::created("webhook.create", "webhook", w.id, w))
}

/// The endpoint `id`, or 404.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<Webhook> {
    repo::get(db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("webhook"))
}

/// Changes an endpoint against the version `if_match` names. Enabling a disabled endpoint
/// forgets its failures.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    policy: TargetPolicy,
    id: Uuid,
    if_match: &IfMatch,
    edit: WebhookEdit,
) -> ApiResult<Change<Webhook>> {
    let current = get(db, id).await?;
    let url = edit.url.as_deref().unwrap_or(&current.url);
    let types = edit.event_types.as_deref().unwrap_or(&current.event_types);
    let (url, event_types) = check(policy, url, types)?;
    if_match.check(current.version)?;
    let enabled = edit.enabled.unwrap_or(current.enabled);
    let changes = WebhookChanges {
        url,
        event_types,
        enabled,
        reset_failures: enabled && !current.enabled,
    };
    if !repo::update(db, id, current.version, changes).await? {
        return Err(IfMatch::stale());
    }
    let after = get(db, id).await?;
    Ok(Change::updated("webhook.update", "webhook", id, current, after).edit())
}

/// Replaces the endpoint's secret with `secret`: deliveries from now on are signed with it.
#[tracing::instrument(skip_all)]
pub async fn rotate(
    db: &impl ConnectionTrait,
    id: Uuid,
    secret: &str,
) -> ApiResult<Change<Webhook>> {
    let current = get(db, id).await?;
    if !repo::set_secret(db, id, secret.to_string()).await? {
        return Err(ApiError::not_found("webhook"));
    }
    let after = get(db, id).await?;
    Ok(Change::updated(
        "webhook.rotate_secret",
        "webhook",
        id,
        current,
        after,
    ))
}

/// Deletes the endpoint with its deliveries and their log.
#[tracing::instrument(skip_all)]
pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<Change<Option<Webhook>>> {
    let current = get(db, id).await?;
    if !repo::delete(db, id).await? {
        return Err(ApiError::not_found("webhook"));
    }
    Ok(Change::updated(
        "webhook.delete",
        "webhook",
        id,
        Some(current),
        None,
    ))
}

/// Sends the event of a finished delivery again: a new delivery of the same event (the same
/// `webhook-id`), due at once, with attempts counted from 1.
#[tracing::instrument(skip_all)]
pub async fn resend(
    db: &impl ConnectionTrait,
    webhook_id: Uuid,
    delivery_id: Uuid,
    now: DateTime<Utc>,
) -> ApiResult<Change<Delivery>> {
    let w = get(db, webhook_id).await?;
    let d = deliveries::get(db, webhook_id, delivery_id)
        .await?
        .ok_or_else(|| ApiError::not_found("delivery"))?;
    if !w.enabled {
        return Err(ApiError::conflict(
            "the webhook is disabled: enable it (PATCH enabled: true) before sending again",
        ));
    }
    if d.status == DeliveryStatus::Pending {
        return Err(ApiError::conflict(format!(
            "the delivery is still pending: its next attempt is due at {}",
            d.next_attempt_at
        )));
    }
    let event = EventRef {
        seq: d.event_seq,
        id: d.event_id,
        event_type: d.event_type.clone(),
    };
    let ids = deliveries::enqueue(db, &event, &[webhook_id], now).await?;
    let new_id = ids.first().copied().unwrap_or(d.id);
    let created = deliveries::get(db, webhook_id, new_id)
        .await?
        .ok_or_else(|| ApiError::Internal("the new delivery is missing".into()))?;
    Ok(Change::created(
        "webhook.resend",
        "webhook_delivery",
        new_id,
        created,
    ))
}

/// The service itself, as the audit trail names the delivery worker.
fn delivery_worker() -> CurrentUser {
    CurrentUser {
        id: Uuid::nil(),
        username: "system:webhook-delivery".into(),
        role: Role::Admin,
        unit_id: None,
    }
}

/// An endpoint as the service's own writes (disabling it) record it.
impl super::idempotency::Resource for Webhook {
    fn location(&self) -> String {
        format!("/api/v1/webhooks/{}", self.id)
    }
    fn version(&self) -> Option<i32> {
        Some(self.version)
    }
}

/// Disables the endpoint `id` for `reason`, through the pipeline (audited as
/// `webhook.disable` by `system:webhook-delivery`). `false` if it was already disabled or is
/// gone.
#[tracing::instrument(skip_all, fields(webhook = %id))]
pub async fn disable_for(db: &Db, id: Uuid, reason: &str) -> ApiResult<bool> {
    let user = delivery_worker();
    let origin = Origin {
        request_id: format!("webhook-delivery-{}", Uuid::new_v4()),
        ..Origin::default()
    };
    let result = Write::new(db, &user, origin)
        .run(
            async |_| Ok(()),
            async |txn, ()| {
                let current = get(txn, id).await?;
                if !repo::disable(txn, id, reason).await? {
                    return Err(ApiError::conflict("already disabled"));
                }
                let after = get(txn, id).await?;
                Ok(Change::updated(
                    "webhook.disable",
                    "webhook",
                    id,
                    current,
                    after,
                ))
            },
        )
        .await;
    match result {
        Ok(_) => {
            tracing::warn!(webhook = %id, reason, "disabled a webhook");
            Ok(true)
        }
        Err(e) if matches!(e.code(), ErrorCode::Conflict | ErrorCode::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}
