//! The specific refusals of the form workflow: a step in the wrong status is
//! `invalid_transition`, a period that does not take forms `period_not_open`, a published one
//! `locked`, a second form for an item `already_exists`; and each step's audit event.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::*;

const PERIOD_NOT_OPEN: Expect = Expect::Problem(409, "period_not_open");

/// The figures of a complete form (a PUT body).
fn complete(c: &Cycle) -> Value {
    let mut body = c.figures(["40", "120"], ["450", "92"]);
    body["outlook"] = json!("certain");
    body
}

/// A complete draft on the cycle's item; its id.
async fn draft(c: &Cycle) -> Uuid {
    c.draft_form(new_form(c)).await.id
}

/// A complete new form of the cycle's item and period (a POST body).
fn new_form(c: &Cycle) -> Value {
    let mut body = complete(c);
    body["period_id"] = json!(c.period);
    body["item_id"] = json!(c.item);
    body
}

/// The path of form `id`'s step `what`.
fn step(id: Uuid, what: &str) -> String {
    format!("/api/v1/submissions/{id}/{what}")
}

/// Fills in form `id` again as version `version`.
async fn put<'a>(c: &Cycle, id: Uuid, version: i64, e: impl Into<Expect<'a>>) -> Value {
    let path = format!("/api/v1/submissions/{id}");
    let tag = format!("\"{version}\"");
    c.roles.reporter.put_is(&path, tag, &complete(c), e).await
}

fn reason() -> Value {
    json!({"reason": "补充"})
}

#[tokio::test]
async fn a_step_in_the_wrong_status_is_409_invalid_transition() {
    let (_app, c) = spawn_cycle().await;
    let (rep, fin) = (&c.roles.reporter, &c.roles.finance);
    let id = draft(&c).await;
    // A draft is neither accepted nor returned.
    fin.step(&step(id, "accept"), INVALID_TRANSITION).await;
    fin.post_is(&step(id, "return"), reason(), INVALID_TRANSITION)
        .await;
    let submitted = rep.act(&step(id, "submit")).await;
    // A submitted form is not submitted again, nor edited.
    rep.step(&step(id, "submit"), INVALID_TRANSITION).await;
    let v = submitted["version"].as_i64().unwrap();
    put(&c, id, v, INVALID_TRANSITION).await;
    let accepted = fin.act(&step(id, "accept")).await;
    assert_eq!(accepted["status"], "accepted");
    // An accepted form takes no step at all.
    for (what, body) in [("accept", json!({})), ("return", reason())] {
        fin.post_is(&step(id, what), body, INVALID_TRANSITION).await;
    }
    rep.step(&step(id, "submit"), INVALID_TRANSITION).await;
    // Nothing of it changed the form.
    let now = rep.read(&format!("/api/v1/submissions/{id}")).await;
    assert_eq!(now["status"], "accepted");
    assert_eq!(now["version"], accepted["version"]);
}

#[tokio::test]
async fn a_closed_period_takes_no_form_edit_or_submission_409_period_not_open() {
    let (_app, c) = spawn_cycle().await;
    let (rep, fin) = (&c.roles.reporter, &c.roles.finance);
    let id = draft(&c).await;
    fin.act(&format!("/api/v1/periods/{}/close", c.period))
        .await;
    rep.step(&step(id, "submit"), PERIOD_NOT_OPEN).await;
    put(&c, id, 1, PERIOD_NOT_OPEN).await;
    let form = rep.read(&format!("/api/v1/submissions/{id}")).await;
    assert_eq!(
        (form["status"].as_str(), form["version"].as_i64()),
        (Some("draft"), Some(1))
    );
}

#[tokio::test]
async fn a_published_period_locks_finances_decisions() {
    let (_app, c) = spawn_cycle().await;
    let (rep, fin) = (&c.roles.reporter, &c.roles.finance);
    let id = draft(&c).await;
    rep.act(&step(id, "submit")).await;
    let path = format!("/api/v1/periods/{}", c.period);
    fin.act(&format!("{path}/close")).await;
    fin.act(&format!("{path}/publish")).await;
    fin.step(&step(id, "accept"), LOCKED).await;
    fin.post_is(&step(id, "return"), reason(), LOCKED).await;
}

#[tokio::test]
async fn a_second_form_for_the_item_in_the_period_is_409_already_exists() {
    let (_app, c) = spawn_cycle().await;
    draft(&c).await;
    let forms = "/api/v1/submissions";
    let rep = &c.roles.reporter;
    rep.post_is(forms, new_form(&c), ALREADY_EXISTS).await;
}

#[tokio::test]
async fn each_step_is_audited_with_the_statuses_and_kept_as_a_version() {
    let (app, c) = spawn_cycle().await;
    let (rep, fin) = (&c.roles.reporter, &c.roles.finance);
    let id = draft(&c).await;
    let submitted = rep.act(&step(id, "submit")).await;
    let body = json!({"reason": "请补充偏差原因分析"});
    let returned = fin.post_is(&step(id, "return"), body, 200).await;
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
    assert_eq!(created[0]["after"]["id"], id.to_string());
    assert_eq!(created[0]["after"]["status"], "draft");
    let versions = rep
        .read(&format!("/api/v1/submissions/{id}/versions"))
        .await;
    // The kept version is the form as the API showed it at that step.
    assert_eq!(versions[1]["snapshot"], returned);
    assert_eq!(versions[0]["snapshot"], submitted);
}

#[tokio::test]
async fn a_form_saved_again_as_it_is_keeps_its_version_and_a_change_moves_it_on() {
    let (app, c) = spawn_cycle().await;
    let id = draft(&c).await;
    let path = format!("/api/v1/submissions/{id}");
    let before = c.roles.reporter.read(&path).await;
    let again = put(&c, id, 1, 200).await;
    assert_eq!(again, before);
    let q = format!("resource_id={id}&action=submission.update");
    assert!(app.audit(&c.roles.admin, &q).await.is_empty());
    // Another value is a change: version 2, audited.
    let mut body = complete(&c);
    body["executed"]["fiscal"] = json!("11");
    let r = c.roles.reporter.put(&path, "\"1\"", &body).await;
    assert_eq!(r.headers()["etag"], "\"2\"");
    assert_eq!(app.audit(&c.roles.admin, &q).await.len(), 1);
}
