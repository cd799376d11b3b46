//! The handlers of `/adjustment-requests`.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use uuid::Uuid;

use super::dto::{
    AdjustmentListQuery, AdjustmentResponse, CreateAdjustmentRequest, OptionalReason, ReasonRequest,
};
use crate::app::adjustments;
use crate::auth::CurrentUser;
use crate::domain::follow_through::AdjustmentDecision;
use crate::error::ApiResult;
use crate::http::extract::{Json, NoBody, OptionalJson, PageParams, Paginated};
use crate::http::respond::{reply, with_etag, Writer};
use crate::persistence::adjustments::{self as repo, AdjustmentFilter};
use crate::state::AppState;

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
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_adjustment_request(
    w: Writer,
    body: Json<CreateAdjustmentRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.0;
    let item_id = req.item_id;
    let outcome = w
        .idempotent(&req)
        .run(
            async |txn| adjustments::authorize_request(txn, &w.user, item_id).await,
            async |txn, item| {
                let change = adjustments::request(txn, &w.user, item, req.into()).await?;
                Ok(change.map(AdjustmentResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
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
#[get("")]
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
    let items = rows.into_iter().map(AdjustmentResponse::from).collect();
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
#[get("/{id}")]
pub async fn get_adjustment_request(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let a = adjustments::visible(&state.db, &user, *id).await?;
    Ok(with_etag(StatusCode::OK, &AdjustmentResponse::from(a)))
}

/// Takes `decision` on the request `id` through the write pipeline.
async fn decide(
    w: Writer,
    id: Uuid,
    decision: AdjustmentDecision,
    reason: Option<String>,
) -> ApiResult<HttpResponse> {
    let outcome = w
        .write()
        .run(
            async |txn| adjustments::authorize_decision(txn, &w.user, id, decision, reason).await,
            async |txn, plan| {
                let change = adjustments::decide(txn, &w.user, plan).await?;
                Ok(change.map(AdjustmentResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
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
        (status = 409, description = "The request is not pending; or an indicator it changes was deleted, and its target cannot change once the indicator is gone.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/approve")]
pub async fn approve_adjustment_request(
    w: Writer,
    id: web::Path<Uuid>,
    body: OptionalJson<OptionalReason>,
) -> ApiResult<HttpResponse> {
    let reason = body.0.and_then(|b| b.reason);
    decide(w, *id, AdjustmentDecision::Approve, reason).await
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
#[post("/{id}/reject")]
pub async fn reject_adjustment_request(
    w: Writer,
    id: web::Path<Uuid>,
    body: Json<ReasonRequest>,
) -> ApiResult<HttpResponse> {
    decide(w, *id, AdjustmentDecision::Reject, Some(body.0.reason)).await
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
#[post("/{id}/withdraw")]
pub async fn withdraw_adjustment_request(
    w: Writer,
    id: web::Path<Uuid>,
    _body: NoBody,
) -> ApiResult<HttpResponse> {
    decide(w, *id, AdjustmentDecision::Withdraw, None).await
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_adjustment_request)
        .service(list_adjustment_requests)
        .service(get_adjustment_request)
        .service(approve_adjustment_request)
        .service(reject_adjustment_request)
        .service(withdraw_adjustment_request);
}
