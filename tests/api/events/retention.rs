//! Retention: events older than `BM_EVENT_RETENTION_DAYS` are deleted (at start-up and every
//! hour); a cursor whose next events are gone answers 410 `cursor_expired`.

use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{ConnectionTrait, ExprTrait};
use serde_json::json;

use super::*;
use crate::helpers::*;

/// Moves the events up to `seq` back `days` days, from a connection of the test's own.
pub(super) async fn backdate(app: &TestApp, upto: i64, days: i64) {
    let db = sea_orm::Database::connect(&app.settings.database_url)
        .await
        .unwrap();
    let when = chrono::Utc::now() - chrono::Duration::days(days);
    let q = Query::update()
        .table(Alias::new("events"))
        .value(Alias::new("time"), when)
        .and_where(Expr::col(Alias::new("seq")).lte(upto))
        .to_owned();
    db.execute(&q).await.unwrap();
    db.close().await.unwrap();
}

/// A cycle with five events: the period opened, the item created, a form created, submitted
/// and returned.
pub(super) async fn five_events(app: &TestApp) -> Cycle {
    let c = open_cycle(app).await;
    let body = json!({"period_id": c.period, "item_id": c.item, "executed": {"fiscal": "5", "union": "0"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}});
    let form = c.roles.reporter.filed_form(body).await;
    let path = format!("/api/v1/submissions/{}/return", form.id);
    ok(
        c.roles
            .finance
            .post(&path, json!({"reason": "请补充"}))
            .await,
        200,
    )
    .await;
    c
}

#[tokio::test]
async fn a_cursor_whose_next_events_were_deleted_is_gone() {
    let app = spawn_app().await;
    let c = five_events(&app).await;
    backdate(&app, 3, 401).await;
    // Another instance starting on the database applies the retention (400 days).
    let other = spawn_with(app.settings.clone()).await;
    let v = other.session("viewer1", PASSWORD).await;
    for after in ["0", "1", "2"] {
        let p = assert_problem(
            v.get(&format!("/api/v1/events?after={after}")).await,
            410,
            "cursor_expired",
        )
        .await;
        assert!(
            p["detail"].as_str().unwrap().contains("without `after`"),
            "{p}"
        );
    }
    // A client that had read up to the last deleted event misses nothing.
    let (events, next) = read(&v, "?after=3").await;
    assert_eq!(seqs(&events), [4, 5]);
    assert_eq!(next, "5");
    // Without a cursor the feed starts with the oldest event kept.
    let (events, _) = read(&v, "").await;
    assert_eq!(seqs(&events), [4, 5]);
    assert_eq!(
        types(&events),
        ["submission.submitted", "submission.returned"]
    );
    drop(c);
}

#[tokio::test]
async fn with_every_event_deleted_only_an_up_to_date_cursor_goes_on() {
    let app = spawn_app().await;
    let c = five_events(&app).await;
    backdate(&app, 5, 500).await;
    let other = spawn_with(app.settings.clone()).await;
    let v = other.session("viewer1", PASSWORD).await;
    assert_problem(v.get("/api/v1/events?after=4").await, 410, "cursor_expired").await;
    let (events, next) = read(&v, "?after=5").await;
    assert!(events.is_empty());
    assert_eq!(next, "5");
    let (events, next) = read(&v, "").await;
    assert!(events.is_empty());
    assert_eq!(next, "5", "a new reader starts after the deleted events");
    // Positions go on where they were.
    let fin = other.session("finance1", PASSWORD).await;
    fin.act(&format!("/api/v1/periods/{}/close", c.period))
        .await;
    let (events, _) = read(&v, "?after=5").await;
    assert_eq!(seqs(&events), [6]);
}

#[tokio::test]
async fn events_within_the_retention_are_kept() {
    let app = spawn_app().await;
    five_events(&app).await;
    backdate(&app, 5, 399).await;
    let other = spawn_with(app.settings.clone()).await;
    let v = other.session("viewer1", PASSWORD).await;
    let (events, _) = read(&v, "?after=0").await;
    assert_eq!(seqs(&events), [1, 2, 3, 4, 5]);
}
