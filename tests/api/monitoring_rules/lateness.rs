//! Lateness judged against the unit's own deadline, in Beijing time.

use super::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn lateness_is_judged_against_the_units_deadline_in_beijing_time() {
    let (app, c) = spawn_cycle().await;
    let r = &c.roles;
    // The H1 deadline (2026-07-10) has passed: a form submitted now is late.
    let form = signed(
        json!({"period_id": c.period, "item_id": c.item, "indicator_values": [
        {"indicator_id": c.indicators[0], "actual": "500"}, {"indicator_id": c.indicators[1], "actual": "90"}]}),
    );
    let s = c.draft_form(form).await;
    assert_eq!(s.body["late"], false, "a draft is not late yet");
    let sub = r.reporter.stepped(s.id, "submit").await.body;
    assert_eq!(sub["late"], true);
    assert!(sub["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["code"] == "late"));
    assert_eq!(r.finance.total("/api/v1/submissions?late=true").await, 1);

    // A period whose deadline lies ahead: not late.
    let pid = app.period(2026, "interim").await.id;
    let form = signed(
        json!({"period_id": pid, "item_id": c.item, "indicator_values": [
        {"indicator_id": c.indicators[0], "actual": "800"}, {"indicator_id": c.indicators[1], "actual": "90"}]}),
    );
    let s = c.draft_form(form).await;
    assert_eq!(s.body["time_progress"], "75.00");
    let sub = r.reporter.stepped(s.id, "submit").await.body;
    assert_eq!(sub["late"], false);
}
