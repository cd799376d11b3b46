//! The completeness list, the corrective-action list and the report select by the domain's
//! rules (which forms a period requires, which actions are overdue): checked here item by item
//! and action by action against the domain's own functions.

use std::collections::HashSet;

use budget_monitor::domain::follow_through::{is_overdue, ActionStatus};
use budget_monitor::domain::item::ItemKind;
use budget_monitor::domain::period::requires_form;
use chrono::{Duration, NaiveDate, Utc};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::*;

fn ids(rows: &Value, field: &str) -> HashSet<String> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r[field].as_str().unwrap().to_string())
        .collect()
}

fn item_body(kind: ItemKind) -> Value {
    let mut body = json!({"year": 2026, "kind": kind.as_str(), "name": format!("{kind}"),
        "budget": {"fiscal": "10", "union": "5"}});
    match kind {
        ItemKind::SpecialFund => body["funding_source"] = json!("own"),
        ItemKind::Project => {
            body["start_year"] = json!(2026);
            body["end_year"] = json!(2026);
        }
        ItemKind::Overall => {}
    }
    body
}

#[tokio::test]
async fn the_completeness_list_and_the_report_cover_the_forms_the_domain_requires() {
    let app = spawn_app().await;
    let finance = app.as_finance().await;
    let period = app.period(2026, "h1").await.id;
    // One unit per (key-monitored, has a form), each with an item of every kind (a unit has
    // at most one overall item a year).
    let mut items: Vec<(Uuid, ItemKind, bool, bool)> = vec![];
    for (n, (key_monitored, has_form)) in
        [(false, false), (false, true), (true, false), (true, true)]
            .into_iter()
            .enumerate()
    {
        let unit = app.unit(&format!("S{n}")).await.id;
        let reporter = app.as_reporter(unit).await;
        for &kind in ItemKind::ALL {
            let item = reporter.item(item_body(kind)).await.id;
            if key_monitored {
                let path = format!("/api/v1/items/{item}/key-monitoring");
                ok(
                    finance.post(&path, json!({"key_monitored": true})).await,
                    200,
                )
                .await;
            }
            if has_form {
                reporter
                    .form(json!({"period_id": period, "item_id": item}))
                    .await;
            }
            items.push((item, kind, key_monitored, has_form));
        }
    }
    let completeness = ok(
        finance
            .get(&format!("/api/v1/periods/{period}/completeness"))
            .await,
        200,
    )
    .await;
    let report = ok(
        finance
            .get(&format!("/api/v1/periods/{period}/report"))
            .await,
        200,
    )
    .await;
    let listed = ids(&completeness, "item_id");
    let reported: Vec<&Value> = report["items"].as_array().unwrap().iter().collect();
    for (item, kind, key_monitored, has_form) in items {
        let required = requires_form(kind, key_monitored);
        let what = format!("{kind} key_monitored={key_monitored} form={has_form}");
        assert_eq!(
            listed.contains(&item.to_string()),
            required,
            "completeness: {what}"
        );
        let row = reported
            .iter()
            .find(|r| r["item_id"] == item.to_string().as_str());
        assert_eq!(row.is_some(), required || has_form, "report: {what}");
        if let Some(row) = row {
            assert_eq!(row["status"] == "missing", !has_form, "report: {what}");
        }
    }
}

#[tokio::test]
async fn the_action_list_and_the_report_count_overdue_actions_as_the_domain_does() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let form = r
        .reporter
        .form(json!({"period_id": c.period, "item_id": c.item}))
        .await
        .id;
    let today = (Utc::now() + Duration::hours(8)).date_naive();
    let mut actions: Vec<(String, ActionStatus, NaiveDate)> = vec![];
    for &status in ActionStatus::ALL {
        for due in [
            today - Duration::days(30),
            today,
            today + Duration::days(30),
        ] {
            let body = json!({"submission_id": form, "lens": "compliance", "cause": "原因",
                "measure": "措施", "owner": "张华", "due_date": due});
            let id = r
                .reporter
                .created("/api/v1/corrective-actions", body)
                .await
                .id;
            let path = |step: &str| format!("/api/v1/corrective-actions/{id}/{step}");
            let note = json!({"note": "进展"});
            match status {
                ActionStatus::Open => {}
                ActionStatus::InProgress => {
                    ok(r.reporter.post(&path("progress"), note).await, 200).await;
                }
                ActionStatus::Done | ActionStatus::Verified => {
                    ok(r.reporter.post(&path("complete"), note).await, 200).await;
                    if status == ActionStatus::Verified {
                        r.finance.act(&path("verify")).await;
                    }
                }
            }
            actions.push((id.to_string(), status, due));
        }
    }
    let list = |overdue: bool| {
        let path = format!(
            "/api/v1/corrective-actions?period_id={}&overdue={overdue}&per_page=100",
            c.period
        );
        async move { ok(r.finance.get(&path).await, 200).await }
    };
    let (listed_overdue, listed_others) = (list(true).await, list(false).await);
    let (listed_overdue, listed_others) = (
        ids(&listed_overdue["items"], "id"),
        ids(&listed_others["items"], "id"),
    );
    let report = ok(
        r.finance
            .get(&format!("/api/v1/periods/{}/report", c.period))
            .await,
        200,
    )
    .await;
    let reported_overdue = ids(&report["overdue_corrective_actions"], "id");
    let (mut overdue_n, mut open_n) = (0, 0);
    for (id, status, due) in &actions {
        let overdue = is_overdue(*status, *due, today);
        let what = format!("{status} due {due} (today {today})");
        assert_eq!(
            listed_overdue.contains(id),
            overdue,
            "list ?overdue=true: {what}"
        );
        assert_eq!(
            listed_others.contains(id),
            !overdue,
            "list ?overdue=false: {what}"
        );
        assert_eq!(reported_overdue.contains(id), overdue, "report: {what}");
        overdue_n += i64::from(overdue);
        open_n += i64::from(status.is_pending());
    }
    let row = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item_id"] == c.item.as_str())
        .unwrap();
    assert_eq!(row["overdue_corrective_actions"], overdue_n);
    assert_eq!(row["open_corrective_actions"], open_n);
}
