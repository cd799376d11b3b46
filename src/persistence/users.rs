//! Queries on user accounts.

use sea_orm::sea_query::Expr;
use sea_orm::ExprTrait;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entities::user::{self, Column, Entity};
use crate::domain::account::{Role, User};

/// `users.kind` of a person, who signs in with a password.
pub const PERSON: &str = "person";
/// `users.kind` of an API client (see `persistence::clients`), which never signs in with a
/// password and is not listed among the users.
pub const CLIENT: &str = "client";

fn to_domain(m: user::Model) -> Result<User, DbErr> {
    Ok(User {
        role: m
            .role
            .parse::<Role>()
            .map_err(|e| DbErr::Type(format!("users.role: {e}")))?,
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

#[tracing::instrument(skip_all)]
pub async fn insert(db: &impl ConnectionTrait, u: NewUser) -> Result<User, DbErr> {
    let now = super::now();
    let m = user::ActiveModel {
        id: Set(Uuid::new_v4()),
        username: Set(u.username),
        password_hash: Set(u.password_hash),
        role: Set(u.role.as_str().to_string()),
        unit_id: Set(u.unit_id),
        active: Set(true),
        version: Set(1),
        token_version: Set(0),
        kind: Set(PERSON.to_string()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    to_domain(Entity::insert(m).exec_with_returning(db).await?)
}

#[tracing::instrument(skip_all)]
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<User>, DbErr> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
}

/// The person `id` (an API client is not one), for managing accounts.
#[tracing::instrument(skip_all)]
pub async fn get_person(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<User>, DbErr> {
    Entity::find_by_id(id)
        .filter(Column::Kind.eq(PERSON))
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
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

#[tracing::instrument(skip_all)]
pub async fn list(
    db: &impl ConnectionTrait,
    f: &UserFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<User>, u64), DbErr> {
    let mut q = Entity::find().filter(Column::Kind.eq(PERSON));
    if let Some(r) = f.role {
        q = q.filter(Column::Role.eq(r.as_str()));
    }
    if let Some(u) = f.unit_id {
        q = q.filter(Column::UnitId.eq(u));
    }
    if let Some(a) = f.active {
        q = q.filter(Column::Active.eq(a));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_asc(Column::Username)
        .order_by_asc(Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((
        rows.into_iter().map(to_domain).collect::<Result<_, _>>()?,
        total,
    ))
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

/// Writes the changes if the user is still at `expected_version`.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    c: UserChanges,
) -> Result<bool, DbErr> {
    let mut q = Entity::update_many();
    if c.end_tokens {
        q = q.col_expr(Column::TokenVersion, Expr::col(Column::TokenVersion).add(1));
    }
    let res = q
        .col_expr(Column::Role, Expr::value(c.role.as_str()))
        .col_expr(Column::UnitId, Expr::value(c.unit_id))
        .col_expr(Column::Active, Expr::value(c.active))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(super::now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Replaces the password hash and bumps the version and the token version (the user's
/// tokens issued before stop working).
#[tracing::instrument(skip_all)]
pub async fn set_password(
    db: &impl ConnectionTrait,
    id: Uuid,
    password_hash: String,
) -> Result<bool, DbErr> {
    let res = Entity::update_many()
        .col_expr(Column::PasswordHash, Expr::value(password_hash))
        .col_expr(Column::TokenVersion, Expr::col(Column::TokenVersion).add(1))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(super::now()))
        .filter(Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}
