//! Every follow-through endpoint hides other units and refuses the wrong roles.

use super::*;
use crate::helpers::*;
use serde_json::{json, Value};

#[tokio::test]
async fn every_follow_through_endpoint_hides_other_units_and_refuses_the_wrong_roles() {
    let (app, c) = spawn_cycle().await;
    let r = &c.roles;
    let sid = form(&c, "20").await;
    let action = r.reporter.created("/api/v1/corrective-actions", json!({"submission_id": sid, "lens": "effectiveness", "cause": "x", "measure": "y", "owner": "z", "due_date": "2026-12-31"})).await;
    let adj = r.reporter.created("/api/v1/adjustment-requests", json!({"item_id": c.item, "cause": "emergency", "explanation": "x", "countermeasures": "y", "new_budget": {"fiscal": "1", "union": "1"}})).await;
    let measure = r
        .finance
        .created(
            "/api/v1/measures",
            json!({"item_id": c.item, "kind": "budget_reference", "reason": "x"}),
        )
        .await;
    let (a, j, m, i) = (action.id, adj.id, measure.id, &c.item);
    let (action, adj, item) = (
        format!("/api/v1/corrective-actions/{a}"),
        format!("/api/v1/adjustment-requests/{j}"),
        format!("/api/v1/items/{i}"),
    );
    let (note, year) = (json!({"note": "x"}), json!({"year": 2027}));
    let new_request = json!({"item_id": i, "cause": "other", "explanation": "x", "countermeasures": "y", "new_budget": {"fiscal": "1", "union": "1"}});
    let stranger = app.stranger().await;
    // Another unit's reporter: 404 on every read and write of these objects.
    let measure = format!("/api/v1/measures/{m}");
    for path in [&action, &adj, &measure] {
        stranger.get_is(path, NOT_FOUND).await;
    }
    for path in [format!("{item}/history"), format!("{item}/lifecycle")] {
        stranger.get_is(&path, NOT_FOUND).await;
    }
    let writes = [
        (format!("{action}/progress"), &note),
        (format!("{action}/complete"), &json!({})),
        (format!("{adj}/withdraw"), &json!({})),
        (format!("{item}/copy"), &year),
        ("/api/v1/adjustment-requests".into(), &new_request),
    ];
    for (path, body) in writes {
        stranger.post_is(&path, body.clone(), NOT_FOUND).await;
    }
    for list in [
        "/api/v1/corrective-actions",
        "/api/v1/adjustment-requests",
        "/api/v1/measures",
    ] {
        assert_eq!(stranger.total(list).await, 0, "{list}");
        assert_eq!(r.viewer.total(list).await, 1, "{list}");
    }
    // Roles that may not act: 403, and nothing changes.
    let unit_work = [&r.admin, &r.finance, &r.viewer];
    let finance_work = [&r.admin, &r.reporter, &r.viewer];
    let writers = [&r.admin, &r.viewer];
    let refused: Vec<(String, Value, &[&Session])> = vec![
        (format!("{action}/progress"), note.clone(), &unit_work),
        (format!("{action}/complete"), json!({}), &unit_work),
        (format!("{action}/verify"), json!({}), &finance_work),
        (format!("{action}/reopen"), note, &finance_work),
        (format!("{adj}/approve"), json!({}), &finance_work),
        (
            format!("{adj}/reject"),
            json!({"reason": "x"}),
            &finance_work,
        ),
        (format!("{adj}/withdraw"), json!({}), &unit_work),
        (
            "/api/v1/adjustment-requests".into(),
            new_request,
            &unit_work,
        ),
        (
            "/api/v1/measures".into(),
            json!({"item_id": i, "kind": "suspend_payment", "reason": "x"}),
            &finance_work,
        ),
        (
            format!("{measure}/lift"),
            json!({"reason": "x"}),
            &finance_work,
        ),
        (
            "/api/v1/corrective-actions".into(),
            json!({"submission_id": sid, "lens": "compliance", "cause": "x", "measure": "y", "owner": "z", "due_date": "2026-12-31"}),
            &writers,
        ),
        (format!("{item}/copy"), year, &writers),
    ];
    for (path, body, sessions) in &refused {
        for s in sessions.iter() {
            s.post_is(path, body.clone(), FORBIDDEN).await;
        }
    }
    let v = &r.viewer;
    assert_eq!(v.read(&action).await["status"], "open");
    assert_eq!(v.read(&adj).await["status"], "pending");
    assert_eq!(v.read(&measure).await["active"], true);
    assert_eq!(v.read(&item).await["payment_status"], "normal");
    assert_eq!(v.total("/api/v1/items?year=2027").await, 0);
}
