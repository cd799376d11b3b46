//! Reading the feed page by page: every event once, in order, from any cursor; cursors and
//! page sizes that are not the feed's are refused.

use serde_json::json;

use super::*;
use crate::helpers::*;

/// A cycle with a few more events: a form created, submitted and returned.
async fn busy_cycle(app: &TestApp) -> Cycle {
    let c = open_cycle(app).await;
    let body = json!({"period_id": c.period, "item_id": c.item, "executed": {"fiscal": "5", "union": "0"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}});
    let form = c.roles.reporter.filed_form(body).await;
    let back = json!({"reason": "请补充说明"});
    let path = format!("/api/v1/submissions/{}/return", form.id);
    ok(c.roles.finance.post(&path, back).await, 200).await;
    c
}

#[tokio::test]
async fn paging_with_cursors_sees_every_event_once_in_order() {
    let app = spawn_app().await;
    let c = busy_cycle(&app).await;
    let v = &c.roles.viewer;
    let (everything, last) = since(v, None, 1000).await;
    assert_eq!(
        types(&everything),
        [
            "period.opened",
            "item.created",
            "submission.created",
            "submission.submitted",
            "submission.returned"
        ]
    );
    assert_eq!(seqs(&everything), [1, 2, 3, 4, 5]);
    assert_eq!(last, "5");
    for limit in [1, 2, 3] {
        let (paged, end) = since(v, None, limit).await;
        assert_eq!(paged, everything, "pages of {limit}");
        assert_eq!(end, last);
    }
    // A page ends at its last event; the next starts right after it.
    let (first, next) = read(v, "?limit=2").await;
    assert_eq!(seqs(&first), [1, 2]);
    assert_eq!(next, "2");
    let (rest, next) = read(v, "?after=2").await;
    assert_eq!(seqs(&rest), [3, 4, 5]);
    assert_eq!(next, "5");
    // Nothing new: no events, the same cursor.
    let (none, same) = read(v, "?after=5").await;
    assert!(none.is_empty());
    assert_eq!(same, "5");
    // What happens next comes after it.
    c.roles
        .finance
        .act(&format!("/api/v1/periods/{}/close", c.period))
        .await;
    let (new, next) = read(v, "?after=5").await;
    assert_eq!(types(&new), ["period.closed"]);
    assert_eq!(next, "6");
}

#[tokio::test]
async fn an_empty_feed_answers_no_events_and_the_starting_cursor() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    app.unit("NOEVENT").await;
    let (events, cursor) = read(&admin, "").await;
    assert!(events.is_empty());
    assert_eq!(cursor, "0");
    let (events, cursor) = read(&admin, "?after=0").await;
    assert!(events.is_empty());
    assert_eq!(cursor, "0");
}

#[tokio::test]
async fn a_cursor_or_limit_that_is_not_the_feeds_is_refused() {
    let app = spawn_app().await;
    let c = busy_cycle(&app).await;
    let v = &c.roles.viewer;
    for after in ["abc", "-1", "1.5", "%201", "99999999999999999999"] {
        let p = assert_problem(
            v.get(&format!("/api/v1/events?after={after}")).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(p["errors"][0]["field"], "after", "{after}");
        assert_eq!(p["errors"][0]["code"], "invalid_cursor", "{after}");
    }
    // A cursor past the last event was never handed out by this feed.
    let p = assert_problem(
        v.get("/api/v1/events?after=6").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "unknown_cursor");
    for limit in ["0", "1001"] {
        let p = assert_problem(
            v.get(&format!("/api/v1/events?limit={limit}")).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(p["errors"][0]["field"], "limit");
    }
    assert_problem(
        v.get("/api/v1/events?limit=x").await,
        400,
        "invalid_query_parameter",
    )
    .await;
    assert_problem(
        v.get("/api/v1/events?cursor=1").await,
        400,
        "invalid_query_parameter",
    )
    .await;
    let anonymous = app
        .send(app.req(reqwest::Method::GET, "/api/v1/events", None))
        .await;
    assert_problem(anonymous, 401, "missing_token").await;
    // The largest page is 1000.
    let (events, _) = read(v, "?limit=1000").await;
    assert_eq!(events.len(), 5);
}
