//! Lateness judged against the unit's own deadline, in Beijing time.

use super::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn lateness_is_judged_against_the_units_deadline_in_beijing_time() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    // The H1 deadline (2026-07-10) has passed: a form submitted now is late.
    let form = signed(
        json!({"period_id": c.period, "item_id": c.item, "indicator_values": [
        {"indicator_id": c.indicators[0], "actual": "500"}, {"indicator_id": c.indicators[1], "actual": "90"}]}),
    );
    let s = ok(
        app.post("/api/v1/submissions", &r.reporter, form).await,
        201,
    )
    .await;
    let id = s["id"].as_str().unwrap();
    assert_eq!(s["late"], false, "a draft is not late yet");
    let sub = r
        .reporter
        .act(&format!("/api/v1/submissions/{id}/submit"))
        .await;
    assert_eq!(sub["late"], true);
    assert!(sub["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["code"] == "late"));
    let late = ok(r.finance.get("/api/v1/submissions?late=true").await, 200).await;
    assert_eq!(late["total"], 1);

    // A period whose deadline lies ahead: not late.
    let pid = app.period(2026, "interim").await.id;
    let form = signed(
        json!({"period_id": pid, "item_id": c.item, "indicator_values": [
        {"indicator_id": c.indicators[0], "actual": "800"}, {"indicator_id": c.indicators[1], "actual": "90"}]}),
    );
    let s = ok(
        app.post("/api/v1/submissions", &r.reporter, form).await,
        201,
    )
    .await;
    assert_eq!(s["time_progress"], "75.00");
    let sid = s["id"].as_str().unwrap();
    let sub = r
        .reporter
        .act(&format!("/api/v1/submissions/{sid}/submit"))
        .await;
    assert_eq!(sub["late"], false);
}
