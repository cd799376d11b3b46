use sea_orm::entity::prelude::*;

/// The head of the audit trail's hash chain: one row (`id = 1`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_chain")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub last_seq: i64,
    pub last_hash: String,
    /// The `seq` of the change feed's last event (`events`): positions are taken here, under
    /// the same row lock as the chain's.
    pub last_event_seq: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
