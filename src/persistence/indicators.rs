//! Queries on the indicators of an item.

use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::entities::indicator::{self, Column, Entity};
use super::shared;
use crate::domain::indicator::{Indicator, Level1, Level2};
use crate::domain::monitoring::Direction;

fn parse<T: std::str::FromStr<Err = String>>(col: &str, v: &str) -> Result<T, DbErr> {
    v.parse()
        .map_err(|e| DbErr::Type(format!("indicators.{col}: {e}")))
}

pub(super) fn to_domain(m: indicator::Model) -> Result<Indicator, DbErr> {
    Ok(Indicator {
        level1: parse::<Level1>("level1", &m.level1)?,
        level2: parse::<Level2>("level2", &m.level2)?,
        direction: parse::<Direction>("direction", &m.direction)?,
        weight: m
            .weight
            .as_deref()
            .map(|w| {
                w.parse::<Decimal>()
                    .map_err(|e| DbErr::Type(format!("indicators.weight: {e}")))
            })
            .transpose()?,
        id: m.id,
        item_id: m.item_id,
        position: m.position,
        name: m.name,
        measure_unit: m.measure_unit,
        target: m.target,
        original_target: m.original_target,
        prorate: m.prorate,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

#[derive(Debug, Clone)]
pub struct IndicatorFields {
    pub level1: Level1,
    pub level2: Level2,
    pub name: String,
    pub measure_unit: String,
    pub direction: Direction,
    pub target: String,
    pub prorate: bool,
    pub weight: Option<Decimal>,
}

#[tracing::instrument(skip_all)]
pub async fn insert(
    db: &impl ConnectionTrait,
    item_id: Uuid,
    f: IndicatorFields,
) -> Result<Indicator, DbErr> {
    let position: Option<i32> = Entity::find()
        .select_only()
        .column_as(Column::Position.max(), "p")
        .filter(Column::ItemId.eq(item_id))
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    let ind = new_indicator(item_id, position.unwrap_or(0) + 1, f);
    to_domain(
        Entity::insert(to_active(&ind))
            .exec_with_returning(db)
            .await?,
    )
}

/// A new indicator as [`insert`] stores it at this position: version 1, original target = target.
pub fn new_indicator(item_id: Uuid, position: i32, f: IndicatorFields) -> Indicator {
    let now = super::now();
    Indicator {
        id: Uuid::new_v4(),
        item_id,
        position,
        level1: f.level1,
        level2: f.level2,
        name: f.name,
        measure_unit: f.measure_unit,
        direction: f.direction,
        original_target: f.target.clone(),
        target: f.target,
        prorate: f.prorate,
        weight: f.weight,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

fn to_active(i: &Indicator) -> indicator::ActiveModel {
    indicator::ActiveModel {
        id: Set(i.id),
        item_id: Set(i.item_id),
        position: Set(i.position),
        level1: Set(i.level1.as_str().into()),
        level2: Set(i.level2.as_str().into()),
        name: Set(i.name.clone()),
        measure_unit: Set(i.measure_unit.clone()),
        direction: Set(i.direction.as_str().into()),
        target: Set(i.target.clone()),
        original_target: Set(i.original_target.clone()),
        prorate: Set(i.prorate),
        weight: Set(i.weight.map(|w| w.to_string())),
        version: Set(i.version),
        created_at: Set(i.created_at),
        updated_at: Set(i.updated_at),
    }
}

/// Stores many indicators at once, a few multi-row statements in all (bulk loads).
pub async fn insert_many(db: &impl ConnectionTrait, indicators: &[Indicator]) -> Result<(), DbErr> {
    super::insert_chunked::<Entity, _>(db, indicators.iter().map(to_active)).await
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Indicator>, DbErr> {
    shared::one(db, Entity::find_by_id(id), to_domain).await
}

/// The indicators of an item in form order.
pub async fn of_item(db: &impl ConnectionTrait, item_id: Uuid) -> Result<Vec<Indicator>, DbErr> {
    let q = Entity::find()
        .filter(Column::ItemId.eq(item_id))
        .order_by_asc(Column::Position)
        .order_by_asc(Column::Id);
    shared::all(db, q, to_domain).await
}

/// Writes the fields; an edit before any form was submitted also corrects the original target.
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    f: IndicatorFields,
) -> Result<bool, DbErr> {
    shared::update_versioned::<Entity>(db, id, expected_version, super::now(), |q| {
        q.col_expr(Column::Level1, Expr::value(f.level1.as_str()))
            .col_expr(Column::Level2, Expr::value(f.level2.as_str()))
            .col_expr(Column::Name, Expr::value(f.name))
            .col_expr(Column::MeasureUnit, Expr::value(f.measure_unit))
            .col_expr(Column::Direction, Expr::value(f.direction.as_str()))
            .col_expr(Column::Target, Expr::value(f.target.clone()))
            .col_expr(Column::OriginalTarget, Expr::value(f.target))
            .col_expr(Column::Prorate, Expr::value(f.prorate))
            .col_expr(Column::Weight, Expr::value(f.weight.map(|w| w.to_string())))
    })
    .await
}

pub async fn delete(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Sets a target as an adjustment: the original target stays as it was. `false` if the
/// indicator no longer exists.
pub async fn adjust_target(
    db: &impl ConnectionTrait,
    id: Uuid,
    target: &str,
) -> Result<bool, DbErr> {
    shared::update_row::<Entity>(db, id, super::now(), |q| {
        q.col_expr(Column::Target, Expr::value(target))
    })
    .await
}
