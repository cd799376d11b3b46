//! The example body of each problem code: what the service writes for it on an operation of
//! a given shape, with sample ids in place of the path's parameters.

use serde_json::{json, Value};

use super::Shape;
use crate::error::ErrorCode;

const REQUEST_ID: &str = "5f0c6a8e-3c1b-4a53-9d0e-7d4c1b2a9f10";
const SAMPLE_ID: &str = "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90";

/// A problem body as the service writes it for `code` on this operation.
pub(super) fn example(
    shape: &Shape,
    code: ErrorCode,
    description: &str,
    field: Option<&str>,
) -> Value {
    let (detail, error) = detail(shape, code, description, field);
    let mut p = json!({
        "type": format!("urn:budget-monitor:problem:{}", code.as_str()),
        "title": code.title(),
        "status": code.status().as_u16(),
        "detail": detail,
        "instance": instance(&shape.path),
        "code": code.as_str(),
        "request_id": REQUEST_ID,
    });
    if let Some(e) = error {
        p["errors"] = json!([e]);
    }
    p
}

/// The `detail` the service writes for `code` on this operation, and the field error it
/// names, if any: a table by code.
fn detail(
    shape: &Shape,
    code: ErrorCode,
    description: &str,
    field: Option<&str>,
) -> (String, Option<Value>) {
    let text = match code {
        ErrorCode::ValidationFailed => return validation_failed(shape, field),
        ErrorCode::MalformedJson => {
            "malformed JSON: EOF while parsing an object at line 1 column 1".into()
        }
        ErrorCode::UnsupportedMediaType if shape.workbook => {
            "send the workbook as multipart/form-data (field `file`) or as the body with Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into()
        }
        ErrorCode::UnsupportedMediaType => {
            "the request body must be JSON with Content-Type: application/json".into()
        }
        ErrorCode::PayloadTooLarge if shape.workbook => {
            "the workbook must be at most 5242880 bytes (5 MiB)".into()
        }
        ErrorCode::PayloadTooLarge => "the request body must be at most 1048576 bytes".into(),
        ErrorCode::NotXlsx => {
            "the file is not an XLSX workbook (an .xlsx file is a ZIP package starting with PK)"
                .into()
        }
        ErrorCode::WorkbookEncrypted => {
            "the workbook is protected with a password (encrypted); remove the password and upload it again".into()
        }
        ErrorCode::WorkbookDamaged => {
            "the workbook is damaged and cannot be read (its ZIP package is broken: invalid Zip archive: Could not find EOCD); save it again and upload it again".into()
        }
        ErrorCode::NotAFormTemplate => {
            "this workbook is not a form template of budget-monitor; download one from GET /api/v1/items/{id}/form-template.xlsx".into()
        }
        ErrorCode::CursorExpired => {
            "events after 42 were deleted by the retention; read again without `after` to start from the oldest event kept".into()
        }
        ErrorCode::InvalidPathParameter => {
            "invalid path parameter: UUID parsing failed: invalid length: expected length 32 for simple format, found 3".into()
        }
        ErrorCode::InvalidQueryParameter if shape.query => {
            "invalid query string: Query deserialize error: invalid digit found in string".into()
        }
        ErrorCode::InvalidQueryParameter => return unknown_query_parameter(),
        ErrorCode::InvalidHeader if shape.idempotent => {
            "Idempotency-Key must be 1 to 255 visible ASCII characters".into()
        }
        ErrorCode::InvalidHeader => "If-Match is not valid".into(),
        // Outside the API only `/metrics` takes a token: its own.
        ErrorCode::MissingToken if !shape.api => crate::http::metrics::TOKEN_MISSING.into(),
        ErrorCode::InvalidToken if !shape.api => crate::http::metrics::TOKEN_WRONG.into(),
        ErrorCode::MissingToken => {
            "send Authorization: Bearer <token> from POST /api/v1/auth/token".into()
        }
        ErrorCode::InvalidToken => "the bearer token is not valid or has expired".into(),
        ErrorCode::InvalidCredentials => "wrong username or password".into(),
        ErrorCode::Forbidden => match description.split_once("Needs the role ") {
            Some((_, roles)) => format!("this action needs the role {}", roles.trim_end_matches('.')),
            None => "this action needs another role".into(),
        },
        ErrorCode::NotFound => format!("{} not found", resource(&shape.path, description)),
        ErrorCode::Conflict
        | ErrorCode::InvalidTransition
        | ErrorCode::AlreadyExists
        | ErrorCode::Locked
        | ErrorCode::PeriodNotOpen => description.to_lowercase(),
        ErrorCode::PreconditionFailed => {
            "the resource is now at version \"4\"; read it again".into()
        }
        ErrorCode::PreconditionRequired => "send the ETag from your last read as If-Match".into(),
        ErrorCode::IdempotencyKeyReused => {
            "this Idempotency-Key was used for a different request; use a new key".into()
        }
        ErrorCode::IdempotencyKeyInFlight => {
            "another request with this Idempotency-Key was processed at the same time".into()
        }
        ErrorCode::LoginThrottled => "too many failed logins; try again in 900 s".into(),
        ErrorCode::InvalidClient => crate::app::auth::CLIENT_FAILED.into(),
        ErrorCode::InvalidRequest => "the token request needs the parameter grant_type".into(),
        ErrorCode::UnsupportedGrantType => {
            "a form-encoded token request takes grant_type=client_credentials only".into()
        }
        ErrorCode::DatabaseUnavailable => {
            format!("the database is unavailable; try again (request id {REQUEST_ID})")
        }
        ErrorCode::RouteNotFound if !shape.api => format!("no route GET {}", shape.path),
        ErrorCode::InternalError | ErrorCode::RouteNotFound | ErrorCode::MethodNotAllowed => {
            format!("internal error (request id {REQUEST_ID})")
        }
    };
    (text, None)
}

/// A validation failure on the operation's first required body field, else on `per_page` of a
/// paged list, else on its first query parameter.
fn validation_failed(shape: &Shape, field: Option<&str>) -> (String, Option<Value>) {
    let (f, c, m) = match (field, &shape.first_query) {
        (Some(f), _) => (f.to_string(), "required", format!("missing field `{f}`")),
        (None, None) if shape.bodiless => (
            "reason".to_string(),
            "unknown_field",
            "unknown field `reason`, there are no fields".to_string(),
        ),
        (None, _) if shape.paged => (
            "per_page".to_string(),
            "out_of_range",
            "must be between 1 and 200".to_string(),
        ),
        (None, q) => (
            q.clone().unwrap_or_else(|| "body".into()),
            "control_character",
            "must not contain control characters other than tab, CR and LF (found U+0000)"
                .to_string(),
        ),
    };
    let error = json!({ "field": f, "code": c, "message": m });
    (format!("{f}: {m}"), Some(error))
}

/// A query parameter sent to an operation that takes none.
fn unknown_query_parameter() -> (String, Option<Value>) {
    let takes = "this operation takes no query parameters";
    let error = json!({ "field": "bogus", "code": "unknown_parameter", "message": takes });
    (
        format!("unknown query parameter: bogus; {takes}"),
        Some(error),
    )
}

/// The path with sample ids in place of its parameters.
fn instance(path: &str) -> String {
    path.split('/')
        .map(|s| if s.starts_with('{') { SAMPLE_ID } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// What a 404 of this operation is about: the object its path names, or the one its
/// description names ("Unit not found …").
fn resource(path: &str, description: &str) -> String {
    let segs: Vec<&str> = path.split('/').collect();
    let named = segs
        .iter()
        .rposition(|s| s.starts_with('{'))
        .and_then(|i| i.checked_sub(1))
        .map(|i| segs[i]);
    match named {
        Some(collection) => singular(collection),
        None => description
            .split(" not found")
            .next()
            .unwrap_or("object")
            .to_lowercase(),
    }
}

fn singular(collection: &str) -> String {
    collection
        .trim_end_matches('s')
        .replace('-', " ")
        .to_string()
}
