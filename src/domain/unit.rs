//! 填报单位: the departments, institutions and subordinate unions that report.

use crate::closed_enum;

use super::validation::{text, Violations};

closed_enum! {
    /// The kind of a reporting unit.
    pub enum UnitKind {
        /// 机关部室
        Department => "department",
        /// 事业单位
        Institution => "institution",
        /// 下级工会
        SubordinateUnion => "subordinate_union",
    }
}

/// A unit code: 1–32 characters of letters, digits, `.`, `_`, `-`.
pub fn code(v: &mut Violations, value: &str) -> Option<String> {
    let ok = (1..=32).contains(&value.chars().count())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Some(value.to_string())
    } else {
        v.add(
            "code",
            "invalid",
            "must be 1 to 32 characters of letters, digits, '.', '_' or '-'",
        );
        None
    }
}

/// A unit name: 1–100 characters.
pub fn name(v: &mut Violations, value: &str) -> Option<String> {
    text(v, "name", value, 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        for (input, ok) in [
            ("BGS", true),
            ("dept-01", true),
            ("", false),
            ("a b", false),
            ("办公室", false),
        ] {
            let mut v = Violations::new();
            assert_eq!(code(&mut v, input).is_some(), ok, "{input}");
        }
    }
}

/// A reporting unit (serialized as the API shows it, e.g. in the audit trail).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unit {
    pub id: uuid::Uuid,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<uuid::Uuid>,
    pub version: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}
