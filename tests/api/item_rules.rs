//! Items over time: what a change writes into the item's history, the whole life of a long
//! project, and the specific codes of the refusals of item writes.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::*;

async fn budget_entries(s: &Session, item: Uuid) -> usize {
    let h = s.read(&format!("/api/v1/items/{item}/history")).await;
    rows_where(&h, "field", "budget").len()
}

/// A fresh app whose reporter's unit has a special fund: 帮扶资金, 300 + 120.
async fn special_fund() -> (TestApp, Roles, Uuid) {
    let app = spawn_app().await;
    let roles = app.roles().await;
    let body = json!({"year": 2026, "kind": "special_fund", "name": "帮扶资金",
        "budget": {"fiscal": "300", "union": "120"}, "funding_source": "own"});
    let item = roles.reporter.item(body).await.id;
    (app, roles, item)
}

#[tokio::test]
async fn a_patch_that_changes_only_the_name_writes_no_budget_history() {
    let (_app, r, item) = special_fund().await;
    let rep = &r.reporter;
    let path = format!("/api/v1/items/{item}");
    let name = json!({"name": "帮扶资金（改）"});
    let changed = rep.patch_is(&path, Some("\"1\""), name, 200).await;
    assert_eq!(changed["name"], "帮扶资金（改）");
    assert_eq!(budget_entries(rep, item).await, 0);
}

#[tokio::test]
async fn a_patch_that_sends_the_same_budget_again_writes_no_budget_history() {
    let (_app, r, item) = special_fund().await;
    let rep = &r.reporter;
    let path = format!("/api/v1/items/{item}");
    let same = json!({"name": "帮扶资金（改）", "budget": {"fiscal": "300", "union": "120.0"}});
    rep.patch_is(&path, Some("\"1\""), same, 200).await;
    assert_eq!(budget_entries(rep, item).await, 0);
    // A real change is recorded once.
    let change = json!({"budget": {"fiscal": "310", "union": "120"}});
    rep.patch_is(&path, Some("\"2\""), change, 200).await;
    assert_eq!(budget_entries(rep, item).await, 1);
}

#[tokio::test]
async fn a_second_overall_item_of_a_unit_and_year_is_already_exists() {
    let app = spawn_app().await;
    let rep = app.roles().await.reporter;
    let overall = |year: i32| json!({"year": year, "kind": "overall", "name": "整体", "budget": {"fiscal": "1", "union": "1"}});
    let first = rep.item(overall(2026)).await;
    rep.post_is("/api/v1/items", overall(2026), ALREADY_EXISTS)
        .await;
    // Copying an overall item into a year that has one is the same refusal.
    rep.item(overall(2027)).await;
    let copy = format!("/api/v1/items/{}/copy", first.id);
    rep.post_is(&copy, json!({"year": 2027}), ALREADY_EXISTS)
        .await;
}

#[tokio::test]
async fn only_finance_designates_key_monitoring_and_the_history_says_so() {
    let (_app, r, item) = special_fund().await;
    let path = format!("/api/v1/items/{item}/key-monitoring");
    let key = || json!({"key_monitored": true});
    r.reporter.post_is(&path, key(), FORBIDDEN).await;
    let after = r.finance.post_is(&path, key(), 200).await;
    assert_eq!(after["key_monitored"], true);
    assert_eq!(after["version"], 2);
    let h = r
        .finance
        .read(&format!("/api/v1/items/{item}/history"))
        .await;
    let h = h.as_array().unwrap();
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(
        (
            h[0]["field"].as_str(),
            h[0]["before"].as_str(),
            h[0]["after"].as_str()
        ),
        (Some("key_monitored"), Some("false"), Some("true"))
    );
}

#[tokio::test]
async fn a_copy_links_only_a_project_copied_into_the_following_year() {
    let app = spawn_app().await;
    let rep = app.roles().await.reporter;
    let id = rep.item(json!({"year": 2026, "kind": "project", "name": "职工书屋", "budget": {"fiscal": "10", "union": "0"},
        "start_year": 2026, "end_year": 2028})).await.id;
    rep.indicator(id, json!({"level1": "output", "level2": "quantity", "name": "书屋", "measure_unit": "个", "direction": "higher_better", "target": "3"})).await;
    let path = format!("/api/v1/items/{id}/copy");
    let copy = |year: i32, e: Expect<'static>| rep.post_is(&path, json!({ "year": year }), e);
    let next = copy(2027, 201.into()).await;
    assert_eq!(next["previous_item_id"], id.to_string());
    assert_eq!(next["year"], 2027);
    let later = copy(2028, 201.into()).await;
    assert_eq!(later["previous_item_id"], Value::Null);
    copy(2029, VALIDATION_FAILED).await;
    copy(2026, VALIDATION_FAILED).await;
    let inds = rep
        .read(&format!("/api/v1/items/{}/indicators", id_of(&next)))
        .await;
    assert_eq!(inds.as_array().unwrap().len(), 1);
    assert_eq!(inds[0]["target"], "3");
}

/// Creates the unit's project item of `year`, linked to `previous`.
async fn project_year(s: &Session, year: i32, life: (i32, i32), previous: Option<Uuid>) -> Uuid {
    let (name, (start_year, end_year)) = (format!("工程{}", life.0), life);
    let body = json!({"year": year, "kind": "project", "name": name, "budget": {"fiscal": "1", "union": "0"},
        "start_year": start_year, "end_year": end_year, "previous_item_id": previous});
    s.item(body).await.id
}

#[tokio::test]
async fn the_lifecycle_of_a_long_chain_shows_every_year() {
    let app = spawn_app().await;
    let rep = app.roles().await.reporter;
    // Two projects of 51 and 12 years, the second continuing the first: 63 linked years.
    let mut ids = vec![];
    let mut previous: Option<Uuid> = None;
    for year in 2000..=2062 {
        let life = if year <= 2050 {
            (2000, 2050)
        } else {
            (2051, 2100)
        };
        let id = project_year(&rep, year, life, previous).await;
        ids.push(id);
        previous = Some(id);
    }
    for from in [&ids[0], &ids[31], &ids[62]] {
        let life = rep.read(&format!("/api/v1/items/{from}/lifecycle")).await;
        let all: Vec<i64> = (2000..=2062).collect();
        assert_eq!(years_of(&life), all, "from {from}");
    }
}

#[tokio::test]
async fn the_audit_of_a_copy_names_its_source() {
    let (app, r, item) = special_fund().await;
    let copy = r
        .reporter
        .created(&format!("/api/v1/items/{item}/copy"), json!({"year": 2027}))
        .await;
    let events = app.audit(&r.admin, "action=item.copy").await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["before"], json!({"source_item_id": item}));
    assert_eq!(events[0]["after"]["id"], copy.body["id"]);
}
