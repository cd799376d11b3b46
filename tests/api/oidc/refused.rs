//! Tokens the provider did not sign for this service, in their validity, for an active local
//! user: all 401 `invalid_token`.

use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

use super::idp::*;
use crate::helpers::*;

async fn refused(app: &TestApp, token: &str, what: &str) {
    let r = app.get("/api/v1/me", token).await;
    let status = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 401, "{what}: {body}");
    assert_eq!(body["code"], "invalid_token", "{what}: {body}");
}

#[tokio::test]
async fn wrong_issuer_audience_or_times_are_refused() {
    let rsa = SigningKey::rsa("rsa-1");
    let ec = SigningKey::p256("ec-1");
    let idp = Idp::start(&[&rsa, &ec]).await;
    let app = spawn_app_with_sso(idp.settings()).await;
    app.sign_up("li.wei", "finance", None).await;
    let good = idp.claims("li.wei");
    let now = chrono::Utc::now().timestamp();
    for key in [&rsa, &ec] {
        ok(app.get("/api/v1/me", &key.sign(&good)).await, 200).await;
        for (what, changes) in [
            (
                "another issuer",
                json!({"iss": "https://sso.example.org/realms/union"}),
            ),
            (
                "the issuer with a trailing slash",
                json!({"iss": format!("{}/", idp.issuer)}),
            ),
            ("no issuer", json!({"iss": null})),
            ("another audience", json!({"aud": "another-client"})),
            (
                "other audiences",
                json!({"aud": ["account", "another-client"]}),
            ),
            ("no audience", json!({"aud": null})),
            ("expired", json!({"iat": now - 600, "exp": now - 120})),
            ("no exp", json!({"exp": null})),
            ("exp as a string", json!({"exp": (now + 300).to_string()})),
            ("not yet valid", json!({"nbf": now + 120})),
            ("no username", json!({"preferred_username": null})),
            ("an empty username", json!({"preferred_username": ""})),
            (
                "a username that is not a string",
                json!({"preferred_username": 42}),
            ),
        ] {
            refused(&app, &key.sign(&with(&good, changes)), what).await;
        }
    }
}

#[tokio::test]
async fn only_rs256_and_es256_signed_with_the_named_key_are_accepted() {
    let rsa = SigningKey::rsa("rsa-1");
    let ec = SigningKey::p256("ec-1");
    let idp = Idp::start(&[&rsa, &ec]).await;
    let app = spawn_app_with_sso(idp.settings()).await;
    app.sign_up("li.wei", "finance", None).await;
    let claims = idp.claims("li.wei");
    let payload = b64url(serde_json::to_string(&claims).unwrap().as_bytes());

    // alg "none", with and without a signature.
    for header in [
        json!({"alg": "none", "typ": "JWT", "kid": "rsa-1"}),
        json!({"alg": "none"}),
        json!({"alg": "None", "kid": "rsa-1"}),
    ] {
        let head = b64url(header.to_string().as_bytes());
        refused(&app, &format!("{head}.{payload}."), "alg none").await;
        refused(&app, &format!("{head}.{payload}.c2ln"), "alg none, signed").await;
    }

    // HS256 "signed" with the provider's public key material, as a confused verifier would
    // check it: the PEM, the JWK's JSON, the modulus.
    let n = match &rsa.jwk.algorithm {
        jsonwebtoken::jwk::AlgorithmParameters::RSA(p) => p.n.clone(),
        _ => unreachable!(),
    };
    let jwk_json = serde_json::to_string(&rsa.jwk).unwrap();
    for secret in [rsa.public_pem.as_bytes(), jwk_json.as_bytes(), n.as_bytes()] {
        for kid in [Some("rsa-1"), None] {
            let mut header = Header::new(Algorithm::HS256);
            header.kid = kid.map(str::to_string);
            let forged = encode(&header, &claims, &EncodingKey::from_secret(secret)).unwrap();
            refused(&app, &forged, "HS256 with the public key").await;
        }
    }
    let ec_pem = EncodingKey::from_secret(ec.public_pem.as_bytes());
    let forged = encode(&Header::new(Algorithm::HS256), &claims, &ec_pem).unwrap();
    refused(&app, &forged, "HS256 with the EC public key").await;

    // Other algorithms of the same keys.
    for alg in [Algorithm::RS384, Algorithm::RS512, Algorithm::PS256] {
        refused(
            &app,
            &rsa.sign_as(alg, Some("rsa-1"), &claims),
            "RS384/RS512/PS256",
        )
        .await;
    }
    // ES384 in the header over an ES256 signature (a P-256 key cannot sign ES384).
    let es256 = ec.sign(&claims);
    let (_, rest) = es256.split_once('.').unwrap();
    let head = b64url(
        json!({"alg": "ES384", "kid": "ec-1"})
            .to_string()
            .as_bytes(),
    );
    refused(&app, &format!("{head}.{rest}"), "ES384").await;

    // The right algorithm, but another key's kid or a key of another type.
    let stranger = SigningKey::p256("ec-1");
    refused(
        &app,
        &stranger.sign(&claims),
        "a key not in the set, same kid",
    )
    .await;
    refused(
        &app,
        &ec.sign_as(Algorithm::ES256, Some("rsa-1"), &claims),
        "kid of the RSA key",
    )
    .await;
    let tampered = {
        let t = rsa.sign(&claims);
        let mut parts: Vec<&str> = t.split('.').collect();
        let other = b64url(
            serde_json::to_string(&with(&claims, json!({"preferred_username": "admin"})))
                .unwrap()
                .as_bytes(),
        );
        parts[1] = &other;
        parts.join(".")
    };
    refused(&app, &tampered, "claims changed after signing").await;
    // The genuine ones still pass.
    ok(app.get("/api/v1/me", &rsa.sign(&claims)).await, 200).await;
    ok(app.get("/api/v1/me", &ec.sign(&claims)).await, 200).await;
}

#[tokio::test]
async fn unknown_and_deactivated_users_are_refused_and_audited() {
    let key = SigningKey::rsa("rsa-1");
    let idp = Idp::start(&[&key]).await;
    let app = spawn_app_with_sso(idp.settings()).await;
    let admin = app.as_admin().await;

    let r = app
        .get("/api/v1/me", &key.sign(&idp.claims("nobody.here")))
        .await;
    assert_problem(r, 401, "invalid_token").await;
    let events = app.audit(&admin, "action=auth.token_refused").await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["outcome"], "denied");
    assert_eq!(events[0]["after"]["reason"], "unknown_user");
    assert_eq!(events[0]["actor_username"], "nobody.here");
    assert_eq!(events[0]["actor_id"], uuid::Uuid::nil().to_string());

    app.sign_up("leaving", "viewer", None).await;
    let token = key.sign(&idp.claims("leaving"));
    let id = ok(app.get("/api/v1/me", &token).await, 200).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = admin
        .patch(
            &format!("/api/v1/users/{id}"),
            Some("\"1\""),
            json!({"active": false}),
        )
        .await;
    ok(r, 200).await;
    assert_problem(app.get("/api/v1/me", &token).await, 401, "invalid_token").await;
    let events = app.audit(&admin, "action=auth.token_refused").await;
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0]["after"]["reason"], "deactivated");
    assert_eq!(events[0]["actor_id"], id);
    assert_eq!(events[0]["actor_username"], "leaving");

    // Expired but genuine: audited as expired. Forged or for another service: nobody to name.
    let now = chrono::Utc::now().timestamp();
    app.sign_up("staying", "viewer", None).await;
    let expired = with(
        &idp.claims("staying"),
        json!({"iat": now - 900, "exp": now - 600}),
    );
    assert_problem(
        app.get("/api/v1/me", &key.sign(&expired)).await,
        401,
        "invalid_token",
    )
    .await;
    let events = app.audit(&admin, "action=auth.token_refused").await;
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(events[0]["after"]["reason"], "expired");
    assert_eq!(events[0]["actor_username"], "staying");
    let other_aud = with(&idp.claims("staying"), json!({"aud": "another-client"}));
    refused(&app, &key.sign(&other_aud), "another audience").await;
    refused(
        &app,
        &SigningKey::p256("rsa-1").sign(&idp.claims("staying")),
        "forged",
    )
    .await;
    assert_eq!(
        app.audit(&admin, "action=auth.token_refused").await.len(),
        3
    );
}
