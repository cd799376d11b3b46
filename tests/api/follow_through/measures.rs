//! Measures: payment measures, adjustments, rectifications and notes for next year's budget.

use super::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn payment_measures_follow_the_strongest_active_one_until_lifted() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let measure = |kind: &str| json!({"item_id": c.item, "kind": kind, "reason": "执行严重滞后", "period_id": c.period});
    assert_problem(
        app.post("/api/v1/measures", &r.reporter, measure("suspend_payment"))
            .await,
        403,
        "forbidden",
    )
    .await;
    let suspend = ok(
        app.post("/api/v1/measures", &r.finance, measure("suspend_payment"))
            .await,
        201,
    )
    .await;
    let item = ok(
        r.reporter.get(&format!("/api/v1/items/{}", c.item)).await,
        200,
    )
    .await;
    assert_eq!(item["payment_status"], "suspended");
    assert_eq!(item["active_measures"][0]["kind"], "suspend_payment");
    let stop = ok(
        app.post("/api/v1/measures", &r.finance, measure("stop_payment"))
            .await,
        201,
    )
    .await;
    assert_eq!(
        ok(
            r.finance.get(&format!("/api/v1/items/{}", c.item)).await,
            200
        )
        .await["payment_status"],
        "stopped"
    );
    // Lifting the stop leaves the suspension in force.
    let lifted = ok(
        app.post(
            &format!("/api/v1/measures/{}/lift", stop["id"].as_str().unwrap()),
            &r.finance,
            json!({"reason": "已整改"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(lifted["active"], false);
    assert_eq!(lifted["lift_reason"], "已整改");
    assert_eq!(
        ok(
            r.finance.get(&format!("/api/v1/items/{}", c.item)).await,
            200
        )
        .await["payment_status"],
        "suspended"
    );
    assert_problem(
        app.post(
            &format!("/api/v1/measures/{}/lift", stop["id"].as_str().unwrap()),
            &r.finance,
            json!({"reason": "again"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    ok(
        app.post(
            &format!("/api/v1/measures/{}/lift", suspend["id"].as_str().unwrap()),
            &r.finance,
            json!({"reason": "恢复"}),
        )
        .await,
        200,
    )
    .await;
    let item = ok(
        r.finance.get(&format!("/api/v1/items/{}", c.item)).await,
        200,
    )
    .await;
    assert_eq!(item["payment_status"], "normal");
    assert_eq!(item["active_measures"].as_array().unwrap().len(), 0);
    let history = ok(
        r.finance
            .get(&format!("/api/v1/items/{}/history", c.item))
            .await,
        200,
    )
    .await;
    let statuses: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["field"] == "payment_status")
        .map(|h| h["after"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        vec!["suspended", "stopped", "suspended", "normal"]
    );
    // The unit reads its own measures.
    assert_eq!(
        ok(r.reporter.get("/api/v1/measures").await, 200).await["total"],
        2
    );
}

#[tokio::test]
async fn other_measures_adjust_rectify_and_note_for_next_years_budget() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let m = ok(app.post("/api/v1/measures", &r.finance, json!({"item_id": c.item, "kind": "adjust_budget", "reason": "预计难以完成", "new_budget": {"fiscal": "70", "union": "250"}})).await, 201).await;
    let item = ok(
        r.finance.get(&format!("/api/v1/items/{}", c.item)).await,
        200,
    )
    .await;
    assert_eq!(item["budget"]["union"], "250.000000");
    assert_eq!(item["original_budget"]["union"], "300.000000");
    let h = ok(
        r.finance
            .get(&format!("/api/v1/items/{}/history", c.item))
            .await,
        200,
    )
    .await;
    assert_eq!(h[0]["cause_type"], "measure");
    assert_eq!(h[0]["cause_id"], m["id"]);
    ok(app.post("/api/v1/measures", &r.finance, json!({"item_id": c.item, "kind": "adjust_indicators", "reason": "调整", "new_targets": [{"indicator_id": c.indicators[1], "target": "85"}]})).await, 201).await;
    let ind = ok(
        app.get(
            &format!("/api/v1/items/{}/indicators/{}", c.item, c.indicators[1]),
            &r.finance,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ind["target"], "85");
    let sid = form(&c, "10").await;
    let rect = ok(app.post("/api/v1/measures", &r.finance, json!({"item_id": c.item, "kind": "rectification", "reason": "合规问题",
        "rectification": {"submission_id": sid, "lens": "compliance", "measure": "整改", "owner": "办公室", "due_date": "2026-12-31"}})).await, 201).await;
    let action = ok(
        app.get(
            &format!(
                "/api/v1/corrective-actions/{}",
                rect["corrective_action_id"].as_str().unwrap()
            ),
            &r.reporter,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(action["source"], "finance");
    ok(
        app.post(
            "/api/v1/measures",
            &r.finance,
            json!({"item_id": c.item, "kind": "budget_reference", "reason": "下年度压减10%"}),
        )
        .await,
        201,
    )
    .await;
    let refs = ok(
        app.get(
            "/api/v1/measures?year=2026&kind=budget_reference",
            &r.viewer,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(refs["total"], 1);
    assert_eq!(refs["items"][0]["reason"], "下年度压减10%");
    assert_eq!(
        ok(r.viewer.get("/api/v1/measures?year=2027").await, 200).await["total"],
        0
    );
    // Parameters that do not fit the kind are refused.
    let p = assert_problem(app.post("/api/v1/measures", &r.finance, json!({"item_id": c.item, "kind": "suspend_payment", "reason": "x", "new_budget": {"fiscal": "1", "union": "1"}})).await, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "new_budget");
}

#[tokio::test]
async fn a_rectification_ordered_through_a_measure_checks_its_due_date_like_any_action() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let sid = form(&c, "10").await;
    for due in ["1999-12-31", "2101-01-01"] {
        let body = ok(app.post("/api/v1/measures", &r.finance, json!({"item_id": c.item, "kind": "rectification", "reason": "合规问题",
            "rectification": {"submission_id": sid, "lens": "compliance", "measure": "整改", "owner": "办公室", "due_date": due}})).await, 422).await;
        assert_eq!(
            body["errors"][0]["field"], "rectification.due_date",
            "{body}"
        );
        assert_eq!(body["errors"][0]["code"], "out_of_range", "{body}");
        // The same date is refused by POST /corrective-actions.
        let direct = ok(
            app.post(
                "/api/v1/corrective-actions",
                &r.finance,
                json!({"submission_id": sid, "lens": "compliance",
            "cause": "合规问题", "measure": "整改", "owner": "办公室", "due_date": due}),
            )
            .await,
            422,
        )
        .await;
        assert_eq!(direct["errors"][0]["code"], "out_of_range", "{direct}");
    }
    let measures = ok(
        r.finance
            .get(&format!("/api/v1/measures?item_id={}", c.item))
            .await,
        200,
    )
    .await;
    assert_eq!(measures["total"], 0, "nothing was written: {measures}");
    let actions = ok(r.finance.get("/api/v1/corrective-actions").await, 200).await;
    assert_eq!(actions["total"], 0, "nothing was written: {actions}");
}
