//! Signing deliveries the Standard Webhooks way (<https://www.standardwebhooks.com>): the secret
//! is `whsec_` + base64 of 32 random bytes, the key is those bytes, and a delivery carries
//! `webhook-signature: v1,<base64 of HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What every secret starts with.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new secret: `whsec_` and 32 random bytes in standard base64 (with padding).
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes))
}

/// The HMAC key of `secret`: the bytes after `whsec_`, base64-decoded. `None` for a secret not
/// of that form (never one the service made).
fn key_of(secret: &str) -> Option<Vec<u8>> {
    STANDARD.decode(secret.strip_prefix(SECRET_PREFIX)?).ok()
}

/// The `webhook-signature` header of the message `id` sent at `timestamp` (unix seconds) with
/// `body`, signed with `secret`.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = key_of(secret)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_the_standard_webhooks_reference_vector() {
        let got = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(
            got.as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn every_part_of_the_message_is_signed() {
        let s = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let base = sign(s, "msg_1", 1614265330, b"{}");
        for other in [
            sign(s, "msg_2", 1614265330, b"{}"),
            sign(s, "msg_1", 1614265331, b"{}"),
            sign(s, "msg_1", 1614265330, b"{ }"),
            sign(&generate_secret(), "msg_1", 1614265330, b"{}"),
        ] {
            assert!(other.is_some());
            assert_ne!(other, base);
        }
    }

    #[test]
    fn secrets_are_32_random_bytes_behind_the_prefix() {
        let a = generate_secret();
        assert!(a.starts_with(SECRET_PREFIX));
        assert_eq!(key_of(&a).map(|k| k.len()), Some(32));
        assert_ne!(a, generate_secret());
        for bad in ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_not base64!"] {
            assert_eq!(sign(bad, "m", 1, b""), None, "{bad}");
        }
    }
}
