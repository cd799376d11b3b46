//! The provider's signing keys (its JWKS): fetched when first needed, kept, and fetched again
//! when a token names a key the set does not hold — at most once per
//! [`OidcSettings::min_refresh`], and one fetch at a time however many requests wait for it.
//! A fetch that fails is logged and leaves the keys as they were; the tokens it would have
//! checked are refused (401), the service itself is unaffected.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::config::{fetchable_url, OidcSettings};

/// The discovery document or the key set is never larger than this.
const MAX_BODY: usize = 256 * 1024;
/// The shortest RSA modulus accepted, in bytes (2048 bits).
const MIN_RSA_BYTES: usize = 256;

/// One usable signing key.
struct Key {
    kid: Option<String>,
    alg: Algorithm,
    key: DecodingKey,
}

/// The keys of the last successful fetch.
#[derive(Default)]
struct Loaded {
    /// How many fetches succeeded so far (0: none yet).
    generation: u64,
    keys: Vec<Key>,
}

impl Loaded {
    /// The key for `alg` named `kid`; without a `kid`, the only key for `alg`, if there is one.
    fn find(&self, kid: Option<&str>, alg: Algorithm) -> Option<DecodingKey> {
        let mut of_alg = self.keys.iter().filter(|k| k.alg == alg);
        let found = match kid {
            Some(kid) => of_alg.find(|k| k.kid.as_deref() == Some(kid)),
            None => match (of_alg.next(), of_alg.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            },
        };
        found.map(|k| k.key.clone())
    }
}

/// What fetching needs to remember; held while a fetch runs, so fetches never overlap.
#[derive(Default)]
struct Fetching {
    /// When the last fetch started.
    last: Option<Instant>,
    /// The key set's URL: configured, or found by discovery (once).
    jwks_url: Option<String>,
}

/// The provider's signing keys.
pub(super) struct KeySet {
    http: reqwest::Client,
    issuer: String,
    min_refresh: Duration,
    loaded: RwLock<Arc<Loaded>>,
    fetching: tokio::sync::Mutex<Fetching>,
}

impl KeySet {
    pub fn new(settings: &OidcSettings) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(5))
            .redirect(reqwest::redirect::Policy::custom(|attempt| {
                if attempt.previous().len() >= 3 {
                    attempt.error("more than 3 redirects")
                } else if fetchable_url(attempt.url().as_str()).is_err() {
                    attempt.error("a redirect away from https")
                } else {
                    attempt.follow()
                }
            }))
            .user_agent(concat!("budget-monitor/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("cannot set up the HTTP client for single sign-on: {e}"))?;
        Ok(KeySet {
            http,
            issuer: settings.issuer.clone(),
            min_refresh: settings.min_refresh,
            loaded: RwLock::default(),
            fetching: tokio::sync::Mutex::new(Fetching {
                last: None,
                jwks_url: settings.jwks_url.clone(),
            }),
        })
    }

    fn loaded(&self) -> Arc<Loaded> {
        self.loaded
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The key a token's header names, fetching the key set again when it is not known (and
    /// the last fetch is old enough).
    pub async fn key(&self, kid: Option<&str>, alg: Algorithm) -> Option<DecodingKey> {
        let loaded = self.loaded();
        if let Some(key) = loaded.find(kid, alg) {
            return Some(key);
        }
        self.refresh(loaded.generation).await;
        self.loaded().find(kid, alg)
    }

    /// Fetches the key set unless another request did while this one waited (the set is newer
    /// than `seen`) or the last fetch started less than `min_refresh` ago.
    async fn refresh(&self, seen: u64) {
        let mut fetching = self.fetching.lock().await;
        if self.loaded().generation != seen {
            return;
        }
        if fetching
            .last
            .is_some_and(|t| t.elapsed() < self.min_refresh)
        {
            return;
        }
        fetching.last = Some(Instant::now());
        match self.fetch(&mut fetching).await {
            Ok(keys) => {
                tracing::info!(
                    keys = keys.len(),
                    "fetched the OpenID Connect provider's signing keys"
                );
                let mut loaded = self.loaded.write().unwrap_or_else(|e| e.into_inner());
                *loaded = Arc::new(Loaded {
                    generation: seen + 1,
                    keys,
                });
            }
            Err(e) => tracing::warn!(
                error = %e,
                retry_after_secs = self.min_refresh.as_secs(),
                "could not fetch the OpenID Connect provider's signing keys; tokens needing them are refused"
            ),
        }
    }

    async fn fetch(&self, fetching: &mut Fetching) -> Result<Vec<Key>, String> {
        let url = match &fetching.jwks_url {
            Some(url) => url.clone(),
            None => {
                let url = self.discover().await?;
                fetching.jwks_url = Some(url.clone());
                url
            }
        };
        #[derive(Deserialize)]
        struct Set {
            keys: Vec<serde_json::Value>,
        }
        let set: Set = get_json(&self.http, &url).await?;
        Ok(set.keys.into_iter().filter_map(usable).collect())
    }

    /// The `jwks_uri` of the issuer's discovery document.
    async fn discover(&self) -> Result<String, String> {
        #[derive(Deserialize)]
        struct Discovery {
            issuer: String,
            jwks_uri: String,
        }
        let url = format!(
            "{}/.well-known/openid-configuration",
            self.issuer.trim_end_matches('/')
        );
        let d: Discovery = get_json(&self.http, &url).await?;
        if d.issuer != self.issuer {
            return Err(format!(
                "{url} names the issuer `{}`, not `{}`",
                d.issuer, self.issuer
            ));
        }
        fetchable_url(&d.jwks_uri).map_err(|e| format!("{url}: jwks_uri {e}"))?;
        Ok(d.jwks_uri)
    }
}

/// A key of the set as a signing key for RS256 or ES256; `None` for any other key (encryption
/// keys, other algorithms or curves, RSA under 2048 bits, what does not parse).
fn usable(value: serde_json::Value) -> Option<Key> {
    let jwk: Jwk = serde_json::from_value(value).ok()?;
    if matches!(jwk.common.public_key_use, Some(ref u) if *u != PublicKeyUse::Signature) {
        return None;
    }
    let alg = match (&jwk.algorithm, jwk.common.key_algorithm) {
        (AlgorithmParameters::RSA(rsa), None | Some(KeyAlgorithm::RS256)) => {
            let n = rsa.n.trim_end_matches('=');
            (n.len() * 3 / 4 >= MIN_RSA_BYTES).then_some(Algorithm::RS256)?
        }
        (AlgorithmParameters::EllipticCurve(ec), None | Some(KeyAlgorithm::ES256))
            if ec.curve == EllipticCurve::P256 =>
        {
            Algorithm::ES256
        }
        _ => return None,
    };
    Some(Key {
        kid: jwk.common.key_id.clone(),
        alg,
        key: DecodingKey::from_jwk(&jwk).ok()?,
    })
}

/// GETs `url` and reads its JSON body (at most [`MAX_BODY`] bytes).
async fn get_json<T: DeserializeOwned>(http: &reqwest::Client, url: &str) -> Result<T, String> {
    let mut resp = http
        .get(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    if !resp.status().is_success() {
        return Err(format!("{url} answered {}", resp.status()));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(|e| format!("{url}: {e}"))? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(format!("{url} answered more than {MAX_BODY} bytes"));
        }
        body.extend_from_slice(&chunk);
    }
    serde_json::from_slice(&body).map_err(|e| format!("{url}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_signing_keys_for_rs256_and_p256_are_used() {
        let n = "A".repeat(342); // 256 bytes
        let short_n = "A".repeat(171); // 128 bytes
        let ec = json!({"kty": "EC", "crv": "P-256", "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU", "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"});
        let with = |base: &serde_json::Value, extra: serde_json::Value| {
            let mut v = base.clone();
            v.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            v
        };
        let rsa = json!({"kty": "RSA", "n": n, "e": "AQAB"});
        let alg_of = |v: serde_json::Value| usable(v).map(|k| k.alg);
        assert_eq!(alg_of(rsa.clone()), Some(Algorithm::RS256));
        assert_eq!(
            alg_of(with(
                &rsa,
                json!({"alg": "RS256", "use": "sig", "kid": "a"})
            )),
            Some(Algorithm::RS256)
        );
        assert_eq!(alg_of(ec.clone()), Some(Algorithm::ES256));
        assert_eq!(
            alg_of(with(&ec, json!({"alg": "ES256"}))),
            Some(Algorithm::ES256)
        );
        for refused in [
            with(&rsa, json!({"use": "enc"})),
            with(&rsa, json!({"alg": "RSA-OAEP"})),
            with(&rsa, json!({"alg": "PS256"})),
            with(&rsa, json!({"alg": "RS512"})),
            json!({"kty": "RSA", "n": short_n, "e": "AQAB"}),
            with(&ec, json!({"alg": "ES384"})),
            with(&ec, json!({"crv": "P-384"})),
            json!({"kty": "oct", "k": "c2VjcmV0"}),
            json!({"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}),
            json!({"kty": "weird"}),
        ] {
            assert!(usable(refused.clone()).is_none(), "{refused}");
        }
    }

    #[test]
    fn a_key_is_found_by_kid_and_algorithm() {
        let key = |kid: Option<&str>, alg| Key {
            kid: kid.map(str::to_string),
            alg,
            key: DecodingKey::from_secret(b"unused"),
        };
        let one = Loaded {
            generation: 1,
            keys: vec![key(Some("a"), Algorithm::RS256)],
        };
        assert!(one.find(Some("a"), Algorithm::RS256).is_some());
        assert!(one.find(Some("a"), Algorithm::ES256).is_none());
        assert!(one.find(Some("b"), Algorithm::RS256).is_none());
        assert!(
            one.find(None, Algorithm::RS256).is_some(),
            "the only RS256 key"
        );
        let two = Loaded {
            generation: 2,
            keys: vec![
                key(Some("a"), Algorithm::RS256),
                key(None, Algorithm::RS256),
            ],
        };
        assert!(two.find(None, Algorithm::RS256).is_none(), "which one?");
        assert!(Loaded::default().find(None, Algorithm::RS256).is_none());
    }
}
