//! An uploaded file: `multipart/form-data` with one field `file`, or the file itself as the
//! body with its media type. It has a limit of its own, above the 1 MiB of JSON bodies.

use actix_web::http::header;
use actix_web::{web, HttpRequest};
use futures_util::StreamExt;

use crate::error::{ApiError, ApiResult, ErrorCode};

/// The largest workbook an import takes: 5 MiB.
pub const WORKBOOK_LIMIT: usize = 5 * 1024 * 1024;
/// Room for the multipart framing around the file.
const MULTIPART_OVERHEAD: usize = 64 * 1024;
/// How much of an oversized body is read and dropped before answering 413, so that the client
/// (which is still sending) reads the answer instead of a reset connection.
const DRAIN_LIMIT: usize = 64 * 1024 * 1024;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn too_large() -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!("the workbook must be at most {WORKBOOK_LIMIT} bytes (5 MiB)"),
    )
}

fn wrong_media_type() -> ApiError {
    ApiError::new(
        ErrorCode::UnsupportedMediaType,
        format!(
            "send the workbook as multipart/form-data (field `file`) or as the body with Content-Type: {XLSX}"
        ),
    )
}

/// A transfer or multipart framing that breaks off: 400, whatever the file.
fn broken(e: impl std::fmt::Display) -> ApiError {
    ApiError::new(
        ErrorCode::WorkbookDamaged,
        format!("the upload could not be read: {e}"),
    )
}

/// Reads a stream into memory up to `limit` bytes; past it, drains what follows (up to
/// [`DRAIN_LIMIT`]) and answers 413.
async fn collect<S, B, E>(mut stream: S, limit: usize) -> ApiResult<Vec<u8>>
where
    S: futures_util::Stream<Item = Result<B, E>> + Unpin,
    B: AsRef<[u8]>,
    E: std::fmt::Display,
{
    let mut out = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(broken)?;
        let chunk = chunk.as_ref();
        seen = seen.saturating_add(chunk.len());
        if seen > limit {
            if seen > DRAIN_LIMIT {
                break;
            }
            continue;
        }
        out.extend_from_slice(chunk);
    }
    if seen > limit {
        return Err(too_large());
    }
    Ok(out)
}

/// The uploaded workbook's bytes.
pub async fn workbook(req: &HttpRequest, payload: web::Payload) -> ApiResult<Vec<u8>> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let media = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let multipart = media == "multipart/form-data";
    if !multipart && media != XLSX && media != "application/octet-stream" {
        return Err(wrong_media_type());
    }
    if declared.is_some_and(|n| n > DRAIN_LIMIT) {
        return Err(too_large());
    }
    if !multipart {
        return collect(payload, WORKBOOK_LIMIT).await;
    }
    let mut form = actix_multipart::Multipart::new(req.headers(), payload);
    let (mut file, mut unknown, mut total) = (None, vec![], 0usize);
    while let Some(field) = form.next().await {
        let field = field.map_err(broken)?;
        let name = field.name().unwrap_or("").to_string();
        let bytes = collect(field, WORKBOOK_LIMIT).await?;
        total += bytes.len();
        if total > WORKBOOK_LIMIT + MULTIPART_OVERHEAD {
            return Err(too_large());
        }
        if name == "file" && file.is_none() {
            file = Some(bytes);
        } else {
            unknown.push(name);
        }
    }
    if let Some(name) = unknown.first() {
        return Err(ApiError::field(
            name,
            "unknown_field",
            "the form takes one field, `file`",
        ));
    }
    file.ok_or_else(|| {
        ApiError::field(
            "file",
            "required",
            "attach the workbook as the field `file`",
        )
    })
}
