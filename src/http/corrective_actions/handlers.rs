//! The handlers of `/corrective-actions`.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use uuid::Uuid;

use super::dto::{
    today, ActionListQuery, CorrectiveActionResponse, CreateActionRequest, NoteRequest,
    OptionalNote,
};
use crate::app::corrective_actions::{self as actions, ActionView};
use crate::auth::CurrentUser;
use crate::domain::follow_through::ActionStep;
use crate::error::ApiResult;
use crate::http::extract::{Json, OptionalJson, PageParams, Paginated};
use crate::http::respond::{reply, with_etag, Writer};
use crate::persistence::corrective_actions::{self as repo, ActionFilter};
use crate::state::AppState;

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
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_corrective_action(
    w: Writer,
    body: Json<CreateActionRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.0;
    let (form_id, today) = (req.submission_id, today(&w.state));
    let outcome = w
        .idempotent(&req)
        .run(
            async |txn| actions::authorize_create(txn, &w.user, form_id).await,
            async |txn, form| {
                let change = actions::create(txn, &w.user, form, req.into()).await?;
                Ok(change.map(|a| CorrectiveActionResponse::new(a, today)))
            },
        )
        .await?;
    Ok(reply(outcome))
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
#[get("")]
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
    let view = |action| ActionView {
        action,
        notes: None,
    };
    let items = rows
        .into_iter()
        .map(|a| CorrectiveActionResponse::new(view(a), today))
        .collect();
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
#[get("/{id}")]
pub async fn get_corrective_action(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let a = actions::get(&state.db, &user, *id).await?;
    let resp = CorrectiveActionResponse::new(a, today(&state));
    Ok(with_etag(StatusCode::OK, &resp))
}

/// Takes `step` on the action `id` through the write pipeline.
async fn step(
    w: Writer,
    id: Uuid,
    step: ActionStep,
    note: Option<String>,
) -> ApiResult<HttpResponse> {
    let today = today(&w.state);
    let outcome = w
        .write()
        .run(
            async |txn| actions::authorize_step(txn, &w.user, id, step, note).await,
            async |txn, plan| {
                let change = actions::step(txn, &w.user, plan).await?;
                Ok(change.map(|a| CorrectiveActionResponse::new(a, today)))
            },
        )
        .await?;
    Ok(reply(outcome))
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
#[post("/{id}/progress")]
pub async fn progress_corrective_action(
    w: Writer,
    id: web::Path<Uuid>,
    body: Json<NoteRequest>,
) -> ApiResult<HttpResponse> {
    step(w, *id, ActionStep::Progress, Some(body.0.note)).await
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
#[post("/{id}/complete")]
pub async fn complete_corrective_action(
    w: Writer,
    id: web::Path<Uuid>,
    body: OptionalJson<OptionalNote>,
) -> ApiResult<HttpResponse> {
    step(w, *id, ActionStep::Complete, OptionalNote::of(body.0)).await
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
#[post("/{id}/verify")]
pub async fn verify_corrective_action(
    w: Writer,
    id: web::Path<Uuid>,
    body: OptionalJson<OptionalNote>,
) -> ApiResult<HttpResponse> {
    step(w, *id, ActionStep::Verify, OptionalNote::of(body.0)).await
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
#[post("/{id}/reopen")]
pub async fn reopen_corrective_action(
    w: Writer,
    id: web::Path<Uuid>,
    body: Json<NoteRequest>,
) -> ApiResult<HttpResponse> {
    step(w, *id, ActionStep::Reopen, Some(body.0.note)).await
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_corrective_action)
        .service(list_corrective_actions)
        .service(get_corrective_action)
        .service(progress_corrective_action)
        .service(complete_corrective_action)
        .service(verify_corrective_action)
        .service(reopen_corrective_action);
}
