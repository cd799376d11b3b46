//! What `POST /auth/token` reads: a JSON sign-in (username and password), or an OAuth 2.0
//! client-credentials request (RFC 6749 §4.4) sent form-encoded, with the client's id and
//! secret in HTTP Basic (§2.3.1) or in the form.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use serde::Serialize;
use utoipa::ToSchema;

use super::auth::TokenRequest;
use super::extract::{Json, BODY_LIMIT};
use crate::error::{ApiError, ErrorCode};

/// The grant a token request asks for.
pub enum TokenGrant {
    /// A person's sign-in, read exactly as it always was (JSON, strict).
    Password(TokenRequest),
    /// An API client's credentials.
    ClientCredentials { client_id: String, secret: String },
}

/// RFC 6749 §5.2's error codes.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OAuthErrorKind {
    InvalidRequest,
    InvalidClient,
    UnsupportedGrantType,
}

/// An error of the client-credentials grant (RFC 6749 §5.2), as `application/json`: `error`
/// and `error_description` for OAuth libraries, and beside them the members every problem of
/// the service has (`code` is the same as `error`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "error": "invalid_client", "error_description": "client authentication failed: unknown client or wrong secret",
    "type": "urn:budget-monitor:problem:invalid_client", "title": "Client authentication failed", "status": 401,
    "detail": "client authentication failed: unknown client or wrong secret", "instance": "/api/v1/auth/token",
    "code": "invalid_client", "request_id": "5f0c6a8e-3c1b-4a53-9d0e-7d4c1b2a9f10"
}))]
pub struct OAuthError {
    /// Always in an answer to client credentials. (Left optional in the schema so that a
    /// client generated from it also reads the problem+json a wrong password gets.)
    pub error: Option<OAuthErrorKind>,
    /// Always in an answer to client credentials: the same as `detail`.
    pub error_description: Option<String>,
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub instance: String,
    pub code: ErrorCode,
    pub request_id: String,
}

fn invalid_request(detail: impl Into<String>) -> ApiError {
    ApiError::new(ErrorCode::InvalidRequest, detail)
}

fn invalid_client(detail: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidClient, detail)
}

/// Whether the request carries `Authorization: Basic …`, and its value.
fn basic_header(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("basic")
        .then(|| rest.trim().to_string())
}

/// The client id and secret of HTTP Basic: base64 of `id:secret`, each part form-encoded
/// first (RFC 6749 §2.3.1; ids and secrets of this service need no encoding).
fn basic_credentials(value: &str) -> Result<(String, String), ApiError> {
    let lenient = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let bad =
        || invalid_client("Authorization: Basic must carry base64 of client_id:client_secret");
    let bytes = lenient.decode(value).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (id, secret) = text.split_once(':').ok_or_else(bad)?;
    Ok((form_decode(id), form_decode(secret)))
}

/// One value decoded as `application/x-www-form-urlencoded` (`+` is a space).
fn form_decode(s: &str) -> String {
    form_urlencoded::parse(format!("v={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The parameter `name` of the form, at most once.
fn param(params: &[(String, String)], name: &str) -> Result<Option<String>, ApiError> {
    let mut found = params.iter().filter(|(k, _)| k == name);
    let first = found.next().map(|(_, v)| v.clone());
    if found.next().is_some() {
        return Err(invalid_request(format!("the parameter {name} is repeated")));
    }
    Ok(first)
}

/// Reads a client-credentials request from its form body and `Authorization` header.
pub fn client_credentials(body: &[u8], basic: Option<&str>) -> Result<TokenGrant, ApiError> {
    let params: Vec<(String, String)> = form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let grant_type = param(&params, "grant_type")?
        .ok_or_else(|| invalid_request("the token request needs the parameter grant_type"))?;
    let (form_id, form_secret) = (
        param(&params, "client_id")?,
        param(&params, "client_secret")?,
    );
    param(&params, "scope")?;
    if grant_type != "client_credentials" {
        return Err(ApiError::new(
            ErrorCode::UnsupportedGrantType,
            "a form-encoded token request takes grant_type=client_credentials only; people sign in with JSON {\"username\", \"password\"}",
        ));
    }
    let (client_id, secret) = match (basic, form_id, form_secret) {
        (Some(_), _, Some(_)) => {
            return Err(invalid_request(
                "send the client's secret one way: in HTTP Basic or as client_secret, not both",
            ))
        }
        (Some(b), form_id, None) => {
            let (id, secret) = basic_credentials(b)?;
            if form_id.is_some_and(|f| f != id) {
                return Err(invalid_request(
                    "client_id differs from the id in HTTP Basic",
                ));
            }
            (id, secret)
        }
        (None, Some(id), Some(secret)) => (id, secret),
        (None, Some(_), None) => {
            return Err(invalid_client(
                "the client's secret is missing: send it with HTTP Basic or as client_secret",
            ))
        }
        (None, None, _) => return Err(invalid_client(
            "send the client's id and secret with HTTP Basic, or as client_id and client_secret",
        )),
    };
    Ok(TokenGrant::ClientCredentials { client_id, secret })
}

impl FromRequest for TokenGrant {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let form = matches!(req.mime_type(), Ok(Some(m)) if m.type_() == "application" && m.subtype() == "x-www-form-urlencoded");
        let untyped = !req.headers().contains_key(header::CONTENT_TYPE);
        let basic = basic_header(req);
        if !(form || (untyped && basic.is_some())) {
            let json = Json::<TokenRequest>::from_request(req, payload);
            return Box::pin(async move { Ok(TokenGrant::Password(json.await?.0)) });
        }
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let body = bytes.await.map_err(|e| {
                if e.as_response_error().status_code() == 413 {
                    ApiError::new(
                        ErrorCode::PayloadTooLarge,
                        format!("the request body must be at most {BODY_LIMIT} bytes"),
                    )
                } else {
                    invalid_request("the request body could not be read")
                }
            })?;
            client_credentials(&body, basic.as_deref())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(body: &str, basic: Option<&str>) -> Result<(String, String), &'static str> {
        match client_credentials(body.as_bytes(), basic) {
            Ok(TokenGrant::ClientCredentials { client_id, secret }) => Ok((client_id, secret)),
            Ok(TokenGrant::Password(_)) => Err("password"),
            Err(e) => Err(e.code().as_str()),
        }
    }

    #[test]
    fn client_credentials_come_from_basic_or_the_form_and_one_way_only() {
        // base64("id-1:s%2Bcret") = aWQtMTpzJTJCY3JldA==
        let basic = Some("aWQtMTpzJTJCY3JldA==");
        let ok = |id: &str, s: &str| Ok((id.to_string(), s.to_string()));
        for (body, basic, expected) in [
            ("grant_type=client_credentials", basic, ok("id-1", "s+cret")),
            (
                "grant_type=client_credentials",
                Some("aWQtMTpzJTJCY3JldA"),
                ok("id-1", "s+cret"),
            ),
            (
                "grant_type=client_credentials&client_id=id-1",
                basic,
                ok("id-1", "s+cret"),
            ),
            (
                "grant_type=client_credentials&client_id=a&client_secret=b",
                None,
                ok("a", "b"),
            ),
            (
                "grant_type=client_credentials&client_id=a&client_secret=b&scope=x&foo=1",
                None,
                ok("a", "b"),
            ),
            (
                "grant_type=client_credentials&client_id=a&client_secret=b",
                basic,
                Err("invalid_request"),
            ),
            (
                "grant_type=client_credentials&client_id=other",
                basic,
                Err("invalid_request"),
            ),
            (
                "grant_type=client_credentials&client_id=a",
                None,
                Err("invalid_client"),
            ),
            ("grant_type=client_credentials", None, Err("invalid_client")),
            (
                "grant_type=client_credentials",
                Some("not base64!"),
                Err("invalid_client"),
            ),
            (
                "grant_type=client_credentials",
                Some("bm9jb2xvbg=="),
                Err("invalid_client"),
            ),
            ("client_id=a&client_secret=b", None, Err("invalid_request")),
            ("", basic, Err("invalid_request")),
            (
                "grant_type=client_credentials&grant_type=client_credentials",
                basic,
                Err("invalid_request"),
            ),
            (
                "grant_type=client_credentials&client_id=a&client_id=a&client_secret=b",
                None,
                Err("invalid_request"),
            ),
            (
                "grant_type=password&username=a&password=b",
                None,
                Err("unsupported_grant_type"),
            ),
            (
                "grant_type=authorization_code",
                basic,
                Err("unsupported_grant_type"),
            ),
        ] {
            assert_eq!(grant(body, basic), expected, "{body} {basic:?}");
        }
    }
}
