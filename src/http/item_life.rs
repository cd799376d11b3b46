//! An item over time: its history of changes, copying it into the next year, and the whole
//! life of a multi-year project (全周期跟踪问效, Art. 9).

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{etag, IdempotencyKey, Json};
use super::items::{require_item_writer, visible_item, ItemResponse};
use super::request_id::RequestContext;
use super::Idempotent;
use crate::auth::CurrentUser;
use crate::domain::item::{Item, ItemKind};
use crate::domain::monitoring::Light;
use crate::domain::{FundSplit, Violations};
use crate::error::{ApiError, ApiResult};
use crate::persistence::audit::{self, Entry};
use crate::persistence::indicators::{self, IndicatorFields};
use crate::persistence::items::{self, ItemFields};
use crate::persistence::submissions;
use crate::persistence::{self, history, periods};
use crate::state::AppState;

/// One change to an item.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"occurred_at": "2026-07-25T06:00:00Z", "field": "target", "indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "before": "1200", "after": "900", "cause_type": "adjustment_request", "cause_id": "3c4d5e6f-7081-4293-a4b5-c6d7e8f90a12", "actor_id": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "actor_username": "finance"}))]
pub struct HistoryEntryResponse {
    pub occurred_at: DateTime<Utc>,
    /// `budget`, `target`, `key_monitored` or `payment_status`.
    pub field: String,
    /// For `target`: which indicator.
    pub indicator_id: Option<Uuid>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// `edit`, `adjustment_request`, `measure` or `key_designation`.
    pub cause_type: String,
    /// The adjustment request or measure behind it.
    pub cause_id: Option<Uuid>,
    pub actor_id: Uuid,
    pub actor_username: String,
}

/// Every change to the item's budget, targets, key designation and payment status, oldest first.
#[utoipa::path(
    tag = "items",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "Every change to the item's budget, targets, key designation and payment status, oldest first", body = Vec<HistoryEntryResponse>),
        (status = 404, description = "No such item, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/items/{id}/history")]
pub async fn get_item_history(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let item = visible_item(&state.db, &user, *id).await?;
    let rows: Vec<HistoryEntryResponse> = history::of_item(&state.db, item.id)
        .await?
        .into_iter()
        .map(|h| HistoryEntryResponse {
            occurred_at: h.occurred_at,
            field: h.field,
            indicator_id: h.indicator_id,
            before: h.before,
            after: h.after,
            cause_type: h.cause_type,
            cause_id: h.cause_id,
            actor_id: h.actor_id,
            actor_username: h.actor_username,
        })
        .collect();
    Ok(HttpResponse::Ok().json(rows))
}

/// The year to copy an item into.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"year": 2027}))]
pub struct CopyItemRequest {
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
}

/// Copy an item and its indicators (structure and targets, not values or forms) into a later
/// year — "copy last year's goals" (reporter of the unit, or finance). A project's copy into
/// the following year is linked to it; a project cannot be copied beyond its `end_year` (422).
#[utoipa::path(
    tag = "items",
    params(("id" = Uuid, Path), crate::http::extract::IdempotencyKeyHeader),
    request_body = CopyItemRequest,
    responses(
        (status = 201, description = "The next year's item with the same goals and indicators", body = ItemResponse, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Needs the role reporter or finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The unit already has an overall item that year.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/items/{id}/copy")]
#[tracing::instrument(skip_all)]
pub async fn copy_item(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    key: IdempotencyKey,
    id: web::Path<Uuid>,
    body: Json<CopyItemRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.0;
    let idem = Idempotent::new(key, &user, &ctx, &req);
    let txn = state.db.begin().await?;
    let src = visible_item(&txn, &user, *id).await?;
    require_item_writer(&user)?;
    if let Some(replay) = idem.replay(&txn).await? {
        return Ok(replay);
    }
    let mut v = Violations::new();
    if req.year <= src.year || req.year > 2100 {
        v.add(
            "year",
            "not_later",
            format!("must be a year after {} (and at most 2100)", src.year),
        );
    }
    if src.kind == ItemKind::Project && src.end_year.is_some_and(|e| req.year > e) {
        v.add(
            "year",
            "beyond_project_life",
            format!("the project ends in {}", src.end_year.unwrap_or_default()),
        );
    }
    v.finish(|| ())?;
    let linked = src.kind == ItemKind::Project && req.year == src.year + 1;
    let copy = items::insert_copy(
        &txn,
        ItemFields {
            unit_id: src.unit_id,
            year: req.year,
            kind: src.kind,
            name: src.name.clone(),
            budget: src.budget,
            annual_goal: src.annual_goal.clone(),
            start_year: src.start_year,
            end_year: src.end_year,
            previous_item_id: linked.then_some(src.id),
            funding_source: src.funding_source,
            parent_id: None,
        },
    )
    .await
    .map_err(|e| {
        if persistence::is_unique_violation(&e) {
            ApiError::conflict("the unit already has an overall item for that year")
        } else {
            e.into()
        }
    })?;
    for ind in indicators::of_item(&txn, src.id).await? {
        indicators::insert(
            &txn,
            copy.id,
            IndicatorFields {
                level1: ind.level1,
                level2: ind.level2,
                name: ind.name,
                measure_unit: ind.measure_unit,
                direction: ind.direction,
                target: ind.target,
                prorate: ind.prorate,
                weight: ind.weight,
            },
        )
        .await?;
    }
    let created = ItemResponse::from(copy);
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "item.copy",
            "item",
            created.id,
            Some(serde_json::json!({"source_item_id": src.id})),
            serde_json::to_value(&created).ok(),
        ),
    )
    .await?;
    idem.save(&txn, StatusCode::CREATED, &created).await?;
    txn.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(created.version)))
        .insert_header((header::LOCATION, format!("/api/v1/items/{}", created.id)))
        .json(created))
}

/// One year of a project's life.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"year": 2026, "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "budget": {"fiscal": "500.000000", "union": "100.000000"}, "original_budget": {"fiscal": "500.000000", "union": "100.000000"}, "submission_id": "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d", "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "executed": {"fiscal": "210.000000", "union": "40.000000"}, "execution_rate": "41.67", "overall_completion_rate": "62.50", "budget_light": "green", "goal_light": "yellow", "warning": "yellow"}))]
pub struct LifecycleYear {
    pub year: i32,
    pub item_id: Uuid,
    pub budget: FundSplit,
    pub original_budget: FundSplit,
    /// The latest form of that year's item, if any.
    pub submission_id: Option<Uuid>,
    pub period_id: Option<Uuid>,
    pub executed: Option<FundSplit>,
    pub execution_rate: Option<String>,
    pub overall_completion_rate: Option<String>,
    pub budget_light: Option<Light>,
    pub goal_light: Option<Light>,
    pub warning: Option<Light>,
}

async fn year_row(db: &impl ConnectionTrait, item: &Item) -> ApiResult<LifecycleYear> {
    let forms = submissions::of_item(db, item.id).await?;
    let mut latest = None;
    for f in forms {
        let as_of = periods::get(db, f.period_id).await?.map(|p| p.as_of);
        if latest.as_ref().is_none_or(|(d, _)| as_of > *d) {
            latest = Some((as_of, f));
        }
    }
    let f = latest.map(|(_, f)| f);
    Ok(LifecycleYear {
        year: item.year,
        item_id: item.id,
        budget: item.budget,
        original_budget: item.original_budget,
        submission_id: f.as_ref().map(|f| f.id),
        period_id: f.as_ref().map(|f| f.period_id),
        executed: f.as_ref().map(|f| f.content.executed),
        execution_rate: f
            .as_ref()
            .and_then(|f| f.figures.execution_rate.total.clone()),
        overall_completion_rate: f
            .as_ref()
            .and_then(|f| f.figures.overall_completion_rate.clone()),
        budget_light: f.as_ref().and_then(|f| f.figures.budget_light),
        goal_light: f.as_ref().and_then(|f| f.figures.goal_light),
        warning: f.as_ref().map(|f| f.figures.warning),
    })
}

/// Every year of a multi-year project, linked through `previous_item_id`, with its budget,
/// execution, completion and lights.
#[utoipa::path(
    tag = "items",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "Each year of the project's life with its budget, execution and lights", body = Vec<LifecycleYear>),
        (status = 404, description = "No such item, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/items/{id}/lifecycle")]
pub async fn get_item_lifecycle(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let db = &state.db;
    let item = visible_item(db, &user, *id).await?;
    let mut chain = vec![item.clone()];
    let mut cursor = item.previous_item_id;
    while let Some(p) = cursor {
        match items::get(db, p).await? {
            Some(prev) if chain.len() < 60 => {
                cursor = prev.previous_item_id;
                chain.insert(0, prev);
            }
            _ => break,
        }
    }
    let mut last = item.id;
    while let Some(next) = items::next_of(db, last).await? {
        if chain.len() >= 60 {
            break;
        }
        last = next.id;
        chain.push(next);
    }
    let mut rows = vec![];
    for i in &chain {
        rows.push(year_row(db, i).await?);
    }
    Ok(HttpResponse::Ok().json(rows))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_item_history)
        .service(copy_item)
        .service(get_item_lifecycle);
}
