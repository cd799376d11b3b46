//! Who sees which events: a reporter its own unit's and the periods', the other roles all.

use serde_json::json;

use super::*;
use crate::helpers::*;

#[tokio::test]
async fn a_reporter_sees_its_units_events_and_the_periods_and_its_cursor_moves_past_the_rest() {
    let app = spawn_app().await;
    let (a, b) = (app.unit("UA").await.id, app.unit("UB").await.id);
    let (rep_a, rep_b) = (app.as_reporter(a).await, app.as_reporter(b).await);
    let fin = app.as_finance().await;
    let viewer = app.as_viewer().await;
    let period = app.period(2026, "h1").await;
    let item = |name: &str| json!({"year": 2026, "kind": "overall", "name": name, "budget": {"fiscal": "100", "union": "300"}, "annual_goal": "完成年度工作"});
    let item_a = rep_a.item(item("A整体支出")).await;
    let item_b = rep_b.item(item("B整体支出")).await;
    let measure = json!({"item_id": item_b.id, "kind": "suspend_payment", "reason": "执行严重滞后", "period_id": period.id});
    ok(fin.post("/api/v1/measures", measure).await, 201).await;
    // Everything after A's last visible event is B's.
    let (all, last) = since(&viewer, None, 1000).await;
    assert_eq!(
        types(&all),
        [
            "period.opened",
            "item.created",
            "item.created",
            "measure.decided"
        ]
    );
    assert_eq!(last, "4");

    let (seen_a, cursor_a) = since(&rep_a, None, 1000).await;
    assert_eq!(types(&seen_a), ["period.opened", "item.created"]);
    assert_eq!(seen_a[1]["subject"], format!("items/{}", item_a.id));
    assert_eq!(
        cursor_a, last,
        "the cursor moves past events the reporter may not see"
    );
    let (seen_b, _) = since(&rep_b, None, 1000).await;
    assert_eq!(
        types(&seen_b),
        ["period.opened", "item.created", "measure.decided"]
    );
    for e in &seen_b[1..] {
        assert_eq!(e["data"]["unit_id"], b.to_string(), "{e:#}");
    }
    // Page by page it is the same, and a page of hidden events still moves the cursor.
    let (paged, end) = since(&rep_a, None, 1).await;
    assert_eq!(paged, seen_a);
    assert_eq!(end, last);
    let (none, next) = read(&rep_a, "?after=2").await;
    assert!(none.is_empty(), "{none:#?}");
    assert_eq!(next, last);
    for s in [&fin, &app.as_admin().await] {
        assert_eq!(since(s, None, 1000).await.0, all);
    }
    assert_eq!(item_b.id.to_string(), all[2]["data"]["id"]);
}
