use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "periods")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub year: i32,
    pub kind: String,
    pub name: String,
    pub as_of: Date,
    pub submission_deadline: Date,
    pub report_deadline: Date,
    pub status: String,
    /// Thresholds and grade values, as JSON.
    pub settings: String,
    /// `<year>-<kind>` for h1 and annual periods, which are one per year.
    pub singleton_key: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
