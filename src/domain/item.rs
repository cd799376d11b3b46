//! Monitored items (DESIGN §2): a unit's overall budget, its special funds and its projects.

use uuid::Uuid;

use crate::closed_enum;

use super::account::Role;
use super::FundSplit;

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

pub fn check_shape(v: &mut Violations, s: &Shape) {
    if !YEARS.contains(&s.year) {
        v.add("year", "out_of_range", "must be between 2000 and 2100");
    }
    match s.kind {
        ItemKind::Project => {
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
        ItemKind::SpecialFund => {
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
        ItemKind::Overall => {
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
    }
}

/// What can no longer change: a budget or target once a form reporting on it was submitted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Locked(pub &'static str);

/// The unit a new item belongs to, from the unit asked for and the caller's own unit (a
/// reporter's `scope`): `Err` when a reporter names another unit (answered as not found),
/// `Ok(None)` when finance names none.
pub fn unit_of_new_item(asked: Option<Uuid>, scope: Option<Uuid>) -> Result<Option<Uuid>, ()> {
    match (asked, scope) {
        (Some(u), Some(own)) if u != own => Err(()),
        (_, Some(own)) => Ok(Some(own)),
        (asked, None) => Ok(asked),
    }
}

/// A parent fund must be another special fund of the same year.
pub fn parent_fits(parent: &Item, year: i32, self_id: Option<Uuid>) -> bool {
    parent.kind == ItemKind::SpecialFund && parent.year == year && Some(parent.id) != self_id
}

/// A project's previous item must be the same unit's project item of the previous year.
pub fn previous_fits(previous: &Item, unit_id: Uuid, year: i32) -> bool {
    previous.kind == ItemKind::Project && previous.unit_id == unit_id && previous.year == year - 1
}

/// The budget of an item can be corrected by an edit until a form for it was submitted; after
/// that only an adjustment changes it. `Ok(true)` when the edit changes the budget.
pub fn budget_edit(current: FundSplit, new: FundSplit, filed: bool) -> Result<bool, Locked> {
    match (current != new, filed) {
        (true, true) => Err(Locked(
            "a form for this item was already submitted; change the budget through an adjustment request",
        )),
        (changed, _) => Ok(changed),
    }
}

/// The roles that designate items for key monitoring (Art. 10): finance alone.
pub const KEY_DESIGNATORS: &[Role] = &[Role::Finance];

pub fn may_designate_key(role: Role) -> bool {
    KEY_DESIGNATORS.contains(&role)
}

/// Copying an item of `source_year` into `year`: a later year (at most 2100), and for a
/// project not beyond its last year.
pub fn check_copy(v: &mut Violations, source: &Item, year: i32) {
    if year <= source.year || year > *YEARS.end() {
        v.add(
            "year",
            "not_later",
            format!("must be a year after {} (and at most 2100)", source.year),
        );
    }
    if let (ItemKind::Project, Some(end)) = (source.kind, source.end_year) {
        if year > end {
            v.add(
                "year",
                "beyond_project_life",
                format!("the project ends in {end}"),
            );
        }
    }
}

/// What a copy keeps: the kind, name, budget, goal and project years; it is linked to its
/// source only when a project is copied into the following year, and never to a parent fund.
pub fn copy_fields(source: &Item, year: i32) -> CopiedItem {
    let linked = source.kind == ItemKind::Project && year == source.year + 1;
    CopiedItem {
        year,
        previous_item_id: linked.then_some(source.id),
        parent_id: None,
    }
}

/// The links of a copy (see [`copy_fields`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopiedItem {
    pub year: i32,
    pub previous_item_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
}

/// The years of a project's life that `start` belongs to, oldest first: the items linked to it
/// through `previous_item_id`, backwards and forwards, among `items` (the unit's projects).
/// Every linked year is there, however long the chain; a link that loops ends it.
pub fn project_chain(items: &[Item], start: &Item) -> Vec<Item> {
    use std::collections::{HashMap, HashSet};
    let by_id: HashMap<Uuid, &Item> = items.iter().map(|i| (i.id, i)).collect();
    let mut next: HashMap<Uuid, &Item> = HashMap::new();
    let mut sorted: Vec<&Item> = items.iter().collect();
    sorted.sort_by_key(|i| (std::cmp::Reverse(i.year), i.id));
    for i in sorted {
        // The earliest-year follower wins, as a single link is followed.
        if let Some(p) = i.previous_item_id {
            next.insert(p, i);
        }
    }
    let mut seen = HashSet::from([start.id]);
    let mut before = vec![];
    let mut cursor = start.previous_item_id;
    while let Some(p) = cursor.and_then(|p| by_id.get(&p)) {
        if !seen.insert(p.id) {
            break;
        }
        before.push((*p).clone());
        cursor = p.previous_item_id;
    }
    before.reverse();
    before.push(start.clone());
    let mut last = start.id;
    while let Some(n) = next.get(&last) {
        if !seen.insert(n.id) {
            break;
        }
        before.push((*n).clone());
        last = n.id;
    }
    before
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

/// A budget as the history shows it.
pub fn budget_text(b: FundSplit) -> String {
    format!("fiscal {} / union {}", b.fiscal, b.union)
}

#[cfg(test)]
mod rule_tests {
    use super::*;

    fn item(kind: ItemKind, year: i32) -> Item {
        let now = chrono::Utc::now();
        Item {
            id: Uuid::new_v4(),
            unit_id: Uuid::nil(),
            year,
            kind,
            name: "x".into(),
            key_monitored: false,
            budget: FundSplit::default(),
            original_budget: FundSplit::default(),
            annual_goal: String::new(),
            start_year: (kind == ItemKind::Project).then_some(2025),
            end_year: (kind == ItemKind::Project).then_some(2027),
            previous_item_id: None,
            funding_source: None,
            parent_id: None,
            payment_status: PaymentStatus::Normal,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn the_unit_of_a_new_item() {
        let (own, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        for ((asked, scope), expected) in [
            ((None, Some(own)), Ok(Some(own))),
            ((Some(own), Some(own)), Ok(Some(own))),
            ((Some(other), Some(own)), Err(())),
            ((Some(other), None), Ok(Some(other))),
            ((None, None), Ok(None)),
        ] {
            assert_eq!(
                unit_of_new_item(asked, scope),
                expected,
                "{asked:?} {scope:?}"
            );
        }
    }

    #[test]
    fn copying_into_a_later_year() {
        let overall = item(ItemKind::Overall, 2026);
        let project = item(ItemKind::Project, 2026);
        for (source, year, errors, linked) in [
            (&overall, 2027, vec![], false),
            (&overall, 2026, vec!["not_later"], false),
            (&overall, 2025, vec!["not_later"], false),
            (&overall, 2101, vec!["not_later"], false),
            (&project, 2027, vec![], true),
            (&project, 2028, vec!["beyond_project_life"], false),
        ] {
            let mut v = Violations::new();
            check_copy(&mut v, source, year);
            let got: Vec<String> = v.0.iter().map(|e| e.code.clone()).collect();
            assert_eq!(got, errors, "{:?} {year}", source.kind);
            let copy = copy_fields(source, year);
            assert_eq!(copy.previous_item_id.is_some(), linked, "{year}");
            assert_eq!(copy.parent_id, None);
        }
        let mut fund = item(ItemKind::SpecialFund, 2026);
        fund.parent_id = Some(Uuid::from_u128(9));
        assert_eq!(copy_fields(&fund, 2027).parent_id, None);
    }

    #[test]
    fn the_budget_locks_once_a_form_was_submitted() {
        let a = FundSplit::default();
        let b = FundSplit {
            fiscal: "1".parse().unwrap(),
            union: a.union,
        };
        for ((new, filed), expected) in [
            ((a, false), Ok(false)),
            ((a, true), Ok(false)),
            ((b, false), Ok(true)),
            ((b, true), Err(())),
        ] {
            assert_eq!(budget_edit(a, new, filed).map_err(|_| ()), expected);
        }
    }

    #[test]
    fn only_finance_designates_key_monitoring() {
        for (role, expected) in [
            (Role::Finance, true),
            (Role::Reporter, false),
            (Role::Admin, false),
            (Role::Viewer, false),
        ] {
            assert_eq!(may_designate_key(role), expected, "{role}");
        }
    }

    #[test]
    fn links_to_parents_and_previous_years() {
        let fund = item(ItemKind::SpecialFund, 2026);
        let project = item(ItemKind::Project, 2025);
        for (parent, year, self_id, expected) in [
            (&fund, 2026, None, true),
            (&fund, 2027, None, false),
            (&fund, 2026, Some(fund.id), false),
            (&project, 2025, None, false),
        ] {
            assert_eq!(parent_fits(parent, year, self_id), expected);
        }
        for (prev, unit, year, expected) in [
            (&project, Uuid::nil(), 2026, true),
            (&project, Uuid::from_u128(3), 2026, false),
            (&project, Uuid::nil(), 2027, false),
            (&fund, Uuid::nil(), 2027, false),
        ] {
            assert_eq!(previous_fits(prev, unit, year), expected);
        }
    }

    #[test]
    fn a_project_chain_has_every_linked_year() {
        let mut items: Vec<Item> = vec![];
        for year in 2000..2080 {
            let mut i = item(ItemKind::Project, year);
            i.previous_item_id = items.last().map(|p: &Item| p.id);
            items.push(i);
        }
        // An unlinked project of the same unit stays out.
        items.push(item(ItemKind::Project, 2030));
        for start in [0, 40, 79] {
            let chain = project_chain(&items, &items[start]);
            let years: Vec<i32> = chain.iter().map(|i| i.year).collect();
            assert_eq!(years, (2000..2080).collect::<Vec<_>>(), "from {start}");
        }
        let alone = project_chain(&items, &items[80]);
        assert_eq!(alone.len(), 1);
        // A loop ends the chain instead of running forever.
        let (mut a, mut b) = (item(ItemKind::Project, 2026), item(ItemKind::Project, 2027));
        b.previous_item_id = Some(a.id);
        a.previous_item_id = Some(b.id);
        assert_eq!(project_chain(&[a.clone(), b], &a).len(), 2);
    }
}
