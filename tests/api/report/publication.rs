//! Who reads which part of the report, and a published report frozen for good.

use super::*;
use crate::helpers::*;
use serde_json::{json, Value};

#[tokio::test]
async fn a_reporter_gets_its_own_units_part_and_only_finance_publishes() {
    let app = spawn_app().await;
    let (c, rep2, unit2) = scenario(&app).await;
    let r = &c.roles;
    let mine = ok(
        app.get(&format!("/api/v1/periods/{}/report", c.period), &rep2)
            .await,
        200,
    )
    .await;
    assert!(mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["unit_id"] == unit2.as_str()));
    assert_eq!(mine["units"].as_array().unwrap().len(), 1);
    assert_eq!(mine["budget"]["total"], "200.500000");
    assert_eq!(mine["compliance_problems"].as_array().unwrap().len(), 0);
    assert_eq!(mine["forms"]["expected"], 1);
    for t in [&r.admin, &r.reporter, &r.viewer] {
        assert_problem(
            app.post(&format!("/api/v1/periods/{}/close", c.period), t, json!({}))
                .await,
            403,
            "forbidden",
        )
        .await;
    }
    ok(
        app.post(
            &format!("/api/v1/periods/{}/close", c.period),
            &r.finance,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    for t in [&r.admin, &r.reporter, &r.viewer] {
        assert_problem(
            app.post(
                &format!("/api/v1/periods/{}/publish", c.period),
                t,
                json!({}),
            )
            .await,
            403,
            "forbidden",
        )
        .await;
    }
}

#[tokio::test]
async fn a_published_report_reads_back_byte_for_byte_the_same_whatever_changes_later() {
    let app = spawn_app().await;
    let (c, rep2, unit2) = scenario(&app).await;
    let r = &c.roles;
    let path = format!("/api/v1/periods/{}/report", c.period);
    ok(
        app.post(
            &format!("/api/v1/periods/{}/close", c.period),
            &r.finance,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    ok(
        app.post(
            &format!("/api/v1/periods/{}/publish", c.period),
            &r.finance,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(app.audit(&r.admin, "action=period.publish").await.len(), 1);
    let read = |fmt: &'static str| {
        let url = format!("{path}?format={fmt}");
        let t = r.viewer.clone();
        let app = &app;
        async move { app.get(&url, &t).await.bytes().await.unwrap() }
    };
    let (j1, c1, x1) = (read("json").await, read("csv").await, read("xlsx").await);
    let v: Value = serde_json::from_slice(&j1).unwrap();
    assert_eq!(v["published"], true);
    // Things change after publication ...
    ok(
        app.post(
            "/api/v1/measures",
            &r.finance,
            json!({"item_id": c.item, "kind": "stop_payment", "reason": "严重问题"}),
        )
        .await,
        201,
    )
    .await;
    ok(app.post("/api/v1/adjustment-requests", &rep2, json!({"item_id": v["items"].as_array().unwrap().iter().find(|i| i["unit_id"] == unit2.as_str()).unwrap()["item_id"], "cause": "other", "explanation": "x", "countermeasures": "y", "new_budget": {"fiscal": "1", "union": "1"}})).await, 201).await;
    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    // ... the report does not.
    assert_eq!(read("json").await, j1);
    assert_eq!(read("csv").await, c1);
    assert_eq!(read("xlsx").await, x1);
    // The period is read-only now.
    assert_problem(
        app.post(
            &format!("/api/v1/periods/{}/open", c.period),
            &r.finance,
            json!({}),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/api/v1/periods/{}/extensions", c.period),
            &r.finance,
            json!({"unit_id": unit2, "until": "2026-07-20"}),
        )
        .await,
        409,
        "conflict",
    )
    .await;
    // The reporter still sees only its own part of the frozen report.
    let mine = ok(app.get(&path, &rep2).await, 200).await;
    assert_eq!(mine["published"], true);
    assert_eq!(mine["units"].as_array().unwrap().len(), 1);
}
