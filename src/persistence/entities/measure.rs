use sea_orm::entity::prelude::*;

use crate::persistence::money::StoredAmount;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "measures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub period_id: Option<Uuid>,
    pub kind: String,
    pub reason: String,
    pub new_fiscal: Option<StoredAmount>,
    pub new_union: Option<StoredAmount>,
    pub new_targets: String,
    pub corrective_action_id: Option<Uuid>,
    pub active: bool,
    pub decided_by: Uuid,
    pub decided_by_username: String,
    pub lift_reason: Option<String>,
    pub lifted_by: Option<Uuid>,
    pub lifted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
