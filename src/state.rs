//! What every request handler shares: the database, the token keys and the federation's
//! settings. Kept apart from `startup` so that handlers depend on it and not on the server.

use crate::auth::token::TokenKeys;
use crate::persistence::db::Db;

/// What every handler shares.
pub struct AppState {
    /// Queries on the pool, write transactions on the writer (see [`Db`]).
    pub db: Db,
    pub tokens: TokenKeys,
    /// The life of an API client's token, in seconds (shorter than a person's).
    pub client_token_secs: i64,
    /// Single sign-on: the OpenID Connect provider whose tokens are accepted too, if configured.
    pub oidc: Option<crate::auth::oidc::OidcVerifier>,
    /// The federation's UTC offset, for deadlines ("by July 10" ends at midnight local time).
    pub offset: chrono::FixedOffset,
    /// Whose forwarding headers name the client (see `domain::client_addr`).
    pub trusted_proxies: crate::domain::client_addr::TrustedProxies,
    /// Where webhooks may be registered to (`BM_WEBHOOK_ALLOW_PRIVATE`).
    pub webhook_targets: crate::domain::webhooks::TargetPolicy,
}
