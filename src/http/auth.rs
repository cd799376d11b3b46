//! `POST /auth/token` and `GET /me`.

use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::request_id::RequestContext;
use super::token_request::{OAuthError, TokenGrant};
use crate::app::auth;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::error::{ApiError, ApiResult};
use crate::persistence;
use crate::state::AppState;

/// Username and password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "admin", "password": "change me now please"}))]
pub struct TokenRequest {
    #[schema(max_length = 255)]
    pub username: String,
    #[schema(max_length = 1024)]
    pub password: String,
}

/// A bearer token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJIUzI1NiJ9...", "token_type": "Bearer", "expires_in": 28800}))]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: i64,
}

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "username": "zzb.reporter", "role": "reporter", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90"}))]
pub struct MeResponse {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub unit_id: Option<Uuid>,
}

/// Sign in: exchange a username and password, or an API client's id and secret, for a bearer token.
///
/// **People** send JSON `{"username", "password"}`. Throttling, counted in fixed 15-minute
/// windows (they start at :00, :15, :30 and :45): each attempt is counted before its password
/// is checked; once 5 attempts for one username from one client address, or 20 from one
/// address across usernames, have failed in the window, further attempts get 429 with
/// `Retry-After` (the seconds until the window ends), even with the right password. Other
/// addresses are not affected: the right password from another address still signs in. A
/// successful sign-in forgets its username's failures from its address. The first throttled
/// attempt of a window is audited (`auth.login_throttled`); later ones are only counted.
///
/// A token lives `expires_in` seconds (8 h by default) unless the account changes first: a new
/// password, role or unit, or deactivation ends every token issued to the user before it
/// (the next request with one gets 401 `invalid_token`); sign in again for a new one.
///
/// `curl -X POST $BM/api/v1/auth/token -H 'Content-Type: application/json' -d '{"username":"admin","password":"..."}'`
///
/// **API clients** (see `/clients`) use the OAuth 2.0 client credentials grant (RFC 6749 §4.4):
/// a form-encoded body with `grant_type=client_credentials`, and the client's id and secret in
/// HTTP Basic (preferred) or as `client_id` and `client_secret` in the form, not both. `scope`
/// and unknown parameters are ignored. The token lives 15 minutes by default (never past the
/// client's `expires_at`); there is no refresh token: ask for a new one. Wrong secrets are
/// throttled like passwords (the same windows and limits, counted per client id and address;
/// 429 `login_throttled`). Errors of this grant follow RFC 6749 §5.2: `application/json` with
/// `error` and `error_description` (and the usual problem members): 400 `invalid_request`
/// (`grant_type` missing, a parameter repeated, or the secret sent both ways), 400
/// `unsupported_grant_type` (a grant other than `client_credentials`), 401 `invalid_client`
/// with `WWW-Authenticate: Basic` (unknown client, wrong secret, disabled or expired client,
/// no credentials or no secret). Each token issued is audited as
/// `auth.client_token` by the client; each failure as `auth.client_token_failed` with its reason.
///
/// `curl -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials $BM/api/v1/auth/token`
#[utoipa::path(
    tag = "auth",
    // The client credentials form is described in words only: a second request content type
    // breaks the Python client that openapi-python-client generates (0.29).
    request_body(
        content = TokenRequest,
        description = "A person's sign-in. An API client sends instead a form-encoded (`application/x-www-form-urlencoded`) client credentials request: `grant_type=client_credentials`, and `client_id` and `client_secret` unless they come in HTTP Basic; see the operation's description.",
    ),
    responses(
        (status = 200, description = "A bearer token to send as `Authorization: Bearer <token>`", body = TokenResponse),
        (status = 400, description = "Malformed request: bad JSON or data after it, or a query parameter the operation does not take (problem+json); for client credentials, a missing or repeated parameter or another grant type (RFC 6749 §5.2, `application/json`).", content(
            (crate::error::Problem = "application/problem+json"),
            (OAuthError = "application/json", examples(
                ("invalid_request" = (summary = "A parameter is missing or repeated", value = json!({"error": "invalid_request", "error_description": "the token request needs the parameter grant_type", "type": "urn:budget-monitor:problem:invalid_request", "title": "The token request is incomplete", "status": 400, "detail": "the token request needs the parameter grant_type", "instance": "/api/v1/auth/token", "code": "invalid_request", "request_id": "5f0c6a8e-3c1b-4a53-9d0e-7d4c1b2a9f10"}))),
                ("unsupported_grant_type" = (summary = "Another grant than client_credentials", value = json!({"error": "unsupported_grant_type", "error_description": "a form-encoded token request takes grant_type=client_credentials only", "type": "urn:budget-monitor:problem:unsupported_grant_type", "title": "Unsupported grant type", "status": 400, "detail": "a form-encoded token request takes grant_type=client_credentials only", "instance": "/api/v1/auth/token", "code": "unsupported_grant_type", "request_id": "5f0c6a8e-3c1b-4a53-9d0e-7d4c1b2a9f10"}))),
            )),
        )),
        (status = 401, description = "Wrong username or password, or the account is deactivated (problem+json); for client credentials, an unknown client, a wrong secret, a disabled or expired client, or no credentials (`invalid_client`, `application/json`, with `WWW-Authenticate: Basic`).", content(
            (crate::error::Problem = "application/problem+json"),
            (OAuthError = "application/json"),
        )),
        (status = 415, description = "The body is neither `application/json` nor `application/x-www-form-urlencoded`", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins in this 15-minute window: 5 for this username (or client id) from this client address, or 20 from this address; wait `Retry-After` seconds (until the window ends).", body = crate::error::Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
    )
)]
#[post("/auth/token")]
#[tracing::instrument(skip_all)]
pub async fn create_token(
    state: web::Data<AppState>,
    ctx: RequestContext,
    grant: TokenGrant,
) -> ApiResult<HttpResponse> {
    let now = persistence::now();
    let req = match grant {
        TokenGrant::Password(req) => req,
        TokenGrant::ClientCredentials { client_id, secret } => {
            return client_token(&state, &ctx, &client_id, &secret, now).await;
        }
    };
    let user = auth::sign_in(&state.db, &ctx.origin(), &req.username, &req.password, now).await?;
    let token = state
        .tokens
        .issue(
            user.id,
            user.role,
            user.unit_id,
            user.token_version,
            now.timestamp(),
        )
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(TokenResponse {
            access_token: token,
            token_type: "Bearer".into(),
            expires_in: state.tokens.lifetime_secs,
        }))
}

/// A short-lived token for an API client whose credentials check out.
async fn client_token(
    state: &AppState,
    ctx: &RequestContext,
    client_id: &str,
    secret: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<HttpResponse> {
    let client = auth::sign_in_client(&state.db, &ctx.origin(), client_id, secret, now).await?;
    let mut keys = state.tokens.clone();
    keys.lifetime_secs = client.token_lifetime(now, state.client_token_secs);
    let token = keys
        .issue(
            client.id,
            client.role,
            client.unit_id,
            client.token_version,
            now.timestamp(),
        )
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    // RFC 6749 §5.1: a token answer is never cached.
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Pragma", "no-cache"))
        .json(TokenResponse {
            access_token: token,
            token_type: "Bearer".into(),
            expires_in: keys.lifetime_secs,
        }))
}

/// Who am I: the signed-in user's id, role and unit.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The signed-in user", body = MeResponse),
    ),
    security(("bearer" = []))
)]
#[get("/me")]
pub async fn get_me(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(MeResponse {
        id: user.id,
        username: user.username,
        role: user.role,
        unit_id: user.unit_id,
    })
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_token).service(get_me);
}
