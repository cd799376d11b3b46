//! Working in Excel: the form template of an item for a period
//! (`GET /items/{id}/form-template.xlsx`), and the import of a filled one, as a dry run that
//! shows the form it would make and every problem by cell, or for real
//! (`POST /submissions/import`).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{IntoParams, PartialSchema, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::dto::{Figures, SubmissionContent, SubmissionResponse};
use super::{write_form, xlsx_download};
use crate::app::{form_import, submissions as forms};
use crate::auth::CurrentUser;
use crate::domain::FieldError;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::http::extract::IfMatch;
use crate::http::respond::Writer;
use crate::http::upload::{self, XLSX};
use crate::report::form::import::{self, OpenError};
use crate::state::AppState;

/// An XLSX workbook, as bytes.
pub struct XlsxFile;

impl PartialSchema for XlsxFile {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .content_media_type(XLSX)
            .description(Some("An XLSX workbook (at most 5 MiB)"))
            .examples([serde_json::json!("(the bytes of form.xlsx)")])
            .into()
    }
}

impl ToSchema for XlsxFile {}

/// The import as a `multipart/form-data` upload.
#[derive(ToSchema)]
#[schema(example = json!({"file": "(the bytes of form.xlsx)"}))]
#[allow(dead_code)]
pub struct WorkbookUpload {
    /// The filled form template.
    file: XlsxFile,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TemplateQuery {
    /// The monitoring period the form is for.
    pub period_id: Uuid,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// `true` (the default): check and show, write nothing. `false`: create or update the draft.
    pub dry_run: Option<bool>,
}

/// Whether an import creates a form or updates the item's existing one.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImportAction {
    Create,
    Update,
}

/// The answer of an import with 200: a dry run's preview, or the updated form.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
#[schema(example = json!({
    "dry_run": true, "action": "update", "valid": true, "submission_id": "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d", "version": 3,
    "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f",
    "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "form_number": 2,
    "form": {"executed": {"fiscal": "140.000000", "union": "50.000000"}}, "problems": [],
    "figures": {"budget": {"fiscal": "300.000000", "union": "120.000000"}, "budget_light": "green", "execution_rate": {"fiscal": "46.67", "total": "45.24", "union": "41.67"}, "goal_light": "green", "indicators": [{"completion_rate": "53.33", "indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "light": "green", "needs_note": false}], "late": false, "overall_completion_rate": "53.33", "reasons": [], "time_progress": "50.00", "warning": "green"}
}))]
#[allow(dead_code)]
pub enum ImportOutcome {
    Preview(ImportPreview),
    Updated(SubmissionResponse),
}

/// What an import would do, written nothing (a dry run).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "dry_run": true, "action": "create", "valid": false, "submission_id": null, "version": null,
    "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f",
    "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "form_number": 1,
    "form": {"executed": {"fiscal": "10.000000", "union": "30.000000"}},
    "figures": {"budget": {"fiscal": "300.000000", "union": "120.000000"}, "budget_light": "green", "execution_rate": {"fiscal": "46.67", "total": "45.24", "union": "41.67"}, "goal_light": "green", "indicators": [{"completion_rate": "53.33", "indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "light": "green", "needs_note": false}], "late": false, "overall_completion_rate": "53.33", "reasons": [], "time_progress": "50.00", "warning": "green"},
    "problems": [{"sheet": "附件1", "cell": "F14", "field": "indicator_values[0].actual", "code": "invalid", "message": "指标完成值 must be a decimal number, e.g. \"12.5\""}]
}))]
pub struct ImportPreview {
    /// Always `true`: nothing was written.
    pub dry_run: bool,
    pub action: ImportAction,
    /// Whether the import would be accepted as it is: no problems.
    pub valid: bool,
    /// The form it would update; `null` when it would create one.
    pub submission_id: Option<Uuid>,
    /// That form's version now: send it as `If-Match` (`"3"`, with the quotes) to import for real.
    pub version: Option<i32>,
    pub period_id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    /// 1 整体, 2 专项资金, 3 项目.
    pub form_number: i16,
    /// The content it would store, in the shape of `SubmissionContent`: what the workbook
    /// holds, read as the JSON API reads a form. Where the workbook breaks a rule (a text too
    /// long, a value that is not a number), it shows what was read, and `problems` says why.
    #[schema(value_type = Object)]
    pub form: SubmissionContent,
    /// The figures the form would get.
    pub figures: Figures,
    /// Every problem, each at its sheet and cell where it has one (a form that cannot take new
    /// content, e.g. in a closed period, has none). An import with any problem writes nothing.
    pub problems: Vec<FieldError>,
}

/// The form template of an item for a period, to fill in offline in Excel and import.
///
/// The official form of the item (attachment 1, 2 or 3, the layout of
/// `GET /submissions/{id}/form.xlsx`) and a sheet 补充信息, pre-filled with the item's name,
/// budget and indicators and, when the item has a form in the period, its current values. The
/// cells a unit fills in (executed amounts, indicator actual and year-end values, possibilities
/// and deviation reasons, outlook, root causes, deviation texts, compliance answers, signatures
/// and date) are unlocked on a light yellow fill; everything else is locked (sheet protection
/// without a password); each choice is a drop-down list. A hidden sheet keeps the ids the
/// import matches the workbook by.
///
/// `curl "$BM/api/v1/items/$ITEM/form-template.xlsx?period_id=$PERIOD" -H "Authorization: Bearer $TOKEN" -o form.xlsx`
#[utoipa::path(
    tag = "submissions",
    params(("id" = Uuid, Path, description = "The item"), TemplateQuery),
    responses(
        (status = 200, description = "The form template", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = XlsxFile),
        (status = 404, description = "No such item, or another unit's.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "No period has `period_id`, or the period is of another year than the item.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/form-template.xlsx")]
#[tracing::instrument(skip_all)]
pub async fn get_form_template(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    q: web::Query<TemplateQuery>,
) -> ApiResult<HttpResponse> {
    let d = forms::form_template(&state.db, &user, *id, q.period_id).await?;
    Ok(xlsx_download(d.body, &d.filename))
}

fn unreadable(e: OpenError) -> ApiError {
    let code = match e {
        OpenError::NotXlsx(_) => ErrorCode::NotXlsx,
        OpenError::Encrypted => ErrorCode::WorkbookEncrypted,
        OpenError::Damaged(_) => ErrorCode::WorkbookDamaged,
        OpenError::TooLarge => ErrorCode::PayloadTooLarge,
        OpenError::NotATemplate => ErrorCode::NotAFormTemplate,
    };
    ApiError::new(code, e.to_string())
}

/// What an import with a key is, for its replay: the workbook's digest.
#[derive(Serialize)]
struct ImportKey {
    sha256: String,
}

/// Import a filled form template: a dry run by default, or the draft written.
///
/// Send the workbook as `multipart/form-data` (field `file`) or as the body with the XLSX media
/// type; at most 5 MiB. It is matched to its item and period by the ids of its hidden sheet, or
/// else by the period name, unit code and item name on its 补充信息 sheet, and its cells are
/// read and checked by the same rules as `POST /submissions` and `PUT /submissions/{id}`.
///
/// With `dry_run=true` (the default) nothing is written: the answer is the form it would
/// create or update, with its figures, and every problem at its sheet and cell. With
/// `dry_run=false` a reporter of the item's unit creates the item's form in the period (201,
/// retry-safe with `Idempotency-Key`) or updates its draft or returned form (200, `If-Match`
/// required: 428 without, 412 when stale), in one transaction with one audit event; any
/// problem is 422 with each problem at its cell in `errors`, and nothing is written. A file
/// that is not an XLSX workbook, is damaged, protected with a password or over 5 MiB is
/// refused with its own `code`.
///
/// `curl -X POST "$BM/api/v1/submissions/import?dry_run=false" -H "Authorization: Bearer $TOKEN" -F file=@form.xlsx`
#[utoipa::path(
    tag = "submissions",
    params(ImportQuery, crate::http::extract::IdempotencyKeyHeader,
        ("If-Match" = Option<String>, Header, description = "The ETag of the item's existing form (required when it has one and `dry_run=false`)")),
    request_body(
        description = "The filled form template",
        content(
            (WorkbookUpload = "multipart/form-data"),
            (XlsxFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    ),
    responses(
        (status = 200, description = "A dry run: the form the import would create or update and every problem, by cell; or, with `dry_run=false`, the updated form", body = ImportOutcome, headers(("ETag" = String))),
        (status = 201, description = "The new form, in `draft`", body = SubmissionResponse, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "The upload is damaged: a broken ZIP package or a transfer that broke off.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 403, description = "Needs the role reporter.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "The workbook's item or its form is another unit's, or does not exist.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The form is not editable in its status, or the period is not open.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The form changed since your read: the `If-Match` is stale; nothing was changed.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The workbook is over 5 MiB, or unpacks to more than 64 MiB.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither `multipart/form-data` nor the XLSX media type, or the file is not an XLSX workbook (`not_xlsx`).", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A password-protected workbook (`workbook_encrypted`), one that is not a form template (`not_a_form_template`), a period, unit or item its names match nothing of, or (with `dry_run=false`) the problems of its cells, each with `sheet` and `cell` in `errors`.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing for an existing form.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/import")]
#[tracing::instrument(skip_all)]
pub async fn import_submission(
    w: Writer,
    if_match: IfMatch,
    q: web::Query<ImportQuery>,
    req: HttpRequest,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let bytes = upload::workbook(&req, payload).await?;
    let digest = format!("{:x}", Sha256::digest(&bytes));
    let wb = import::open(bytes).map_err(unreadable)?;
    if q.dry_run.unwrap_or(true) {
        let import = form_import::prepare(&w.state.db, &w.user, &wb).await?;
        return Ok(HttpResponse::Ok().json(preview(import)));
    }
    let write = w.idempotent(&ImportKey { sha256: digest });
    let now = write.now;
    write_form(
        write,
        async |txn| form_import::prepare(txn, &w.user, &wb).await,
        async |txn, import| form_import::write(txn, &w.user, import, &if_match, now).await,
    )
    .await
}

fn preview(import: form_import::Import) -> ImportPreview {
    let form_import::Import { plan, mut problems } = import;
    if let Some(e) = plan.blocker() {
        let locked = plan
            .current
            .as_ref()
            .is_some_and(|c| !c.status.is_editable());
        let field = if locked { "status" } else { "period_id" };
        problems.push(FieldError::new(field, e.code().as_str(), e.to_string()));
    }
    let current = plan.current.as_ref();
    ImportPreview {
        dry_run: true,
        action: match current {
            Some(_) => ImportAction::Update,
            None => ImportAction::Create,
        },
        valid: problems.is_empty(),
        submission_id: current.map(|c| c.id),
        version: current.map(|c| c.version),
        period_id: plan.period.id,
        item_id: plan.item.id,
        unit_id: plan.item.unit_id,
        form_number: plan.item.kind.form(),
        form: plan.content.into(),
        figures: plan.figures.into(),
        problems,
    }
}

/// Under `/submissions`.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(import_submission);
    // `/submissions/import` is not a form id: other methods get 405, not the form routes.
    cfg.route(
        "/import",
        web::route().to(crate::http::fallback::not_found_or_not_allowed),
    );
}

/// Under `/items`: the template to fill.
pub fn configure_template(cfg: &mut ServiceConfig) {
    cfg.service(get_form_template);
}
