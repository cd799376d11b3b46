//! Period and account writes through the one write pipeline: the audit trail keeps its shapes
//! (a status step, an extension's earlier date, a password without the password), a retried
//! period creation answers the first response, and each 409 names its specific code.

use serde_json::{json, Value};

use crate::helpers::{ok, spawn_app, ALREADY_EXISTS};

const H1: &str = r#"{"year": 2026, "kind": "h1", "as_of": "2026-06-30", "submission_deadline": "2026-07-10", "report_deadline": "2026-07-31"}"#;

#[tokio::test]
async fn period_steps_and_extensions_are_audited_as_before() {
    let app = spawn_app().await;
    let r = app.roles().await;
    let body: Value = serde_json::from_str(H1).unwrap();
    let id = r.finance.created("/api/v1/periods", body).await.id;
    let opened = r
        .finance
        .post(&format!("/api/v1/periods/{id}/open"), json!({}))
        .await;
    assert_eq!(opened.headers()["etag"], "\"2\"");
    ok(opened, 200).await;
    // Granted (201), then moved (200).
    for (until, status) in [("2026-07-15", 201), ("2026-07-20", 200)] {
        let extension = json!({"unit_id": r.unit, "until": until});
        let path = format!("/api/v1/periods/{id}/extensions");
        let e = r.finance.post(&path, extension).await;
        assert!(e.headers().get("location").is_none());
        assert_eq!(ok(e, status).await["until"], until);
    }

    let open = app.audit(&r.admin, "action=period.open").await;
    assert_eq!(open.len(), 1);
    assert_eq!(open[0]["before"], json!({"status": "draft"}));
    assert_eq!(open[0]["after"], json!({"status": "open"}));
    let ext = app.audit(&r.admin, "action=period.extension").await;
    assert_eq!(ext.len(), 2);
    // Newest first: the move names the earlier date; the first grant had none.
    assert_eq!(ext[0]["before"], json!({"until": "2026-07-15"}));
    assert_eq!(ext[0]["after"]["until"], "2026-07-20");
    assert_eq!(ext[1]["before"], Value::Null);
    let created = app.audit(&r.admin, "action=period.create").await;
    assert_eq!(created[0]["after"]["name"], "2026年上半年预算绩效运行监控");
    assert_eq!(created[0]["after"]["thresholds"]["red_below"], "60");
}

#[tokio::test]
async fn a_retried_period_creation_gets_the_first_answer() {
    let app = spawn_app().await;
    let r = app.roles().await;
    let body: Value = serde_json::from_str(H1).unwrap();
    let send = || {
        r.finance
            .post_keyed("/api/v1/periods", "period-2026-h1", &body)
    };
    let first = ok(send().await, 201).await;
    let again = send().await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let again = ok(again, 201).await;
    assert_eq!(again["id"], first["id"]);
    // Without the key, the second h1 of the year is refused as already existing.
    r.finance
        .post_is("/api/v1/periods", body.clone(), ALREADY_EXISTS)
        .await;
}

#[tokio::test]
async fn a_password_reset_is_audited_without_the_password() {
    let app = spawn_app().await;
    let r = app.roles().await;
    let (id, _) = app.new_user("someone", "viewer", None).await;
    let password = json!({"password": "a brand new secret"});
    let path = format!("/api/v1/users/{id}/password");
    r.admin.post_is(&path, password, 200).await;
    let events = app.audit(&r.admin, "action=user.reset_password").await;
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["before"]["password"], "[redacted]");
    assert_eq!(events[0]["after"]["password"], "[redacted]");
    assert_eq!(events[0]["after"]["version"], 2);
    app.login("someone", "a brand new secret").await;
}
