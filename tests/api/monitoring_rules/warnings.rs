//! A form's warning explained by its figures and thresholds; notes, grades and costs.

use super::*;
use crate::helpers::*;
use serde_json::{json, Value};

#[tokio::test]
async fn a_red_form_explains_itself_with_figures_thresholds_and_indicator_ids() {
    let (_app, c) = spawn_cycle().await;
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
    let s = c.draft_form(body).await.body;
    assert_eq!(s["warning"], "red");
    // 20 of 400 = 5 % executed at 50 % time progress: v = 10 → red below 60.
    assert_eq!(s["execution_rate"]["total"], "5.00");
    assert_eq!(s["budget_light"], "red");
    let code = |c: &str| rows_where(&s["reasons"], "code", c);
    let exec = code("execution_behind_time")[0];
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
    let f = &c.roles.finance;
    let red = format!("/api/v1/submissions?period_id={}&warning=red", c.period);
    assert_eq!(f.total(&red).await, 1);
    assert_eq!(f.total("/api/v1/submissions?warning=green").await, 0);
}

#[tokio::test]
async fn an_actual_far_above_target_needs_a_note_before_submitting() {
    let (_app, c) = spawn_cycle().await;
    let base = signed(json!({
        "executed": {"fiscal": "50", "union": "150"},
        "indicator_values": [
            {"indicator_id": c.indicators[0], "actual": "1300"},
            {"indicator_id": c.indicators[1], "actual": "95"}
        ]
    }));
    let rep = &c.roles.reporter;
    let s = c
        .draft_form(json!({"period_id": c.period, "item_id": c.item}))
        .await;
    let path = format!("/api/v1/submissions/{}", s.id);
    let filled = rep.put_is(&path, &s.etag, &base, 200).await;
    assert_eq!(filled["indicators"][0]["needs_note"], true);
    assert_eq!(filled["indicators"][0]["light"], "blue");
    assert_eq!(filled["indicators"][0]["completion_rate"], "100.00");
    let over = rows_where(&filled["reasons"], "code", "indicator_over_target");
    assert_eq!(over.len(), 1);
    assert_eq!(
        filled["warning"], "green",
        "over-achievement alone does not raise the warning"
    );
    let submit = format!("{path}/submit");
    rep.step(&submit, invalid("indicator_values[0].note")).await;
    let mut noted = base;
    noted["indicator_values"][0]["note"] = json!("上级追加培训任务");
    rep.put_is(&path, "\"2\"", &noted, 200).await;
    rep.act(&submit).await;
}

#[tokio::test]
async fn a_qualitative_indicator_takes_a_grade_and_lower_better_a_cost() {
    let (_app, c) = spawn_cycle().await;
    let rep = &c.roles.reporter;
    let item = c.item.parse().unwrap();
    let q = rep.indicator(item, json!({"level1": "effect", "level2": "social_benefit", "name": "职工权益保障水平", "direction": "qualitative", "target": "明显提升"})).await.body;
    let cost = rep.indicator(item, json!({"level1": "output", "level2": "cost", "name": "人均培训成本", "measure_unit": "元", "direction": "lower_better", "target": "200"})).await.body;
    let body = |grade: &str, cost_actual: &str| {
        json!({"period_id": c.period, "item_id": item, "indicator_values": [
        {"indicator_id": q["id"], "actual": grade}, {"indicator_id": cost["id"], "actual": cost_actual}]})
    };
    let refused = invalid("indicator_values[0].actual");
    rep.post_is("/api/v1/submissions", body("great", "100"), refused)
        .await;
    let s = c.draft_form(body("partly_achieved", "250")).await.body;
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
