//! The wire types of `/measures`.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::corrective_actions::Plan;
use crate::app::measures::{MeasureInput, OrderInput};
use crate::domain::follow_through::{Lens, MeasureKind};
use crate::domain::FundSplit;
use crate::http::target_change::{self, TargetChange};

pub use crate::http::measure_view::{to_response, MeasureResponse};

/// A rectification order's corrective action.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"submission_id": "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d", "lens": "compliance", "measure": "清理超标准配置资产", "owner": "办公室", "due_date": "2026-09-30"}))]
pub struct RectificationOrder {
    /// The form whose findings are to be rectified (of the measure's item).
    pub submission_id: Uuid,
    pub lens: Lens,
    #[schema(min_length = 1, max_length = 2000)]
    pub measure: String,
    #[schema(min_length = 1, max_length = 100)]
    pub owner: String,
    pub due_date: crate::domain::IsoDate,
}

/// A finance decision on an item.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "kind": "suspend_payment", "reason": "执行进度严重滞后", "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98"}))]
pub struct CreateMeasureRequest {
    pub item_id: Uuid,
    pub kind: MeasureKind,
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
    #[serde(default)]
    pub period_id: Option<Uuid>,
    /// For `adjust_budget`.
    #[serde(default)]
    pub new_budget: Option<FundSplit>,
    /// For `adjust_indicators`.
    #[serde(default)]
    pub new_targets: Vec<TargetChange>,
    /// For `rectification`.
    #[serde(default)]
    pub rectification: Option<RectificationOrder>,
}

impl From<CreateMeasureRequest> for MeasureInput {
    fn from(r: CreateMeasureRequest) -> Self {
        MeasureInput {
            item_id: r.item_id,
            kind: r.kind,
            reason: r.reason,
            period_id: r.period_id,
            new_budget: r.new_budget,
            new_targets: target_change::to_domain(r.new_targets),
            rectification: r.rectification.map(|o| OrderInput {
                submission_id: o.submission_id,
                plan: Plan {
                    lens: o.lens,
                    measure: o.measure,
                    owner: o.owner,
                    due_date: o.due_date.get(),
                },
            }),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "已整改到位"}))]
pub struct LiftRequest {
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeasureListQuery {
    /// The items' budget year (e.g. the budget references for next year's preparation).
    pub year: Option<i32>,
    pub unit_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub period_id: Option<Uuid>,
    pub kind: Option<MeasureKind>,
    pub active: Option<bool>,
}
