use sea_orm::entity::prelude::*;

use crate::persistence::money::StoredAmount;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "items")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub unit_id: Uuid,
    pub year: i32,
    pub kind: String,
    pub name: String,
    pub key_monitored: bool,
    pub budget_fiscal: StoredAmount,
    pub budget_union: StoredAmount,
    pub original_fiscal: StoredAmount,
    pub original_union: StoredAmount,
    pub annual_goal: String,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub previous_item_id: Option<Uuid>,
    pub funding_source: Option<String>,
    pub parent_id: Option<Uuid>,
    pub payment_status: String,
    pub overall_key: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::indicator::Entity")]
    Indicators,
}

impl Related<super::indicator::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Indicators.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
