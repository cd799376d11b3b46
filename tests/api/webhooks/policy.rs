//! Where webhooks may go: `https://` on public addresses only, unless private targets are
//! allowed; the URL's text is checked at registration, the addresses its host resolves to at
//! every delivery.

use serde_json::json;

use super::*;

/// Like the tests' fast settings, but with the default target policy.
fn strict(s: &mut Settings) {
    fast(s);
    s.webhooks.allow_private = false;
}

#[tokio::test]
async fn plain_http_and_private_addresses_are_refused_at_registration() {
    let app = spawn_app_with(strict).await;
    let admin = app.as_admin().await;
    for (url, code) in [
        ("http://hooks.example.org/bm", "not_https"),
        ("https://127.0.0.1/bm", "private_address"),
        ("https://10.1.2.3:8443/bm", "private_address"),
        ("https://192.168.0.10/bm", "private_address"),
        ("https://169.254.169.254/latest", "private_address"),
        ("https://100.64.0.1/bm", "private_address"),
        ("https://[::1]/bm", "private_address"),
        ("https://[fd00::1]/bm", "private_address"),
        ("https://[::ffff:127.0.0.1]/bm", "private_address"),
        ("https://0.0.0.0/bm", "private_address"),
    ] {
        let body = json!({"url": url, "event_types": ["period.opened"]});
        let p = admin
            .post_is("/api/v1/webhooks", body, invalid("url"))
            .await;
        assert_eq!(p["errors"][0]["code"], code, "{url}");
    }
    register(&admin, "https://hooks.example.org/bm", &["period.opened"]).await;
    register(&admin, "https://93.184.216.34/bm", &["period.opened"]).await;
    let hook = register(&admin, "https://hooks.example.org/x", &["period.opened"]).await;
    // A change to a private URL is refused the same way.
    let path = format!("/api/v1/webhooks/{}", hook["id"].as_str().unwrap());
    let to_private = json!({"url": "https://127.0.0.1/x"});
    admin
        .patch_is(&path, Some("\"1\""), to_private, invalid("url"))
        .await;
    assert_eq!(admin.total("/api/v1/webhooks").await, 3);
}

#[tokio::test]
async fn private_targets_are_accepted_when_allowed() {
    let app = spawn_webhook_app().await;
    let admin = app.as_admin().await;
    for url in [
        "http://127.0.0.1:9/bm",
        "https://10.1.2.3/bm",
        "http://localhost/bm",
    ] {
        register(&admin, url, &["period.opened"]).await;
    }
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_when_delivering() {
    let app = spawn_app_with(strict).await;
    let admin = app.as_admin().await;
    let receiver = Receiver::start(&[]).await;
    // The name passes registration; what it resolves to is checked at each attempt.
    let url = format!("https://localhost:{}/hook", receiver.port);
    let hook = register(&admin, &url, &["period.opened"]).await;
    open_a_period(&app, 2026).await;

    let (a, h) = (&admin, &hook);
    let d = eventually("a refused attempt", || async move {
        deliveries(a, h)
            .await
            .into_iter()
            .find(|d| !d["attempts"].as_array().unwrap().is_empty())
    })
    .await;
    let attempt = &d["attempts"][0];
    assert_eq!(attempt["status_code"], json!(null));
    let error = attempt["error"].as_str().unwrap();
    assert!(error.contains("loopback"), "{error}");
    assert_eq!(d["status"], "pending", "tried again later");
    assert!(
        receiver.received().is_empty(),
        "nothing reached the receiver"
    );
}
