//! The specific refusals of the form workflow: a step in the wrong status is
//! `invalid_transition`, a period that does not take forms `period_not_open`, a published one
//! `locked`, a second form for an item `already_exists`; and each step's audit event.

use serde_json::{json, Value};

use crate::helpers::*;

async fn json_of(r: reqwest::Response, status: u16) -> Value {
    let s = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(s, status, "{body}");
    body
}

fn complete(c: &Cycle) -> Value {
    json!({
        "period_id": c.period, "item_id": c.item,
        "executed": {"fiscal": "40", "union": "120"},
        "indicator_values": [
            {"indicator_id": c.indicators[0], "actual": "450"},
            {"indicator_id": c.indicators[1], "actual": "92"}
        ],
        "outlook": "certain",
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}
    })
}

/// A complete draft on the cycle's item; its id.
async fn draft(app: &TestApp, c: &Cycle) -> String {
    let s = json_of(
        app.post("/api/v1/submissions", &c.roles.reporter, complete(c))
            .await,
        201,
    )
    .await;
    s["id"].as_str().unwrap().to_string()
}

async fn step(app: &TestApp, token: &str, id: &str, what: &str, body: Value) -> reqwest::Response {
    app.post(&format!("/api/v1/submissions/{id}/{what}"), token, body)
        .await
}

async fn put(app: &TestApp, c: &Cycle, id: &str, version: i64) -> reqwest::Response {
    let mut body = complete(c);
    let o = body.as_object_mut().unwrap();
    o.remove("period_id");
    o.remove("item_id");
    app.req(
        reqwest::Method::PUT,
        &format!("/api/v1/submissions/{id}"),
        Some(&c.roles.reporter),
    )
    .header("If-Match", format!("\"{version}\""))
    .json(&body)
    .send()
    .await
    .unwrap()
}

#[tokio::test]
async fn a_step_in_the_wrong_status_is_409_invalid_transition() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let (rep, fin) = (&c.roles.reporter, &c.roles.finance);
    let id = draft(&app, &c).await;
    // A draft is neither accepted nor returned.
    let r = step(&app, fin, &id, "accept", json!({})).await;
    assert_problem(r, 409, "invalid_transition").await;
    let r = step(&app, fin, &id, "return", json!({"reason": "补充"})).await;
    assert_problem(r, 409, "invalid_transition").await;
    let submitted = json_of(step(&app, rep, &id, "submit", json!({})).await, 200).await;
    // A submitted form is not submitted again, nor edited.
    let r = step(&app, rep, &id, "submit", json!({})).await;
    assert_problem(r, 409, "invalid_transition").await;
    let v = submitted["version"].as_i64().unwrap();
    assert_problem(put(&app, &c, &id, v).await, 409, "invalid_transition").await;
    let accepted = json_of(step(&app, fin, &id, "accept", json!({})).await, 200).await;
    assert_eq!(accepted["status"], "accepted");
    // An accepted form takes no step at all.
    for (what, body) in [("accept", json!({})), ("return", json!({"reason": "补充"}))] {
        let r = step(&app, fin, &id, what, body).await;
        assert_problem(r, 409, "invalid_transition").await;
    }
    let r = step(&app, rep, &id, "submit", json!({})).await;
    assert_problem(r, 409, "invalid_transition").await;
    // Nothing of it changed the form.
    let now = json_of(
        app.get(&format!("/api/v1/submissions/{id}"), rep).await,
        200,
    )
    .await;
    assert_eq!(now["status"], "accepted");
    assert_eq!(now["version"], accepted["version"]);
}

#[tokio::test]
async fn a_closed_period_takes_no_form_edit_or_submission_409_period_not_open() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let (rep, fin) = (&c.roles.reporter, &c.roles.finance);
    let id = draft(&app, &c).await;
    let path = format!("/api/v1/periods/{}", c.period);
    json_of(
        app.post(&format!("{path}/close"), fin, json!({})).await,
        200,
    )
    .await;
    let r = step(&app, rep, &id, "submit", json!({})).await;
    assert_problem(r, 409, "period_not_open").await;
    assert_problem(put(&app, &c, &id, 1).await, 409, "period_not_open").await;
    let form = json_of(
        app.get(&format!("/api/v1/submissions/{id}"), rep).await,
        200,
    )
    .await;
    assert_eq!(
        (form["status"].as_str(), form["version"].as_i64()),
        (Some("draft"), Some(1))
    );
}

#[tokio::test]
async fn a_published_period_locks_finances_decisions() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let (rep, fin) = (&c.roles.reporter, &c.roles.finance);
    let id = draft(&app, &c).await;
    json_of(step(&app, rep, &id, "submit", json!({})).await, 200).await;
    let path = format!("/api/v1/periods/{}", c.period);
    json_of(
        app.post(&format!("{path}/close"), fin, json!({})).await,
        200,
    )
    .await;
    json_of(
        app.post(&format!("{path}/publish"), fin, json!({})).await,
        200,
    )
    .await;
    let r = step(&app, fin, &id, "accept", json!({})).await;
    assert_problem(r, 409, "locked").await;
    let r = step(&app, fin, &id, "return", json!({"reason": "补充"})).await;
    assert_problem(r, 409, "locked").await;
}

#[tokio::test]
async fn a_second_form_for_the_item_in_the_period_is_409_already_exists() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    draft(&app, &c).await;
    let r = app
        .post("/api/v1/submissions", &c.roles.reporter, complete(&c))
        .await;
    assert_problem(r, 409, "already_exists").await;
}

#[tokio::test]
async fn each_step_is_audited_with_the_statuses_and_kept_as_a_version() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let (rep, fin) = (&c.roles.reporter, &c.roles.finance);
    let id = draft(&app, &c).await;
    let submitted = json_of(step(&app, rep, &id, "submit", json!({})).await, 200).await;
    let body = json!({"reason": "请补充偏差原因分析"});
    let returned = json_of(step(&app, fin, &id, "return", body).await, 200).await;
    assert_eq!(
        returned["version"],
        submitted["version"].as_i64().unwrap() + 1
    );
    let admin = &c.roles.admin;
    let q = format!("resource_id={id}&action=submission.return");
    let events = app.audit(admin, &q).await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["before"], json!({"status": "submitted"}));
    assert_eq!(
        events[0]["after"],
        json!({"status": "returned", "reason": "请补充偏差原因分析"})
    );
    let q = format!("resource_id={id}&action=submission.create");
    let created = app.audit(admin, &q).await;
    assert_eq!(created[0]["after"]["id"], id.as_str());
    assert_eq!(created[0]["after"]["status"], "draft");
    let versions = json_of(
        app.get(&format!("/api/v1/submissions/{id}/versions"), rep)
            .await,
        200,
    )
    .await;
    // The kept version is the form as the API showed it at that step.
    assert_eq!(versions[1]["snapshot"], returned);
    assert_eq!(versions[0]["snapshot"], submitted);
}
