//! Measures: payment measures, adjustments, rectifications and notes for next year's budget.

use super::*;
use crate::helpers::*;
use serde_json::json;

const MEASURES: &str = "/api/v1/measures";

#[tokio::test]
async fn payment_measures_follow_the_strongest_active_one_until_lifted() {
    let (_app, c) = spawn_cycle().await;
    let r = &c.roles;
    let measure = |kind: &str| json!({"item_id": c.item, "kind": kind, "reason": "执行严重滞后", "period_id": c.period});
    let item_path = format!("/api/v1/items/{}", c.item);
    r.reporter
        .post_is(MEASURES, measure("suspend_payment"), FORBIDDEN)
        .await;
    let suspend = r
        .finance
        .created(MEASURES, measure("suspend_payment"))
        .await;
    let item = r.reporter.read(&item_path).await;
    assert_eq!(item["payment_status"], "suspended");
    assert_eq!(item["active_measures"][0]["kind"], "suspend_payment");
    let stop = r.finance.created(MEASURES, measure("stop_payment")).await;
    let status = || async { r.finance.read(&item_path).await["payment_status"].clone() };
    assert_eq!(status().await, "stopped");
    // Lifting the stop leaves the suspension in force.
    let lift = |m: uuid::Uuid, reason: &str| {
        let path = format!("{MEASURES}/{m}/lift");
        let body = json!({ "reason": reason });
        async move { r.finance.post(&path, body).await }
    };
    let lifted = ok(lift(stop.id, "已整改").await, 200).await;
    assert_eq!(lifted["active"], false);
    assert_eq!(lifted["lift_reason"], "已整改");
    assert_eq!(status().await, "suspended");
    INVALID_TRANSITION.check(lift(stop.id, "again").await).await;
    ok(lift(suspend.id, "恢复").await, 200).await;
    let item = r.finance.read(&item_path).await;
    assert_eq!(item["payment_status"], "normal");
    assert_eq!(item["active_measures"].as_array().unwrap().len(), 0);
    let history = r.finance.read(&format!("{item_path}/history")).await;
    let steps = rows_where(&history, "field", "payment_status");
    let statuses: Vec<&str> = steps.iter().map(|h| h["after"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        vec!["suspended", "stopped", "suspended", "normal"]
    );
    // The unit reads its own measures.
    assert_eq!(r.reporter.total(MEASURES).await, 2);
}

#[tokio::test]
async fn other_measures_adjust_rectify_and_note_for_next_years_budget() {
    let (_app, c) = spawn_cycle().await;
    let r = &c.roles;
    let m = r.finance.created(MEASURES, json!({"item_id": c.item, "kind": "adjust_budget", "reason": "预计难以完成", "new_budget": {"fiscal": "70", "union": "250"}})).await;
    let item = r.finance.read(&format!("/api/v1/items/{}", c.item)).await;
    assert_eq!(item["budget"]["union"], "250.000000");
    assert_eq!(item["original_budget"]["union"], "300.000000");
    let h = r
        .finance
        .read(&format!("/api/v1/items/{}/history", c.item))
        .await;
    assert_eq!(h[0]["cause_type"], "measure");
    assert_eq!(h[0]["cause_id"], m.body["id"]);
    r.finance.created(MEASURES, json!({"item_id": c.item, "kind": "adjust_indicators", "reason": "调整", "new_targets": [{"indicator_id": c.indicators[1], "target": "85"}]})).await;
    let ind_path = format!("/api/v1/items/{}/indicators/{}", c.item, c.indicators[1]);
    assert_eq!(r.finance.read(&ind_path).await["target"], "85");
    let sid = form(&c, "10").await;
    let rect = r.finance.created(MEASURES, json!({"item_id": c.item, "kind": "rectification", "reason": "合规问题",
        "rectification": {"submission_id": sid, "lens": "compliance", "measure": "整改", "owner": "办公室", "due_date": "2026-12-31"}})).await;
    let action_id = rect.body["corrective_action_id"].as_str().unwrap();
    let action = r
        .reporter
        .read(&format!("/api/v1/corrective-actions/{action_id}"))
        .await;
    assert_eq!(action["source"], "finance");
    let reference =
        json!({"item_id": c.item, "kind": "budget_reference", "reason": "下年度压减10%"});
    r.finance.created(MEASURES, reference).await;
    let refs = r
        .viewer
        .read("/api/v1/measures?year=2026&kind=budget_reference")
        .await;
    assert_eq!(refs["total"], 1);
    assert_eq!(refs["items"][0]["reason"], "下年度压减10%");
    assert_eq!(r.viewer.total("/api/v1/measures?year=2027").await, 0);
    // Parameters that do not fit the kind are refused.
    r.finance.post_is(MEASURES, json!({"item_id": c.item, "kind": "suspend_payment", "reason": "x", "new_budget": {"fiscal": "1", "union": "1"}}), invalid("new_budget")).await;
}

#[tokio::test]
async fn a_rectification_ordered_through_a_measure_checks_its_due_date_like_any_action() {
    let (_app, c) = spawn_cycle().await;
    let r = &c.roles;
    let sid = form(&c, "10").await;
    for due in ["1999-12-31", "2101-01-01"] {
        let body = r.finance.post_is(MEASURES, json!({"item_id": c.item, "kind": "rectification", "reason": "合规问题",
            "rectification": {"submission_id": sid, "lens": "compliance", "measure": "整改", "owner": "办公室", "due_date": due}}), 422).await;
        assert_eq!(
            body["errors"][0]["field"], "rectification.due_date",
            "{body}"
        );
        assert_eq!(body["errors"][0]["code"], "out_of_range", "{body}");
        // The same date is refused by POST /corrective-actions.
        let direct = json!({"submission_id": sid, "lens": "compliance",
            "cause": "合规问题", "measure": "整改", "owner": "办公室", "due_date": due});
        let direct = r
            .finance
            .post_is("/api/v1/corrective-actions", direct, 422)
            .await;
        assert_eq!(direct["errors"][0]["code"], "out_of_range", "{direct}");
    }
    let measures = r
        .finance
        .read(&format!("/api/v1/measures?item_id={}", c.item))
        .await;
    assert_eq!(measures["total"], 0, "nothing was written: {measures}");
    let actions = r.finance.read("/api/v1/corrective-actions").await;
    assert_eq!(actions["total"], 0, "nothing was written: {actions}");
}
