//! A measure as the API shows it: on its own (`/measures`) and among an item's measures in
//! force (`/items/{id}`), so neither resource imports the other.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::follow_through::{Measure, MeasureKind};
use crate::domain::FundSplit;
use crate::error::ApiResult;
use crate::http::respond::Resource;
use crate::http::same_fields::same_fields;
use crate::http::target_change::{self, TargetChange};

/// A finance measure.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "4d5e6f70-8192-43a4-b5c6-d7e8f90a1b23", "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "kind": "suspend_payment", "reason": "执行进度严重滞后", "new_budget": null, "new_targets": [], "corrective_action_id": null, "active": true, "decided_by": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "decided_by_username": "finance", "created_at": "2026-07-28T06:00:00Z", "lift_reason": null, "lifted_by": null, "lifted_at": null}))]
pub struct MeasureResponse {
    pub id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    /// The monitoring period it came from.
    pub period_id: Option<Uuid>,
    pub kind: MeasureKind,
    pub reason: String,
    pub new_budget: Option<FundSplit>,
    pub new_targets: Vec<TargetChange>,
    /// The corrective action a rectification opened.
    pub corrective_action_id: Option<Uuid>,
    pub active: bool,
    pub decided_by: Uuid,
    pub decided_by_username: String,
    pub created_at: DateTime<Utc>,
    pub lift_reason: Option<String>,
    pub lifted_by: Option<Uuid>,
    pub lifted_at: Option<DateTime<Utc>>,
}

same_fields!(Measure => MeasureResponse {
    id,
    item_id,
    unit_id,
    period_id,
    kind,
    reason,
    new_budget,
    new_targets: target_change::to_wire,
    corrective_action_id,
    active,
    decided_by,
    decided_by_username,
    created_at,
    lift_reason,
    lifted_by,
    lifted_at,
});

/// A measure as the API shows it (with an item's active measures, too).
pub fn to_response(m: Measure) -> ApiResult<MeasureResponse> {
    Ok(m.into())
}

impl Resource for MeasureResponse {
    fn location(&self) -> String {
        format!("/api/v1/measures/{}", self.id)
    }
    // A measure has no version: it is decided, then at most lifted.
    fn version(&self) -> Option<i32> {
        None
    }
}
