//! A trail changed behind the service's back: the database refuses it, and what a DBA forces
//! through is named by verification.

use sea_orm::{ConnectionTrait, DbBackend};
use serde_json::Value;

use super::{app_with_events, as_dba_bypassing_triggers, cli_verify, dba, events, verify};

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
