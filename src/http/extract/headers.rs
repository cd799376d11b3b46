//! The precondition and retry headers of writes: `If-Match` and `Idempotency-Key`.

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};
use utoipa::IntoParams;

use crate::error::{ApiError, ErrorCode};

/// The strong entity tag of a resource version.
pub use crate::app::precondition::etag;

pub use crate::app::precondition::IfMatch;

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let v = req
            .headers()
            .get(header::IF_MATCH)
            .map(|h| h.to_str().map(|s| s.to_string()));
        std::future::ready(match v {
            None => Ok(IfMatch::new(None)),
            Some(Ok(s)) => Ok(IfMatch::new(Some(s))),
            Some(Err(_)) => Err(ApiError::new(
                ErrorCode::InvalidHeader,
                "If-Match is not valid",
            )),
        })
    }
}

/// How the `Idempotency-Key` header is documented.
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)]
pub struct IdempotencyKeyHeader {
    /// Retry-safe key (1–255 visible ASCII characters): a repeat with the same key and body
    /// returns the first response and creates nothing; the same key with another body gets 422.
    #[param(
        rename = "Idempotency-Key",
        min_length = 1,
        max_length = 255,
        pattern = "^[!-~]{1,255}$"
    )]
    idempotency_key: Option<String>,
}

/// The optional `Idempotency-Key` of a creating POST.
#[derive(Debug, Clone)]
pub struct IdempotencyKey(pub Option<String>);

impl FromRequest for IdempotencyKey {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let res = match req.headers().get("idempotency-key") {
            None => Ok(IdempotencyKey(None)),
            Some(v) => match v.to_str() {
                Ok(s)
                    if !s.is_empty()
                        && s.len() <= 255
                        && s.bytes().all(|b| b.is_ascii_graphic()) =>
                {
                    Ok(IdempotencyKey(Some(s.to_string())))
                }
                _ => Err(ApiError::new(
                    ErrorCode::InvalidHeader,
                    "Idempotency-Key must be 1 to 255 visible ASCII characters",
                )),
            },
        };
        std::future::ready(res)
    }
}
