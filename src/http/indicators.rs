//! `/items/{id}/indicators`: the 3-level indicator tree of an item (Art. 6, forms 1–3).

use actix_web::http::{header, StatusCode};
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{etag, IdempotencyKey, IfMatch, Json};
use super::items::{require_item_writer, visible_item};
use super::request_id::RequestContext;
use super::Idempotent;
use crate::auth::CurrentUser;
use crate::domain::indicator::{self, Indicator, Level1, Level2};
use crate::domain::monitoring::Direction;
use crate::domain::Violations;
use crate::error::{ApiError, ApiResult};
use crate::persistence::audit::{self, Entry};
use crate::persistence::indicators::{self as repo, IndicatorFields};
use crate::persistence::submissions;
use crate::state::AppState;

/// One 三级指标.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f",
    "position": 1, "level1": "output", "level2": "quantity", "name": "帮扶困难职工人次", "measure_unit": "人次",
    "direction": "higher_better", "target": "1200", "original_target": "1200", "prorate": true, "weight": null,
    "version": 1, "created_at": "2026-02-01T08:00:00Z", "updated_at": "2026-02-01T08:00:00Z"
}))]
pub struct IndicatorResponse {
    pub id: Uuid,
    pub item_id: Uuid,
    /// Order on the form.
    pub position: i32,
    pub level1: Level1,
    pub level2: Level2,
    /// 三级指标
    pub name: String,
    pub measure_unit: String,
    pub direction: Direction,
    /// 预期指标值: a decimal string, or the expected description of a qualitative indicator.
    pub target: String,
    /// The target before any adjustment.
    pub original_target: String,
    /// Compared against time progress (a cumulative quantity).
    pub prorate: bool,
    pub weight: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Indicator> for IndicatorResponse {
    fn from(i: Indicator) -> Self {
        IndicatorResponse {
            id: i.id,
            item_id: i.item_id,
            position: i.position,
            level1: i.level1,
            level2: i.level2,
            name: i.name,
            measure_unit: i.measure_unit,
            direction: i.direction,
            target: i.target,
            original_target: i.original_target,
            prorate: i.prorate,
            weight: i.weight.map(|w| w.to_string()),
            version: i.version,
            created_at: i.created_at,
            updated_at: i.updated_at,
        }
    }
}

/// A new indicator. `level2` must belong to `level1`: output → quantity, quality, timeliness,
/// cost; effect → social_benefit, economic_benefit, ecological_benefit, sustainable_impact;
/// satisfaction → satisfaction.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"level1": "output", "level2": "quantity", "name": "帮扶困难职工人次", "measure_unit": "人次", "direction": "higher_better", "target": "1200", "prorate": true}))]
pub struct IndicatorRequest {
    pub level1: Level1,
    pub level2: Level2,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 32)]
    pub measure_unit: String,
    pub direction: Direction,
    /// A decimal (e.g. `"1200"`, `"95.5"`) unless qualitative.
    #[schema(min_length = 1, max_length = 500)]
    pub target: String,
    #[serde(default)]
    pub prorate: bool,
    /// Optional weight in the overall completion rate, (0, 100].
    #[serde(default)]
    pub weight: Option<String>,
}

fn parse_request(
    req: &IndicatorRequest,
) -> Result<IndicatorFields, Vec<crate::domain::FieldError>> {
    let mut v = Violations::new();
    let (name, unit, target, weight) = indicator::check(
        &mut v,
        req.level1,
        req.level2,
        &req.name,
        &req.measure_unit,
        req.direction,
        &req.target,
        req.weight.as_deref(),
    );
    if req.prorate && req.direction != Direction::HigherBetter {
        v.add(
            "prorate",
            "not_applicable",
            "only a higher-better quantity is compared against time progress",
        );
    }
    v.finish(|| IndicatorFields {
        level1: req.level1,
        level2: req.level2,
        name: name.unwrap_or_default(),
        measure_unit: unit.unwrap_or_default(),
        direction: req.direction,
        target: target.unwrap_or_default(),
        prorate: req.prorate,
        weight: weight.flatten(),
    })
}

fn with_etag(status: StatusCode, i: &IndicatorResponse) -> HttpResponse {
    let mut b = HttpResponse::build(status);
    b.insert_header((header::ETAG, etag(i.version)));
    if status == StatusCode::CREATED {
        b.insert_header((
            header::LOCATION,
            format!("/api/v1/items/{}/indicators/{}", i.item_id, i.id),
        ));
    }
    b.json(i)
}

/// Add an indicator to an item (reporter of the unit, or finance).
#[utoipa::path(
    tag = "indicators",
    params(("id" = Uuid, Path, description = "The item"), crate::http::extract::IdempotencyKeyHeader),
    request_body = IndicatorRequest,
    responses(
        (status = 201, description = "The new indicator", body = IndicatorResponse, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Needs the role reporter or finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/items/{id}/indicators")]
#[tracing::instrument(skip_all)]
pub async fn create_indicator(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: Json<IndicatorRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.0;
    let idem = Idempotent::new(key, &user, &ctx, &req);
    let txn = state.db.begin().await?;
    let item = visible_item(&txn, &user, *id).await?;
    require_item_writer(&user)?;
    if let Some(replay) = idem.replay(&txn).await? {
        return Ok(replay);
    }
    let fields = parse_request(&req)?;
    let created: IndicatorResponse = repo::insert(&txn, item.id, fields).await?.into();
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "indicator.create",
            "indicator",
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

/// The indicators of an item, in form order.
#[utoipa::path(
    tag = "indicators",
    params(("id" = Uuid, Path, description = "The item")),
    responses(
        (status = 200, description = "The item's indicators, by level", body = Vec<IndicatorResponse>),
        (status = 404, description = "No such item, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/items/{id}/indicators")]
#[tracing::instrument(skip_all)]
pub async fn list_indicators(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let item = visible_item(&state.db, &user, *id).await?;
    let rows: Vec<IndicatorResponse> = repo::of_item(&state.db, item.id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(HttpResponse::Ok().json(rows))
}

async fn visible_indicator(
    db: &impl sea_orm::ConnectionTrait,
    user: &CurrentUser,
    item_id: Uuid,
    id: Uuid,
) -> ApiResult<Indicator> {
    let item = visible_item(db, user, item_id).await?;
    repo::get(db, id)
        .await?
        .filter(|i| i.item_id == item.id)
        .ok_or_else(|| ApiError::not_found("indicator"))
}

/// Read one indicator.
#[utoipa::path(
    tag = "indicators",
    params(("id" = Uuid, Path, description = "The item"), ("indicator_id" = Uuid, Path)),
    responses(
        (status = 200, description = "The indicator", body = IndicatorResponse, headers(("ETag" = String))),
        (status = 404, description = "No such indicator on this item, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/items/{id}/indicators/{indicator_id}")]
pub async fn get_indicator(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (item_id, id) = path.into_inner();
    let i = visible_indicator(&state.db, &user, item_id, id).await?;
    Ok(with_etag(StatusCode::OK, &i.into()))
}

/// Replace an indicator's definition; needs `If-Match`. Once a form reporting on it was
/// submitted its target can only change through an adjustment request (409).
#[utoipa::path(
    tag = "indicators",
    params(("id" = Uuid, Path, description = "The item"), ("indicator_id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag from your last read")),
    request_body = IndicatorRequest,
    responses(
        (status = 200, description = "The changed indicator", body = IndicatorResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role reporter or finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such indicator on this item, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The target cannot change once a form reporting on it was submitted; send an adjustment request.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The resource changed since your read: the `If-Match` is stale; nothing was changed.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/items/{id}/indicators/{indicator_id}")]
#[tracing::instrument(skip_all)]
pub async fn update_indicator(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    path: web::Path<(Uuid, Uuid)>,
    if_match: IfMatch,
    body: Json<IndicatorRequest>,
) -> ApiResult<HttpResponse> {
    let (item_id, id) = path.into_inner();
    let txn = state.db.begin().await?;
    let current = visible_indicator(&txn, &user, item_id, id).await?;
    require_item_writer(&user)?;
    let fields = parse_request(&body)?;
    if_match.check(current.version)?;
    let changes_meaning = fields.target != current.target
        || fields.direction != current.direction
        || fields.prorate != current.prorate;
    if changes_meaning && submissions::indicator_has_filed_value(&txn, current.id).await? {
        return Err(ApiError::conflict(
            "a submitted form reports on this indicator; change its target through an adjustment request",
        ));
    }
    let before = IndicatorResponse::from(current.clone());
    let new_target = fields.target.clone();
    if !repo::update(&txn, current.id, current.version, fields).await? {
        return Err(IfMatch::stale());
    }
    crate::persistence::history::record(
        &txn,
        crate::persistence::history::Change {
            item_id,
            field: "target",
            indicator_id: Some(id),
            before: Some(current.target.clone()),
            after: Some(new_target),
            cause_type: "edit",
            cause_id: None,
            actor_id: user.id,
            actor_username: &user.username,
        },
    )
    .await?;
    let after: IndicatorResponse = visible_indicator(&txn, &user, item_id, id).await?.into();
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "indicator.update",
            "indicator",
            id,
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&after).ok(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::OK, &after))
}

/// Delete an indicator that no submitted form reports on (409 otherwise).
#[utoipa::path(
    tag = "indicators",
    params(("id" = Uuid, Path, description = "The item"), ("indicator_id" = Uuid, Path)),
    responses(
        (status = 204, description = "The indicator is deleted"),
        (status = 403, description = "Needs the role reporter or finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such indicator on this item, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A form reports on this indicator.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/items/{id}/indicators/{indicator_id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_indicator(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (item_id, id) = path.into_inner();
    let txn = state.db.begin().await?;
    let current = visible_indicator(&txn, &user, item_id, id).await?;
    require_item_writer(&user)?;
    if submissions::indicator_has_any_value(&txn, current.id).await? {
        return Err(ApiError::conflict(
            "a form reports on this indicator; it cannot be deleted",
        ));
    }
    repo::delete(&txn, current.id).await?;
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "indicator.delete",
            "indicator",
            id,
            serde_json::to_value(IndicatorResponse::from(current)).ok(),
            None,
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_indicator)
        .service(list_indicators)
        .service(get_indicator)
        .service(update_indicator)
        .service(delete_indicator);
}
