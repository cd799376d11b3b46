//! `/users`: accounts, managed by the administrator only.

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{IfMatch, Json, PageParams, Paginated};
use super::respond::{reply, with_etag, Resource, Writer};
use crate::app::users::{self, AccountChanges, UserInput};
use crate::auth::CurrentUser;
use crate::domain::account::{Role, User};
use crate::error::ApiResult;
use crate::persistence::users::{self as repo, UserFilter};
use crate::state::AppState;

/// A user account. The password hash is never shown.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "username": "zzb.reporter", "role": "reporter",
    "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "active": true, "version": 1,
    "created_at": "2026-01-05T09:00:00Z", "updated_at": "2026-01-05T09:00:00Z"
}))]
pub struct UserResponse {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    /// The unit of a reporter (optional for other roles).
    pub unit_id: Option<Uuid>,
    /// An inactive user cannot sign in and its tokens stop working.
    pub active: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserResponse {
    fn from(u: User) -> Self {
        UserResponse {
            id: u.id,
            username: u.username,
            role: u.role,
            unit_id: u.unit_id,
            active: u.active,
            version: u.version,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

/// A new account.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"username": "zzb.reporter", "password": "a long secret 2026", "role": "reporter", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90"}))]
pub struct CreateUserRequest {
    /// 3–64 letters, digits, `.`, `_`, `-`.
    #[schema(min_length = 3, max_length = 64, pattern = "^[A-Za-z0-9._-]{3,64}$")]
    pub username: String,
    /// 10–128 characters.
    #[schema(min_length = 10, max_length = 128)]
    pub password: String,
    pub role: Role,
    /// Required for a reporter.
    #[serde(default)]
    pub unit_id: Option<Uuid>,
}

/// Changes to an account; absent fields stay, `unit_id: null` detaches the unit.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct UpdateUserRequest {
    pub role: Option<Role>,
    #[serde(default, deserialize_with = "super::extract::double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub unit_id: Option<Option<Uuid>>,
    pub active: Option<bool>,
}

/// A new password set by the administrator.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"password": "another long secret"}))]
pub struct ResetPasswordRequest {
    #[schema(min_length = 10, max_length = 128)]
    pub password: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    pub role: Option<Role>,
    pub unit_id: Option<Uuid>,
    pub active: Option<bool>,
}

impl Resource for UserResponse {
    fn location(&self) -> String {
        format!("/api/v1/users/{}", self.id)
    }
    fn version(&self) -> Option<i32> {
        Some(self.version)
    }
}

impl From<UpdateUserRequest> for AccountChanges {
    fn from(r: UpdateUserRequest) -> Self {
        AccountChanges {
            role: r.role,
            unit_id: r.unit_id,
            active: r.active,
        }
    }
}

/// Create a user (admin).
#[utoipa::path(
    tag = "users",
    request_body = CreateUserRequest,
    params(crate::http::extract::IdempotencyKeyHeader),
    responses(
        (status = 201, description = "The new account", body = UserResponse, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "This username is taken.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_user(w: Writer, body: Json<CreateUserRequest>) -> ApiResult<HttpResponse> {
    let req = body.0;
    let outcome = w
        .idempotent(&req)
        .run(
            async |_| users::authorize(&w.user),
            async |txn, ()| {
                let input = UserInput {
                    username: req.username.clone(),
                    role: req.role,
                    unit_id: req.unit_id,
                };
                let change = users::create(txn, input, &req.password).await?;
                Ok(change.map(UserResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
}

/// List users (admin), ordered by username.
///
/// People only: API clients are listed at `/clients`.
#[utoipa::path(
    tag = "users",
    params(PageParams, UserListQuery),
    responses(
        (status = 200, description = "One page of accounts", body = Paginated<UserResponse>),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_users(
    state: web::Data<AppState>,
    user: CurrentUser,
    page: web::Query<PageParams>,
    q: web::Query<UserListQuery>,
) -> ApiResult<HttpResponse> {
    users::authorize(&user)?;
    let page = page.check()?;
    let f = UserFilter {
        role: q.role,
        unit_id: q.unit_id,
        active: q.active,
    };
    let (rows, total) = repo::list(&state.db, &f, page.offset(), page.per_page).await?;
    let items = rows.into_iter().map(UserResponse::from).collect();
    Ok(HttpResponse::Ok().json(Paginated::new(items, total, page)))
}

/// Read one user (admin).
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The account", body = UserResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    users::authorize(&user)?;
    let u = users::get(&state.db, *id).await?;
    Ok(with_etag(StatusCode::OK, &UserResponse::from(u)))
}

/// Change a user's role, unit or active flag (admin); needs `If-Match`.
///
/// A change of the role, the unit or the active flag ends every token issued to the user before
/// it: the next request with one gets 401 `invalid_token`, and the user signs in again (also
/// after being reactivated). Sending the values the user already has changes nothing and keeps
/// its tokens.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag from your last read")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, description = "The changed account", body = UserResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The resource changed since your read: the `If-Match` is stale; nothing was changed.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_user(
    w: Writer,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<UpdateUserRequest>,
) -> ApiResult<HttpResponse> {
    let outcome = w
        .write()
        .run(
            async |_| users::authorize(&w.user),
            async |txn, ()| {
                let change = users::update(txn, &w.user, *id, &if_match, body.0.into()).await?;
                Ok(change.map(UserResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
}

/// Set a new password for a user (admin).
///
/// Ends every token issued to the user before (the next request with one gets 401
/// `invalid_token`), the caller's own when it resets its own password.
#[utoipa::path(
    tag = "users",
    params(("id" = Uuid, Path)),
    request_body = ResetPasswordRequest,
    responses(
        (status = 200, description = "The account; the new password works at once and the user's earlier tokens no longer do", body = UserResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/password")]
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    w: Writer,
    id: web::Path<Uuid>,
    body: Json<ResetPasswordRequest>,
) -> ApiResult<HttpResponse> {
    let outcome = w
        .write()
        .run(
            async |_| users::authorize(&w.user),
            async |txn, ()| {
                let change = users::set_password(txn, *id, &body.password).await?;
                Ok(change.map(UserResponse::from))
            },
        )
        .await?;
    Ok(reply(outcome))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_user)
        .service(list_users)
        .service(get_user)
        .service(update_user)
        .service(reset_password);
}
