//! Only committed changes are in the feed: a refused or rolled-back change has no event and
//! leaves no gap, and a change whose event cannot be written is not made.

use serde_json::{json, Value};

use super::*;
use crate::helpers::*;

/// A draft form of the cycle's item, with its answer.
async fn draft(c: &Cycle) -> Value {
    let body = json!({"period_id": c.period, "item_id": c.item, "executed": {"fiscal": "5", "union": "0"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}});
    ok(
        c.roles.reporter.post("/api/v1/submissions", body).await,
        201,
    )
    .await
}

fn measure(c: &Cycle) -> Value {
    json!({"item_id": c.item, "kind": "suspend_payment", "reason": "执行严重滞后", "period_id": c.period})
}

#[tokio::test]
async fn refused_changes_leave_no_event_and_no_gap() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let (rep, fin) = (&c.roles.reporter, &c.roles.finance);
    let form = draft(&c).await;
    let path = format!("/api/v1/submissions/{}", form["id"].as_str().unwrap());
    let (_, cursor) = read(fin, "").await;

    // 409: a draft cannot be accepted.
    assert_problem(
        fin.post(&format!("{path}/accept"), json!({})).await,
        409,
        "invalid_transition",
    )
    .await;
    // 422: a form for an item that does not exist.
    let bad = json!({"period_id": c.period, "item_id": uuid::Uuid::new_v4(), "executed": {"fiscal": "-1", "union": "0"}});
    assert_problem(
        rep.post("/api/v1/submissions", bad).await,
        422,
        "validation_failed",
    )
    .await;
    // 412: an edit against a stale version.
    let body = json!({"executed": {"fiscal": "6", "union": "0"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}});
    assert_problem(
        rep.put(&path, "\"7\"", &body).await,
        412,
        "precondition_failed",
    )
    .await;
    // 403: a reporter does not accept.
    assert_problem(
        rep.post(&format!("{path}/accept"), json!({})).await,
        403,
        "forbidden",
    )
    .await;
    let (events, next) = read(fin, &format!("?after={cursor}")).await;
    assert!(events.is_empty(), "{events:#?}");
    assert_eq!(next, cursor, "nothing new: the cursor stays");

    let submitted = rep.act(&format!("{path}/submit")).await;
    let (events, _) = read(fin, &format!("?after={cursor}")).await;
    assert_eq!(types(&events), ["submission.submitted"]);
    assert_eq!(events[0]["data"], submitted);
    assert_eq!(seqs(&events), [cursor.parse::<i64>().unwrap() + 1]);
}

#[tokio::test]
async fn a_retried_request_answered_from_its_key_has_one_event() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let fin = &c.roles.finance;
    let (_, cursor) = read(fin, "").await;
    let send = || {
        app.req(reqwest::Method::POST, "/api/v1/measures", Some(fin))
            .header("Idempotency-Key", "suspend-1")
            .json(&measure(&c))
    };
    let first = ok(app.send(send()).await, 201).await;
    let again = app.send(send()).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(ok(again, 201).await, first);
    let (events, _) = read(fin, &format!("?after={cursor}")).await;
    assert_eq!(types(&events), ["measure.decided"]);
    assert_eq!(events[0]["data"], first);
}

#[tokio::test]
async fn a_change_rolled_back_after_its_event_was_written_leaves_neither_and_no_gap() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let fin = &c.roles.finance;
    let (_, cursor) = read(fin, "").await;
    // The saved answer of an idempotent request is written after the event.
    refuse_inserts(&app, "idempotency_keys", true).await;
    let send = |key: &str| {
        app.req(reqwest::Method::POST, "/api/v1/measures", Some(fin))
            .header("Idempotency-Key", key)
            .json(&measure(&c))
    };
    assert_problem(app.send(send("suspend-1")).await, 500, "internal_error").await;
    let measures = ok(fin.get("/api/v1/measures").await, 200).await;
    assert_eq!(measures["total"], 0, "the change was rolled back");
    let (events, next) = read(fin, &format!("?after={cursor}")).await;
    assert!(events.is_empty(), "{events:#?}");
    assert_eq!(next, cursor);

    refuse_inserts(&app, "idempotency_keys", false).await;
    let made = ok(app.send(send("suspend-2")).await, 201).await;
    let (events, _) = read(fin, &format!("?after={cursor}")).await;
    assert_eq!(types(&events), ["measure.decided"]);
    assert_eq!(events[0]["data"], made);
    assert_eq!(
        seqs(&events),
        [cursor.parse::<i64>().unwrap() + 1],
        "no gap"
    );
}

#[tokio::test]
async fn a_change_whose_event_cannot_be_written_is_not_made() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let fin = &c.roles.finance;
    refuse_inserts(&app, "events", true).await;
    assert_problem(
        fin.post("/api/v1/measures", measure(&c)).await,
        500,
        "internal_error",
    )
    .await;
    refuse_inserts(&app, "events", false).await;
    let measures = ok(fin.get("/api/v1/measures").await, 200).await;
    assert_eq!(measures["total"], 0);
    let item = ok(fin.get(&format!("/api/v1/items/{}", c.item)).await, 200).await;
    assert_eq!(item["payment_status"], "normal");
    assert!(app
        .audit(&app.as_admin().await, "action=measure.create")
        .await
        .is_empty());
}
