//! `POST /auth/token` and `GET /me`.

use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::Json;
use super::request_id::RequestContext;
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

/// Sign in: exchange a username and password for a bearer token.
///
/// Throttling, counted in fixed 15-minute windows (they start at :00, :15, :30 and :45): each
/// attempt is counted before its password is checked; once 5 attempts for one username from one
/// client address, or 20 from one address across usernames, have failed in the window, further
/// attempts get 429 with `Retry-After` (the seconds until the window ends), even with the right
/// password. Other addresses are not affected: the right password from another address still
/// signs in. A successful sign-in forgets its username's failures from its address. The first
/// throttled attempt of a window is audited (`auth.login_throttled`); later ones are only counted.
///
/// A token lives `expires_in` seconds (8 h by default) unless the account changes first: a new
/// password, role or unit, or deactivation ends every token issued to the user before it
/// (the next request with one gets 401 `invalid_token`); sign in again for a new one.
///
/// `curl -X POST $BM/api/v1/auth/token -H 'Content-Type: application/json' -d '{"username":"admin","password":"..."}'`
#[utoipa::path(
    tag = "auth",
    request_body = TokenRequest,
    responses(
        (status = 200, description = "A bearer token to send as `Authorization: Bearer <token>`", body = TokenResponse),
        (status = 401, description = "Wrong username or password, or the account is deactivated.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed sign-ins in this 15-minute window: 5 for this username from this client address, or 20 from this address; wait `Retry-After` seconds (until the window ends).", body = crate::error::Problem, content_type = "application/problem+json", headers(("Retry-After" = u64))),
    )
)]
#[post("/auth/token")]
#[tracing::instrument(skip_all)]
pub async fn create_token(
    state: web::Data<AppState>,
    ctx: RequestContext,
    body: Json<TokenRequest>,
) -> ApiResult<HttpResponse> {
    let now = persistence::now();
    let req = body.0;
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
