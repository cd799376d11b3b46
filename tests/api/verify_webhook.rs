//! The webhook signature checks the README shows (`examples/verify-webhook.py` and
//! `examples/verify-webhook.sh`) agree with the Standard Webhooks reference vector, and refuse a
//! changed body, another secret or id, a stale or future timestamp and a malformed signature.
//! They need `python3`, `openssl` and `base64` on the path.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

const SCRIPTS: [&str; 2] = ["verify-webhook.py", "verify-webhook.sh"];

// The reference vector of the Standard Webhooks specification.
const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP: &str = "1614265330";
const BODY: &str = r#"{"test": 2432232314}"#;
const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

/// One delivery as a receiver gets it.
pub(crate) struct Delivery<'a> {
    pub secret: &'a str,
    pub id: &'a str,
    pub timestamp: String,
    pub signature: String,
    pub body: &'a [u8],
}

fn reference() -> Delivery<'static> {
    Delivery {
        secret: SECRET,
        id: ID,
        timestamp: TIMESTAMP.into(),
        signature: SIGNATURE.into(),
        body: BODY.as_bytes(),
    }
}

/// The reference delivery, changed by `change`.
fn with<'a>(change: impl FnOnce(&mut Delivery<'a>)) -> Delivery<'a> {
    let mut d = reference();
    change(&mut d);
    d
}

/// Runs `script` on the delivery; `tolerance` is `WEBHOOK_TOLERANCE` (unset when `None`).
/// Whether it says valid (exit status 0; anything else but 1 fails the test).
pub(crate) fn verifies(script: &str, d: &Delivery, tolerance: Option<&str>) -> bool {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(script);
    let mut cmd = Command::new(&path);
    cmd.args([d.id, &d.timestamp, &d.signature])
        .env("WEBHOOK_SECRET", d.secret)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match tolerance {
        Some(t) => cmd.env("WEBHOOK_TOLERANCE", t),
        None => cmd.env_remove("WEBHOOK_TOLERANCE"),
    };
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("{} runs (needs python3, openssl): {e}", path.display()));
    // A script may refuse (a timestamp that is not a number) before it reads the body.
    match child.stdin.take().unwrap().write_all(d.body) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => panic!("{script}: {e}"),
        _ => {}
    }
    let out = child.wait_with_output().unwrap();
    match out.status.code() {
        Some(0) => true,
        Some(1) => false,
        _ => panic!("{script} failed: {}", String::from_utf8_lossy(&out.stderr)),
    }
}

/// HMAC-SHA256 (RFC 2104), for signing deliveries the reference vector does not cover.
fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.iter().map(|k| k ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .to_vec()
}

/// The `v1,` signature of a delivery, as the sender makes it.
fn sign(secret: &str, id: &str, timestamp: &str, body: &[u8]) -> String {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut signed = format!("{id}.{timestamp}.").into_bytes();
    signed.extend_from_slice(body);
    format!("v1,{}", STANDARD.encode(hmac_sha256(&key, &signed)))
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[test]
fn the_signing_in_these_tests_matches_the_reference_vector() {
    assert_eq!(sign(SECRET, ID, TIMESTAMP, BODY.as_bytes()), SIGNATURE);
}

#[test]
fn both_verifiers_accept_the_reference_vector_when_the_age_check_is_skipped() {
    for script in SCRIPTS {
        assert!(verifies(script, &reference(), Some("none")), "{script}");
        let second = Delivery {
            signature: format!("v1,bm90IHRoaXMgb25l {SIGNATURE}"),
            ..reference()
        };
        assert!(verifies(script, &second, Some("none")), "{script}: two");
    }
}

#[test]
fn both_verifiers_refuse_a_tampered_body_another_secret_or_id_and_a_bad_signature() {
    let big = vec![b' '; 1 << 20];
    let cases = [
        (
            "tampered body",
            with(|d| d.body = br#"{"test": 2432232315}"#),
        ),
        (
            "trailing newline",
            with(|d| d.body = b"{\"test\": 2432232314}\n"),
        ),
        (
            "other secret",
            with(|d| d.secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx"),
        ),
        ("other id", with(|d| d.id = "msg_p5jXN8AQM9LWM0D4loKWxJel")),
        (
            "other timestamp",
            with(|d| d.timestamp = "1614265331".into()),
        ),
        ("no version", with(|d| d.signature = SIGNATURE[3..].into())),
        (
            "version 2",
            with(|d| d.signature = SIGNATURE.replace("v1,", "v2,")),
        ),
        ("no signature", with(|d| d.signature = String::new())),
        (
            "timestamp not a number",
            with(|d| d.timestamp = "1614265330.0".into()),
        ),
        (
            "the same, 1 MiB",
            with(|d| (d.timestamp, d.body) = ("1e9".into(), &big)),
        ),
    ];
    for script in SCRIPTS {
        for (what, delivery) in &cases {
            assert!(
                !verifies(script, delivery, Some("none")),
                "{script}: {what}"
            );
        }
    }
}

#[test]
fn both_verifiers_refuse_a_timestamp_more_than_five_minutes_from_now() {
    let body = "{\"type\": \"submission.submitted\", \"name\": \"培训\"}\n".as_bytes();
    let at = |offset: i64| {
        let timestamp = (now() + offset).to_string();
        let signature = sign(SECRET, ID, &timestamp, body);
        Delivery {
            secret: SECRET,
            id: ID,
            timestamp,
            signature,
            body,
        }
    };
    for script in SCRIPTS {
        // The default tolerance is 300 s either way; the reference vector is from 2021.
        assert!(verifies(script, &at(0), None), "{script}: now");
        assert!(verifies(script, &at(-240), None), "{script}: 4 min ago");
        assert!(verifies(script, &at(240), None), "{script}: in 4 min");
        assert!(!verifies(script, &at(-360), None), "{script}: 6 min ago");
        assert!(!verifies(script, &at(360), None), "{script}: in 6 min");
        assert!(!verifies(script, &reference(), None), "{script}: 2021");
        assert!(verifies(script, &at(-360), Some("600")), "{script}: 600 s");
    }
}
