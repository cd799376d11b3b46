//! Follow-through: corrective actions, adjustment requests, measures, history and next year.

mod access;
mod adjustments;
mod corrective;
mod measures;
mod projects;

use crate::helpers::*;
use uuid::Uuid;

/// A draft form 1 of the cycle's item with both indicators answered.
pub(crate) async fn form(c: &Cycle, executed_fiscal: &str) -> Uuid {
    let body = c.form_body([executed_fiscal, "0"], ["100", "90"]);
    c.draft_form(body).await.id
}

/// The corrective action a unit opens on a late indicator of form `sid`.
pub(crate) fn late_training(c: &Cycle, sid: Uuid, measure: &str) -> serde_json::Value {
    serde_json::json!({"submission_id": sid, "indicator_id": c.indicators[0], "lens": "timeliness",
        "cause": "培训场地改造延误", "objective_cause": false, "measure": measure,
        "owner": "张华", "due_date": "2026-08-01"})
}
