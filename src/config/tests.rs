use super::*;

fn oidc_from(vars: &[(&str, &str)]) -> Result<Option<OidcSettings>, String> {
    let vars: std::collections::HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    oidc_settings(|k| vars.get(k).cloned())
}

#[test]
fn single_sign_on_needs_issuer_and_audience_together() {
    assert!(oidc_from(&[]).unwrap().is_none());
    let on = oidc_from(&[
        ("BM_OIDC_ISSUER", "https://sso.example.org/realms/union"),
        ("BM_OIDC_AUDIENCE", "budget-monitor"),
    ])
    .unwrap()
    .unwrap();
    assert_eq!(on.issuer, "https://sso.example.org/realms/union");
    assert_eq!(on.audience, "budget-monitor");
    assert_eq!(on.jwks_url, None);
    assert_eq!(on.username_claim, "preferred_username");
    assert_eq!(on.min_refresh.as_secs(), 60);
    let err = oidc_from(&[("BM_OIDC_ISSUER", "https://sso.example.org")]).unwrap_err();
    assert!(err.contains("BM_OIDC_AUDIENCE"), "{err}");
    let err = oidc_from(&[("BM_OIDC_AUDIENCE", "budget-monitor")]).unwrap_err();
    assert!(err.contains("BM_OIDC_ISSUER"), "{err}");
    let err = oidc_from(&[("BM_OIDC_USERNAME_CLAIM", "email")]).unwrap_err();
    assert!(err.contains("BM_OIDC_USERNAME_CLAIM"), "{err}");
    let custom = oidc_from(&[
        ("BM_OIDC_ISSUER", "http://127.0.0.1:8081"),
        ("BM_OIDC_AUDIENCE", "bm"),
        ("BM_OIDC_JWKS_URL", "https://keys.example.org/jwks.json"),
        ("BM_OIDC_USERNAME_CLAIM", "email"),
    ])
    .unwrap()
    .unwrap();
    assert_eq!(
        custom.jwks_url.as_deref(),
        Some("https://keys.example.org/jwks.json")
    );
    assert_eq!(custom.username_claim, "email");
}

#[test]
fn signing_keys_come_over_https_or_from_this_machine() {
    for ok in [
        "https://sso.example.org",
        "https://sso.example.org/realms/x",
        "http://localhost:8081",
        "http://127.0.0.1:9000/idp",
        "http://[::1]:9000",
    ] {
        assert_eq!(fetchable_url(ok), Ok(()), "{ok}");
    }
    for bad in [
        "http://sso.example.org",
        "http://10.0.0.5:8080",
        "http://localhost.example.org",
        "ftp://sso.example.org",
        "sso.example.org",
        "https://",
    ] {
        assert!(fetchable_url(bad).is_err(), "{bad}");
    }
    let err = oidc_from(&[
        ("BM_OIDC_ISSUER", "http://sso.example.org"),
        ("BM_OIDC_AUDIENCE", "bm"),
    ])
    .unwrap_err();
    assert!(err.starts_with("BM_OIDC_ISSUER"), "{err}");
}

#[test]
fn the_event_retention_is_a_number_of_days() {
    for (value, expected) in [
        (None, Ok(400)),
        (Some("1"), Ok(1)),
        (Some("36500"), Ok(36500)),
        (Some("0"), Err(())),
        (Some("36501"), Err(())),
        (Some("-5"), Err(())),
        (Some("30d"), Err(())),
    ] {
        assert_eq!(retention_days(value).map_err(|_| ()), expected, "{value:?}");
    }
}

#[test]
fn cors_origins_are_exact_origins() {
    for (value, expected) in [
        ("", Ok(vec![])),
        (" , ", Ok(vec![])),
        (
            "https://app.example.org, http://localhost:3000",
            Ok(vec!["https://app.example.org", "http://localhost:3000"]),
        ),
        ("http://[::1]:8081", Ok(vec!["http://[::1]:8081"])),
        ("*", Err(())),
        ("app.example.org", Err(())),
        ("https://app.example.org/", Err(())),
        ("https://app.example.org/path", Err(())),
        ("ftp://app.example.org", Err(())),
        ("https://", Err(())),
    ] {
        let got = cors_origins(value).map_err(|_| ());
        let expected = expected.map(|v| v.into_iter().map(String::from).collect::<Vec<_>>());
        assert_eq!(got, expected, "{value}");
    }
}

fn webhooks_from(vars: &[(&str, &str)]) -> Result<WebhookSettings, String> {
    let vars: std::collections::HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    WebhookSettings::from_vars(|k| vars.get(k).cloned())
}

#[test]
fn webhook_settings_have_documented_defaults_and_bounds() {
    assert_eq!(webhooks_from(&[]).unwrap(), WebhookSettings::default());
    let fast = webhooks_from(&[
        ("BM_WEBHOOK_ALLOW_PRIVATE", "true"),
        ("BM_WEBHOOK_POLL_MS", "50"),
        ("BM_WEBHOOK_MAX_FAILURES", "3"),
        ("BM_WEBHOOK_TIMEOUT_SECS", "2"),
        ("BM_WEBHOOK_RETRY_SCALE", "0.001"),
    ])
    .unwrap();
    assert!(fast.allow_private);
    assert_eq!(fast.poll, Duration::from_millis(50));
    assert_eq!(fast.max_failures, 3);
    assert_eq!(fast.timeout, Duration::from_secs(2));
    assert_eq!(fast.retry_scale, 0.001);
    for (k, v) in [
        ("BM_WEBHOOK_ALLOW_PRIVATE", "yes"),
        ("BM_WEBHOOK_POLL_MS", "5"),
        ("BM_WEBHOOK_MAX_FAILURES", "0"),
        ("BM_WEBHOOK_TIMEOUT_SECS", "61"),
        ("BM_WEBHOOK_RETRY_SCALE", "2"),
        ("BM_WEBHOOK_RETRY_SCALE", "0"),
    ] {
        let err = webhooks_from(&[(k, v)]).unwrap_err();
        assert!(err.contains(k), "{k}={v}: {err}");
    }
}
