//! Writes that are not changes of a resource: a sign-in attempt (throttled, audited whether it
//! succeeds or fails) and the audit event of a denied request.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, TransactionSession, TransactionTrait};
use serde_json::json;

use crate::auth::password;
use crate::auth::throttle::{self, login_entry, LoginCharge};
use crate::domain::account::User;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::persistence::audit::{self, Actor, Entry, Origin};
use crate::persistence::users;

/// The longest username and password a sign-in looks at.
const MAX_USERNAME: usize = 255;
const MAX_PASSWORD: usize = 1024;

fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> impl std::future::Future<Output = ApiResult<T>> {
    let task = tokio::task::spawn_blocking(f);
    async move { task.await.map_err(|e| ApiError::Internal(e.to_string())) }
}

/// The active account `username` names if `password` is its password. Each attempt is counted
/// before the password is checked (429 once over the limit) and audited (`auth.login` or
/// `auth.login_failed`); a success forgets the username's failures from its address.
#[tracing::instrument(skip_all)]
pub async fn sign_in(
    db: &(impl TransactionTrait + ConnectionTrait),
    origin: &Origin,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> ApiResult<User> {
    let username = username.trim().to_string();
    if username.len() > MAX_USERNAME || password.len() > MAX_PASSWORD {
        return Err(ApiError::field(
            "username",
            "too_long",
            "username or password too long",
        ));
    }
    let slot = match throttle::charge_login(db, origin, &username, now.timestamp()).await? {
        LoginCharge::Go(slot) => slot,
        LoginCharge::Throttled { retry_after } => return Err(ApiError::throttled(retry_after)),
    };
    let found = users::find_for_login(db, &username).await?;
    let pw = password.to_string();
    let ok_user = match &found {
        Some((u, hash)) => {
            let h = hash.clone();
            let matches = blocking(move || password::verify(&pw, &h)).await?;
            (matches && u.active).then(|| u.clone())
        }
        None => {
            let _ = blocking(move || password::verify_dummy(&pw)).await;
            None
        }
    };
    let txn = db.begin().await?;
    let after = json!({"username": username});
    let Some(user) = ok_user else {
        let id = found.map(|(u, _)| u.id);
        let entry = login_entry("auth.login_failed", "failure", id, after);
        audit::record(&txn, &Actor::default(), origin, entry).await?;
        txn.commit().await?;
        return Err(ApiError::new(
            ErrorCode::InvalidCredentials,
            "wrong username or password",
        ));
    };
    throttle::login_succeeded(&txn, &slot).await?;
    let actor = Actor {
        id: Some(user.id),
        username: Some(user.username.clone()),
        role: Some(user.role),
        unit_id: user.unit_id,
    };
    let entry = login_entry("auth.login", "success", Some(user.id), after);
    audit::record(&txn, &actor, origin, entry).await?;
    txn.commit().await?;
    Ok(user)
}

/// Counts one denied request of `subject` and writes its audit event while the caller is within
/// the limit of its window (beyond it the denial is counted only).
#[tracing::instrument(skip_all)]
pub async fn record_denial(
    db: &impl TransactionTrait,
    origin: &Origin,
    subject: &str,
    actor: &Actor,
    entry: Entry,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    if throttle::count_denied(&txn, origin, subject, now.timestamp()).await? {
        audit::record(&txn, actor, origin, entry).await?;
    }
    txn.commit().await
}
