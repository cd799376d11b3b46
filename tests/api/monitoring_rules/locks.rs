//! What a filed form locks, and creating POSTs that are idempotent.

use super::*;
use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn a_filed_form_locks_the_budget_and_the_indicators_it_reports_on() {
    let (_app, c) = spawn_cycle().await;
    let rep = &c.roles.reporter;
    let item = format!("/api/v1/items/{}", c.item);
    // Before anything is filed, the budget and targets can be corrected.
    let budget = |fiscal: &str| json!({"budget": {"fiscal": fiscal, "union": "300"}});
    let (v1, v2) = (Some("\"1\""), Some("\"2\""));
    let fixed = rep.patch_is(&item, v1, budget("120"), 200).await;
    assert_eq!(fixed["original_budget"]["fiscal"], "120.000000");
    let ind_path = format!("{item}/indicators/{}", c.indicators[0]);
    let ind_body = json!({"level1": "output", "level2": "quantity", "name": "培训人次", "measure_unit": "人次", "direction": "higher_better", "target": "1100", "prorate": true});
    let ind = rep.patch_is(&ind_path, v1, ind_body.clone(), 200).await;
    assert_eq!(ind["target"], "1100");

    let form = signed(
        json!({"period_id": c.period, "item_id": c.item, "indicator_values": [
        {"indicator_id": c.indicators[0], "actual": "500"}, {"indicator_id": c.indicators[1], "actual": "90"}]}),
    );
    let s = c.draft_form(form).await;
    // A draft already blocks deleting the indicators it answers.
    rep.delete_is(&ind_path, LOCKED).await;
    rep.stepped(s.id, "submit").await;

    let mut new_target = ind_body;
    new_target["target"] = json!("800");
    rep.patch_is(&ind_path, v2, new_target, LOCKED).await;
    let small = json!({"budget": {"fiscal": "1", "union": "1"}});
    rep.patch_is(&item, v2, small, LOCKED).await;
    // Other fields still change.
    let goal = json!({"annual_goal": "新目标"});
    rep.patch_is(&item, v2, goal, 200).await;
    assert_eq!(rep.read(&ind_path).await["target"], "1100");
    // An indicator nobody answered can go.
    let item_id = c.item.parse().unwrap();
    let extra = rep.indicator(item_id, json!({"level1": "effect", "level2": "social_benefit", "name": "影响", "direction": "qualitative", "target": "明显提升"})).await;
    rep.delete_is(&format!("{item}/indicators/{}", extra.id), 204)
        .await;
    let left = rep.read(&format!("{item}/indicators")).await;
    assert_eq!(left.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn creating_posts_of_the_monitoring_core_are_idempotent() {
    let (_app, c) = spawn_cycle().await;
    let rep = &c.roles.reporter;
    let form = json!({"period_id": c.period, "item_id": c.item});
    let send = || rep.post_keyed("/api/v1/submissions", "form-1", &form);
    let first = ok(send().await, 201).await;
    let again = ok(send().await, 201).await;
    assert_eq!(first, again);
    assert_eq!(c.roles.finance.total("/api/v1/submissions").await, 1);
    let fund = json!({"year": 2026, "kind": "special_fund", "name": "普惠资金", "budget": {"fiscal": "1", "union": "2"}, "funding_source": "own"});
    let send_item = || rep.post_keyed("/api/v1/items", "item-1", &fund);
    let a = ok(send_item().await, 201).await;
    let b = ok(send_item().await, 201).await;
    assert_eq!(a["id"], b["id"]);
}
