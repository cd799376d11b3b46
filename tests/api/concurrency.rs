//! Many clients writing at once: every write is answered (no 5xx; a rare 503 with Retry-After
//! is allowed) and every acknowledged write is stored.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::*;

/// Writers at once: 8 on SQLite (a unit's staff on deadline day), 32 on PostgreSQL.
fn writers() -> usize {
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|s| !s.is_empty()) {
        32
    } else {
        8
    }
}

/// What came back for one write.
enum Outcome {
    Created(String, Uuid),
    Status(u16, bool),
}

/// One writer: alternately creates a unit (as admin) and an item of its own unit (as its
/// reporter), each with a name no other write uses.
async fn write_many(admin: &Session, reporter: &Session, w: usize, n: usize) -> Vec<Outcome> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let (path, token, body) = if i % 2 == 0 {
            let code = format!("C{w}-{i}");
            (
                "units",
                admin,
                json!({"code": code, "name": format!("单位{code}"), "kind": "department"}),
            )
        } else {
            let name = format!("项目{w}-{i}");
            (
                "items",
                reporter,
                json!({"year": 2026, "kind": "project", "name": name, "start_year": 2026, "end_year": 2026, "budget": {"fiscal": "1.5", "union": "2"}}),
            )
        };
        let r = token.post(&format!("/api/v1/{path}"), body).await;
        let status = r.status().as_u16();
        let retry_after = r.headers().contains_key("retry-after");
        if status == 201 {
            let v: Value = r.json().await.unwrap();
            out.push(Outcome::Created(
                path.to_string(),
                v["id"].as_str().unwrap().parse().unwrap(),
            ));
        } else {
            out.push(Outcome::Status(status, retry_after));
        }
    }
    out
}

#[tokio::test]
async fn concurrent_writers_get_no_server_errors_and_every_acknowledged_write_is_stored() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let n_writers = writers();
    let per_writer = 480usize.div_ceil(n_writers);
    let mut reporters = vec![];
    for w in 0..n_writers {
        let unit = app.unit(&format!("W{w}")).await.id;
        let writer = format!("writer{w}");
        reporters.push(app.sign_up(&writer, "reporter", Some(unit)).await);
    }

    let started = std::time::Instant::now();
    let tasks: Vec<_> = reporters
        .iter()
        .enumerate()
        .map(|(w, rep)| write_many(&admin, rep, w, per_writer))
        .collect();
    let results: Vec<Outcome> = futures_util::future::join_all(tasks)
        .await
        .into_iter()
        .flatten()
        .collect();
    let elapsed = started.elapsed();

    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    let mut created = vec![];
    for r in &results {
        match r {
            Outcome::Created(path, id) => {
                *by_status.entry(201).or_default() += 1;
                created.push((path.clone(), *id));
            }
            Outcome::Status(s, retry_after) => {
                *by_status.entry(*s).or_default() += 1;
                assert!(*s != 503 || *retry_after, "a 503 without Retry-After");
            }
        }
    }
    eprintln!(
        "{n_writers} writers, {} writes in {elapsed:?}: {by_status:?}",
        results.len()
    );
    let unavailable = by_status.get(&503).copied().unwrap_or(0);
    let other_errors: usize = by_status
        .iter()
        .filter(|(s, _)| **s != 201 && **s != 503)
        .map(|(_, n)| n)
        .sum();
    assert!(results.len() >= 400);
    assert_eq!(
        other_errors, 0,
        "every write is created or answered 503: {by_status:?}"
    );
    assert!(
        unavailable * 100 < results.len(),
        "503 on 1 % or more: {by_status:?}"
    );

    // Every acknowledged write reads back, and nothing else was stored.
    for (path, id) in &created {
        let r = admin.get(&format!("/api/v1/{path}/{id}")).await;
        assert_eq!(
            r.status(),
            200,
            "{path}/{id} was acknowledged but is not stored"
        );
    }
    let units = created.iter().filter(|(p, _)| p == "units").count();
    let items = created.len() - units;
    let stored = admin.total("/api/v1/units?per_page=1").await;
    assert_eq!(stored, units + n_writers);
    assert_eq!(admin.total("/api/v1/items?per_page=1").await, items);
}
