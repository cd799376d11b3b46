//! Settings from the environment, checked once at start-up.

use std::path::PathBuf;
use std::time::Duration;

use crate::domain::client_addr::TrustedProxies;

mod telemetry;
pub use telemetry::{telemetry_settings, OtlpSettings, TelemetrySettings};

/// Everything the service is configured with.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `DATABASE_URL`; defaults to a SQLite file in the data folder.
    pub database_url: String,
    /// `BM_BIND`, default `127.0.0.1:8080`.
    pub bind: String,
    /// `BM_DATA_DIR`, default `./data`.
    pub data_dir: PathBuf,
    /// `BM_ADMIN_PASSWORD`: the first admin's password (generated and printed once if unset).
    pub admin_password: Option<String>,
    /// `BM_JWT_SECRET`: the token signing secret (at least 32 bytes).
    pub jwt_secret: Option<String>,
    /// `BM_TOKEN_TTL_SECS`, default 28800 (8 h).
    pub token_ttl_secs: i64,
    /// `BM_CLIENT_TOKEN_TTL_SECS`, default 900 (15 min): the life of an API client's token.
    pub client_token_ttl_secs: i64,
    /// `BM_LOG_FORMAT`: `text` (default) or `json`.
    pub log_json: bool,
    /// `BM_UTC_OFFSET`: the federation's time zone as an offset, default `+08:00` (Asia/Shanghai).
    pub utc_offset: chrono::FixedOffset,
    /// `BM_CORS_ORIGINS`: the exact origins (`https://app.example.org`) whose pages may call the
    /// API from a browser, comma-separated; empty (the default) allows no other origin.
    pub cors_origins: Vec<String>,
    /// `BM_TRUSTED_PROXIES`: reverse proxies (IP addresses or CIDR ranges, comma-separated)
    /// whose `Forwarded` / `X-Forwarded-For` headers name the client; empty (the default)
    /// trusts none and the client is the connection's peer.
    pub trusted_proxies: TrustedProxies,
    /// Single sign-on: bearer tokens of an OpenID Connect provider, accepted beside the
    /// service's own when `BM_OIDC_ISSUER` and `BM_OIDC_AUDIENCE` are both set.
    pub oidc: Option<OidcSettings>,
    /// `BM_EVENT_RETENTION_DAYS`, default 400: change-feed events older than this many days are
    /// deleted (at start-up and every hour).
    pub event_retention_days: u32,
    /// `BM_WEBHOOK_*`: how webhooks are delivered.
    pub webhooks: WebhookSettings,
    /// Metrics and traces (`BM_METRICS_*`, `OTEL_*`; see [`TelemetrySettings`]).
    pub telemetry: TelemetrySettings,
}

/// How the delivery worker sends webhooks (see `delivery`).
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookSettings {
    /// `BM_WEBHOOK_ALLOW_PRIVATE`, default `false`: allow plain `http://` and private, loopback
    /// and link-local targets (development and tests only).
    pub allow_private: bool,
    /// `BM_WEBHOOK_POLL_MS`, default 1000: how often an idle worker looks for due deliveries.
    pub poll: Duration,
    /// `BM_WEBHOOK_MAX_FAILURES`, default 20: failed attempts in a row (over all of an
    /// endpoint's deliveries) after which the endpoint is disabled.
    pub max_failures: u32,
    /// `BM_WEBHOOK_TIMEOUT_SECS`, default 10: the most one attempt may take, connecting
    /// included.
    pub timeout: Duration,
    /// `BM_WEBHOOK_RETRY_SCALE`, default 1: the retry schedule multiplied by this factor
    /// (0.001 turns the 5 s first wait into 5 ms; for tests and drills, never production).
    pub retry_scale: f64,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            allow_private: false,
            poll: Duration::from_millis(1000),
            max_failures: 20,
            timeout: Duration::from_secs(10),
            retry_scale: 1.0,
        }
    }
}

impl WebhookSettings {
    /// The `BM_WEBHOOK_*` settings read through `var`.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let d = WebhookSettings::default();
        let number = |k: &str, range: std::ops::RangeInclusive<u64>, default: u64| match var(k) {
            None => Ok(default),
            Some(v) => v
                .parse::<u64>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| {
                    format!(
                        "{k} must be a whole number from {} to {}",
                        range.start(),
                        range.end()
                    )
                }),
        };
        let allow_private = match var("BM_WEBHOOK_ALLOW_PRIVATE").as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => return Err("BM_WEBHOOK_ALLOW_PRIVATE must be `true` or `false`".into()),
        };
        let retry_scale = match var("BM_WEBHOOK_RETRY_SCALE") {
            None => d.retry_scale,
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|f| (0.0001..=1.0).contains(f))
                .ok_or("BM_WEBHOOK_RETRY_SCALE must be a number from 0.0001 to 1")?,
        };
        Ok(WebhookSettings {
            allow_private,
            poll: Duration::from_millis(number("BM_WEBHOOK_POLL_MS", 10..=60_000, 1000)?),
            max_failures: number("BM_WEBHOOK_MAX_FAILURES", 1..=10_000, 20)? as u32,
            timeout: Duration::from_secs(number("BM_WEBHOOK_TIMEOUT_SECS", 1..=60, 10)?),
            retry_scale,
        })
    }
}

/// The OpenID Connect provider whose tokens are accepted (see `auth::oidc`).
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// `BM_OIDC_ISSUER`: the provider's issuer URL, exactly as its tokens' `iss` says it.
    pub issuer: String,
    /// `BM_OIDC_AUDIENCE`: the `aud` its tokens must carry for this service (its client id).
    pub audience: String,
    /// `BM_OIDC_JWKS_URL`: where its signing keys are; by default the `jwks_uri` of
    /// `<issuer>/.well-known/openid-configuration`.
    pub jwks_url: Option<String>,
    /// `BM_OIDC_USERNAME_CLAIM`: the claim naming the local user, default `preferred_username`.
    pub username_claim: String,
    /// How long after a fetch of the key set a token with an unknown key id may fetch it again:
    /// one minute (not an environment setting; tests shorten it).
    pub min_refresh: std::time::Duration,
}

impl Settings {
    /// Reads the environment; an unusable value is an error naming the variable.
    pub fn from_env() -> Result<Self, String> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let data_dir = PathBuf::from(var("BM_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = var("DATABASE_URL").unwrap_or_else(|| {
            format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("budget-monitor.db").display()
            )
        });
        let token_ttl_secs = seconds(var, "BM_TOKEN_TTL_SECS", 8 * 3600, 7 * 24 * 3600)?;
        let client_token_ttl_secs = seconds(var, "BM_CLIENT_TOKEN_TTL_SECS", 15 * 60, 24 * 3600)?;
        let log_json = log_json(var("BM_LOG_FORMAT").as_deref())?;
        let utc_offset = utc_offset(var("BM_UTC_OFFSET").as_deref())?;
        let cors_origins = cors_origins(var("BM_CORS_ORIGINS").as_deref().unwrap_or(""))?;
        let trusted_proxies =
            TrustedProxies::parse(var("BM_TRUSTED_PROXIES").as_deref().unwrap_or(""))
                .map_err(|e| format!("BM_TRUSTED_PROXIES: {e}"))?;
        let event_retention_days = retention_days(var("BM_EVENT_RETENTION_DAYS").as_deref())?;
        let s = Settings {
            database_url,
            bind: var("BM_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            data_dir,
            admin_password: var("BM_ADMIN_PASSWORD"),
            jwt_secret: var("BM_JWT_SECRET"),
            token_ttl_secs,
            client_token_ttl_secs,
            log_json,
            utc_offset,
            cors_origins,
            trusted_proxies,
            oidc: oidc_settings(var)?,
            event_retention_days,
            webhooks: WebhookSettings::from_vars(var)?,
            telemetry: telemetry_settings(var)?,
        };
        s.check()?;
        Ok(s)
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    fn check(&self) -> Result<(), String> {
        if !(self.is_sqlite() || self.database_url.starts_with("postgres")) {
            return Err("DATABASE_URL must start with sqlite:// or postgres://".into());
        }
        if let Some(s) = &self.jwt_secret {
            if s.len() < 32 {
                return Err("BM_JWT_SECRET must be at least 32 bytes".into());
            }
        } else if !self.is_sqlite() {
            return Err(
                "BM_JWT_SECRET is required with PostgreSQL (at least 32 random bytes, shared by every instance)"
                    .into(),
            );
        }
        if let Some(p) = &self.admin_password {
            if p.chars().count() < 10 {
                return Err("BM_ADMIN_PASSWORD must be at least 10 characters".into());
            }
        }
        Ok(())
    }

    /// The signing secret: configured, or on SQLite generated once and kept in the data folder.
    pub fn load_jwt_secret(&self) -> Result<Vec<u8>, String> {
        if let Some(s) = &self.jwt_secret {
            return Ok(s.as_bytes().to_vec());
        }
        let path = self.data_dir.join("jwt-secret");
        if let Ok(existing) = std::fs::read_to_string(&path) {
            let t = existing.trim();
            if t.len() >= 32 {
                return Ok(t.as_bytes().to_vec());
            }
        }
        std::fs::create_dir_all(&self.data_dir)
            .map_err(|e| format!("cannot create {}: {e}", self.data_dir.display()))?;
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| e.to_string())?;
        let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        write_private(&path, &secret)?;
        Ok(secret.into_bytes())
    }
}

/// Writes a file only its owner may read.
pub fn write_private(path: &std::path::Path, content: &str) -> Result<(), String> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    f.write_all(content.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The `BM_OIDC_*` settings read through `var`: `None` when single sign-on is off.
pub fn oidc_settings(var: impl Fn(&str) -> Option<String>) -> Result<Option<OidcSettings>, String> {
    let (issuer, audience) = match (var("BM_OIDC_ISSUER"), var("BM_OIDC_AUDIENCE")) {
        (Some(i), Some(a)) => (i, a),
        (None, None) => {
            return match ["BM_OIDC_JWKS_URL", "BM_OIDC_USERNAME_CLAIM"]
                .into_iter()
                .find(|k| var(k).is_some())
            {
                Some(k) => Err(format!(
                    "{k} is set but single sign-on is off: set BM_OIDC_ISSUER and BM_OIDC_AUDIENCE too"
                )),
                None => Ok(None),
            }
        }
        (Some(_), None) => return Err("BM_OIDC_ISSUER needs BM_OIDC_AUDIENCE (the client id the provider's tokens carry as `aud`)".into()),
        (None, Some(_)) => return Err("BM_OIDC_AUDIENCE needs BM_OIDC_ISSUER (the provider's issuer URL)".into()),
    };
    fetchable_url(&issuer).map_err(|e| format!("BM_OIDC_ISSUER: {e}"))?;
    let jwks_url = var("BM_OIDC_JWKS_URL");
    if let Some(u) = &jwks_url {
        fetchable_url(u).map_err(|e| format!("BM_OIDC_JWKS_URL: {e}"))?;
    }
    let username_claim =
        var("BM_OIDC_USERNAME_CLAIM").unwrap_or_else(|| "preferred_username".into());
    Ok(Some(OidcSettings {
        issuer,
        audience,
        jwks_url,
        username_claim,
        min_refresh: std::time::Duration::from_secs(60),
    }))
}

/// Whether the service may fetch signing keys from `url`: `https://`, or plain `http://` to this
/// machine only (keys fetched in the clear could be swapped on the way).
pub fn fetchable_url(url: &str) -> Result<(), String> {
    if let Some(rest) = url.strip_prefix("https://") {
        if !rest.is_empty() && !rest.starts_with('/') {
            return Ok(());
        }
    } else if let Some(rest) = url.strip_prefix("http://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = match authority.rsplit_once(':') {
            Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
            _ => authority,
        };
        let loopback = host == "localhost"
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if loopback {
            return Ok(());
        }
        return Err(format!(
            "`{url}` is plain http to another machine; use https (http only for localhost)"
        ));
    }
    Err(format!("`{url}` is not an https:// URL"))
}

/// The origins of `BM_CORS_ORIGINS`: each `http://` or `https://` with a host and an optional
/// port, nothing after it.
pub fn cors_origins(value: &str) -> Result<Vec<String>, String> {
    let mut origins = vec![];
    for o in value.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        let rest = o
            .strip_prefix("https://")
            .or_else(|| o.strip_prefix("http://"));
        let valid = rest.is_some_and(|host| {
            !host.is_empty()
                && !host.starts_with(':')
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        });
        if !valid {
            return Err(format!(
                "BM_CORS_ORIGINS: `{o}` is not an origin like https://app.example.org or http://localhost:3000 (scheme, host and port only)"
            ));
        }
        origins.push(o.to_string());
    }
    Ok(origins)
}

/// `BM_EVENT_RETENTION_DAYS`: 400 when unset, else a whole number of days from 1 to 36500.
pub fn retention_days(value: Option<&str>) -> Result<u32, String> {
    match value {
        None => Ok(400),
        Some(v) => v
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=36500).contains(n))
            .ok_or_else(|| {
                "BM_EVENT_RETENTION_DAYS must be a number of days between 1 and 36500".into()
            }),
    }
}

/// A life in seconds, read from `name`: `default` when unset, else from 60 to `max`.
fn seconds(
    var: impl Fn(&str) -> Option<String>,
    name: &str,
    default: i64,
    max: i64,
) -> Result<i64, String> {
    match var(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (60..=max).contains(n))
            .ok_or_else(|| format!("{name} must be a number of seconds between 60 and {max}")),
    }
}

/// `BM_LOG_FORMAT`: whether the log is JSON lines (`json`) or text (`text`, the default).
fn log_json(value: Option<&str>) -> Result<bool, String> {
    match value {
        None | Some("text") => Ok(false),
        Some("json") => Ok(true),
        Some(_) => Err("BM_LOG_FORMAT must be `text` or `json`".into()),
    }
}

/// `BM_UTC_OFFSET`: the federation's time zone, China's when unset.
fn utc_offset(value: Option<&str>) -> Result<chrono::FixedOffset, String> {
    match value {
        None => Ok(china_offset()),
        Some(v) => v
            .parse::<chrono::FixedOffset>()
            .map_err(|_| "BM_UTC_OFFSET must be an offset like +08:00".into()),
    }
}

/// Asia/Shanghai: UTC+8 all year.
pub fn china_offset() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(8 * 3600).expect("a valid offset")
}

#[cfg(test)]
mod tests;
