//! What a filed form locks, and creating POSTs that are idempotent.

use super::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn a_filed_form_locks_the_budget_and_the_indicators_it_reports_on() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let item = &c.item;
    // Before anything is filed, the budget and targets can be corrected.
    let fixed = ok(
        r.reporter
            .patch(
                &format!("/api/v1/items/{item}"),
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
        r.reporter
            .patch(&ind_path, Some("\"1\""), ind_body.clone())
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
        "conflict",
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
        "conflict",
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
        "conflict",
    )
    .await;
    // Other fields still change.
    ok(
        r.reporter
            .patch(
                &format!("/api/v1/items/{item}"),
                Some("\"2\""),
                json!({"annual_goal": "新目标"}),
            )
            .await,
        200,
    )
    .await;
    let still = ok(r.reporter.get(&ind_path).await, 200).await;
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
        r.reporter
            .get(&format!("/api/v1/items/{item}/indicators"))
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
    let list = ok(c.roles.finance.get("/api/v1/submissions").await, 200).await;
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
