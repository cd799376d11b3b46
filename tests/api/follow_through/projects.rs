//! Items over the years: a project copied year by year, and the budget history of an item.

use crate::helpers::*;
use serde_json::json;

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
        r.viewer
            .get(&format!("/api/v1/items/{pid}/lifecycle"))
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
async fn an_item_edit_that_leaves_the_budget_alone_writes_no_budget_history() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let path = format!("/api/v1/items/{}", c.item);
    let got = app.get(&path, &r.reporter).await;
    let tag = etag_of(&got);
    let renamed = r
        .reporter
        .patch(&path, Some(&tag), json!({"name": "整体支出（更正）"}))
        .await;
    let tag = etag_of(&renamed);
    ok(renamed, 200).await;
    let same = r
        .reporter
        .patch(
            &path,
            Some(&tag),
            json!({"budget": {"fiscal": "100", "union": "300"}}),
        )
        .await;
    let tag = etag_of(&same);
    ok(same, 200).await;
    let history = ok(r.finance.get(&format!("{path}/history")).await, 200).await;
    assert_eq!(history, json!([]), "no budget changed");
    ok(
        r.reporter
            .patch(
                &path,
                Some(&tag),
                json!({"budget": {"fiscal": "120", "union": "300"}}),
            )
            .await,
        200,
    )
    .await;
    let history = ok(r.finance.get(&format!("{path}/history")).await, 200).await;
    let rows = history.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{history}");
    assert_eq!(rows[0]["field"], "budget");
    assert_eq!(rows[0]["cause_type"], "edit");
}
