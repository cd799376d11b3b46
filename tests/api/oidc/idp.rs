//! A stand-in OpenID Connect provider in the test process: it serves its discovery document and
//! its key set over plain HTTP on 127.0.0.1, counts how often each is fetched, and signs tokens
//! with keys generated at run time (RSA 2048 for RS256, P-256 for ES256).

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{web, App, HttpResponse, HttpServer};
use budget_monitor::config::OidcSettings;
use jsonwebtoken::jwk::{Jwk, PublicKeyUse};
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

use crate::helpers::*;

/// The `aud` the service is configured with.
pub const AUDIENCE: &str = "budget-monitor";

/// A signing key of the provider.
pub struct SigningKey {
    pub kid: String,
    pub alg: Algorithm,
    encoding: EncodingKey,
    /// The public key as the key set shows it.
    pub jwk: Jwk,
    /// The public key as PEM (what an attacker could use as an HMAC secret).
    pub public_pem: String,
}

impl SigningKey {
    /// A new RSA 2048 key for RS256.
    pub fn rsa(kid: &str) -> Self {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        use rsa::pkcs8::{EncodePublicKey, LineEnding};
        let private = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).unwrap();
        let pem = private.to_pkcs1_pem(LineEnding::LF).unwrap();
        let public_pem = private
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        let encoding = EncodingKey::from_rsa_pem(pem.as_bytes()).unwrap();
        Self::new(kid, Algorithm::RS256, encoding, public_pem)
    }

    /// A new P-256 key for ES256.
    pub fn p256(kid: &str) -> Self {
        use p256::pkcs8::{EncodePrivateKey, EncodePublicKey, LineEnding};
        let secret = p256::SecretKey::random(&mut rsa::rand_core::OsRng);
        let pem = secret.to_pkcs8_pem(LineEnding::LF).unwrap();
        let public_pem = secret
            .public_key()
            .to_public_key_pem(LineEnding::LF)
            .unwrap();
        let encoding = EncodingKey::from_ec_pem(pem.as_bytes()).unwrap();
        Self::new(kid, Algorithm::ES256, encoding, public_pem)
    }

    fn new(kid: &str, alg: Algorithm, encoding: EncodingKey, public_pem: String) -> Self {
        let mut jwk = Jwk::from_encoding_key(&encoding, alg).unwrap();
        jwk.common.key_id = Some(kid.into());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        SigningKey {
            kid: kid.into(),
            alg,
            encoding,
            jwk,
            public_pem,
        }
    }

    /// `claims` signed with this key, its algorithm and its `kid`.
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_as(self.alg, Some(&self.kid), claims)
    }

    /// `claims` signed with this key under another algorithm of its family or another `kid`.
    pub fn sign_as(&self, alg: Algorithm, kid: Option<&str>, claims: &Value) -> String {
        let mut header = Header::new(alg);
        header.kid = kid.map(str::to_string);
        encode(&header, claims, &self.encoding).unwrap()
    }
}

/// What the provider's handlers share with the test.
struct Shared {
    issuer: String,
    jwks: Mutex<Value>,
    jwks_fetches: AtomicUsize,
    discovery_fetches: AtomicUsize,
    /// Answer 500 to key set fetches.
    failing: AtomicBool,
}

/// The stand-in provider.
pub struct Idp {
    pub issuer: String,
    /// Where its key set is.
    pub jwks_url: String,
    shared: Arc<Shared>,
}

async fn discovery(shared: web::Data<Shared>) -> HttpResponse {
    shared.discovery_fetches.fetch_add(1, Ordering::SeqCst);
    HttpResponse::Ok().json(json!({
        "issuer": shared.issuer,
        "jwks_uri": format!("{}/protocol/openid-connect/certs", shared.issuer),
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
    }))
}

async fn jwks(shared: web::Data<Shared>) -> HttpResponse {
    shared.jwks_fetches.fetch_add(1, Ordering::SeqCst);
    if shared.failing.load(Ordering::SeqCst) {
        return HttpResponse::InternalServerError().body("down for maintenance");
    }
    let body = shared.jwks.lock().unwrap().clone();
    HttpResponse::Ok().json(body)
}

impl Idp {
    /// A provider on a free port of 127.0.0.1 serving `keys`.
    pub async fn start(keys: &[&SigningKey]) -> Idp {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let issuer = format!(
            "http://127.0.0.1:{}/realms/union",
            listener.local_addr().unwrap().port()
        );
        let shared = Arc::new(Shared {
            issuer: issuer.clone(),
            jwks: Mutex::new(Value::Null),
            jwks_fetches: AtomicUsize::new(0),
            discovery_fetches: AtomicUsize::new(0),
            failing: AtomicBool::new(false),
        });
        let data = web::Data::from(shared.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .route(
                    "/realms/union/.well-known/openid-configuration",
                    web::get().to(discovery),
                )
                .route(
                    "/realms/union/protocol/openid-connect/certs",
                    web::get().to(jwks),
                )
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        let idp = Idp {
            jwks_url: format!("{issuer}/protocol/openid-connect/certs"),
            issuer,
            shared,
        };
        idp.serve(keys);
        idp
    }

    /// From now on the key set holds `keys` (a rotation).
    pub fn serve(&self, keys: &[&SigningKey]) {
        let keys: Vec<&Jwk> = keys.iter().map(|k| &k.jwk).collect();
        *self.shared.jwks.lock().unwrap() = json!({ "keys": keys });
    }

    /// Key set fetches answer 500 (or work again).
    pub fn fail(&self, failing: bool) {
        self.shared.failing.store(failing, Ordering::SeqCst);
    }

    pub fn jwks_fetches(&self) -> usize {
        self.shared.jwks_fetches.load(Ordering::SeqCst)
    }

    pub fn discovery_fetches(&self) -> usize {
        self.shared.discovery_fetches.load(Ordering::SeqCst)
    }

    /// The service's settings for this provider: discovery, `preferred_username`, and the key
    /// set fetched again at most once a minute.
    pub fn settings(&self) -> OidcSettings {
        OidcSettings {
            issuer: self.issuer.clone(),
            audience: AUDIENCE.into(),
            jwks_url: None,
            username_claim: "preferred_username".into(),
            min_refresh: Duration::from_secs(60),
        }
    }

    /// Claims of a token for `username`, valid for five minutes from now.
    pub fn claims(&self, username: &str) -> Value {
        let now = chrono::Utc::now().timestamp();
        json!({
            "iss": self.issuer,
            "aud": AUDIENCE,
            "sub": "f3b1c7e2-provider-subject",
            "preferred_username": username,
            "iat": now,
            "exp": now + 300,
        })
    }
}

/// A test app over a fresh database that accepts the tokens of the provider `oidc` describes.
pub async fn spawn_app_with_sso(oidc: OidcSettings) -> TestApp {
    spawn_app_with(|s| s.oidc = Some(oidc)).await
}

/// `claims` with some of them replaced.
pub fn with(claims: &Value, changes: Value) -> Value {
    let mut c = claims.clone();
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

/// base64url without padding, for tokens built by hand.
pub fn b64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}
