use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "item_history")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub item_id: Uuid,
    pub occurred_at: DateTimeUtc,
    /// `budget`, `target`, `key_monitored` or `payment_status`.
    pub field: String,
    pub indicator_id: Option<Uuid>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// `edit`, `adjustment_request`, `measure` or `key_designation`.
    pub cause_type: String,
    pub cause_id: Option<Uuid>,
    pub actor_id: Uuid,
    pub actor_username: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
