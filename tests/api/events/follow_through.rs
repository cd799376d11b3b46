//! Follow-through and items in the feed: corrective actions, adjustment requests, measures,
//! and the changes to items.

use serde_json::{json, Value};

use super::*;
use crate::helpers::*;

/// A draft form of the cycle's item.
async fn form(c: &Cycle) -> String {
    let body = json!({"period_id": c.period, "item_id": c.item, "executed": {"fiscal": "5", "union": "0"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}});
    c.roles.reporter.form(body).await.id.to_string()
}

/// POSTs `body` to `path` as `s`, expecting `status`, and checks that the next event is `ty`
/// about `subject` with the answer as its data.
async fn step(
    s: &Session,
    feed: &Session,
    cursor: &mut String,
    (path, body, status): (&str, Value, u16),
    ty: &str,
    subject: impl Fn(&Value) -> String,
) -> Value {
    let answer = ok(s.post(path, body).await, status).await;
    assert_event(
        &next_one(feed, cursor).await,
        ty,
        &subject(&answer),
        &answer,
    );
    answer
}

fn at(collection: &'static str) -> impl Fn(&Value) -> String {
    move |v| format!("{collection}/{}", v["id"].as_str().unwrap())
}

#[tokio::test]
async fn each_step_of_a_corrective_action_is_one_event() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let (rep, fin) = (&c.roles.reporter, &c.roles.finance);
    let sid = form(&c).await;
    let (_, mut cursor) = read(fin, "").await;
    let body = json!({"submission_id": sid, "indicator_id": c.indicators[0], "lens": "timeliness", "cause": "培训场地改造延误",
        "objective_cause": false, "measure": "7月起每周加开两期培训", "owner": "张华", "due_date": "2026-08-01"});
    let a = step(
        rep,
        fin,
        &mut cursor,
        ("/api/v1/corrective-actions", body, 201),
        "corrective_action.created",
        at("corrective-actions"),
    )
    .await;
    let path = format!("/api/v1/corrective-actions/{}", a["id"].as_str().unwrap());
    for (who, verb, body, ty) in [
        (
            rep,
            "progress",
            json!({"note": "已加开两期"}),
            "corrective_action.progressed",
        ),
        (rep, "complete", json!({}), "corrective_action.completed"),
        (
            fin,
            "reopen",
            json!({"note": "效果不明显"}),
            "corrective_action.reopened",
        ),
        (
            rep,
            "complete",
            json!({"note": "全部完成"}),
            "corrective_action.completed",
        ),
        (fin, "verify", json!({}), "corrective_action.verified"),
    ] {
        let p = format!("{path}/{verb}");
        step(
            who,
            fin,
            &mut cursor,
            (&p, body, 200),
            ty,
            at("corrective-actions"),
        )
        .await;
    }
}

#[tokio::test]
async fn adjustment_requests_are_requested_then_approved_rejected_or_withdrawn() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let (rep, fin) = (&c.roles.reporter, &c.roles.finance);
    let (_, mut cursor) = read(fin, "").await;
    let request = json!({"item_id": c.item, "cause": "policy_change", "explanation": "上级调整政策", "countermeasures": "压缩培训规模",
        "new_budget": {"fiscal": "80", "union": "300"}});
    for (who, verb, body, ty) in [
        (fin, "approve", json!({}), "adjustment.approved"),
        (
            fin,
            "reject",
            json!({"reason": "理由不充分"}),
            "adjustment.rejected",
        ),
        (rep, "withdraw", json!({}), "adjustment.withdrawn"),
    ] {
        let r = step(
            rep,
            fin,
            &mut cursor,
            ("/api/v1/adjustment-requests", request.clone(), 201),
            "adjustment.requested",
            at("adjustment-requests"),
        )
        .await;
        let p = format!(
            "/api/v1/adjustment-requests/{}/{verb}",
            r["id"].as_str().unwrap()
        );
        step(
            who,
            fin,
            &mut cursor,
            (&p, body, 200),
            ty,
            at("adjustment-requests"),
        )
        .await;
    }
}

#[tokio::test]
async fn measures_are_decided_and_lifted() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let fin = &c.roles.finance;
    let (_, mut cursor) = read(fin, "").await;
    let body = json!({"item_id": c.item, "kind": "suspend_payment", "reason": "执行严重滞后", "period_id": c.period});
    let m = step(
        fin,
        fin,
        &mut cursor,
        ("/api/v1/measures", body, 201),
        "measure.decided",
        at("measures"),
    )
    .await;
    let p = format!("/api/v1/measures/{}/lift", m["id"].as_str().unwrap());
    step(
        fin,
        fin,
        &mut cursor,
        (&p, json!({"reason": "已整改"}), 200),
        "measure.lifted",
        at("measures"),
    )
    .await;
}

#[tokio::test]
async fn items_are_created_updated_designated_and_copied() {
    let app = spawn_app().await;
    let r = app.roles().await;
    let (rep, fin) = (&r.reporter, &r.finance);
    let (_, mut cursor) = read(fin, "").await;
    let body = json!({"year": 2026, "kind": "project", "name": "职工服务中心维修改造", "budget": {"fiscal": "500", "union": "100"}, "start_year": 2026, "end_year": 2027});
    let p = step(
        rep,
        fin,
        &mut cursor,
        ("/api/v1/items", body, 201),
        "item.created",
        at("items"),
    )
    .await;
    let path = format!("/api/v1/items/{}", p["id"].as_str().unwrap());
    let renamed = ok(
        rep.patch(&path, Some("\"1\""), json!({"name": "职工服务中心改造"}))
            .await,
        200,
    )
    .await;
    assert_event(
        &next_one(fin, &mut cursor).await,
        "item.updated",
        &format!("items/{}", p["id"].as_str().unwrap()),
        &renamed,
    );
    let key = format!("{path}/key-monitoring");
    step(
        fin,
        fin,
        &mut cursor,
        (&key, json!({"key_monitored": true}), 200),
        "item.key_designated",
        at("items"),
    )
    .await;
    let copy = format!("{path}/copy");
    let next_year = step(
        rep,
        fin,
        &mut cursor,
        (&copy, json!({"year": 2027}), 201),
        "item.created",
        at("items"),
    )
    .await;
    assert_eq!(next_year["previous_item_id"], p["id"]);
}
