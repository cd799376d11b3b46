//! Accounts: roles and the rules for usernames and passwords.

use crate::closed_enum;

use super::validation::Violations;

closed_enum! {
    /// What a signed-in user may do (DESIGN §1).
    pub enum Role {
        /// System administrator: users and units.
        Admin => "admin",
        /// 财务部, the supervising body.
        Finance => "finance",
        /// Staff of one department or institution; sees its own unit only.
        Reporter => "reporter",
        /// Leadership, auditors, the provincial platform: reads everything.
        Viewer => "viewer",
    }
}

impl Role {
    /// Whether this role reads every unit's data.
    pub fn reads_everything(&self) -> bool {
        !matches!(self, Role::Reporter)
    }
}

/// Checks the role/unit pairing: a reporter must belong to a unit.
pub fn check_role_unit(v: &mut Violations, role: Role, has_unit: bool) {
    if role == Role::Reporter && !has_unit {
        v.add("unit_id", "required", "a reporter must belong to a unit");
    }
}

/// A login name: 3–64 characters of letters, digits, `.`, `_`, `-`.
pub fn username(v: &mut Violations, field: &str, value: &str) -> Option<String> {
    let ok_chars = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    let len = value.chars().count();
    if !(3..=64).contains(&len) || !ok_chars {
        v.add(
            field,
            "invalid",
            "must be 3 to 64 characters of letters, digits, '.', '_' or '-'",
        );
        None
    } else {
        Some(value.to_string())
    }
}

/// A password: at least 10 and at most 128 characters.
pub fn password(v: &mut Violations, field: &str, value: &str) -> Option<String> {
    let len = value.chars().count();
    if len < 10 {
        v.add(field, "too_short", "must be at least 10 characters");
        None
    } else if len > 128 {
        v.add(field, "too_long", "must be at most 128 characters");
        None
    } else {
        Some(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for (input, ok) in [
            ("finance", true),
            ("li.wei_2", true),
            ("ab", false),
            ("has space", false),
            ("张三", false),
            (&"x".repeat(65), false),
        ] {
            let mut v = Violations::new();
            assert_eq!(username(&mut v, "username", input).is_some(), ok, "{input}");
        }
    }

    #[test]
    fn passwords() {
        for (input, ok) in [
            ("short", false),
            ("long enough!", true),
            (&"p".repeat(129), false),
        ] {
            let mut v = Violations::new();
            assert_eq!(password(&mut v, "password", input).is_some(), ok);
        }
    }

    #[test]
    fn a_reporter_needs_a_unit_and_others_do_not() {
        for (role, has_unit, ok) in [
            (Role::Reporter, false, false),
            (Role::Reporter, true, true),
            (Role::Finance, false, true),
            (Role::Admin, false, true),
            (Role::Viewer, true, true),
        ] {
            let mut v = Violations::new();
            check_role_unit(&mut v, role, has_unit);
            assert_eq!(v.is_empty(), ok, "{role} {has_unit}");
        }
    }

    #[test]
    fn roles_parse_from_their_names() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), *r);
        }
        assert!("root".parse::<Role>().is_err());
    }
}

/// A user account, without its password hash (serialized as the API shows it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct User {
    pub id: uuid::Uuid,
    pub username: String,
    pub role: Role,
    pub unit_id: Option<uuid::Uuid>,
    pub active: bool,
    pub version: i32,
    /// Carried in every token; a token with another value no longer works.
    #[serde(skip)]
    pub token_version: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Whether a change of an account ends the tokens issued before it: a change of its role, unit
/// or active flag does (as does every password change); writing the same values again does not.
pub fn change_ends_tokens(
    before: &User,
    role: Role,
    unit_id: Option<uuid::Uuid>,
    active: bool,
) -> bool {
    before.role != role || before.unit_id != unit_id || before.active != active
}
