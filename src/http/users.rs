//! `/users`: accounts, managed by the administrator only.

use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{etag, IdempotencyKey, IfMatch, Json, PageParams, Paginated};
use super::request_id::RequestContext;
use super::Idempotent;
use crate::auth::{password, CurrentUser};
use crate::domain::account::{self, Role, User};
use crate::domain::Violations;
use crate::error::{ApiError, ApiResult};
use crate::persistence::audit::{self, Entry};
use crate::persistence::users::{self as repo, NewUser, UserChanges, UserFilter};
use crate::persistence::{self, units};
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

fn with_etag(status: StatusCode, u: &UserResponse) -> HttpResponse {
    let mut b = HttpResponse::build(status);
    b.insert_header((header::ETAG, etag(u.version)));
    if status == StatusCode::CREATED {
        b.insert_header((header::LOCATION, format!("/api/v1/users/{}", u.id)));
    }
    b.json(u)
}

async fn check_unit(
    db: &impl ConnectionTrait,
    v: &mut Violations,
    role: Role,
    unit_id: Option<Uuid>,
) -> ApiResult<()> {
    account::check_role_unit(v, role, unit_id.is_some());
    if let Some(u) = unit_id {
        if units::get(db, u).await?.is_none() {
            v.add("unit_id", "unknown", "no unit has this id");
        }
    }
    Ok(())
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
#[post("/users")]
#[tracing::instrument(skip_all)]
pub async fn create_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    key: IdempotencyKey,
    body: Json<CreateUserRequest>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let req = body.0;
    let idem = Idempotent::new(key, &user, &ctx, &req);
    let txn = state.db.begin().await?;
    if let Some(replay) = idem.replay(&txn).await? {
        return Ok(replay);
    }
    let mut v = Violations::new();
    let username = account::username(&mut v, "username", &req.username);
    let pw = account::password(&mut v, "password", &req.password);
    check_unit(&txn, &mut v, req.role, req.unit_id).await?;
    v.finish(|| ())?;
    let (Some(username), Some(pw)) = (username, pw) else {
        return Err(ApiError::Internal("validated fields missing".into()));
    };
    let hash = password::hash(&pw).map_err(ApiError::Internal)?;
    let created: UserResponse = repo::insert(
        &txn,
        NewUser {
            username,
            password_hash: hash,
            role: req.role,
            unit_id: req.unit_id,
        },
    )
    .await
    .map_err(|e| {
        if persistence::is_unique_violation(&e) {
            ApiError::conflict("this username is taken")
        } else {
            e.into()
        }
    })?
    .into();
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "user.create",
            "user",
            created.id,
            None,
            serde_json::to_value(&created).ok(),
        ),
    )
    .await?;
    idem.save(&txn, StatusCode::CREATED, &created).await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::CREATED, &created))
}

/// List users (admin), ordered by username.
#[utoipa::path(
    tag = "users",
    params(PageParams, UserListQuery),
    responses(
        (status = 200, description = "One page of accounts", body = Paginated<UserResponse>),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/users")]
#[tracing::instrument(skip_all)]
pub async fn list_users(
    state: web::Data<AppState>,
    user: CurrentUser,
    page: web::Query<PageParams>,
    q: web::Query<UserListQuery>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
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
#[get("/users/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let u = repo::get(&state.db, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    Ok(with_etag(StatusCode::OK, &u.into()))
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
#[patch("/users/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<UpdateUserRequest>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let req = body.0;
    let txn = state.db.begin().await?;
    let current = repo::get(&txn, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    let (role, unit_id, active) = (
        req.role.unwrap_or(current.role),
        req.unit_id.unwrap_or(current.unit_id),
        req.active.unwrap_or(current.active),
    );
    let changes = UserChanges {
        role,
        unit_id,
        active,
        end_tokens: account::change_ends_tokens(&current, role, unit_id, active),
    };
    let mut v = Violations::new();
    check_unit(&txn, &mut v, changes.role, changes.unit_id).await?;
    if current.id == user.id && (!changes.active || changes.role != Role::Admin) {
        v.add(
            if changes.active { "role" } else { "active" },
            "self_lockout",
            "you cannot deactivate yourself or give up your own admin role",
        );
    }
    v.finish(|| ())?;
    // A request that is wrong whatever the version gets 422 before the precondition is judged.
    if_match.check(current.version)?;
    let before = UserResponse::from(current.clone());
    if !repo::update(&txn, current.id, current.version, changes).await? {
        return Err(IfMatch::stale());
    }
    let after: UserResponse = repo::get(&txn, current.id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?
        .into();
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "user.update",
            "user",
            current.id,
            serde_json::to_value(&before).ok(),
            serde_json::to_value(&after).ok(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::OK, &after))
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
#[post("/users/{id}/password")]
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    ctx: RequestContext,
    id: web::Path<Uuid>,
    body: Json<ResetPasswordRequest>,
) -> ApiResult<HttpResponse> {
    user.require(&[Role::Admin])?;
    let mut v = Violations::new();
    let pw = account::password(&mut v, "password", &body.password);
    v.finish(|| ())?;
    let hash = password::hash(&pw.unwrap_or_default()).map_err(ApiError::Internal)?;
    let txn = state.db.begin().await?;
    let current = repo::get(&txn, *id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?;
    repo::set_password(&txn, current.id, hash).await?;
    let after: UserResponse = repo::get(&txn, current.id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))?
        .into();
    audit::record(
        &txn,
        &user.actor(),
        &ctx.origin(),
        Entry::success(
            "user.reset_password",
            "user",
            current.id,
            Some(serde_json::json!({"version": current.version, "password": "[redacted]"})),
            Some(serde_json::json!({"version": after.version, "password": "[redacted]"})),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok(with_etag(StatusCode::OK, &after))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_user)
        .service(list_users)
        .service(get_user)
        .service(update_user)
        .service(reset_password);
}
