//! `/items/{id}/indicators`: the 3-level indicator tree of an item (Art. 6, forms 1–3).

use actix_web::http::StatusCode;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{IfMatch, Json, NoBody};
use super::respond::{reply, with_etag, Resource, Writer};
use crate::app::access;
use crate::app::indicators::{self, IndicatorInput};
use crate::auth::CurrentUser;
use crate::domain::indicator::{Indicator, Level1, Level2};
use crate::domain::monitoring::Direction;
use crate::error::ApiResult;
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

impl From<IndicatorRequest> for IndicatorInput {
    fn from(r: IndicatorRequest) -> Self {
        IndicatorInput {
            level1: r.level1,
            level2: r.level2,
            name: r.name,
            measure_unit: r.measure_unit,
            direction: r.direction,
            target: r.target,
            prorate: r.prorate,
            weight: r.weight,
        }
    }
}

impl Resource for IndicatorResponse {
    fn location(&self) -> String {
        format!("/api/v1/items/{}/indicators/{}", self.item_id, self.id)
    }
    fn version(&self) -> Option<i32> {
        Some(self.version)
    }
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
#[post("/{id}/indicators")]
#[tracing::instrument(skip_all)]
pub async fn create_indicator(
    w: Writer,
    id: web::Path<Uuid>,
    body: Json<IndicatorRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.0;
    let outcome = w
        .idempotent(&req)
        .run(
            async |txn| {
                let item = access::visible_item(txn, &w.user, *id).await?;
                access::require_item_writer(&w.user)?;
                Ok(item)
            },
            async |txn, item| {
                let change = indicators::create(txn, &item, req.into()).await?;
                Ok(change.map(IndicatorResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
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
#[get("/{id}/indicators")]
#[tracing::instrument(skip_all)]
pub async fn list_indicators(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let rows: Vec<IndicatorResponse> = indicators::of_item(&state.db, &user, *id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(HttpResponse::Ok().json(rows))
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
#[get("/{id}/indicators/{indicator_id}")]
pub async fn get_indicator(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(Uuid, Uuid)>,
) -> ApiResult<HttpResponse> {
    let (item_id, id) = path.into_inner();
    let i = indicators::visible(&state.db, &user, item_id, id).await?;
    Ok(with_etag(StatusCode::OK, &IndicatorResponse::from(i)))
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
#[patch("/{id}/indicators/{indicator_id}")]
#[tracing::instrument(skip_all)]
pub async fn update_indicator(
    w: Writer,
    path: web::Path<(Uuid, Uuid)>,
    if_match: IfMatch,
    body: Json<IndicatorRequest>,
) -> ApiResult<HttpResponse> {
    let (item_id, id) = path.into_inner();
    let outcome = w
        .write()
        .run(
            async |txn| indicators::writable(txn, &w.user, item_id, id).await,
            async |txn, current| {
                let input = body.0.into();
                let change = indicators::update(txn, &w.user, current, &if_match, input).await?;
                Ok(change.map(IndicatorResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
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
#[delete("/{id}/indicators/{indicator_id}")]
#[tracing::instrument(skip_all)]
pub async fn delete_indicator(
    w: Writer,
    path: web::Path<(Uuid, Uuid)>,
    _body: NoBody,
) -> ApiResult<HttpResponse> {
    let (item_id, id) = path.into_inner();
    w.write()
        .run(
            async |txn| indicators::writable(txn, &w.user, item_id, id).await,
            async |txn, current| {
                let change = indicators::delete(txn, current).await?;
                Ok(change.map(|i| i.map(IndicatorResponse::from)))
            },
        )
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_indicator)
        .service(list_indicators)
        .service(get_indicator)
        .service(update_indicator)
        .service(delete_indicator);
}
