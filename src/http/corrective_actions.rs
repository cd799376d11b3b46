//! `/corrective-actions`: 纠偏措施 (Art. 11, 12). A unit opens and works on its own; finance
//! verifies or reopens them, and opens rectification orders (督促整改) on any unit.

use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{etag, IdempotencyKey, Json, OptionalJson, PageParams, Paginated};
use super::request_id::RequestContext;
use super::Idempotent;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::follow_through::{self as ft, ActionSource, ActionStatus, Lens};
use crate::domain::validation::text;
use crate::domain::workflow::TransitionError;
use crate::domain::Violations;
use crate::error::{ApiError, ApiResult};
use crate::persistence::audit::{self, Entry};
use crate::persistence::corrective_actions::{self as repo, ActionFilter, ActionRow, NewAction};
use crate::persistence::{indicators, submissions};
use crate::state::AppState;

/// A progress note or a status change, with who and when.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"event": "progress", "note": "已加开两期", "author_id": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "author_username": "zzb.reporter", "created_at": "2026-07-20T02:00:00Z"}))]
pub struct ActionNote {
    /// `progress`, `complete`, `verify` or `reopen`.
    pub event: String,
    pub note: String,
    pub author_id: Uuid,
    pub author_username: String,
    pub created_at: DateTime<Utc>,
}

/// A corrective action.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901", "submission_id": "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d", "indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "lens": "timeliness", "cause": "培训场地改造延误", "objective_cause": false, "measure": "7月起每周加开两期培训", "owner": "组织部 张华", "due_date": "2026-09-30", "status": "in_progress", "source": "unit", "overdue": false, "version": 2, "created_at": "2026-07-15T02:00:00Z", "updated_at": "2026-07-20T02:00:00Z"}))]
pub struct CorrectiveActionResponse {
    pub id: Uuid,
    pub submission_id: Uuid,
    pub indicator_id: Option<Uuid>,
    pub period_id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub lens: Lens,
    pub cause: String,
    /// An objective cause (policy change, emergency: Art. 13).
    pub objective_cause: bool,
    pub measure: String,
    pub owner: String,
    pub due_date: NaiveDate,
    pub status: ActionStatus,
    /// `unit`, or `finance` for a rectification order.
    pub source: ActionSource,
    /// Past its due date and not done.
    pub overdue: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Only on single reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<ActionNote>>,
}

fn today(state: &AppState) -> NaiveDate {
    Utc::now().with_timezone(&state.offset).date_naive()
}

pub(crate) fn to_response(
    r: ActionRow,
    today: NaiveDate,
    notes: Option<Vec<ActionNote>>,
) -> ApiResult<CorrectiveActionResponse> {
    let bad = |e: String| ApiError::Internal(format!("stored corrective action: {e}"));
    let status: ActionStatus = r.status.parse().map_err(bad)?;
    Ok(CorrectiveActionResponse {
        overdue: ft::is_overdue(status, r.due_date, today),
        lens: r.lens.parse().map_err(bad)?,
        source: r.source.parse().map_err(bad)?,
        status,
        id: r.id,
        submission_id: r.submission_id,
        indicator_id: r.indicator_id,
        period_id: r.period_id,
        item_id: r.item_id,
        unit_id: r.unit_id,
        cause: r.cause,
        objective_cause: r.objective_cause,
        measure: r.measure,
        owner: r.owner,
        due_date: r.due_date,
        version: r.version,
        created_at: r.created_at,
        updated_at: r.updated_at,
        notes,
    })
}

/// A new corrective action for a form (optionally one of its indicators).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "submission_id": "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d", "lens": "timeliness",
    "cause": "培训场地改造延误", "objective_cause": false, "measure": "7月起每周加开两期培训",
    "owner": "组织部 张华", "due_date": "2026-09-30"
}))]
pub struct CreateActionRequest {
    pub submission_id: Uuid,
    #[serde(default)]
    pub indicator_id: Option<Uuid>,
    pub lens: Lens,
    #[schema(min_length = 1, max_length = 2000)]
    pub cause: String,
    #[serde(default)]
    pub objective_cause: bool,
    #[schema(min_length = 1, max_length = 2000)]
    pub measure: String,
    #[schema(min_length = 1, max_length = 100)]
    pub owner: String,
    pub due_date: crate::domain::IsoDate,
}

/// A note on the work done.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "已完成两期加开培训"}))]
pub struct NoteRequest {
    #[schema(min_length = 1, max_length = 2000)]
    pub note: String,
}

/// An optional note with a status change.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionalNote {
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionListQuery {
    pub period_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub submission_id: Option<Uuid>,
    pub status: Option<ActionStatus>,
    pub source: Option<ActionSource>,
    /// Only overdue ones (`true`) or only the others (`false`).
    pub overdue: Option<bool>,
}

async fn visible(db: &impl ConnectionTrait, user: &CurrentUser, id: Uuid) -> ApiResult<ActionRow> {
    let found = repo::get(db, id).await?;
    user.visible(found, |a| a.unit_id, "corrective_action", id)
}

fn with_etag(status: StatusCode, a: &CorrectiveActionResponse) -> HttpResponse {
    let mut b = HttpResponse::build(status);
    b.insert_header((header::ETAG, etag(a.version)));
    if status == StatusCode::CREATED {
        b.insert_header((
            header::LOCATION,
            format!("/api/v1/corrective-actions/{}", a.id),
        ));
    }
    b.json(a)
}

/// Open a corrective action: a reporter for its own unit's form, or finance as a
/// rectification order on any unit's form.
#[utoipa::path(
    tag = "corrective-actions",
    request_body = CreateActionRequest,
    params(crate::http::extract::IdempotencyKeyHeader),
    responses(
        (status = 201, description = "The new corrective action, `open`", body = CorrectiveActionResponse, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Needs the role reporter or finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "Submission not found, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions")]
#[tracing::instrument(skip_all)]
pub async fn create_corrective_action(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    key: IdempotencyKey,
    body: Json<CreateActionRequest>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Reporter, Role::Finance])?;
    let req = body.0;
    let idem = Idempotent::new(key, &user, &ctx, &req);
    let txn = state.db.begin().await?;
    if let Some(replay) = idem.replay(&txn).await? {
        return Ok(replay);
    }
    let found = submissions::get(&txn, req.submission_id).await?;
    let form = user.visible(found, |s| s.unit_id, "submission", req.submission_id)?;
    let mut v = Violations::new();
    if let Some(ind) = req.indicator_id {
        if indicators::get(&txn, ind)
            .await?
            .filter(|i| i.item_id == form.item_id)
            .is_none()
        {
            v.add(
                "indicator_id",
                "unknown",
                "not an indicator of the form's item",
            );
        }
    }
    let cause = text(&mut v, "cause", &req.cause, 2000);
    let measure = text(&mut v, "measure", &req.measure, 2000);
    let owner = text(&mut v, "owner", &req.owner, 100);
    ft::check_due_date(&mut v, "due_date", req.due_date.get());
    v.finish(|| ())?;
    let source = if user.role == Role::Finance {
        ActionSource::Finance
    } else {
        ActionSource::Unit
    };
    let row = repo::insert(
        &txn,
        NewAction {
            submission_id: form.id,
            indicator_id: req.indicator_id,
            period_id: form.period_id,
            item_id: form.item_id,
            unit_id: form.unit_id,
            lens: req.lens,
            cause: cause.unwrap_or_default(),
            objective_cause: req.objective_cause,
            measure: measure.unwrap_or_default(),
            owner: owner.unwrap_or_default(),
            due_date: req.due_date.get(),
            source,
            created_by: user.id,
        },
    )
    .await?;
    let created = to_response(row, today(&state), None)?;
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "corrective_action.create",
            "corrective_action",
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

/// List corrective actions, soonest due first; a reporter sees its own unit's.
#[utoipa::path(
    tag = "corrective-actions",
    params(PageParams, ActionListQuery),
    responses(
        (status = 200, description = "One page of corrective actions", body = Paginated<CorrectiveActionResponse>),
    ),
    security(("bearer" = []))
)]
#[get("/corrective-actions")]
#[tracing::instrument(skip_all)]
pub async fn list_corrective_actions(
    state: web::Data<AppState>,
    user: CurrentUser,
    page: web::Query<PageParams>,
    q: web::Query<ActionListQuery>,
) -> ApiResult<HttpResponse> {
    let page = page.check()?;
    let Some(unit_id) = user.list_unit_filter(q.unit_id) else {
        // A reporter asking for another unit's objects sees none.
        return Ok(
            HttpResponse::Ok().json(Paginated::<CorrectiveActionResponse>::new(vec![], 0, page)),
        );
    };
    let today = today(&state);
    let f = ActionFilter {
        period_id: q.period_id,
        unit_id,
        item_id: q.item_id,
        submission_id: q.submission_id,
        status: q.status,
        source: q.source,
        overdue_as_of: q.overdue.map(|o| (today, o)),
    };
    let (rows, total) = repo::list(&state.db, &f, page.offset(), page.per_page).await?;
    let items = rows
        .into_iter()
        .map(|r| to_response(r, today, None))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(Paginated::new(items, total, page)))
}

/// Read one corrective action with its notes.
#[utoipa::path(
    tag = "corrective-actions",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The corrective action", body = CorrectiveActionResponse, headers(("ETag" = String))),
        (status = 404, description = "No such corrective action, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/corrective-actions/{id}")]
pub async fn get_corrective_action(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let a = visible(&state.db, &user, *id).await?;
    let notes = notes_of(&state.db, a.id).await?;
    Ok(with_etag(
        StatusCode::OK,
        &to_response(a, today(&state), Some(notes))?,
    ))
}

async fn notes_of(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<Vec<ActionNote>> {
    Ok(repo::notes(db, id)
        .await?
        .into_iter()
        .map(|n| ActionNote {
            event: n.event,
            note: n.note,
            author_id: n.author_id,
            author_username: n.author_username,
            created_at: n.created_at,
        })
        .collect())
}

#[allow(clippy::too_many_arguments)]
async fn step(
    state: &AppState,
    user: &CurrentUser,
    ctx: &RequestContext,
    id: Uuid,
    role: Role,
    event: &'static str,
    next: fn(ActionStatus) -> Result<ActionStatus, TransitionError>,
    note: Option<String>,
) -> ApiResult<HttpResponse> {
    let mut v = Violations::new();
    let note = match note {
        Some(n) => text(&mut v, "note", &n, 2000),
        None => None,
    };
    v.finish(|| ())?;
    let txn = state.db.begin().await?;
    let a = visible(&txn, user, id).await?;
    user.require(&[role])?;
    let from: ActionStatus = a.status.parse().map_err(ApiError::Internal)?;
    let to = next(from).map_err(|e| ApiError::conflict(e.to_string()))?;
    if !repo::set_status(&txn, a.id, a.version, to).await? {
        return Err(super::extract::IfMatch::stale());
    }
    repo::add_note(
        &txn,
        a.id,
        event,
        note.as_deref().unwrap_or(""),
        user.id,
        &user.username,
    )
    .await?;
    let after = repo::get(&txn, a.id)
        .await?
        .ok_or_else(|| ApiError::not_found("corrective action"))?;
    let notes = notes_of(&txn, a.id).await?;
    let resp = to_response(after, today(state), Some(notes))?;
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            match event {
                "progress" => "corrective_action.progress",
                "complete" => "corrective_action.complete",
                "verify" => "corrective_action.verify",
                _ => "corrective_action.reopen",
            },
            "corrective_action",
            a.id,
            Some(serde_json::json!({"status": from})),
            Some(serde_json::json!({"status": to, "note": note})),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::OK, &resp))
}

/// Report progress with a note (reporter of the unit); an open action moves into progress.
#[utoipa::path(
    tag = "corrective-actions",
    params(("id" = Uuid, Path)),
    request_body = NoteRequest,
    responses(
        (status = 200, description = "The action, `in_progress`, with the note added", body = CorrectiveActionResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role reporter.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such corrective action, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed in its status.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions/{id}/progress")]
pub async fn progress_corrective_action(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    body: Json<NoteRequest>,
) -> ApiResult<HttpResponse> {
    step(
        &state,
        &user,
        &ctx,
        *id,
        Role::Reporter,
        "progress",
        ActionStatus::progress,
        Some(body.0.note),
    )
    .await
}

/// Report the measure carried out (reporter of the unit).
#[utoipa::path(
    tag = "corrective-actions",
    params(("id" = Uuid, Path)),
    request_body(content = Option<OptionalNote>, description = "Optional; may be left out", content_type = "application/json"),
    responses(
        (status = 200, description = "The action, now `done` and waiting for verification", body = CorrectiveActionResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role reporter.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such corrective action, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed in its status.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions/{id}/complete")]
pub async fn complete_corrective_action(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    body: OptionalJson<OptionalNote>,
) -> ApiResult<HttpResponse> {
    step(
        &state,
        &user,
        &ctx,
        *id,
        Role::Reporter,
        "complete",
        ActionStatus::complete,
        body.0.and_then(|b| b.note).filter(|n| !n.trim().is_empty()),
    )
    .await
}

/// Confirm a completed action (finance).
#[utoipa::path(
    tag = "corrective-actions",
    params(("id" = Uuid, Path)),
    request_body(content = Option<OptionalNote>, description = "Optional; may be left out", content_type = "application/json"),
    responses(
        (status = 200, description = "The action, now `verified`", body = CorrectiveActionResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such corrective action.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The action is not done.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions/{id}/verify")]
pub async fn verify_corrective_action(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    body: OptionalJson<OptionalNote>,
) -> ApiResult<HttpResponse> {
    step(
        &state,
        &user,
        &ctx,
        *id,
        Role::Finance,
        "verify",
        ActionStatus::verify,
        body.0.and_then(|b| b.note).filter(|n| !n.trim().is_empty()),
    )
    .await
}

/// Send a completed or verified action back to work (finance), with a note saying why.
#[utoipa::path(
    tag = "corrective-actions",
    params(("id" = Uuid, Path)),
    request_body = NoteRequest,
    responses(
        (status = 200, description = "The action, back `in_progress` with the note", body = CorrectiveActionResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role finance.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such corrective action.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The action is not done.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions/{id}/reopen")]
pub async fn reopen_corrective_action(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    body: Json<NoteRequest>,
) -> ApiResult<HttpResponse> {
    step(
        &state,
        &user,
        &ctx,
        *id,
        Role::Finance,
        "reopen",
        ActionStatus::reopen,
        Some(body.0.note),
    )
    .await
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_corrective_action)
        .service(list_corrective_actions)
        .service(get_corrective_action)
        .service(progress_corrective_action)
        .service(complete_corrective_action)
        .service(verify_corrective_action)
        .service(reopen_corrective_action);
}
