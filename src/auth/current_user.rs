//! The signed-in user of a request, checked against the database on every request so that a
//! deactivated account or a changed role takes effect at once, and a token issued before the
//! account's password, role, unit or active flag changed (an older `token_version`) is refused.

use std::future::Future;
use std::pin::Pin;

use actix_web::{http::header, web, FromRequest, HttpMessage, HttpRequest};
use uuid::Uuid;

use crate::domain::account::Role;
use crate::error::{ApiError, ErrorCode};
use crate::persistence::{self, audit::Actor};
use crate::state::AppState;

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub username: String,
    pub role: Role,
    pub unit_id: Option<Uuid>,
}

impl CurrentUser {
    /// 403 unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "this action needs the role {}",
                roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )))
        }
    }

    pub fn actor(&self) -> Actor {
        Actor {
            id: Some(self.id),
            username: Some(self.username.clone()),
            role: Some(self.role),
            unit_id: self.unit_id,
        }
    }
}

/// A bearer token that was ours (signed with our secret, or by the single sign-on provider) but
/// is refused: its user is unknown or deactivated, or it expired. Left in the request's
/// extensions for the denied-request audit; a token that does not parse leaves nothing.
#[derive(Debug, Clone)]
pub struct RefusedToken {
    pub subject: Uuid,
    /// `expired`, `unknown_user` or `deactivated`.
    pub reason: &'static str,
    /// The user's name, when the user exists.
    pub username: Option<String>,
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Err(ApiError::new(
            ErrorCode::MissingToken,
            "send Authorization: Bearer <token> from POST /api/v1/auth/token",
        ));
    };
    let invalid = || ApiError::new(ErrorCode::InvalidToken, "the bearer token is not valid");
    let s = value.to_str().map_err(|_| invalid())?;
    let (scheme, token) = s.split_once(' ').ok_or_else(invalid)?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(invalid());
    }
    Ok(token.trim().to_string())
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let token = bearer(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let req = req.clone();
        Box::pin(async move {
            let token = token?;
            let state = state.ok_or_else(|| ApiError::Internal("no app state".into()))?;
            // Single sign-on: a token of the OpenID Connect provider has a check of its own.
            if let Some(oidc) = state
                .oidc
                .as_ref()
                .filter(|_| super::oidc::is_foreign(&token))
            {
                return super::oidc::signed_in_user(&state, oidc, &token, &req).await;
            }
            let user = signed_in_user(&state, &token, &req).await?;
            // For the denied-request audit, which runs after the handler.
            req.extensions_mut().insert(user.clone());
            Ok(user)
        })
    }
}

fn invalid_token() -> ApiError {
    ApiError::new(
        ErrorCode::InvalidToken,
        "the bearer token is not valid or has expired",
    )
}

/// Leaves the refusal of a token of ours for the denied-request audit.
fn refuse(req: &HttpRequest, subject: Uuid, reason: &'static str, username: Option<String>) {
    req.extensions_mut().insert(RefusedToken {
        subject,
        reason,
        username,
    });
}

/// The user a token of the service's own names, if the token is valid, the user active and
/// the token issued after the account's last change of password, role, unit or active flag.
async fn signed_in_user(
    state: &AppState,
    token: &str,
    req: &HttpRequest,
) -> Result<CurrentUser, ApiError> {
    let Some(claims) = state.tokens.check(token) else {
        if let Some(sub) = state.tokens.expired_subject(token) {
            refuse(req, sub, "expired", None);
        }
        return Err(invalid_token());
    };
    let user = match persistence::users::get(&state.db, claims.sub).await? {
        Some(u) if u.active => u,
        Some(u) => {
            refuse(req, u.id, "deactivated", Some(u.username));
            return Err(invalid_token());
        }
        None => {
            refuse(req, claims.sub, "unknown_user", None);
            return Err(invalid_token());
        }
    };
    if user.token_version != claims.token_version {
        refuse(req, user.id, "revoked", Some(user.username.clone()));
        return Err(ApiError::new(
            ErrorCode::InvalidToken,
            "this token was issued before the account's password, role, unit or active flag changed; sign in again",
        ));
    }
    Ok(CurrentUser {
        id: user.id,
        username: user.username,
        role: user.role,
        unit_id: user.unit_id,
    })
}

impl CurrentUser {
    /// Whether the caller may see objects of `unit_id`: everyone but a reporter sees all units.
    pub fn sees_unit(&self, unit_id: Uuid) -> bool {
        self.role.reads_everything() || self.unit_id == Some(unit_id)
    }

    /// `found` if the caller may see it: 404 `not_found` when it does not exist, and the same
    /// answer (as [`ApiError::Hidden`], so that it is audited as denied) when it belongs to a
    /// unit the caller does not see.
    pub fn visible<T>(
        &self,
        found: Option<T>,
        unit_of: impl Fn(&T) -> Uuid,
        resource_type: &'static str,
        id: Uuid,
    ) -> Result<T, ApiError> {
        match found {
            None => Err(ApiError::not_found(&resource_type.replace('_', " "))),
            Some(x) if self.sees_unit(unit_of(&x)) => Ok(x),
            Some(_) => Err(ApiError::Hidden {
                resource_type,
                resource_id: id.to_string(),
            }),
        }
    }

    /// The unit filter of a list given the unit asked for: a reporter is limited to its own
    /// unit; `None` when a reporter asks for another unit (the list is then empty).
    pub fn list_unit_filter(&self, asked: Option<Uuid>) -> Option<Option<Uuid>> {
        match (self.unit_scope(), asked) {
            (Some(own), Some(asked)) if own != asked => None,
            (Some(own), _) => Some(Some(own)),
            (None, asked) => Some(asked),
        }
    }

    /// The unit a list must be limited to (a reporter's own), if any.
    pub fn unit_scope(&self) -> Option<Uuid> {
        if self.role.reads_everything() {
            None
        } else {
            Some(self.unit_id.unwrap_or_else(Uuid::nil))
        }
    }
}
