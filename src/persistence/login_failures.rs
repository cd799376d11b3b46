//! Failed logins per username, kept in the database so every instance throttles alike.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::entities::login_failure::{self, Column, Entity};

pub async fn record(db: &impl ConnectionTrait, username: &str) -> Result<(), DbErr> {
    let m = login_failure::ActiveModel {
        id: Set(Uuid::new_v4()),
        username: Set(username.to_string()),
        failed_at: Set(super::now()),
    };
    Entity::insert(m).exec_without_returning(db).await?;
    Ok(())
}

/// The times of the failures since `since`, oldest first.
pub async fn since(
    db: &impl ConnectionTrait,
    username: &str,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, DbErr> {
    Entity::find()
        .select_only()
        .column(Column::FailedAt)
        .filter(Column::Username.eq(username))
        .filter(Column::FailedAt.gte(since))
        .order_by_asc(Column::FailedAt)
        .into_tuple()
        .all(db)
        .await
}

/// Forgets a username's failures (after a successful login).
pub async fn clear(db: &impl ConnectionTrait, username: &str) -> Result<(), DbErr> {
    Entity::delete_many()
        .filter(Column::Username.eq(username))
        .exec(db)
        .await?;
    Ok(())
}
