//! The rules of writing items: whose unit a new item is, which links fit, when the budget is
//! locked, who designates key monitoring, what a copy into a later year keeps and links, and
//! which items make up a project's life.

use uuid::Uuid;

use super::{Item, ItemKind, YEARS};
use crate::domain::account::Role;
use crate::domain::{FundSplit, Violations};

/// What can no longer change: a budget or target once a form reporting on it was submitted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Locked(pub &'static str);

/// Whose a new item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewItemUnit {
    Unit(Uuid),
    /// Finance named no unit.
    Unnamed,
    /// A reporter named another unit (answered as not found).
    NotOwn,
}

/// The unit a new item belongs to, from the unit asked for and the caller's own unit (a
/// reporter's `scope`): a reporter's own, or the one finance names.
pub fn unit_of_new_item(asked: Option<Uuid>, scope: Option<Uuid>) -> NewItemUnit {
    match (asked, scope) {
        (Some(u), Some(own)) if u != own => NewItemUnit::NotOwn,
        (_, Some(own)) => NewItemUnit::Unit(own),
        (Some(u), None) => NewItemUnit::Unit(u),
        (None, None) => NewItemUnit::Unnamed,
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

/// A budget as the history shows it.
pub fn budget_text(b: FundSplit) -> String {
    format!("fiscal {} / union {}", b.fiscal, b.union)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::item::PaymentStatus;

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
            ((None, Some(own)), NewItemUnit::Unit(own)),
            ((Some(own), Some(own)), NewItemUnit::Unit(own)),
            ((Some(other), Some(own)), NewItemUnit::NotOwn),
            ((Some(other), None), NewItemUnit::Unit(other)),
            ((None, None), NewItemUnit::Unnamed),
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
