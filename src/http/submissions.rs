//! `/submissions`: the filled forms 1–3 (DESIGN §3) and their review workflow.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, put, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{etag, IdempotencyKey, IfMatch, Json, PageParams, Paginated};
use super::periods::get_period_or_404;
use super::request_id::RequestContext;
use super::Idempotent;
pub use crate::app::submissions::SubmissionResponse;
use crate::app::submissions::{self as forms, Target};
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::item::ItemKind;
use crate::domain::monitoring::{Light, Possibility};
use crate::domain::period::{self, Period};
use crate::domain::submission::{
    self, ComplianceEntry, Figures, IndicatorValue, RootCause, Signatures, SubmissionContent,
};
use crate::domain::workflow::{PeriodStatus, SubmissionStatus};
use crate::domain::{FundSplit, Violations};
use crate::error::{ApiError, ApiResult};
use crate::persistence::audit::{self, Entry};
use crate::persistence::submissions::{self as repo, Submission, SubmissionFilter};
use crate::persistence::{self, indicators, periods};
use crate::state::AppState;

/// A new form for one item in one period, with whatever is filled in so far.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f",
    "executed": {"fiscal": "140.000000", "union": "50.000000"},
    "goal_progress": "上半年帮扶困难职工640人次"
}))]
pub struct CreateSubmissionRequest {
    pub period_id: Uuid,
    pub item_id: Uuid,
    #[serde(default)]
    pub executed: FundSplit,
    #[serde(default)]
    pub expected_year_end: FundSplit,
    #[serde(default)]
    pub expected_carryover: FundSplit,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub goal_progress: String,
    #[serde(default)]
    pub indicator_values: Vec<IndicatorValue>,
    #[serde(default)]
    pub compliance: Vec<ComplianceEntry>,
    #[serde(default)]
    pub outlook: Option<Possibility>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub deviation_analysis: String,
    #[serde(default)]
    pub root_causes: Vec<RootCause>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub corrective_measures: String,
    #[serde(default)]
    pub signatures: Signatures,
}

impl CreateSubmissionRequest {
    fn content(&self) -> SubmissionContent {
        SubmissionContent {
            executed: self.executed,
            expected_year_end: self.expected_year_end,
            expected_carryover: self.expected_carryover,
            goal_progress: self.goal_progress.clone(),
            indicator_values: self.indicator_values.clone(),
            compliance: self.compliance.clone(),
            outlook: self.outlook,
            deviation_analysis: self.deviation_analysis.clone(),
            root_causes: self.root_causes.clone(),
            corrective_measures: self.corrective_measures.clone(),
            signatures: self.signatures.clone(),
        }
    }
}

/// Why finance returns a form.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "请补充偏差原因分析"}))]
pub struct ReturnRequest {
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// One kept version of a form.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"number": 2, "event": "returned", "reason": "请补充偏差原因分析", "actor_id": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "actor_username": "finance", "created_at": "2026-07-12T03:00:00Z", "snapshot": {"id": "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d", "status": "returned"}}))]
pub struct SubmissionVersionResponse {
    pub number: i32,
    /// `submitted`, `returned` or `accepted`.
    pub event: SubmissionStatus,
    pub reason: Option<String>,
    pub actor_id: Uuid,
    pub actor_username: String,
    pub created_at: DateTime<Utc>,
    /// The whole form as it stood at that moment.
    #[schema(value_type = Object)]
    pub snapshot: serde_json::Value,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionListQuery {
    pub period_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    /// The item kind (decides the form).
    pub kind: Option<ItemKind>,
    pub status: Option<SubmissionStatus>,
    pub warning: Option<Light>,
    pub late: Option<bool>,
}

fn with_etag(status: StatusCode, s: &SubmissionResponse) -> HttpResponse {
    let mut b = HttpResponse::build(status);
    b.insert_header((header::ETAG, etag(s.version)));
    if status == StatusCode::CREATED {
        b.insert_header((header::LOCATION, format!("/api/v1/submissions/{}", s.id)));
    }
    b.json(s)
}

async fn visible_submission(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<Submission> {
    forms::visible(db, user, id).await
}

fn require_open(p: &Period) -> ApiResult<()> {
    if p.status.accepts_submissions() {
        Ok(())
    } else {
        Err(ApiError::conflict(format!(
            "the period is {}, not open",
            p.status
        )))
    }
}

/// The figures of a form, judged against the item's current budget and indicators.
async fn figures(
    db: &impl ConnectionTrait,
    p: &Period,
    item_id: Uuid,
    content: &SubmissionContent,
    late: bool,
) -> ApiResult<(
    Figures,
    Vec<crate::domain::indicator::Indicator>,
    crate::domain::item::Item,
)> {
    let item = persistence::items::get(db, item_id)
        .await?
        .ok_or_else(|| ApiError::not_found("item"))?;
    let inds = indicators::of_item(db, item_id).await?;
    let f = submission::compute(&item, &inds, p, content, late);
    Ok((f, inds, item))
}

/// Start the form for one item in an open period (reporter of the item's unit).
#[utoipa::path(
    tag = "submissions",
    request_body = CreateSubmissionRequest,
    params(crate::http::extract::IdempotencyKeyHeader),
    responses(
        (status = 201, description = "The new form, in `draft`, with its computed figures", body = SubmissionResponse, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Needs the role reporter.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Item not found, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "This item already has a form in this period, or the period is not open.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/submissions")]
#[tracing::instrument(skip_all)]
pub async fn create_submission(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    key: IdempotencyKey,
    body: Json<CreateSubmissionRequest>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Reporter])?;
    let req = body.0;
    let idem = Idempotent::new(key, &user, &ctx, &req);
    let txn = state.db.begin().await?;
    if let Some(replay) = idem.replay(&txn).await? {
        return Ok(replay);
    }
    let target = Target::New {
        period_id: req.period_id,
        item_id: req.item_id,
    };
    let plan = forms::plan(&txn, &user, target, req.content()).await?;
    let saved = forms::save(&txn, &user, &ctx.origin(), plan, |_| Ok(())).await?;
    idem.save(&txn, StatusCode::CREATED, &saved.form).await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::CREATED, &saved.form))
}

/// List forms; a reporter sees its own unit's only.
#[utoipa::path(
    tag = "submissions",
    params(PageParams, SubmissionListQuery),
    responses(
        (status = 200, description = "One page of forms", body = Paginated<SubmissionResponse>),
    ),
    security(("bearer" = []))
)]
#[get("/submissions")]
#[tracing::instrument(skip_all)]
pub async fn list_submissions(
    state: web::Data<AppState>,
    user: CurrentUser,
    page: web::Query<PageParams>,
    q: web::Query<SubmissionListQuery>,
) -> ApiResult<HttpResponse> {
    let page = page.check()?;
    let Some(unit_id) = user.list_unit_filter(q.unit_id) else {
        // A reporter asking for another unit's objects sees none.
        return Ok(HttpResponse::Ok().json(Paginated::<SubmissionResponse>::new(vec![], 0, page)));
    };
    let f = SubmissionFilter {
        period_id: q.period_id,
        unit_id,
        item_id: q.item_id,
        form: q.kind.map(|k| k.form()),
        status: q.status,
        warning: q.warning,
        late: q.late,
    };
    let (rows, total) = repo::list(&state.db, &f, page.offset(), page.per_page).await?;
    let items = rows.into_iter().map(SubmissionResponse::from).collect();
    Ok(HttpResponse::Ok().json(Paginated::new(items, total, page)))
}

/// Read one form with its computed figures.
#[utoipa::path(
    tag = "submissions",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The form with its computed figures", body = SubmissionResponse, headers(("ETag" = String))),
        (status = 404, description = "No such form, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/submissions/{id}")]
pub async fn get_submission(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let s = visible_submission(&state.db, &user, *id).await?;
    Ok(with_etag(StatusCode::OK, &s.into()))
}

/// Replace everything the unit fills in (reporter of the unit, while draft or returned);
/// needs `If-Match`.
#[utoipa::path(
    tag = "submissions",
    params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag from your last read")),
    request_body = SubmissionContent,
    responses(
        (status = 200, description = "The form with its new content and recomputed figures", body = SubmissionResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role reporter.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such form, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The form is not editable in its status, or the period is not open.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The resource changed since your read: the `If-Match` is stale; nothing was changed.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/submissions/{id}")]
#[tracing::instrument(skip_all)]
pub async fn put_submission(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<SubmissionContent>,
) -> ApiResult<HttpResponse> {
    let txn = state.db.begin().await?;
    let plan = forms::plan(&txn, &user, Target::Existing(*id), body.0).await?;
    let saved = forms::save(&txn, &user, &ctx.origin(), plan, |v| if_match.check(v)).await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::OK, &saved.form))
}

async fn step(
    state: &AppState,
    user: &CurrentUser,
    ctx: &RequestContext,
    id: Uuid,
    role: Role,
    next: fn(
        SubmissionStatus,
    ) -> Result<SubmissionStatus, crate::domain::workflow::TransitionError>,
    reason: Option<String>,
) -> ApiResult<HttpResponse> {
    let txn = state.db.begin().await?;
    let current = visible_submission(&txn, user, id).await?;
    user.require(&[role])?;
    let p = get_period_or_404(&txn, current.period_id).await?;
    let to = next(current.status).map_err(|e| ApiError::conflict(e.to_string()))?;
    let now = persistence::now();
    let (figs, submitted_at) = if to == SubmissionStatus::Submitted {
        require_open(&p)?;
        let deadline = periods::deadline_for(&txn, &p, current.unit_id).await?;
        let late = period::is_late(now, deadline, state.offset);
        let (figs, inds, _) = figures(&txn, &p, current.item_id, &current.content, late).await?;
        let mut v = Violations::new();
        submission::check_complete(&mut v, &current.content, &inds, &figs);
        v.finish(|| ())?;
        (figs, Some(now))
    } else {
        (current.figures.clone(), None)
    };
    if p.status == PeriodStatus::Published {
        return Err(ApiError::conflict("the period is published"));
    }
    let moved = repo::set_status(
        &txn,
        current.id,
        current.version,
        to,
        &figs,
        submitted_at,
        now,
    );
    if !moved.await? {
        return Err(IfMatch::stale());
    }
    let before = current.status;
    let after: SubmissionResponse = Submission {
        status: to,
        figures: figs,
        submitted_at: submitted_at.or(current.submitted_at),
        version: current.version + 1,
        updated_at: now,
        ..current
    }
    .into();
    let snapshot = serde_json::to_value(&after).map_err(|e| ApiError::Internal(e.to_string()))?;
    repo::insert_version(
        &txn,
        after.id,
        to,
        reason.clone(),
        &snapshot,
        user.id,
        &user.username,
    )
    .await?;
    let action = match to {
        SubmissionStatus::Submitted => "submission.submit",
        SubmissionStatus::Accepted => "submission.accept",
        SubmissionStatus::Returned => "submission.return",
        SubmissionStatus::Draft => "submission.update",
    };
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            action,
            "submission",
            after.id,
            Some(serde_json::json!({"status": before})),
            Some(serde_json::json!({"status": to, "reason": reason})),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::OK, &after))
}

/// Submit a form for review (reporter of the unit). Every indicator needs a value, both
/// signatures and a date are required, and an actual far above its target needs a note; each
/// gap is listed in `errors`.
#[utoipa::path(
    tag = "submissions",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The form, now `submitted`; the version is kept", body = SubmissionResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role reporter.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such form, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The form cannot be submitted in its status, or the period is not open.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The form is incomplete: each gap is named in `errors`.", body = crate::error::Problem, content_type = "application/problem+json", example = json!({"type": "urn:budget-monitor:problem:validation_failed", "title": "The request has invalid fields", "status": 422, "detail": "2 fields are invalid", "instance": "/api/v1/submissions/6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d/submit", "code": "validation_failed", "request_id": "5f0c6a8e-3c1b-4a53-9d0e-7d4c1b2a9f10", "errors": [{"field": "signatures.unit_head", "code": "required", "message": "the unit head must sign"}, {"field": "indicator_values[9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a]", "code": "required", "message": "a value for indicator \"培训人次\" is required"}]})),
    ),
    security(("bearer" = []))
)]
#[post("/submissions/{id}/submit")]
pub async fn submit_submission(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    step(
        &state,
        &user,
        &ctx,
        *id,
        Role::Reporter,
        SubmissionStatus::submit,
        None,
    )
    .await
}

/// Accept a submitted form; it becomes immutable (finance).
#[utoipa::path(
    tag = "submissions",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The form, now `accepted` and immutable; the version is kept", body = SubmissionResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such form.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The form is not submitted, or the period is published.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/submissions/{id}/accept")]
pub async fn accept_submission(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    step(
        &state,
        &user,
        &ctx,
        *id,
        Role::Finance,
        SubmissionStatus::accept,
        None,
    )
    .await
}

/// Return a submitted form to its unit with a reason (finance).
#[utoipa::path(
    tag = "submissions",
    params(("id" = Uuid, Path)),
    request_body = ReturnRequest,
    responses(
        (status = 200, description = "The form, now `returned` to its unit with the reason; the version is kept", body = SubmissionResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such form.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The form is not submitted, or the period is published.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/submissions/{id}/return")]
pub async fn return_submission(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    body: Json<ReturnRequest>,
) -> ApiResult<HttpResponse> {
    let mut v = Violations::new();
    let reason = crate::domain::validation::text(&mut v, "reason", &body.reason, 2000);
    v.finish(|| ())?;
    step(
        &state,
        &user,
        &ctx,
        *id,
        Role::Finance,
        SubmissionStatus::return_,
        reason,
    )
    .await
}

/// Every submitted, returned and accepted version of a form, oldest first, with who and when.
#[utoipa::path(
    tag = "submissions",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "Every kept version, oldest first", body = Vec<SubmissionVersionResponse>),
        (status = 404, description = "No such form, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/submissions/{id}/versions")]
pub async fn list_submission_versions(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let s = visible_submission(&state.db, &user, *id).await?;
    let rows: Vec<SubmissionVersionResponse> = repo::versions(&state.db, s.id)
        .await?
        .into_iter()
        .map(|m| SubmissionVersionResponse {
            number: m.number,
            event: m.event.parse().unwrap_or(SubmissionStatus::Submitted),
            reason: m.reason,
            actor_id: m.actor_id,
            actor_username: m.actor_username,
            created_at: m.created_at,
            snapshot: serde_json::from_str(&m.snapshot).unwrap_or_default(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(rows))
}

/// The form in its official layout (attachment 1, 2 or 3 of the rules) as XLSX, for printing
/// and signing: the attachment's level-2 indicator categories pre-printed under merged level-1
/// cells (an empty row for a category without an indicator; 经济效益/生态效益 only when the item
/// has one), rows as tall as their wrapped text, A4 portrait with the print area set, the
/// signature line at the foot. Up to 20 indicators (while it stays readable at 70 % or more) it
/// prints on one page; a longer form prints at the full width over several pages with the
/// indicator heading repeated.
///
/// `curl $BM/api/v1/submissions/$FORM/form.xlsx -H "Authorization: Bearer $TOKEN" -o form.xlsx`
#[utoipa::path(
    tag = "submissions",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The form in its official layout: one A4 page for a typical form, several at the full width for a long one", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 404, description = "No such form, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/submissions/{id}/form.xlsx")]
pub async fn get_submission_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let s = visible_submission(&state.db, &user, *id).await?;
    let item = persistence::items::get(&state.db, s.item_id)
        .await?
        .ok_or_else(|| ApiError::not_found("item"))?;
    let unit = persistence::units::get(&state.db, s.unit_id)
        .await?
        .ok_or_else(|| ApiError::not_found("unit"))?;
    let inds = indicators::of_item(&state.db, s.item_id).await?;
    let body = crate::report::form::xlsx(&unit, &item, &inds, &s.content, &s.figures)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(super::reports::bytes(
        body,
        super::reports::XLSX,
        &format!("form{}-{}.xlsx", s.form, s.id),
    ))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_submission_form);
    cfg.service(create_submission)
        .service(list_submissions)
        .service(get_submission)
        .service(put_submission)
        .service(submit_submission)
        .service(accept_submission)
        .service(return_submission)
        .service(list_submission_versions);
}
