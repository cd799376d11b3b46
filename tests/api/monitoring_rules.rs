//! Rules of the forms: lateness, warnings and their reasons, notes, and what a filed form locks.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::monitoring::open_cycle;

async fn ok(r: reqwest::Response, status: u16) -> Value {
    let s = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(s, status, "{body}");
    body
}

async fn put(app: &TestApp, token: &str, id: &str, version: i64, body: Value) -> reqwest::Response {
    app.req(
        reqwest::Method::PUT,
        &format!("/api/v1/submissions/{id}"),
        Some(token),
    )
    .header("If-Match", format!("\"{version}\""))
    .json(&body)
    .send()
    .await
    .unwrap()
}

fn signed(mut v: Value) -> Value {
    v["signatures"] =
        json!({"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"});
    v
}

#[tokio::test]
async fn a_red_form_explains_itself_with_figures_thresholds_and_indicator_ids() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let body = json!({
        "period_id": c.period, "item_id": c.item,
        "executed": {"fiscal": "10", "union": "10"},
        "indicator_values": [
            {"indicator_id": c.indicators[0], "actual": "200"},
            {"indicator_id": c.indicators[1], "actual": "60"}
        ],
        "outlook": "impossible",
        "compliance": [{"check": "over_budget", "problem": true, "note": "超预算采购"}, {"check": "accounting", "problem": false}]
    });
    let s = ok(
        app.post("/api/v1/submissions", &c.roles.reporter, body)
            .await,
        201,
    )
    .await;
    assert_eq!(s["warning"], "red");
    // 20 of 400 = 5 % executed at 50 % time progress: v = 10 → red below 60.
    assert_eq!(s["execution_rate"]["total"], "5.00");
    assert_eq!(s["budget_light"], "red");
    let reasons = s["reasons"].as_array().unwrap();
    let code = |c: &str| {
        reasons
            .iter()
            .filter(|r| r["code"] == c)
            .cloned()
            .collect::<Vec<_>>()
    };
    let exec = &code("execution_behind_time")[0];
    assert_eq!(exec["value"], "10.00");
    assert_eq!(exec["threshold"], "60");
    assert_eq!(exec["light"], "red");
    // 200 of 1000 × 50 % = 40 % → red; 60 of 90 = 66.67 % → yellow.
    let behind = code("indicator_behind");
    assert_eq!(behind.len(), 2);
    assert_eq!(behind[0]["indicator_id"], c.indicators[0].as_str());
    assert_eq!(behind[0]["value"], "40.00");
    assert_eq!(behind[0]["threshold"], "60");
    assert_eq!(behind[1]["indicator_id"], c.indicators[1].as_str());
    assert_eq!(behind[1]["light"], "yellow");
    assert_eq!(behind[1]["threshold"], "80");
    assert_eq!(code("outlook_impossible").len(), 1);
    let compliance = code("compliance_problem");
    assert_eq!(compliance.len(), 1);
    assert_eq!(compliance[0]["detail"], "over_budget");
    assert_eq!(s["indicators"][1]["light"], "yellow");
    assert_eq!(s["goal_light"], "red");

    // The list filters by warning.
    let red = ok(
        app.get(
            &format!("/api/v1/submissions?period_id={}&warning=red", c.period),
            &c.roles.finance,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(red["total"], 1);
    let green = ok(
        app.get("/api/v1/submissions?warning=green", &c.roles.finance)
            .await,
        200,
    )
    .await;
    assert_eq!(green["total"], 0);
}

#[tokio::test]
async fn an_actual_far_above_target_needs_a_note_before_submitting() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let base = signed(json!({
        "executed": {"fiscal": "50", "union": "150"},
        "indicator_values": [
            {"indicator_id": c.indicators[0], "actual": "1300"},
            {"indicator_id": c.indicators[1], "actual": "95"}
        ]
    }));
    let s = ok(
        app.post(
            "/api/v1/submissions",
            &c.roles.reporter,
            json!({"period_id": c.period, "item_id": c.item}),
        )
        .await,
        201,
    )
    .await;
    let id = s["id"].as_str().unwrap();
    let filled = ok(put(&app, &c.roles.reporter, id, 1, base.clone()).await, 200).await;
    assert_eq!(filled["indicators"][0]["needs_note"], true);
    assert_eq!(filled["indicators"][0]["light"], "blue");
    assert_eq!(filled["indicators"][0]["completion_rate"], "100.00");
    let over: Vec<&Value> = filled["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["code"] == "indicator_over_target")
        .collect();
    assert_eq!(over.len(), 1);
    assert_eq!(
        filled["warning"], "green",
        "over-achievement alone does not raise the warning"
    );
    let p = assert_problem(
        app.post(
            &format!("/api/v1/submissions/{id}/submit"),
            &c.roles.reporter,
            json!({}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "indicator_values[0].note");
    let mut noted = base;
    noted["indicator_values"][0]["note"] = json!("上级追加培训任务");
    ok(put(&app, &c.roles.reporter, id, 2, noted).await, 200).await;
    ok(
        app.post(
            &format!("/api/v1/submissions/{id}/submit"),
            &c.roles.reporter,
            json!({}),
        )
        .await,
        200,
    )
    .await;
}

#[tokio::test]
async fn lateness_is_judged_against_the_units_deadline_in_beijing_time() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    // The H1 deadline (2026-07-10) has passed: a form submitted now is late.
    let form = signed(
        json!({"period_id": c.period, "item_id": c.item, "indicator_values": [
        {"indicator_id": c.indicators[0], "actual": "500"}, {"indicator_id": c.indicators[1], "actual": "90"}]}),
    );
    let s = ok(
        app.post("/api/v1/submissions", &r.reporter, form).await,
        201,
    )
    .await;
    let id = s["id"].as_str().unwrap();
    assert_eq!(s["late"], false, "a draft is not late yet");
    let sub = ok(
        app.post(
            &format!("/api/v1/submissions/{id}/submit"),
            &r.reporter,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(sub["late"], true);
    assert!(sub["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["code"] == "late"));
    let late = ok(
        app.get("/api/v1/submissions?late=true", &r.finance).await,
        200,
    )
    .await;
    assert_eq!(late["total"], 1);

    // A period whose deadline lies ahead: not late.
    let interim = ok(
        app.post("/api/v1/periods", &r.finance, json!({"year": 2026, "kind": "interim", "as_of": "2026-09-30", "submission_deadline": "2026-12-31", "report_deadline": "2027-01-31"})).await,
        201,
    )
    .await;
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
    let form = signed(
        json!({"period_id": pid, "item_id": c.item, "indicator_values": [
        {"indicator_id": c.indicators[0], "actual": "800"}, {"indicator_id": c.indicators[1], "actual": "90"}]}),
    );
    let s = ok(
        app.post("/api/v1/submissions", &r.reporter, form).await,
        201,
    )
    .await;
    assert_eq!(s["time_progress"], "75.00");
    let sid = s["id"].as_str().unwrap();
    let sub = ok(
        app.post(
            &format!("/api/v1/submissions/{sid}/submit"),
            &r.reporter,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(sub["late"], false);
}

#[tokio::test]
async fn a_filed_form_locks_the_budget_and_the_indicators_it_reports_on() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let item = &c.item;
    // Before anything is filed, the budget and targets can be corrected.
    let fixed = ok(
        app.patch(
            &format!("/api/v1/items/{item}"),
            &r.reporter,
            Some("\"1\""),
            json!({"budget": {"fiscal": "120", "union": "300"}}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(fixed["original_budget"]["fiscal"], "120.000000");
    let ind_path = format!("/api/v1/items/{item}/indicators/{}", c.indicators[0]);
    let ind_body = json!({"level1": "output", "level2": "quantity", "name": "培训人次", "measure_unit": "人次", "direction": "higher_better", "target": "1100", "prorate": true});
    let ind = ok(
        app.patch(&ind_path, &r.reporter, Some("\"1\""), ind_body.clone())
            .await,
        200,
    )
    .await;
    assert_eq!(ind["target"], "1100");

    let form = signed(
        json!({"period_id": c.period, "item_id": item, "indicator_values": [
        {"indicator_id": c.indicators[0], "actual": "500"}, {"indicator_id": c.indicators[1], "actual": "90"}]}),
    );
    let s = ok(
        app.post("/api/v1/submissions", &r.reporter, form).await,
        201,
    )
    .await;
    // A draft already blocks deleting the indicators it answers.
    assert_problem(
        app.req(reqwest::Method::DELETE, &ind_path, Some(&r.reporter))
            .send()
            .await
            .unwrap(),
        409,
        "locked",
    )
    .await;
    ok(
        app.post(
            &format!("/api/v1/submissions/{}/submit", s["id"].as_str().unwrap()),
            &r.reporter,
            json!({}),
        )
        .await,
        200,
    )
    .await;

    let mut new_target = ind_body;
    new_target["target"] = json!("800");
    assert_problem(
        app.patch(&ind_path, &r.reporter, Some("\"2\""), new_target)
            .await,
        409,
        "locked",
    )
    .await;
    assert_problem(
        app.patch(
            &format!("/api/v1/items/{item}"),
            &r.reporter,
            Some("\"2\""),
            json!({"budget": {"fiscal": "1", "union": "1"}}),
        )
        .await,
        409,
        "locked",
    )
    .await;
    // Other fields still change.
    ok(
        app.patch(
            &format!("/api/v1/items/{item}"),
            &r.reporter,
            Some("\"2\""),
            json!({"annual_goal": "新目标"}),
        )
        .await,
        200,
    )
    .await;
    let still = ok(app.get(&ind_path, &r.reporter).await, 200).await;
    assert_eq!(still["target"], "1100");
    // An indicator nobody answered can go.
    let extra = ok(app.post(&format!("/api/v1/items/{item}/indicators"), &r.reporter, json!({"level1": "effect", "level2": "social_benefit", "name": "影响", "direction": "qualitative", "target": "明显提升"})).await, 201).await;
    let r1 = app
        .req(
            reqwest::Method::DELETE,
            &format!(
                "/api/v1/items/{item}/indicators/{}",
                extra["id"].as_str().unwrap()
            ),
            Some(&r.reporter),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r1.status(), 204);
    let left = ok(
        app.get(&format!("/api/v1/items/{item}/indicators"), &r.reporter)
            .await,
        200,
    )
    .await;
    assert_eq!(left.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn creating_posts_of_the_monitoring_core_are_idempotent() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let send = || {
        app.req(
            reqwest::Method::POST,
            "/api/v1/submissions",
            Some(&c.roles.reporter),
        )
        .header("Idempotency-Key", "form-1")
        .json(&json!({"period_id": c.period, "item_id": c.item}))
        .send()
    };
    let first = ok(send().await.unwrap(), 201).await;
    let again = ok(send().await.unwrap(), 201).await;
    assert_eq!(first, again);
    let list = ok(app.get("/api/v1/submissions", &c.roles.finance).await, 200).await;
    assert_eq!(list["total"], 1);
    let send_item = || {
        app.req(reqwest::Method::POST, "/api/v1/items", Some(&c.roles.reporter))
            .header("Idempotency-Key", "item-1")
            .json(&json!({"year": 2026, "kind": "special_fund", "name": "普惠资金", "budget": {"fiscal": "1", "union": "2"}, "funding_source": "own"}))
            .send()
    };
    let a = ok(send_item().await.unwrap(), 201).await;
    let b = ok(send_item().await.unwrap(), 201).await;
    assert_eq!(a["id"], b["id"]);
}

#[tokio::test]
async fn a_qualitative_indicator_takes_a_grade_and_lower_better_a_cost() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let item = &c.item;
    let q = ok(app.post(&format!("/api/v1/items/{item}/indicators"), &r.reporter, json!({"level1": "effect", "level2": "social_benefit", "name": "职工权益保障水平", "direction": "qualitative", "target": "明显提升"})).await, 201).await;
    let cost = ok(app.post(&format!("/api/v1/items/{item}/indicators"), &r.reporter, json!({"level1": "output", "level2": "cost", "name": "人均培训成本", "measure_unit": "元", "direction": "lower_better", "target": "200"})).await, 201).await;
    let body = |grade: &str, cost_actual: &str| {
        json!({"period_id": c.period, "item_id": item, "indicator_values": [
        {"indicator_id": q["id"], "actual": grade}, {"indicator_id": cost["id"], "actual": cost_actual}]})
    };
    let p = assert_problem(
        app.post("/api/v1/submissions", &r.reporter, body("great", "100"))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "indicator_values[0].actual");
    let s = ok(
        app.post(
            "/api/v1/submissions",
            &r.reporter,
            body("partly_achieved", "250"),
        )
        .await,
        201,
    )
    .await;
    let figs = s["indicators"].as_array().unwrap();
    let of = |id: &Value| {
        figs.iter()
            .find(|f| &f["indicator_id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(of(&q["id"])["completion_rate"], "60.00");
    assert_eq!(of(&q["id"])["light"], "yellow");
    // 250 against 200: 75 %, red.
    assert_eq!(of(&cost["id"])["completion_rate"], "75.00");
    assert_eq!(of(&cost["id"])["light"], "red");
}
