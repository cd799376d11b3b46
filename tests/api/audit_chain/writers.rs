//! Concurrent writers append to one chain without gaps.

use serde_json::{json, Value};

use super::{on_postgres, verify};
use crate::helpers::*;

#[tokio::test]
async fn parallel_writers_on_two_instances_append_one_gapless_chain() {
    // Two instances on one database on PostgreSQL; one instance on SQLite (one writer).
    let first = spawn_app().await;
    let second = if on_postgres() {
        Some(spawn_with(first.settings.clone()).await)
    } else {
        None
    };
    let admin = first.admin().await;
    let writers = if on_postgres() { 32 } else { 8 };
    let per_writer = 4;
    let mut tasks = vec![];
    for w in 0..writers {
        let app = match &second {
            Some(second) if w % 2 == 1 => second,
            _ => &first,
        };
        let (address, client, admin) = (app.address.clone(), app.client.clone(), admin.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..per_writer {
                let code = format!("P{w}-{i}");
                let r = client
                    .post(format!("{address}/api/v1/units"))
                    .bearer_auth(&admin)
                    .json(
                        &json!({"code": code, "name": format!("单位{code}"), "kind": "department"}),
                    )
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let expected = 1 + writers * per_writer;
    let v = verify(&first, &admin).await;
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(v["events_checked"], expected as u64);
    let mut seqs = vec![];
    let mut page = 1;
    loop {
        let r = first
            .get(
                &format!("/api/v1/audit-events?per_page=200&page={page}"),
                &admin,
            )
            .await;
        let body: Value = r.json().await.unwrap();
        let items = body["items"].as_array().unwrap();
        if items.is_empty() {
            break;
        }
        seqs.extend(items.iter().map(|e| e["seq"].as_i64().unwrap()));
        page += 1;
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=expected as i64).collect::<Vec<_>>());
}
