//! `GET /audit-events`: the append-only audit trail (admin and finance). Nothing in the API
//! changes or deletes an event.

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{PageParams, Paginated};
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::error::ApiResult;
use crate::persistence::audit::{self, AuditFilter};
use crate::persistence::entities::audit_event;
use crate::startup::AppState;

/// One recorded change or sign-in attempt.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "0190f2a4-5b6c-7d8e-9f01-23456789abcd", "occurred_at": "2026-07-08T02:15:00Z", "actor_id": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "actor_username": "admin", "actor_role": "admin", "actor_unit_id": null, "action": "unit.update", "resource_type": "unit", "resource_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "request_id": "5f0c6a8e-3c1b-4a53-9d0e-7d4c1b2a9f10", "client_addr": "10.0.0.8", "outcome": "success", "before": {"name": "组织部"}, "after": {"name": "组织部（人才工作部）"}}))]
pub struct AuditEventResponse {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub actor_username: Option<String>,
    pub actor_role: Option<String>,
    pub actor_unit_id: Option<Uuid>,
    /// `<resource>.<verb>`, e.g. `unit.create`, `auth.login_failed`.
    #[schema(example = "unit.create")]
    pub action: String,
    #[schema(example = "unit")]
    pub resource_type: String,
    pub resource_id: Option<String>,
    pub request_id: String,
    pub client_addr: Option<String>,
    /// `success`, `failure` or `denied`.
    #[schema(example = "success")]
    pub outcome: String,
    /// The resource before the change (secrets redacted).
    pub before: Option<serde_json::Value>,
    /// The resource after the change (secrets redacted).
    pub after: Option<serde_json::Value>,
}

impl From<audit_event::Model> for AuditEventResponse {
    fn from(m: audit_event::Model) -> Self {
        AuditEventResponse {
            id: m.id,
            occurred_at: m.occurred_at,
            actor_id: m.actor_id,
            actor_username: m.actor_username,
            actor_role: m.actor_role,
            actor_unit_id: m.actor_unit_id,
            action: m.action,
            resource_type: m.resource_type,
            resource_id: m.resource_id,
            request_id: m.request_id,
            client_addr: m.client_addr,
            outcome: m.outcome,
            before: m.before,
            after: m.after,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub actor_id: Option<Uuid>,
    /// e.g. `unit.update`
    #[param(max_length = 64)]
    pub action: Option<String>,
    #[param(max_length = 64)]
    pub resource_type: Option<String>,
    #[param(max_length = 64)]
    pub resource_id: Option<String>,
    /// Events at or after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Events before this instant (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

/// List audit events, newest first (admin, finance).
///
/// Besides every change (`<resource>.<verb>`, outcome `success`), the trail holds sign-ins
/// (`auth.login`), failed sign-ins (`auth.login_failed`, outcome `failure`), the first throttled
/// sign-in of a 15-minute window (`auth.login_throttled`, outcome `denied`) and denied requests
/// (outcome `denied`): `auth.token_refused` (a token issued here but expired or of an unknown or
/// deactivated user; `after.reason`), `access.forbidden` (a 403 for the caller's role) and
/// `access.other_unit` (a reporter asking for another unit's object, which it is answered 404;
/// the object in `resource_type` / `resource_id`). Denied requests write at most 5 events per
/// caller and client address per window; the rest are counted only. `client_addr` is the
/// client's address (behind a trusted reverse proxy, the one it forwarded).
#[utoipa::path(
    tag = "audit",
    params(PageParams, AuditQuery),
    responses(
        (status = 200, description = "One page of audit events, newest first", body = Paginated<AuditEventResponse>),
        (status = 403, description = "Needs the role admin or finance.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/audit-events")]
#[tracing::instrument(skip_all)]
pub async fn list_audit_events(
    state: web::Data<AppState>,
    user: CurrentUser,
    page: web::Query<PageParams>,
    q: web::Query<AuditQuery>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin, Role::Finance])?;
    let page = page.check()?;
    let q = q.into_inner();
    let mut v = crate::domain::Violations::new();
    for (field, value) in [
        ("action", &q.action),
        ("resource_type", &q.resource_type),
        ("resource_id", &q.resource_id),
    ] {
        if value.as_ref().is_some_and(|s| s.chars().count() > 64) {
            v.add(field, "too_long", "must be at most 64 characters");
        }
    }
    v.finish(|| ())?;
    let f = AuditFilter {
        actor_id: q.actor_id,
        action: q.action,
        resource_type: q.resource_type,
        resource_id: q.resource_id,
        from: q.from,
        to: q.to,
    };
    let (rows, total) = audit::list(&state.db, &f, page.offset(), page.per_page).await?;
    let items = rows.into_iter().map(AuditEventResponse::from).collect();
    Ok(HttpResponse::Ok().json(Paginated::new(items, total, page)))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_audit_events);
}
