//! Every follow-through endpoint hides other units and refuses the wrong roles.

use super::*;
use crate::helpers::*;
use serde_json::{json, Value};

#[tokio::test]
async fn every_follow_through_endpoint_hides_other_units_and_refuses_the_wrong_roles() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
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
    let stranger = app.stranger().await;
    // Another unit's reporter: 404 on every read and write of these objects.
    let cases: Vec<(&str, String, Value)> = vec![
        (
            "GET",
            format!("/api/v1/corrective-actions/{a}"),
            Value::Null,
        ),
        (
            "POST",
            format!("/api/v1/corrective-actions/{a}/progress"),
            json!({"note": "x"}),
        ),
        (
            "POST",
            format!("/api/v1/corrective-actions/{a}/complete"),
            json!({}),
        ),
        (
            "GET",
            format!("/api/v1/adjustment-requests/{j}"),
            Value::Null,
        ),
        (
            "POST",
            format!("/api/v1/adjustment-requests/{j}/withdraw"),
            json!({}),
        ),
        ("GET", format!("/api/v1/measures/{m}"), Value::Null),
        ("GET", format!("/api/v1/items/{i}/history"), Value::Null),
        ("GET", format!("/api/v1/items/{i}/lifecycle"), Value::Null),
        (
            "POST",
            format!("/api/v1/items/{i}/copy"),
            json!({"year": 2027}),
        ),
        (
            "POST",
            "/api/v1/adjustment-requests".into(),
            json!({"item_id": i, "cause": "other", "explanation": "x", "countermeasures": "y", "new_budget": {"fiscal": "1", "union": "1"}}),
        ),
    ];
    for (method, path, body) in &cases {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let r = stranger.call(method, path, None, body).await;
        NOT_FOUND.check(r).await;
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
    let refused: Vec<(String, Value, Vec<&Session>)> = vec![
        (
            format!("/api/v1/corrective-actions/{a}/progress"),
            json!({"note": "x"}),
            vec![&r.admin, &r.finance, &r.viewer],
        ),
        (
            format!("/api/v1/corrective-actions/{a}/complete"),
            json!({}),
            vec![&r.admin, &r.finance, &r.viewer],
        ),
        (
            format!("/api/v1/corrective-actions/{a}/verify"),
            json!({}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            format!("/api/v1/corrective-actions/{a}/reopen"),
            json!({"note": "x"}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            format!("/api/v1/adjustment-requests/{j}/approve"),
            json!({}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            format!("/api/v1/adjustment-requests/{j}/reject"),
            json!({"reason": "x"}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            format!("/api/v1/adjustment-requests/{j}/withdraw"),
            json!({}),
            vec![&r.admin, &r.finance, &r.viewer],
        ),
        (
            "/api/v1/adjustment-requests".into(),
            json!({"item_id": i, "cause": "other", "explanation": "x", "countermeasures": "y", "new_budget": {"fiscal": "1", "union": "1"}}),
            vec![&r.admin, &r.finance, &r.viewer],
        ),
        (
            "/api/v1/measures".into(),
            json!({"item_id": i, "kind": "suspend_payment", "reason": "x"}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            format!("/api/v1/measures/{m}/lift"),
            json!({"reason": "x"}),
            vec![&r.admin, &r.reporter, &r.viewer],
        ),
        (
            "/api/v1/corrective-actions".into(),
            json!({"submission_id": sid, "lens": "compliance", "cause": "x", "measure": "y", "owner": "z", "due_date": "2026-12-31"}),
            vec![&r.admin, &r.viewer],
        ),
        (
            format!("/api/v1/items/{i}/copy"),
            json!({"year": 2027}),
            vec![&r.admin, &r.viewer],
        ),
    ];
    for (path, body, sessions) in &refused {
        for s in sessions {
            s.post_is(path, body.clone(), FORBIDDEN).await;
        }
    }
    let v = &r.viewer;
    let action = v.read(&format!("/api/v1/corrective-actions/{a}")).await;
    assert_eq!(action["status"], "open");
    let adj = v.read(&format!("/api/v1/adjustment-requests/{j}")).await;
    assert_eq!(adj["status"], "pending");
    let measure = v.read(&format!("/api/v1/measures/{m}")).await;
    assert_eq!(measure["active"], true);
    let item = v.read(&format!("/api/v1/items/{i}")).await;
    assert_eq!(item["payment_status"], "normal");
    assert_eq!(r.viewer.total("/api/v1/items?year=2027").await, 0);
}
