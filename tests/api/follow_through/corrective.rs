//! Corrective actions: a unit corrects a red light, finance orders a rectification.

use super::*;
use crate::helpers::*;
use serde_json::json;

const ACTIONS: &str = "/api/v1/corrective-actions";

#[tokio::test]
async fn a_unit_corrects_a_red_light_and_finance_verifies_it() {
    let (app, c) = spawn_cycle().await;
    let r = &c.roles;
    let sid = form(&c, "5").await;
    let body = late_training(&c, sid, "7月起每周加开两期培训");
    let a = r.reporter.created(ACTIONS, body).await;
    let id = a.id;
    assert_eq!(a.body["status"], "open");
    assert_eq!(a.body["source"], "unit");
    assert_eq!(a.body["overdue"], true, "due 2026-08-01, not done");
    assert_eq!(r.finance.total(&format!("{ACTIONS}?overdue=true")).await, 1);

    // Only the unit works on it, only finance verifies.
    let (rep, fin) = (&r.reporter, &r.finance);
    let at = |step: &str| format!("{ACTIONS}/{id}/{step}");
    let note = |n: &str| json!({ "note": n });
    fin.post_is(&at("progress"), note("x"), FORBIDDEN).await;
    fin.step(&at("verify"), INVALID_TRANSITION).await;
    let p = rep.post_is(&at("progress"), note("已加开两期"), 200).await;
    assert_eq!(p["status"], "in_progress");
    // Completing needs no body at all.
    let done = ok(rep.post_bare(&at("complete")).await, 200).await;
    assert_eq!(done["status"], "done");
    assert_eq!(done["overdue"], false);
    rep.step(&at("verify"), FORBIDDEN).await;
    let reopened = fin.post_is(&at("reopen"), note("效果不明显"), 200).await;
    assert_eq!(reopened["status"], "in_progress");
    rep.post_is(&at("complete"), note("全部完成"), 200).await;
    let verified = r.finance.act(&at("verify")).await;
    assert_eq!(verified["status"], "verified");
    let read = r.viewer.read(&format!("{ACTIONS}/{id}")).await;
    assert_eq!(
        column(&read["notes"], "event"),
        vec!["progress", "complete", "reopen", "complete", "verify"]
    );
    assert_eq!(read["notes"][0]["note"], "已加开两期");
    assert_eq!(read["notes"][0]["author_username"], "reporter1");
    assert_eq!(read["notes"][2]["author_username"], "finance1");
    let audited = app.audit(&r.admin, &format!("resource_id={id}")).await;
    assert_eq!(audited.len(), 6);
}

#[tokio::test]
async fn finance_orders_a_rectification_that_the_unit_then_works_on() {
    let (app, c) = spawn_cycle().await;
    let r = &c.roles;
    let sid = form(&c, "50").await;
    let a = r.finance.created(ACTIONS, json!({"submission_id": sid, "lens": "compliance", "cause": "超标准配置资产", "measure": "清理资产", "owner": "办公室", "due_date": "2026-12-31"})).await;
    assert_eq!(a.body["source"], "finance");
    let mine = r.reporter.total(&format!("{ACTIONS}?source=finance")).await;
    assert_eq!(mine, 1);
    let progress = format!("{ACTIONS}/{}/progress", a.id);
    r.reporter
        .post_is(&progress, json!({"note": "已开始清理"}), 200)
        .await;
    // Another unit neither sees nor touches it; a viewer reads but cannot open one.
    let stranger = app.stranger().await;
    let any = json!({"submission_id": sid, "lens": "compliance", "cause": "x", "measure": "x", "owner": "x", "due_date": "2026-12-31"});
    stranger
        .get_is(&format!("{ACTIONS}/{}", a.id), NOT_FOUND)
        .await;
    stranger.post_is(ACTIONS, any.clone(), NOT_FOUND).await;
    assert_eq!(stranger.total(ACTIONS).await, 0);
    r.viewer.post_is(ACTIONS, any, FORBIDDEN).await;
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
    let (sid, aid) = (sid.to_string(), a.id.to_string());
    assert_eq!(
        named,
        vec![("submission", sid.as_str()), ("corrective_action", &aid)]
    );
    assert!(denied
        .iter()
        .all(|e| e["actor_username"] == "stranger" && e["outcome"] == "denied"));
}
