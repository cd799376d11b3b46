//! Periods, their rules and completeness, and input the monitoring core refuses.

use crate::helpers::*;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn bad_monitoring_input_is_refused_and_nothing_is_written() {
    let (_app, c) = spawn_cycle().await;
    let (r, rep) = (&c.roles, &c.roles.reporter);
    let item = &c.item;
    let indicators = format!("/api/v1/items/{item}/indicators");
    rep.post_is(&indicators, json!({"level1": "effect", "level2": "quantity", "name": "x", "direction": "higher_better", "target": "1"}), invalid("level2")).await;
    for fiscal in ["-1", "1.0000001"] {
        let fund = json!({"year": 2026, "kind": "special_fund", "name": "x", "budget": {"fiscal": fiscal, "union": "1"}, "funding_source": "own"});
        rep.post_is("/api/v1/items", fund, invalid("budget.fiscal"))
            .await;
    }
    r.finance.post_is("/api/v1/periods", json!({"year": 2026, "kind": "interim", "as_of": "2025-06-30", "submission_deadline": "2026-07-10", "report_deadline": "2026-07-31"}), invalid("as_of")).await;
    // An indicator of another item in a form.
    let other = rep.item(json!({"year": 2026, "kind": "special_fund", "name": "普惠资金", "budget": {"fiscal": "1", "union": "1"}, "funding_source": "upper_union"})).await;
    let foreign = rep.indicator(other.id, json!({"level1": "output", "level2": "quantity", "name": "x", "direction": "higher_better", "target": "1"})).await;
    let forms = "/api/v1/submissions";
    let body = json!({"period_id": c.period, "item_id": item, "indicator_values": [{"indicator_id": foreign.id, "actual": "1"}]});
    rep.post_is(forms, body, invalid("indicator_values[0].indicator_id"))
        .await;
    let body =
        json!({"period_id": c.period, "item_id": item, "signatures": {"date": "2031-01-01"}});
    rep.post_is(forms, body, invalid("signatures.date")).await;
    assert_eq!(r.finance.total(forms).await, 0);
    assert_eq!(r.finance.total("/api/v1/items").await, 2);
    let inds = r.finance.read(&indicators).await;
    assert_eq!(inds.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn periods_follow_their_rules() {
    let (_app, c) = spawn_cycle().await;
    let f = &c.roles.finance;
    // One h1 per year.
    let dup = json!({"year": 2026, "kind": "h1", "as_of": "2026-06-30", "submission_deadline": "2026-07-10", "report_deadline": "2026-07-31"});
    f.post_is("/api/v1/periods", dup, ALREADY_EXISTS).await;
    // An open period is not edited; close, reopen, close, publish; a published one never reopens.
    let path = format!("/api/v1/periods/{}", c.period);
    let rename = json!({"name": "改"});
    f.patch_is(&path, Some("\"2\""), rename, LOCKED).await;
    f.act(&format!("{path}/close")).await;
    // No form is created in a closed period.
    let body = json!({"period_id": c.period, "item_id": c.item});
    let not_open = Expect::Problem(409, "period_not_open");
    c.roles
        .reporter
        .post_is("/api/v1/submissions", body, not_open)
        .await;
    f.act(&format!("{path}/open")).await;
    f.act(&format!("{path}/close")).await;
    let published = f.act(&format!("{path}/publish")).await;
    assert_eq!(published["status"], "published");
    f.step(&format!("{path}/open"), INVALID_TRANSITION).await;
}

#[tokio::test]
async fn completeness_lists_required_forms_and_extensions_move_deadlines() {
    let (_app, c) = spawn_cycle().await;
    let r = &c.roles;
    let period = format!("/api/v1/periods/{}", c.period);
    let rows = r.finance.read(&format!("{period}/completeness")).await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["state"], "missing");
    assert_eq!(rows[0]["form"], 1);
    // 2026-07-10 has passed by now (this test runs after it), so a missing form is late.
    assert_eq!(rows[0]["late"], true);
    let extensions = format!("{period}/extensions");
    let until = json!({"unit_id": r.unit, "until": "2026-07-20"});
    r.finance.post_is(&extensions, until, 201).await;
    let rows = r.reporter.read(&format!("{period}/completeness")).await;
    assert_eq!(rows[0]["deadline"], "2026-07-20");
    let bad = json!({"unit_id": Uuid::new_v4(), "until": "2026-07-05"});
    let p = r.finance.post_is(&extensions, bad, VALIDATION_FAILED).await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 2);
}
