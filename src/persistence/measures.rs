//! Queries on finance measures (Art. 12, 14).

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, Order, QueryFilter,
    QueryOrder, QueryTrait,
};
use uuid::Uuid;

use super::entities::{
    item,
    measure::{self, Column, Entity},
};
use super::money::{optional_split, StoredAmount};
use super::shared;
use crate::domain::follow_through::{Measure, MeasureKind};
use crate::domain::FundSplit;

fn bad(what: &str, e: impl std::fmt::Display) -> DbErr {
    DbErr::Type(format!("stored measure {what}: {e}"))
}

fn to_domain(r: measure::Model) -> Result<Measure, DbErr> {
    Ok(Measure {
        kind: r.kind.parse().map_err(|e| bad("kind", e))?,
        new_targets: serde_json::from_str(&r.new_targets).map_err(|e| bad("new_targets", e))?,
        new_budget: optional_split(r.new_fiscal, r.new_union)?,
        id: r.id,
        item_id: r.item_id,
        unit_id: r.unit_id,
        period_id: r.period_id,
        reason: r.reason,
        corrective_action_id: r.corrective_action_id,
        active: r.active,
        decided_by: r.decided_by,
        decided_by_username: r.decided_by_username,
        created_at: r.created_at,
        lift_reason: r.lift_reason,
        lifted_by: r.lifted_by,
        lifted_at: r.lifted_at,
    })
}

/// A measure as decided, before it is stored.
pub struct NewMeasure {
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub period_id: Option<Uuid>,
    pub kind: MeasureKind,
    pub reason: String,
    pub new_budget: Option<FundSplit>,
    /// `[{indicator_id, target}]`
    pub new_targets: serde_json::Value,
    pub corrective_action_id: Option<Uuid>,
    pub decided_by: Uuid,
    pub decided_by_username: String,
}

pub async fn insert(db: &impl ConnectionTrait, m: NewMeasure) -> Result<Measure, DbErr> {
    let b = db.get_database_backend();
    Entity::insert(measure::ActiveModel {
        id: Set(Uuid::new_v4()),
        item_id: Set(m.item_id),
        unit_id: Set(m.unit_id),
        period_id: Set(m.period_id),
        kind: Set(m.kind.as_str().into()),
        reason: Set(m.reason),
        new_fiscal: Set(m.new_budget.map(|s| StoredAmount::new(b, s.fiscal))),
        new_union: Set(m.new_budget.map(|s| StoredAmount::new(b, s.union))),
        new_targets: Set(m.new_targets.to_string()),
        corrective_action_id: Set(m.corrective_action_id),
        active: Set(true),
        decided_by: Set(m.decided_by),
        decided_by_username: Set(m.decided_by_username),
        lift_reason: Set(None),
        lifted_by: Set(None),
        lifted_at: Set(None),
        created_at: Set(super::now()),
    })
    .exec_with_returning(db)
    .await
    .and_then(to_domain)
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Measure>, DbErr> {
    shared::one(db, Entity::find_by_id(id), to_domain).await
}

#[derive(Debug, Default, Clone)]
pub struct MeasureFilter {
    pub unit_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub period_id: Option<Uuid>,
    pub kind: Option<MeasureKind>,
    pub active: Option<bool>,
    /// The budget year of the item.
    pub year: Option<i32>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    f: &MeasureFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Measure>, u64), DbErr> {
    let items_of_year = |y: i32| {
        Column::ItemId.in_subquery(
            sea_orm::sea_query::Query::select()
                .column(item::Column::Id)
                .from(item::Entity)
                .and_where(item::Column::Year.eq(y))
                .to_owned(),
        )
    };
    let q = Entity::find()
        .apply_if(f.unit_id, |q, x| q.filter(Column::UnitId.eq(x)))
        .apply_if(f.item_id, |q, x| q.filter(Column::ItemId.eq(x)))
        .apply_if(f.period_id, |q, x| q.filter(Column::PeriodId.eq(x)))
        .apply_if(f.kind, |q, x| q.filter(Column::Kind.eq(x.as_str())))
        .apply_if(f.active, |q, x| q.filter(Column::Active.eq(x)))
        .apply_if(f.year, |q, y| q.filter(items_of_year(y)));
    let order = [(Column::CreatedAt, Order::Desc), (Column::Id, Order::Asc)];
    shared::page(db, q, &order, offset, limit, to_domain).await
}

/// The active measures of some items, for showing them with the items.
pub async fn active_for_items(
    db: &impl ConnectionTrait,
    item_ids: &[Uuid],
) -> Result<Vec<Measure>, DbErr> {
    if item_ids.is_empty() {
        return Ok(vec![]);
    }
    let q = Entity::find()
        .filter(Column::ItemId.is_in(item_ids.to_vec()))
        .filter(Column::Active.eq(true))
        .order_by_asc(Column::CreatedAt);
    shared::all(db, q, to_domain).await
}

/// Lifts an active measure; `false` if it was not active.
pub async fn lift(
    db: &impl ConnectionTrait,
    id: Uuid,
    reason: &str,
    by: Uuid,
) -> Result<bool, DbErr> {
    let res = Entity::update_many()
        .col_expr(Column::Active, Expr::value(false))
        .col_expr(Column::LiftReason, Expr::value(reason))
        .col_expr(Column::LiftedBy, Expr::value(by))
        .col_expr(Column::LiftedAt, Expr::value(super::now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Active.eq(true))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}
