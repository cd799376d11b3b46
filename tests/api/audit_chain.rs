//! The audit trail as a hash chain: every event carries its seq and hashes, the verify endpoint
//! and the CLI recompute the chain and name the first event that does not fit, and the database
//! itself refuses to change or delete events.

use std::process::Command;

use reqwest::Method;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, TransactionTrait};
use serde_json::{json, Value};

use crate::helpers::*;
use budget_monitor::domain::audit_chain::ChainedEvent;

fn on_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok_and(|s| !s.is_empty())
}

/// A connection of our own to the app's database, as a DBA would open one.
async fn dba(app: &TestApp) -> DatabaseConnection {
    sea_orm::Database::connect(&app.settings.database_url)
        .await
        .expect("the test database connects")
}

/// Every event, oldest first.
async fn events(app: &TestApp, admin: &str) -> Vec<Value> {
    let mut all = app.audit(admin, "").await;
    all.reverse();
    all
}

async fn verify(app: &TestApp, token: &str) -> Value {
    let r = app.get("/api/v1/audit-events/verify", token).await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// An app with a few events: the admin's sign-in and four units created.
async fn app_with_events() -> (TestApp, String) {
    let app = spawn_app().await;
    let admin = app.admin().await;
    for code in ["A1", "A2", "A3", "A4"] {
        app.create_unit(&admin, code).await;
    }
    (app, admin)
}

/// Runs `budget-monitor audit verify` on the app's database.
fn cli_verify(app: &TestApp) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_budget-monitor"))
        .args(["audit", "verify"])
        .env("DATABASE_URL", &app.settings.database_url)
        .env("BM_DATA_DIR", &app.settings.data_dir)
        .env("BM_JWT_SECRET", JWT_SECRET)
        .env_remove("BM_ADMIN_PASSWORD")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

/// Runs SQL on the audit table with its triggers out of the way, as a DBA could: on
/// PostgreSQL in a transaction with `session_replication_role = replica`, on SQLite after
/// dropping the triggers.
async fn as_dba_bypassing_triggers(db: &DatabaseConnection, sql: &str) {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let txn = db.begin().await.unwrap();
            txn.execute_unprepared("SET LOCAL session_replication_role = replica")
                .await
                .unwrap();
            txn.execute_unprepared(sql).await.unwrap();
            txn.commit().await.unwrap();
        }
        _ => {
            db.execute_unprepared("DROP TRIGGER IF EXISTS audit_events_no_update")
                .await
                .unwrap();
            db.execute_unprepared("DROP TRIGGER IF EXISTS audit_events_no_delete")
                .await
                .unwrap();
            db.execute_unprepared(sql).await.unwrap();
        }
    }
}

#[tokio::test]
async fn every_event_carries_its_place_in_an_intact_hash_chain() {
    let (app, admin) = app_with_events().await;
    let all = events(&app, &admin).await;
    assert_eq!(all.len(), 5, "a sign-in and four units");
    let mut prev = "0".repeat(64);
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e["seq"], i as i64 + 1);
        assert_eq!(
            e["prev_hash"],
            prev.as_str(),
            "event {i} links to the one before"
        );
        let hash = e["hash"].as_str().unwrap();
        assert!(hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()));
        prev = hash.to_string();
    }
    let v = verify(&app, &admin).await;
    assert_eq!(v["intact"], true, "{v}");
    assert_eq!(v["events_checked"], 5);
    assert_eq!(v["head_seq"], 5);
    assert_eq!(v["last_seq"], 5);
    assert_eq!(v["last_hash"], prev.as_str());
    assert_eq!(v["first_break"], Value::Null);
    let fifth = app.audit(&admin, "seq=5").await;
    assert_eq!(fifth.len(), 1);
    assert_eq!(fifth[0]["hash"], v["last_hash"]);
    // Places in the chain start at 1.
    for bad in ["0", "-1"] {
        let r = app
            .get(&format!("/api/v1/audit-events?seq={bad}"), &admin)
            .await;
        let p = assert_problem(r, 422, "validation_failed").await;
        assert_eq!(p["errors"][0]["field"], "seq", "{p}");
    }

    let out = cli_verify(&app);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("audit trail intact: 5 events"), "{stdout}");
}

/// The event a listed one stands for, read field by field from its JSON.
fn chained(e: &Value) -> ChainedEvent {
    let text = |k: &str| e[k].as_str().map(str::to_string);
    let uuid = |k: &str| text(k).map(|s| s.parse().unwrap());
    let json = |k: &str| Some(e[k].clone()).filter(|v| !v.is_null());
    ChainedEvent {
        seq: e["seq"].as_i64().unwrap(),
        prev_hash: text("prev_hash").unwrap(),
        id: uuid("id").unwrap(),
        occurred_at: text("occurred_at").unwrap().parse().unwrap(),
        actor_id: uuid("actor_id"),
        actor_username: text("actor_username"),
        actor_role: text("actor_role"),
        actor_unit_id: uuid("actor_unit_id"),
        action: text("action").unwrap(),
        resource_type: text("resource_type").unwrap(),
        resource_id: text("resource_id"),
        request_id: text("request_id").unwrap(),
        client_request_id: text("client_request_id"),
        client_addr: text("client_addr"),
        outcome: text("outcome").unwrap(),
        before: json("before"),
        after: json("after"),
    }
}

#[tokio::test]
async fn a_listed_event_shows_every_field_its_hash_covers_as_stored() {
    let (app, admin) = app_with_events().await;
    let unit = app.create_unit(&admin, "B1").await;
    // A change with a before, an after and the client's own request id.
    let r = app
        .send(
            app.req(
                Method::PATCH,
                &format!("/api/v1/units/{unit}"),
                Some(&admin),
            )
            .header("If-Match", "\"1\"")
            .header("X-Request-Id", "rename-b1")
            .json(&json!({"name": "改名"})),
        )
        .await;
    assert_eq!(r.status(), 200);
    let all = events(&app, &admin).await;
    let renamed = all.last().unwrap();
    assert!(!renamed["before"].is_null() && !renamed["after"].is_null());
    assert_eq!(renamed["client_request_id"], "rename-b1");
    for e in &all {
        assert_eq!(
            chained(e).compute_hash(),
            e["hash"].as_str().unwrap(),
            "{e}"
        );
    }
}

#[tokio::test]
async fn only_admin_and_finance_verify_the_trail() {
    let app = spawn_app().await;
    let roles = app.roles().await;
    assert_eq!(verify(&app, &roles.finance).await["intact"], true);
    for token in [&roles.reporter, &roles.viewer] {
        let r = app.get("/api/v1/audit-events/verify", token).await;
        assert_problem(r, 403, "forbidden").await;
    }
    let r = app
        .send(app.req(Method::GET, "/api/v1/audit-events/verify", None))
        .await;
    assert_problem(r, 401, "missing_token").await;
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_audit_events() {
    let (app, admin) = app_with_events().await;
    let db = dba(&app).await;
    for sql in [
        "UPDATE audit_events SET action = 'unit.delete' WHERE seq = 3",
        "DELETE FROM audit_events WHERE seq = 3",
        "DELETE FROM audit_events",
    ] {
        let err = db.execute_unprepared(sql).await.expect_err(sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    if db.get_database_backend() == DbBackend::Postgres {
        let err = db
            .execute_unprepared("TRUNCATE audit_events")
            .await
            .expect_err("truncate");
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    assert_eq!(events(&app, &admin).await.len(), 5);
    assert_eq!(verify(&app, &admin).await["intact"], true);
}

#[tokio::test]
async fn an_event_edited_in_the_database_is_named_by_verification() {
    let (app, admin) = app_with_events().await;
    let third = events(&app, &admin).await[2].clone();
    let db = dba(&app).await;
    as_dba_bypassing_triggers(
        &db,
        "UPDATE audit_events SET resource_type = 'forged' WHERE seq = 3",
    )
    .await;

    let v = verify(&app, &admin).await;
    assert_eq!(v["intact"], false, "{v}");
    assert_eq!(v["events_checked"], 2);
    let b = &v["first_break"];
    assert_eq!(b["event_id"], third["id"], "{v}");
    assert_eq!(b["seq"], 3);
    assert_eq!(b["reason"], "hash_mismatch");

    let out = cli_verify(&app);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(third["id"].as_str().unwrap())
            && stderr.contains("seq 3")
            && stderr.contains("hash_mismatch"),
        "{stderr}"
    );
}

#[tokio::test]
async fn an_event_deleted_in_the_database_is_named_by_verification() {
    let (app, admin) = app_with_events().await;
    let fourth = events(&app, &admin).await[3].clone();
    let db = dba(&app).await;
    as_dba_bypassing_triggers(&db, "DELETE FROM audit_events WHERE seq = 3").await;

    let v = verify(&app, &admin).await;
    assert_eq!(v["intact"], false, "{v}");
    let b = &v["first_break"];
    assert_eq!(b["event_id"], fourth["id"], "the event after the gap: {v}");
    assert_eq!(b["seq"], 4);
    assert_eq!(b["expected_seq"], 3);
    assert_eq!(b["reason"], "missing_seq");

    let out = cli_verify(&app);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(fourth["id"].as_str().unwrap()) && stderr.contains("missing_seq"),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_last_event_deleted_in_the_database_shows_against_the_chain_head() {
    let (app, admin) = app_with_events().await;
    let db = dba(&app).await;
    as_dba_bypassing_triggers(&db, "DELETE FROM audit_events WHERE seq = 5").await;
    let v = verify(&app, &admin).await;
    assert_eq!(v["intact"], false, "{v}");
    assert_eq!(v["first_break"]["reason"], "missing_tail");
    assert_eq!(v["first_break"]["seq"], 5);
    assert_eq!(v["first_break"]["event_id"], Value::Null);
}

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

#[tokio::test]
async fn events_written_before_the_chain_existed_are_chained_by_the_migration() {
    use migration::MigratorTrait;
    use sea_orm::sea_query::{Alias, Query};

    let dir = temp_dir();
    let url = fresh_database(&dir).await;
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
