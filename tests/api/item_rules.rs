//! Items over time: what a change writes into the item's history, the whole life of a long
//! project, and the specific codes of the refusals of item writes.

use serde_json::{json, Value};

use crate::helpers::*;

async fn ok(r: reqwest::Response, status: u16) -> Value {
    assert_eq!(r.status().as_u16(), status);
    r.json().await.unwrap()
}

async fn budget_entries(app: &TestApp, token: &str, item: &str) -> usize {
    let h = ok(
        app.get(&format!("/api/v1/items/{item}/history"), token)
            .await,
        200,
    )
    .await;
    h.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["field"] == "budget")
        .count()
}

async fn special_fund(app: &TestApp, token: &str) -> String {
    let item = ok(
        app.post(
            "/api/v1/items",
            token,
            json!({"year": 2026, "kind": "special_fund", "name": "帮扶资金",
                "budget": {"fiscal": "300", "union": "120"}, "funding_source": "own"}),
        )
        .await,
        201,
    )
    .await;
    item["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_patch_that_changes_only_the_name_writes_no_budget_history() {
    let app = spawn_app().await;
    let r = app.roles().await;
    let item = special_fund(&app, &r.reporter).await;
    let path = format!("/api/v1/items/{item}");
    let changed = ok(
        app.patch(
            &path,
            &r.reporter,
            Some("\"1\""),
            json!({"name": "帮扶资金（改）"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(changed["name"], "帮扶资金（改）");
    assert_eq!(budget_entries(&app, &r.reporter, &item).await, 0);
}

#[tokio::test]
async fn a_patch_that_sends_the_same_budget_again_writes_no_budget_history() {
    let app = spawn_app().await;
    let r = app.roles().await;
    let item = special_fund(&app, &r.reporter).await;
    let path = format!("/api/v1/items/{item}");
    ok(
        app.patch(
            &path,
            &r.reporter,
            Some("\"1\""),
            json!({"name": "帮扶资金（改）", "budget": {"fiscal": "300", "union": "120.0"}}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(budget_entries(&app, &r.reporter, &item).await, 0);
    // A real change is recorded once.
    ok(
        app.patch(
            &path,
            &r.reporter,
            Some("\"2\""),
            json!({"budget": {"fiscal": "310", "union": "120"}}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(budget_entries(&app, &r.reporter, &item).await, 1);
}

#[tokio::test]
async fn a_second_overall_item_of_a_unit_and_year_is_already_exists() {
    let app = spawn_app().await;
    let r = app.roles().await;
    let body = json!({"year": 2026, "kind": "overall", "name": "整体", "budget": {"fiscal": "1", "union": "1"}});
    let first = ok(
        app.post("/api/v1/items", &r.reporter, body.clone()).await,
        201,
    )
    .await;
    assert_problem(
        app.post("/api/v1/items", &r.reporter, body).await,
        409,
        "already_exists",
    )
    .await;
    // Copying an overall item into a year that has one is the same refusal.
    let id = first["id"].as_str().unwrap();
    ok(
        app.post(
            "/api/v1/items",
            &r.reporter,
            json!({"year": 2027, "kind": "overall", "name": "整体", "budget": {"fiscal": "1", "union": "1"}}),
        )
        .await,
        201,
    )
    .await;
    assert_problem(
        app.post(
            &format!("/api/v1/items/{id}/copy"),
            &r.reporter,
            json!({"year": 2027}),
        )
        .await,
        409,
        "already_exists",
    )
    .await;
}

#[tokio::test]
async fn only_finance_designates_key_monitoring_and_the_history_says_so() {
    let app = spawn_app().await;
    let r = app.roles().await;
    let item = special_fund(&app, &r.reporter).await;
    let path = format!("/api/v1/items/{item}/key-monitoring");
    assert_problem(
        app.post(&path, &r.reporter, json!({"key_monitored": true}))
            .await,
        403,
        "forbidden",
    )
    .await;
    let after = ok(
        app.post(&path, &r.finance, json!({"key_monitored": true}))
            .await,
        200,
    )
    .await;
    assert_eq!(after["key_monitored"], true);
    assert_eq!(after["version"], 2);
    let h = ok(
        app.get(&format!("/api/v1/items/{item}/history"), &r.finance)
            .await,
        200,
    )
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
    let r = app.roles().await;
    let project = ok(
        app.post(
            "/api/v1/items",
            &r.reporter,
            json!({"year": 2026, "kind": "project", "name": "职工书屋", "budget": {"fiscal": "10", "union": "0"},
                "start_year": 2026, "end_year": 2028}),
        )
        .await,
        201,
    )
    .await;
    let id = project["id"].as_str().unwrap();
    ok(
        app.post(
            &format!("/api/v1/items/{id}/indicators"),
            &r.reporter,
            json!({"level1": "output", "level2": "quantity", "name": "书屋", "measure_unit": "个", "direction": "higher_better", "target": "3"}),
        )
        .await,
        201,
    )
    .await;
    let copy = |year: i32| {
        let app = &app;
        let token = r.reporter.clone();
        async move {
            app.post(
                &format!("/api/v1/items/{id}/copy"),
                &token,
                json!({"year": year}),
            )
            .await
        }
    };
    let next = ok(copy(2027).await, 201).await;
    assert_eq!(next["previous_item_id"], id);
    assert_eq!(next["year"], 2027);
    let later = ok(copy(2028).await, 201).await;
    assert_eq!(later["previous_item_id"], Value::Null);
    assert_problem(copy(2029).await, 422, "validation_failed").await;
    assert_problem(copy(2026).await, 422, "validation_failed").await;
    let inds = ok(
        app.get(
            &format!("/api/v1/items/{}/indicators", next["id"].as_str().unwrap()),
            &r.reporter,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(inds.as_array().unwrap().len(), 1);
    assert_eq!(inds[0]["target"], "3");
}

/// Creates the unit's project item of `year`, linked to `previous`.
async fn project_year(
    app: &TestApp,
    token: &str,
    year: i32,
    life: (i32, i32),
    previous: Option<&str>,
) -> String {
    let item = ok(
        app.post(
            "/api/v1/items",
            token,
            json!({"year": year, "kind": "project", "name": format!("工程{}", life.0),
                "budget": {"fiscal": "1", "union": "0"}, "start_year": life.0, "end_year": life.1,
                "previous_item_id": previous}),
        )
        .await,
        201,
    )
    .await;
    item["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_lifecycle_of_a_long_chain_shows_every_year() {
    let app = spawn_app().await;
    let r = app.roles().await;
    // Two projects of 51 and 12 years, the second continuing the first: 63 linked years.
    let mut ids = vec![];
    let mut previous: Option<String> = None;
    for year in 2000..=2062 {
        let life = if year <= 2050 {
            (2000, 2050)
        } else {
            (2051, 2100)
        };
        let id = project_year(&app, &r.reporter, year, life, previous.as_deref()).await;
        ids.push(id.clone());
        previous = Some(id);
    }
    for from in [&ids[0], &ids[31], &ids[62]] {
        let life = ok(
            app.get(&format!("/api/v1/items/{from}/lifecycle"), &r.reporter)
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
        assert_eq!(years, (2000..=2062).collect::<Vec<i64>>(), "from {from}");
    }
}

#[tokio::test]
async fn the_audit_of_a_copy_names_its_source() {
    let app = spawn_app().await;
    let r = app.roles().await;
    let item = special_fund(&app, &r.reporter).await;
    let copy = ok(
        app.post(
            &format!("/api/v1/items/{item}/copy"),
            &r.reporter,
            json!({"year": 2027}),
        )
        .await,
        201,
    )
    .await;
    let events = app.audit(&r.admin, "action=item.copy").await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["before"], json!({"source_item_id": item}));
    assert_eq!(events[0]["after"]["id"], copy["id"]);
}
