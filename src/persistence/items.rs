//! Queries on monitored items.

use sea_orm::sea_query::{Expr, IntoIden, LockType};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult,
    IdenStatic, Iterable, JoinType, Order, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    RelationTrait, UpdateMany,
};
use uuid::Uuid;

use super::entities::indicator;
use super::entities::item::{self, Column, Entity};
use super::money::{split, StoredAmount};
use super::shared;
use crate::domain::indicator::Indicator;
use crate::domain::item::{FundingSource, Item, ItemKind, PaymentStatus};
use crate::domain::FundSplit;

fn parse<T: std::str::FromStr<Err = String>>(col: &str, v: &str) -> Result<T, DbErr> {
    v.parse()
        .map_err(|e| DbErr::Type(format!("items.{col}: {e}")))
}

fn to_domain(m: item::Model) -> Result<Item, DbErr> {
    Ok(Item {
        kind: parse::<ItemKind>("kind", &m.kind)?,
        funding_source: m
            .funding_source
            .as_deref()
            .map(|s| parse::<FundingSource>("funding_source", s))
            .transpose()?,
        payment_status: parse::<PaymentStatus>("payment_status", &m.payment_status)?,
        budget: split(m.budget_fiscal, m.budget_union)?,
        original_budget: split(m.original_fiscal, m.original_union)?,
        id: m.id,
        unit_id: m.unit_id,
        year: m.year,
        name: m.name,
        key_monitored: m.key_monitored,
        annual_goal: m.annual_goal,
        start_year: m.start_year,
        end_year: m.end_year,
        previous_item_id: m.previous_item_id,
        parent_id: m.parent_id,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// The fields of an item its unit writes.
#[derive(Debug, Clone)]
pub struct ItemFields {
    pub unit_id: Uuid,
    pub year: i32,
    pub kind: ItemKind,
    pub name: String,
    pub budget: FundSplit,
    pub annual_goal: String,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub previous_item_id: Option<Uuid>,
    pub funding_source: Option<FundingSource>,
    pub parent_id: Option<Uuid>,
}

fn overall_key(kind: ItemKind, unit_id: Uuid, year: i32) -> Option<String> {
    (kind == ItemKind::Overall).then(|| format!("{}:{year}", unit_id.simple()))
}

fn to_active(b: DbBackend, it: &Item) -> item::ActiveModel {
    item::ActiveModel {
        id: Set(it.id),
        unit_id: Set(it.unit_id),
        year: Set(it.year),
        kind: Set(it.kind.as_str().into()),
        name: Set(it.name.clone()),
        key_monitored: Set(it.key_monitored),
        budget_fiscal: Set(StoredAmount::new(b, it.budget.fiscal)),
        budget_union: Set(StoredAmount::new(b, it.budget.union)),
        original_fiscal: Set(StoredAmount::new(b, it.original_budget.fiscal)),
        original_union: Set(StoredAmount::new(b, it.original_budget.union)),
        annual_goal: Set(it.annual_goal.clone()),
        start_year: Set(it.start_year),
        end_year: Set(it.end_year),
        previous_item_id: Set(it.previous_item_id),
        funding_source: Set(it.funding_source.map(|s| s.as_str().into())),
        parent_id: Set(it.parent_id),
        payment_status: Set(it.payment_status.as_str().into()),
        overall_key: Set(overall_key(it.kind, it.unit_id, it.year)),
        version: Set(it.version),
        created_at: Set(it.created_at),
        updated_at: Set(it.updated_at),
    }
}

/// A new item as [`insert`] stores it: version 1, original budget = budget, payments normal.
pub fn new_item(f: ItemFields, key_monitored: bool) -> Item {
    let now = super::now();
    Item {
        id: Uuid::new_v4(),
        unit_id: f.unit_id,
        year: f.year,
        kind: f.kind,
        name: f.name,
        key_monitored,
        budget: f.budget,
        original_budget: f.budget,
        annual_goal: f.annual_goal,
        start_year: f.start_year,
        end_year: f.end_year,
        previous_item_id: f.previous_item_id,
        funding_source: f.funding_source,
        parent_id: f.parent_id,
        payment_status: PaymentStatus::Normal,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

#[tracing::instrument(skip_all)]
pub async fn insert(
    db: &impl ConnectionTrait,
    f: ItemFields,
    key_monitored: bool,
) -> Result<Item, DbErr> {
    let m = to_active(db.get_database_backend(), &new_item(f, key_monitored));
    to_domain(Entity::insert(m).exec_with_returning(db).await?)
}

/// Stores many items at once, a few multi-row statements in all (bulk loads).
pub async fn insert_many(db: &impl ConnectionTrait, items: &[Item]) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    super::insert_chunked::<Entity, _>(db, items.iter().map(|i| to_active(b, i))).await
}

#[tracing::instrument(skip_all)]
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Item>, DbErr> {
    shared::one(db, Entity::find_by_id(id), to_domain).await
}

/// The item `id` with its indicators in their order (as `indicators::of_item` lists them), in
/// one query. The indicators' columns keep their own names; the item's, repeated on every row of
/// the join, are named with [`ITEM_PREFIX`] and read from the first row only.
pub async fn with_indicators(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(Item, Vec<Indicator>)>, DbErr> {
    item_with_indicators(db, id, false).await
}

/// [`with_indicators`], the item's row locked against changes (`FOR SHARE` on PostgreSQL;
/// SQLite's one writer needs no lock) until the transaction ends: what a form is judged
/// against stays as read, and a budget or target edit waits for the form's step and sees it.
pub async fn with_indicators_kept(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(Item, Vec<Indicator>)>, DbErr> {
    item_with_indicators(db, id, true).await
}

/// Locks the item's row for a change of its budget or of its indicators' targets (`FOR
/// UPDATE` on PostgreSQL), so that whether a form was filed on it is read after any form's
/// step that read it has committed.
pub async fn lock_for_edit(db: &impl ConnectionTrait, id: Uuid) -> Result<(), DbErr> {
    let q = Entity::find_by_id(id)
        .select_only()
        .column(Column::Id)
        .lock_exclusive()
        .build(db.get_database_backend());
    db.query_one_raw(q).await?;
    Ok(())
}

async fn item_with_indicators(
    db: &impl ConnectionTrait,
    id: Uuid,
    kept: bool,
) -> Result<Option<(Item, Vec<Indicator>)>, DbErr> {
    let mut select = Entity::find_by_id(id).select_only();
    for c in indicator::Column::iter() {
        select = select.column(c);
    }
    for c in Column::iter() {
        select = select.column_as(c, format!("{ITEM_PREFIX}{}", c.as_str()));
    }
    let mut q = select
        .join(JoinType::LeftJoin, item::Relation::Indicators.def())
        .order_by_asc(indicator::Column::Position)
        .order_by_asc(indicator::Column::Id)
        .into_query();
    if kept {
        // The item's row only: the indicators are on the nullable side of the join.
        q.lock_with_tables(LockType::Share, [Entity.into_iden()]);
    }
    let q = db.get_database_backend().build(&q);
    let rows = db.query_all_raw(q).await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let item = to_domain(item::Model::from_query_result(first, ITEM_PREFIX)?)?;
    let mut indicators = Vec::with_capacity(rows.len());
    for row in &rows {
        if let Some(m) = indicator::Model::from_query_result_optional(row, "")? {
            indicators.push(super::indicators::to_domain(m)?);
        }
    }
    Ok(Some((item, indicators)))
}

/// The prefix of the item's columns in [`with_indicators`].
const ITEM_PREFIX: &str = "A_";

#[derive(Debug, Default, Clone)]
pub struct ItemFilter {
    pub unit_id: Option<Uuid>,
    pub year: Option<i32>,
    pub kind: Option<ItemKind>,
    pub key_monitored: Option<bool>,
}

/// The unit's items of a year with this name (at most two: the caller only needs to know
/// whether the name is unique).
pub async fn named(
    db: &impl ConnectionTrait,
    unit_id: Uuid,
    year: i32,
    name: &str,
) -> Result<Vec<Item>, DbErr> {
    let q = Entity::find()
        .filter(Column::UnitId.eq(unit_id))
        .filter(Column::Year.eq(year))
        .filter(Column::Name.eq(name))
        .order_by_asc(Column::Id)
        .limit(2);
    shared::all(db, q, to_domain).await
}

#[tracing::instrument(skip_all)]
pub async fn list(
    db: &impl ConnectionTrait,
    f: &ItemFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Item>, u64), DbErr> {
    let q = Entity::find()
        .apply_if(f.unit_id, |q, u| q.filter(Column::UnitId.eq(u)))
        .apply_if(f.year, |q, y| q.filter(Column::Year.eq(y)))
        .apply_if(f.kind, |q, k| q.filter(Column::Kind.eq(k.as_str())))
        .apply_if(f.key_monitored, |q, k| q.filter(Column::KeyMonitored.eq(k)));
    let order = [
        Column::Year,
        Column::UnitId,
        Column::Kind,
        Column::Name,
        Column::Id,
    ]
    .map(|c| (c, Order::Asc));
    shared::page(db, q, &order, offset, limit, to_domain).await
}

/// Sets the budget, and with `original` the original budget too.
fn with_budget(
    b: DbBackend,
    q: UpdateMany<Entity>,
    budget: FundSplit,
    original: bool,
) -> UpdateMany<Entity> {
    let (fiscal, union) = (
        StoredAmount::new(b, budget.fiscal),
        StoredAmount::new(b, budget.union),
    );
    let q = q
        .col_expr(Column::BudgetFiscal, Expr::value(fiscal))
        .col_expr(Column::BudgetUnion, Expr::value(union));
    if !original {
        return q;
    }
    q.col_expr(Column::OriginalFiscal, Expr::value(fiscal))
        .col_expr(Column::OriginalUnion, Expr::value(union))
}

/// Writes the unit's fields; the original budget follows the budget (a correction, not an
/// adjustment). `false` if the item moved past `expected_version`.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    f: ItemFields,
) -> Result<bool, DbErr> {
    let b = db.get_database_backend();
    shared::update_versioned::<Entity>(db, id, expected_version, super::now(), |q| {
        with_budget(b, q, f.budget, true)
            .col_expr(Column::Name, Expr::value(f.name))
            .col_expr(Column::AnnualGoal, Expr::value(f.annual_goal))
            .col_expr(Column::StartYear, Expr::value(f.start_year))
            .col_expr(Column::EndYear, Expr::value(f.end_year))
            .col_expr(Column::PreviousItemId, Expr::value(f.previous_item_id))
            .col_expr(
                Column::FundingSource,
                Expr::value(f.funding_source.map(|s| s.as_str().to_string())),
            )
            .col_expr(Column::ParentId, Expr::value(f.parent_id))
    })
    .await
}

/// Finance's key-monitoring designation (Art. 10).
#[tracing::instrument(skip_all)]
pub async fn set_key_monitored(
    db: &impl ConnectionTrait,
    id: Uuid,
    key: bool,
) -> Result<(), DbErr> {
    shared::update_row::<Entity>(db, id, super::now(), |q| {
        q.col_expr(Column::KeyMonitored, Expr::value(key))
    })
    .await?;
    Ok(())
}

/// Sets the budget as an adjustment: the original budget stays as it was.
#[tracing::instrument(skip_all)]
pub async fn adjust_budget(
    db: &impl ConnectionTrait,
    id: Uuid,
    budget: FundSplit,
) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    shared::update_row::<Entity>(db, id, super::now(), |q| with_budget(b, q, budget, false))
        .await?;
    Ok(())
}

/// Sets the payment status that follows from the item's active measures.
#[tracing::instrument(skip_all)]
pub async fn set_payment_status(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: PaymentStatus,
) -> Result<(), DbErr> {
    shared::update_row::<Entity>(db, id, super::now(), |q| {
        q.col_expr(Column::PaymentStatus, Expr::value(status.as_str()))
    })
    .await?;
    Ok(())
}

/// Every project item of a unit, in every year: the candidates of a project's life, read
/// in one query.
pub async fn projects_of_unit(
    db: &impl ConnectionTrait,
    unit_id: Uuid,
) -> Result<Vec<Item>, DbErr> {
    let q = Entity::find()
        .filter(Column::UnitId.eq(unit_id))
        .filter(Column::Kind.eq(ItemKind::Project.as_str()))
        .order_by_asc(Column::Year)
        .order_by_asc(Column::Id);
    shared::all(db, q, to_domain).await
}

/// Inserts an item as a copy for another year (no key designation, normal payments).
pub async fn insert_copy(db: &impl ConnectionTrait, f: ItemFields) -> Result<Item, DbErr> {
    insert(db, f, false).await
}
