//! Adjustment requests: approved ones change budget and targets and keep the originals.

use super::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn an_approved_adjustment_changes_budget_and_targets_and_keeps_the_originals() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    // An accepted form keeps the figures it was accepted with.
    let sid = form(&c, "50").await;
    r.reporter
        .act(&format!("/api/v1/submissions/{sid}/submit"))
        .await;
    let accepted = r
        .finance
        .act(&format!("/api/v1/submissions/{sid}/accept"))
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
        r.reporter.get(&format!("/api/v1/items/{}", c.item)).await,
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
        r.finance.get(&format!("/api/v1/submissions/{sid}")).await,
        200,
    )
    .await;
    assert_eq!(
        accepted_again["execution_rate"]["fiscal"], "50.00",
        "accepted figures stay"
    );
    assert_eq!(accepted_again["budget"]["fiscal"], "100.000000");

    // A form filed afterwards is judged against the adjusted budget and target.
    let pid = app.period(2026, "interim").await.id;
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
        r.viewer
            .get(&format!("/api/v1/items/{}/history", c.item))
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
        r.finance.get(&format!("/api/v1/items/{}", c.item)).await,
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
        r.finance
            .get(&format!("/api/v1/adjustment-requests/{id}"))
            .await,
        200,
    )
    .await;
    assert_eq!(still["status"], "pending");
    assert_eq!(
        ok(
            r.finance
                .get(&format!("/api/v1/items/{}/history", c.item))
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
    let w = r
        .reporter
        .act(&format!("/api/v1/adjustment-requests/{id}/withdraw"))
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
        ok(r.finance.get("/api/v1/adjustment-requests").await, 200).await["total"],
        0
    );
}
