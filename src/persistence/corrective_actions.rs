//! Queries on corrective actions (纠偏措施) and their progress notes.

use chrono::NaiveDate;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, Order, QueryFilter,
    QueryOrder, QueryTrait, Select,
};
use uuid::Uuid;

use super::entities::corrective_action::{self, Column, Entity};
use super::entities::corrective_action_note as note;
use super::shared;
use crate::domain::follow_through::{
    ActionNote, ActionSource, ActionStatus, CorrectiveAction, Lens,
};

fn bad(what: &str, e: impl std::fmt::Display) -> DbErr {
    DbErr::Type(format!("stored corrective action {what}: {e}"))
}

fn to_domain(r: corrective_action::Model) -> Result<CorrectiveAction, DbErr> {
    Ok(CorrectiveAction {
        lens: r.lens.parse().map_err(|e| bad("lens", e))?,
        status: r.status.parse().map_err(|e| bad("status", e))?,
        source: r.source.parse().map_err(|e| bad("source", e))?,
        id: r.id,
        submission_id: r.submission_id,
        indicator_id: r.indicator_id,
        period_id: r.period_id,
        item_id: r.item_id,
        unit_id: r.unit_id,
        cause: r.cause,
        objective_cause: r.objective_cause,
        measure: r.measure,
        owner: r.owner,
        due_date: r.due_date,
        version: r.version,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

pub struct NewAction {
    pub submission_id: Uuid,
    pub indicator_id: Option<Uuid>,
    pub period_id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub lens: Lens,
    pub cause: String,
    pub objective_cause: bool,
    pub measure: String,
    pub owner: String,
    pub due_date: NaiveDate,
    pub source: ActionSource,
    pub created_by: Uuid,
}

pub async fn insert(db: &impl ConnectionTrait, a: NewAction) -> Result<CorrectiveAction, DbErr> {
    let now = super::now();
    Entity::insert(corrective_action::ActiveModel {
        id: Set(Uuid::new_v4()),
        submission_id: Set(a.submission_id),
        indicator_id: Set(a.indicator_id),
        period_id: Set(a.period_id),
        item_id: Set(a.item_id),
        unit_id: Set(a.unit_id),
        lens: Set(a.lens.as_str().into()),
        cause: Set(a.cause),
        objective_cause: Set(a.objective_cause),
        measure: Set(a.measure),
        owner: Set(a.owner),
        due_date: Set(a.due_date),
        status: Set(ActionStatus::Open.as_str().into()),
        source: Set(a.source.as_str().into()),
        created_by: Set(a.created_by),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_with_returning(db)
    .await
    .and_then(to_domain)
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<CorrectiveAction>, DbErr> {
    shared::one(db, Entity::find_by_id(id), to_domain).await
}

#[derive(Debug, Default, Clone)]
pub struct ActionFilter {
    pub period_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub submission_id: Option<Uuid>,
    pub status: Option<ActionStatus>,
    pub source: Option<ActionSource>,
    /// `Some(today)`: only overdue ones (pending, due before today); with `overdue_false`, only the others.
    pub overdue_as_of: Option<(NaiveDate, bool)>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    f: &ActionFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<CorrectiveAction>, u64), DbErr> {
    let overdue = |q: Select<Entity>, (today, overdue): (NaiveDate, bool)| {
        let cond = super::rule_filters::overdue_action(today);
        q.filter(if overdue { cond } else { cond.not() })
    };
    let q = Entity::find()
        .apply_if(f.period_id, |q, x| q.filter(Column::PeriodId.eq(x)))
        .apply_if(f.unit_id, |q, x| q.filter(Column::UnitId.eq(x)))
        .apply_if(f.item_id, |q, x| q.filter(Column::ItemId.eq(x)))
        .apply_if(f.submission_id, |q, x| q.filter(Column::SubmissionId.eq(x)))
        .apply_if(f.status, |q, x| q.filter(Column::Status.eq(x.as_str())))
        .apply_if(f.source, |q, x| q.filter(Column::Source.eq(x.as_str())))
        .apply_if(f.overdue_as_of, overdue);
    let order = [(Column::DueDate, Order::Asc), (Column::Id, Order::Asc)];
    shared::page(db, q, &order, offset, limit, to_domain).await
}

pub async fn set_status(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    status: ActionStatus,
) -> Result<bool, DbErr> {
    shared::update_versioned::<Entity>(db, id, expected_version, super::now(), |q| {
        q.col_expr(Column::Status, Expr::value(status.as_str()))
    })
    .await
}

pub async fn add_note(
    db: &impl ConnectionTrait,
    action_id: Uuid,
    event: &str,
    text: &str,
    author_id: Uuid,
    author: &str,
) -> Result<(), DbErr> {
    note::Entity::insert(note::ActiveModel {
        id: Set(Uuid::now_v7()),
        action_id: Set(action_id),
        event: Set(event.into()),
        note: Set(text.into()),
        author_id: Set(author_id),
        author_username: Set(author.into()),
        created_at: Set(super::now()),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The notes of an action, oldest first.
pub async fn notes(db: &impl ConnectionTrait, action_id: Uuid) -> Result<Vec<ActionNote>, DbErr> {
    Ok(note::Entity::find()
        .filter(note::Column::ActionId.eq(action_id))
        .order_by_asc(note::Column::CreatedAt)
        .order_by_asc(note::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|n| ActionNote {
            event: n.event,
            note: n.note,
            author_id: n.author_id,
            author_username: n.author_username,
            created_at: n.created_at,
        })
        .collect())
}
