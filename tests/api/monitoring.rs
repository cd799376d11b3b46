//! The H1 cycle: periods, items, indicators, forms and their review.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::*;

pub struct Cycle {
    pub roles: Roles,
    pub period: String,
    pub item: String,
    pub indicators: Vec<String>,
}

async fn json_of(r: reqwest::Response, status: u16) -> Value {
    let s = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(s, status, "{body}");
    body
}

/// Finance opens a 2026 H1 period; the reporter's unit has an overall item with two indicators.
pub async fn open_cycle(app: &TestApp) -> Cycle {
    let roles = app.roles().await;
    let p = json_of(
        app.post("/api/v1/periods", &roles.finance, json!({"year": 2026, "kind": "h1", "as_of": "2026-06-30", "submission_deadline": "2026-07-10", "report_deadline": "2026-07-31"})).await,
        201,
    )
    .await;
    let period = p["id"].as_str().unwrap().to_string();
    json_of(
        app.post(
            &format!("/api/v1/periods/{period}/open"),
            &roles.finance,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    let item = json_of(
        app.post("/api/v1/items", &roles.reporter, json!({"year": 2026, "kind": "overall", "name": "整体支出", "budget": {"fiscal": "100", "union": "300"}, "annual_goal": "完成年度工作"})).await,
        201,
    )
    .await;
    let item = item["id"].as_str().unwrap().to_string();
    let mut indicators = vec![];
    for body in [
        json!({"level1": "output", "level2": "quantity", "name": "培训人次", "measure_unit": "人次", "direction": "higher_better", "target": "1000", "prorate": true}),
        json!({"level1": "satisfaction", "level2": "satisfaction", "name": "职工满意度", "measure_unit": "%", "direction": "higher_better", "target": "90"}),
    ] {
        let i = json_of(
            app.post(
                &format!("/api/v1/items/{item}/indicators"),
                &roles.reporter,
                body,
            )
            .await,
            201,
        )
        .await;
        indicators.push(i["id"].as_str().unwrap().to_string());
    }
    Cycle {
        roles,
        period,
        item,
        indicators,
    }
}

fn complete_form(c: &Cycle) -> Value {
    json!({
        "executed": {"fiscal": "40", "union": "120"},
        "goal_progress": "上半年完成培训450人次",
        "indicator_values": [
            {"indicator_id": c.indicators[0], "actual": "450"},
            {"indicator_id": c.indicators[1], "actual": "92"}
        ],
        "outlook": "certain",
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}
    })
}

#[tokio::test]
async fn the_whole_h1_cycle_file_return_fix_resubmit_accept() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    // The reporter starts form 1 with the executed amounts only.
    let created = json_of(
        app.post("/api/v1/submissions", &r.reporter, json!({"period_id": c.period, "item_id": c.item, "executed": {"fiscal": "40", "union": "120"}})).await,
        201,
    )
    .await;
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["form"], 1);
    assert_eq!(created["status"], "draft");
    assert_eq!(created["time_progress"], "50.00");
    assert_eq!(created["execution_rate"]["fiscal"], "40.00");
    assert_eq!(created["execution_rate"]["total"], "40.00");
    // 40 / 50 = 80 % of time progress: green.
    assert_eq!(created["budget_light"], "green");
    assert_eq!(created["budget"]["union"], "300.000000");

    // Submitting an incomplete form lists every gap.
    let p = assert_problem(
        app.post(
            &format!("/api/v1/submissions/{id}/submit"),
            &r.reporter,
            json!({}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let fields: Vec<String> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert!(
        fields.contains(&"signatures.unit_head".to_string()),
        "{fields:?}"
    );
    assert_eq!(
        fields
            .iter()
            .filter(|f| f.starts_with("indicator_values"))
            .count(),
        2
    );

    // Fill it in (with the ETag) and submit.
    let r1 = app
        .req(
            reqwest::Method::PUT,
            &format!("/api/v1/submissions/{id}"),
            Some(&r.reporter),
        )
        .header("If-Match", "\"1\"")
        .json(&complete_form(&c))
        .send()
        .await
        .unwrap();
    let filled = json_of(r1, 200).await;
    // 450 / (1000 × 50 %) = 90 %: green; 92 / 90 ≥ 100 %: green.
    assert_eq!(filled["indicators"][0]["completion_rate"], "45.00");
    assert_eq!(filled["indicators"][0]["light"], "green");
    assert_eq!(filled["indicators"][1]["completion_rate"], "100.00");
    assert_eq!(filled["goal_light"], "green");
    assert_eq!(filled["overall_completion_rate"], "72.50");
    assert_eq!(filled["warning"], "green");
    let stale = app
        .req(
            reqwest::Method::PUT,
            &format!("/api/v1/submissions/{id}"),
            Some(&r.reporter),
        )
        .header("If-Match", "\"1\"")
        .json(&complete_form(&c))
        .send()
        .await
        .unwrap();
    assert_problem(stale, 412, "precondition_failed").await;
    let submitted = json_of(
        app.post(
            &format!("/api/v1/submissions/{id}/submit"),
            &r.reporter,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(submitted["status"], "submitted");
    assert!(submitted["submitted_at"].is_string());

    // Only finance reviews.
    for t in [&r.reporter, &r.viewer, &r.admin] {
        assert_problem(
            app.post(&format!("/api/v1/submissions/{id}/accept"), t, json!({}))
                .await,
            403,
            "forbidden",
        )
        .await;
    }
    let returned = json_of(
        app.post(
            &format!("/api/v1/submissions/{id}/return"),
            &r.finance,
            json!({"reason": "请补充偏差原因分析"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(returned["status"], "returned");

    // The reporter fixes and resubmits; finance accepts.
    let mut fixed = complete_form(&c);
    fixed["deviation_analysis"] = json!("培训集中在下半年");
    let v = returned["version"].as_i64().unwrap();
    let r2 = app
        .req(
            reqwest::Method::PUT,
            &format!("/api/v1/submissions/{id}"),
            Some(&r.reporter),
        )
        .header("If-Match", format!("\"{v}\""))
        .json(&fixed)
        .send()
        .await
        .unwrap();
    json_of(r2, 200).await;
    json_of(
        app.post(
            &format!("/api/v1/submissions/{id}/submit"),
            &r.reporter,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    let accepted = json_of(
        app.post(
            &format!("/api/v1/submissions/{id}/accept"),
            &r.finance,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["deviation_analysis"], "培训集中在下半年");

    // Accepted forms are immutable.
    let v = accepted["version"].as_i64().unwrap();
    let r3 = app
        .req(
            reqwest::Method::PUT,
            &format!("/api/v1/submissions/{id}"),
            Some(&r.reporter),
        )
        .header("If-Match", format!("\"{v}\""))
        .json(&fixed)
        .send()
        .await
        .unwrap();
    assert_problem(r3, 409, "invalid_transition").await;

    // Every step is kept, with who and when.
    let versions = json_of(
        app.get(&format!("/api/v1/submissions/{id}/versions"), &r.viewer)
            .await,
        200,
    )
    .await;
    let events: Vec<&str> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        vec!["submitted", "returned", "submitted", "accepted"]
    );
    assert_eq!(versions[1]["reason"], "请补充偏差原因分析");
    assert_eq!(versions[1]["actor_username"], "finance1");
    assert_eq!(versions[0]["snapshot"]["deviation_analysis"], "");
    assert_eq!(
        versions[2]["snapshot"]["deviation_analysis"],
        "培训集中在下半年"
    );

    for action in [
        "submission.create",
        "submission.update",
        "submission.submit",
        "submission.return",
        "submission.accept",
    ] {
        assert!(
            !app.audit(&r.admin, &format!("action={action}&resource_id={id}"))
                .await
                .is_empty(),
            "{action}"
        );
    }
}

#[tokio::test]
async fn a_reporter_of_another_unit_gets_404_everywhere_and_a_viewer_cannot_write() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let other_unit = app.create_unit(&r.admin, "OTHER").await;
    let (_, stranger) = app
        .create_user(&r.admin, "stranger", "reporter", Some(other_unit))
        .await;
    let s = json_of(
        app.post(
            "/api/v1/submissions",
            &r.reporter,
            json!({"period_id": c.period, "item_id": c.item}),
        )
        .await,
        201,
    )
    .await;
    let sid = s["id"].as_str().unwrap();
    let item = &c.item;
    let ind = &c.indicators[0];
    for path in [
        format!("/api/v1/items/{item}"),
        format!("/api/v1/items/{item}/indicators"),
        format!("/api/v1/items/{item}/indicators/{ind}"),
        format!("/api/v1/submissions/{sid}"),
        format!("/api/v1/submissions/{sid}/versions"),
    ] {
        assert_problem(app.get(&path, &stranger).await, 404, "not_found").await;
        assert_eq!(app.get(&path, &r.viewer).await.status(), 200, "{path}");
    }
    assert_problem(
        app.patch(
            &format!("/api/v1/items/{item}"),
            &stranger,
            Some("\"1\""),
            json!({"name": "x"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(app.post(&format!("/api/v1/items/{item}/indicators"), &stranger, json!({"level1": "output", "level2": "quantity", "name": "x", "direction": "higher_better", "target": "1"})).await, 404, "not_found").await;
    assert_problem(
        app.post(
            "/api/v1/submissions",
            &stranger,
            json!({"period_id": c.period, "item_id": item}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/api/v1/submissions/{sid}/submit"),
            &stranger,
            json!({}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let put = app
        .req(
            reqwest::Method::PUT,
            &format!("/api/v1/submissions/{sid}"),
            Some(&stranger),
        )
        .header("If-Match", "\"1\"")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(put, 404, "not_found").await;
    // Lists never show it.
    for path in [
        "/api/v1/items",
        "/api/v1/submissions",
        &format!("/api/v1/items?unit_id={}", r.unit),
    ] {
        let v = json_of(app.get(path, &stranger).await, 200).await;
        assert_eq!(v["total"], 0, "{path}");
    }
    let completeness = json_of(
        app.get(
            &format!("/api/v1/periods/{}/completeness", c.period),
            &stranger,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(completeness.as_array().unwrap().len(), 0);
    // A viewer reads but writes nothing.
    assert_problem(
        app.patch(
            &format!("/api/v1/items/{item}"),
            &r.viewer,
            Some("\"1\""),
            json!({"name": "x"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.post("/api/v1/items", &r.viewer, json!({"unit_id": r.unit, "year": 2026, "kind": "project", "name": "x", "budget": {"fiscal": "1", "union": "1"}})).await, 403, "forbidden").await;
    assert_problem(
        app.post(
            "/api/v1/submissions",
            &r.viewer,
            json!({"period_id": c.period, "item_id": item}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(app.post("/api/v1/periods", &r.viewer, json!({"year": 2027, "kind": "h1", "as_of": "2027-06-30", "submission_deadline": "2027-07-10", "report_deadline": "2027-07-31"})).await, 403, "forbidden").await;
    assert_problem(
        app.post(
            &format!("/api/v1/periods/{}/close", c.period),
            &r.reporter,
            json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/api/v1/items/{item}/key-monitoring"),
            &r.reporter,
            json!({"key_monitored": true}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
}

#[tokio::test]
async fn finance_only_fields_are_refused_from_a_reporter() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = app.post("/api/v1/items", &c.roles.reporter, json!({"year": 2026, "kind": "project", "name": "维修", "budget": {"fiscal": "1", "union": "1"}, "start_year": 2026, "end_year": 2026, "key_monitored": true})).await;
    let p = assert_problem(r, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "key_monitored");
    let r = app
        .patch(
            &format!("/api/v1/items/{}", c.item),
            &c.roles.reporter,
            Some("\"1\""),
            json!({"payment_status": "normal"}),
        )
        .await;
    assert_problem(r, 422, "validation_failed").await;
    // Finance designates key monitoring.
    let v = json_of(
        app.post(
            &format!("/api/v1/items/{}/key-monitoring", c.item),
            &c.roles.finance,
            json!({"key_monitored": true}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(v["key_monitored"], true);
}

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
    let list = json_of(app.get("/api/v1/submissions", &r.finance).await, 200).await;
    assert_eq!(list["total"], 0);
    let items = json_of(app.get("/api/v1/items", &r.finance).await, 200).await;
    assert_eq!(items["total"], 2);
    let inds = json_of(
        app.get(&format!("/api/v1/items/{item}/indicators"), &r.finance)
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
        "period_not_open",
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

#[tokio::test]
async fn a_second_form_for_the_same_item_and_period_conflicts() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    json_of(
        app.post(
            "/api/v1/submissions",
            &c.roles.reporter,
            json!({"period_id": c.period, "item_id": c.item}),
        )
        .await,
        201,
    )
    .await;
    assert_problem(
        app.post(
            "/api/v1/submissions",
            &c.roles.reporter,
            json!({"period_id": c.period, "item_id": c.item}),
        )
        .await,
        409,
        "already_exists",
    )
    .await;
}

#[tokio::test]
async fn every_write_of_the_monitoring_core_is_refused_to_the_roles_that_may_not_do_it() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let s = json_of(
        app.post(
            "/api/v1/submissions",
            &r.reporter,
            json!({"period_id": c.period, "item_id": c.item}),
        )
        .await,
        201,
    )
    .await;
    let (p, i, ind, sid) = (
        &c.period,
        &c.item,
        &c.indicators[0],
        s["id"].as_str().unwrap(),
    );
    let period_body = json!({"year": 2027, "kind": "h1", "as_of": "2027-06-30", "submission_deadline": "2027-07-10", "report_deadline": "2027-07-31"});
    let item_body = json!({"unit_id": r.unit, "year": 2026, "kind": "special_fund", "name": "x", "budget": {"fiscal": "1", "union": "1"}, "funding_source": "own"});
    let ind_body = json!({"level1": "output", "level2": "quantity", "name": "x", "direction": "higher_better", "target": "1"});
    // (method, path, body, roles refused with 403)
    let cases: Vec<(&str, String, Value, Vec<&String>)> = vec![
        (
            "POST",
            "/api/v1/periods".into(),
            period_body.clone(),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            "PATCH",
            format!("/api/v1/periods/{p}"),
            json!({"name": "x"}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            "POST",
            format!("/api/v1/periods/{p}/close"),
            json!({}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            "POST",
            format!("/api/v1/periods/{p}/open"),
            json!({}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            "POST",
            format!("/api/v1/periods/{p}/publish"),
            json!({}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            "POST",
            format!("/api/v1/periods/{p}/extensions"),
            json!({"unit_id": r.unit, "until": "2026-07-20"}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            "POST",
            "/api/v1/items".into(),
            item_body,
            vec![&r.admin, &r.viewer],
        ),
        (
            "PATCH",
            format!("/api/v1/items/{i}"),
            json!({"name": "x"}),
            vec![&r.admin, &r.viewer],
        ),
        (
            "POST",
            format!("/api/v1/items/{i}/key-monitoring"),
            json!({"key_monitored": true}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            "POST",
            format!("/api/v1/items/{i}/indicators"),
            ind_body.clone(),
            vec![&r.admin, &r.viewer],
        ),
        (
            "PATCH",
            format!("/api/v1/items/{i}/indicators/{ind}"),
            ind_body,
            vec![&r.admin, &r.viewer],
        ),
        (
            "DELETE",
            format!("/api/v1/items/{i}/indicators/{ind}"),
            Value::Null,
            vec![&r.admin, &r.viewer],
        ),
        (
            "POST",
            "/api/v1/submissions".into(),
            json!({"period_id": p, "item_id": i}),
            vec![&r.admin, &r.finance, &r.viewer],
        ),
        (
            "PUT",
            format!("/api/v1/submissions/{sid}"),
            json!({}),
            vec![&r.admin, &r.finance, &r.viewer],
        ),
        (
            "POST",
            format!("/api/v1/submissions/{sid}/submit"),
            json!({}),
            vec![&r.admin, &r.finance, &r.viewer],
        ),
        (
            "POST",
            format!("/api/v1/submissions/{sid}/accept"),
            json!({}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            "POST",
            format!("/api/v1/submissions/{sid}/return"),
            json!({"reason": "x"}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
    ];
    for (method, path, body, refused) in &cases {
        for token in refused {
            let mut req = app
                .req(
                    reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                    path,
                    Some(token),
                )
                .header("If-Match", "\"1\"");
            if !body.is_null() {
                req = req.json(body);
            }
            let resp = req.send().await.unwrap();
            assert_eq!(resp.status(), 403, "{method} {path}");
        }
    }
    // Nothing changed: the period is still open, the form still a draft, no second period.
    let period = json_of(
        app.get(&format!("/api/v1/periods/{p}"), &r.viewer).await,
        200,
    )
    .await;
    assert_eq!(period["status"], "open");
    let form = json_of(
        app.get(&format!("/api/v1/submissions/{sid}"), &r.viewer)
            .await,
        200,
    )
    .await;
    assert_eq!(form["status"], "draft");
    assert_eq!(form["version"], 1);
    let periods = json_of(app.get("/api/v1/periods", &r.viewer).await, 200).await;
    assert_eq!(periods["total"], 1);
    let inds = json_of(
        app.get(&format!("/api/v1/items/{i}/indicators"), &r.viewer)
            .await,
        200,
    )
    .await;
    assert_eq!(inds.as_array().unwrap().len(), 2);
}
