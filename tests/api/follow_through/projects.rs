//! Items over the years: a project copied year by year, and the budget history of an item.

use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn a_project_is_copied_year_by_year_and_followed_over_its_whole_life() {
    let (_app, c) = spawn_cycle().await;
    let r = &c.roles;
    let p = r.reporter.item(json!({"year": 2026, "kind": "project", "name": "职工服务中心维修改造", "budget": {"fiscal": "500", "union": "100"}, "start_year": 2026, "end_year": 2027})).await;
    let pid = p.id;
    r.reporter.indicator(pid, json!({"level1": "output", "level2": "timeliness", "name": "工期", "measure_unit": "月", "direction": "lower_better", "target": "10"})).await;
    let copy = |item: &dyn std::fmt::Display| format!("/api/v1/items/{item}/copy");
    let year = |y: i32| json!({ "year": y });
    let next = r.reporter.post_is(&copy(&pid), year(2027), 201).await;
    assert_eq!(next["previous_item_id"], pid.to_string());
    assert_eq!(next["year"], 2027);
    assert_eq!(next["key_monitored"], false);
    let next_id = id_of(&next);
    let inds = r
        .reporter
        .read(&format!("/api/v1/items/{next_id}/indicators"))
        .await;
    assert_eq!(inds[0]["target"], "10");
    let p2 = r
        .reporter
        .post_is(&copy(&next_id), year(2028), VALIDATION_FAILED)
        .await;
    assert_eq!(p2["errors"][0]["code"], "beyond_project_life");
    let life = r
        .viewer
        .read(&format!("/api/v1/items/{next_id}/lifecycle"))
        .await;
    assert_eq!(years_of(&life), vec![2026, 2027]);
    let from_first = r
        .viewer
        .read(&format!("/api/v1/items/{pid}/lifecycle"))
        .await;
    assert_eq!(from_first, life);
    // The overall item copied twice into the same year conflicts.
    let overall = copy(&c.item);
    r.finance.post_is(&overall, year(2027), 201).await;
    r.reporter
        .post_is(&overall, year(2027), ALREADY_EXISTS)
        .await;
    r.viewer.post_is(&copy(&pid), year(2027), FORBIDDEN).await;
}

#[tokio::test]
async fn an_item_edit_that_leaves_the_budget_alone_writes_no_budget_history() {
    let (_app, c) = spawn_cycle().await;
    let r = &c.roles;
    let path = format!("/api/v1/items/{}", c.item);
    let tag = etag_of(&r.reporter.get(&path).await);
    let patched = |tag: String, body: serde_json::Value| {
        let path = &path;
        async move {
            let r = r.reporter.patch(path, Some(&tag), body).await;
            let tag = etag_of(&r);
            ok(r, 200).await;
            tag
        }
    };
    let tag = patched(tag, json!({"name": "整体支出（更正）"})).await;
    let same = json!({"budget": {"fiscal": "100", "union": "300"}});
    let tag = patched(tag, same).await;
    let history = r.finance.read(&format!("{path}/history")).await;
    assert_eq!(history, json!([]), "no budget changed");
    patched(tag, json!({"budget": {"fiscal": "120", "union": "300"}})).await;
    let history = r.finance.read(&format!("{path}/history")).await;
    let rows = history.as_array().unwrap();
    assert_eq!(rows.len(), 1, "{history}");
    assert_eq!(rows[0]["field"], "budget");
    assert_eq!(rows[0]["cause_type"], "edit");
}
