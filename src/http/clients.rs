//! `/clients`: API clients (machine accounts), managed by the administrator only. A client
//! gets short-lived tokens from `POST /auth/token` with OAuth 2.0 client credentials.

use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use uuid::Uuid;

use super::extract::{IfMatch, Json, NoBody, PageParams, Paginated};
use super::respond::{reply, with_etag, Resource, Writer};
use crate::app::clients::{self, ClientEdit, ClientInput, IssuedSecret};
use crate::app::pipeline::Outcome;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::api_client::ApiClient;
use crate::error::ApiResult;
use crate::persistence::clients::{self as repo, ClientFilter};
use crate::state::AppState;

/// An API client. Its secret is shown only in the answers to create and rotate.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "3f0b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "client_id": "3f0b1c2d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
    "name": "province-platform", "role": "viewer", "unit_id": null, "enabled": true,
    "expires_at": "2027-12-31T16:00:00Z", "expired": false,
    "secret_created_at": "2026-01-05T09:00:00Z", "version": 1,
    "created_at": "2026-01-05T09:00:00Z", "updated_at": "2026-01-05T09:00:00Z"
}))]
pub struct ClientResponse {
    pub id: Uuid,
    /// The OAuth 2.0 `client_id` (the same as `id`).
    pub client_id: Uuid,
    /// Letters, digits, `.`, `_`, `-`; the audit trail names the client `client:<name>`.
    pub name: String,
    pub role: Role,
    /// The unit of a reporter client (optional for other roles).
    pub unit_id: Option<Uuid>,
    /// A disabled client gets no token, and its tokens stop working at once.
    pub enabled: bool,
    /// After this instant the client gets no token; `null`: it never expires.
    pub expires_at: Option<DateTime<Utc>>,
    /// Whether `expires_at` has passed.
    pub expired: bool,
    /// When the current secret was made.
    pub secret_created_at: DateTime<Utc>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The secret, only in the answer to create and to rotate: shown this once and stored only
    /// as a hash. A retried create (same `Idempotency-Key`) answers without it: rotate to get
    /// a new one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "hV3q9yPj0kXb4mWn7sRt2uLc8dEa5fGi1oZxYvBwQeM")]
    pub client_secret: Option<String>,
}

impl ClientResponse {
    fn of(c: ApiClient, now: DateTime<Utc>) -> Self {
        ClientResponse {
            expired: c.expired(now),
            id: c.id,
            client_id: c.id,
            name: c.name,
            role: c.role,
            unit_id: c.unit_id,
            enabled: c.enabled,
            expires_at: c.expires_at,
            secret_created_at: c.secret_created_at,
            version: c.version,
            created_at: c.created_at,
            updated_at: c.updated_at,
            client_secret: None,
        }
    }
}

impl Resource for ClientResponse {
    fn location(&self) -> String {
        format!("/api/v1/clients/{}", self.id)
    }
    fn version(&self) -> Option<i32> {
        Some(self.version)
    }
}

/// A new API client.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "province-platform", "role": "viewer", "expires_at": "2027-12-31T16:00:00Z"}))]
pub struct CreateClientRequest {
    /// 3–64 letters, digits, `.`, `_`, `-`; unique among clients.
    #[schema(min_length = 3, max_length = 64, pattern = "^[A-Za-z0-9._-]{3,64}$")]
    pub name: String,
    /// `viewer`, `reporter` or `finance` (a client is never admin).
    pub role: Role,
    /// Required for a reporter.
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    /// An instant in the future after which the client gets no token; absent: never.
    #[serde(default)]
    pub expires_at: Option<DateTime<Utc>>,
}

/// Changes to a client; absent fields stay, `unit_id: null` detaches the unit and
/// `expires_at: null` removes the expiry.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"enabled": false}))]
pub struct UpdateClientRequest {
    #[schema(min_length = 3, max_length = 64, pattern = "^[A-Za-z0-9._-]{3,64}$")]
    pub name: Option<String>,
    pub role: Option<Role>,
    #[serde(default, deserialize_with = "super::extract::double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub unit_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "super::extract::double_option")]
    #[schema(value_type = Option<DateTime<Utc>>, nullable)]
    pub expires_at: Option<Option<DateTime<Utc>>>,
    pub enabled: Option<bool>,
}

impl From<UpdateClientRequest> for ClientEdit {
    fn from(r: UpdateClientRequest) -> Self {
        ClientEdit {
            name: r.name,
            role: r.role,
            unit_id: r.unit_id,
            expires_at: r.expires_at,
            enabled: r.enabled,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClientListQuery {
    pub role: Option<Role>,
    pub unit_id: Option<Uuid>,
    pub enabled: Option<bool>,
}

/// The answer to a write that made a secret: the client with its secret, shown this once (a
/// replayed create has none: the secret is never stored).
fn reply_with_secret(outcome: Outcome<ClientResponse>, secret: IssuedSecret) -> HttpResponse {
    match outcome {
        Outcome::Done(mut change) => {
            change.after.client_secret = Some(secret.secret);
            reply(Outcome::Done(change))
        }
        replayed => reply(replayed),
    }
}

/// Create an API client (admin); the answer carries its secret, shown this once.
///
/// `curl -X POST $BM/api/v1/clients -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d '{"name":"province-platform","role":"viewer"}'`
#[utoipa::path(
    tag = "clients",
    request_body = CreateClientRequest,
    params(crate::http::extract::IdempotencyKeyHeader),
    responses(
        (status = 201, description = "The new client with its `client_secret` (shown this once)", body = ClientResponse, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A client with this name already exists.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_client(w: Writer, body: Json<CreateClientRequest>) -> ApiResult<HttpResponse> {
    let req = body.0;
    let secret = IssuedSecret::new();
    let write = w.idempotent(&req);
    let now = write.now;
    let outcome = write
        .run(
            async |_| clients::authorize(&w.user),
            async |txn, ()| {
                let input = ClientInput {
                    name: req.name.clone(),
                    role: req.role,
                    unit_id: req.unit_id,
                    expires_at: req.expires_at,
                };
                let change = clients::create(txn, input, &secret, now).await?;
                Ok(change.map(|c| ClientResponse::of(c, now)))
            },
        )
        .await?;
    Ok(reply_with_secret(outcome, secret))
}

/// List API clients (admin), ordered by name.
#[utoipa::path(
    tag = "clients",
    params(PageParams, ClientListQuery),
    responses(
        (status = 200, description = "One page of clients", body = Paginated<ClientResponse>),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_clients(
    state: web::Data<AppState>,
    user: CurrentUser,
    page: web::Query<PageParams>,
    q: web::Query<ClientListQuery>,
) -> ApiResult<HttpResponse> {
    clients::authorize(&user)?;
    let page = page.check()?;
    let f = ClientFilter {
        role: q.role,
        unit_id: q.unit_id,
        enabled: q.enabled,
    };
    let (rows, total) = repo::list(&state.db, &f, page.offset(), page.per_page).await?;
    let now = crate::persistence::now();
    let items = rows
        .into_iter()
        .map(|c| ClientResponse::of(c, now))
        .collect();
    Ok(HttpResponse::Ok().json(Paginated::new(items, total, page)))
}

/// Read one API client (admin); its secret is never shown again.
#[utoipa::path(
    tag = "clients",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The client, without its secret", body = ClientResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_client(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
) -> ApiResult<HttpResponse> {
    clients::authorize(&user)?;
    let c = clients::get(&state.db, *id).await?;
    let now = crate::persistence::now();
    Ok(with_etag(StatusCode::OK, &ClientResponse::of(c, now)))
}

/// Change an API client's name, role, unit, expiry or enabled flag (admin); needs `If-Match`.
///
/// Disabling a client (`enabled: false`) stops it at once: it gets no new token, and the next
/// request with a token it already has gets 401 `invalid_token`. A change of the role or the
/// unit, or an expiry brought forward, also ends its tokens (it asks for a new one); a new name
/// or a later expiry does not.
#[utoipa::path(
    tag = "clients",
    params(("id" = Uuid, Path), ("If-Match" = String, Header, description = "The ETag from your last read")),
    request_body = UpdateClientRequest,
    responses(
        (status = 200, description = "The changed client", body = ClientResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A client with this name already exists.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The resource changed since your read: the `If-Match` is stale; nothing was changed.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 428, description = "`If-Match` is missing.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn update_client(
    w: Writer,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Json<UpdateClientRequest>,
) -> ApiResult<HttpResponse> {
    let write = w.write();
    let now = write.now;
    let outcome = write
        .run(
            async |_| clients::authorize(&w.user),
            async |txn, ()| {
                let change = clients::update(txn, *id, &if_match, body.0.into(), now).await?;
                Ok(change.map(|c| ClientResponse::of(c, now)))
            },
        )
        .await?;
    Ok(reply(outcome))
}

/// Rotate an API client's secret (admin): the answer carries the new secret, shown this once.
///
/// The old secret stops working at once, and so do the tokens issued with it (the next request
/// with one gets 401 `invalid_token`): put the new secret in place, then ask for a token.
#[utoipa::path(
    tag = "clients",
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The client with its new `client_secret` (shown this once)", body = ClientResponse, headers(("ETag" = String))),
        (status = 403, description = "Needs the role admin.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client.", body = crate::error::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/{id}/rotate")]
#[tracing::instrument(skip_all)]
pub async fn rotate_client_secret(
    w: Writer,
    id: web::Path<Uuid>,
    _body: NoBody,
) -> ApiResult<HttpResponse> {
    let secret = IssuedSecret::new();
    let write = w.write();
    let now = write.now;
    let outcome = write
        .run(
            async |_| clients::authorize(&w.user),
            async |txn, ()| {
                let change = clients::rotate(txn, *id, &secret).await?;
                Ok(change.map(|c| ClientResponse::of(c, now)))
            },
        )
        .await?;
    Ok(reply_with_secret(outcome, secret))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_client)
        .service(list_clients)
        .service(get_client)
        .service(update_client)
        .service(rotate_client_secret);
}
