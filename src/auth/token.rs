//! Bearer tokens: HS256 JWTs carrying the user id, role and unit.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::account::Role;

/// What a token says.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    pub sub: Uuid,
    pub role: Role,
    pub unit_id: Option<Uuid>,
    /// The user's `token_version` when the token was issued; a token issued before the user's
    /// password, role, unit or active flag changed carries an older one and is refused.
    /// Tokens from before token versions existed carry none: version 0.
    #[serde(default)]
    pub token_version: i32,
    pub iat: i64,
    pub exp: i64,
}

/// Signs and checks tokens with one secret.
#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub lifetime_secs: i64,
}

impl TokenKeys {
    pub fn new(secret: &[u8], lifetime_secs: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "iat", "sub"]);
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            lifetime_secs,
        }
    }

    pub fn issue(
        &self,
        user_id: Uuid,
        role: Role,
        unit_id: Option<Uuid>,
        token_version: i32,
        now: i64,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let claims = Claims {
            sub: user_id,
            role,
            unit_id,
            token_version,
            iat: now,
            exp: now + self.lifetime_secs,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// The claims of a valid, unexpired token signed with our secret using HS256.
    pub fn check(&self, token: &str) -> Option<Claims> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|d| d.claims)
    }

    /// The subject of a token that is ours (signature and claims check) but has expired; `None`
    /// for any other token. Only meaningful when [`TokenKeys::check`] refused it.
    pub fn expired_subject(&self, token: &str) -> Option<Uuid> {
        let mut lenient = self.validation.clone();
        lenient.validate_exp = false;
        decode::<Claims>(token, &self.decoding, &lenient)
            .ok()
            .map(|d| d.claims.sub)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(b"0123456789abcdef0123456789abcdef", 3600)
    }

    #[test]
    fn a_fresh_token_checks_and_a_forged_one_does_not() {
        let now = chrono::Utc::now().timestamp();
        let k = keys();
        let id = Uuid::new_v4();
        let t = k.issue(id, Role::Finance, None, 0, now).unwrap();
        assert_eq!(k.check(&t).unwrap().sub, id);

        let other = TokenKeys::new(b"another secret, another secret!!", 3600);
        assert!(other.check(&t).is_none(), "wrong signature");
        let expired = k.issue(id, Role::Finance, None, 0, now - 7200).unwrap();
        assert!(k.check(&expired).is_none(), "expired");
        assert_eq!(k.expired_subject(&expired), Some(id));
        assert_eq!(other.expired_subject(&expired), None, "expired and forged");
        assert!(k.check("not.a.token").is_none());
        // alg "none": header {"alg":"none","typ":"JWT"}, empty signature
        let payload = t.split('.').nth(1).unwrap();
        assert!(k
            .check(&format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}."))
            .is_none());
    }
}
