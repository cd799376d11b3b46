//! Follow-through: corrective actions, adjustment requests, measures, history and next year.

mod access;
mod adjustments;
mod corrective;
mod measures;
mod projects;

use crate::helpers::*;
use serde_json::json;

/// A draft form 1 of the cycle's item with both indicators answered.
pub(crate) async fn form(c: &Cycle, executed_fiscal: &str) -> String {
    let body = json!({"period_id": c.period, "item_id": c.item, "executed": {"fiscal": executed_fiscal, "union": "0"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}});
    c.roles.reporter.form(body).await.id.to_string()
}
