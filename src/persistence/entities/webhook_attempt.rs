use sea_orm::entity::prelude::*;

/// One attempt at a delivery: the delivery log.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub delivery_id: Uuid,
    /// 1 for the first attempt of the delivery.
    pub attempt: i32,
    /// The endpoint's HTTP status; `None` when it gave none (timeout, refused, …).
    pub status_code: Option<i32>,
    pub latency_ms: i64,
    pub error: Option<String>,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
