//! API clients: machine accounts (the provincial platform's read-only pull, one unit's scripted
//! submissions) that get short-lived tokens with OAuth 2.0 client credentials instead of
//! signing in with a password. A client acts with its role and unit like a user of that role.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::account::{self, Role};
use super::validation::Violations;

/// What a client's username starts with: the audit trail names a client `client:<name>`, and
/// no person's username can (`:` is not allowed in one), so the two never collide.
pub const USERNAME_PREFIX: &str = "client:";

/// The roles a client may have: no client administers the service.
pub const ROLES: [Role; 3] = [Role::Viewer, Role::Reporter, Role::Finance];

/// An API client, without its secret's hash (serialized as the audit trail shows it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApiClient {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub unit_id: Option<Uuid>,
    /// A disabled client gets no token, and the tokens it has stop working.
    pub enabled: bool,
    /// After this instant the client gets no token (none if it never expires).
    pub expires_at: Option<DateTime<Utc>>,
    /// When the current secret was made (at creation or the last rotation).
    pub secret_created_at: DateTime<Utc>,
    pub version: i32,
    /// Carried in every token; a token with another value no longer works.
    #[serde(skip)]
    pub token_version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ApiClient {
    /// Whether the client has expired at `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at.is_some_and(|e| e <= now)
    }

    /// Why the client gets no token at `now` even with the right secret, if it does not.
    pub fn refusal(&self, now: DateTime<Utc>) -> Option<&'static str> {
        if !self.enabled {
            Some("disabled")
        } else if self.expired(now) {
            Some("expired")
        } else {
            None
        }
    }

    /// Seconds a token issued at `now` lives: `lifetime_secs`, cut short so that it never
    /// outlives the client's expiry.
    pub fn token_lifetime(&self, now: DateTime<Utc>, lifetime_secs: i64) -> i64 {
        match self.expires_at {
            Some(e) => lifetime_secs.min((e - now).num_seconds().max(1)),
            None => lifetime_secs,
        }
    }
}

/// The username of the client `name`.
pub fn username_of(name: &str) -> String {
    format!("{USERNAME_PREFIX}{name}")
}

/// The name of a client from its username.
pub fn name_of(username: &str) -> &str {
    username.strip_prefix(USERNAME_PREFIX).unwrap_or(username)
}

/// A client's name: the rules of a username (3–64 letters, digits, `.`, `_`, `-`).
pub fn name(v: &mut Violations, field: &str, value: &str) -> Option<String> {
    account::username(v, field, value)
}

/// The role of a client: any but admin, and a reporter needs a unit.
pub fn check_role(v: &mut Violations, role: Role, has_unit: bool) {
    if !ROLES.contains(&role) {
        v.add(
            "role",
            "not_allowed",
            "a client's role is viewer, reporter or finance",
        );
    }
    account::check_role_unit(v, role, has_unit);
}

/// An expiry must lie in the future (to stop a client now, disable it).
pub fn check_expiry(v: &mut Violations, expires_at: Option<DateTime<Utc>>, now: DateTime<Utc>) {
    if expires_at.is_some_and(|e| e <= now) {
        v.add(
            "expires_at",
            "in_the_past",
            "must be in the future; to stop a client now, set enabled to false",
        );
    }
}

/// Whether a change ends the tokens issued before it: a change of role, unit or enabled flag
/// (as for a user), and an expiry brought forward (so that no token outlives it).
pub fn change_ends_tokens(
    before: &ApiClient,
    role: Role,
    unit_id: Option<Uuid>,
    enabled: bool,
    expires_at: Option<DateTime<Utc>>,
) -> bool {
    let earlier = match (before.expires_at, expires_at) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(old), Some(new)) => new < old,
    };
    before.role != role || before.unit_id != unit_id || before.enabled != enabled || earlier
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn client(expires_at: Option<DateTime<Utc>>) -> ApiClient {
        let t = Utc::now();
        ApiClient {
            id: Uuid::nil(),
            name: "province-pull".into(),
            role: Role::Viewer,
            unit_id: None,
            enabled: true,
            expires_at,
            secret_created_at: t,
            version: 1,
            token_version: 0,
            created_at: t,
            updated_at: t,
        }
    }

    #[test]
    fn roles_a_client_may_have() {
        for (role, has_unit, ok) in [
            (Role::Viewer, false, true),
            (Role::Finance, false, true),
            (Role::Reporter, true, true),
            (Role::Reporter, false, false),
            (Role::Admin, false, false),
        ] {
            let mut v = Violations::new();
            check_role(&mut v, role, has_unit);
            assert_eq!(v.is_empty(), ok, "{role} {has_unit}");
        }
    }

    #[test]
    fn tokens_never_outlive_the_clients_expiry() {
        let now = Utc::now();
        for (expires_in, lifetime) in [
            (None, 900),
            (Some(3600), 900),
            (Some(600), 600),
            (Some(0), 1),
        ] {
            let c = client(expires_in.map(|s| now + Duration::seconds(s)));
            assert_eq!(c.token_lifetime(now, 900), lifetime, "{expires_in:?}");
        }
    }

    #[test]
    fn a_disabled_or_expired_client_is_refused() {
        let now = Utc::now();
        assert_eq!(client(None).refusal(now), None);
        let past = client(Some(now - Duration::seconds(1)));
        assert_eq!(past.refusal(now), Some("expired"));
        let mut off = client(None);
        off.enabled = false;
        assert_eq!(off.refusal(now), Some("disabled"));
    }

    #[test]
    fn changes_that_end_tokens() {
        let now = Utc::now();
        let later = now + Duration::days(30);
        let sooner = now + Duration::days(1);
        let c = client(Some(later));
        let same = |e| change_ends_tokens(&c, Role::Viewer, None, true, e);
        assert!(!same(Some(later)), "nothing changed");
        assert!(!same(None), "the expiry removed");
        assert!(
            !same(Some(later + Duration::days(1))),
            "the expiry extended"
        );
        assert!(same(Some(sooner)), "the expiry brought forward");
        assert!(change_ends_tokens(
            &c,
            Role::Finance,
            None,
            true,
            Some(later)
        ));
        assert!(change_ends_tokens(
            &c,
            Role::Viewer,
            None,
            false,
            Some(later)
        ));
        assert!(change_ends_tokens(
            &client(None),
            Role::Viewer,
            None,
            true,
            Some(later)
        ));
    }

    #[test]
    fn names_and_usernames() {
        assert_eq!(username_of("province-pull"), "client:province-pull");
        assert_eq!(name_of("client:province-pull"), "province-pull");
        let mut v = Violations::new();
        assert!(name(&mut v, "name", "has:colon").is_none());
        let mut v = Violations::new();
        let mut past = Violations::new();
        check_expiry(&mut v, Some(Utc::now() + Duration::hours(1)), Utc::now());
        check_expiry(&mut past, Some(Utc::now() - Duration::hours(1)), Utc::now());
        assert!(v.is_empty() && !past.is_empty());
    }
}
