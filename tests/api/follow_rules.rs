//! Follow-through rules across resources: what an approved adjustment or a budget measure
//! recomputes, read back through the API.

use serde_json::{json, Value};

use crate::helpers::*;

async fn ok(r: reqwest::Response, status: u16) -> Value {
    let s = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(s, status, "{body}");
    body
}

/// Opens one more period of 2026 (an interim one) and files a complete draft form of the
/// item in it with 40 of its fiscal budget executed.
async fn draft_in_new_period(app: &TestApp, c: &Cycle, as_of: &str) -> String {
    let r = &c.roles;
    let body = json!({"year": 2026, "kind": "interim", "as_of": as_of,
        "submission_deadline": "2026-12-31", "report_deadline": "2027-01-31"});
    let p = ok(app.post("/api/v1/periods", &r.finance, body).await, 201).await;
    let pid = p["id"].as_str().unwrap();
    let open = format!("/api/v1/periods/{pid}/open");
    ok(app.post(&open, &r.finance, json!({})).await, 200).await;
    draft(app, c, pid).await
}

async fn draft(app: &TestApp, c: &Cycle, period: &str) -> String {
    let body = json!({"period_id": period, "item_id": c.item,
        "executed": {"fiscal": "40", "union": "0"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "400"},
            {"indicator_id": c.indicators[1], "actual": "90"}],
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}});
    let s = ok(
        app.post("/api/v1/submissions", &c.roles.reporter, body)
            .await,
        201,
    )
    .await;
    assert_eq!(s["execution_rate"]["fiscal"], "40.00");
    s["id"].as_str().unwrap().to_string()
}

async fn fiscal_rate(app: &TestApp, c: &Cycle, form: &str) -> (String, String) {
    let s = ok(
        app.get(&format!("/api/v1/submissions/{form}"), &c.roles.finance)
            .await,
        200,
    )
    .await;
    (
        s["execution_rate"]["fiscal"].as_str().unwrap().to_string(),
        s["budget"]["fiscal"].as_str().unwrap().to_string(),
    )
}

/// An item with forms in four periods: a draft, a submitted one, an accepted one, and
/// another draft; returns them in that order.
async fn forms_in_four_periods(app: &TestApp, c: &Cycle) -> Vec<String> {
    let r = &c.roles;
    let first = draft(app, c, &c.period).await;
    let submitted = draft_in_new_period(app, c, "2026-08-31").await;
    let submit = format!("/api/v1/submissions/{submitted}/submit");
    ok(app.post(&submit, &r.reporter, json!({})).await, 200).await;
    let accepted = draft_in_new_period(app, c, "2026-09-30").await;
    let submit = format!("/api/v1/submissions/{accepted}/submit");
    ok(app.post(&submit, &r.reporter, json!({})).await, 200).await;
    let accept = format!("/api/v1/submissions/{accepted}/accept");
    ok(app.post(&accept, &r.finance, json!({})).await, 200).await;
    let last = draft_in_new_period(app, c, "2026-10-31").await;
    vec![first, submitted, accepted, last]
}

async fn assert_refreshed(app: &TestApp, c: &Cycle, forms: &[String]) {
    for (n, form) in forms.iter().enumerate() {
        let (rate, budget) = fiscal_rate(app, c, form).await;
        if n == 2 {
            assert_eq!(
                (rate.as_str(), budget.as_str()),
                ("40.00", "100.000000"),
                "the accepted form keeps the figures it was accepted with"
            );
        } else {
            assert_eq!(
                (rate.as_str(), budget.as_str()),
                ("50.00", "80.000000"),
                "form {n} is judged against the adjusted budget"
            );
        }
    }
}

#[tokio::test]
async fn an_approved_adjustment_recomputes_every_form_of_the_item_not_yet_accepted() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let forms = forms_in_four_periods(&app, &c).await;
    let req = json!({"item_id": c.item, "cause": "policy_change", "explanation": "上级调整政策",
        "countermeasures": "压缩规模", "new_budget": {"fiscal": "80", "union": "300"}});
    let a = ok(
        app.post("/api/v1/adjustment-requests", &r.reporter, req)
            .await,
        201,
    )
    .await;
    let approve = format!(
        "/api/v1/adjustment-requests/{}/approve",
        a["id"].as_str().unwrap()
    );
    let approved = ok(app.post(&approve, &r.finance, json!({})).await, 200).await;
    assert_eq!(approved["status"], "approved");
    assert_refreshed(&app, &c, &forms).await;
}

#[tokio::test]
async fn a_budget_measure_recomputes_every_form_of_the_item_not_yet_accepted() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let forms = forms_in_four_periods(&app, &c).await;
    let body = json!({"item_id": c.item, "kind": "adjust_budget", "reason": "执行进度滞后",
        "new_budget": {"fiscal": "80", "union": "300"}});
    let m = ok(
        app.post("/api/v1/measures", &c.roles.finance, body).await,
        201,
    )
    .await;
    assert_eq!(m["new_budget"]["fiscal"], "80.000000");
    assert_refreshed(&app, &c, &forms).await;
}

#[tokio::test]
async fn a_withdrawn_request_cannot_be_approved_and_says_why() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let req = json!({"item_id": c.item, "cause": "emergency", "explanation": "突发事件",
        "countermeasures": "调整计划", "new_budget": {"fiscal": "80", "union": "300"}});
    let a = ok(
        app.post("/api/v1/adjustment-requests", &r.reporter, req)
            .await,
        201,
    )
    .await;
    let id = a["id"].as_str().unwrap();
    let withdraw = format!("/api/v1/adjustment-requests/{id}/withdraw");
    ok(app.post(&withdraw, &r.reporter, json!({})).await, 200).await;
    let approve = format!("/api/v1/adjustment-requests/{id}/approve");
    let p = assert_problem(
        app.post(&approve, &r.finance, json!({})).await,
        409,
        "invalid_transition",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("withdrawn"), "{p}");
    let item = ok(
        app.get(&format!("/api/v1/items/{}", c.item), &r.finance)
            .await,
        200,
    )
    .await;
    assert_eq!(item["budget"]["fiscal"], "100.000000", "nothing applied");
}

#[tokio::test]
async fn a_corrective_action_step_is_audited_as_the_statuses_it_moved_between_and_its_note() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let sid = crate::follow_through::form(&c, "5").await;
    let body = json!({"submission_id": sid, "indicator_id": c.indicators[0], "lens": "timeliness",
        "cause": "培训场地改造延误", "objective_cause": false, "measure": "每周加开两期培训",
        "owner": "张华", "due_date": "2026-08-01"});
    let a = ok(
        app.post("/api/v1/corrective-actions", &r.reporter, body)
            .await,
        201,
    )
    .await;
    let id = a["id"].as_str().unwrap();
    ok(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/progress"),
            &r.reporter,
            json!({"note": "已加开两期"}),
        )
        .await,
        200,
    )
    .await;
    let steps = app
        .audit(&r.admin, "action=corrective_action.progress")
        .await;
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0]["before"], json!({"status": "open"}));
    assert_eq!(
        steps[0]["after"],
        json!({"status": "in_progress", "note": "已加开两期"})
    );
}
