//! Follow-through: corrective actions, adjustment requests, measures, history and next year.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::monitoring::{open_cycle, Cycle};

async fn ok(r: reqwest::Response, status: u16) -> Value {
    let s = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(s, status, "{body}");
    body
}

async fn form(app: &TestApp, c: &Cycle, executed_fiscal: &str) -> String {
    let body = json!({"period_id": c.period, "item_id": c.item, "executed": {"fiscal": executed_fiscal, "union": "0"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}});
    let s = ok(
        app.post("/api/v1/submissions", &c.roles.reporter, body)
            .await,
        201,
    )
    .await;
    s["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_unit_corrects_a_red_light_and_finance_verifies_it() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let sid = form(&app, &c, "5").await;
    let body = json!({"submission_id": sid, "indicator_id": c.indicators[0], "lens": "timeliness", "cause": "培训场地改造延误",
        "objective_cause": false, "measure": "7月起每周加开两期培训", "owner": "张华", "due_date": "2026-08-01"});
    let a = ok(
        app.post("/api/v1/corrective-actions", &r.reporter, body)
            .await,
        201,
    )
    .await;
    let id = a["id"].as_str().unwrap();
    assert_eq!(a["status"], "open");
    assert_eq!(a["source"], "unit");
    assert_eq!(a["overdue"], true, "due 2026-08-01, not done");
    let overdue = ok(
        app.get("/api/v1/corrective-actions?overdue=true", &r.finance)
            .await,
        200,
    )
    .await;
    assert_eq!(overdue["total"], 1);

    // Only the unit works on it, only finance verifies.
    assert_problem(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/progress"),
            &r.finance,
            json!({"note": "x"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/verify"),
            &r.finance,
            json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    let p = ok(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/progress"),
            &r.reporter,
            json!({"note": "已加开两期"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(p["status"], "in_progress");
    let done = ok(
        app.req(
            reqwest::Method::POST,
            &format!("/api/v1/corrective-actions/{id}/complete"),
            Some(&r.reporter),
        )
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    assert_eq!(done["status"], "done");
    assert_eq!(done["overdue"], false);
    assert_problem(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/verify"),
            &r.reporter,
            json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let reopened = ok(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/reopen"),
            &r.finance,
            json!({"note": "效果不明显"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(reopened["status"], "in_progress");
    ok(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/complete"),
            &r.reporter,
            json!({"note": "全部完成"}),
        )
        .await,
        200,
    )
    .await;
    let verified = ok(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/verify"),
            &r.finance,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(verified["status"], "verified");
    let read = ok(
        app.get(&format!("/api/v1/corrective-actions/{id}"), &r.viewer)
            .await,
        200,
    )
    .await;
    let events: Vec<&str> = read["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        vec!["progress", "complete", "reopen", "complete", "verify"]
    );
    assert_eq!(read["notes"][0]["note"], "已加开两期");
    assert_eq!(read["notes"][0]["author_username"], "reporter1");
    assert_eq!(read["notes"][2]["author_username"], "finance1");
    assert_eq!(
        app.audit(&r.admin, &format!("resource_id={id}"))
            .await
            .len(),
        6
    );
}

#[tokio::test]
async fn finance_orders_a_rectification_that_the_unit_then_works_on() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let sid = form(&app, &c, "50").await;
    let a = ok(app.post("/api/v1/corrective-actions", &r.finance, json!({"submission_id": sid, "lens": "compliance", "cause": "超标准配置资产", "measure": "清理资产", "owner": "办公室", "due_date": "2026-12-31"})).await, 201).await;
    assert_eq!(a["source"], "finance");
    let mine = ok(
        app.get("/api/v1/corrective-actions?source=finance", &r.reporter)
            .await,
        200,
    )
    .await;
    assert_eq!(mine["total"], 1);
    ok(
        app.post(
            &format!(
                "/api/v1/corrective-actions/{}/progress",
                a["id"].as_str().unwrap()
            ),
            &r.reporter,
            json!({"note": "已开始清理"}),
        )
        .await,
        200,
    )
    .await;
    // Another unit neither sees nor touches it; a viewer reads but cannot open one.
    let other = app.create_unit(&r.admin, "OTHER").await;
    let (_, stranger) = app
        .create_user(&r.admin, "stranger", "reporter", Some(other))
        .await;
    assert_problem(
        app.get(
            &format!("/api/v1/corrective-actions/{}", a["id"].as_str().unwrap()),
            &stranger,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(app.post("/api/v1/corrective-actions", &stranger, json!({"submission_id": sid, "lens": "compliance", "cause": "x", "measure": "x", "owner": "x", "due_date": "2026-12-31"})).await, 404, "not_found").await;
    assert_eq!(
        ok(app.get("/api/v1/corrective-actions", &stranger).await, 200).await["total"],
        0
    );
    assert_problem(app.post("/api/v1/corrective-actions", &r.viewer, json!({"submission_id": sid, "lens": "compliance", "cause": "x", "measure": "x", "owner": "x", "due_date": "2026-12-31"})).await, 403, "forbidden").await;
    // Both of the stranger's attempts are in the audit trail as denied, naming the objects.
    let denied = app.audit(&r.admin, "action=access.other_unit").await;
    let named: Vec<(&str, &str)> = denied
        .iter()
        .map(|e| {
            (
                e["resource_type"].as_str().unwrap(),
                e["resource_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        named,
        vec![
            ("submission", sid.as_str()),
            ("corrective_action", a["id"].as_str().unwrap())
        ]
    );
    assert!(denied
        .iter()
        .all(|e| e["actor_username"] == "stranger" && e["outcome"] == "denied"));
}

#[tokio::test]
async fn an_approved_adjustment_changes_budget_and_targets_and_keeps_the_originals() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    // An accepted form keeps the figures it was accepted with.
    let sid = form(&app, &c, "50").await;
    ok(
        app.post(
            &format!("/api/v1/submissions/{sid}/submit"),
            &r.reporter,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    let accepted = ok(
        app.post(
            &format!("/api/v1/submissions/{sid}/accept"),
            &r.finance,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(accepted["execution_rate"]["fiscal"], "50.00");

    let req = json!({"item_id": c.item, "cause": "policy_change", "explanation": "上级调整政策", "countermeasures": "压缩培训规模",
        "new_budget": {"fiscal": "80", "union": "300"}, "new_targets": [{"indicator_id": c.indicators[0], "target": "800.0"}]});
    let a = ok(
        app.post("/api/v1/adjustment-requests", &r.reporter, req)
            .await,
        201,
    )
    .await;
    assert_eq!(a["status"], "pending");
    assert_eq!(a["new_targets"][0]["target"], "800");
    let id = a["id"].as_str().unwrap();
    assert_problem(
        app.post(
            &format!("/api/v1/adjustment-requests/{id}/approve"),
            &r.reporter,
            json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let approved = ok(
        app.req(
            reqwest::Method::POST,
            &format!("/api/v1/adjustment-requests/{id}/approve"),
            Some(&r.finance),
        )
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    assert_eq!(approved["status"], "approved");
    assert_problem(
        app.post(
            &format!("/api/v1/adjustment-requests/{id}/approve"),
            &r.finance,
            json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;

    let item = ok(
        app.get(&format!("/api/v1/items/{}", c.item), &r.reporter)
            .await,
        200,
    )
    .await;
    assert_eq!(item["budget"]["fiscal"], "80.000000");
    assert_eq!(item["original_budget"]["fiscal"], "100.000000");
    let ind = ok(
        app.get(
            &format!("/api/v1/items/{}/indicators/{}", c.item, c.indicators[0]),
            &r.reporter,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ind["target"], "800");
    assert_eq!(ind["original_target"], "1000");
    let accepted_again = ok(
        app.get(&format!("/api/v1/submissions/{sid}"), &r.finance)
            .await,
        200,
    )
    .await;
    assert_eq!(
        accepted_again["execution_rate"]["fiscal"], "50.00",
        "accepted figures stay"
    );
    assert_eq!(accepted_again["budget"]["fiscal"], "100.000000");

    // A form filed afterwards is judged against the adjusted budget and target.
    let interim = ok(app.post("/api/v1/periods", &r.finance, json!({"year": 2026, "kind": "interim", "as_of": "2026-09-30", "submission_deadline": "2026-12-31", "report_deadline": "2027-01-31"})).await, 201).await;
    let pid = interim["id"].as_str().unwrap();
    ok(
        app.post(
            &format!("/api/v1/periods/{pid}/open"),
            &r.finance,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    let later = ok(
        app.post(
            "/api/v1/submissions",
            &r.reporter,
            json!({"period_id": pid, "item_id": c.item, "executed": {"fiscal": "40", "union": "0"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "400"}]}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(later["execution_rate"]["fiscal"], "50.00");
    assert_eq!(later["indicators"][0]["completion_rate"], "50.00");

    let history = ok(
        app.get(&format!("/api/v1/items/{}/history", c.item), &r.viewer)
            .await,
        200,
    )
    .await;
    let rows = history.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|h| h["cause_type"] == "adjustment_request"
        && h["cause_id"] == id
        && h["actor_username"] == "finance1"));
    assert_eq!(rows[0]["field"], "budget");
    assert_eq!(rows[1]["field"], "target");
    assert_eq!(rows[1]["before"], "1000");
    assert_eq!(rows[1]["after"], "800");
}

#[tokio::test]
async fn an_adjustment_that_fails_in_the_middle_changes_nothing() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let extra = ok(app.post(&format!("/api/v1/items/{}/indicators", c.item), &r.reporter, json!({"level1": "output", "level2": "quality", "name": "合格率", "direction": "higher_better", "target": "95"})).await, 201).await;
    let req = json!({"item_id": c.item, "cause": "emergency", "explanation": "疫情", "countermeasures": "线上培训",
        "new_budget": {"fiscal": "60", "union": "300"},
        "new_targets": [{"indicator_id": c.indicators[0], "target": "700"}, {"indicator_id": extra["id"], "target": "90"}]});
    let a = ok(
        app.post("/api/v1/adjustment-requests", &r.reporter, req)
            .await,
        201,
    )
    .await;
    // The second indicator disappears before finance decides.
    let del = app
        .req(
            reqwest::Method::DELETE,
            &format!(
                "/api/v1/items/{}/indicators/{}",
                c.item,
                extra["id"].as_str().unwrap()
            ),
            Some(&r.reporter),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(del.status(), 204);
    let id = a["id"].as_str().unwrap();
    assert_problem(
        app.post(
            &format!("/api/v1/adjustment-requests/{id}/approve"),
            &r.finance,
            json!({}),
        )
        .await,
        409,
        "locked",
    )
    .await;
    let item = ok(
        app.get(&format!("/api/v1/items/{}", c.item), &r.finance)
            .await,
        200,
    )
    .await;
    assert_eq!(
        item["budget"]["fiscal"], "100.000000",
        "the budget applied first was rolled back"
    );
    let ind = ok(
        app.get(
            &format!("/api/v1/items/{}/indicators/{}", c.item, c.indicators[0]),
            &r.finance,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ind["target"], "1000");
    let still = ok(
        app.get(&format!("/api/v1/adjustment-requests/{id}"), &r.finance)
            .await,
        200,
    )
    .await;
    assert_eq!(still["status"], "pending");
    assert_eq!(
        ok(
            app.get(&format!("/api/v1/items/{}/history", c.item), &r.finance)
                .await,
            200
        )
        .await
        .as_array()
        .unwrap()
        .len(),
        0
    );
    // The unit withdraws it; a withdrawn request cannot be rejected.
    let w = ok(
        app.post(
            &format!("/api/v1/adjustment-requests/{id}/withdraw"),
            &r.reporter,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(w["status"], "withdrawn");
    assert_problem(
        app.post(
            &format!("/api/v1/adjustment-requests/{id}/reject"),
            &r.finance,
            json!({"reason": "x"}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
}

#[tokio::test]
async fn bad_adjustment_requests_are_refused() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let base = json!({"item_id": c.item, "cause": "policy_change", "explanation": "x", "countermeasures": "y"});
    let p = assert_problem(
        app.post("/api/v1/adjustment-requests", &r.reporter, base.clone())
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "new_budget");
    let mut bad = base.clone();
    bad["new_targets"] = json!([{"indicator_id": uuid::Uuid::new_v4(), "target": "1"}]);
    let p = assert_problem(
        app.post("/api/v1/adjustment-requests", &r.reporter, bad)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "new_targets[0].indicator_id");
    let mut bad = base;
    bad["new_budget"] = json!({"fiscal": "-5", "union": "1"});
    let p = assert_problem(
        app.post("/api/v1/adjustment-requests", &r.reporter, bad)
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "new_budget.fiscal");
    assert_problem(app.post("/api/v1/adjustment-requests", &r.finance, json!({"item_id": c.item, "cause": "other", "explanation": "x", "countermeasures": "y", "new_budget": {"fiscal": "1", "union": "1"}})).await, 403, "forbidden").await;
    assert_eq!(
        ok(
            app.get("/api/v1/adjustment-requests", &r.finance).await,
            200
        )
        .await["total"],
        0
    );
}

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
        app.get(&format!("/api/v1/items/{}", c.item), &r.reporter)
            .await,
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
            app.get(&format!("/api/v1/items/{}", c.item), &r.finance)
                .await,
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
            app.get(&format!("/api/v1/items/{}", c.item), &r.finance)
                .await,
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
        app.get(&format!("/api/v1/items/{}", c.item), &r.finance)
            .await,
        200,
    )
    .await;
    assert_eq!(item["payment_status"], "normal");
    assert_eq!(item["active_measures"].as_array().unwrap().len(), 0);
    let history = ok(
        app.get(&format!("/api/v1/items/{}/history", c.item), &r.finance)
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
        ok(app.get("/api/v1/measures", &r.reporter).await, 200).await["total"],
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
        app.get(&format!("/api/v1/items/{}", c.item), &r.finance)
            .await,
        200,
    )
    .await;
    assert_eq!(item["budget"]["union"], "250.000000");
    assert_eq!(item["original_budget"]["union"], "300.000000");
    let h = ok(
        app.get(&format!("/api/v1/items/{}/history", c.item), &r.finance)
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
    let sid = form(&app, &c, "10").await;
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
        ok(app.get("/api/v1/measures?year=2027", &r.viewer).await, 200).await["total"],
        0
    );
    // Parameters that do not fit the kind are refused.
    let p = assert_problem(app.post("/api/v1/measures", &r.finance, json!({"item_id": c.item, "kind": "suspend_payment", "reason": "x", "new_budget": {"fiscal": "1", "union": "1"}})).await, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "new_budget");
}

#[tokio::test]
async fn a_project_is_copied_year_by_year_and_followed_over_its_whole_life() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let p = ok(app.post("/api/v1/items", &r.reporter, json!({"year": 2026, "kind": "project", "name": "职工服务中心维修改造", "budget": {"fiscal": "500", "union": "100"}, "start_year": 2026, "end_year": 2027})).await, 201).await;
    let pid = p["id"].as_str().unwrap();
    ok(app.post(&format!("/api/v1/items/{pid}/indicators"), &r.reporter, json!({"level1": "output", "level2": "timeliness", "name": "工期", "measure_unit": "月", "direction": "lower_better", "target": "10"})).await, 201).await;
    let copy = ok(
        app.post(
            &format!("/api/v1/items/{pid}/copy"),
            &r.reporter,
            json!({"year": 2027}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(copy["previous_item_id"], pid);
    assert_eq!(copy["year"], 2027);
    assert_eq!(copy["key_monitored"], false);
    let inds = ok(
        app.get(
            &format!("/api/v1/items/{}/indicators", copy["id"].as_str().unwrap()),
            &r.reporter,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(inds[0]["target"], "10");
    let p2 = assert_problem(
        app.post(
            &format!("/api/v1/items/{}/copy", copy["id"].as_str().unwrap()),
            &r.reporter,
            json!({"year": 2028}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p2["errors"][0]["code"], "beyond_project_life");
    let life = ok(
        app.get(
            &format!("/api/v1/items/{}/lifecycle", copy["id"].as_str().unwrap()),
            &r.viewer,
        )
        .await,
        200,
    )
    .await;
    let years: Vec<i64> = life
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, vec![2026, 2027]);
    let from_first = ok(
        app.get(&format!("/api/v1/items/{pid}/lifecycle"), &r.viewer)
            .await,
        200,
    )
    .await;
    assert_eq!(from_first, life);
    // The overall item copied twice into the same year conflicts.
    ok(
        app.post(
            &format!("/api/v1/items/{}/copy", c.item),
            &r.finance,
            json!({"year": 2027}),
        )
        .await,
        201,
    )
    .await;
    assert_problem(
        app.post(
            &format!("/api/v1/items/{}/copy", c.item),
            &r.reporter,
            json!({"year": 2027}),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/api/v1/items/{pid}/copy"),
            &r.viewer,
            json!({"year": 2027}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn every_follow_through_endpoint_hides_other_units_and_refuses_the_wrong_roles() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let sid = form(&app, &c, "20").await;
    let action = ok(app.post("/api/v1/corrective-actions", &r.reporter, json!({"submission_id": sid, "lens": "effectiveness", "cause": "x", "measure": "y", "owner": "z", "due_date": "2026-12-31"})).await, 201).await;
    let adj = ok(app.post("/api/v1/adjustment-requests", &r.reporter, json!({"item_id": c.item, "cause": "emergency", "explanation": "x", "countermeasures": "y", "new_budget": {"fiscal": "1", "union": "1"}})).await, 201).await;
    let measure = ok(
        app.post(
            "/api/v1/measures",
            &r.finance,
            json!({"item_id": c.item, "kind": "budget_reference", "reason": "x"}),
        )
        .await,
        201,
    )
    .await;
    let (a, j, m, i) = (
        action["id"].as_str().unwrap(),
        adj["id"].as_str().unwrap(),
        measure["id"].as_str().unwrap(),
        &c.item,
    );
    let other = app.create_unit(&r.admin, "OTHER").await;
    let (_, stranger) = app
        .create_user(&r.admin, "stranger", "reporter", Some(other))
        .await;
    // Another unit's reporter: 404 on every read and write of these objects.
    let cases: Vec<(&str, String, Value)> = vec![
        (
            "GET",
            format!("/api/v1/corrective-actions/{a}"),
            Value::Null,
        ),
        (
            "POST",
            format!("/api/v1/corrective-actions/{a}/progress"),
            json!({"note": "x"}),
        ),
        (
            "POST",
            format!("/api/v1/corrective-actions/{a}/complete"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/adjustment-requests/{j}"),
            Value::Null,
        ),
        (
            "POST",
            format!("/api/v1/adjustment-requests/{j}/withdraw"),
            json!({}),
        ),
        ("GET", format!("/api/v1/measures/{m}"), Value::Null),
        ("GET", format!("/api/v1/items/{i}/history"), Value::Null),
        ("GET", format!("/api/v1/items/{i}/lifecycle"), Value::Null),
        (
            "POST",
            format!("/api/v1/items/{i}/copy"),
            json!({"year": 2027}),
        ),
        (
            "POST",
            "/api/v1/adjustment-requests".into(),
            json!({"item_id": i, "cause": "other", "explanation": "x", "countermeasures": "y", "new_budget": {"fiscal": "1", "union": "1"}}),
        ),
    ];
    for (method, path, body) in &cases {
        let mut req = app.req(
            reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
            path,
            Some(&stranger),
        );
        if !body.is_null() {
            req = req.json(body);
        }
        assert_problem(req.send().await.unwrap(), 404, "not_found").await;
    }
    for list in [
        "/api/v1/corrective-actions",
        "/api/v1/adjustment-requests",
        "/api/v1/measures",
    ] {
        assert_eq!(
            ok(app.get(list, &stranger).await, 200).await["total"],
            0,
            "{list}"
        );
        assert_eq!(
            ok(app.get(list, &r.viewer).await, 200).await["total"],
            1,
            "{list}"
        );
    }
    // Roles that may not act: 403, and nothing changes.
    let refused: Vec<(String, Value, Vec<&String>)> = vec![
        (
            format!("/api/v1/corrective-actions/{a}/progress"),
            json!({"note": "x"}),
            vec![&r.admin, &r.finance, &r.viewer],
        ),
        (
            format!("/api/v1/corrective-actions/{a}/complete"),
            json!({}),
            vec![&r.admin, &r.finance, &r.viewer],
        ),
        (
            format!("/api/v1/corrective-actions/{a}/verify"),
            json!({}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            format!("/api/v1/corrective-actions/{a}/reopen"),
            json!({"note": "x"}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            format!("/api/v1/adjustment-requests/{j}/approve"),
            json!({}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            format!("/api/v1/adjustment-requests/{j}/reject"),
            json!({"reason": "x"}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            format!("/api/v1/adjustment-requests/{j}/withdraw"),
            json!({}),
            vec![&r.admin, &r.finance, &r.viewer],
        ),
        (
            "/api/v1/adjustment-requests".into(),
            json!({"item_id": i, "cause": "other", "explanation": "x", "countermeasures": "y", "new_budget": {"fiscal": "1", "union": "1"}}),
            vec![&r.admin, &r.finance, &r.viewer],
        ),
        (
            "/api/v1/measures".into(),
            json!({"item_id": i, "kind": "suspend_payment", "reason": "x"}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            format!("/api/v1/measures/{m}/lift"),
            json!({"reason": "x"}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            "/api/v1/corrective-actions".into(),
            json!({"submission_id": sid, "lens": "compliance", "cause": "x", "measure": "y", "owner": "z", "due_date": "2026-12-31"}),
            vec![&r.admin, &r.viewer],
        ),
        (
            format!("/api/v1/items/{i}/copy"),
            json!({"year": 2027}),
            vec![&r.admin, &r.viewer],
        ),
    ];
    for (path, body, tokens) in &refused {
        for t in tokens {
            assert_problem(app.post(path, t, body.clone()).await, 403, "forbidden").await;
        }
    }
    assert_eq!(
        ok(
            app.get(&format!("/api/v1/corrective-actions/{a}"), &r.viewer)
                .await,
            200
        )
        .await["status"],
        "open"
    );
    assert_eq!(
        ok(
            app.get(&format!("/api/v1/adjustment-requests/{j}"), &r.viewer)
                .await,
            200
        )
        .await["status"],
        "pending"
    );
    assert_eq!(
        ok(
            app.get(&format!("/api/v1/measures/{m}"), &r.viewer).await,
            200
        )
        .await["active"],
        true
    );
    assert_eq!(
        ok(app.get(&format!("/api/v1/items/{i}"), &r.viewer).await, 200).await["payment_status"],
        "normal"
    );
    assert_eq!(
        ok(app.get("/api/v1/items?year=2027", &r.viewer).await, 200).await["total"],
        0
    );
}

#[tokio::test]
async fn a_rectification_ordered_through_a_measure_checks_its_due_date_like_any_action() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let sid = form(&app, &c, "10").await;
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
        app.get(&format!("/api/v1/measures?item_id={}", c.item), &r.finance)
            .await,
        200,
    )
    .await;
    assert_eq!(measures["total"], 0, "nothing was written: {measures}");
    let actions = ok(app.get("/api/v1/corrective-actions", &r.finance).await, 200).await;
    assert_eq!(actions["total"], 0, "nothing was written: {actions}");
}

#[tokio::test]
async fn an_item_edit_that_leaves_the_budget_alone_writes_no_budget_history() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let path = format!("/api/v1/items/{}", c.item);
    let etag = |resp: &reqwest::Response| resp.headers()["etag"].to_str().unwrap().to_string();
    let got = app.get(&path, &r.reporter).await;
    let tag = etag(&got);
    let renamed = app
        .patch(
            &path,
            &r.reporter,
            Some(&tag),
            json!({"name": "整体支出（更正）"}),
        )
        .await;
    let tag = etag(&renamed);
    ok(renamed, 200).await;
    let same = app
        .patch(
            &path,
            &r.reporter,
            Some(&tag),
            json!({"budget": {"fiscal": "100", "union": "300"}}),
        )
        .await;
    let tag = etag(&same);
    ok(same, 200).await;
    let history = ok(app.get(&format!("{path}/history"), &r.finance).await, 200).await;
    assert_eq!(history, json!([]), "no budget changed");
    ok(
        app.patch(
            &path,
            &r.reporter,
            Some(&tag),
            json!({"budget": {"fiscal": "120", "union": "300"}}),
        )
        .await,
        200,
    )
    .await;
    let history = ok(app.get(&format!("{path}/history"), &r.finance).await, 200).await;
    let rows = history.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{history}");
    assert_eq!(rows[0]["field"], "budget");
    assert_eq!(rows[0]["cause_type"], "edit");
}
