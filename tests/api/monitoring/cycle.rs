//! A form's whole life in one period: filed, returned, fixed, resubmitted and accepted.

use crate::helpers::ok as json_of;
use crate::helpers::*;
use serde_json::{json, Value};

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
    let r1 = r
        .reporter
        .put(
            &format!("/api/v1/submissions/{id}"),
            "\"1\"",
            &complete_form(&c),
        )
        .await;
    let filled = json_of(r1, 200).await;
    // 450 / (1000 × 50 %) = 90 %: green; 92 / 90 ≥ 100 %: green.
    assert_eq!(filled["indicators"][0]["completion_rate"], "45.00");
    assert_eq!(filled["indicators"][0]["light"], "green");
    assert_eq!(filled["indicators"][1]["completion_rate"], "100.00");
    assert_eq!(filled["goal_light"], "green");
    assert_eq!(filled["overall_completion_rate"], "72.50");
    assert_eq!(filled["warning"], "green");
    let stale = r
        .reporter
        .put(
            &format!("/api/v1/submissions/{id}"),
            "\"1\"",
            &complete_form(&c),
        )
        .await;
    assert_problem(stale, 412, "precondition_failed").await;
    let submitted = r
        .reporter
        .act(&format!("/api/v1/submissions/{id}/submit"))
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
    let r2 = r
        .reporter
        .put(
            &format!("/api/v1/submissions/{id}"),
            format!("\"{v}\""),
            &fixed,
        )
        .await;
    json_of(r2, 200).await;
    r.reporter
        .act(&format!("/api/v1/submissions/{id}/submit"))
        .await;
    let accepted = r
        .finance
        .act(&format!("/api/v1/submissions/{id}/accept"))
        .await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["deviation_analysis"], "培训集中在下半年");

    // Accepted forms are immutable.
    let v = accepted["version"].as_i64().unwrap();
    let r3 = r
        .reporter
        .put(
            &format!("/api/v1/submissions/{id}"),
            format!("\"{v}\""),
            &fixed,
        )
        .await;
    assert_problem(r3, 409, "conflict").await;

    // Every step is kept, with who and when.
    let versions = json_of(
        r.viewer
            .get(&format!("/api/v1/submissions/{id}/versions"))
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
        "conflict",
    )
    .await;
}
