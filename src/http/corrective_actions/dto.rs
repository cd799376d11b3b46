//! The wire types of `/corrective-actions`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::app::corrective_actions::{ActionInput, ActionView, Plan};
use crate::domain::follow_through::{self as ft, ActionSource, ActionStatus, Lens};
use crate::http::respond::Resource;
use crate::http::same_fields::same_fields;
use crate::state::AppState;

/// A progress note or a status change, with who and when.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"event": "progress", "note": "已加开两期", "author_id": "7d1c0e5a-8f3b-4b2a-9c6d-1e2f3a4b5c6d", "author_username": "zzb.reporter", "created_at": "2026-07-20T02:00:00Z"}))]
pub struct ActionNote {
    /// `progress`, `complete`, `verify` or `reopen`.
    pub event: String,
    pub note: String,
    pub author_id: Uuid,
    pub author_username: String,
    pub created_at: DateTime<Utc>,
}

same_fields!(ft::ActionNote => ActionNote {
    event,
    note,
    author_id,
    author_username,
    created_at,
});

/// A corrective action.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "2b3c4d5e-6f70-4182-93a4-b5c6d7e8f901", "submission_id": "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d", "indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "lens": "timeliness", "cause": "培训场地改造延误", "objective_cause": false, "measure": "7月起每周加开两期培训", "owner": "组织部 张华", "due_date": "2026-09-30", "status": "in_progress", "source": "unit", "overdue": false, "version": 2, "created_at": "2026-07-15T02:00:00Z", "updated_at": "2026-07-20T02:00:00Z"}))]
pub struct CorrectiveActionResponse {
    pub id: Uuid,
    pub submission_id: Uuid,
    pub indicator_id: Option<Uuid>,
    pub period_id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub lens: Lens,
    pub cause: String,
    /// An objective cause (policy change, emergency: Art. 13).
    pub objective_cause: bool,
    pub measure: String,
    pub owner: String,
    pub due_date: NaiveDate,
    pub status: ActionStatus,
    /// `unit`, or `finance` for a rectification order.
    pub source: ActionSource,
    /// Past its due date and not done.
    pub overdue: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Only on single reads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<ActionNote>>,
}

impl CorrectiveActionResponse {
    /// The action as the API shows it on `today` (local), which says whether it is overdue.
    pub fn new(v: ActionView, today: NaiveDate) -> Self {
        let a = v.action;
        CorrectiveActionResponse {
            overdue: ft::is_overdue(a.status, a.due_date, today),
            lens: a.lens,
            source: a.source,
            status: a.status,
            id: a.id,
            submission_id: a.submission_id,
            indicator_id: a.indicator_id,
            period_id: a.period_id,
            item_id: a.item_id,
            unit_id: a.unit_id,
            cause: a.cause,
            objective_cause: a.objective_cause,
            measure: a.measure,
            owner: a.owner,
            due_date: a.due_date,
            version: a.version,
            created_at: a.created_at,
            updated_at: a.updated_at,
            notes: v
                .notes
                .map(|n| n.into_iter().map(ActionNote::from).collect()),
        }
    }
}

impl Resource for CorrectiveActionResponse {
    fn location(&self) -> String {
        format!("/api/v1/corrective-actions/{}", self.id)
    }
    fn version(&self) -> Option<i32> {
        Some(self.version)
    }
}

/// Today in the service's time zone.
pub fn today(state: &AppState) -> NaiveDate {
    Utc::now().with_timezone(&state.offset).date_naive()
}

/// A new corrective action for a form (optionally one of its indicators).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "submission_id": "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d", "lens": "timeliness",
    "cause": "培训场地改造延误", "objective_cause": false, "measure": "7月起每周加开两期培训",
    "owner": "组织部 张华", "due_date": "2026-09-30"
}))]
pub struct CreateActionRequest {
    pub submission_id: Uuid,
    #[serde(default)]
    pub indicator_id: Option<Uuid>,
    pub lens: Lens,
    #[schema(min_length = 1, max_length = 2000)]
    pub cause: String,
    #[serde(default)]
    pub objective_cause: bool,
    #[schema(min_length = 1, max_length = 2000)]
    pub measure: String,
    #[schema(min_length = 1, max_length = 100)]
    pub owner: String,
    pub due_date: crate::domain::IsoDate,
}

impl From<CreateActionRequest> for ActionInput {
    fn from(r: CreateActionRequest) -> Self {
        ActionInput {
            submission_id: r.submission_id,
            indicator_id: r.indicator_id,
            cause: r.cause,
            objective_cause: r.objective_cause,
            plan: Plan {
                lens: r.lens,
                measure: r.measure,
                owner: r.owner,
                due_date: r.due_date.get(),
            },
        }
    }
}

/// A note on the work done.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "已完成两期加开培训"}))]
pub struct NoteRequest {
    #[schema(min_length = 1, max_length = 2000)]
    pub note: String,
}

/// An optional note with a status change.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionalNote {
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

impl OptionalNote {
    /// The note, if the body has one that is not blank.
    pub fn of(body: Option<OptionalNote>) -> Option<String> {
        body.and_then(|b| b.note).filter(|n| !n.trim().is_empty())
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActionListQuery {
    pub period_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub submission_id: Option<Uuid>,
    pub status: Option<ActionStatus>,
    pub source: Option<ActionSource>,
    /// Only overdue ones (`true`) or only the others (`false`).
    pub overdue: Option<bool>,
}
