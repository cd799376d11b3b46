use sea_orm::entity::prelude::*;

use crate::persistence::money::StoredAmount;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "adjustment_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub cause: String,
    pub explanation: String,
    pub countermeasures: String,
    pub new_fiscal: Option<StoredAmount>,
    pub new_union: Option<StoredAmount>,
    /// `[{indicator_id, target}]` as JSON.
    pub new_targets: String,
    pub status: String,
    pub decision_reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
