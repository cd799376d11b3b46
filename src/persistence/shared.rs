//! The query shapes every aggregate repeats, written once: the update of one versioned row, a
//! page of a filtered list with its total, and the rows a select finds as domain types.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, ExprTrait, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, UpdateMany,
};
use uuid::Uuid;

use super::entities;

/// A table whose rows have an `id`, a `version` that every change bumps (the `ETag` clients
/// send back in `If-Match`) and the instant of their last change, `updated_at`.
pub(crate) trait Versioned: EntityTrait {
    const ID: Self::Column;
    const VERSION: Self::Column;
    const UPDATED_AT: Self::Column;
}

macro_rules! versioned {
    ($($table:ident),* $(,)?) => {$(
        impl Versioned for entities::$table::Entity {
            const ID: Self::Column = entities::$table::Column::Id;
            const VERSION: Self::Column = entities::$table::Column::Version;
            const UPDATED_AT: Self::Column = entities::$table::Column::UpdatedAt;
        }
    )*};
}

versioned!(
    adjustment_request,
    corrective_action,
    indicator,
    item,
    period,
    submission,
    unit,
    user,
);

/// Sets what `set` sets on row `id`, bumps its version and makes `at` its `updated_at`, if the
/// row is still at `expected_version`. `false` when it is not (or no longer exists): the
/// caller's read is stale and nothing was written.
pub(crate) async fn update_versioned<E: Versioned>(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    at: DateTime<Utc>,
    set: impl FnOnce(UpdateMany<E>) -> UpdateMany<E>,
) -> Result<bool, DbErr> {
    exec_one(db, versioned(id, expected_version, at, set)).await
}

/// The statement of [`update_versioned`], not yet run.
pub(crate) fn versioned<E: Versioned>(
    id: Uuid,
    expected_version: i32,
    at: DateTime<Utc>,
    set: impl FnOnce(UpdateMany<E>) -> UpdateMany<E>,
) -> UpdateMany<E> {
    let q = set(E::update_many()).filter(E::VERSION.eq(expected_version));
    bump::<E>(q, id, at)
}

/// Like [`update_versioned`], at whatever version the row is (the changes the service makes
/// as a consequence of another, checked before). `false` when no row has `id`.
pub(crate) async fn update_row<E: Versioned>(
    db: &impl ConnectionTrait,
    id: Uuid,
    at: DateTime<Utc>,
    set: impl FnOnce(UpdateMany<E>) -> UpdateMany<E>,
) -> Result<bool, DbErr> {
    exec_one(db, bump::<E>(set(E::update_many()), id, at)).await
}

fn bump<E: Versioned>(q: UpdateMany<E>, id: Uuid, at: DateTime<Utc>) -> UpdateMany<E> {
    q.col_expr(E::VERSION, Expr::col(E::VERSION).add(1))
        .col_expr(E::UPDATED_AT, Expr::value(at))
        .filter(E::ID.eq(id))
}

pub(crate) async fn exec_one<E: EntityTrait>(
    db: &impl ConnectionTrait,
    q: UpdateMany<E>,
) -> Result<bool, DbErr> {
    Ok(q.exec(db).await?.rows_affected == 1)
}

/// One page of what `q` finds, in `order`, as domain types, and how many rows it finds in all.
pub(crate) async fn page<E: EntityTrait, T>(
    db: &impl ConnectionTrait,
    q: Select<E>,
    order: &[(E::Column, Order)],
    offset: u64,
    limit: u64,
    to_domain: impl Fn(E::Model) -> Result<T, DbErr>,
) -> Result<(Vec<T>, u64), DbErr>
where
    E::Model: Sync,
{
    let total = q.clone().count(db).await?;
    let ordered = order
        .iter()
        .fold(q, |q, (column, o)| q.order_by(*column, o.clone()));
    let rows = all(db, ordered.offset(offset).limit(limit), to_domain).await?;
    Ok((rows, total))
}

/// Every row `q` finds, as domain types.
pub(crate) async fn all<E: EntityTrait, T>(
    db: &impl ConnectionTrait,
    q: Select<E>,
    to_domain: impl Fn(E::Model) -> Result<T, DbErr>,
) -> Result<Vec<T>, DbErr> {
    q.all(db).await?.into_iter().map(to_domain).collect()
}

/// The row `q` finds (the first, if it finds several), as a domain type.
pub(crate) async fn one<E: EntityTrait, T>(
    db: &impl ConnectionTrait,
    q: Select<E>,
    to_domain: impl FnOnce(E::Model) -> Result<T, DbErr>,
) -> Result<Option<T>, DbErr> {
    q.one(db).await?.map(to_domain).transpose()
}
