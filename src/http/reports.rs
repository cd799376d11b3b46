//! `GET /periods/{id}/report`: the monitoring report (Art. 11) in JSON, CSV, XLSX or DOCX; frozen
//! when the period is published.

use actix_web::body::{BodySize, MessageBody};
use actix_web::http::header;
use actix_web::{get, web, HttpRequest, HttpResponse};

use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use crate::app::reports::{self, ReportRead, RowFilter};
use crate::auth::CurrentUser;
use crate::domain::item::ItemKind;
use crate::domain::monitoring::Light;
use crate::error::{ApiError, ApiResult};
use crate::http::json_stream;
use crate::persistence::reports as repo;
use crate::report::{self, ItemSort, Report};
use crate::state::AppState;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The report's formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Json,
    Csv,
    Xlsx,
    Docx,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `json` (default), `csv` (the item rows), `xlsx` or `docx` (the 绩效监控报告 as a Word
    /// document of the whole period, without the item-row filters; finance, viewer and admin);
    /// also chosen by `Accept`.
    pub format: Option<ReportFormat>,
    /// Only this unit's item rows.
    pub unit_id: Option<Uuid>,
    /// Only item rows of this kind.
    pub kind: Option<ItemKind>,
    /// Only item rows with this warning.
    pub warning: Option<Light>,
    /// Order of the item rows: `unit` (default), `warning`, `execution_rate`.
    pub sort: Option<ItemSort>,
}

/// The item-row filters of a report download.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportFilters {
    /// Only this unit's item rows.
    pub unit_id: Option<Uuid>,
    /// Only item rows of this kind.
    pub kind: Option<ItemKind>,
    /// Only item rows with this warning.
    pub warning: Option<Light>,
    /// Order of the item rows: `unit` (default), `warning`, `execution_rate`.
    pub sort: Option<ItemSort>,
}

impl ReportQuery {
    fn filters(&self) -> ReportFilters {
        ReportFilters {
            unit_id: self.unit_id,
            kind: self.kind,
            warning: self.warning,
            sort: self.sort,
        }
    }
}

impl ReportFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportFormat::Json => "json",
            ReportFormat::Csv => "csv",
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Docx => "docx",
        }
    }
}

fn format_of(req: &HttpRequest, q: &ReportQuery) -> ReportFormat {
    if let Some(f) = q.format {
        return f;
    }
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if accept.contains("text/csv") {
        ReportFormat::Csv
    } else if accept.contains(XLSX) {
        ReportFormat::Xlsx
    } else if accept.contains(DOCX) {
        ReportFormat::Docx
    } else {
        ReportFormat::Json
    }
}

/// Renders a report in a format.
/// The report in a file format.
pub fn respond(r: &Report, format: ReportFormat, file: &str) -> ApiResult<HttpResponse> {
    match format {
        ReportFormat::Json => Ok(HttpResponse::Ok()
            .content_type("application/json")
            .body(serde_json::to_vec(r).map_err(|e| ApiError::Internal(e.to_string()))?)),
        ReportFormat::Csv => {
            let body = report::render::csv(r).map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok(bytes(
                body,
                "text/csv; charset=utf-8",
                &format!("{file}.csv"),
            ))
        }
        ReportFormat::Xlsx => {
            let body = report::render::xlsx(r).map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok(bytes(body, XLSX, &format!("{file}.xlsx")))
        }
        ReportFormat::Docx => Ok(bytes(docx(r)?, DOCX, &format!("{file}.docx"))),
    }
}

/// The report as a Word document.
fn docx(r: &Report) -> ApiResult<Vec<u8>> {
    report::docx::docx(r).map_err(|e| ApiError::Internal(e.to_string()))
}

pub fn bytes(body: Vec<u8>, content_type: &str, filename: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(body)
}

/// The monitoring report of a period (finance, viewer; a reporter gets its own unit's part).
///
/// Counts of expected, submitted, accepted, returned, late and missing forms; budget and
/// executed totals per fund with the execution rate and budget light; items by warning level;
/// one row per unit and per item; compliance problems; overdue corrective actions. Totals are
/// summed by the database and equal the sums of the rows. A published period's report is the
/// one frozen at publication and reads back byte for byte the same. CSV, XLSX and DOCX are also
/// at `report.csv`, `report.xlsx` and `report.docx`; the DOCX (the 绩效监控报告 for the
/// leadership) is for finance, viewers and admins, and a reporter asking for it gets 403. The
/// JSON of a period not yet published is sent as it is written (chunked, without a
/// `Content-Length`).
///
/// `curl "$BM/api/v1/periods/$PERIOD/report?format=xlsx" -H "Authorization: Bearer $TOKEN" -o report.xlsx`
#[utoipa::path(
    tag = "periods",
    params(("id" = Uuid, Path), ReportQuery),
    responses(
        (status = 200, description = "The report: JSON by default; CSV (the item rows, UTF-8 with a BOM), XLSX or DOCX by `format` or `Accept`", content(
            (Report = "application/json"),
            (Vec<u8> = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        )),
        (status = 403, description = "A reporter asked for the DOCX.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such period.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/report")]
pub async fn get_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    q: web::Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    let format = format_of(&req, &q);
    report_in(&state, &user, *id, &q.filters(), format).await
}

/// The monitoring report's item rows as CSV (UTF-8 with a BOM, so that Excel shows the Chinese
/// text): the same as `report?format=csv`. A text that a spreadsheet would take for a formula
/// (one starting with `=`, `+`, `-` or `@`) starts with `'`, so that it shows as text.
///
/// `curl "$BM/api/v1/periods/$PERIOD/report.csv" -H "Authorization: Bearer $TOKEN" -o report.csv`
#[utoipa::path(
    tag = "periods",
    params(("id" = Uuid, Path), ReportFilters),
    responses(
        (status = 200, description = "The item rows as CSV", content_type = "text/csv", body = Vec<u8>),
        (status = 404, description = "No such period.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/report.csv")]
pub async fn get_report_csv(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    q: web::Query<ReportFilters>,
) -> ApiResult<HttpResponse> {
    report_in(&state, &user, *id, &q, ReportFormat::Csv).await
}

/// The monitoring report as an XLSX workbook (sheets 汇总, 单位, 项目, 合规性问题, 逾期纠偏措施;
/// money as numbers): the same as `report?format=xlsx`.
///
/// `curl "$BM/api/v1/periods/$PERIOD/report.xlsx" -H "Authorization: Bearer $TOKEN" -o report.xlsx`
#[utoipa::path(
    tag = "periods",
    params(("id" = Uuid, Path), ReportFilters),
    responses(
        (status = 200, description = "The report as XLSX", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 404, description = "No such period.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/report.xlsx")]
pub async fn get_report_xlsx(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    q: web::Query<ReportFilters>,
) -> ApiResult<HttpResponse> {
    report_in(&state, &user, *id, &q, ReportFormat::Xlsx).await
}

/// The monitoring report as a Word document: a draft of the 绩效监控报告 (Art. 11) in Chinese
/// for finance to edit and send to the leadership: the period and time progress; the forms;
/// budget, executed and execution rate against time progress by fund with the budgets not
/// reported; the items by light, each red one named with its warning reasons and their
/// figures; compliance problems; corrective actions open and overdue; the measures taken; a
/// table per unit. The same as `report?format=docx`; finance, viewers and admins only. It is
/// the whole period's report: the item-row filters of the other formats do not apply to it.
///
/// `curl "$BM/api/v1/periods/$PERIOD/report.docx" -H "Authorization: Bearer $TOKEN" -o report.docx`
#[utoipa::path(
    tag = "periods",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The report as DOCX (Word headings, paragraphs and tables; the same bytes for the same report)", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>),
        (status = 403, description = "A reporter: the document is for finance and the leadership.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such period.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}/report.docx")]
pub async fn get_report_docx(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    report_in(
        &state,
        &user,
        *id,
        &ReportFilters::default(),
        ReportFormat::Docx,
    )
    .await
}

/// A period's report in one format: the frozen one once published, else built now.
#[tracing::instrument(skip_all)]
async fn report_in(
    state: &AppState,
    user: &CurrentUser,
    id: Uuid,
    q: &ReportFilters,
    format: ReportFormat,
) -> ApiResult<HttpResponse> {
    let rows = RowFilter {
        unit_id: q.unit_id,
        kind: q.kind,
        warning: q.warning,
        sort: q.sort,
    };
    let whole = format == ReportFormat::Docx;
    let now = crate::persistence::now();
    let turn = report::turn().await;
    let started = std::time::Instant::now();
    let (p, read) = reports::read(&state.db, user, id, rows, whole, now, state.offset).await?;
    let file = format!("report-{}-{}", p.year, p.kind);
    let (frozen, answer) = match read {
        ReportRead::Frozen(frozen) => (true, frozen_answer(frozen, format, &file)?),
        ReportRead::Report(r) if format == ReportFormat::Json => {
            // Sent as it is written: a province's report is megabytes of text.
            drop(turn);
            return Ok(json_stream::streamed(r, move |bytes| {
                crate::metrics::report_answered("json", false, started.elapsed(), Some(bytes));
                crate::memory::give_back_free_memory();
            }));
        }
        ReportRead::Report(r) => {
            let answer = respond(&r, format, &file);
            drop(r);
            crate::memory::give_back_free_memory();
            (false, answer?)
        }
    };
    let bytes = match answer.body().size() {
        BodySize::Sized(n) => Some(n),
        _ => None,
    };
    crate::metrics::report_answered(format.as_str(), frozen, started.elapsed(), bytes);
    Ok(answer)
}

/// The frozen renderings of a published report, answered as stored.
fn frozen_answer(
    frozen: repo::PublishedReport,
    format: ReportFormat,
    file: &str,
) -> ApiResult<HttpResponse> {
    Ok(match format {
        ReportFormat::Json => HttpResponse::Ok()
            .content_type("application/json")
            .body(frozen.json),
        ReportFormat::Csv => bytes(
            frozen.csv,
            "text/csv; charset=utf-8",
            &format!("{file}.csv"),
        ),
        ReportFormat::Xlsx => bytes(frozen.xlsx, XLSX, &format!("{file}.xlsx")),
        // Published before the document was frozen too: rendered from the frozen
        // JSON, which gives the same bytes at every read.
        ReportFormat::Docx => match frozen.docx {
            Some(d) => bytes(d, DOCX, &format!("{file}.docx")),
            None => {
                let r = reports::thawed(&frozen)?;
                bytes(docx(&r)?, DOCX, &format!("{file}.docx"))
            }
        },
    })
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_report)
        .service(get_report_csv)
        .service(get_report_xlsx)
        .service(get_report_docx);
}
