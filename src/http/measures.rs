//! `/measures` (Art. 12, 14): finance's decisions on an item. Suspend and stop set the item's
//! payment status until lifted; adjustments apply like an approved request; a rectification
//! opens a corrective action; a budget reference is kept for next year's budget.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::changes::{self, TargetChange};
use super::extract::{IdempotencyKey, Json, PageParams, Paginated};
use super::items::visible_item;
use super::request_id::RequestContext;
use super::Idempotent;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::follow_through::{self as ft, ActionSource, Lens, MeasureKind};
use crate::domain::item::PaymentStatus;
use crate::domain::validation::text;
use crate::domain::{FundSplit, Violations};
use crate::error::{ApiError, ApiResult};
use crate::persistence::audit::{self, Entry};
use crate::persistence::history::{self, Change};
use crate::persistence::measures::{self as repo, MeasureFilter, MeasureRow, NewMeasure};
use crate::persistence::{corrective_actions, indicators, items, periods, submissions};
use crate::state::AppState;

/// A finance measure.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "4d5e6f70-8192-43a4-b5c6-d7e8f90a1b23", "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "kind": "suspend_payment", "reason": "执行进度严重滞后", "new_budget": null, "new_targets": [], "corrective_action_id": null, "active": true, "decided_by": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "decided_by_username": "finance", "created_at": "2026-07-28T06:00:00Z", "lift_reason": null, "lifted_by": null, "lifted_at": null}))]
pub struct MeasureResponse {
    pub id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    /// The monitoring period it came from.
    pub period_id: Option<Uuid>,
    pub kind: MeasureKind,
    pub reason: String,
    pub new_budget: Option<FundSplit>,
    pub new_targets: Vec<TargetChange>,
    /// The corrective action a rectification opened.
    pub corrective_action_id: Option<Uuid>,
    pub active: bool,
    pub decided_by: Uuid,
    pub decided_by_username: String,
    pub created_at: DateTime<Utc>,
    pub lift_reason: Option<String>,
    pub lifted_by: Option<Uuid>,
    pub lifted_at: Option<DateTime<Utc>>,
}

pub(crate) fn to_response(r: MeasureRow) -> ApiResult<MeasureResponse> {
    let bad = |e: String| ApiError::Internal(format!("stored measure: {e}"));
    let new_budget = match (r.new_fiscal, r.new_union) {
        (Some(f), Some(u)) => Some(FundSplit {
            fiscal: f.amount()?,
            union: u.amount()?,
        }),
        _ => None,
    };
    Ok(MeasureResponse {
        kind: r.kind.parse().map_err(bad)?,
        new_targets: serde_json::from_str(&r.new_targets).map_err(|e| bad(e.to_string()))?,
        new_budget,
        id: r.id,
        item_id: r.item_id,
        unit_id: r.unit_id,
        period_id: r.period_id,
        reason: r.reason,
        corrective_action_id: r.corrective_action_id,
        active: r.active,
        decided_by: r.decided_by,
        decided_by_username: r.decided_by_username,
        created_at: r.created_at,
        lift_reason: r.lift_reason,
        lifted_by: r.lifted_by,
        lifted_at: r.lifted_at,
    })
}

/// A rectification order's corrective action.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"submission_id": "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d", "lens": "compliance", "measure": "清理超标准配置资产", "owner": "办公室", "due_date": "2026-09-30"}))]
pub struct RectificationOrder {
    /// The form whose findings are to be rectified (of the measure's item).
    pub submission_id: Uuid,
    pub lens: Lens,
    #[schema(min_length = 1, max_length = 2000)]
    pub measure: String,
    #[schema(min_length = 1, max_length = 100)]
    pub owner: String,
    pub due_date: crate::domain::IsoDate,
}

/// A finance decision on an item.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "kind": "suspend_payment", "reason": "执行进度严重滞后", "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98"}))]
pub struct CreateMeasureRequest {
    pub item_id: Uuid,
    pub kind: MeasureKind,
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
    #[serde(default)]
    pub period_id: Option<Uuid>,
    /// For `adjust_budget`.
    #[serde(default)]
    pub new_budget: Option<FundSplit>,
    /// For `adjust_indicators`.
    #[serde(default)]
    pub new_targets: Vec<TargetChange>,
    /// For `rectification`.
    #[serde(default)]
    pub rectification: Option<RectificationOrder>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "已整改到位"}))]
pub struct LiftRequest {
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeasureListQuery {
    /// The items' budget year (e.g. the budget references for next year's preparation).
    pub year: Option<i32>,
    pub unit_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub period_id: Option<Uuid>,
    pub kind: Option<MeasureKind>,
    pub active: Option<bool>,
}

async fn visible(db: &impl ConnectionTrait, user: &CurrentUser, id: Uuid) -> ApiResult<MeasureRow> {
    let found = repo::get(db, id).await?;
    user.visible(found, |m| m.unit_id, "measure", id)
}

/// Sets the item's payment status from its active measures; records the change.
async fn sync_payment_status(
    db: &impl ConnectionTrait,
    item_id: Uuid,
    cause_id: Uuid,
    user: &CurrentUser,
) -> ApiResult<()> {
    let item = items::get(db, item_id)
        .await?
        .ok_or_else(|| ApiError::not_found("item"))?;
    let active: Vec<MeasureKind> = repo::active_for_items(db, &[item_id])
        .await?
        .iter()
        .filter_map(|m| m.kind.parse().ok())
        .collect();
    let status: PaymentStatus = ft::payment_status(&active);
    if status != item.payment_status {
        items::set_payment_status(db, item_id, status).await?;
        history::record(
            db,
            Change {
                item_id,
                field: "payment_status",
                indicator_id: None,
                before: Some(item.payment_status.to_string()),
                after: Some(status.to_string()),
                cause_type: "measure",
                cause_id: Some(cause_id),
                actor_id: user.id,
                actor_username: &user.username,
            },
        )
        .await?;
    }
    Ok(())
}

/// Decide a measure on an item (finance).
#[utoipa::path(
    tag = "measures",
    request_body = CreateMeasureRequest,
    params(crate::http::extract::IdempotencyKeyHeader),
    responses(
        (status = 201, description = "The measure, in force", body = MeasureResponse, headers(("Location" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Item not found.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "An indicator named in `new_targets` no longer exists.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/measures")]
#[tracing::instrument(skip_all)]
pub async fn create_measure(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    key: IdempotencyKey,
    body: Json<CreateMeasureRequest>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Finance])?;
    let req = body.0;
    let idem = Idempotent::new(key, &user, &ctx, &req);
    let txn = state.db.begin().await?;
    if let Some(replay) = idem.replay(&txn).await? {
        return Ok(replay);
    }
    let item = visible_item(&txn, &user, req.item_id).await?;
    let inds = indicators::of_item(&txn, item.id).await?;
    let mut v = Violations::new();
    let reason = text(&mut v, "reason", &req.reason, 2000);
    if let Some(p) = req.period_id {
        if periods::get(&txn, p).await?.is_none() {
            v.add("period_id", "unknown", "no period has this id");
        }
    }
    let kind = req.kind;
    if (kind == MeasureKind::AdjustBudget) != req.new_budget.is_some() {
        v.add(
            "new_budget",
            if kind == MeasureKind::AdjustBudget {
                "required"
            } else {
                "not_applicable"
            },
            "a new budget goes with adjust_budget only",
        );
    }
    if (kind == MeasureKind::AdjustIndicators) == req.new_targets.is_empty() {
        v.add(
            "new_targets",
            if kind == MeasureKind::AdjustIndicators {
                "required"
            } else {
                "not_applicable"
            },
            "new targets go with adjust_indicators only",
        );
    }
    if (kind == MeasureKind::Rectification) != req.rectification.is_some() {
        v.add(
            "rectification",
            if kind == MeasureKind::Rectification {
                "required"
            } else {
                "not_applicable"
            },
            "a rectification order goes with rectification only",
        );
    }
    let targets = match changes::check_targets("new_targets", &req.new_targets, &inds) {
        Ok(t) => t,
        Err(e) => {
            v.0.extend(e);
            vec![]
        }
    };
    let mut order_fields = None;
    if let Some(o) = &req.rectification {
        let form = submissions::get(&txn, o.submission_id)
            .await?
            .filter(|s| s.item_id == item.id);
        if form.is_none() {
            v.add(
                "rectification.submission_id",
                "unknown",
                "not a form of this item",
            );
        }
        let m = text(&mut v, "rectification.measure", &o.measure, 2000);
        let owner = text(&mut v, "rectification.owner", &o.owner, 100);
        crate::domain::follow_through::check_due_date(
            &mut v,
            "rectification.due_date",
            o.due_date.get(),
        );
        order_fields = form.map(|f| {
            (
                f,
                m.unwrap_or_default(),
                owner.unwrap_or_default(),
                o.lens,
                o.due_date,
            )
        });
    }
    v.finish(|| ())?;
    let reason = reason.unwrap_or_default();
    let action_id = match order_fields {
        Some((form, measure, owner, lens, due)) => Some(
            corrective_actions::insert(
                &txn,
                corrective_actions::NewAction {
                    submission_id: form.id,
                    indicator_id: None,
                    period_id: form.period_id,
                    item_id: item.id,
                    unit_id: item.unit_id,
                    lens,
                    cause: reason.clone(),
                    objective_cause: false,
                    measure,
                    owner,
                    due_date: due.get(),
                    source: ActionSource::Finance,
                    created_by: user.id,
                },
            )
            .await?
            .id,
        ),
        None => None,
    };
    let row = repo::insert(
        &txn,
        NewMeasure {
            item_id: item.id,
            unit_id: item.unit_id,
            period_id: req.period_id,
            kind,
            reason,
            new_budget: req.new_budget,
            new_targets: serde_json::to_value(&targets).unwrap_or_default(),
            corrective_action_id: action_id,
            decided_by: user.id,
            decided_by_username: user.username.clone(),
        },
    )
    .await?;
    match kind {
        MeasureKind::AdjustBudget | MeasureKind::AdjustIndicators => {
            changes::apply(
                &txn,
                &item,
                req.new_budget,
                &targets,
                "measure",
                row.id,
                &user,
            )
            .await?;
        }
        MeasureKind::SuspendPayment | MeasureKind::StopPayment => {
            sync_payment_status(&txn, item.id, row.id, &user).await?
        }
        _ => {}
    }
    let created = to_response(row)?;
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "measure.create",
            "measure",
            created.id,
            None,
            serde_json::to_value(&created).ok(),
        ),
    )
    .await?;
    idem.save(&txn, StatusCode::CREATED, &created).await?;
    txn.commit().await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/measures/{}", created.id)))
        .json(created))
}

/// List measures, newest first; a reporter sees its own unit's. `?year=2026&kind=budget_reference`
/// lists the notes for next year's budget preparation.
#[utoipa::path(
    tag = "measures",
    params(PageParams, MeasureListQuery),
    responses(
        (status = 200, description = "One page of measures", body = Paginated<MeasureResponse>),
    ),
    security(("bearer" = []))
)]
#[get("/measures")]
pub async fn list_measures(
    state: web::Data<AppState>,
    user: CurrentUser,
    page: web::Query<PageParams>,
    q: web::Query<MeasureListQuery>,
) -> ApiResult<HttpResponse> {
    let page = page.check()?;
    let Some(unit_id) = user.list_unit_filter(q.unit_id) else {
        // A reporter asking for another unit's objects sees none.
        return Ok(HttpResponse::Ok().json(Paginated::<MeasureResponse>::new(vec![], 0, page)));
    };
    let f = MeasureFilter {
        unit_id,
        item_id: q.item_id,
        period_id: q.period_id,
        kind: q.kind,
        active: q.active,
        year: q.year,
    };
    let (rows, total) = repo::list(&state.db, &f, page.offset(), page.per_page).await?;
    let items = rows
        .into_iter()
        .map(to_response)
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(Paginated::new(items, total, page)))
}

/// Read one measure.
#[utoipa::path(
    tag = "measures",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The measure", body = MeasureResponse),
        (status = 404, description = "No such measure, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/measures/{id}")]
pub async fn get_measure(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let m = visible(&state.db, &user, *id).await?;
    Ok(HttpResponse::Ok().json(to_response(m)?))
}

/// Lift an active measure with a reason (finance). The item's payment status becomes what the
/// measures still active add up to (a stop still in force keeps payments stopped).
#[utoipa::path(
    tag = "measures",
    params(("id" = Uuid, Path)),
    request_body = LiftRequest,
    responses(
        (status = 200, description = "The measure, lifted; the item's payment status follows the measures still in force", body = MeasureResponse),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such measure.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The measure is already lifted.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/measures/{id}/lift")]
#[tracing::instrument(skip_all)]
pub async fn lift_measure(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    body: Json<LiftRequest>,
) -> ApiResult<HttpResponse> {
    let mut v = Violations::new();
    let reason = text(&mut v, "reason", &body.reason, 2000);
    v.finish(|| ())?;
    let txn = state.db.begin().await?;
    let m = visible(&txn, &user, *id).await?;
    user.require(&[Role::Finance])?;
    if !repo::lift(&txn, m.id, reason.as_deref().unwrap_or_default(), user.id).await? {
        return Err(ApiError::conflict("this measure is already lifted"));
    }
    sync_payment_status(&txn, m.item_id, m.id, &user).await?;
    let before = to_response(m.clone())?;
    let after = to_response(visible(&txn, &user, m.id).await?)?;
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "measure.lift",
            "measure",
            m.id,
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&after).ok(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::Ok().json(after))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_measure)
        .service(list_measures)
        .service(get_measure)
        .service(lift_measure);
}
