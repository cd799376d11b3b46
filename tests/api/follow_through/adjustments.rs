//! Adjustment requests: approved ones change budget and targets and keep the originals.

use crate::helpers::*;
use serde_json::json;

const REQUESTS: &str = "/api/v1/adjustment-requests";

#[tokio::test]
async fn an_approved_adjustment_changes_budget_and_targets_and_keeps_the_originals() {
    let (app, c) = spawn_cycle().await;
    let r = &c.roles;
    // An accepted form keeps the figures it was accepted with.
    let body = c.form_body(["50", "0"], ["100", "90"]);
    let accepted = c.accepted_form(body).await;
    assert_eq!(accepted.body["execution_rate"]["fiscal"], "50.00");
    let sid = accepted.id;

    let req = json!({"item_id": c.item, "cause": "policy_change", "explanation": "上级调整政策", "countermeasures": "压缩培训规模",
        "new_budget": {"fiscal": "80", "union": "300"}, "new_targets": [{"indicator_id": c.indicators[0], "target": "800.0"}]});
    let a = r.reporter.created(REQUESTS, req).await;
    assert_eq!(a.body["status"], "pending");
    assert_eq!(a.body["new_targets"][0]["target"], "800");
    let (id, approve) = (a.id, format!("{REQUESTS}/{}/approve", a.id));
    r.reporter.step(&approve, FORBIDDEN).await;
    // Approving needs no body at all.
    let approved = ok(r.finance.post_bare(&approve).await, 200).await;
    assert_eq!(approved["status"], "approved");
    r.finance.step(&approve, INVALID_TRANSITION).await;

    let item = r.reporter.read(&format!("/api/v1/items/{}", c.item)).await;
    assert_eq!(item["budget"]["fiscal"], "80.000000");
    assert_eq!(item["original_budget"]["fiscal"], "100.000000");
    let ind_path = format!("/api/v1/items/{}/indicators/{}", c.item, c.indicators[0]);
    let ind = r.reporter.read(&ind_path).await;
    assert_eq!(ind["target"], "800");
    assert_eq!(ind["original_target"], "1000");
    let accepted_again = r.finance.read(&format!("/api/v1/submissions/{sid}")).await;
    assert_eq!(
        accepted_again["execution_rate"]["fiscal"], "50.00",
        "accepted figures stay"
    );
    assert_eq!(accepted_again["budget"]["fiscal"], "100.000000");

    // A form filed afterwards is judged against the adjusted budget and target.
    let pid = app.period(2026, "interim").await.id;
    let later = c
        .draft_form(
            json!({"period_id": pid, "item_id": c.item, "executed": {"fiscal": "40", "union": "0"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "400"}]}),
        )
        .await;
    assert_eq!(later.body["execution_rate"]["fiscal"], "50.00");
    assert_eq!(later.body["indicators"][0]["completion_rate"], "50.00");

    let history = r
        .viewer
        .read(&format!("/api/v1/items/{}/history", c.item))
        .await;
    let rows = history.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|h| h["cause_type"] == "adjustment_request"
        && h["cause_id"] == id.to_string()
        && h["actor_username"] == "finance1"));
    assert_eq!(rows[0]["field"], "budget");
    assert_eq!(rows[1]["field"], "target");
    assert_eq!(rows[1]["before"], "1000");
    assert_eq!(rows[1]["after"], "800");
}

#[tokio::test]
async fn an_adjustment_that_fails_in_the_middle_changes_nothing() {
    let (_app, c) = spawn_cycle().await;
    let r = &c.roles;
    let item: uuid::Uuid = c.item.parse().unwrap();
    let extra = r.reporter.indicator(item, json!({"level1": "output", "level2": "quality", "name": "合格率", "direction": "higher_better", "target": "95"})).await;
    let req = json!({"item_id": c.item, "cause": "emergency", "explanation": "疫情", "countermeasures": "线上培训",
        "new_budget": {"fiscal": "60", "union": "300"},
        "new_targets": [{"indicator_id": c.indicators[0], "target": "700"}, {"indicator_id": extra.id, "target": "90"}]});
    let id = r.reporter.created(REQUESTS, req).await.id;
    // The second indicator disappears before finance decides.
    let gone = format!("/api/v1/items/{item}/indicators/{}", extra.id);
    r.reporter.delete_is(&gone, 204).await;
    let approve = format!("{REQUESTS}/{id}/approve");
    r.finance.step(&approve, LOCKED).await;
    let item_now = r.finance.read(&format!("/api/v1/items/{item}")).await;
    assert_eq!(
        item_now["budget"]["fiscal"], "100.000000",
        "the budget applied first was rolled back"
    );
    let ind_path = format!("/api/v1/items/{item}/indicators/{}", c.indicators[0]);
    assert_eq!(r.finance.read(&ind_path).await["target"], "1000");
    let still = r.finance.read(&format!("{REQUESTS}/{id}")).await;
    assert_eq!(still["status"], "pending");
    let history = r
        .finance
        .read(&format!("/api/v1/items/{item}/history"))
        .await;
    assert_eq!(history.as_array().unwrap().len(), 0);
    // The unit withdraws it; a withdrawn request cannot be rejected.
    let w = r.reporter.act(&format!("{REQUESTS}/{id}/withdraw")).await;
    assert_eq!(w["status"], "withdrawn");
    let reject = format!("{REQUESTS}/{id}/reject");
    let reason = json!({"reason": "x"});
    r.finance.post_is(&reject, reason, INVALID_TRANSITION).await;
}

#[tokio::test]
async fn bad_adjustment_requests_are_refused() {
    let (_app, c) = spawn_cycle().await;
    let r = &c.roles;
    let base = json!({"item_id": c.item, "cause": "policy_change", "explanation": "x", "countermeasures": "y"});
    let refused = |body| r.reporter.post_is(REQUESTS, body, VALIDATION_FAILED);
    let p = refused(base.clone()).await;
    assert_eq!(p["errors"][0]["field"], "new_budget");
    let mut bad = base.clone();
    bad["new_targets"] = json!([{"indicator_id": uuid::Uuid::new_v4(), "target": "1"}]);
    let p = refused(bad).await;
    assert_eq!(p["errors"][0]["field"], "new_targets[0].indicator_id");
    let mut bad = base;
    bad["new_budget"] = json!({"fiscal": "-5", "union": "1"});
    let p = refused(bad).await;
    assert_eq!(p["errors"][0]["field"], "new_budget.fiscal");
    r.finance.post_is(REQUESTS, json!({"item_id": c.item, "cause": "other", "explanation": "x", "countermeasures": "y", "new_budget": {"fiscal": "1", "union": "1"}}), FORBIDDEN).await;
    assert_eq!(r.finance.total(REQUESTS).await, 0);
}
