//! Counters per (bucket, window), kept in the database so that every instance counts alike.
//! An increment is one atomic upsert that returns the new count, so parallel requests each see
//! a different count and no two of them can both pass as the last one allowed.

use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::ExprTrait;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::entities::rate_limit::{ActiveModel, Column, Entity};

/// Adds one to the counter and returns its new value:
/// `INSERT … ON CONFLICT (bucket, window_start) DO UPDATE SET hits = hits + 1 RETURNING …`.
#[tracing::instrument(skip_all)]
pub async fn hit(db: &impl ConnectionTrait, bucket: &str, window_start: i64) -> Result<i64, DbErr> {
    let row = ActiveModel {
        bucket: Set(bucket.to_string()),
        window_start: Set(window_start),
        hits: Set(1),
    };
    let m = Entity::insert(row)
        .on_conflict(
            OnConflict::columns([Column::Bucket, Column::WindowStart])
                .value(Column::Hits, Expr::col((Entity, Column::Hits)).add(1))
                .to_owned(),
        )
        .exec_with_returning(db)
        .await?;
    Ok(m.hits)
}

/// Takes one back from the counter (never below zero).
#[tracing::instrument(skip_all)]
pub async fn give_back(
    db: &impl ConnectionTrait,
    bucket: &str,
    window_start: i64,
) -> Result<(), DbErr> {
    Entity::update_many()
        .col_expr(Column::Hits, Expr::col(Column::Hits).sub(1))
        .filter(Column::Bucket.eq(bucket))
        .filter(Column::WindowStart.eq(window_start))
        .filter(Column::Hits.gt(0))
        .exec(db)
        .await?;
    Ok(())
}

/// Forgets every window of a counter.
#[tracing::instrument(skip_all)]
pub async fn clear(db: &impl ConnectionTrait, bucket: &str) -> Result<(), DbErr> {
    Entity::delete_many()
        .filter(Column::Bucket.eq(bucket))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the counters of windows that started before `window_start`.
#[tracing::instrument(skip_all)]
pub async fn purge_before(db: &impl ConnectionTrait, window_start: i64) -> Result<u64, DbErr> {
    let r = Entity::delete_many()
        .filter(Column::WindowStart.lt(window_start))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}
