use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "published_reports")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub period_id: Uuid,
    pub json: String,
    pub csv: Vec<u8>,
    pub xlsx: Vec<u8>,
    /// Null for a report published before the Word document was frozen with it.
    pub docx: Option<Vec<u8>>,
    pub published_at: DateTimeUtc,
    pub published_by: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
