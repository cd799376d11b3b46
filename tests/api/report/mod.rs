//! The monitoring report: totals from the database that equal their rows, formats, scope and
//! publication.

mod formats;
mod publication;
mod same_rules;
mod totals;

use crate::helpers::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

pub(super) fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap().parse().unwrap()
}

/// Two units: the cycle's unit with a submitted red form and a missing special fund, and a
/// second unit with an accepted green form.
pub(crate) async fn scenario(app: &TestApp) -> (Cycle, Session, String) {
    let c = open_cycle(app).await;
    let r = &c.roles;
    r.reporter.item(json!({"year": 2026, "kind": "special_fund", "name": "困难职工帮扶资金", "budget": {"fiscal": "0.000001", "union": "999.999999"}, "funding_source": "fiscal_allocation"})).await;
    let red = r.reporter.filed_form(json!({"period_id": c.period, "item_id": c.item,
        "executed": {"fiscal": "10.123456", "union": "20"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "compliance": [{"check": "over_budget", "problem": true, "note": "超预算采购"}],
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}})).await;
    r.reporter.created("/api/v1/corrective-actions", json!({"submission_id": red.id, "lens": "compliance", "cause": "超预算", "measure": "退回多付款", "owner": "张华", "due_date": "2026-08-15"})).await;

    let unit2 = app.unit("U2").await.id;
    let rep2 = app.sign_up("reporter2", "reporter", Some(unit2)).await;
    let item2 = rep2.item(json!({"year": 2026, "kind": "overall", "name": "整体", "budget": {"fiscal": "200.5", "union": "0"}})).await;
    let f2 = rep2.filed_form(json!({"period_id": c.period, "item_id": item2.id, "executed": {"fiscal": "150.250001", "union": "0"},
        "signatures": {"unit_head": "赵", "supervising_leader": "钱", "date": "2026-07-09"}})).await;
    r.finance
        .act(&format!("/api/v1/submissions/{}/accept", f2.id))
        .await;
    r.finance
        .created(
            "/api/v1/measures",
            json!({"item_id": c.item, "kind": "suspend_payment", "reason": "合规问题"}),
        )
        .await;
    (c, rep2, unit2.to_string())
}
