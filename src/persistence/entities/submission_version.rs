use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "submission_versions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub submission_id: Uuid,
    pub number: i32,
    /// `submitted`, `returned` or `accepted`.
    pub event: String,
    pub reason: Option<String>,
    /// The whole submission as read back at that moment, as JSON.
    pub snapshot: String,
    pub actor_id: Uuid,
    pub actor_username: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
