//! Managing accounts (admin): create one, change its role, unit or active flag, set a new
//! password.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::pipeline::Change;
use super::precondition::IfMatch;
use crate::auth::CurrentUser;
use crate::domain::account::{self, Role, User};
use crate::domain::Violations;
use crate::error::{ApiError, ApiResult};
use crate::persistence::units;
use crate::persistence::users::{self as repo, NewUser, UserChanges};

const TAKEN: &str = "this username is taken";

/// A new account as a client sends it (the password travels apart).
#[derive(Debug, Clone)]
pub struct UserInput {
    pub username: String,
    pub role: Role,
    pub unit_id: Option<Uuid>,
}

/// Changes to an account; `None` keeps a field, `unit_id: Some(None)` detaches the unit.
#[derive(Debug, Clone, Default)]
pub struct AccountChanges {
    pub role: Option<Role>,
    pub unit_id: Option<Option<Uuid>>,
    pub active: Option<bool>,
}

/// Only admin manages accounts.
pub fn authorize(user: &CurrentUser) -> ApiResult<()> {
    user.require(&[Role::Admin])
}

/// A password as the rules accept it (10–128 characters), or 422.
pub fn check_password(password: &str) -> ApiResult<String> {
    let mut v = Violations::new();
    let pw = account::password(&mut v, "password", password);
    v.finish(|| ())?;
    pw.ok_or_else(|| ApiError::Internal("validated password missing".into()))
}

/// The argon2 hash of a password (slow on purpose: call it outside a transaction).
pub async fn hash(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || crate::auth::password::hash(&password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .map_err(ApiError::Internal)
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

async fn checked(
    db: &impl ConnectionTrait,
    input: &UserInput,
    password: Option<&str>,
) -> ApiResult<String> {
    let mut v = Violations::new();
    let username = account::username(&mut v, "username", &input.username);
    if let Some(pw) = password {
        account::password(&mut v, "password", pw);
    }
    check_unit(db, &mut v, input.role, input.unit_id).await?;
    v.finish(|| ())?;
    username.ok_or_else(|| ApiError::Internal("validated username missing".into()))
}

async fn insert(
    db: &impl ConnectionTrait,
    input: UserInput,
    username: String,
    password_hash: String,
) -> ApiResult<Change<User>> {
    let new = NewUser {
        username,
        password_hash,
        role: input.role,
        unit_id: input.unit_id,
    };
    let u = repo::insert(db, new)
        .await
        .map_err(ApiError::unique(TAKEN))?;
    Ok(Change::created("user.create", "user", u.id, u))
}

/// A new account with `password`, checked against the rules and then hashed.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &impl ConnectionTrait,
    input: UserInput,
    password: &str,
) -> ApiResult<Change<User>> {
    let username = checked(db, &input, Some(password)).await?;
    let password_hash = hash(password.to_string()).await?;
    insert(db, input, username, password_hash).await
}

/// A new account whose password was checked and hashed beforehand (bulk creation, where the
/// slow hashing happens outside the transaction).
#[tracing::instrument(skip_all)]
pub async fn create_hashed(
    db: &impl ConnectionTrait,
    input: UserInput,
    password_hash: String,
) -> ApiResult<Change<User>> {
    let username = checked(db, &input, None).await?;
    insert(db, input, username, password_hash).await
}

/// The account `id`, or 404 (also for an API client: those are managed at `/clients`).
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<User> {
    repo::get_person(db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("user"))
}

/// Changes an account against the version `if_match` names. A change of role, unit or active
/// flag ends the user's tokens; nobody deactivates themselves or gives up their own admin role.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    acting: &CurrentUser,
    id: Uuid,
    if_match: &IfMatch,
    c: AccountChanges,
) -> ApiResult<Change<User>> {
    let current = get(db, id).await?;
    let role = c.role.unwrap_or(current.role);
    let unit_id = c.unit_id.unwrap_or(current.unit_id);
    let active = c.active.unwrap_or(current.active);
    let changes = UserChanges {
        role,
        unit_id,
        active,
        end_tokens: account::change_ends_tokens(&current, role, unit_id, active),
    };
    let mut v = Violations::new();
    check_unit(db, &mut v, role, unit_id).await?;
    if current.id == acting.id && (!active || role != Role::Admin) {
        v.add(
            if active { "role" } else { "active" },
            "self_lockout",
            "you cannot deactivate yourself or give up your own admin role",
        );
    }
    v.finish(|| ())?;
    if_match.check(current.version)?;
    if !repo::update(db, current.id, current.version, changes).await? {
        return Err(IfMatch::stale());
    }
    let after = get(db, current.id).await?;
    Ok(Change::updated("user.update", "user", id, current, after).edit())
}

/// Sets a new password: it works at once and ends every token issued before. Audited without
/// the password.
#[tracing::instrument(skip_all)]
pub async fn set_password(
    db: &impl ConnectionTrait,
    id: Uuid,
    password: &str,
) -> ApiResult<Change<User>> {
    let password_hash = hash(check_password(password)?).await?;
    let current = get(db, id).await?;
    repo::set_password(db, current.id, password_hash).await?;
    let after = get(db, current.id).await?;
    let redacted =
        |version: i32| Some(serde_json::json!({"version": version, "password": "[redacted]"}));
    let audit = (redacted(current.version), redacted(after.version));
    Ok(
        Change::updated("user.reset_password", "user", id, current, after)
            .audited_as(audit.0, audit.1),
    )
}
