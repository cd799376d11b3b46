use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn every_change_and_login_writes_one_audit_event() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let me: Value = app.get("/api/v1/me", &admin).await.json().await.unwrap();
    let admin_id = me["id"].as_str().unwrap().to_string();

    let r = app
        .req(reqwest::Method::POST, "/api/v1/units", Some(&admin))
        .header("X-Request-Id", "req-unit-create")
        .json(&json!({"code": "BGS", "name": "办公室", "kind": "department"}))
        .send()
        .await
        .unwrap();
    let server_request_id = r.headers()["x-request-id"].to_str().unwrap().to_string();
    let unit: Value = r.json().await.unwrap();
    let unit_id = unit["id"].as_str().unwrap();
    app.patch(
        &format!("/api/v1/units/{unit_id}"),
        &admin,
        Some("\"1\""),
        json!({"name": "办公室（党办）"}),
    )
    .await;
    let (user_id, _) = app.create_user(&admin, "auditor", "viewer", None).await;
    app.patch(
        &format!("/api/v1/users/{user_id}"),
        &admin,
        Some("\"1\""),
        json!({"role": "finance"}),
    )
    .await;
    app.post(
        &format!("/api/v1/users/{user_id}/password"),
        &admin,
        json!({"password": "new-password-123"}),
    )
    .await;
    app.try_login("auditor", "wrong-password!").await;

    let created = app
        .audit(&admin, &format!("resource_id={unit_id}&action=unit.create"))
        .await;
    assert_eq!(created.len(), 1);
    let e = &created[0];
    assert_eq!(e["actor_id"], admin_id.as_str());
    assert_eq!(e["actor_role"], "admin");
    assert_eq!(e["resource_type"], "unit");
    assert_eq!(e["request_id"], server_request_id.as_str());
    assert_eq!(e["client_request_id"], "req-unit-create");
    assert_eq!(e["client_addr"], "127.0.0.1");
    assert_eq!(e["outcome"], "success");
    assert_eq!(e["before"], Value::Null);
    assert_eq!(e["after"]["code"], "BGS");

    let updated = app.audit(&admin, "action=unit.update").await;
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0]["before"]["name"], "办公室");
    assert_eq!(updated[0]["after"]["name"], "办公室（党办）");

    for (action, n) in [
        ("user.create", 1),
        ("user.update", 1),
        ("user.reset_password", 1),
        ("auth.login_failed", 1),
    ] {
        let events = app.audit(&admin, &format!("action={action}")).await;
        assert_eq!(events.len(), n, "{action}");
    }
    let everything = app
        .get("/api/v1/audit-events?per_page=200", &admin)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !everything.contains("$argon2"),
        "no password hash in the trail"
    );
    assert!(
        !everything.contains("new-password-123"),
        "no password in the trail"
    );
    assert!(!everything.contains(PASSWORD), "no password in the trail");

    let failed = app.audit(&admin, "action=auth.login_failed").await;
    assert_eq!(failed[0]["outcome"], "failure");
    assert_eq!(failed[0]["after"]["username"], "auditor");
    let by_actor = app
        .audit(&admin, &format!("actor_id={admin_id}&resource_type=user"))
        .await;
    assert_eq!(by_actor.len(), 3);
}

#[tokio::test]
async fn successful_and_throttled_logins_are_audited() {
    within_one_window().await;
    let app = spawn_app().await;
    let admin = app.admin().await;
    let (_, auditor) = app.create_user(&admin, "second.admin", "admin", None).await;
    for _ in 0..6 {
        app.try_login("admin", "wrong-password!").await;
    }
    let failed = app.audit(&auditor, "action=auth.login_failed").await;
    assert_eq!(failed.len(), 5);
    let throttled = app.audit(&auditor, "action=auth.login_throttled").await;
    assert_eq!(throttled.len(), 1);
    assert_eq!(throttled[0]["outcome"], "denied");
    assert_eq!(throttled[0]["after"]["username"], "admin");
    let logins = app.audit(&auditor, "action=auth.login").await;
    assert_eq!(logins.len(), 2, "admin once, second.admin once");
}

#[tokio::test]
async fn only_admin_and_finance_read_the_audit_trail_and_nobody_changes_it() {
    let app = spawn_app().await;
    let roles = app.roles().await;
    for token in [&roles.admin, &roles.finance] {
        assert_eq!(app.get("/api/v1/audit-events", token).await.status(), 200);
    }
    for token in [&roles.reporter, &roles.viewer] {
        assert_problem(
            app.get("/api/v1/audit-events", token).await,
            403,
            "forbidden",
        )
        .await;
    }
    for method in [
        reqwest::Method::POST,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
        reqwest::Method::PATCH,
    ] {
        let r = app
            .req(method, "/api/v1/audit-events", Some(&roles.admin))
            .send()
            .await
            .unwrap();
        assert_problem(r, 405, "method_not_allowed").await;
    }
}

#[tokio::test]
async fn audit_events_filter_by_time_range() {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let before = chrono::Utc::now() - chrono::Duration::seconds(1);
    app.create_unit(&admin, "T1").await;
    let after = chrono::Utc::now() + chrono::Duration::seconds(1);
    let q = |from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>| {
        format!(
            "action=unit.create&from={}&to={}",
            urlencode(&from.to_rfc3339()),
            urlencode(&to.to_rfc3339())
        )
    };
    assert_eq!(app.audit(&admin, &q(before, after)).await.len(), 1);
    assert_eq!(
        app.audit(&admin, &q(after, after + chrono::Duration::hours(1)))
            .await
            .len(),
        0
    );
    assert_problem(
        app.get("/api/v1/audit-events?from=yesterday", &admin).await,
        400,
        "invalid_query_parameter",
    )
    .await;
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}
