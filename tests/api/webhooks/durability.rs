//! Delivery from the database: nothing for a change that rolled back, nothing lost or repeated
//! across a restart, and two instances on one database never make the same attempt twice.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::json;

use super::*;

#[tokio::test]
async fn a_change_rolled_back_after_its_event_was_written_is_never_delivered() {
    let app = spawn_webhook_app().await;
    let c = open_cycle(&app).await;
    let receiver = Receiver::start(&[]).await;
    let hook = register(&c.roles.admin, &receiver.url, &["measure.decided"]).await;
    let measure = json!({"item_id": c.item, "kind": "suspend_payment", "reason": "执行严重滞后", "period_id": c.period});
    let send = |key: &str| {
        app.req(
            reqwest::Method::POST,
            "/api/v1/measures",
            Some(&c.roles.finance),
        )
        .header("Idempotency-Key", key)
        .json(&measure)
    };
    // The deliveries are queued after the change's event is written, in its transaction: a
    // failure there rolls back the change, its event and every delivery queued with it.
    refuse_inserts(&app, "webhook_deliveries", true).await;
    assert_problem(app.send(send("suspend-1")).await, 500, "internal_error").await;
    refuse_inserts(&app, "webhook_deliveries", false).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(receiver.received().is_empty());
    assert!(deliveries(&c.roles.admin, &hook).await.is_empty());
    let feed = ok(
        app.send(app.req(
            reqwest::Method::GET,
            "/api/v1/events",
            Some(&c.roles.finance),
        ))
        .await,
        200,
    )
    .await;
    let types: Vec<&str> = feed["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["type"].as_str())
        .collect();
    assert!(!types.contains(&"measure.decided"), "{types:?}");

    let made = ok(app.send(send("suspend-2")).await, 201).await;
    let got = receiver.wait_for(1).await;
    assert_eq!(got[0].json()["data"], made);
    settled(&c.roles.admin, &hook, "delivered").await;
    assert_eq!(receiver.received().len(), 1);
}

#[tokio::test]
async fn an_attempt_the_database_could_not_record_at_once_is_recorded_and_not_sent_again() {
    let app = spawn_webhook_app().await;
    let admin = app.as_admin().await;
    let receiver = Receiver::start(&[Reply(200, Duration::from_millis(300))]).await;
    let hook = register(&admin, &receiver.url, &["period.opened"]).await;
    // The attempt's record is refused while the endpoint is answering, then accepted again.
    refuse_inserts(&app, "webhook_attempts", true).await;
    open_a_period(&app, 2026).await;
    receiver.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    refuse_inserts(&app, "webhook_attempts", false).await;
    settled(&admin, &hook, "delivered").await;
    let log = deliveries(&admin, &hook).await;
    assert_eq!(log[0]["attempts"].as_array().unwrap().len(), 1, "{log:#?}");
    assert_eq!(receiver.received().len(), 1);
}

#[tokio::test]
async fn a_restart_mid_delivery_neither_loses_nor_repeats_it() {
    let scratch = Scratch::new().await;
    let mut settings = test_settings(scratch.dir.clone(), scratch.url.clone());
    fast(&mut settings);
    let (first, handle, running) = spawn_stoppable(settings.clone()).await;
    let admin = first.as_admin().await;
    let finance = first.as_finance().await.token.clone();
    // The receiver holds the first request while the service stops.
    let receiver = Receiver::start(&[Reply(200, Duration::from_millis(1500))]).await;
    let hook = register(&admin, &receiver.url, &["period.opened"]).await;
    open_a_period(&first, 2026).await;
    receiver.wait_for(1).await;

    // A clean stop lets the attempt under way finish and records it.
    handle.stop(true).await;
    running.await.unwrap().unwrap();
    let second = spawn_with(settings).await;
    let admin = second.bearer(&admin.token);
    let d = deliveries(&admin, &hook).await;
    assert_eq!(d[0]["status"], "delivered", "{d:#?}");
    open_a_period_as(&second.bearer(&finance), 2027).await;
    receiver.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;

    let got = receiver.received();
    let ids: BTreeSet<_> = got.iter().map(|r| r.id.clone()).collect();
    assert_eq!((got.len(), ids.len()), (2, 2), "each event once: {got:#?}");
    let log = deliveries(&admin, &hook).await;
    assert!(log
        .iter()
        .all(|d| d["status"] == "delivered" && d["attempts"].as_array().unwrap().len() == 1));
}

/// On PostgreSQL a second instance on the same database, each with its worker; SQLite takes
/// one instance (its writes take turns in one process).
async fn second_instance(one: &TestApp) -> Option<TestApp> {
    let on_postgres = std::env::var("TEST_DATABASE_URL").is_ok_and(|s| !s.is_empty());
    if !on_postgres {
        return None;
    }
    let mut settings = one.settings.clone();
    let folder = Scratch::folder();
    settings.data_dir = folder.dir.clone();
    Some(spawn_with(settings).await.owning(folder))
}

#[tokio::test]
async fn two_instances_on_one_database_never_make_the_same_attempt_twice() {
    let one = spawn_webhook_app().await;
    let second = second_instance(&one).await;
    let two = second.as_ref().unwrap_or(&one);
    let admin = one.as_admin().await;
    // Slow answers keep both workers busy with leases held.
    let script = [Reply(200, Duration::from_millis(100)); 12];
    let receiver = Receiver::start(&script).await;
    let hook = register(&admin, &receiver.url, &["period.opened", "period.closed"]).await;
    let finance = one.as_finance().await.token.clone();
    for year in 2026..2032 {
        let app = if year % 2 == 0 { &one } else { two };
        open_a_period_as(&app.bearer(&finance), year).await;
    }
    receiver.wait_for(6).await;
    let (a, h) = (&admin, &hook);
    eventually("every delivery delivered", || async move {
        let log = deliveries(a, h).await;
        (log.len() == 6 && log.iter().all(|d| d["status"] == "delivered")).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let got = receiver.received();
    let ids: BTreeSet<_> = got.iter().map(|r| r.id.clone()).collect();
    assert_eq!((got.len(), ids.len()), (6, 6), "{got:#?}");
}
