//! The wire types of `/items`: what a client sends and what it reads.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::items::{ItemChanges, ItemInput};
use crate::app::pipeline::Change;
use crate::domain::item::{FundingSource, Item, ItemKind, PaymentStatus};
use crate::domain::FundSplit;
use crate::http::respond::Resource;

/// A monitored item.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90",
    "year": 2026, "kind": "special_fund", "form": 2, "name": "困难职工帮扶资金", "key_monitored": true,
    "budget": {"fiscal": "300.000000", "union": "120.000000"},
    "original_budget": {"fiscal": "300.000000", "union": "120.000000"},
    "annual_goal": "全年帮扶困难职工1200人次", "start_year": null, "end_year": null, "previous_item_id": null,
    "funding_source": "fiscal_allocation", "parent_id": null, "payment_status": "normal", "version": 1,
    "created_at": "2026-02-01T08:00:00Z", "updated_at": "2026-02-01T08:00:00Z"
}))]
pub struct ItemResponse {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub year: i32,
    pub kind: ItemKind,
    /// The official form: 1 整体, 2 专项资金, 3 项目.
    pub form: i16,
    pub name: String,
    /// 重点监控 (Art. 10), set by finance.
    pub key_monitored: bool,
    /// 预算数 now: original plus approved adjustments.
    pub budget: FundSplit,
    /// The budget before any adjustment.
    pub original_budget: FundSplit,
    /// 年度预期目标
    pub annual_goal: String,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    /// The same project's item of the previous year.
    pub previous_item_id: Option<Uuid>,
    pub funding_source: Option<FundingSource>,
    /// The parent special fund of a sub-project or allocation.
    pub parent_id: Option<Uuid>,
    /// Set by finance measures (Art. 14).
    pub payment_status: PaymentStatus,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The finance measures in force on the item (single reads only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_measures: Option<Vec<crate::http::measure_view::MeasureResponse>>,
}

impl From<Item> for ItemResponse {
    fn from(i: Item) -> Self {
        ItemResponse {
            form: i.kind.form(),
            id: i.id,
            unit_id: i.unit_id,
            year: i.year,
            kind: i.kind,
            name: i.name,
            key_monitored: i.key_monitored,
            budget: i.budget,
            original_budget: i.original_budget,
            annual_goal: i.annual_goal,
            start_year: i.start_year,
            end_year: i.end_year,
            previous_item_id: i.previous_item_id,
            funding_source: i.funding_source,
            parent_id: i.parent_id,
            payment_status: i.payment_status,
            version: i.version,
            created_at: i.created_at,
            updated_at: i.updated_at,
            active_measures: None,
        }
    }
}

/// A new item. `key_monitored` and `payment_status` are finance's and cannot be sent here.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "year": 2026, "kind": "special_fund",
    "name": "困难职工帮扶资金", "budget": {"fiscal": "300", "union": "120"},
    "annual_goal": "全年帮扶困难职工1200人次", "funding_source": "fiscal_allocation"
}))]
pub struct CreateItemRequest {
    /// The unit; a reporter may leave it out (its own unit is used).
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
    pub kind: ItemKind,
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    pub budget: FundSplit,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub annual_goal: String,
    /// Projects: the first and last year of the project's life.
    #[serde(default)]
    #[schema(minimum = 2000, maximum = 2100)]
    pub start_year: Option<i32>,
    #[serde(default)]
    #[schema(minimum = 2000, maximum = 2100)]
    pub end_year: Option<i32>,
    /// Projects: the same project's item of the previous year.
    #[serde(default)]
    pub previous_item_id: Option<Uuid>,
    /// Special funds: where the money comes from.
    #[serde(default)]
    pub funding_source: Option<FundingSource>,
    /// Special funds: the parent fund of a sub-project or an allocation to a subordinate union.
    #[serde(default)]
    pub parent_id: Option<Uuid>,
}

/// Changes to an item; absent fields stay. The budget can be corrected only until a form for
/// the item is submitted; after that it changes through an adjustment.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"annual_goal": "全年帮扶困难职工1300人次"}))]
pub struct UpdateItemRequest {
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    pub budget: Option<FundSplit>,
    #[schema(max_length = 4000)]
    pub annual_goal: Option<String>,
    #[schema(minimum = 2000, maximum = 2100)]
    pub start_year: Option<i32>,
    #[schema(minimum = 2000, maximum = 2100)]
    pub end_year: Option<i32>,
    pub funding_source: Option<FundingSource>,
    #[serde(default, deserialize_with = "crate::http::extract::double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub parent_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "crate::http::extract::double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub previous_item_id: Option<Option<Uuid>>,
}

/// Finance's key-monitoring designation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"key_monitored": true}))]
pub struct KeyMonitoringRequest {
    pub key_monitored: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ItemListQuery {
    pub year: Option<i32>,
    pub unit_id: Option<Uuid>,
    pub kind: Option<ItemKind>,
    pub key_monitored: Option<bool>,
}

/// The year to copy an item into.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"year": 2027}))]
pub struct CopyItemRequest {
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i32,
}

impl Resource for ItemResponse {
    fn location(&self) -> String {
        format!("/api/v1/items/{}", self.id)
    }
    fn version(&self) -> Option<i32> {
        Some(self.version)
    }
}

/// A copy as it is answered (the new item) and audited (`before` names the source item).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum CopiedItem {
    Copy(Box<ItemResponse>),
    Source { source_item_id: Uuid },
}

impl CopiedItem {
    /// The copy's change with its source as `before`.
    pub fn from_source(source_item_id: Uuid, change: Change<Item>) -> Change<CopiedItem> {
        let change = change.map(|i| CopiedItem::Copy(Box::new(i.into())));
        Change {
            before: Some(CopiedItem::Source { source_item_id }),
            ..change
        }
    }
}

impl Resource for CopiedItem {
    fn location(&self) -> String {
        match self {
            CopiedItem::Copy(i) => i.location(),
            CopiedItem::Source { source_item_id } => format!("/api/v1/items/{source_item_id}"),
        }
    }
    fn version(&self) -> Option<i32> {
        match self {
            CopiedItem::Copy(i) => i.version(),
            CopiedItem::Source { .. } => None,
        }
    }
}

impl From<CreateItemRequest> for ItemInput {
    fn from(r: CreateItemRequest) -> Self {
        ItemInput {
            unit_id: r.unit_id,
            year: r.year,
            kind: r.kind,
            name: r.name,
            budget: r.budget,
            annual_goal: r.annual_goal,
            start_year: r.start_year,
            end_year: r.end_year,
            previous_item_id: r.previous_item_id,
            funding_source: r.funding_source,
            parent_id: r.parent_id,
        }
    }
}

impl From<UpdateItemRequest> for ItemChanges {
    fn from(r: UpdateItemRequest) -> Self {
        ItemChanges {
            name: r.name,
            budget: r.budget,
            annual_goal: r.annual_goal,
            start_year: r.start_year,
            end_year: r.end_year,
            funding_source: r.funding_source,
            parent_id: r.parent_id,
            previous_item_id: r.previous_item_id,
        }
    }
}
