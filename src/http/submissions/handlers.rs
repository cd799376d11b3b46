//! The handlers of `/submissions`: each extracts, converts the wire type, runs one use case
//! (writes through the one pipeline) and answers.

use actix_web::http::StatusCode;
use actix_web::{get, post, put, web, HttpResponse};
use uuid::Uuid;

use chrono::{DateTime, Utc};
use sea_orm::DatabaseTransaction;

use super::dto::{
    CreateSubmissionRequest, ReturnRequest, SubmissionContent, SubmissionListQuery,
    SubmissionResponse, SubmissionVersionResponse,
};
use super::write_form;
use crate::app::pipeline::Change;
use crate::app::submissions as forms;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::submission::Submission;
use crate::error::ApiResult;
use crate::http::extract::{IfMatch, Json, NoBody, PageParams, Paginated};
use crate::http::respond::{with_etag, Writer};
use crate::persistence::submissions::{self as repo, SubmissionFilter};
use crate::state::AppState;

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
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_submission(
    w: Writer,
    body: Json<CreateSubmissionRequest>,
) -> ApiResult<HttpResponse> {
    let req = body.0;
    let write = w.idempotent(&req);
    let now = write.now;
    write_form(
        write,
        async |txn| forms::authorize_new(txn, &w.user, req.item_id).await,
        async |txn, item| {
            forms::create(txn, &w.user, req.period_id, item, req.content(), now).await
        },
    )
    .await
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
#[get("")]
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
#[get("/{id}")]
pub async fn get_submission(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let s = forms::visible(&state.db, &user, *id).await?;
    Ok(with_etag(StatusCode::OK, &SubmissionResponse::from(s)))
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
#[put("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn put_submission(
    w: Writer,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<SubmissionContent>,
) -> ApiResult<HttpResponse> {
    let write = w.write();
    let now = write.now;
    write_form(
        write,
        async |txn| forms::authorize_edit(txn, &w.user, *id).await,
        async |txn, _| {
            let content = body.0.into();
            forms::update(txn, &w.user, *id, &if_match, content, now).await
        },
    )
    .await
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
#[post("/{id}/submit")]
pub async fn submit_submission(
    w: Writer,
    id: web::Path<Uuid>,
    _body: NoBody,
) -> ApiResult<HttpResponse> {
    let offset = w.state.offset;
    step(&w, *id, Role::Reporter, async |txn, current, now| {
        forms::submit(txn, &w.user, current, now, offset).await
    })
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
#[post("/{id}/accept")]
pub async fn accept_submission(
    w: Writer,
    id: web::Path<Uuid>,
    _body: NoBody,
) -> ApiResult<HttpResponse> {
    step(&w, *id, Role::Finance, async |txn, current, now| {
        forms::accept(txn, &w.user, current, now).await
    })
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
#[post("/{id}/return")]
pub async fn return_submission(
    w: Writer,
    id: web::Path<Uuid>,
    body: Json<ReturnRequest>,
) -> ApiResult<HttpResponse> {
    let write = w.write();
    let now = write.now;
    write_form(
        write,
        async |txn| {
            let reason = forms::return_reason(&body.reason)?;
            let current = forms::authorize_step(txn, &w.user, *id, Role::Finance).await?;
            Ok((current, reason))
        },
        async |txn, (current, reason)| forms::return_(txn, &w.user, current, reason, now).await,
    )
    .await
}

/// Moves form `id` one workflow step that `role` takes, with `apply` at the write's instant.
async fn step(
    w: &Writer,
    id: Uuid,
    role: Role,
    apply: impl AsyncFnOnce(
        &DatabaseTransaction,
        Submission,
        DateTime<Utc>,
    ) -> ApiResult<Change<Submission>>,
) -> ApiResult<HttpResponse> {
    let write = w.write();
    let now = write.now;
    write_form(
        write,
        async |txn| forms::authorize_step(txn, &w.user, id, role).await,
        async |txn, current| apply(txn, current, now).await,
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
#[get("/{id}/versions")]
pub async fn list_submission_versions(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let s = forms::visible(&state.db, &user, *id).await?;
    let rows: Vec<SubmissionVersionResponse> = repo::versions(&state.db, s.id)
        .await?
        .into_iter()
        .map(SubmissionVersionResponse::from)
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
#[get("/{id}/form.xlsx")]
pub async fn get_submission_form(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    let d = forms::printed_form(&state.db, &user, *id).await?;
    Ok(super::xlsx_download(d.body, &d.filename))
}
