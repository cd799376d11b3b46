//! `/adjustment-requests` (Art. 13): a unit explains an objective cause and proposes a new
//! budget and/or targets; finance approves (applied at once, in one transaction) or rejects.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::changes::{self, TargetChange};
use super::extract::{etag, IdempotencyKey, Json, OptionalJson, PageParams, Paginated};
use super::items::visible_item;
use super::request_id::RequestContext;
use super::Idempotent;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::follow_through::{AdjustmentCause, AdjustmentStatus};
use crate::domain::validation::text;
use crate::domain::workflow::TransitionError;
use crate::domain::{FundSplit, Violations};
use crate::error::{ApiError, ApiResult};
use crate::persistence::adjustments::{
    self as repo, AdjustmentFilter, AdjustmentRow, NewAdjustment,
};
use crate::persistence::audit::{self, Entry};
use crate::persistence::indicators;
use crate::state::AppState;

/// An adjustment request.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "3c4d5e6f-7081-4293-a4b5-c6d7e8f90a12", "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "cause": "policy_change", "explanation": "上级调整帮扶标准", "countermeasures": "提高单人帮扶额度", "new_budget": {"fiscal": "260.000000", "union": "120.000000"}, "new_targets": [{"indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "target": "900"}], "status": "approved", "decision_reason": null, "decided_by": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "decided_at": "2026-07-25T06:00:00Z", "created_by": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "version": 2, "created_at": "2026-07-20T06:00:00Z", "updated_at": "2026-07-25T06:00:00Z"}))]
pub struct AdjustmentResponse {
    pub id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub cause: AdjustmentCause,
    pub explanation: String,
    pub countermeasures: String,
    /// The proposed budget, if the budget is to change.
    pub new_budget: Option<FundSplit>,
    pub new_targets: Vec<TargetChange>,
    pub status: AdjustmentStatus,
    pub decision_reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_by: Uuid,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn to_response(r: AdjustmentRow) -> ApiResult<AdjustmentResponse> {
    let bad = |e: String| ApiError::Internal(format!("stored adjustment: {e}"));
    let new_budget = match (r.new_fiscal, r.new_union) {
        (Some(f), Some(u)) => Some(FundSplit {
            fiscal: f.amount()?,
            union: u.amount()?,
        }),
        _ => None,
    };
    Ok(AdjustmentResponse {
        cause: r.cause.parse().map_err(bad)?,
        status: r.status.parse().map_err(bad)?,
        new_targets: serde_json::from_str(&r.new_targets).map_err(|e| bad(e.to_string()))?,
        new_budget,
        id: r.id,
        item_id: r.item_id,
        unit_id: r.unit_id,
        explanation: r.explanation,
        countermeasures: r.countermeasures,
        decision_reason: r.decision_reason,
        decided_by: r.decided_by,
        decided_at: r.decided_at,
        created_by: r.created_by,
        version: r.version,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

/// A proposal: an objective cause, what it did, the countermeasures, and a new budget and/or
/// new targets for named indicators of the item.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "cause": "policy_change",
    "explanation": "上级工会调整帮扶标准，受助人数减少", "countermeasures": "提高单人帮扶额度",
    "new_budget": {"fiscal": "260", "union": "120"},
    "new_targets": [{"indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "target": "900"}]
}))]
pub struct CreateAdjustmentRequest {
    pub item_id: Uuid,
    pub cause: AdjustmentCause,
    #[schema(min_length = 1, max_length = 4000)]
    pub explanation: String,
    #[schema(min_length = 1, max_length = 4000)]
    pub countermeasures: String,
    #[serde(default)]
    pub new_budget: Option<FundSplit>,
    #[serde(default)]
    pub new_targets: Vec<TargetChange>,
}

/// Why finance rejects.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "原因不属于客观因素"}))]
pub struct ReasonRequest {
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// An optional comment with an approval.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionalReason {
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdjustmentListQuery {
    pub unit_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub status: Option<AdjustmentStatus>,
}

async fn visible(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<AdjustmentRow> {
    let found = repo::get(db, id).await?;
    user.visible(found, |a| a.unit_id, "adjustment_request", id)
}

fn with_etag(status: StatusCode, a: &AdjustmentResponse) -> HttpResponse {
    let mut b = HttpResponse::build(status);
    b.insert_header((header::ETAG, etag(a.version)));
    if status == StatusCode::CREATED {
        b.insert_header((
            header::LOCATION,
            format!("/api/v1/adjustment-requests/{}", a.id),
        ));
    }
    b.json(a)
}

/// Request an adjustment for an item of your unit (reporter).
#[utoipa::path(
    tag = "adjustment-requests",
    request_body = CreateAdjustmentRequest,
    params(crate::http::extract::IdempotencyKeyHeader),
    responses(
        (status = 201, description = "The new request, `pending`", body = AdjustmentResponse, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Needs the role reporter.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Item not found, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/adjustment-requests")]
#[tracing::instrument(skip_all)]
pub async fn create_adjustment_request(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    key: IdempotencyKey,
    body: Json<CreateAdjustmentRequest>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Reporter])?;
    let req = body.0;
    let idem = Idempotent::new(key, &user, &ctx, &req);
    let txn = state.db.begin().await?;
    if let Some(replay) = idem.replay(&txn).await? {
        return Ok(replay);
    }
    let item = visible_item(&txn, &user, req.item_id).await?;
    let inds = indicators::of_item(&txn, item.id).await?;
    let mut v = Violations::new();
    let explanation = text(&mut v, "explanation", &req.explanation, 4000);
    let countermeasures = text(&mut v, "countermeasures", &req.countermeasures, 4000);
    if req.new_budget.is_none() && req.new_targets.is_empty() {
        v.add(
            "new_budget",
            "required",
            "propose a new budget, new targets, or both",
        );
    }
    let targets = match changes::check_targets("new_targets", &req.new_targets, &inds) {
        Ok(t) => t,
        Err(errors) => {
            v.0.extend(errors);
            vec![]
        }
    };
    v.finish(|| ())?;
    let row = repo::insert(
        &txn,
        NewAdjustment {
            item_id: item.id,
            unit_id: item.unit_id,
            cause: req.cause,
            explanation: explanation.unwrap_or_default(),
            countermeasures: countermeasures.unwrap_or_default(),
            new_budget: req.new_budget,
            new_targets: serde_json::to_value(&targets).unwrap_or_default(),
            created_by: user.id,
        },
    )
    .await?;
    let created = to_response(row)?;
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "adjustment_request.create",
            "adjustment_request",
            created.id,
            None,
            serde_json::to_value(&created).ok(),
        ),
    )
    .await?;
    idem.save(&txn, StatusCode::CREATED, &created).await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::CREATED, &created))
}

/// List adjustment requests, newest first; a reporter sees its own unit's.
#[utoipa::path(
    tag = "adjustment-requests",
    params(PageParams, AdjustmentListQuery),
    responses(
        (status = 200, description = "One page of adjustment requests", body = Paginated<AdjustmentResponse>),
    ),
    security(("bearer" = []))
)]
#[get("/adjustment-requests")]
pub async fn list_adjustment_requests(
    state: web::Data<AppState>,
    user: CurrentUser,
    page: web::Query<PageParams>,
    q: web::Query<AdjustmentListQuery>,
) -> ApiResult<HttpResponse> {
    let page = page.check()?;
    let Some(unit_id) = user.list_unit_filter(q.unit_id) else {
        // A reporter asking for another unit's objects sees none.
        return Ok(HttpResponse::Ok().json(Paginated::<AdjustmentResponse>::new(vec![], 0, page)));
    };
    let f = AdjustmentFilter {
        unit_id,
        item_id: q.item_id,
        status: q.status,
    };
    let (rows, total) = repo::list(&state.db, &f, page.offset(), page.per_page).await?;
    let items = rows
        .into_iter()
        .map(to_response)
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(Paginated::new(items, total, page)))
}

/// Read one adjustment request.
#[utoipa::path(
    tag = "adjustment-requests",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The adjustment request", body = AdjustmentResponse, headers(("ETag" = String))),
        (status = 404, description = "No such adjustment request, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/adjustment-requests/{id}")]
pub async fn get_adjustment_request(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let a = visible(&state.db, &user, *id).await?;
    Ok(with_etag(StatusCode::OK, &to_response(a)?))
}

#[allow(clippy::too_many_arguments)]
async fn decide(
    state: &AppState,
    user: &CurrentUser,
    ctx: &RequestContext,
    id: Uuid,
    role: Role,
    action: &'static str,
    next: fn(AdjustmentStatus) -> Result<AdjustmentStatus, TransitionError>,
    reason: Option<String>,
) -> ApiResult<HttpResponse> {
    let txn = state.db.begin().await?;
    let a = visible(&txn, user, id).await?;
    user.require(&[role])?;
    let current = to_response(a.clone())?;
    let to = next(current.status).map_err(|e| ApiError::conflict(e.to_string()))?;
    if to == AdjustmentStatus::Approved {
        let item = visible_item(&txn, user, a.item_id).await?;
        changes::apply(
            &txn,
            &item,
            current.new_budget,
            &current.new_targets,
            "adjustment_request",
            a.id,
            user,
        )
        .await?;
    }
    if !repo::decide(&txn, a.id, a.version, to, reason, user.id).await? {
        return Err(super::extract::IfMatch::stale());
    }
    let after = to_response(visible(&txn, user, a.id).await?)?;
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            action,
            "adjustment_request",
            a.id,
            serde_json::to_value(&current).ok(),
            serde_json::to_value(&after).ok(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::OK, &after))
}

/// Approve a pending request (finance): the new budget and targets apply to the item at once,
/// all or nothing; the original budget and targets stay readable.
#[utoipa::path(
    tag = "adjustment-requests",
    params(("id" = Uuid, Path)),
    request_body(content = Option<OptionalReason>, description = "Optional; may be left out", content_type = "application/json"),
    responses(
        (status = 200, description = "The request, now `approved`; the item carries the new budget and targets", body = AdjustmentResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such adjustment request.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The request is not pending, or an indicator it changes no longer exists.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/adjustment-requests/{id}/approve")]
pub async fn approve_adjustment_request(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    body: OptionalJson<OptionalReason>,
) -> ApiResult<HttpResponse> {
    let reason = body
        .0
        .and_then(|b| b.reason)
        .filter(|r| !r.trim().is_empty());
    if reason.as_ref().is_some_and(|r| r.chars().count() > 2000) {
        return Err(ApiError::field(
            "reason",
            "too_long",
            "must be at most 2000 characters",
        ));
    }
    decide(
        &state,
        &user,
        &ctx,
        *id,
        Role::Finance,
        "adjustment_request.approve",
        AdjustmentStatus::approve,
        reason,
    )
    .await
}

/// Reject a pending request with a reason (finance).
#[utoipa::path(
    tag = "adjustment-requests",
    params(("id" = Uuid, Path)),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "The request, now `rejected` with the reason", body = AdjustmentResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such adjustment request.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The request is not pending.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/adjustment-requests/{id}/reject")]
pub async fn reject_adjustment_request(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    body: Json<ReasonRequest>,
) -> ApiResult<HttpResponse> {
    let mut v = Violations::new();
    let reason = text(&mut v, "reason", &body.reason, 2000);
    v.finish(|| ())?;
    decide(
        &state,
        &user,
        &ctx,
        *id,
        Role::Finance,
        "adjustment_request.reject",
        AdjustmentStatus::reject,
        reason,
    )
    .await
}

/// Withdraw a pending request of your unit (reporter).
#[utoipa::path(
    tag = "adjustment-requests",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The request, now `withdrawn`", body = AdjustmentResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role reporter.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such adjustment request, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The request is not pending.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/adjustment-requests/{id}/withdraw")]
pub async fn withdraw_adjustment_request(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    decide(
        &state,
        &user,
        &ctx,
        *id,
        Role::Reporter,
        "adjustment_request.withdraw",
        AdjustmentStatus::withdraw,
        None,
    )
    .await
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_adjustment_request)
        .service(list_adjustment_requests)
        .service(get_adjustment_request)
        .service(approve_adjustment_request)
        .service(reject_adjustment_request)
        .service(withdraw_adjustment_request);
}
