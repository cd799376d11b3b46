//! The follow-through records as the service keeps them: a measure, a corrective action with
//! its notes, an adjustment request, and the new targets a measure or a request carries.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{ActionSource, ActionStatus, AdjustmentCause, AdjustmentStatus, Lens, MeasureKind};
use crate::domain::FundSplit;

/// A new target for one indicator of an item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TargetChange {
    pub indicator_id: Uuid,
    /// A decimal, or the expected description of a qualitative indicator.
    pub target: String,
}

/// A finance decision on an item (Art. 12, 14).
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
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

/// A corrective action (纠偏措施).
#[derive(Debug, Clone, PartialEq)]
pub struct CorrectiveAction {
    pub id: Uuid,
    pub submission_id: Uuid,
    pub indicator_id: Option<Uuid>,
    pub period_id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub lens: Lens,
    pub cause: String,
    pub objective_cause: bool,
    pub measure: String,
    pub owner: String,
    pub due_date: NaiveDate,
    pub status: ActionStatus,
    pub source: ActionSource,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A progress note or a status change of a corrective action.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionNote {
    pub event: String,
    pub note: String,
    pub author_id: Uuid,
    pub author_username: String,
    pub created_at: DateTime<Utc>,
}

/// An adjustment request (Art. 13).
#[derive(Debug, Clone, PartialEq)]
pub struct AdjustmentRequest {
    pub id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub cause: AdjustmentCause,
    pub explanation: String,
    pub countermeasures: String,
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
