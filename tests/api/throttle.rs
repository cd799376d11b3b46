//! Sign-in throttling under attack: counted atomically per (username, client address) and per
//! address, never locking out the right password from elsewhere, and audited once per window.

use serde_json::Value;

use crate::helpers::*;

const WRONG: &str = "wrong-password!";

fn retry_after(r: &reqwest::Response) -> u64 {
    r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Counts the statuses of `attempts`, checking every 429's Retry-After.
async fn tally(attempts: Vec<reqwest::Response>) -> (usize, usize) {
    let (mut unauthorized, mut throttled) = (0, 0);
    for r in attempts {
        match r.status().as_u16() {
            401 => unauthorized += 1,
            429 => {
                assert!((1..=900).contains(&retry_after(&r)), "Retry-After");
                assert_problem(r, 429, "login_throttled").await;
                throttled += 1;
            }
            s => panic!("unexpected status {s}"),
        }
    }
    (unauthorized, throttled)
}

#[tokio::test]
async fn fifty_parallel_wrong_passwords_for_one_user_get_five_401s_and_the_rest_429() {
    within_one_window().await;
    let app = spawn_app().await;
    let attempts = (0..50).map(|_| app.try_login("admin", WRONG));
    let (unauthorized, throttled) = tally(futures_util::future::join_all(attempts).await).await;
    assert_eq!((unauthorized, throttled), (5, 45));
    // Even the right password waits now, from this address.
    let r = app.try_login("admin", ADMIN_PASSWORD).await;
    assert_problem(r, 429, "login_throttled").await;
}

#[tokio::test]
async fn thirty_unknown_usernames_from_one_address_get_twenty_401s_then_429() {
    within_one_window().await;
    let app = spawn_app().await;
    let mut statuses = vec![];
    for i in 0..30 {
        statuses.push(app.try_login(&format!("nobody{i}"), WRONG).await.status());
    }
    assert!(
        statuses[..20].iter().all(|s| s.as_u16() == 401),
        "{statuses:?}"
    );
    assert!(
        statuses[20..].iter().all(|s| s.as_u16() == 429),
        "{statuses:?}"
    );
    // The address is throttled for every username, the right password included.
    assert_problem(
        app.try_login("admin", ADMIN_PASSWORD).await,
        429,
        "login_throttled",
    )
    .await;
    // Another address is not.
    let other = client_from("127.0.0.2");
    let r = app.try_login_via(&other, &[], "nobody0", WRONG).await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn the_right_password_from_another_address_signs_in_while_admin_is_attacked() {
    within_one_window().await;
    let app = spawn_app().await;
    let attacker = client_from("127.0.0.3");
    let attack = (0..30).map(|_| app.try_login_via(&attacker, &[], "admin", WRONG));
    let (unauthorized, throttled) = tally(futures_util::future::join_all(attack).await).await;
    assert_eq!((unauthorized, throttled), (5, 25));
    assert_problem(
        app.try_login_via(&attacker, &[], "admin", ADMIN_PASSWORD)
            .await,
        429,
        "login_throttled",
    )
    .await;
    // The real admin, from its own address, during the attack.
    let r = app.try_login("admin", ADMIN_PASSWORD).await;
    assert_eq!(r.status(), 200);
    // And a wrong password from there is still only a 401.
    assert_eq!(app.try_login("admin", WRONG).await.status(), 401);
}

#[tokio::test]
async fn a_successful_sign_in_does_not_use_up_the_addresss_allowance() {
    within_one_window().await;
    let app = spawn_app().await;
    for _ in 0..30 {
        app.admin().await;
    }
    for i in 0..20 {
        let r = app.try_login(&format!("nobody{i}"), WRONG).await;
        assert_eq!(r.status(), 401, "attempt {i}");
    }
    assert_eq!(app.try_login("nobody", WRONG).await.status(), 429);
}

#[tokio::test]
async fn five_hundred_wrong_passwords_write_five_failures_and_one_throttled_event() {
    within_one_window().await;
    let app = spawn_app().await;
    let mut attempts = vec![];
    for _ in 0..500 {
        attempts.push(app.try_login("admin", WRONG).await);
    }
    assert_eq!(tally(attempts).await, (5, 495));
    let auditor = app.login_via_other_address().await;
    let failed = app.audit(&auditor, "action=auth.login_failed").await;
    let throttled = app.audit(&auditor, "action=auth.login_throttled").await;
    let from_attacker = |events: &[Value]| {
        events
            .iter()
            .filter(|e| e["client_addr"] == "127.0.0.1" && e["after"]["username"] == "admin")
            .count()
    };
    assert_eq!(from_attacker(&failed), 5);
    assert_eq!(from_attacker(&throttled), 1);
    assert_eq!(throttled[0]["outcome"], "denied");
}

impl TestApp {
    /// An admin token got from 127.0.0.9, for reading the audit trail of an attack from
    /// 127.0.0.1.
    async fn login_via_other_address(&self) -> String {
        let client = client_from("127.0.0.9");
        let r = self
            .try_login_via(&client, &[], "admin", ADMIN_PASSWORD)
            .await;
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.unwrap();
        v["access_token"].as_str().unwrap().to_string()
    }
}

async fn spawn_behind_proxies(proxies: &str) -> TestApp {
    within_one_window().await;
    let scratch = Scratch::new().await;
    let mut settings = test_settings(scratch.dir.clone(), scratch.url.clone());
    settings.trusted_proxies =
        budget_monitor::domain::client_addr::TrustedProxies::parse(proxies).unwrap();
    spawn_with(settings).await.owning(scratch)
}

/// A sign-in as admin through a proxy that names the client `xff`.
async fn forwarded(app: &TestApp, xff: &str, password: &str) -> reqwest::Response {
    let forwarded = [("X-Forwarded-For", xff)];
    app.try_login_via(&app.client, &forwarded, "admin", password)
        .await
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_is_throttled_and_audited_separately() {
    // The test server's peer (127.0.0.1) is the trusted proxy.
    let app = spawn_behind_proxies("127.0.0.0/8, 10.0.0.0/8").await;
    let c = &app.client;
    for _ in 0..5 {
        let r = forwarded(&app, "203.0.113.1", WRONG).await;
        assert_eq!(r.status(), 401);
    }
    let r = forwarded(&app, "203.0.113.1", ADMIN_PASSWORD).await;
    assert_problem(r, 429, "login_throttled").await;
    // The same client named by RFC 7239 `Forwarded`, through a second trusted proxy.
    let r = app
        .try_login_via(
            c,
            &[("Forwarded", "for=203.0.113.1, for=10.0.0.7")],
            "admin",
            WRONG,
        )
        .await;
    assert_eq!(r.status(), 429);
    // Another client behind the same proxy; what it wrote left of the proxy's entry is ignored.
    let r = forwarded(&app, "203.0.113.1, 203.0.113.2", WRONG).await;
    assert_eq!(r.status(), 401);
    let r = forwarded(&app, "203.0.113.3", ADMIN_PASSWORD).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    let admin = v["access_token"].as_str().unwrap().to_string();

    let failed = app.audit(&admin, "action=auth.login_failed").await;
    let addrs: Vec<&str> = failed
        .iter()
        .map(|e| e["client_addr"].as_str().unwrap())
        .collect();
    assert_eq!(addrs.iter().filter(|a| **a == "203.0.113.1").count(), 5);
    assert_eq!(addrs.iter().filter(|a| **a == "203.0.113.2").count(), 1);
    let throttled = app.audit(&admin, "action=auth.login_throttled").await;
    assert_eq!(throttled.len(), 1);
    assert_eq!(throttled[0]["client_addr"], "203.0.113.1");
    let login = app.audit(&admin, "action=auth.login").await;
    assert_eq!(login[0]["client_addr"], "203.0.113.3");
}

#[tokio::test]
async fn without_a_trusted_proxy_forwarding_headers_are_ignored_and_cannot_dodge_the_limit() {
    within_one_window().await;
    let app = spawn_app().await;
    let c = &app.client;
    for i in 0..5 {
        let fake = format!("203.0.113.{i}");
        let fwd = format!("for={fake}");
        let r = app
            .try_login_via(
                c,
                &[("X-Forwarded-For", &fake), ("Forwarded", &fwd)],
                "admin",
                WRONG,
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    let r = app
        .try_login_via(c, &[("X-Forwarded-For", "198.51.100.99")], "admin", WRONG)
        .await;
    assert_problem(r, 429, "login_throttled").await;
    let admin = app.login_via_other_address().await;
    let failed = app.audit(&admin, "action=auth.login_failed").await;
    assert_eq!(failed.len(), 5);
    assert!(failed.iter().all(|e| e["client_addr"] == "127.0.0.1"));
}
