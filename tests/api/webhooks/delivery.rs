//! What an endpoint gets: the feed's CloudEvent, signed as the Standard Webhooks convention
//! says, tried again after failures, and an endpoint that is gone or keeps failing disabled.

use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use super::*;

/// The signature the Standard Webhooks convention gives `r` under `secret`, computed here
/// from the documented algorithm.
fn expected_signature(secret: &str, r: &Received) -> String {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.", r.id, r.timestamp).as_bytes());
    mac.update(&r.body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

#[tokio::test]
async fn an_endpoint_gets_the_feeds_event_signed_with_its_secret() {
    let app = spawn_webhook_app().await;
    let admin = app.as_admin().await;
    let receiver = Receiver::start(&[]).await;
    let hook = register(&admin, &receiver.url, &["period.opened"]).await;
    let secret = hook["secret"].as_str().unwrap();
    let period = open_a_period(&app, 2026).await;

    let got = receiver.wait_for(1).await;
    let r = &got[0];
    let feed = admin.read("/api/v1/events").await;
    let event = feed["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        r.json(),
        event,
        "the body is the event as the feed shows it"
    );
    assert_eq!(event["type"], "period.opened");
    assert_eq!(event["data"], period);
    assert_eq!(r.id, event["id"].as_str().unwrap());
    assert_eq!(r.content_type, "application/cloudevents+json");
    let now = chrono::Utc::now().timestamp();
    let ts: i64 = r.timestamp.parse().unwrap();
    assert!((now - ts).abs() < 60, "{ts} is now");
    assert_eq!(r.signature, expected_signature(secret, r));
    // The README's verifiers accept it as it came.
    let delivery = crate::verify_webhook::Delivery {
        secret,
        id: &r.id,
        timestamp: r.timestamp.clone(),
        signature: r.signature.clone(),
        body: &r.body,
    };
    for script in ["verify-webhook.py", "verify-webhook.sh"] {
        assert!(
            crate::verify_webhook::verifies(script, &delivery, None),
            "{script}"
        );
    }
    // Only what it asked for: the period's creation is not in the feed, and nothing else came.
    let d = settled(&admin, &hook, "delivered").await;
    assert_eq!(d["event_id"], event["id"]);
    assert_eq!(d["attempts"][0]["status_code"], 200);
    assert_eq!(receiver.received().len(), 1);
}

#[tokio::test]
async fn a_rotated_secret_signs_the_next_deliveries() {
    let app = spawn_webhook_app().await;
    let admin = app.as_admin().await;
    let receiver = Receiver::start(&[]).await;
    let hook = register(&admin, &receiver.url, &["period.opened"]).await;
    let path = format!("/api/v1/webhooks/{}", hook["id"].as_str().unwrap());
    let rotated = admin.act(&format!("{path}/rotate")).await;
    open_a_period(&app, 2026).await;
    let r = &receiver.wait_for(1).await[0];
    assert_eq!(
        r.signature,
        expected_signature(rotated["secret"].as_str().unwrap(), r)
    );
    assert_ne!(
        r.signature,
        expected_signature(hook["secret"].as_str().unwrap(), r)
    );
}

#[tokio::test]
async fn failed_attempts_and_unfollowed_redirects_are_tried_again_until_one_succeeds() {
    let app = spawn_webhook_app().await;
    let admin = app.as_admin().await;
    let hold = Duration::ZERO;
    let receiver = Receiver::start(&[Reply(500, hold), Reply(307, hold)]).await;
    let hook = register(&admin, &receiver.url, &["period.opened"]).await;
    open_a_period(&app, 2026).await;

    let d = settled(&admin, &hook, "delivered").await;
    let got = receiver.received();
    assert_eq!(got.len(), 3);
    assert!(
        got.iter().all(|r| r.id == got[0].id),
        "one webhook-id for every attempt"
    );
    let codes: Vec<_> = d["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status_code"].clone())
        .collect();
    // The redirect was not followed: it is a failed attempt like the 500.
    assert_eq!(codes, [json!(500), json!(307), json!(200)]);
    let numbers: Vec<_> = d["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["attempt"].clone())
        .collect();
    assert_eq!(numbers, [json!(1), json!(2), json!(3)]);
    assert_eq!(d["attempts"][0]["error"], "the endpoint answered 500");
    assert_eq!(d["attempts"][2]["error"], json!(null));
    assert_eq!(d["next_attempt_at"], json!(null));
    // The success forgot the failures.
    let path = format!("/api/v1/webhooks/{}", hook["id"].as_str().unwrap());
    assert_eq!(admin.read(&path).await["consecutive_failures"], 0);
    // And the operator's metrics counted each attempt by what it led to (at least: other tests
    // in the same process share the recorder).
    let metrics = app
        .send(app.req(reqwest::Method::GET, "/metrics", None))
        .await;
    let metrics = metrics.text().await.unwrap();
    for (outcome, class) in [
        ("retrying", "5xx"),
        ("retrying", "3xx"),
        ("delivered", "2xx"),
    ] {
        assert!(
            attempts_counted(&metrics, outcome, class) >= 1.0,
            "{metrics}"
        );
    }
}

/// `bm_webhook_attempts_total` for one outcome and status class in a scrape (0 when absent).
fn attempts_counted(metrics: &str, outcome: &str, class: &str) -> f64 {
    let labels = [
        format!("outcome=\"{outcome}\""),
        format!("status=\"{class}\""),
    ];
    metrics
        .lines()
        .filter(|l| l.starts_with("bm_webhook_attempts_total{"))
        .find(|l| labels.iter().all(|want| l.contains(want.as_str())))
        .and_then(|l| l.rsplit_once(' ')?.1.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn an_endpoint_that_answers_410_is_disabled_at_once() {
    let app = spawn_webhook_app().await;
    let admin = app.as_admin().await;
    let receiver = Receiver::start(&[Reply(410, Duration::ZERO)]).await;
    let hook = register(&admin, &receiver.url, &["period.opened"]).await;
    open_a_period(&app, 2026).await;

    let d = settled(&admin, &hook, "failed").await;
    assert_eq!(d["attempts"].as_array().unwrap().len(), 1);
    let path = format!("/api/v1/webhooks/{}", hook["id"].as_str().unwrap());
    // The attempt is recorded, then the endpoint disabled: the two are moments apart.
    let (a, p) = (&admin, &path);
    let now = eventually("the endpoint disabled", || async move {
        let w = a.read(p).await;
        (w["enabled"] == false).then_some(w)
    })
    .await;
    assert!(
        now["disabled_reason"].as_str().unwrap().contains("410"),
        "{now}"
    );
    let audit = app.audit(&admin, "action=webhook.disable").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["actor_username"], "system:webhook-delivery");
    // Disabled, it gets nothing more.
    open_a_period(&app, 2027).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.received().len(), 1);
    assert_eq!(deliveries(&admin, &hook).await.len(), 1);
}

#[tokio::test]
async fn an_endpoint_failing_too_often_in_a_row_is_disabled_and_audited() {
    let app = spawn_app_with(|s| {
        fast(s);
        s.webhooks.max_failures = 3;
    })
    .await;
    let admin = app.as_admin().await;
    let receiver = Receiver::start(&[]).await;
    receiver.answer(500);
    let hook = register(&admin, &receiver.url, &["period.opened"]).await;
    let path = format!("/api/v1/webhooks/{}", hook["id"].as_str().unwrap());
    open_a_period(&app, 2026).await;

    let (a, p) = (&admin, &path);
    let disabled = eventually("the endpoint disabled", || async move {
        let w = a.read(p).await;
        (w["enabled"] == false).then_some(w)
    })
    .await;
    assert_eq!(disabled["consecutive_failures"], 3);
    assert_eq!(
        disabled["disabled_reason"],
        "3 failed delivery attempts in a row"
    );
    assert_eq!(receiver.received().len(), 3);
    let audit = app.audit(&admin, "action=webhook.disable").await;
    assert_eq!(audit.len(), 1, "{audit:#?}");
    assert_eq!(audit[0]["resource_id"], hook["id"]);
    // The delivery waits, pending, and goes out once the admin enables the endpoint again.
    let d = deliveries(&admin, &hook).await;
    assert_eq!(d[0]["status"], "pending");
    let resend = format!("{path}/deliveries/{}/resend", d[0]["id"].as_str().unwrap());
    admin
        .post_is(&resend, json!({}), Expect::Problem(409, "conflict"))
        .await;
    receiver.answer(200);
    let etag = format!("\"{}\"", disabled["version"]);
    admin
        .patch_is(&path, Some(&etag), json!({"enabled": true}), 200)
        .await;
    let d = settled(&admin, &hook, "delivered").await;
    assert_eq!(d["attempts"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn a_finished_delivery_can_be_sent_again_with_the_same_webhook_id() {
    let app = spawn_webhook_app().await;
    let admin = app.as_admin().await;
    let receiver = Receiver::start(&[]).await;
    let hook = register(&admin, &receiver.url, &["period.opened"]).await;
    open_a_period(&app, 2026).await;
    let first = settled(&admin, &hook, "delivered").await;
    let base = format!(
        "/api/v1/webhooks/{}/deliveries",
        hook["id"].as_str().unwrap()
    );

    let again = admin
        .post_is(
            &format!("{base}/{}/resend", first["id"].as_str().unwrap()),
            json!({}),
            201,
        )
        .await;
    assert_eq!(again["event_id"], first["event_id"]);
    assert_ne!(again["id"], first["id"]);
    assert_eq!(again["status"], "pending");
    let got = receiver.wait_for(2).await;
    assert_eq!(got[0].id, got[1].id);
    settled(&admin, &hook, "delivered").await;
    let log = admin.read(&base).await;
    assert_eq!(log["total"], 2);
    assert_eq!(log["items"][0]["id"], again["id"], "newest first");
    let only_delivered = admin
        .read(&format!("{base}?status=delivered&per_page=1"))
        .await;
    assert_eq!(only_delivered["total"], 2);
    assert_eq!(only_delivered["items"].as_array().unwrap().len(), 1);

    admin
        .post_is(
            &format!("{base}/{}/resend", uuid::Uuid::new_v4()),
            json!({}),
            NOT_FOUND,
        )
        .await;
    let audit = app.audit(&admin, "action=webhook.resend").await;
    assert_eq!(audit.len(), 1);
}
