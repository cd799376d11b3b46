//! Corrective actions: a unit corrects a red light, finance orders a rectification.

use super::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn a_unit_corrects_a_red_light_and_finance_verifies_it() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let sid = form(&c, "5").await;
    let body = json!({"submission_id": sid, "indicator_id": c.indicators[0], "lens": "timeliness", "cause": "培训场地改造延误",
        "objective_cause": false, "measure": "7月起每周加开两期培训", "owner": "张华", "due_date": "2026-08-01"});
    let a = ok(
        app.post("/api/v1/corrective-actions", &r.reporter, body)
            .await,
        201,
    )
    .await;
    let id = a["id"].as_str().unwrap();
    assert_eq!(a["status"], "open");
    assert_eq!(a["source"], "unit");
    assert_eq!(a["overdue"], true, "due 2026-08-01, not done");
    let overdue = ok(
        r.finance
            .get("/api/v1/corrective-actions?overdue=true")
            .await,
        200,
    )
    .await;
    assert_eq!(overdue["total"], 1);

    // Only the unit works on it, only finance verifies.
    assert_problem(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/progress"),
            &r.finance,
            json!({"note": "x"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/verify"),
            &r.finance,
            json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    let p = ok(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/progress"),
            &r.reporter,
            json!({"note": "已加开两期"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(p["status"], "in_progress");
    let done = ok(
        app.req(
            reqwest::Method::POST,
            &format!("/api/v1/corrective-actions/{id}/complete"),
            Some(&r.reporter),
        )
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    assert_eq!(done["status"], "done");
    assert_eq!(done["overdue"], false);
    assert_problem(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/verify"),
            &r.reporter,
            json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let reopened = ok(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/reopen"),
            &r.finance,
            json!({"note": "效果不明显"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(reopened["status"], "in_progress");
    ok(
        app.post(
            &format!("/api/v1/corrective-actions/{id}/complete"),
            &r.reporter,
            json!({"note": "全部完成"}),
        )
        .await,
        200,
    )
    .await;
    let verified = r
        .finance
        .act(&format!("/api/v1/corrective-actions/{id}/verify"))
        .await;
    assert_eq!(verified["status"], "verified");
    let read = ok(
        r.viewer
            .get(&format!("/api/v1/corrective-actions/{id}"))
            .await,
        200,
    )
    .await;
    let events: Vec<&str> = read["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        vec!["progress", "complete", "reopen", "complete", "verify"]
    );
    assert_eq!(read["notes"][0]["note"], "已加开两期");
    assert_eq!(read["notes"][0]["author_username"], "reporter1");
    assert_eq!(read["notes"][2]["author_username"], "finance1");
    assert_eq!(
        app.audit(&r.admin, &format!("resource_id={id}"))
            .await
            .len(),
        6
    );
}

#[tokio::test]
async fn finance_orders_a_rectification_that_the_unit_then_works_on() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let sid = form(&c, "50").await;
    let a = ok(app.post("/api/v1/corrective-actions", &r.finance, json!({"submission_id": sid, "lens": "compliance", "cause": "超标准配置资产", "measure": "清理资产", "owner": "办公室", "due_date": "2026-12-31"})).await, 201).await;
    assert_eq!(a["source"], "finance");
    let mine = ok(
        r.reporter
            .get("/api/v1/corrective-actions?source=finance")
            .await,
        200,
    )
    .await;
    assert_eq!(mine["total"], 1);
    ok(
        app.post(
            &format!(
                "/api/v1/corrective-actions/{}/progress",
                a["id"].as_str().unwrap()
            ),
            &r.reporter,
            json!({"note": "已开始清理"}),
        )
        .await,
        200,
    )
    .await;
    // Another unit neither sees nor touches it; a viewer reads but cannot open one.
    let other = app.unit("OTHER").await.id;
    let stranger = app.sign_up("stranger", "reporter", Some(other)).await;
    assert_problem(
        app.get(
            &format!("/api/v1/corrective-actions/{}", a["id"].as_str().unwrap()),
            &stranger,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    assert_problem(app.post("/api/v1/corrective-actions", &stranger, json!({"submission_id": sid, "lens": "compliance", "cause": "x", "measure": "x", "owner": "x", "due_date": "2026-12-31"})).await, 404, "not_found").await;
    assert_eq!(
        ok(app.get("/api/v1/corrective-actions", &stranger).await, 200).await["total"],
        0
    );
    assert_problem(app.post("/api/v1/corrective-actions", &r.viewer, json!({"submission_id": sid, "lens": "compliance", "cause": "x", "measure": "x", "owner": "x", "due_date": "2026-12-31"})).await, 403, "forbidden").await;
    // Both of the stranger's attempts are in the audit trail as denied, naming the objects.
    let denied = app.audit(&r.admin, "action=access.other_unit").await;
    let named: Vec<(&str, &str)> = denied
        .iter()
        .map(|e| {
            (
                e["resource_type"].as_str().unwrap(),
                e["resource_id"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        named,
        vec![
            ("submission", sid.as_str()),
            ("corrective_action", a["id"].as_str().unwrap())
        ]
    );
    assert!(denied
        .iter()
        .all(|e| e["actor_username"] == "stranger" && e["outcome"] == "denied"));
}
