//! The handlers of `/periods`: extract, call the use case, answer.

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::Utc;
use uuid::Uuid;

use super::dto::*;
use crate::app::periods::{self, Step};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::http::extract::{IfMatch, Json, NoBody, PageParams, Paginated};
use crate::http::respond::{reply, with_etag, Writer};
use crate::persistence::periods::{self as repo, PeriodFilter};
use crate::persistence::submissions::{self, CompletenessRow};
use crate::state::AppState;

/// Create a period (finance).
#[utoipa::path(
    tag = "periods",
    request_body = CreatePeriodRequest,
    params(crate::http::extract::IdempotencyKeyHeader),
    responses(
        (status = 201, description = "The new period, in `draft`", body = PeriodResponse, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "There is already a period of this kind for this year (one h1 and one annual per year).", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_period(w: Writer, body: Json<CreatePeriodRequest>) -> ApiResult<HttpResponse> {
    let req = body.0;
    let outcome = w
        .idempotent(&req)
        .run(
            async |_| periods::authorize(&w.user),
            async |txn, ()| {
                let change = periods::create(txn, req.into()).await?;
                Ok(change.map(PeriodResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
}

/// List periods, newest year first (every signed-in role).
#[utoipa::path(
    tag = "periods",
    params(PageParams, PeriodListQuery),
    responses(
        (status = 200, description = "One page of periods", body = Paginated<PeriodResponse>),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_periods(
    state: web::Data<AppState>,
    _user: CurrentUser,
    page: web::Query<PageParams>,
    q: web::Query<PeriodListQuery>,
) -> ApiResult<HttpResponse> {
    let page = page.check()?;
    let f = PeriodFilter {
        year: q.year,
        kind: q.kind,
        status: q.status,
    };
    let (rows, total) = repo::list(&state.db, &f, page.offset(), page.per_page).await?;
    let items = rows.into_iter().map(PeriodResponse::from).collect();
    Ok(HttpResponse::Ok().json(Paginated::new(items, total, page)))
}

/// Read one period.
#[utoipa::path(
    tag = "periods",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The period", body = PeriodResponse, headers(("ETag" = String))),
        (status = 404, description = "No such period.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
pub async fn get_period(
    state: web::Data<AppState>,
    _user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let p = crate::app::access::period(&state.db, *id).await?;
    Ok(with_etag(StatusCode::OK, &PeriodResponse::from(p)))
}

/// Change a draft period (finance); needs `If-Match`.
#[utoipa::path(
    tag = "periods",
    params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag from your last read")),
    request_body = UpdatePeriodRequest,
    responses(
        (status = 200, description = "The changed period", body = PeriodResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such period.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The period is no longer a draft.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The resource changed since your read: the `If-Match` is stale; nothing was changed.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_period(
    w: Writer,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<UpdatePeriodRequest>,
) -> ApiResult<HttpResponse> {
    let outcome = w
        .write()
        .run(
            async |_| periods::authorize(&w.user),
            async |txn, ()| {
                let change = periods::update(txn, *id, &if_match, body.0.into()).await?;
                Ok(change.map(PeriodResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
}

/// One step of the period's status machine, through the write pipeline.
async fn step(w: Writer, id: Uuid, step: Step) -> ApiResult<HttpResponse> {
    let write = w.write();
    let now = write.now;
    let offset = w.state.offset;
    let outcome = write
        .run(
            async |_| periods::authorize(&w.user),
            async |txn, ()| {
                let change = periods::step(txn, &w.user, id, step, now, offset).await?;
                Ok(change.map(PeriodResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
}

/// Open a draft period, or reopen a closed one, for submissions (finance).
#[utoipa::path(
    tag = "periods",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The period, now `open`: forms can be created and submitted", body = PeriodResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such period.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The period cannot be opened from its current status.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/open")]
pub async fn open_period(w: Writer, id: web::Path<Uuid>, _body: NoBody) -> ApiResult<HttpResponse> {
    step(w, *id, Step::Open).await
}

/// Close an open period: no more forms are created or submitted (finance).
#[utoipa::path(
    tag = "periods",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The period, now `closed`: no more forms are created or submitted", body = PeriodResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such period.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The period cannot be closed from its current status.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/close")]
pub async fn close_period(
    w: Writer,
    id: web::Path<Uuid>,
    _body: NoBody,
) -> ApiResult<HttpResponse> {
    step(w, *id, Step::Close).await
}

/// Publish a closed period (finance): its monitoring report is frozen in every format and reads
/// back the same forever; the period never changes again.
#[utoipa::path(
    tag = "periods",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The period, now `published`, with its report frozen", body = PeriodResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such period.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The period cannot be published from its current status.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/publish")]
pub async fn publish_period(
    w: Writer,
    id: web::Path<Uuid>,
    _body: NoBody,
) -> ApiResult<HttpResponse> {
    step(w, *id, Step::Publish).await
}

/// Grant one unit a later deadline (finance): 201 for a new extension; posting again moves it
/// (200).
#[utoipa::path(
    tag = "periods",
    params(("id" = Uuid, Path)),
    request_body = ExtensionRequest,
    responses(
        (status = 200, description = "The unit's extension in this period, moved to the new deadline", body = ExtensionResponse),
        (status = 201, description = "The unit's new deadline in this period: it had no extension in it", body = ExtensionResponse),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such period.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The period is published.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/extensions")]
#[tracing::instrument(skip_all)]
pub async fn create_extension(
    w: Writer,
    id: web::Path<Uuid>,
    body: Json<ExtensionRequest>,
) -> ApiResult<HttpResponse> {
    let (unit_id, until) = (body.unit_id, body.until.get());
    let outcome = w
        .write()
        .run(
            async |_| periods::authorize(&w.user),
            async |txn, ()| {
                let change = periods::grant_extension(txn, *id, unit_id, until).await?;
                Ok(change.map(ExtensionResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
}

/// The deadline extensions of a period; a reporter sees its own unit's.
#[utoipa::path(
    tag = "periods",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The period's deadline extensions (a reporter sees its own unit's)", body = Vec<ExtensionResponse>),
        (status = 404, description = "No such period.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/extensions")]
pub async fn list_extensions(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let rows = periods::extensions(&state.db, &user, *id).await?;
    let rows: Vec<ExtensionResponse> = rows.into_iter().map(Into::into).collect();
    Ok(HttpResponse::Ok().json(rows))
}

/// The forms a period requires — one overall form per unit, one per special fund, one per
/// key-monitored project (Art. 11) — with their state; a reporter sees its own unit's.
#[utoipa::path(
    tag = "periods",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "Every required form of the period with its status, deadline and whether it is late or missing", body = Vec<CompletenessRow>),
        (status = 404, description = "No such period.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/completeness")]
#[tracing::instrument(skip_all)]
pub async fn get_completeness(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let p = crate::app::access::period(&state.db, *id).await?;
    let rows: Vec<CompletenessRow> =
        submissions::completeness(&state.db, &p, user.unit_scope(), state.offset, Utc::now())
            .await?;
    Ok(HttpResponse::Ok().json(rows))
}
