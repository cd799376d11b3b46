//! Registering, reading, changing, rotating and deleting endpoints: admin only, audited, with
//! the secret shown once and bad input refused.

use serde_json::json;

use super::*;

#[tokio::test]
async fn only_the_admin_manages_webhooks() {
    let app = spawn_webhook_app().await;
    let roles = app.roles().await;
    let hook = register(
        &roles.admin,
        "https://hooks.example.org/bm",
        &["period.opened"],
    )
    .await;
    let path = format!("/api/v1/webhooks/{}", hook["id"].as_str().unwrap());
    let body = json!({"url": "https://hooks.example.org/x", "event_types": ["period.opened"]});
    for s in [&roles.finance, &roles.reporter, &roles.viewer] {
        s.post_is("/api/v1/webhooks", body.clone(), FORBIDDEN).await;
        s.get_is("/api/v1/webhooks", FORBIDDEN).await;
        s.get_is(&path, FORBIDDEN).await;
        s.patch_is(&path, Some("\"1\""), json!({"enabled": false}), FORBIDDEN)
            .await;
        s.step(&format!("{path}/rotate"), FORBIDDEN).await;
        s.get_is(&format!("{path}/deliveries"), FORBIDDEN).await;
        s.delete_is(&path, FORBIDDEN).await;
    }
    assert_eq!(roles.admin.total("/api/v1/webhooks").await, 1);
}

#[tokio::test]
async fn the_secret_is_shown_at_creation_and_rotation_only() {
    let app = spawn_webhook_app().await;
    let admin = app.as_admin().await;
    let r = admin
        .post(
            "/api/v1/webhooks",
            json!({"url": "https://hooks.example.org/bm", "event_types": ["submission.submitted", "period.opened"]}),
        )
        .await;
    assert_eq!(r.headers()["etag"], "\"1\"");
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let hook = ok(r, 201).await;
    let secret = hook["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &secret[6..])
            .unwrap()
            .len(),
        32
    );
    // Kept in the feed's order, enabled by default.
    assert_eq!(
        hook["event_types"],
        json!(["period.opened", "submission.submitted"])
    );
    assert_eq!(hook["enabled"], true);
    let read = admin.read(&location).await;
    assert!(read.get("secret").is_none(), "{read}");
    let list = admin.read("/api/v1/webhooks").await;
    assert!(list["items"][0].get("secret").is_none());

    let rotated = admin.act(&format!("{location}/rotate")).await;
    let new_secret = rotated["secret"].as_str().unwrap();
    assert!(new_secret.starts_with("whsec_") && new_secret != secret);
    assert_eq!(rotated["version"], 2);

    // Audited without the secret, and not in the change feed.
    let audit = app.audit(&admin, "resource_type=webhook").await;
    let actions: Vec<_> = audit
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["webhook.rotate_secret", "webhook.create"]);
    assert!(!serde_json::to_string(&audit)
        .unwrap()
        .contains(&secret[6..]));
    let feed = admin.read("/api/v1/events").await;
    assert_eq!(feed["events"], json!([]));
}

#[tokio::test]
async fn a_retried_create_answers_the_first_endpoint_without_its_secret() {
    let app = spawn_webhook_app().await;
    let admin = app.as_admin().await;
    let body = json!({"url": "https://hooks.example.org/bm", "event_types": ["period.opened"]});
    let first = ok(
        admin.post_keyed("/api/v1/webhooks", "k-1", &body).await,
        201,
    )
    .await;
    let again = ok(
        admin.post_keyed("/api/v1/webhooks", "k-1", &body).await,
        201,
    )
    .await;
    assert!(first["secret"].is_string());
    assert_eq!(again["id"], first["id"]);
    assert!(again.get("secret").is_none(), "{again}");
    assert_eq!(admin.total("/api/v1/webhooks").await, 1);
}

#[tokio::test]
async fn bad_endpoints_are_refused_with_the_field_named() {
    let app = spawn_webhook_app().await;
    let admin = app.as_admin().await;
    for (body, field, code) in [
        (
            json!({"url": "https://h.example.org", "event_types": []}),
            "event_types",
            "required",
        ),
        (
            json!({"url": "https://h.example.org", "event_types": ["period.sent"]}),
            "event_types[0]",
            "unknown_event_type",
        ),
        (
            json!({"url": "https://h.example.org", "event_types": ["period.opened", "period.opened"]}),
            "event_types[1]",
            "duplicate",
        ),
        (
            json!({"url": "ftp://h.example.org", "event_types": ["period.opened"]}),
            "url",
            "invalid_scheme",
        ),
        (
            json!({"url": "https://u:p@h.example.org", "event_types": ["period.opened"]}),
            "url",
            "credentials",
        ),
        (
            json!({"url": "not a url", "event_types": ["period.opened"]}),
            "url",
            "invalid",
        ),
    ] {
        let p = admin
            .post_is("/api/v1/webhooks", body.clone(), invalid(field))
            .await;
        assert_eq!(p["errors"][0]["code"], code, "{body}");
    }
    let unknown =
        json!({"url": "https://h.example.org", "event_types": ["period.opened"], "secret": "mine"});
    admin
        .post_is("/api/v1/webhooks", unknown, VALIDATION_FAILED)
        .await;
    assert_eq!(admin.total("/api/v1/webhooks").await, 0);
}

#[tokio::test]
async fn changes_need_the_current_etag_and_enabling_forgets_failures() {
    let app = spawn_webhook_app().await;
    let admin = app.as_admin().await;
    let hook = register(&admin, "https://hooks.example.org/bm", &["period.opened"]).await;
    let path = format!("/api/v1/webhooks/{}", hook["id"].as_str().unwrap());
    let off = json!({"enabled": false});
    admin
        .patch_is(
            &path,
            None,
            off.clone(),
            Expect::Problem(428, "precondition_required"),
        )
        .await;
    admin
        .patch_is(&path, Some("\"7\""), off.clone(), PRECONDITION_FAILED)
        .await;
    let changed = admin.patch_is(&path, Some("\"1\""), off, 200).await;
    assert_eq!(changed["enabled"], false);
    assert_eq!(changed["version"], 2);
    admin
        .patch_is(
            &path,
            Some("\"2\""),
            json!({"event_types": ["nope"]}),
            invalid("event_types[0]"),
        )
        .await;
    let body = json!({"enabled": true, "url": "https://other.example.org/in", "event_types": ["measure.decided"]});
    let back = admin.patch_is(&path, Some("\"2\""), body, 200).await;
    assert_eq!(back["url"], "https://other.example.org/in");
    assert_eq!(back["event_types"], json!(["measure.decided"]));
    assert_eq!(back["consecutive_failures"], 0);
    assert_eq!(admin.read(&path).await, back);
    let actions = app.audit(&admin, "resource_type=webhook").await.len();
    assert_eq!(actions, 3);
}

#[tokio::test]
async fn a_deleted_endpoint_is_gone_with_its_log() {
    let app = spawn_webhook_app().await;
    let admin = app.as_admin().await;
    let hook = register(&admin, "https://hooks.example.org/bm", &["period.opened"]).await;
    let path = format!("/api/v1/webhooks/{}", hook["id"].as_str().unwrap());
    admin.delete_is(&path, 204).await;
    admin.get_is(&path, NOT_FOUND).await;
    admin.get_is(&format!("{path}/deliveries"), NOT_FOUND).await;
    admin.delete_is(&path, NOT_FOUND).await;
    let audit = app.audit(&admin, "action=webhook.delete").await;
    assert_eq!(audit.len(), 1);
}
