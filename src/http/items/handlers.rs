//! The handlers of `/items`: extract, call the use case, answer.

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};

use super::dto::{
    CopiedItem, CopyItemRequest, CreateItemRequest, ItemListQuery, ItemResponse,
    KeyMonitoringRequest, UpdateItemRequest,
};
use crate::app::access::visible_item;
use crate::app::{item_life, items};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::http::extract::{IfMatch, Json, PageParams, Paginated};
use crate::http::respond::{reply, with_etag, Writer};
use crate::persistence::items::{self as repo, ItemFilter};
use crate::state::AppState;
use uuid::Uuid;

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
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_item(w: Writer, body: Json<CreateItemRequest>) -> ApiResult<HttpResponse> {
    let req = body.0;
    let outcome = w
        .idempotent(&req)
        .run(
            async |_| items::authorize(&w.user),
            async |txn, ()| {
                let change = items::create(txn, &w.user, req.into()).await?;
                Ok(change.map(ItemResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
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
#[get("")]
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
#[get("/{id}")]
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
        .map(crate::http::measure_view::to_response)
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
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_item(
    w: Writer,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<UpdateItemRequest>,
) -> ApiResult<HttpResponse> {
    let outcome = w
        .write()
        .run(
            async |txn| items::writable(txn, &w.user, *id).await,
            async |txn, current| {
                let changes = body.0.into();
                let change = items::update(txn, &w.user, current, &if_match, changes).await?;
                Ok(change.map(ItemResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
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
#[post("/{id}/key-monitoring")]
#[tracing::instrument(skip_all)]
pub async fn set_key_monitoring(
    w: Writer,
    id: web::Path<Uuid>,
    body: Json<KeyMonitoringRequest>,
) -> ApiResult<HttpResponse> {
    let outcome = w
        .write()
        .run(
            async |txn| items::designatable(txn, &w.user, *id).await,
            async |txn, current| {
                let change =
                    items::set_key_monitoring(txn, &w.user, current, body.key_monitored).await?;
                Ok(change.map(ItemResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
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
#[post("/{id}/copy")]
#[tracing::instrument(skip_all)]
pub async fn copy_item(
    w: Writer,
    id: web::Path<Uuid>,
    body: Json<CopyItemRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.0;
    let outcome = w
        .idempotent(&req)
        .run(
            async |txn| items::writable(txn, &w.user, *id).await,
            async |txn, source| {
                let change = item_life::copy(txn, &source, req.year).await?;
                Ok(CopiedItem::from_source(source.id, change))
            },
        )
        .await?;
    Ok(reply(outcome))
}
