//! The report's money sums, each yuan counted once (DESIGN §5): added up exactly from the item
//! rows the report reads anyway, by the rules of [`crate::domain::counting`].

use std::collections::{HashMap, HashSet};

use sea_orm::{ConnectionTrait, DbErr, Value};
use uuid::Uuid;

use super::queries::{all, ItemRow};
use crate::domain::counting::{lines_of, reported, Lines};
use crate::domain::item::ItemKind;
use crate::domain::workflow::SubmissionStatus;
use crate::domain::{FundSplit, Total};

/// Exact sums (fiscal, union) of a fund split.
pub type SumSplit = (Total, Total);

fn add(to: &mut SumSplit, s: FundSplit) {
    *to = (to.0 + s.fiscal.into(), to.1 + s.union.into());
}

/// One line of money: budgets, the part of them whose forms were reported, what those forms
/// executed, and the budgets not reported (drafts and required forms never filed, 未报送预算).
#[derive(Debug, Clone, Copy, Default)]
pub struct MoneyLine {
    pub budget: SumSplit,
    pub reported_budget: SumSplit,
    pub executed: SumSplit,
    pub not_reported: SumSplit,
}

impl MoneyLine {
    /// Counts one item's budget, and its form's executed amounts when the form is reported.
    fn count(&mut self, budget: FundSplit, executed: FundSplit, reported: bool) {
        add(&mut self.budget, budget);
        if reported {
            add(&mut self.reported_budget, budget);
            add(&mut self.executed, executed);
        } else {
            add(&mut self.not_reported, budget);
        }
    }
}

/// The money of a scope, each yuan counted once (DESIGN §5): the whole (overall items, or a
/// unit's special funds and projects where it has no overall item), and of which the special
/// funds and the projects.
#[derive(Debug, Clone, Copy, Default)]
pub struct Sums {
    pub whole: MoneyLine,
    pub special_funds: MoneyLine,
    pub projects: MoneyLine,
}

/// How one item row counts: the lines [`lines_of`] puts it in, and whether its form is
/// [`reported`].
fn how_counted(r: &ItemRow, unit_has_overall: bool) -> (Lines, bool) {
    let kind: ItemKind = r.kind.parse().unwrap_or(ItemKind::Project);
    let status = r
        .status
        .as_deref()
        .and_then(|s| s.parse::<SubmissionStatus>().ok());
    (
        lines_of(kind, r.allocated, unit_has_overall),
        reported(status),
    )
}

impl Sums {
    /// Counts one item row in `lines`.
    fn count(&mut self, r: &ItemRow, (lines, reported): (Lines, bool)) {
        for (counts, line) in [
            (lines.whole, &mut self.whole),
            (lines.special_funds, &mut self.special_funds),
            (lines.projects, &mut self.projects),
        ] {
            if counts {
                line.count(r.budget, r.executed, reported);
            }
        }
    }
}

/// Budget and executed sums of one unit, with its numbers of items and forms.
pub struct UnitSums {
    pub unit_id: Uuid,
    pub sums: Sums,
    pub items: i64,
    pub forms: i64,
}

/// The sums of each unit (in the order the units first appear in `rows`) and of the whole
/// scope. `overall_units` are the units with an overall item of the year.
pub fn sums(rows: &[ItemRow], overall_units: &HashSet<Uuid>) -> (Vec<UnitSums>, Sums) {
    let mut units: Vec<UnitSums> = vec![];
    let mut index: HashMap<Uuid, usize> = HashMap::new();
    let mut total = Sums::default();
    for r in rows {
        let n = *index.entry(r.unit_id).or_insert_with(|| {
            units.push(UnitSums {
                unit_id: r.unit_id,
                sums: Sums::default(),
                items: 0,
                forms: 0,
            });
            units.len() - 1
        });
        let how = how_counted(r, overall_units.contains(&r.unit_id));
        let u = &mut units[n];
        u.sums.count(r, how);
        u.items += 1;
        u.forms += i64::from(r.submission_id.is_some());
        total.count(r, how);
    }
    (units, total)
}

/// The units with an overall item of `year` (optionally only `unit`).
pub async fn overall_units(
    db: &impl ConnectionTrait,
    year: i32,
    unit: Option<Uuid>,
) -> Result<HashSet<Uuid>, DbErr> {
    let mut sql = "SELECT DISTINCT unit_id FROM items WHERE year = ? AND kind = ?".to_string();
    let mut values: Vec<Value> = vec![year.into(), ItemKind::Overall.as_str().into()];
    if let Some(u) = unit {
        sql.push_str(" AND unit_id = ?");
        values.push(u.into());
    }
    all(db, &sql, values)
        .await?
        .iter()
        .map(|r| r.try_get("", "unit_id"))
        .collect()
}
