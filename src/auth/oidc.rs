//! Single sign-on: bearer tokens signed by an OpenID Connect provider (`BM_OIDC_*`), accepted
//! beside the service's own HS256 tokens.
//!
//! A token is the provider's when its header says RS256 or ES256 (the service's own tokens are
//! always HS256, and every other algorithm, `none` included, is refused). Its `kid` picks the key
//! from the provider's key set ([`jwks`]); its signature, `iss`, `aud`, `exp` and `nbf` are
//! checked with [`LEEWAY`] seconds for clock skew. One claim (`preferred_username` by default)
//! names the local user: the user must exist and be active, and the role and unit are the
//! local user's, read on every request like for the service's own tokens — nothing else in the
//! provider's token counts.

mod jwks;

use actix_web::{HttpMessage, HttpRequest};
use jsonwebtoken::{decode, decode_header, errors::ErrorKind, Algorithm, Validation};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{CurrentUser, RefusedToken};
use crate::config::OidcSettings;
use crate::error::{ApiError, ErrorCode};
use crate::persistence;
use crate::state::AppState;

/// The only algorithms a provider's token may be signed with.
const ALGORITHMS: [Algorithm; 2] = [Algorithm::RS256, Algorithm::ES256];
/// Seconds of clock skew allowed on `exp` and `nbf`.
pub const LEEWAY: u64 = 30;

/// What a provider's token says, once checked.
#[derive(Debug, PartialEq, Eq)]
pub enum Checked {
    /// Signed by the provider, for this service, in its validity: the username it names.
    Valid(String),
    /// Signed by the provider for this service but expired: the username it names.
    Expired(String),
    /// Anything else.
    Invalid,
}

/// Checks the tokens of the configured provider.
pub struct OidcVerifier {
    keys: jwks::KeySet,
    issuer: String,
    audience: String,
    username_claim: String,
}

/// Whether `token` claims to be a provider's token (signed with RS256 or ES256): those go to
/// [`OidcVerifier`], everything else to the service's own token check.
pub fn is_foreign(token: &str) -> bool {
    decode_header(token).is_ok_and(|h| ALGORITHMS.contains(&h.alg))
}

impl OidcVerifier {
    pub fn new(settings: &OidcSettings) -> Result<Self, String> {
        Ok(OidcVerifier {
            keys: jwks::KeySet::new(settings)?,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            username_claim: settings.username_claim.clone(),
        })
    }

    fn validation(&self, alg: Algorithm) -> Validation {
        let mut v = Validation::new(alg);
        v.algorithms = vec![alg];
        v.leeway = LEEWAY;
        v.validate_nbf = true;
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[&self.audience]);
        v.set_required_spec_claims(&["exp", "iss", "aud"]);
        v
    }

    /// The username a token of the provider names, if it is valid (or only expired).
    pub async fn check(&self, token: &str) -> Checked {
        let Ok(header) = decode_header(token) else {
            return Checked::Invalid;
        };
        if !ALGORITHMS.contains(&header.alg) {
            return Checked::Invalid;
        }
        let Some(key) = self.keys.key(header.kid.as_deref(), header.alg).await else {
            tracing::info!(kid = ?header.kid, alg = ?header.alg, "a bearer token names no key of the OpenID Connect provider");
            return Checked::Invalid;
        };
        let mut validation = self.validation(header.alg);
        let claims = match decode::<Map<String, Value>>(token, &key, &validation) {
            Ok(data) => {
                return self
                    .username(&data.claims)
                    .map_or(Checked::Invalid, Checked::Valid)
            }
            Err(e) if *e.kind() == ErrorKind::ExpiredSignature => {
                validation.validate_exp = false;
                decode::<Map<String, Value>>(token, &key, &validation)
            }
            Err(e) => Err(e),
        };
        match claims {
            Ok(data) => self
                .username(&data.claims)
                .map_or(Checked::Invalid, Checked::Expired),
            Err(e) => {
                tracing::info!(error = %e, "refused a bearer token of the OpenID Connect provider");
                Checked::Invalid
            }
        }
    }

    fn username(&self, claims: &Map<String, Value>) -> Option<String> {
        let name = claims
            .get(&self.username_claim)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty());
        if name.is_none() {
            tracing::info!(claim = %self.username_claim, "a token of the OpenID Connect provider has no username claim");
        }
        name.map(str::to_string)
    }
}

/// The signed-in user of a request bearing a provider's token: the active local user it names.
/// A token naming an unknown or deactivated user, or expired, is refused like the service's own
/// (and left for the denied-request audit as a [`RefusedToken`]; an unknown user has no id, so
/// its subject is the nil UUID and its username the one the token claims).
pub(super) async fn signed_in_user(
    state: &AppState,
    verifier: &OidcVerifier,
    token: &str,
    req: &HttpRequest,
) -> Result<CurrentUser, ApiError> {
    let (username, expired) = match verifier.check(token).await {
        Checked::Valid(u) => (u, false),
        Checked::Expired(u) => (u, true),
        Checked::Invalid => {
            return Err(ApiError::new(
                ErrorCode::InvalidToken,
                "the bearer token is not valid or has expired",
            ))
        }
    };
    let refused = |subject, reason, username, detail: &str| {
        req.extensions_mut().insert(RefusedToken {
            subject,
            reason,
            username: Some(username),
        });
        ApiError::new(ErrorCode::InvalidToken, detail.to_string())
    };
    let no_user = "the single sign-on token names no active user of this service";
    let user = match persistence::users::find_for_login(&state.db, &username).await? {
        None => return Err(refused(Uuid::nil(), "unknown_user", username, no_user)),
        Some((u, _)) if expired => {
            let detail = "the bearer token is not valid or has expired";
            return Err(refused(u.id, "expired", u.username, detail));
        }
        Some((u, _)) if !u.active => return Err(refused(u.id, "deactivated", u.username, no_user)),
        Some((u, _)) => u,
    };
    let user = CurrentUser {
        id: user.id,
        username: user.username,
        role: user.role,
        unit_id: user.unit_id,
    };
    // For the denied-request audit, which runs after the handler.
    req.extensions_mut().insert(user.clone());
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_rs256_and_es256_headers_are_the_providers() {
        let token = |header: &str| format!("{header}.e30.c2ln");
        // {"alg":"RS256","kid":"k"} and {"alg":"ES256"}
        assert!(is_foreign(&token("eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ")));
        assert!(is_foreign(&token("eyJhbGciOiJFUzI1NiJ9")));
        for other in [
            "eyJhbGciOiJIUzI1NiJ9", // {"alg":"HS256"}
            "eyJhbGciOiJub25lIn0",  // {"alg":"none"}
            "eyJhbGciOiJSUzM4NCJ9", // {"alg":"RS384"}
            "eyJhbGciOiJQUzI1NiJ9", // {"alg":"PS256"}
            "bm90IGpzb24",          // not json
        ] {
            assert!(!is_foreign(&token(other)), "{other}");
        }
        assert!(!is_foreign("garbage"));
    }
}
