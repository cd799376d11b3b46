//! API client secrets: made by the server, shown once, kept only as a hash.
//!
//! A secret is 32 random bytes from the operating system (256 bits), written base64url without
//! padding (43 characters). It is stored as its SHA-256 digest, not with Argon2 as passwords
//! are: key stretching protects secrets people choose, which can be guessed from a list; a
//! random 256-bit secret cannot be guessed however fast each try is, so a slow hash would add
//! no protection and would cost every token request tens of milliseconds of a core and a place
//! in the few Argon2 work areas that password sign-ins share.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// How a stored hash starts, so that a later scheme can be told apart.
const SCHEME: &str = "sha256:";

/// A new secret and the hash to store for it.
pub fn generate() -> (String, String) {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&secret);
    (secret, hash)
}

/// The stored form of `secret`.
pub fn hash(secret: &str) -> String {
    format!("{SCHEME}{:x}", Sha256::digest(secret.as_bytes()))
}

/// Whether `secret` is the one `stored` was made from, compared in constant time. A malformed
/// hash never matches.
pub fn verify(secret: &str, stored: &str) -> bool {
    let Some(expected) = stored.strip_prefix(SCHEME) else {
        return false;
    };
    let computed = format!("{:x}", Sha256::digest(secret.as_bytes()));
    computed.len() == expected.len()
        && computed
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Spends the time of a real check, for a client id that names no client.
pub fn verify_dummy(secret: &str) {
    let _ = verify(secret, &hash("no client has this secret"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_verifies_against_its_hash_only() {
        let (secret, stored) = generate();
        assert_eq!(secret.len(), 43);
        assert!(secret
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert!(stored.starts_with("sha256:") && !stored.contains(&secret));
        assert!(verify(&secret, &stored));
        let (other, _) = generate();
        assert_ne!(secret, other);
        for (candidate, hash) in [
            (other.as_str(), stored.as_str()),
            (secret.as_str(), "not a hash"),
            (secret.as_str(), ""),
            (secret.as_str(), "sha256:"),
            (&secret[..42], stored.as_str()),
        ] {
            assert!(!verify(candidate, hash), "{candidate} {hash}");
        }
    }
}
