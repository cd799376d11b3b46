//! The feed under concurrent writers: on PostgreSQL two instances share the database, each
//! with several writers, while a reader polls the feed from its cursor through both. Every
//! committed change must reach the reader exactly once, in one gapless run of positions —
//! even though positions are taken before commits that finish in any order.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde_json::{json, Value};

use crate::helpers::*;

fn on_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok_and(|s| !s.is_empty())
}

/// One poll of the feed at `address` after `cursor`.
async fn poll(
    client: &reqwest::Client,
    address: &str,
    token: &str,
    cursor: &str,
) -> (Vec<Value>, String) {
    let r = client
        .get(format!("{address}/api/v1/events?after={cursor}&limit=7"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let next = v["next_cursor"].as_str().unwrap().to_string();
    (v["events"].as_array().unwrap().clone(), next)
}

/// A writer: `n` project items for its unit, every third request invalid (422, no event).
/// Returns the ids of the items made.
async fn write(
    client: reqwest::Client,
    address: String,
    token: String,
    w: usize,
    n: usize,
) -> Vec<String> {
    let mut made = vec![];
    for i in 0..n {
        let mut body = json!({"year": 2026, "kind": "project", "name": format!("项目{w}-{i}"),
            "budget": {"fiscal": "10", "union": "5"}, "start_year": 2026, "end_year": 2026});
        let refused = i % 3 == 2;
        if refused {
            body["budget"]["fiscal"] = json!("-1");
        }
        let r = client
            .post(format!("{address}/api/v1/items"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let v: Value = r.json().await.unwrap();
        if refused {
            assert_eq!(status, 422, "{v}");
        } else {
            assert_eq!(status, 201, "{v}");
            made.push(v["id"].as_str().unwrap().to_string());
        }
    }
    made
}

/// A reader: polls the feed through each of `targets` in turn, resuming from its cursor, until
/// a poll after `done` finds nothing new. Returns what it read and how many polls it took.
async fn follow(
    targets: Vec<(reqwest::Client, String)>,
    token: String,
    done: Arc<AtomicBool>,
) -> (Vec<Value>, usize) {
    let mut seen = vec![];
    let mut cursor = "0".to_string();
    let mut polls = 0usize;
    loop {
        // Once the writers are done, an empty answer means everything was read.
        let last_round = done.load(Ordering::SeqCst);
        let (client, address) = &targets[polls % targets.len()];
        polls += 1;
        let (events, next) = poll(client, address, &token, &cursor).await;
        let got = !events.is_empty();
        seen.extend(events);
        cursor = next;
        if last_round && !got {
            return (seen, polls);
        }
    }
}

#[tokio::test]
async fn a_reader_polling_during_concurrent_writes_on_two_instances_sees_each_change_once_in_order()
{
    let first = spawn_app().await;
    // On SQLite the one instance has one writer connection anyway.
    let second = if on_postgres() {
        Some(spawn_with(first.settings.clone()).await)
    } else {
        None
    };
    let apps: Vec<&TestApp> = std::iter::once(&first).chain(second.as_ref()).collect();
    let viewer = first.as_viewer().await.token.clone();
    let writers = if on_postgres() { 12 } else { 6 };
    let per_writer = 9;
    let mut tokens = vec![];
    for w in 0..writers {
        let unit = first.unit(&format!("W{w}")).await.id;
        tokens.push(first.as_reporter(unit).await.token.clone());
    }

    let done = Arc::new(AtomicBool::new(false));
    let targets = apps
        .iter()
        .map(|a| (a.client.clone(), a.address.clone()))
        .collect();
    let reader = tokio::spawn(follow(targets, viewer, done.clone()));
    let mut tasks = vec![];
    for (w, token) in tokens.into_iter().enumerate() {
        let app = apps[w % apps.len()];
        let (client, address) = (app.client.clone(), app.address.clone());
        tasks.push(tokio::spawn(write(client, address, token, w, per_writer)));
    }
    let mut made = vec![];
    for t in tasks {
        made.extend(t.await.unwrap());
    }
    done.store(true, Ordering::SeqCst);
    let (seen, polls) = reader.await.unwrap();

    let expected = writers * (per_writer - per_writer / 3);
    assert_eq!(made.len(), expected);
    assert!(
        polls > 2,
        "the reader polled while the writers wrote ({polls} polls)"
    );
    let seqs: Vec<i64> = seen.iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert_eq!(
        seqs,
        (1..=expected as i64).collect::<Vec<_>>(),
        "one gapless run, in order, each once"
    );
    let mut subjects: Vec<String> = seen
        .iter()
        .map(|e| {
            assert_eq!(e["type"], "item.created");
            e["subject"].as_str().unwrap().to_string()
        })
        .collect();
    let mut expected_subjects: Vec<String> = made.iter().map(|id| format!("items/{id}")).collect();
    subjects.sort();
    expected_subjects.sort();
    assert_eq!(
        subjects, expected_subjects,
        "every committed change, and nothing else"
    );
}
