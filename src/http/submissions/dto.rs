//! The forms as the API shows and takes them: the requests and responses of `/submissions`,
//! each with its schema (the content and figures they carry are in `content`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub use super::content::{
    ComplianceEntry, Figures, IndicatorFigure, IndicatorValue, Rates, Signatures, SubmissionContent,
};
use crate::domain::item::ItemKind;
use crate::domain::monitoring::{Light, Possibility};
use crate::domain::submission::{self as domain, RootCause, Submission, SubmissionVersion};
use crate::domain::workflow::SubmissionStatus;
use crate::domain::FundSplit;
use crate::http::respond::Resource;

/// A form: what the unit filled in, and what the service computed from it.
// The API answers with it, and the audit trail keeps it as the values before and after.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d", "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98",
    "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90",
    "form": 2, "status": "submitted", "submitted_at": "2026-07-08T02:30:00Z", "version": 3,
    "created_at": "2026-07-05T01:00:00Z", "updated_at": "2026-07-08T02:30:00Z"
}))]
pub struct SubmissionResponse {
    pub id: Uuid,
    pub period_id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    /// 1 整体, 2 专项资金, 3 项目.
    pub form: i16,
    pub status: SubmissionStatus,
    /// When the form was first submitted: a returned form submitted again keeps it, and whether
    /// it is late is judged from it.
    pub submitted_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(flatten)]
    pub content: SubmissionContent,
    #[serde(flatten)]
    pub figures: Figures,
}

impl Resource for SubmissionResponse {
    fn location(&self) -> String {
        format!("/api/v1/submissions/{}", self.id)
    }
    fn version(&self) -> Option<i32> {
        Some(self.version)
    }
}

/// A new form for one item in one period, with whatever is filled in so far.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f",
    "executed": {"fiscal": "140.000000", "union": "50.000000"},
    "goal_progress": "上半年帮扶困难职工640人次"
}))]
pub struct CreateSubmissionRequest {
    pub period_id: Uuid,
    pub item_id: Uuid,
    #[serde(default)]
    pub executed: FundSplit,
    #[serde(default)]
    pub expected_year_end: FundSplit,
    #[serde(default)]
    pub expected_carryover: FundSplit,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub goal_progress: String,
    #[serde(default)]
    pub indicator_values: Vec<IndicatorValue>,
    #[serde(default)]
    pub compliance: Vec<ComplianceEntry>,
    #[serde(default)]
    pub outlook: Option<Possibility>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub deviation_analysis: String,
    #[serde(default)]
    pub root_causes: Vec<RootCause>,
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub corrective_measures: String,
    #[serde(default)]
    pub signatures: Signatures,
}

impl CreateSubmissionRequest {
    /// What the unit filled in.
    pub fn content(&self) -> domain::SubmissionContent {
        self.clone().into()
    }
}

/// Why finance returns a form.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "请补充偏差原因分析"}))]
pub struct ReturnRequest {
    #[schema(min_length = 1, max_length = 2000)]
    pub reason: String,
}

/// One kept version of a form.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"number": 2, "event": "returned", "reason": "请补充偏差原因分析", "actor_id": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "actor_username": "finance", "created_at": "2026-07-12T03:00:00Z", "snapshot": {"id": "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d", "status": "returned"}}))]
pub struct SubmissionVersionResponse {
    pub number: i32,
    /// `submitted`, `returned` or `accepted`.
    pub event: SubmissionStatus,
    pub reason: Option<String>,
    pub actor_id: Uuid,
    pub actor_username: String,
    pub created_at: DateTime<Utc>,
    /// The whole form as it stood at that moment.
    #[schema(value_type = Object)]
    pub snapshot: serde_json::Value,
}

impl From<SubmissionVersion> for SubmissionVersionResponse {
    fn from(v: SubmissionVersion) -> Self {
        SubmissionVersionResponse {
            number: v.number,
            event: v.event,
            reason: v.reason,
            actor_id: v.actor_id,
            actor_username: v.actor_username,
            created_at: v.created_at,
            snapshot: v.snapshot,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionListQuery {
    pub period_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    /// The item kind (decides the form).
    pub kind: Option<ItemKind>,
    pub status: Option<SubmissionStatus>,
    pub warning: Option<Light>,
    pub late: Option<bool>,
}

impl From<Submission> for SubmissionResponse {
    fn from(s: Submission) -> Self {
        SubmissionResponse {
            id: s.id,
            period_id: s.period_id,
            item_id: s.item_id,
            unit_id: s.unit_id,
            form: s.form,
            status: s.status,
            submitted_at: s.submitted_at,
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
            content: s.content.into(),
            figures: s.figures.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The versions keep the domain's form as the API shows it: both serialize alike.
    #[test]
    fn the_wire_form_serializes_as_the_kept_version() {
        let content: domain::SubmissionContent = serde_json::from_value(serde_json::json!({
            "executed": {"fiscal": "1.000000", "union": "2.000000"},
            "goal_progress": "x",
            "indicator_values": [{"indicator_id": Uuid::nil(), "actual": "3", "deviation_reasons": ["funding"]}],
            "compliance": [{"check": "over_budget", "problem": true, "note": "n"}],
            "outlook": "certain", "root_causes": ["other"],
            "signatures": {"unit_head": "a", "supervising_leader": "b", "date": "2026-07-08"}
        }))
        .unwrap();
        let figures: domain::Figures = serde_json::from_value(serde_json::json!({
            "budget": {"fiscal": "3.000000", "union": "4.000000"},
            "execution_rate": {"fiscal": "33.33", "union": null, "total": "1.00"},
            "time_progress": "50.00", "budget_light": "green",
            "indicators": [{"indicator_id": Uuid::nil(), "completion_rate": "1.00", "light": "red", "needs_note": true}],
            "goal_light": "red", "overall_completion_rate": "1.00", "warning": "red",
            "reasons": [{"code": "execution_behind_time", "light": "red", "value": "45.00", "threshold": "60", "indicator_id": null, "detail": null}],
            "late": true
        }))
        .unwrap();
        let now = Utc::now();
        let s = Submission {
            id: Uuid::new_v4(),
            period_id: Uuid::new_v4(),
            item_id: Uuid::new_v4(),
            unit_id: Uuid::new_v4(),
            form: 2,
            status: SubmissionStatus::Returned,
            submitted_at: Some(now),
            version: 3,
            created_at: now,
            updated_at: now,
            content,
            figures,
        };
        let kept = serde_json::to_value(&s).unwrap();
        let shown = serde_json::to_value(SubmissionResponse::from(s.clone())).unwrap();
        assert_eq!(kept, shown);
        let back: domain::SubmissionContent = SubmissionContent::from(s.content.clone()).into();
        assert_eq!(back, s.content);
    }
}
