//! An item over time: its history of changes and the whole life of a multi-year project (全周期跟踪问效, Art. 9).

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::app::item_life::{self, YearOfLife};
use crate::auth::CurrentUser;
use crate::domain::item::HistoryEntry;
use crate::domain::monitoring::Light;
use crate::domain::FundSplit;
use crate::error::ApiResult;
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

impl From<HistoryEntry> for HistoryEntryResponse {
    fn from(h: HistoryEntry) -> Self {
        HistoryEntryResponse {
            occurred_at: h.occurred_at,
            field: h.field,
            indicator_id: h.indicator_id,
            before: h.before,
            after: h.after,
            cause_type: h.cause_type,
            cause_id: h.cause_id,
            actor_id: h.actor_id,
            actor_username: h.actor_username,
        }
    }
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
#[get("/{id}/history")]
pub async fn get_item_history(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let rows: Vec<HistoryEntryResponse> = item_life::history(&state.db, &user, *id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(HttpResponse::Ok().json(rows))
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

impl From<YearOfLife> for LifecycleYear {
    fn from(y: YearOfLife) -> Self {
        let f = y.form.as_ref();
        LifecycleYear {
            year: y.item.year,
            item_id: y.item.id,
            budget: y.item.budget,
            original_budget: y.item.original_budget,
            submission_id: f.map(|f| f.id),
            period_id: f.map(|f| f.period_id),
            executed: f.map(|f| f.content.executed),
            execution_rate: f.and_then(|f| f.figures.execution_rate.total.clone()),
            overall_completion_rate: f.and_then(|f| f.figures.overall_completion_rate.clone()),
            budget_light: f.and_then(|f| f.figures.budget_light),
            goal_light: f.and_then(|f| f.figures.goal_light),
            warning: f.map(|f| f.figures.warning),
        }
    }
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
#[get("/{id}/lifecycle")]
pub async fn get_item_lifecycle(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let rows: Vec<LifecycleYear> = item_life::lifecycle(&state.db, &user, *id)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(HttpResponse::Ok().json(rows))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_item_history).service(get_item_lifecycle);
}
