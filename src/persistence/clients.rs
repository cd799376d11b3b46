//! Queries on API clients: a `users` row of kind `client` and its `api_clients` row.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entities::api_client;
use super::entities::user::{self, Column, Entity};
use super::shared;
use super::users::{self, NewUser, UserChanges, CLIENT};
use crate::domain::account::Role;
use crate::domain::api_client::{self as domain, ApiClient};

fn to_domain(u: user::Model, c: api_client::Model) -> Result<ApiClient, DbErr> {
    Ok(ApiClient {
        role: users::role_of(&u)?,
        id: u.id,
        name: domain::name_of(&u.username).to_string(),
        unit_id: u.unit_id,
        enabled: u.active,
        expires_at: c.expires_at,
        secret_created_at: c.secret_created_at,
        version: u.version,
        token_version: u.token_version,
        created_at: u.created_at,
        updated_at: u.updated_at,
    })
}

/// A new client, its name and secret hash checked and made beforehand.
#[derive(Debug, Clone)]
pub struct NewClient {
    pub name: String,
    pub role: Role,
    pub unit_id: Option<Uuid>,
    pub expires_at: Option<DateTime<Utc>>,
    pub secret_hash: String,
}

#[tracing::instrument(skip_all)]
pub async fn insert(db: &impl ConnectionTrait, c: NewClient) -> Result<ApiClient, DbErr> {
    let now = super::now();
    let account = NewUser {
        username: domain::username_of(&c.name),
        // No password: a client never signs in with one (and an empty hash never matches).
        password_hash: String::new(),
        role: c.role,
        unit_id: c.unit_id,
    };
    let u = users::insert_account(db, CLIENT, account, now).await?;
    let a = api_client::ActiveModel {
        user_id: Set(u.id),
        secret_hash: Set(c.secret_hash),
        secret_created_at: Set(now),
        expires_at: Set(c.expires_at),
    };
    let a = api_client::Entity::insert(a)
        .exec_with_returning(db)
        .await?;
    to_domain(u, a)
}

/// The client `id` and its secret's hash.
#[tracing::instrument(skip_all)]
pub async fn find_with_secret(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(ApiClient, String)>, DbErr> {
    let Some(u) = Entity::find_by_id(id)
        .filter(Column::Kind.eq(CLIENT))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let Some(a) = api_client::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let hash = a.secret_hash.clone();
    Ok(Some((to_domain(u, a)?, hash)))
}

/// The client `id`.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<ApiClient>, DbErr> {
    Ok(find_with_secret(db, id).await?.map(|(c, _)| c))
}

#[derive(Debug, Default, Clone)]
pub struct ClientFilter {
    pub role: Option<Role>,
    pub unit_id: Option<Uuid>,
    pub enabled: Option<bool>,
}

/// One page of clients, ordered by name, and how many match in all.
#[tracing::instrument(skip_all)]
pub async fn list(
    db: &impl ConnectionTrait,
    f: &ClientFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<ApiClient>, u64), DbErr> {
    let q = users::accounts(CLIENT, f.role, f.unit_id, f.enabled);
    let (accounts, total) = shared::page(db, q, &users::BY_NAME, offset, limit, Ok).await?;
    let ids: Vec<Uuid> = accounts.iter().map(|u| u.id).collect();
    let mut extras: std::collections::HashMap<Uuid, api_client::Model> = api_client::Entity::find()
        .filter(api_client::Column::UserId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.user_id, a))
        .collect();
    let clients = accounts
        .into_iter()
        .filter_map(|u| extras.remove(&u.id).map(|a| to_domain(u, a)))
        .collect::<Result<_, _>>()?;
    Ok((clients, total))
}

/// The fields of a client an administrator can change.
#[derive(Debug, Clone)]
pub struct ClientChanges {
    pub name: String,
    pub role: Role,
    pub unit_id: Option<Uuid>,
    pub enabled: bool,
    pub expires_at: Option<DateTime<Utc>>,
    /// Bump `token_version` in the same statement, ending the client's tokens.
    pub end_tokens: bool,
}

/// Writes the changes if the client is still at `expected_version`.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    c: ClientChanges,
) -> Result<bool, DbErr> {
    let account = UserChanges {
        role: c.role,
        unit_id: c.unit_id,
        active: c.enabled,
        end_tokens: c.end_tokens,
    };
    let username = domain::username_of(&c.name);
    let written = shared::update_versioned::<Entity>(db, id, expected_version, super::now(), |q| {
        users::with_changes(q, &account)
            .col_expr(Column::Username, Expr::value(username))
            .filter(Column::Kind.eq(CLIENT))
    })
    .await?;
    if !written {
        return Ok(false);
    }
    api_client::Entity::update_many()
        .col_expr(api_client::Column::ExpiresAt, Expr::value(c.expires_at))
        .filter(api_client::Column::UserId.eq(id))
        .exec(db)
        .await?;
    Ok(true)
}

/// Replaces the secret's hash, and bumps the version and the token version (the client's
/// tokens issued before stop working).
#[tracing::instrument(skip_all)]
pub async fn set_secret(
    db: &impl ConnectionTrait,
    id: Uuid,
    secret_hash: String,
) -> Result<bool, DbErr> {
    let now = super::now();
    let written = shared::update_row::<Entity>(db, id, now, |q| {
        users::end_tokens(q).filter(Column::Kind.eq(CLIENT))
    })
    .await?;
    if !written {
        return Ok(false);
    }
    api_client::Entity::update_many()
        .col_expr(api_client::Column::SecretHash, Expr::value(secret_hash))
        .col_expr(api_client::Column::SecretCreatedAt, Expr::value(now))
        .filter(api_client::Column::UserId.eq(id))
        .exec(db)
        .await?;
    Ok(true)
}
