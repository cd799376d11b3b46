use sea_orm::entity::prelude::*;

/// One event of the change feed (`GET /api/v1/events`).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    /// The position in the feed: 1, 2, 3, … in commit order, without gaps.
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub id: Uuid,
    #[sea_orm(column_name = "type")]
    pub event_type: String,
    pub source: String,
    pub subject: String,
    pub time: DateTimeUtc,
    pub data: Json,
    /// The unit of the resource; `None` for one every role may read (a period).
    pub unit_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
