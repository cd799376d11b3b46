//! The handlers of `/measures`.

use actix_web::{get, post, web, HttpResponse};
use uuid::Uuid;

use super::dto::{CreateMeasureRequest, LiftRequest, MeasureListQuery, MeasureResponse};
use crate::app::measures;
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::http::extract::{Json, PageParams, Paginated};
use crate::http::respond::{reply, Writer};
use crate::persistence::measures::{self as repo, MeasureFilter};
use crate::state::AppState;

/// Decide a measure on an item (finance).
#[utoipa::path(
    tag = "measures",
    request_body = CreateMeasureRequest,
    params(crate::http::extract::IdempotencyKeyHeader),
    responses(
        (status = 201, description = "The measure, in force", body = MeasureResponse, headers(("Location" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Item not found.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "An indicator named in `new_targets` was deleted meanwhile: its target cannot change once the indicator is gone.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_measure(
    w: Writer,
    body: Json<CreateMeasureRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.0;
    let item_id = req.item_id;
    let outcome = w
        .idempotent(&req)
        .run(
            async |txn| measures::authorize_decide(txn, &w.user, item_id).await,
            async |txn, item| {
                let change = measures::decide(txn, &w.user, item, req.into()).await?;
                Ok(change.map(MeasureResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
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
#[get("")]
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
    let items = rows.into_iter().map(MeasureResponse::from).collect();
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
#[get("/{id}")]
pub async fn get_measure(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let m = measures::visible(&state.db, &user, *id).await?;
    Ok(HttpResponse::Ok().json(MeasureResponse::from(m)))
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
#[post("/{id}/lift")]
#[tracing::instrument(skip_all)]
pub async fn lift_measure(
    w: Writer,
    id: web::Path<Uuid>,
    body: Json<LiftRequest>,
) -> ApiResult<HttpResponse> {
    let outcome = w
        .write()
        .run(
            async |txn| measures::authorize_lift(txn, &w.user, *id, &body.reason).await,
            async |txn, plan| {
                let change = measures::lift(txn, &w.user, plan).await?;
                Ok(change.map(MeasureResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_measure)
        .service(list_measures)
        .service(get_measure)
        .service(lift_measure);
}
