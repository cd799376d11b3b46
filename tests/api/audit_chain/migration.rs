//! Events written before the chain existed get their places from the migration.

use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use super::{events, verify};
use crate::helpers::*;

#[tokio::test]
async fn events_written_before_the_chain_existed_are_chained_by_the_migration() {
    use migration::MigratorTrait;
    use sea_orm::sea_query::{Alias, Query};

    let scratch = Scratch::new().await;
    let (dir, url) = (scratch.dir.clone(), scratch.url.clone());
    let db = sea_orm::Database::connect(&url).await.unwrap();
    // The schema as it was before the chain (the first five migrations).
    migration::Migrator::up(&db, Some(5)).await.unwrap();
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-07-08T02:15:00.123456Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    // Written out of time order: the migration chains them by (occurred_at, id).
    let old = [
        (uuid::Uuid::from_u128(3), t0 + chrono::Duration::seconds(2)),
        (uuid::Uuid::from_u128(1), t0),
        (uuid::Uuid::from_u128(2), t0 + chrono::Duration::seconds(1)),
    ];
    for (id, at) in old {
        let q = Query::insert()
            .into_table(Alias::new("audit_events"))
            .columns(
                [
                    "id",
                    "occurred_at",
                    "actor_username",
                    "action",
                    "resource_type",
                    "resource_id",
                    "request_id",
                    "outcome",
                    "after",
                ]
                .map(Alias::new),
            )
            .values_panic([
                id.into(),
                at.into(),
                "admin".into(),
                "unit.create".into(),
                "unit".into(),
                id.to_string().into(),
                "old-request".into(),
                "success".into(),
                json!({"name": "组织部", "code": "ZZB", "version": 1, "rate": 0.5}).into(),
            ])
            .to_owned();
        db.execute(&q).await.unwrap();
    }
    migration::Migrator::up(&db, None).await.unwrap();
    // The migration can be undone and redone.
    migration::Migrator::down(&db, Some(2)).await.unwrap();
    migration::Migrator::up(&db, None).await.unwrap();
    db.close().await.unwrap();

    let app = spawn_with(test_settings(dir, url)).await;
    let admin = app.admin().await;
    let all = events(&app, &admin).await;
    let first: Vec<(i64, String)> = all[..3]
        .iter()
        .map(|e| {
            (
                e["seq"].as_i64().unwrap(),
                e["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        first,
        (1..=3)
            .map(|n| (n as i64, uuid::Uuid::from_u128(n).to_string()))
            .collect::<Vec<_>>()
    );
    assert_eq!(all[0]["client_request_id"], Value::Null);
    let v = verify(&app, &admin).await;
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(v["events_checked"], all.len() as u64);
}
