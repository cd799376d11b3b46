//! Managing API clients (admin): create one with a secret made by the server, change its name,
//! role, unit, expiry or enabled flag, rotate its secret. Every write goes through the pipeline.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::pipeline::Change;
use super::precondition::IfMatch;
use crate::auth::{client_secret, CurrentUser};
use crate::domain::account::Role;
use crate::domain::api_client::{self, ApiClient};
use crate::domain::Violations;
use crate::error::{ApiError, ApiResult};
use crate::persistence::clients::{self as repo, ClientChanges, NewClient};
use crate::persistence::units;

const TAKEN: &str = "a client with this name already exists";

/// A new client as the administrator sends it.
#[derive(Debug, Clone)]
pub struct ClientInput {
    pub name: String,
    pub role: Role,
    pub unit_id: Option<Uuid>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Changes to a client; `None` keeps a field, `Some(None)` clears the unit or the expiry.
#[derive(Debug, Clone, Default)]
pub struct ClientEdit {
    pub name: Option<String>,
    pub role: Option<Role>,
    pub unit_id: Option<Option<Uuid>>,
    pub expires_at: Option<Option<DateTime<Utc>>>,
    pub enabled: Option<bool>,
}

/// A secret made for a client: shown once to the caller, stored only as its hash.
pub struct IssuedSecret {
    pub secret: String,
    hash: String,
}

impl IssuedSecret {
    pub fn new() -> Self {
        let (secret, hash) = client_secret::generate();
        IssuedSecret { secret, hash }
    }
}

impl Default for IssuedSecret {
    fn default() -> Self {
        Self::new()
    }
}

/// An instant at the precision both databases keep.
fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    chrono::SubsecRound::trunc_subsecs(t, 6)
}

/// Only admin manages clients.
pub fn authorize(user: &CurrentUser) -> ApiResult<()> {
    user.require(&[Role::Admin])
}

/// Checks a client's fields: its name (returned), its role and unit, its expiry.
async fn check(
    db: &impl ConnectionTrait,
    name: &str,
    role: Role,
    unit_id: Option<Uuid>,
    expiry: Option<Option<DateTime<Utc>>>,
    now: DateTime<Utc>,
) -> ApiResult<String> {
    let mut v = Violations::new();
    let name = api_client::name(&mut v, "name", name);
    api_client::check_role(&mut v, role, unit_id.is_some());
    if let Some(u) = unit_id {
        if units::get(db, u).await?.is_none() {
            v.add("unit_id", "unknown", "no unit has this id");
        }
    }
    if let Some(e) = expiry {
        api_client::check_expiry(&mut v, e, now);
    }
    v.finish(|| ())?;
    name.ok_or_else(|| ApiError::Internal("validated name missing".into()))
}

/// A new client with `secret`.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &impl ConnectionTrait,
    input: ClientInput,
    secret: &IssuedSecret,
    now: DateTime<Utc>,
) -> ApiResult<Change<ApiClient>> {
    let expires_at = input.expires_at.map(micros);
    let name = check(
        db,
        &input.name,
        input.role,
        input.unit_id,
        Some(expires_at),
        now,
    )
    .await?;
    let new = NewClient {
        name,
        role: input.role,
        unit_id: input.unit_id,
        expires_at,
        secret_hash: secret.hash.clone(),
    };
    let c = repo::insert(db, new)
        .await
        .map_err(ApiError::unique(TAKEN))?;
    Ok(Change::created("api_client.create", "api_client", c.id, c))
}

/// The client `id`, or 404.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<ApiClient> {
    repo::get(db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("API client"))
}

/// Changes a client against the version `if_match` names. A change of role, unit or enabled
/// flag, or an expiry brought forward, ends the client's tokens.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    if_match: &IfMatch,
    edit: ClientEdit,
    now: DateTime<Utc>,
) -> ApiResult<Change<ApiClient>> {
    let current = get(db, id).await?;
    let role = edit.role.unwrap_or(current.role);
    let unit_id = edit.unit_id.unwrap_or(current.unit_id);
    let enabled = edit.enabled.unwrap_or(current.enabled);
    let new_expiry = edit.expires_at.map(|e| e.map(micros));
    let expires_at = new_expiry.unwrap_or(current.expires_at);
    let wanted = edit.name.as_deref().unwrap_or(&current.name);
    let name = check(db, wanted, role, unit_id, new_expiry, now).await?;
    if_match.check(current.version)?;
    let changes = ClientChanges {
        end_tokens: api_client::change_ends_tokens(&current, role, unit_id, enabled, expires_at),
        name,
        role,
        unit_id,
        enabled,
        expires_at,
    };
    let written = repo::update(db, current.id, current.version, changes)
        .await
        .map_err(ApiError::unique(TAKEN))?;
    if !written {
        return Err(IfMatch::stale());
    }
    let after = get(db, current.id).await?;
    Ok(Change::updated("api_client.update", "api_client", id, current, after).edit())
}

/// Replaces the client's secret with `secret`: the old one stops working at once, and so do
/// the tokens issued with it. Audited without either secret.
#[tracing::instrument(skip_all)]
pub async fn rotate(
    db: &impl ConnectionTrait,
    id: Uuid,
    secret: &IssuedSecret,
) -> ApiResult<Change<ApiClient>> {
    let current = get(db, id).await?;
    if !repo::set_secret(db, current.id, secret.hash.clone()).await? {
        return Err(ApiError::not_found("API client"));
    }
    let after = get(db, current.id).await?;
    let shown = |c: &ApiClient| {
        Some(serde_json::json!({"version": c.version, "secret_created_at": c.secret_created_at}))
    };
    let audit = (shown(&current), shown(&after));
    Ok(
        Change::updated("api_client.rotate_secret", "api_client", id, current, after)
            .audited_as(audit.0, audit.1),
    )
}
