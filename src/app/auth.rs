//! Writes that are not changes of a resource: a sign-in attempt (throttled, audited whether it
//! succeeds or fails) and the audit event of a denied request.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, TransactionSession, TransactionTrait};
use serde_json::json;

use crate::auth::throttle::{self, login_entry, LoginCharge};
use crate::auth::{client_secret, password};
use crate::domain::account::User;
use crate::domain::api_client::{self, ApiClient};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::metrics;
use crate::persistence::audit::{self, Actor, Entry, Origin};
use crate::persistence::{clients, users};

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
        LoginCharge::Throttled { retry_after } => {
            metrics::sign_in_throttled("password");
            return Err(ApiError::throttled(retry_after));
        }
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
        metrics::sign_in_failed("password", "invalid_credentials");
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

/// What an `invalid_client` answer says when the credentials are wrong: the same whether the
/// client is unknown or its secret wrong.
pub const CLIENT_FAILED: &str = "client authentication failed: unknown client or wrong secret";

/// `invalid_client` (401) saying `detail`.
fn invalid_client(detail: &str) -> ApiError {
    ApiError::new(ErrorCode::InvalidClient, detail)
}

/// Whether `secret` is the secret of the client `client_id` and the client may sign in now:
/// the refusal's reason if not, and the client if there is one.
async fn check_client(
    db: &impl ConnectionTrait,
    client_id: &str,
    secret: &str,
    now: DateTime<Utc>,
) -> ApiResult<(Result<(), &'static str>, Option<ApiClient>)> {
    let found = match client_id.parse::<uuid::Uuid>() {
        Ok(id) => clients::find_with_secret(db, id).await?,
        Err(_) => None,
    };
    // SHA-256 of a high-entropy secret: fast enough to run here (see `client_secret`).
    Ok(match found {
        None => {
            client_secret::verify_dummy(secret);
            (Err("unknown_client"), None)
        }
        Some((c, hash)) if !client_secret::verify(secret, &hash) => (Err("wrong_secret"), Some(c)),
        Some((c, _)) => (c.refusal(now).map_or(Ok(()), Err), Some(c)),
    })
}

/// Records a refused client sign-in for `reason` and returns the answer to give.
async fn refuse_client(
    txn: &impl ConnectionTrait,
    origin: &Origin,
    client_id: &str,
    client: Option<ApiClient>,
    reason: &'static str,
) -> ApiResult<ApiError> {
    let after = json!({"client_id": client_id, "reason": reason});
    let id = client.map(|c| c.id);
    let entry = login_entry("auth.client_token_failed", "failure", id, after);
    audit::record(txn, &Actor::default(), origin, entry).await?;
    // Whoever proved the secret may know why the client is refused; nobody else may.
    Ok(invalid_client(match reason {
        "disabled" => "this client is disabled",
        "expired" => "this client has expired",
        _ => CLIENT_FAILED,
    }))
}

/// The API client `client_id` names if `secret` is its secret and it is enabled and unexpired
/// (OAuth 2.0 client credentials). Throttled and audited like a password sign-in: each attempt
/// is counted first, under the name `client:<client_id>` (429 once over the limit), then
/// audited (`auth.client_token` by the client, or `auth.client_token_failed` with the reason).
#[tracing::instrument(skip_all)]
pub async fn sign_in_client(
    db: &(impl TransactionTrait + ConnectionTrait),
    origin: &Origin,
    client_id: &str,
    secret: &str,
    now: DateTime<Utc>,
) -> ApiResult<ApiClient> {
    if client_id.len() > MAX_USERNAME || secret.len() > MAX_PASSWORD {
        return Err(invalid_client("client_id or client_secret too long"));
    }
    let account = format!("{}{client_id}", api_client::USERNAME_PREFIX);
    let slot = match throttle::charge_login(db, origin, &account, now.timestamp()).await? {
        LoginCharge::Go(slot) => slot,
        LoginCharge::Throttled { retry_after } => {
            metrics::sign_in_throttled("client");
            return Err(ApiError::throttled(retry_after));
        }
    };
    let (outcome, client) = check_client(db, client_id, secret, now).await?;
    let txn = db.begin().await?;
    let client = match (client, outcome) {
        (Some(c), Ok(())) => c,
        (client, outcome) => {
            let reason = outcome.err().unwrap_or("unknown_client");
            let refused = refuse_client(&txn, origin, client_id, client, reason).await?;
            txn.commit().await?;
            metrics::sign_in_failed("client", reason);
            return Err(refused);
        }
    };
    throttle::login_succeeded(&txn, &slot).await?;
    let actor = Actor {
        id: Some(client.id),
        username: Some(api_client::username_of(&client.name)),
        role: Some(client.role),
        unit_id: client.unit_id,
    };
    let after = json!({"client_id": client.id});
    let entry = login_entry("auth.client_token", "success", Some(client.id), after);
    audit::record(&txn, &actor, origin, entry).await?;
    txn.commit().await?;
    Ok(client)
}
