//! `/items`: the monitored objects of a unit and year (DESIGN §2). A reporter works on its own
//! unit's items; finance on any, and alone designates key monitoring (Art. 10).

use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{etag, IdempotencyKey, IfMatch, Json, PageParams, Paginated};
use super::request_id::RequestContext;
use super::Idempotent;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::item::{self, FundingSource, Item, ItemKind, PaymentStatus};
use crate::domain::{FundSplit, Violations};
use crate::error::{ApiError, ApiResult};
use crate::persistence::audit::{self, Entry};
use crate::persistence::items::{self as repo, ItemFields, ItemFilter};
use crate::persistence::{self, submissions, units};
use crate::state::AppState;

/// A monitored item.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90",
    "year": 2026, "kind": "special_fund", "form": 2, "name": "困难职工帮扶资金", "key_monitored": true,
    "budget": {"fiscal": "300.000000", "union": "120.000000"},
    "original_budget": {"fiscal": "300.000000", "union": "120.000000"},
    "annual_goal": "全年帮扶困难职工1200人次", "start_year": null, "end_year": null, "previous_item_id": null,
    "funding_source": "fiscal_allocation", "parent_id": null, "payment_status": "normal", "version": 1,
    "created_at": "2026-02-01T08:00:00Z", "updated_at": "2026-02-01T08:00:00Z"
}))]
pub struct ItemResponse {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub year: i32,
    pub kind: ItemKind,
    /// The official form: 1 整体, 2 专项资金, 3 项目.
    pub form: i16,
    pub name: String,
    /// 重点监控 (Art. 10), set by finance.
    pub key_monitored: bool,
    /// 预算数 now: original plus approved adjustments.
    pub budget: FundSplit,
    /// The budget before any adjustment.
    pub original_budget: FundSplit,
    /// 年度预期目标
    pub annual_goal: String,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    /// The same project's item of the previous year.
    pub previous_item_id: Option<Uuid>,
    pub funding_source: Option<FundingSource>,
    /// The parent special fund of a sub-project or allocation.
    pub parent_id: Option<Uuid>,
    /// Set by finance measures (Art. 14).
    pub payment_status: PaymentStatus,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The finance measures in force on the item (single reads only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_measures: Option<Vec<super::measures::MeasureResponse>>,
}

impl From<Item> for ItemResponse {
    fn from(i: Item) -> Self {
        ItemResponse {
            form: i.kind.form(),
            id: i.id,
            unit_id: i.unit_id,
            year: i.year,
            kind: i.kind,
            name: i.name,
            key_monitored: i.key_monitored,
            budget: i.budget,
            original_budget: i.original_budget,
            annual_goal: i.annual_goal,
            start_year: i.start_year,
            end_year: i.end_year,
            previous_item_id: i.previous_item_id,
            funding_source: i.funding_source,
            parent_id: i.parent_id,
            payment_status: i.payment_status,
            version: i.version,
            created_at: i.created_at,
            updated_at: i.updated_at,
            active_measures: None,
        }
    }
}

/// A new item. `key_monitored` and `payment_status` are finance's and cannot be sent here.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "year": 2026, "kind": "special_fund",
    "name": "困难职工帮扶资金", "budget": {"fiscal": "300", "union": "120"},
    "annual_goal": "全年帮扶困难职工1200人次", "funding_source": "fiscal_allocation"
}))]
pub struct CreateItemRequest {
    /// The unit; a reporter may leave it out (its own unit is used).
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    pub kind: ItemKind,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub budget: FundSplit,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub annual_goal: String,
    /// Projects: the first and last year of the project's life.
    #[serde(default)]
    #[schema(minimum = 2000, maximum = 2100)]
    pub start_year: Option<i32>,
    #[serde(default)]
    #[schema(minimum = 2000, maximum = 2100)]
    pub end_year: Option<i32>,
    /// Projects: the same project's item of the previous year.
    #[serde(default)]
    pub previous_item_id: Option<Uuid>,
    /// Special funds: where the money comes from.
    #[serde(default)]
    pub funding_source: Option<FundingSource>,
    /// Special funds: the parent fund of a sub-project or an allocation to a subordinate union.
    #[serde(default)]
    pub parent_id: Option<Uuid>,
}

/// Changes to an item; absent fields stay. The budget can be corrected only until a form for
/// the item is submitted; after that it changes through an adjustment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"annual_goal": "全年帮扶困难职工1300人次"}))]
pub struct UpdateItemRequest {
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    pub budget: Option<FundSplit>,
    #[schema(max_length = 4000)]
    pub annual_goal: Option<String>,
    #[schema(minimum = 2000, maximum = 2100)]
    pub start_year: Option<i32>,
    #[schema(minimum = 2000, maximum = 2100)]
    pub end_year: Option<i32>,
    pub funding_source: Option<FundingSource>,
    #[serde(default, deserialize_with = "super::extract::double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub parent_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "super::extract::double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub previous_item_id: Option<Option<Uuid>>,
}

/// Finance's key-monitoring designation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key_monitored": true}))]
pub struct KeyMonitoringRequest {
    pub key_monitored: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemListQuery {
    pub year: Option<i32>,
    pub unit_id: Option<Uuid>,
    pub kind: Option<ItemKind>,
    pub key_monitored: Option<bool>,
}

fn with_etag(status: StatusCode, i: &ItemResponse) -> HttpResponse {
    let mut b = HttpResponse::build(status);
    b.insert_header((header::ETAG, etag(i.version)));
    if status == StatusCode::CREATED {
        b.insert_header((header::LOCATION, format!("/api/v1/items/{}", i.id)));
    }
    b.json(i)
}

pub use crate::app::access::{require_item_writer, visible_item};

async fn check_links(
    db: &impl ConnectionTrait,
    v: &mut Violations,
    user: &CurrentUser,
    f: &ItemFields,
    self_id: Option<Uuid>,
) -> ApiResult<()> {
    item::check_shape(
        v,
        &item::Shape {
            kind: f.kind,
            year: f.year,
            start_year: f.start_year,
            end_year: f.end_year,
            funding_source: f.funding_source,
            has_parent: f.parent_id.is_some(),
            has_previous: f.previous_item_id.is_some(),
        },
    );
    if let Some(p) = f.parent_id {
        match repo::get(db, p)
            .await?
            .filter(|i| user.sees_unit(i.unit_id))
        {
            Some(parent)
                if parent.kind == ItemKind::SpecialFund
                    && parent.year == f.year
                    && Some(parent.id) != self_id => {}
            Some(_) => v.add(
                "parent_id",
                "invalid",
                "the parent must be another special fund of the same year",
            ),
            None => v.add("parent_id", "unknown", "no item has this id"),
        }
    }
    if let Some(p) = f.previous_item_id {
        match repo::get(db, p)
            .await?
            .filter(|i| user.sees_unit(i.unit_id))
        {
            Some(prev)
                if prev.kind == ItemKind::Project
                    && prev.unit_id == f.unit_id
                    && prev.year == f.year - 1 => {}
            Some(_) => v.add(
                "previous_item_id",
                "invalid",
                "must be the same unit's project item of the previous year",
            ),
            None => v.add("previous_item_id", "unknown", "no item has this id"),
        }
    }
    Ok(())
}

fn duplicate_overall(e: sea_orm::DbErr) -> ApiError {
    if persistence::is_unique_violation(&e) {
        ApiError::conflict("the unit already has an overall item for this year")
    } else {
        e.into()
    }
}

/// Create an item (reporter of the unit, or finance).
#[utoipa::path(
    tag = "items",
    request_body = CreateItemRequest,
    params(crate::http::extract::IdempotencyKeyHeader),
    responses(
        (status = 201, description = "The new item", body = ItemResponse, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Needs the role reporter or finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unit not found: a reporter's `unit_id` must be its own unit.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The unit already has an overall item for this year.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/items")]
#[tracing::instrument(skip_all)]
pub async fn create_item(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    key: IdempotencyKey,
    body: Json<CreateItemRequest>,
) -> ApiResult<HttpResponse> {
    require_item_writer(&user)?;
    let req = body.0;
    let idem = Idempotent::new(key, &user, &ctx, &req);
    let txn = state.db.begin().await?;
    if let Some(replay) = idem.replay(&txn).await? {
        return Ok(replay);
    }
    let mut v = Violations::new();
    let unit_id = match (req.unit_id, user.unit_scope()) {
        (Some(u), Some(own)) if u != own => return Err(ApiError::not_found("unit")),
        (_, Some(own)) => own,
        (Some(u), None) => u,
        (None, None) => {
            v.add("unit_id", "required", "finance must name the unit");
            Uuid::nil()
        }
    };
    if !unit_id.is_nil() && units::get(&txn, unit_id).await?.is_none() {
        v.add("unit_id", "unknown", "no unit has this id");
    }
    let name = item::name(&mut v, &req.name);
    let goal = item::annual_goal(&mut v, &req.annual_goal);
    let fields = ItemFields {
        unit_id,
        year: req.year,
        kind: req.kind,
        name: name.unwrap_or_default(),
        budget: req.budget,
        annual_goal: goal.unwrap_or_default(),
        start_year: req.start_year,
        end_year: req.end_year,
        previous_item_id: req.previous_item_id,
        funding_source: req.funding_source,
        parent_id: req.parent_id,
    };
    check_links(&txn, &mut v, &user, &fields, None).await?;
    v.finish(|| ())?;
    let created: ItemResponse = repo::insert(&txn, fields, false)
        .await
        .map_err(duplicate_overall)?
        .into();
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "item.create",
            "item",
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

/// List items; a reporter sees its own unit's only.
#[utoipa::path(
    tag = "items",
    params(PageParams, ItemListQuery),
    responses(
        (status = 200, description = "One page of items", body = Paginated<ItemResponse>),
    ),
    security(("bearer" = []))
)]
#[get("/items")]
#[tracing::instrument(skip_all)]
pub async fn list_items(
    state: web::Data<AppState>,
    user: CurrentUser,
    page: web::Query<PageParams>,
    q: web::Query<ItemListQuery>,
) -> ApiResult<HttpResponse> {
    let page = page.check()?;
    let Some(unit_id) = user.list_unit_filter(q.unit_id) else {
        // A reporter asking for another unit's objects sees none.
        return Ok(HttpResponse::Ok().json(Paginated::<ItemResponse>::new(vec![], 0, page)));
    };
    let f = ItemFilter {
        unit_id,
        year: q.year,
        kind: q.kind,
        key_monitored: q.key_monitored,
    };
    let (rows, total) = repo::list(&state.db, &f, page.offset(), page.per_page).await?;
    let items = rows.into_iter().map(ItemResponse::from).collect();
    Ok(HttpResponse::Ok().json(Paginated::new(items, total, page)))
}

/// Read one item.
#[utoipa::path(
    tag = "items",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The item with the finance measures in force on it", body = ItemResponse, headers(("ETag" = String))),
        (status = 404, description = "No such item, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/items/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_item(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let item = visible_item(&state.db, &user, *id).await?;
    let measures = crate::persistence::measures::active_for_items(&state.db, &[item.id])
        .await?
        .into_iter()
        .map(super::measures::to_response)
        .collect::<ApiResult<Vec<_>>>()?;
    let mut resp = ItemResponse::from(item);
    resp.active_measures = Some(measures);
    Ok(with_etag(StatusCode::OK, &resp))
}

/// Change an item (reporter of the unit, or finance); needs `If-Match`.
#[utoipa::path(
    tag = "items",
    params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag from your last read")),
    request_body = UpdateItemRequest,
    responses(
        (status = 200, description = "The changed item", body = ItemResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role reporter or finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The budget cannot change once a form for the item was submitted; send an adjustment request.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The resource changed since your read: the `If-Match` is stale; nothing was changed.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/items/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_item(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<UpdateItemRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.0;
    let txn = state.db.begin().await?;
    let current = visible_item(&txn, &user, *id).await?;
    require_item_writer(&user)?;
    let mut v = Violations::new();
    let name = item::name(&mut v, req.name.as_deref().unwrap_or(&current.name));
    let goal = item::annual_goal(
        &mut v,
        req.annual_goal.as_deref().unwrap_or(&current.annual_goal),
    );
    let fields = ItemFields {
        unit_id: current.unit_id,
        year: current.year,
        kind: current.kind,
        name: name.unwrap_or_default(),
        budget: req.budget.unwrap_or(current.budget),
        annual_goal: goal.unwrap_or_default(),
        start_year: req.start_year.or(current.start_year),
        end_year: req.end_year.or(current.end_year),
        previous_item_id: req.previous_item_id.unwrap_or(current.previous_item_id),
        funding_source: req.funding_source.or(current.funding_source),
        parent_id: req.parent_id.unwrap_or(current.parent_id),
    };
    check_links(&txn, &mut v, &user, &fields, Some(current.id)).await?;
    v.finish(|| ())?;
    if_match.check(current.version)?;
    if fields.budget != current.budget && submissions::any_filed_for_item(&txn, current.id).await? {
        return Err(ApiError::conflict(
            "a form for this item was already submitted; change the budget through an adjustment request",
        ));
    }
    let before = ItemResponse::from(current.clone());
    let new_budget = fields.budget;
    if !repo::update(&txn, current.id, current.version, fields).await? {
        return Err(IfMatch::stale());
    }
    crate::persistence::history::record(
        &txn,
        crate::persistence::history::Change {
            item_id: current.id,
            field: "budget",
            indicator_id: None,
            before: Some(format!(
                "fiscal {} / union {}",
                current.budget.fiscal, current.budget.union
            )),
            after: Some(format!(
                "fiscal {} / union {}",
                new_budget.fiscal, new_budget.union
            )),
            cause_type: "edit",
            cause_id: None,
            actor_id: user.id,
            actor_username: &user.username,
        },
    )
    .await?;
    let after: ItemResponse = visible_item(&txn, &user, current.id).await?.into();
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "item.update",
            "item",
            current.id,
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&after).ok(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::OK, &after))
}

/// Designate an item for key monitoring, or lift it (finance, Art. 10).
#[utoipa::path(
    tag = "items",
    params(("id" = Uuid, Path)),
    request_body = KeyMonitoringRequest,
    responses(
        (status = 200, description = "The item with its new designation", body = ItemResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such item.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/items/{id}/key-monitoring")]
#[tracing::instrument(skip_all)]
pub async fn set_key_monitoring(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    body: Json<KeyMonitoringRequest>,
) -> ApiResult<HttpResponse> {
    let txn = state.db.begin().await?;
    let current = visible_item(&txn, &user, *id).await?;
    user.require(&[Role::Finance])?;
    repo::set_key_monitored(&txn, current.id, body.key_monitored).await?;
    crate::persistence::history::record(
        &txn,
        crate::persistence::history::Change {
            item_id: current.id,
            field: "key_monitored",
            indicator_id: None,
            before: Some(current.key_monitored.to_string()),
            after: Some(body.key_monitored.to_string()),
            cause_type: "key_designation",
            cause_id: None,
            actor_id: user.id,
            actor_username: &user.username,
        },
    )
    .await?;
    let after: ItemResponse = visible_item(&txn, &user, current.id).await?.into();
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "item.key_monitoring",
            "item",
            current.id,
            Some(serde_json::json!({"key_monitored": current.key_monitored})),
            Some(serde_json::json!({"key_monitored": after.key_monitored})),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::OK, &after))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_item)
        .service(list_items)
        .service(get_item)
        .service(update_item)
        .service(set_key_monitoring);
}
