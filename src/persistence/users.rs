//! Queries on user accounts.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, Order,
    PaginatorTrait, QueryFilter, QueryTrait, Select, UpdateMany,
};
use uuid::Uuid;

use super::entities::user::{self, Column, Entity};
use super::shared;
use crate::domain::account::{Role, User};

/// `users.kind` of a person, who signs in with a password.
pub const PERSON: &str = "person";
/// `users.kind` of an API client (see `persistence::clients`), which never signs in with a
/// password and is not listed among the users.
pub const CLIENT: &str = "client";

/// The role of an account, a person's or an API client's.
pub(super) fn role_of(m: &user::Model) -> Result<Role, DbErr> {
    m.role
        .parse::<Role>()
        .map_err(|e| DbErr::Type(format!("users.role: {e}")))
}

fn to_domain(m: user::Model) -> Result<User, DbErr> {
    Ok(User {
        role: role_of(&m)?,
        id: m.id,
        username: m.username,
        unit_id: m.unit_id,
        active: m.active,
        version: m.version,
        token_version: m.token_version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub unit_id: Option<Uuid>,
}

/// Stores a new active account of `kind` ([`PERSON`] or [`CLIENT`]) at version 1.
pub(super) async fn insert_account(
    db: &impl ConnectionTrait,
    kind: &str,
    u: NewUser,
    now: DateTime<Utc>,
) -> Result<user::Model, DbErr> {
    let m = user::ActiveModel {
        id: Set(Uuid::new_v4()),
        username: Set(u.username),
        password_hash: Set(u.password_hash),
        role: Set(u.role.as_str().to_string()),
        unit_id: Set(u.unit_id),
        active: Set(true),
        version: Set(1),
        token_version: Set(0),
        kind: Set(kind.to_string()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Entity::insert(m).exec_with_returning(db).await
}

#[tracing::instrument(skip_all)]
pub async fn insert(db: &impl ConnectionTrait, u: NewUser) -> Result<User, DbErr> {
    to_domain(insert_account(db, PERSON, u, super::now()).await?)
}

#[tracing::instrument(skip_all)]
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<User>, DbErr> {
    shared::one(db, Entity::find_by_id(id), to_domain).await
}

/// The person `id` (an API client is not one), for managing accounts.
#[tracing::instrument(skip_all)]
pub async fn get_person(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<User>, DbErr> {
    let q = Entity::find_by_id(id).filter(Column::Kind.eq(PERSON));
    shared::one(db, q, to_domain).await
}

/// The person and its password hash, for signing in (an API client never signs in so).
#[tracing::instrument(skip_all)]
pub async fn find_for_login(
    db: &impl ConnectionTrait,
    username: &str,
) -> Result<Option<(User, String)>, DbErr> {
    match Entity::find()
        .filter(Column::Username.eq(username))
        .filter(Column::Kind.eq(PERSON))
        .one(db)
        .await?
    {
        Some(m) => {
            let hash = m.password_hash.clone();
            Ok(Some((to_domain(m)?, hash)))
        }
        None => Ok(None),
    }
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    Entity::find().count(db).await
}

#[derive(Debug, Default, Clone)]
pub struct UserFilter {
    pub role: Option<Role>,
    pub unit_id: Option<Uuid>,
    pub active: Option<bool>,
}

/// The accounts of `kind` with the role, unit and active flag asked for.
pub(super) fn accounts(
    kind: &str,
    role: Option<Role>,
    unit_id: Option<Uuid>,
    active: Option<bool>,
) -> Select<Entity> {
    Entity::find()
        .filter(Column::Kind.eq(kind))
        .apply_if(role, |q, r| q.filter(Column::Role.eq(r.as_str())))
        .apply_if(unit_id, |q, u| q.filter(Column::UnitId.eq(u)))
        .apply_if(active, |q, a| q.filter(Column::Active.eq(a)))
}

/// The order accounts are listed in: by name.
pub(super) const BY_NAME: [(Column, Order); 2] =
    [(Column::Username, Order::Asc), (Column::Id, Order::Asc)];

#[tracing::instrument(skip_all)]
pub async fn list(
    db: &impl ConnectionTrait,
    f: &UserFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<User>, u64), DbErr> {
    let q = accounts(PERSON, f.role, f.unit_id, f.active);
    shared::page(db, q, &BY_NAME, offset, limit, to_domain).await
}

/// The fields of a user an administrator can change.
#[derive(Debug, Clone)]
pub struct UserChanges {
    pub role: Role,
    pub unit_id: Option<Uuid>,
    pub active: bool,
    /// Bump `token_version` in the same statement, ending the user's tokens.
    pub end_tokens: bool,
}

/// Sets what an administrator changes of an account, a person's or an API client's.
pub(super) fn with_changes(q: UpdateMany<Entity>, c: &UserChanges) -> UpdateMany<Entity> {
    let q = if c.end_tokens { end_tokens(q) } else { q };
    q.col_expr(Column::Role, Expr::value(c.role.as_str()))
        .col_expr(Column::UnitId, Expr::value(c.unit_id))
        .col_expr(Column::Active, Expr::value(c.active))
}

/// Bumps the token version: the account's tokens issued before stop working.
pub(super) fn end_tokens(q: UpdateMany<Entity>) -> UpdateMany<Entity> {
    q.col_expr(Column::TokenVersion, Expr::col(Column::TokenVersion).add(1))
}

/// Writes the changes if the user is still at `expected_version`.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    c: UserChanges,
) -> Result<bool, DbErr> {
    shared::update_versioned::<Entity>(db, id, expected_version, super::now(), |q| {
        with_changes(q, &c)
    })
    .await
}

/// Replaces the password hash and bumps the version and the token version (the user's
/// tokens issued before stop working).
#[tracing::instrument(skip_all)]
pub async fn set_password(
    db: &impl ConnectionTrait,
    id: Uuid,
    password_hash: String,
) -> Result<bool, DbErr> {
    shared::update_row::<Entity>(db, id, super::now(), |q| {
        end_tokens(q).col_expr(Column::PasswordHash, Expr::value(password_hash))
    })
    .await
}
