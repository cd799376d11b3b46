//! `/submissions`: the filled forms 1–3 (DESIGN §3) and their review workflow. The wire types
//! are in [`dto`], the handlers in [`handlers`]; the use cases in `app::submissions`.

mod content;
pub mod dto;
mod handlers;
pub mod import;

use actix_web::http::header;
use actix_web::HttpResponse;
use sea_orm::DatabaseTransaction;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::pipeline::{Change, Write};
use crate::domain::submission::Submission;
use crate::error::ApiResult;
use crate::http::respond::reply;

pub use dto::SubmissionResponse;
pub use handlers::*;

/// Runs a write of one form through the pipeline (`authorize`, then `apply` with what it
/// found) and answers with the form as the API shows it.
pub(crate) async fn write_form<G>(
    write: Write<'_>,
    authorize: impl AsyncFnOnce(&DatabaseTransaction) -> ApiResult<G>,
    apply: impl AsyncFnOnce(&DatabaseTransaction, G) -> ApiResult<Change<Submission>>,
) -> ApiResult<HttpResponse> {
    let outcome = write
        .run(authorize, async |txn, found| {
            Ok(apply(txn, found).await?.map(SubmissionResponse::from))
        })
        .await?;
    Ok(reply(outcome))
}

/// A workbook offered as a download under `filename`.
pub(crate) fn xlsx_download(body: Vec<u8>, filename: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(super::upload::XLSX)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(body)
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
