//! The item history: every change to an item's budget, targets, key designation and payment
//! status, with its cause and actor.

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::entities::item_history::{self, Column, Entity};

pub use crate::domain::item::HistoryEntry;

/// What changed and why.
pub struct Change<'a> {
    pub item_id: Uuid,
    pub field: &'static str,
    pub indicator_id: Option<Uuid>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub cause_type: &'static str,
    pub cause_id: Option<Uuid>,
    pub actor_id: Uuid,
    pub actor_username: &'a str,
}

/// Records a change; a "change" that leaves the value as it was is not one.
pub async fn record(db: &impl ConnectionTrait, c: Change<'_>) -> Result<(), DbErr> {
    if c.before == c.after {
        return Ok(());
    }
    Entity::insert(item_history::ActiveModel {
        id: Set(Uuid::now_v7()),
        item_id: Set(c.item_id),
        occurred_at: Set(super::now()),
        field: Set(c.field.into()),
        indicator_id: Set(c.indicator_id),
        before: Set(c.before),
        after: Set(c.after),
        cause_type: Set(c.cause_type.into()),
        cause_id: Set(c.cause_id),
        actor_id: Set(c.actor_id),
        actor_username: Set(c.actor_username.into()),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

fn to_domain(m: item_history::Model) -> HistoryEntry {
    HistoryEntry {
        occurred_at: m.occurred_at,
        field: m.field,
        indicator_id: m.indicator_id,
        before: m.before,
        after: m.after,
        cause_type: m.cause_type,
        cause_id: m.cause_id,
        actor_id: m.actor_id,
        actor_username: m.actor_username,
    }
}

/// An item's history, oldest first.
pub async fn of_item(db: &impl ConnectionTrait, item_id: Uuid) -> Result<Vec<HistoryEntry>, DbErr> {
    Ok(Entity::find()
        .filter(Column::ItemId.eq(item_id))
        .order_by_asc(Column::OccurredAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_domain)
        .collect())
}
