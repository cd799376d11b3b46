//! `seed-demo`: the demo cycle, read back through the API as a frontend team would.

use budget_monitor::seed::{seed_demo, DemoOptions, DemoSummary, SeedError, DEMO_PASSWORD};
use serde_json::{json, Value};

use crate::helpers::*;

async fn ok(r: reqwest::Response) -> Value {
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(status, 200, "{body}");
    body
}

async fn seeded(app: &TestApp) -> (sea_orm::DatabaseConnection, DemoSummary) {
    let db = budget_monitor::persistence::connect(&app.settings.database_url)
        .await
        .unwrap();
    let summary = seed_demo(&db, &DemoOptions::default())
        .await
        .expect("an empty database seeds");
    (db, summary)
}

/// The period's forms as `who` sees them.
async fn forms(app: &TestApp, who: &str, summary: &DemoSummary, query: &str) -> Vec<Value> {
    let path = format!(
        "/api/v1/submissions?period_id={}&per_page=200{query}",
        summary.period_id
    );
    let list = ok(app.get(&path, who).await).await;
    let items = list["items"].as_array().unwrap().clone();
    assert_eq!(list["total"], items.len(), "one page holds them all");
    items
}

#[tokio::test]
async fn seeded_demo_has_an_open_period_with_forms_in_every_state_late_and_red() {
    let app = spawn_app().await;
    let (_db, summary) = seeded(&app).await;
    let finance = app.login("finance", DEMO_PASSWORD).await;

    let p = ok(app
        .get(&format!("/api/v1/periods/{}", summary.period_id), &finance)
        .await)
    .await;
    assert_eq!(p["status"], "open");
    assert_eq!(
        (p["year"].clone(), p["kind"].clone()),
        (json!(2026), json!("h1"))
    );
    assert_eq!(p["as_of"], "2026-06-30");
    assert_eq!(p["submission_deadline"], "2026-07-10");
    assert_eq!(p["report_deadline"], "2026-07-31");

    let all = forms(&app, &finance, &summary, "").await;
    for status in ["draft", "submitted", "returned", "accepted"] {
        assert!(
            all.iter().any(|s| s["status"] == status),
            "no {status} form"
        );
    }
    let late: Vec<&Value> = all.iter().filter(|s| s["late"] == true).collect();
    assert!(!late.is_empty());
    for s in &late {
        let codes: Vec<&Value> = s["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| &r["code"])
            .collect();
        assert!(codes.contains(&&json!("late")), "{s}");
    }
    assert!(all.iter().any(|s| s["warning"] == "green"));
    // Red for each reason the rules name: execution, an indicator, the outlook, compliance.
    let red = forms(&app, &finance, &summary, "&warning=red").await;
    assert!(red.iter().all(|s| s["warning"] == "red"));
    for code in [
        "execution_behind_time",
        "indicator_behind",
        "outlook_impossible",
        "compliance_problem",
    ] {
        let found = red.iter().any(|s| {
            s["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["code"] == code && r["light"] == "red")
        });
        assert!(found, "no red form for {code}");
    }
    // An indicator far over its target carries a note.
    let over = all
        .iter()
        .find(|s| {
            s["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["code"] == "indicator_over_target")
        })
        .expect("an over-target form");
    let ind = over["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "indicator_over_target")
        .unwrap()["indicator_id"]
        .clone();
    let value = over["indicator_values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["indicator_id"] == ind)
        .unwrap();
    assert!(
        value["note"].as_str().is_some_and(|n| !n.is_empty()),
        "{value}"
    );
    assert!(over["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["indicator_id"] == ind && f["needs_note"] == true));
}

#[tokio::test]
async fn seeded_forms_keep_their_versions_and_the_returned_one_its_reason() {
    let app = spawn_app().await;
    let (_db, summary) = seeded(&app).await;
    let finance = app.login("finance", DEMO_PASSWORD).await;
    let returned = forms(&app, &finance, &summary, "&status=returned").await;
    let id = returned[0]["id"].as_str().unwrap();
    let versions = ok(app
        .get(&format!("/api/v1/submissions/{id}/versions"), &finance)
        .await)
    .await;
    let events: Vec<&Value> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["event"])
        .collect();
    assert_eq!(events, [&json!("submitted"), &json!("returned")]);
    assert!(versions[1]["reason"]
        .as_str()
        .is_some_and(|r| !r.is_empty()));
    assert_eq!(versions[1]["actor_username"], "finance");
    assert_eq!(versions[1]["snapshot"]["status"], "returned");
    // Every change is in the audit trail under the request id `seed-demo`.
    let admin = app.admin().await;
    let audit = app.audit(&admin, "action=submission.return").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["request_id"], "seed-demo");
    assert_eq!(audit[0]["resource_id"], id);
}

#[tokio::test]
async fn a_seeded_reporter_sees_only_its_own_units_forms() {
    let app = spawn_app().await;
    let (_db, summary) = seeded(&app).await;
    let finance = app.login("finance", DEMO_PASSWORD).await;
    let reporter = app.login("qybzb.reporter", DEMO_PASSWORD).await;
    let me = ok(app.get("/api/v1/me", &reporter).await).await;
    assert_eq!(me["role"], "reporter");
    let own = forms(&app, &reporter, &summary, "").await;
    assert!(!own.is_empty());
    assert!(own.iter().all(|s| s["unit_id"] == me["unit_id"]));
    let all = forms(&app, &finance, &summary, "").await;
    assert!(own.len() < all.len());
    let other = all.iter().find(|s| s["unit_id"] != me["unit_id"]).unwrap();
    let r = app
        .get(
            &format!("/api/v1/submissions/{}", other["id"].as_str().unwrap()),
            &reporter,
        )
        .await;
    assert_problem(r, 404, "not_found").await;
    // The viewer reads everything.
    let viewer = app.login("viewer", DEMO_PASSWORD).await;
    assert_eq!(forms(&app, &viewer, &summary, "").await.len(), all.len());
}

#[tokio::test]
async fn seeded_completeness_has_missing_forms_and_the_extension_moves_a_deadline() {
    let app = spawn_app().await;
    let (_db, summary) = seeded(&app).await;
    let finance = app.login("finance", DEMO_PASSWORD).await;
    let rows = ok(app
        .get(
            &format!("/api/v1/periods/{}/completeness", summary.period_id),
            &finance,
        )
        .await)
    .await;
    let rows = rows.as_array().unwrap();
    let missing = rows.iter().filter(|r| r["state"] == "missing").count();
    assert!(missing >= 1);
    assert_eq!(missing, summary.missing_forms);
    assert!(rows.iter().any(|r| r["deadline"] == "2026-07-15"));
    // The multi-year project's 2026 item follows its 2025 item.
    let items = ok(app
        .get("/api/v1/items?kind=project&per_page=200", &finance)
        .await)
    .await;
    let items = items["items"].as_array().unwrap();
    let y2025 = items.iter().find(|i| i["year"] == 2025).unwrap();
    let y2026 = items.iter().find(|i| i["year"] == 2026).unwrap();
    assert_eq!(y2026["previous_item_id"], y2025["id"]);
    assert_eq!(y2026["key_monitored"], true);
}

#[tokio::test]
async fn seeding_a_second_time_fails_and_writes_nothing() {
    let app = spawn_app().await;
    let (db, summary) = seeded(&app).await;
    let finance = app.login("finance", DEMO_PASSWORD).await;
    let before = forms(&app, &finance, &summary, "").await.len();
    let again = seed_demo(&db, &DemoOptions::default()).await;
    assert!(
        matches!(again, Err(SeedError::NotEmpty { .. })),
        "{again:?}"
    );
    let periods = ok(app.get("/api/v1/periods", &finance).await).await;
    assert_eq!(periods["total"], 1);
    assert_eq!(forms(&app, &finance, &summary, "").await.len(), before);
}

#[tokio::test]
async fn seeding_refuses_a_database_that_already_has_a_unit() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    app.create_unit(&admin, "ZZB").await;
    let db = budget_monitor::persistence::connect(&app.settings.database_url)
        .await
        .unwrap();
    let r = seed_demo(&db, &DemoOptions::default()).await;
    assert!(
        matches!(r, Err(SeedError::NotEmpty { units: 1, .. })),
        "{r:?}"
    );
    assert_eq!(app.try_login("finance", DEMO_PASSWORD).await.status(), 401);
    let short = DemoOptions {
        password: "short".into(),
        ..DemoOptions::default()
    };
    assert!(matches!(
        seed_demo(&db, &short).await,
        Err(SeedError::Password(_))
    ));
}

#[tokio::test]
async fn seeded_items_and_indicators_are_audited_as_the_api_writes_them() {
    let app = spawn_app().await;
    let (_db, _summary) = seeded(&app).await;
    let finance = app.login("finance", DEMO_PASSWORD).await;
    let admin = app.admin().await;
    let items = ok(app.get("/api/v1/items?per_page=200", &finance).await).await;
    let items = items["items"].as_array().unwrap();
    let created = app.audit(&admin, "action=item.create").await;
    let designated = app.audit(&admin, "action=item.key_monitoring").await;
    let added = app.audit(&admin, "action=indicator.create").await;
    assert_eq!(created.len(), items.len());
    let event = |events: &[Value], id: &Value| -> Option<Value> {
        events.iter().find(|e| e["resource_id"] == *id).cloned()
    };
    for item in items {
        let id = &item["id"];
        let made = event(&created, id).expect("every item has its item.create event");
        // Finance designates the key items (Art. 10) as POST /items/{id}/key-monitoring does:
        // the item before and after in the trail, the designation in the item's history.
        let last = match event(&designated, id) {
            Some(d) => {
                assert_eq!(d["actor_username"], "finance");
                assert_eq!(d["before"]["key_monitored"], false);
                let path = format!("/api/v1/items/{}/history", id.as_str().unwrap());
                let history = ok(app.get(&path, &finance).await).await;
                let fields: Vec<&Value> = history
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| &h["field"])
                    .collect();
                assert_eq!(fields, [&json!("key_monitored")]);
                d
            }
            None => made.clone(),
        };
        assert_eq!(item["key_monitored"], event(&designated, id).is_some());
        // The trail shows the item as the API does after its last change.
        assert_eq!(last["after"], *item);
        let path = format!("/api/v1/items/{}/indicators", id.as_str().unwrap());
        let indicators = ok(app.get(&path, &finance).await).await;
        for ind in indicators.as_array().unwrap() {
            let e = event(&added, &ind["id"]).expect("every indicator has its event");
            assert_eq!(e["after"], *ind);
            assert_eq!(e["actor_username"], made["actor_username"], "{ind}");
        }
    }
}

/// `seed-demo` run while another connection keeps writing to the same database (a server in
/// use, on the same SQLite file): the seed waits for its turn to write instead of failing with
/// "database is locked" after its first read.
#[tokio::test]
async fn seeding_while_another_connection_keeps_writing_succeeds() {
    use sea_orm::ConnectionTrait;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    let app = spawn_app().await;
    let url = app.settings.database_url.clone();
    let other = budget_monitor::persistence::connect(&url).await.unwrap();
    other
        .execute_unprepared("CREATE TABLE bm_busy (n INTEGER)")
        .await
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let writer = tokio::spawn({
        let stop = stop.clone();
        async move {
            let mut written = 0;
            while !stop.load(Ordering::Relaxed) {
                if other
                    .execute_unprepared("INSERT INTO bm_busy (n) VALUES (1)")
                    .await
                    .is_ok()
                {
                    written += 1;
                }
                tokio::task::yield_now().await;
            }
            written
        }
    });
    // Let the writer get going.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let db = budget_monitor::persistence::connect(&url).await.unwrap();
    let seeded = seed_demo(&db, &DemoOptions::default()).await;
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.unwrap();
    assert!(written > 0, "the other connection wrote meanwhile");
    let summary = seeded.expect("the seed waits for its turn to write");
    assert!(summary.units > 0 && summary.items > 0);
}
