//! Periods, their rules and completeness, and input the monitoring core refuses.

use crate::helpers::ok as json_of;
use crate::helpers::*;
use serde_json::json;
use uuid::Uuid;

#[tokio::test]
async fn bad_monitoring_input_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let item = &c.item;
    let p = assert_problem(app.post(&format!("/api/v1/items/{item}/indicators"), &r.reporter, json!({"level1": "effect", "level2": "quantity", "name": "x", "direction": "higher_better", "target": "1"})).await, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "level2");
    let p = assert_problem(app.post("/api/v1/items", &r.reporter, json!({"year": 2026, "kind": "special_fund", "name": "x", "budget": {"fiscal": "-1", "union": "1"}, "funding_source": "own"})).await, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "budget.fiscal");
    let p = assert_problem(app.post("/api/v1/items", &r.reporter, json!({"year": 2026, "kind": "special_fund", "name": "x", "budget": {"fiscal": "1.0000001", "union": "1"}, "funding_source": "own"})).await, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "budget.fiscal");
    let p = assert_problem(app.post("/api/v1/periods", &r.finance, json!({"year": 2026, "kind": "interim", "as_of": "2025-06-30", "submission_deadline": "2026-07-10", "report_deadline": "2026-07-31"})).await, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "as_of");
    // An indicator of another item in a form.
    let other = json_of(app.post("/api/v1/items", &r.reporter, json!({"year": 2026, "kind": "special_fund", "name": "普惠资金", "budget": {"fiscal": "1", "union": "1"}, "funding_source": "upper_union"})).await, 201).await;
    let foreign = json_of(app.post(&format!("/api/v1/items/{}/indicators", other["id"].as_str().unwrap()), &r.reporter, json!({"level1": "output", "level2": "quantity", "name": "x", "direction": "higher_better", "target": "1"})).await, 201).await;
    let p = assert_problem(app.post("/api/v1/submissions", &r.reporter, json!({"period_id": c.period, "item_id": item, "indicator_values": [{"indicator_id": foreign["id"], "actual": "1"}]})).await, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "indicator_values[0].indicator_id");
    let p = assert_problem(
        app.post(
            "/api/v1/submissions",
            &r.reporter,
            json!({"period_id": c.period, "item_id": item, "signatures": {"date": "2031-01-01"}}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "signatures.date");
    let list = json_of(r.finance.get("/api/v1/submissions").await, 200).await;
    assert_eq!(list["total"], 0);
    let items = json_of(r.finance.get("/api/v1/items").await, 200).await;
    assert_eq!(items["total"], 2);
    let inds = json_of(
        r.finance
            .get(&format!("/api/v1/items/{item}/indicators"))
            .await,
        200,
    )
    .await;
    assert_eq!(inds.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn periods_follow_their_rules() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let f = &c.roles.finance;
    // One h1 per year.
    let dup = app.post("/api/v1/periods", f, json!({"year": 2026, "kind": "h1", "as_of": "2026-06-30", "submission_deadline": "2026-07-10", "report_deadline": "2026-07-31"})).await;
    assert_problem(dup, 409, "conflict").await;
    // An open period is not edited; close, reopen, close, publish; a published one never reopens.
    let path = format!("/api/v1/periods/{}", c.period);
    assert_problem(
        app.patch(&path, f, Some("\"2\""), json!({"name": "改"}))
            .await,
        409,
        "conflict",
    )
    .await;
    json_of(app.post(&format!("{path}/close"), f, json!({})).await, 200).await;
    // No form is created in a closed period.
    assert_problem(
        app.post(
            "/api/v1/submissions",
            &c.roles.reporter,
            json!({"period_id": c.period, "item_id": c.item}),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    json_of(app.post(&format!("{path}/open"), f, json!({})).await, 200).await;
    json_of(app.post(&format!("{path}/close"), f, json!({})).await, 200).await;
    let published = json_of(
        app.post(&format!("{path}/publish"), f, json!({})).await,
        200,
    )
    .await;
    assert_eq!(published["status"], "published");
    assert_problem(
        app.post(&format!("{path}/open"), f, json!({})).await,
        409,
        "conflict",
    )
    .await;
}

#[tokio::test]
async fn completeness_lists_required_forms_and_extensions_move_deadlines() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let rows = json_of(
        app.get(
            &format!("/api/v1/periods/{}/completeness", c.period),
            &r.finance,
        )
        .await,
        200,
    )
    .await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["state"], "missing");
    assert_eq!(rows[0]["form"], 1);
    // 2026-07-10 has passed by now (this test runs after it), so a missing form is late.
    assert_eq!(rows[0]["late"], true);
    let ext = app
        .post(
            &format!("/api/v1/periods/{}/extensions", c.period),
            &r.finance,
            json!({"unit_id": r.unit, "until": "2026-07-20"}),
        )
        .await;
    assert_eq!(ext.status(), 201);
    let rows = json_of(
        app.get(
            &format!("/api/v1/periods/{}/completeness", c.period),
            &r.reporter,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(rows[0]["deadline"], "2026-07-20");
    let bad = app
        .post(
            &format!("/api/v1/periods/{}/extensions", c.period),
            &r.finance,
            json!({"unit_id": Uuid::new_v4(), "until": "2026-07-05"}),
        )
        .await;
    let p = assert_problem(bad, 422, "validation_failed").await;
    assert_eq!(p["errors"].as_array().unwrap().len(), 2);
}
