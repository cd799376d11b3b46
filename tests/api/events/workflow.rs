//! The monitoring cycle in the feed: each step of a period and a form is one event, with the
//! resource as the step answered it.

use serde_json::{json, Value};

use super::*;
use crate::helpers::*;

fn content(c: &Cycle, actual: &str) -> Value {
    json!({
        "executed": {"fiscal": "40", "union": "120"},
        "indicator_values": [
            {"indicator_id": c.indicators[0], "actual": actual},
            {"indicator_id": c.indicators[1], "actual": "92"}
        ],
        "outlook": "certain",
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}
    })
}

#[tokio::test]
async fn events_are_cloudevents_about_the_changed_resource() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let (events, cursor) = read(&c.roles.viewer, "").await;
    // Units, users, the draft period and the indicators are not in the feed.
    assert_eq!(types(&events), ["period.opened", "item.created"]);
    assert_eq!(seqs(&events), [1, 2]);
    assert_eq!(cursor, "2");
    let opened = &events[0];
    assert_eq!(opened["specversion"], "1.0");
    assert_eq!(opened["source"], "/api/v1");
    assert_eq!(opened["datacontenttype"], "application/json");
    assert!(opened["id"].as_str().unwrap().parse::<uuid::Uuid>().is_ok());
    assert!(chrono::DateTime::parse_from_rfc3339(opened["time"].as_str().unwrap()).is_ok());
    let period = ok(
        c.roles
            .viewer
            .get(&format!("/api/v1/periods/{}", c.period))
            .await,
        200,
    )
    .await;
    assert_event(
        opened,
        "period.opened",
        &format!("periods/{}", c.period),
        &period,
    );
    let item = ok(
        c.roles
            .viewer
            .get(&format!("/api/v1/items/{}", c.item))
            .await,
        200,
    )
    .await;
    assert_eq!(events[1]["subject"], format!("items/{}", c.item));
    assert_eq!(events[1]["data"]["id"], item["id"]);
    assert_eq!(events[1]["data"]["unit_id"], c.roles.unit.to_string());
    assert_ne!(events[0]["id"], events[1]["id"]);
}

#[tokio::test]
async fn each_step_of_a_form_is_one_event_carrying_the_answer() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let (rep, fin) = (&c.roles.reporter, &c.roles.finance);
    let (_, mut cursor) = read(fin, "").await;

    let mut body = content(&c, "450");
    body["period_id"] = json!(c.period);
    body["item_id"] = json!(c.item);
    let created = ok(rep.post("/api/v1/submissions", body).await, 201).await;
    let id = created["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/submissions/{id}");
    let subject = format!("submissions/{id}");
    expect_next(fin, &mut cursor, "submission.created", &subject, &created).await;

    let updated = ok(rep.put(&path, "\"1\"", &content(&c, "460")).await, 200).await;
    expect_next(fin, &mut cursor, "submission.updated", &subject, &updated).await;
    let submitted = rep.act(&format!("{path}/submit")).await;
    expect_next(
        fin,
        &mut cursor,
        "submission.submitted",
        &subject,
        &submitted,
    )
    .await;
    let returned = ok(
        fin.post(&format!("{path}/return"), json!({"reason": "请补充说明"}))
            .await,
        200,
    )
    .await;
    expect_next(fin, &mut cursor, "submission.returned", &subject, &returned).await;
    let etag = format!("\"{}\"", returned["version"]);
    let edited = ok(rep.put(&path, etag, &content(&c, "470")).await, 200).await;
    expect_next(fin, &mut cursor, "submission.updated", &subject, &edited).await;
    let resubmitted = rep.act(&format!("{path}/submit")).await;
    expect_next(
        fin,
        &mut cursor,
        "submission.submitted",
        &subject,
        &resubmitted,
    )
    .await;
    let accepted = fin.act(&format!("{path}/accept")).await;
    let event = next_one(fin, &mut cursor).await;
    assert_event(&event, "submission.accepted", &subject, &accepted);
    // The data is the form as it is now stored.
    assert_eq!(event["data"], ok(fin.get(&path).await, 200).await);
}

#[tokio::test]
async fn each_step_of_a_period_is_one_event_and_reopening_is_told_apart() {
    let app = spawn_app().await;
    let fin = app.as_finance().await;
    let p = fin.new_period(2026, "h1").await;
    let path = format!("/api/v1/periods/{}", p.id);
    let subject = format!("periods/{}", p.id);
    let (none, mut cursor) = read(&fin, "").await;
    assert!(
        none.is_empty(),
        "a draft period is not in the feed: {none:?}"
    );
    assert_eq!(cursor, "0");
    for (step, ty) in [
        ("open", "period.opened"),
        ("close", "period.closed"),
        ("open", "period.reopened"),
        ("close", "period.closed"),
        ("publish", "period.published"),
    ] {
        let answer = fin.act(&format!("{path}/{step}")).await;
        assert_event(&next_one(&fin, &mut cursor).await, ty, &subject, &answer);
    }
}
