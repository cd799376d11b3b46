//! Monitored items (DESIGN §2): a unit's overall budget, its special funds and its projects.

use uuid::Uuid;

use crate::closed_enum;

mod rules;
pub use rules::*;

use super::validation::{text, Violations};

closed_enum! {
    /// What an item is, which decides its form.
    pub enum ItemKind {
        /// 整体: the unit's whole budget (form 1).
        Overall => "overall",
        /// 专项资金 (form 2).
        SpecialFund => "special_fund",
        /// 项目 (form 3).
        Project => "project",
    }
}

closed_enum! {
    /// Where a special fund's money comes from (Art. 6(4)).
    pub enum FundingSource {
        /// 各级财政拨付
        FiscalAllocation => "fiscal_allocation",
        /// 上级工会拨付
        UpperUnion => "upper_union",
        /// 本级工会
        Own => "own",
    }
}

closed_enum! {
    /// Whether payments on an item may go out (Art. 14); set by finance measures only.
    pub enum PaymentStatus {
        Normal => "normal",
        Suspended => "suspended",
        Stopped => "stopped",
    }
}

impl ItemKind {
    /// The official form an item is reported on: 1 整体, 2 专项资金, 3 项目.
    pub fn form(&self) -> i16 {
        match self {
            ItemKind::Overall => 1,
            ItemKind::SpecialFund => 2,
            ItemKind::Project => 3,
        }
    }
}

/// The budget year range the service accepts.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Checks an item's name (1–200 characters) and annual goal (up to 4000 characters, may be empty).
pub fn name(v: &mut Violations, value: &str) -> Option<String> {
    text(v, "name", value, 200)
}

pub fn annual_goal(v: &mut Violations, value: &str) -> Option<String> {
    if value.chars().count() > 4000 {
        v.add("annual_goal", "too_long", "must be at most 4000 characters");
        None
    } else {
        Some(value.trim().to_string())
    }
}

/// The shape rules of an item that do not need the database.
pub struct Shape {
    pub kind: ItemKind,
    pub year: i32,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub funding_source: Option<FundingSource>,
    pub has_parent: bool,
    pub has_previous: bool,
}

/// Checks an item's kind against its years, funding source and links.
pub fn check_shape(v: &mut Violations, s: &Shape) {
    if !YEARS.contains(&s.year) {
        v.add("year", "out_of_range", "must be between 2000 and 2100");
    }
    match s.kind {
        ItemKind::Project => check_project(v, s),
        ItemKind::SpecialFund => check_special_fund(v, s),
        ItemKind::Overall => check_overall(v, s),
    }
}

/// A project spans its start and end years (at most 50), the item's year among them; it has
/// no funding source and no parent fund.
fn check_project(v: &mut Violations, s: &Shape) {
    match (s.start_year, s.end_year) {
        (Some(a), Some(b)) => {
            if !(a <= s.year && s.year <= b) {
                v.add(
                    "year",
                    "outside_project_life",
                    "must lie within start_year..=end_year",
                );
            }
            if b - a > 50 {
                v.add(
                    "end_year",
                    "out_of_range",
                    "a project lasts at most 50 years",
                );
            }
        }
        _ => {
            if s.start_year.is_none() {
                v.add("start_year", "required", "a project needs its start year");
            }
            if s.end_year.is_none() {
                v.add("end_year", "required", "a project needs its end year");
            }
        }
    }
    if s.funding_source.is_some() {
        v.add(
            "funding_source",
            "not_applicable",
            "only special funds have a funding source",
        );
    }
    if s.has_parent {
        v.add(
            "parent_id",
            "not_applicable",
            "only special funds have a parent fund",
        );
    }
}

/// A special fund names where its money comes from and spans no years.
fn check_special_fund(v: &mut Violations, s: &Shape) {
    if s.funding_source.is_none() {
        v.add(
            "funding_source",
            "required",
            "a special fund needs its funding source",
        );
    }
    if s.start_year.is_some() || s.end_year.is_some() || s.has_previous {
        v.add("start_year", "not_applicable", "only projects span years");
    }
}

/// An overall item is the unit's whole budget: no funding source, parent or project years.
fn check_overall(v: &mut Violations, s: &Shape) {
    if s.funding_source.is_some()
        || s.has_parent
        || s.start_year.is_some()
        || s.end_year.is_some()
        || s.has_previous
    {
        v.add(
            "kind",
            "not_applicable",
            "an overall item has no funding source, parent or project years",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(kind: ItemKind) -> Shape {
        Shape {
            kind,
            year: 2026,
            start_year: None,
            end_year: None,
            funding_source: None,
            has_parent: false,
            has_previous: false,
        }
    }

    #[test]
    fn item_shapes() {
        let cases: Vec<(Shape, Vec<&str>)> = vec![
            (shape(ItemKind::Overall), vec![]),
            (
                Shape {
                    year: 1999,
                    ..shape(ItemKind::Overall)
                },
                vec!["year"],
            ),
            (
                Shape {
                    funding_source: Some(FundingSource::Own),
                    ..shape(ItemKind::Overall)
                },
                vec!["kind"],
            ),
            (shape(ItemKind::SpecialFund), vec!["funding_source"]),
            (
                Shape {
                    funding_source: Some(FundingSource::UpperUnion),
                    has_parent: true,
                    ..shape(ItemKind::SpecialFund)
                },
                vec![],
            ),
            (shape(ItemKind::Project), vec!["start_year", "end_year"]),
            (
                Shape {
                    start_year: Some(2025),
                    end_year: Some(2027),
                    ..shape(ItemKind::Project)
                },
                vec![],
            ),
            (
                Shape {
                    start_year: Some(2027),
                    end_year: Some(2028),
                    ..shape(ItemKind::Project)
                },
                vec!["year"],
            ),
        ];
        for (s, fields) in cases {
            let mut v = Violations::new();
            check_shape(&mut v, &s);
            let got: Vec<String> = v.0.iter().map(|e| e.field.clone()).collect();
            assert_eq!(got, fields, "{:?}", s.kind);
        }
    }

    #[test]
    fn forms_follow_the_kind() {
        assert_eq!(ItemKind::Overall.form(), 1);
        assert_eq!(ItemKind::SpecialFund.form(), 2);
        assert_eq!(ItemKind::Project.form(), 3);
    }
}

/// A monitored item of one unit and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: uuid::Uuid,
    pub unit_id: uuid::Uuid,
    pub year: i32,
    pub kind: ItemKind,
    pub name: String,
    pub key_monitored: bool,
    /// The budget now: original plus approved adjustments.
    pub budget: super::FundSplit,
    /// The budget before any adjustment.
    pub original_budget: super::FundSplit,
    pub annual_goal: String,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub previous_item_id: Option<uuid::Uuid>,
    pub funding_source: Option<FundingSource>,
    pub parent_id: Option<uuid::Uuid>,
    pub payment_status: PaymentStatus,
    pub version: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// Serialized as the API shows an item (e.g. in the audit trail): its fields and the official
/// form its kind is reported on.
impl serde::Serialize for Item {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("Item", 19)?;
        out.serialize_field("id", &self.id)?;
        out.serialize_field("unit_id", &self.unit_id)?;
        out.serialize_field("year", &self.year)?;
        out.serialize_field("kind", &self.kind)?;
        out.serialize_field("form", &self.kind.form())?;
        out.serialize_field("name", &self.name)?;
        out.serialize_field("key_monitored", &self.key_monitored)?;
        out.serialize_field("budget", &self.budget)?;
        out.serialize_field("original_budget", &self.original_budget)?;
        out.serialize_field("annual_goal", &self.annual_goal)?;
        out.serialize_field("start_year", &self.start_year)?;
        out.serialize_field("end_year", &self.end_year)?;
        out.serialize_field("previous_item_id", &self.previous_item_id)?;
        out.serialize_field("funding_source", &self.funding_source)?;
        out.serialize_field("parent_id", &self.parent_id)?;
        out.serialize_field("payment_status", &self.payment_status)?;
        out.serialize_field("version", &self.version)?;
        out.serialize_field("created_at", &self.created_at)?;
        out.serialize_field("updated_at", &self.updated_at)?;
        out.end()
    }
}

/// One change to an item's budget, a target, the key designation or the payment status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub occurred_at: chrono::DateTime<chrono::Utc>,
    /// `budget`, `target`, `key_monitored` or `payment_status`.
    pub field: String,
    pub indicator_id: Option<Uuid>,
    pub before: Option<String>,
    pub after: Option<String>,
    /// `edit`, `adjustment_request`, `measure` or `key_designation`.
    pub cause_type: String,
    pub cause_id: Option<Uuid>,
    pub actor_id: Uuid,
    pub actor_username: String,
}
