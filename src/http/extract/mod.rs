//! Request extractors shared by every resource: strict JSON bodies, pages, `If-Match`,
//! `Idempotency-Key`, and the problem+json handlers for actix's own extractor errors.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{ApiError, ErrorCode};

mod headers;
mod page;

pub use headers::*;
pub use page::*;

/// Largest accepted request body.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// A JSON request body: `application/json` only, at most 1 MiB, unknown fields refused, and every
/// failure answered as problem+json naming the field.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let ct_ok = match req.mime_type() {
            Ok(Some(m)) => {
                m.type_() == "application"
                    && (m.subtype() == "json" || m.suffix().map(|s| s == "json").unwrap_or(false))
            }
            _ => false,
        };
        let declared_len = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if declared_len.is_some_and(|n| n > BODY_LIMIT) {
                return Err(too_large());
            }
            if !ct_ok {
                return Err(ApiError::new(
                    ErrorCode::UnsupportedMediaType,
                    "the request body must be JSON with Content-Type: application/json",
                ));
            }
            let body = bytes.await.map_err(|e| {
                if e.as_response_error().status_code() == 413 {
                    too_large()
                } else {
                    ApiError::new(
                        ErrorCode::MalformedJson,
                        "the request body could not be read",
                    )
                }
            })?;
            parse_json(&body).map(Json)
        })
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!("the request body must be at most {BODY_LIMIT} bytes"),
    )
}

/// Deserializes a JSON body, naming the offending field on failure. The body must be exactly
/// one JSON value (anything after it is malformed), and every string in it, at any depth,
/// follows the text rule of [`crate::domain::text`]: so no field can be forgotten.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    super::json_text::check(body)?;
    let de = &mut serde_json::Deserializer::from_slice(body);
    let result: Result<T, _> = serde_path_to_error::deserialize(de);
    let value = result.map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let msg = strip_position(&inner.to_string());
                let (field, code) = match named_field(&msg) {
                    Some((name, code)) => (join_path(&path, &name), code),
                    None => (
                        if path == "." {
                            "body".to_string()
                        } else {
                            path
                        },
                        "invalid",
                    ),
                };
                ApiError::field(&field, code, msg)
            }
            _ => ApiError::new(
                ErrorCode::MalformedJson,
                format!("malformed JSON: {}", inner),
            ),
        }
    })?;
    Ok(value)
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// "unknown field `x`, ..." and "missing field `x`" name a child of the current path.
fn named_field(msg: &str) -> Option<(String, &'static str)> {
    for (prefix, code) in [
        ("unknown field `", "unknown_field"),
        ("missing field `", "required"),
    ] {
        if let Some(rest) = msg.strip_prefix(prefix) {
            return rest.split('`').next().map(|n| (n.to_string(), code));
        }
    }
    None
}

fn join_path(path: &str, name: &str) -> String {
    if path == name || path.ends_with(&format!(".{name}")) {
        path.to_string()
    } else if path == "." || path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// Problem+json for a path parameter that does not parse (e.g. a malformed UUID).
pub fn path_error(err: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    ApiError::new(
        ErrorCode::InvalidPathParameter,
        format!("invalid path parameter: {err}"),
    )
    .into()
}

/// Problem+json for a query string that does not parse.
pub fn query_error(err: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::new(
        ErrorCode::InvalidQueryParameter,
        format!("invalid query string: {err}"),
    )
    .into()
}

/// For PATCH fields where `null` means "clear": absent → `None`, `null` → `Some(None)`.
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// A JSON body that may be left out entirely (an empty body or `null` reads as `None`).
pub struct OptionalJson<T>(pub Option<T>);

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let ct_ok = matches!(req.mime_type(), Ok(Some(m)) if m.type_() == "application" && (m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json")));
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = bytes.await.map_err(|e| {
                if e.as_response_error().status_code() == 413 {
                    too_large()
                } else {
                    ApiError::new(
                        ErrorCode::MalformedJson,
                        "the request body could not be read",
                    )
                }
            })?;
            if body.iter().all(|b| b.is_ascii_whitespace()) {
                return Ok(OptionalJson(None));
            }
            if !ct_ok {
                return Err(ApiError::new(
                    ErrorCode::UnsupportedMediaType,
                    "the request body must be JSON with Content-Type: application/json",
                ));
            }
            parse_json::<Option<T>>(&body).map(OptionalJson)
        })
    }
}

/// The body of an operation that takes none (an action such as submit, a delete): nothing,
/// `{}` or `null`. A body with any field is refused as an unknown field (422), one that is not
/// JSON as any other body is (415, 400), one over 1 MiB with 413.
pub type NoBody = OptionalJson<NoFields>;

/// An object without fields: what [`NoBody`] takes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoFields {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        fiscal: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        budget: Inner,
    }

    fn field_of(body: &str) -> (ErrorCode, Option<String>) {
        match parse_json::<Outer>(body.as_bytes()) {
            Ok(_) => panic!("accepted {body}"),
            Err(ApiError::Client { code, errors, .. }) => {
                (code, errors.first().map(|e| e.field.clone()))
            }
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn body_errors_name_the_field() {
        for (body, code, field) in [
            ("{", ErrorCode::MalformedJson, None),
            (
                r#"{"name":"a","budget":{"fiscal":"1"}} x"#,
                ErrorCode::MalformedJson,
                None,
            ),
            (
                r#"{"name":"a","budget":{"fiscal":"1"}}{}"#,
                ErrorCode::MalformedJson,
                None,
            ),
            ("", ErrorCode::MalformedJson, None),
            (
                r#"{"name":"a","budget":{"fiscal":"1"},"x":1}"#,
                ErrorCode::ValidationFailed,
                Some("x"),
            ),
            (
                r#"{"name":"a","budget":{"fiscal":"1","y":2}}"#,
                ErrorCode::ValidationFailed,
                Some("budget.y"),
            ),
            (
                r#"{"name":"a","budget":{"fiscal":5}}"#,
                ErrorCode::ValidationFailed,
                Some("budget.fiscal"),
            ),
            (
                r#"{"name":"a"}"#,
                ErrorCode::ValidationFailed,
                Some("budget"),
            ),
            ("[]", ErrorCode::ValidationFailed, Some("body")),
        ] {
            assert_eq!(field_of(body), (code, field.map(String::from)), "{body}");
        }
    }

    #[test]
    fn if_match_rules() {
        assert_eq!(
            IfMatch::new(None).check(1).unwrap_err().code(),
            ErrorCode::PreconditionRequired
        );
        assert_eq!(
            IfMatch::new(Some("\"2\"".into()))
                .check(1)
                .unwrap_err()
                .code(),
            ErrorCode::PreconditionFailed
        );
        assert!(IfMatch::new(Some("\"1\"".into())).check(1).is_ok());
        assert!(IfMatch::new(Some("\"0\", \"1\"".into())).check(1).is_ok());
        assert!(IfMatch::new(Some("*".into())).check(7).is_ok());
    }
}
