//! The change feed (`GET /api/v1/events`): one CloudEvents event per committed workflow change,
//! written in the change's transaction, read in commit order from a cursor.

mod concurrency;
mod failures;
mod follow_script;
mod follow_through;
mod paging;
mod retention;
mod visibility;
mod workflow;

use serde_json::Value;

use crate::helpers::*;

/// One read of the feed: its events and its `next_cursor`.
pub(crate) async fn read(s: &Session, query: &str) -> (Vec<Value>, String) {
    let v = ok(s.get(&format!("/api/v1/events{query}")).await, 200).await;
    let events = v["events"].as_array().unwrap().clone();
    (events, v["next_cursor"].as_str().unwrap().to_string())
}

/// Every event after `cursor` (from the start when `None`), page after page of `limit`, and
/// the cursor after the last.
pub(crate) async fn since(s: &Session, cursor: Option<&str>, limit: u32) -> (Vec<Value>, String) {
    let mut all = vec![];
    let mut cursor = cursor.map(str::to_string);
    loop {
        let query = match &cursor {
            Some(c) => format!("?after={c}&limit={limit}"),
            None => format!("?limit={limit}"),
        };
        let (events, next) = read(s, &query).await;
        let done = events.is_empty() && cursor.as_deref() == Some(next.as_str());
        all.extend(events);
        cursor = Some(next);
        if done {
            return (all, cursor.unwrap());
        }
    }
}

/// The one event after `cursor`, which moves past it.
pub(crate) async fn next_one(s: &Session, cursor: &mut String) -> Value {
    let (events, next) = read(s, &format!("?after={cursor}")).await;
    assert_eq!(events.len(), 1, "one event after {cursor}: {events:#?}");
    *cursor = next;
    events.into_iter().next().unwrap()
}

/// The `type` of each event.
pub(crate) fn types(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["type"].as_str().unwrap()).collect()
}

/// The `seq` of each event.
pub(crate) fn seqs(events: &[Value]) -> Vec<i64> {
    events.iter().map(|e| e["seq"].as_i64().unwrap()).collect()
}

/// Asserts that `event` is `type` about `subject`, carrying `answer` (the body the change was
/// answered with) as its data.
pub(crate) fn assert_event(event: &Value, ty: &str, subject: &str, answer: &Value) {
    assert_eq!(event["type"], ty, "{event:#}");
    assert_eq!(event["subject"], subject, "{event:#}");
    assert_eq!(
        &event["data"], answer,
        "{ty}: the data is the answer to the change"
    );
}

/// Asserts that the one event after `cursor` is `ty` about `subject` carrying `answer`, and
/// moves the cursor past it.
pub(crate) async fn expect_next(
    feed: &Session,
    cursor: &mut String,
    ty: &str,
    subject: &str,
    answer: &Value,
) {
    assert_event(&next_one(feed, cursor).await, ty, subject, answer);
}
