use sea_orm::entity::prelude::*;

use crate::persistence::money::StoredAmount;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "submissions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub period_id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub form: i16,
    pub status: String,
    /// What the unit filled in, as JSON.
    pub content: String,
    /// The computed figures, as JSON.
    pub computed: String,
    pub warning: String,
    pub late: bool,
    pub executed_fiscal: StoredAmount,
    pub executed_union: StoredAmount,
    pub submitted_at: Option<DateTimeUtc>,
    /// The report's columns, derived from `content` and `computed` (see `report_columns`).
    pub outlook: Option<String>,
    pub completion_rate: Option<String>,
    pub goal_light: Option<String>,
    /// The warning reasons, as JSON.
    pub reasons: Option<String>,
    /// The compliance checks that found a problem, as JSON.
    pub problems: Option<String>,
    /// The budget the figures were computed against (`computed.budget`).
    pub judged_budget_fiscal: Option<StoredAmount>,
    pub judged_budget_union: Option<StoredAmount>,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
