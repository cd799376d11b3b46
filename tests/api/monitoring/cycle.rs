//! A form's whole life in one period: filed, returned, fixed, resubmitted and accepted.

use crate::helpers::*;
use serde_json::{json, Value};

fn complete_form(c: &Cycle) -> Value {
    let mut body = c.figures(["40", "120"], ["450", "92"]);
    body["goal_progress"] = json!("上半年完成培训450人次");
    body["outlook"] = json!("certain");
    body
}

#[tokio::test]
async fn the_whole_h1_cycle_file_return_fix_resubmit_accept() {
    let (app, c) = spawn_cycle().await;
    let r = &c.roles;
    // The reporter starts form 1 with the executed amounts only.
    let draft = c.draft_form(json!({"period_id": c.period, "item_id": c.item, "executed": {"fiscal": "40", "union": "120"}})).await;
    let (id, created) = (draft.id, draft.body);
    assert_eq!(created["form"], 1);
    assert_eq!(created["status"], "draft");
    assert_eq!(created["time_progress"], "50.00");
    assert_eq!(created["execution_rate"]["fiscal"], "40.00");
    assert_eq!(created["execution_rate"]["total"], "40.00");
    // 40 / 50 = 80 % of time progress: green.
    assert_eq!(created["budget_light"], "green");
    assert_eq!(created["budget"]["union"], "300.000000");

    // Submitting an incomplete form lists every gap.
    let (path, submit) = (
        format!("/api/v1/submissions/{id}"),
        format!("/api/v1/submissions/{id}/submit"),
    );
    let p = r.reporter.step(&submit, VALIDATION_FAILED).await;
    let fields = column(&p["errors"], "field");
    assert!(fields.contains(&"signatures.unit_head"), "{fields:?}");
    assert_eq!(
        fields
            .iter()
            .filter(|f| f.starts_with("indicator_values"))
            .count(),
        2
    );

    // Fill it in (with the ETag) and submit.
    let filled = r
        .reporter
        .put_is(&path, "\"1\"", &complete_form(&c), 200)
        .await;
    // 450 / (1000 × 50 %) = 90 %: green; 92 / 90 ≥ 100 %: green.
    assert_eq!(filled["indicators"][0]["completion_rate"], "45.00");
    assert_eq!(filled["indicators"][0]["light"], "green");
    assert_eq!(filled["indicators"][1]["completion_rate"], "100.00");
    assert_eq!(filled["goal_light"], "green");
    assert_eq!(filled["overall_completion_rate"], "72.50");
    assert_eq!(filled["warning"], "green");
    let stale = complete_form(&c);
    r.reporter
        .put_is(&path, "\"1\"", &stale, PRECONDITION_FAILED)
        .await;
    let submitted = r.reporter.act(&submit).await;
    assert_eq!(submitted["status"], "submitted");
    assert!(submitted["submitted_at"].is_string());

    // Only finance reviews.
    let accept = format!("{path}/accept");
    for s in [&r.reporter, &r.viewer, &r.admin] {
        s.step(&accept, FORBIDDEN).await;
    }
    let reason = json!({"reason": "请补充偏差原因分析"});
    let returned = r
        .finance
        .post_is(&format!("{path}/return"), reason, 200)
        .await;
    assert_eq!(returned["status"], "returned");

    // The reporter fixes and resubmits; finance accepts.
    let mut fixed = complete_form(&c);
    fixed["deviation_analysis"] = json!("培训集中在下半年");
    let v = returned["version"].as_i64().unwrap();
    r.reporter
        .put_is(&path, format!("\"{v}\""), &fixed, 200)
        .await;
    r.reporter.act(&submit).await;
    let accepted = r.finance.act(&accept).await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["deviation_analysis"], "培训集中在下半年");

    // Accepted forms are immutable.
    let v = accepted["version"].as_i64().unwrap();
    let tag = format!("\"{v}\"");
    r.reporter
        .put_is(&path, tag, &fixed, INVALID_TRANSITION)
        .await;

    // Every step is kept, with who and when.
    let versions = r.viewer.read(&format!("{path}/versions")).await;
    assert_eq!(
        column(&versions, "event"),
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
    let (_app, c) = spawn_cycle().await;
    let body = json!({"period_id": c.period, "item_id": c.item});
    c.draft_form(body.clone()).await;
    let forms = "/api/v1/submissions";
    c.roles.reporter.post_is(forms, body, ALREADY_EXISTS).await;
}
