//! `seed-province` (the benchmark's data) and the report columns kept beside each form, read back
//! through the API.

use budget_monitor::persistence::submissions::backfill_report_columns;
use budget_monitor::seed::province::{seed_province, ProvinceOptions, ProvinceSummary};
use budget_monitor::seed::{seed_demo, DemoOptions, SeedError, DEMO_PASSWORD};
use sea_orm::ConnectionTrait;
use serde_json::Value;

use crate::helpers::*;

fn small() -> ProvinceOptions {
    ProvinceOptions {
        units: 3,
        items_per_unit: 20,
        indicators_per_item: 5,
        ..ProvinceOptions::default()
    }
}

async fn seeded(app: &TestApp) -> (sea_orm::DatabaseConnection, ProvinceSummary) {
    let db = budget_monitor::persistence::connect(&app.settings.database_url)
        .await
        .unwrap();
    let summary = seed_province(&db, &small())
        .await
        .expect("an empty database takes a province");
    (db, summary)
}

fn count(summary: &ProvinceSummary, status: &str) -> usize {
    summary
        .forms
        .iter()
        .find(|(s, _)| s.as_str() == status)
        .map(|(_, n)| *n)
        .unwrap()
}

#[tokio::test]
async fn a_generated_province_has_every_state_and_its_report_and_lists_agree_with_it() {
    let app = spawn_app().await;
    let (db, summary) = seeded(&app).await;
    assert_eq!(summary.units, 3);
    assert_eq!(
        summary.items,
        3 * 21,
        "20 items with a form and 1 without, per unit"
    );
    assert_eq!(summary.indicators, 3 * 21 * 5);
    assert_eq!(summary.missing_forms, 3);
    for status in ["draft", "submitted", "returned", "accepted"] {
        assert!(count(&summary, status) > 0, "no {status} form: {summary:?}");
    }
    let forms: usize = summary.forms.iter().map(|(_, n)| n).sum();
    assert_eq!(forms, 60);

    let finance = app.session("finance", DEMO_PASSWORD).await;
    let period = summary.period_id;
    let list = finance
        .read(&format!(
            "/api/v1/submissions?period_id={period}&per_page=200"
        ))
        .await;
    assert_eq!(list["total"], 60);
    let all = list["items"].as_array().unwrap();
    for status in ["draft", "submitted", "returned", "accepted"] {
        let n = all.iter().filter(|s| s["status"] == status).count();
        assert_eq!(n, count(&summary, status), "{status}");
    }
    assert_eq!(
        all.iter().filter(|s| s["late"] == true).count(),
        summary.late
    );
    for light in ["red", "yellow", "green"] {
        assert!(all.iter().any(|s| s["warning"] == light), "no {light} form");
    }

    // The report counts what was generated, row for row.
    let report = finance
        .read(&format!("/api/v1/periods/{period}/report"))
        .await;
    let f = &report["forms"];
    assert_eq!(f["expected"], 63);
    assert_eq!(f["missing"], 3);
    for status in ["draft", "submitted", "returned", "accepted"] {
        assert_eq!(f[status], count(&summary, status), "{status}");
    }
    // One meaning of late: the completeness list and the report agree on every required form
    // (filed after the deadline, or not filed once it has passed).
    let completeness = finance
        .read(&format!("/api/v1/periods/{period}/completeness"))
        .await;
    let rows = report["items"].as_array().unwrap();
    for c in completeness.as_array().unwrap() {
        let row = rows.iter().find(|i| i["item_id"] == c["item_id"]).unwrap();
        assert_eq!(row["late"], c["late"], "{c}");
    }
    let late_rows = rows.iter().filter(|i| i["late"] == true).count();
    assert_eq!(f["late"], late_rows);
    // The deadline has passed: the filed late forms, and every form not filed.
    assert_eq!(f["late"], summary.late + 3 + count(&summary, "draft"));
    assert_eq!(report["items"].as_array().unwrap().len(), 63);
    assert_eq!(report["units"].as_array().unwrap().len(), 3);
    // A third of the corrective actions on red forms were due in July and are overdue.
    let overdue = report["overdue_corrective_actions"].as_array().unwrap();
    assert_eq!(overdue.len(), summary.corrective_actions.div_ceil(3));
    let red_rows = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["warning"] == "red")
        .count();
    assert_eq!(report["warnings"]["red"], red_rows);

    // A handed-in form keeps the version the workflow kept, and finance can go on from it.
    let waiting = all.iter().find(|s| s["status"] == "submitted").unwrap();
    let id = id_of(waiting);
    let history = format!("/api/v1/submissions/{id}/versions");
    let versions = finance.read(&history).await;
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["event"], "submitted");
    assert!(versions[0]["actor_username"]
        .as_str()
        .unwrap()
        .ends_with(".reporter"));
    let accepted = finance.stepped(id, "accept").await;
    assert_eq!(accepted.body["status"], "accepted");
    // What the step answers is what a read returns afterwards.
    let read = finance.get(&format!("/api/v1/submissions/{id}")).await;
    assert_eq!(etag_of(&read), accepted.etag);
    assert_eq!(ok(read, 200).await, accepted.body);
    let versions = finance.read(&history).await;
    let numbers: Vec<&Value> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["number"])
        .collect();
    assert_eq!(numbers, [1, 2]);

    // A unit's reporter sees its own unit only.
    let reporter = app.session("p002.reporter", DEMO_PASSWORD).await;
    let mine = reporter
        .read(&format!("/api/v1/periods/{period}/report"))
        .await;
    let units: Vec<&Value> = mine["units"].as_array().unwrap().iter().collect();
    assert_eq!(units.len(), 1);
    assert_eq!(units[0]["unit_code"], "P002");
    assert!(mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["unit_code"] == "P002"));

    // Only an empty database takes a province.
    match seed_province(&db, &small()).await {
        Err(SeedError::NotEmpty { .. }) => {}
        other => panic!("expected NotEmpty, got {other:?}"),
    }
}

/// The report without the moment it was generated.
fn timeless(mut r: Value) -> Value {
    r.as_object_mut().unwrap().remove("generated_at");
    r
}

#[tokio::test]
async fn forms_stored_without_the_report_columns_get_them_back_from_their_content() {
    let app = spawn_app().await;
    let db = budget_monitor::persistence::connect(&app.settings.database_url)
        .await
        .unwrap();
    let demo = seed_demo(&db, &DemoOptions::default()).await.unwrap();
    let finance = app.session("finance", DEMO_PASSWORD).await;
    let path = format!("/api/v1/periods/{}/report", demo.period_id);
    let before = finance.read(&path).await;
    assert!(!before["compliance_problems"].as_array().unwrap().is_empty());

    // As a form stored before the columns existed.
    db.execute_unprepared(
        "UPDATE submissions SET outlook = NULL, completion_rate = NULL, goal_light = NULL, \
         reasons = NULL, problems = NULL",
    )
    .await
    .unwrap();
    let bare = finance.read(&path).await;
    assert!(bare["compliance_problems"].as_array().unwrap().is_empty());
    assert_ne!(timeless(bare), timeless(before.clone()));

    let forms: usize = demo.forms.iter().map(|(_, n)| n).sum();
    assert_eq!(backfill_report_columns(&db).await.unwrap(), forms as u64);
    assert_eq!(backfill_report_columns(&db).await.unwrap(), 0);
    let after = finance.read(&path).await;
    assert_eq!(timeless(after), timeless(before));
}

#[tokio::test]
async fn report_requests_arriving_together_take_turns_and_each_gets_the_whole_report() {
    let app = spawn_app().await;
    let (_db, summary) = seeded(&app).await;
    let finance = app.session("finance", DEMO_PASSWORD).await;
    let path = format!("/api/v1/periods/{}/report", summary.period_id);
    let xlsx = format!("{path}?format=xlsx");
    let (a, b, c, d) = tokio::join!(
        finance.read(&path),
        finance.read(&path),
        finance.get(&xlsx),
        finance.read(&path),
    );
    assert_eq!(c.status(), 200);
    assert!(c.bytes().await.unwrap().starts_with(b"PK"));
    assert_eq!(a["items"].as_array().unwrap().len(), 63);
    assert_eq!(timeless(a.clone()), timeless(b));
    assert_eq!(timeless(a), timeless(d));
}
