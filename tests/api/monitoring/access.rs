//! Who may read and write the monitoring core: other units get 404, other roles 403.

use crate::helpers::ok as json_of;
use crate::helpers::*;
use serde_json::{json, Value};

#[tokio::test]
async fn a_reporter_of_another_unit_gets_404_everywhere_and_a_viewer_cannot_write() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let other_unit = app.unit("OTHER").await.id;
    let stranger = app.sign_up("stranger", "reporter", Some(other_unit)).await;
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
    let cases: Vec<(&str, String, Value, Vec<&Session>)> = vec![
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
    let period = json_of(r.viewer.get(&format!("/api/v1/periods/{p}")).await, 200).await;
    assert_eq!(period["status"], "open");
    let form = json_of(
        r.viewer.get(&format!("/api/v1/submissions/{sid}")).await,
        200,
    )
    .await;
    assert_eq!(form["status"], "draft");
    assert_eq!(form["version"], 1);
    let periods = json_of(r.viewer.get("/api/v1/periods").await, 200).await;
    assert_eq!(periods["total"], 1);
    let inds = json_of(
        r.viewer.get(&format!("/api/v1/items/{i}/indicators")).await,
        200,
    )
    .await;
    assert_eq!(inds.as_array().unwrap().len(), 2);
}
