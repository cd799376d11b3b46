//! The wire types of `/adjustment-requests`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::adjustments::ProposalInput;
use crate::domain::follow_through::{AdjustmentCause, AdjustmentRequest, AdjustmentStatus};
use crate::domain::FundSplit;
use crate::http::respond::Resource;
use crate::http::same_fields::same_fields;
use crate::http::target_change::{self, TargetChange};

/// An adjustment request.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "3c4d5e6f-7081-4293-a4b5-c6d7e8f90a12", "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "cause": "policy_change", "explanation": "上级调整帮扶标准", "countermeasures": "提高单人帮扶额度", "new_budget": {"fiscal": "260.000000", "union": "120.000000"}, "new_targets": [{"indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "target": "900"}], "status": "approved", "decision_reason": null, "decided_by": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "decided_at": "2026-07-25T06:00:00Z", "created_by": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "version": 2, "created_at": "2026-07-20T06:00:00Z", "updated_at": "2026-07-25T06:00:00Z"}))]
pub struct AdjustmentResponse {
    pub id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub cause: AdjustmentCause,
    pub explanation: String,
    pub countermeasures: String,
    /// The proposed budget, if the budget is to change.
    pub new_budget: Option<FundSplit>,
    pub new_targets: Vec<TargetChange>,
    pub status: AdjustmentStatus,
    pub decision_reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_by: Uuid,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

same_fields!(AdjustmentRequest => AdjustmentResponse {
    id,
    item_id,
    unit_id,
    cause,
    explanation,
    countermeasures,
    new_budget,
    new_targets: target_change::to_wire,
    status,
    decision_reason,
    decided_by,
    decided_at,
    created_by,
    version,
    created_at,
    updated_at,
});

impl Resource for AdjustmentResponse {
    fn location(&self) -> String {
        format!("/api/v1/adjustment-requests/{}", self.id)
    }
    fn version(&self) -> Option<i32> {
        Some(self.version)
    }
}

/// A proposal: an objective cause, what it did, the countermeasures, and a new budget and/or
/// new targets for named indicators of the item.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "cause": "policy_change",
    "explanation": "上级工会调整帮扶标准，受助人数减少", "countermeasures": "提高单人帮扶额度",
    "new_budget": {"fiscal": "260", "union": "120"},
    "new_targets": [{"indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "target": "900"}]
}))]
pub struct CreateAdjustmentRequest {
    pub item_id: Uuid,
    pub cause: AdjustmentCause,
    #[schema(min_length = 1, max_length = 4000)]
    pub explanation: String,
    #[schema(min_length = 1, max_length = 4000)]
    pub countermeasures: String,
    #[serde(default)]
    pub new_budget: Option<FundSplit>,
    #[serde(default)]
    pub new_targets: Vec<TargetChange>,
}

impl From<CreateAdjustmentRequest> for ProposalInput {
    fn from(r: CreateAdjustmentRequest) -> Self {
        ProposalInput {
            item_id: r.item_id,
            cause: r.cause,
            explanation: r.explanation,
            countermeasures: r.countermeasures,
            new_budget: r.new_budget,
            new_targets: target_change::to_domain(r.new_targets),
        }
    }
}

/// Why finance rejects.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "原因不属于客观因素"}))]
pub struct ReasonRequest {
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// An optional comment with an approval.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionalReason {
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdjustmentListQuery {
    pub unit_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub status: Option<AdjustmentStatus>,
}
