//! `/periods`: monitoring periods (监控期), their actions, deadline extensions and the
//! completeness list finance chases before the report.

use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{etag, IdempotencyKey, IfMatch, Json, PageParams, Paginated};
use super::request_id::RequestContext;
use super::Idempotent;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::monitoring::{GradeValues, Thresholds};
use crate::domain::period::{self, Period, PeriodKind, PeriodSettings};
use crate::domain::workflow::PeriodStatus;
use crate::domain::{IsoDate, Violations};
use crate::error::{ApiError, ApiResult};
use crate::persistence::audit::{self, Entry};
use crate::persistence::periods::{self as repo, PeriodFields, PeriodFilter};
use crate::persistence::{self, submissions, units};
use crate::state::AppState;

/// Light thresholds in percent (DESIGN §3).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"red_below": "60", "yellow_below": "80", "blue_from": "120", "note_from": "130"}))]
pub struct ThresholdsDto {
    /// Red below this ratio.
    #[schema(value_type = String, example = "60")]
    pub red_below: rust_decimal::Decimal,
    /// Yellow below this ratio, green from it.
    #[schema(value_type = String, example = "80")]
    pub yellow_below: rust_decimal::Decimal,
    /// Blue (over-achievement) from this ratio.
    #[schema(value_type = String, example = "120")]
    pub blue_from: rust_decimal::Decimal,
    /// An actual at or above this percentage of its target needs a note before submitting.
    #[schema(value_type = String, example = "130")]
    pub note_from: rust_decimal::Decimal,
}

/// Completion percentage of each qualitative grade.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"achieved": "100", "partly_achieved": "60", "not_achieved": "0"}))]
pub struct GradeValuesDto {
    #[schema(value_type = String, example = "100")]
    pub achieved: rust_decimal::Decimal,
    #[schema(value_type = String, example = "60")]
    pub partly_achieved: rust_decimal::Decimal,
    #[schema(value_type = String, example = "0")]
    pub not_achieved: rust_decimal::Decimal,
}

impl From<Thresholds> for ThresholdsDto {
    fn from(t: Thresholds) -> Self {
        ThresholdsDto {
            red_below: t.red_below,
            yellow_below: t.yellow_below,
            blue_from: t.blue_from,
            note_from: t.note_from,
        }
    }
}
impl From<ThresholdsDto> for Thresholds {
    fn from(t: ThresholdsDto) -> Self {
        Thresholds {
            red_below: t.red_below,
            yellow_below: t.yellow_below,
            blue_from: t.blue_from,
            note_from: t.note_from,
        }
    }
}
impl From<GradeValues> for GradeValuesDto {
    fn from(g: GradeValues) -> Self {
        GradeValuesDto {
            achieved: g.achieved,
            partly_achieved: g.partly_achieved,
            not_achieved: g.not_achieved,
        }
    }
}
impl From<GradeValuesDto> for GradeValues {
    fn from(g: GradeValuesDto) -> Self {
        GradeValues {
            achieved: g.achieved,
            partly_achieved: g.partly_achieved,
            not_achieved: g.not_achieved,
        }
    }
}

/// A monitoring period.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "year": 2026, "kind": "h1", "name": "2026年上半年预算绩效运行监控",
    "as_of": "2026-06-30", "submission_deadline": "2026-07-10", "report_deadline": "2026-07-31", "status": "open",
    "thresholds": {"red_below": "60", "yellow_below": "80", "blue_from": "120", "note_from": "130"},
    "grade_values": {"achieved": "100", "partly_achieved": "60", "not_achieved": "0"},
    "version": 2, "created_at": "2026-06-01T08:00:00Z", "updated_at": "2026-06-20T08:00:00Z"
}))]
pub struct PeriodResponse {
    pub id: Uuid,
    pub year: i32,
    pub kind: PeriodKind,
    pub name: String,
    /// Data cut-off (e.g. June 30).
    pub as_of: NaiveDate,
    /// Forms are due by the end of this day, local time.
    pub submission_deadline: NaiveDate,
    pub report_deadline: NaiveDate,
    pub status: PeriodStatus,
    pub thresholds: ThresholdsDto,
    pub grade_values: GradeValuesDto,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Period> for PeriodResponse {
    fn from(p: Period) -> Self {
        PeriodResponse {
            id: p.id,
            year: p.year,
            kind: p.kind,
            name: p.name,
            as_of: p.as_of,
            submission_deadline: p.submission_deadline,
            report_deadline: p.report_deadline,
            status: p.status,
            thresholds: p.thresholds.into(),
            grade_values: p.grade_values.into(),
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// A new period; thresholds and grade values default to DESIGN §3's.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"year": 2026, "kind": "h1", "as_of": "2026-06-30", "submission_deadline": "2026-07-10", "report_deadline": "2026-07-31"}))]
pub struct CreatePeriodRequest {
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    pub kind: PeriodKind,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub name: Option<String>,
    pub as_of: IsoDate,
    pub submission_deadline: IsoDate,
    pub report_deadline: IsoDate,
    #[serde(default)]
    pub thresholds: Option<ThresholdsDto>,
    #[serde(default)]
    pub grade_values: Option<GradeValuesDto>,
}

/// Changes to a draft period; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"submission_deadline": "2026-07-12"}))]
pub struct UpdatePeriodRequest {
    #[schema(max_length = 200)]
    pub name: Option<String>,
    pub as_of: Option<IsoDate>,
    pub submission_deadline: Option<IsoDate>,
    pub report_deadline: Option<IsoDate>,
    pub thresholds: Option<ThresholdsDto>,
    pub grade_values: Option<GradeValuesDto>,
}

/// A later deadline for one unit.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "until": "2026-07-15"}))]
pub struct ExtensionRequest {
    pub unit_id: Uuid,
    /// The unit's forms are due by the end of this day, local time.
    pub until: IsoDate,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "until": "2026-07-15", "created_at": "2026-07-09T08:00:00Z"}))]
pub struct ExtensionResponse {
    pub id: Uuid,
    pub period_id: Uuid,
    pub unit_id: Uuid,
    pub until: NaiveDate,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodListQuery {
    pub year: Option<i32>,
    pub kind: Option<PeriodKind>,
    pub status: Option<PeriodStatus>,
}

fn with_etag(status: StatusCode, p: &PeriodResponse) -> HttpResponse {
    let mut b = HttpResponse::build(status);
    b.insert_header((header::ETAG, etag(p.version)));
    if status == StatusCode::CREATED {
        b.insert_header((header::LOCATION, format!("/api/v1/periods/{}", p.id)));
    }
    b.json(p)
}

fn check(v: &mut Violations, f: &PeriodFields) {
    period::check_dates(v, f.year, f.as_of, f.submission_deadline, f.report_deadline);
    if let Err(e) = f.settings.thresholds.check() {
        v.add("thresholds", "invalid", e);
    }
    if let Err(e) = f.settings.grade_values.check() {
        v.add("grade_values", "invalid", e);
    }
    if f.name.trim().is_empty() || f.name.chars().count() > 200 {
        v.add("name", "invalid", "must be 1 to 200 characters");
    }
}

fn duplicate(e: sea_orm::DbErr) -> ApiError {
    if persistence::is_unique_violation(&e) {
        ApiError::conflict(
            "there is already a period of this kind for this year (one h1 and one annual per year)",
        )
    } else {
        e.into()
    }
}

pub use crate::app::access::period as get_period_or_404;

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
#[post("/periods")]
#[tracing::instrument(skip_all)]
pub async fn create_period(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    key: IdempotencyKey,
    body: Json<CreatePeriodRequest>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Finance])?;
    let req = body.0;
    let idem = Idempotent::new(key, &user, &ctx, &req);
    let txn = state.db.begin().await?;
    if let Some(replay) = idem.replay(&txn).await? {
        return Ok(replay);
    }
    let f = PeriodFields {
        year: req.year,
        kind: req.kind,
        name: req
            .name
            .clone()
            .unwrap_or_else(|| period::default_name(req.year, req.kind)),
        as_of: req.as_of.into(),
        submission_deadline: req.submission_deadline.into(),
        report_deadline: req.report_deadline.into(),
        settings: PeriodSettings {
            thresholds: req.thresholds.clone().map(Into::into).unwrap_or_default(),
            grade_values: req.grade_values.clone().map(Into::into).unwrap_or_default(),
        },
    };
    let mut v = Violations::new();
    check(&mut v, &f);
    v.finish(|| ())?;
    let created: PeriodResponse = repo::insert(&txn, f).await.map_err(duplicate)?.into();
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "period.create",
            "period",
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

/// List periods, newest year first (every signed-in role).
#[utoipa::path(
    tag = "periods",
    params(PageParams, PeriodListQuery),
    responses(
        (status = 200, description = "One page of periods", body = Paginated<PeriodResponse>),
    ),
    security(("bearer" = []))
)]
#[get("/periods")]
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
#[get("/periods/{id}")]
pub async fn get_period(
    state: web::Data<AppState>,
    _user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let p = get_period_or_404(&state.db, *id).await?;
    Ok(with_etag(StatusCode::OK, &p.into()))
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
#[patch("/periods/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_period(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<UpdatePeriodRequest>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Finance])?;
    let req = body.0;
    let txn = state.db.begin().await?;
    let current = get_period_or_404(&txn, *id).await?;
    let f = PeriodFields {
        year: current.year,
        kind: current.kind,
        name: req.name.unwrap_or_else(|| current.name.clone()),
        as_of: req.as_of.map_or(current.as_of, IsoDate::get),
        submission_deadline: req
            .submission_deadline
            .map_or(current.submission_deadline, IsoDate::get),
        report_deadline: req
            .report_deadline
            .map_or(current.report_deadline, IsoDate::get),
        settings: PeriodSettings {
            thresholds: req.thresholds.map(Into::into).unwrap_or(current.thresholds),
            grade_values: req
                .grade_values
                .map(Into::into)
                .unwrap_or(current.grade_values),
        },
    };
    let mut v = Violations::new();
    check(&mut v, &f);
    v.finish(|| ())?;
    if_match.check(current.version)?;
    if !current.status.is_editable() {
        return Err(ApiError::conflict(format!(
            "a {} period cannot be edited",
            current.status
        )));
    }
    let before = PeriodResponse::from(current.clone());
    if !repo::update(&txn, current.id, current.version, f)
        .await
        .map_err(duplicate)?
    {
        return Err(IfMatch::stale());
    }
    let after: PeriodResponse = get_period_or_404(&txn, current.id).await?.into();
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "period.update",
            "period",
            current.id,
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&after).ok(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::OK, &after))
}

async fn transition(
    state: &AppState,
    user: &CurrentUser,
    ctx: &RequestContext,
    id: Uuid,
    action: &'static str,
    step: fn(PeriodStatus) -> Result<PeriodStatus, crate::domain::workflow::TransitionError>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Finance])?;
    let txn = state.db.begin().await?;
    let current = get_period_or_404(&txn, id).await?;
    let next = step(current.status).map_err(|e| ApiError::conflict(e.to_string()))?;
    repo::set_status(&txn, id, next).await?;
    if next == PeriodStatus::Published {
        // Freeze the report as it stands at publication, in every format.
        let mut published = current.clone();
        published.status = next;
        let _turn = crate::report::turn().await;
        let r = super::reports::live(&txn, state, &published, None).await?;
        crate::persistence::reports::insert(&txn, super::reports::freeze(r, user.id)?).await?;
    }
    let after: PeriodResponse = get_period_or_404(&txn, id).await?.into();
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            action,
            "period",
            id,
            Some(serde_json::json!({"status": current.status})),
            Some(serde_json::json!({"status": next})),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::OK, &after))
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
#[post("/periods/{id}/open")]
pub async fn open_period(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    transition(&state, &user, &ctx, *id, "period.open", PeriodStatus::open).await
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
#[post("/periods/{id}/close")]
pub async fn close_period(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    transition(
        &state,
        &user,
        &ctx,
        *id,
        "period.close",
        PeriodStatus::close,
    )
    .await
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
#[post("/periods/{id}/publish")]
pub async fn publish_period(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    transition(
        &state,
        &user,
        &ctx,
        *id,
        "period.publish",
        PeriodStatus::publish,
    )
    .await
}

/// Grant one unit a later deadline (finance); posting again moves it.
#[utoipa::path(
    tag = "periods",
    params(("id" = Uuid, Path)),
    request_body = ExtensionRequest,
    responses(
        (status = 201, description = "The unit's new deadline in this period (replacing an earlier extension)", body = ExtensionResponse),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such period.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The period is published.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/periods/{id}/extensions")]
#[tracing::instrument(skip_all)]
pub async fn create_extension(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    body: Json<ExtensionRequest>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Finance])?;
    let txn = state.db.begin().await?;
    let p = get_period_or_404(&txn, *id).await?;
    let mut v = Violations::new();
    if units::get(&txn, body.unit_id).await?.is_none() {
        v.add("unit_id", "unknown", "no unit has this id");
    }
    if *body.until <= p.submission_deadline {
        v.add(
            "until",
            "not_later",
            "must be after the period's submission deadline",
        );
    }
    if *body.until > p.report_deadline {
        v.add(
            "until",
            "after_report_deadline",
            "must not be after the report deadline",
        );
    }
    v.finish(|| ())?;
    if p.status == PeriodStatus::Published {
        return Err(ApiError::conflict("a published period cannot change"));
    }
    let before = repo::extensions(&txn, p.id, Some(body.unit_id))
        .await?
        .first()
        .map(|e| serde_json::json!({"until": e.until}));
    let e = repo::upsert_extension(&txn, p.id, body.unit_id, body.until.get()).await?;
    let resp = ExtensionResponse {
        id: e.id,
        period_id: e.period_id,
        unit_id: e.unit_id,
        until: e.until,
        created_at: e.created_at,
    };
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "period.extension",
            "period",
            p.id,
            before,
            serde_json::to_value(&resp).ok(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(HttpResponse::Created().json(resp))
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
#[get("/periods/{id}/extensions")]
pub async fn list_extensions(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let p = get_period_or_404(&state.db, *id).await?;
    let rows: Vec<ExtensionResponse> = repo::extensions(&state.db, p.id, user.unit_scope())
        .await?
        .into_iter()
        .map(|e| ExtensionResponse {
            id: e.id,
            period_id: e.period_id,
            unit_id: e.unit_id,
            until: e.until,
            created_at: e.created_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(rows))
}

pub use crate::persistence::submissions::CompletenessRow;

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
#[get("/periods/{id}/completeness")]
#[tracing::instrument(skip_all)]
pub async fn get_completeness(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let p = get_period_or_404(&state.db, *id).await?;
    let rows =
        submissions::completeness(&state.db, &p, user.unit_scope(), state.offset, Utc::now())
            .await?;
    Ok(HttpResponse::Ok().json(rows))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_period)
        .service(list_periods)
        .service(get_period)
        .service(update_period)
        .service(open_period)
        .service(close_period)
        .service(publish_period)
        .service(create_extension)
        .service(list_extensions)
        .service(get_completeness);
}
