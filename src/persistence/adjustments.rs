//! Queries on adjustment requests (Art. 13).

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, Order, QueryFilter,
    QueryTrait,
};
use uuid::Uuid;

use super::entities::adjustment_request::{self, Column, Entity};
use super::money::{optional_split, StoredAmount};
use super::shared;
use crate::domain::follow_through::{
    AdjustmentCause, AdjustmentRequest, AdjustmentStatus, TargetChange,
};
use crate::domain::FundSplit;

fn bad(what: &str, e: impl std::fmt::Display) -> DbErr {
    DbErr::Type(format!("stored adjustment request {what}: {e}"))
}

fn to_domain(r: adjustment_request::Model) -> Result<AdjustmentRequest, DbErr> {
    Ok(AdjustmentRequest {
        cause: r.cause.parse().map_err(|e| bad("cause", e))?,
        status: r.status.parse().map_err(|e| bad("status", e))?,
        new_targets: serde_json::from_str(&r.new_targets).map_err(|e| bad("new_targets", e))?,
        new_budget: optional_split(r.new_fiscal, r.new_union)?,
        id: r.id,
        item_id: r.item_id,
        unit_id: r.unit_id,
        explanation: r.explanation,
        countermeasures: r.countermeasures,
        decision_reason: r.decision_reason,
        decided_by: r.decided_by,
        decided_at: r.decided_at,
        created_by: r.created_by,
        version: r.version,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

pub struct NewAdjustment {
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub cause: AdjustmentCause,
    pub explanation: String,
    pub countermeasures: String,
    pub new_budget: Option<FundSplit>,
    pub new_targets: Vec<TargetChange>,
    pub created_by: Uuid,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    a: NewAdjustment,
) -> Result<AdjustmentRequest, DbErr> {
    let b = db.get_database_backend();
    let now = super::now();
    Entity::insert(adjustment_request::ActiveModel {
        id: Set(Uuid::new_v4()),
        item_id: Set(a.item_id),
        unit_id: Set(a.unit_id),
        cause: Set(a.cause.as_str().into()),
        explanation: Set(a.explanation),
        countermeasures: Set(a.countermeasures),
        new_fiscal: Set(a.new_budget.map(|s| StoredAmount::new(b, s.fiscal))),
        new_union: Set(a.new_budget.map(|s| StoredAmount::new(b, s.union))),
        new_targets: Set(serde_json::to_string(&a.new_targets).unwrap_or_else(|_| "[]".into())),
        status: Set(AdjustmentStatus::Pending.as_str().into()),
        decision_reason: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        created_by: Set(a.created_by),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_with_returning(db)
    .await
    .and_then(to_domain)
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<AdjustmentRequest>, DbErr> {
    shared::one(db, Entity::find_by_id(id), to_domain).await
}

#[derive(Debug, Default, Clone)]
pub struct AdjustmentFilter {
    pub unit_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub status: Option<AdjustmentStatus>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    f: &AdjustmentFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<AdjustmentRequest>, u64), DbErr> {
    let q = Entity::find()
        .apply_if(f.unit_id, |q, x| q.filter(Column::UnitId.eq(x)))
        .apply_if(f.item_id, |q, x| q.filter(Column::ItemId.eq(x)))
        .apply_if(f.status, |q, x| q.filter(Column::Status.eq(x.as_str())));
    let order = [(Column::CreatedAt, Order::Desc), (Column::Id, Order::Asc)];
    shared::page(db, q, &order, offset, limit, to_domain).await
}

/// Records the decision if the request is still pending at `expected_version`.
pub async fn decide(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    status: AdjustmentStatus,
    reason: Option<String>,
    decided_by: Uuid,
) -> Result<bool, DbErr> {
    let now = super::now();
    shared::update_versioned::<Entity>(db, id, expected_version, now, |q| {
        q.col_expr(Column::Status, Expr::value(status.as_str()))
            .col_expr(Column::DecisionReason, Expr::value(reason))
            .col_expr(Column::DecidedBy, Expr::value(decided_by))
            .col_expr(Column::DecidedAt, Expr::value(now))
    })
    .await
}
