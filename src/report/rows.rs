//! The report's rows after it is built: the item rows filtered and ordered, a published report
//! limited to one unit, and the tallies of forms and warnings from the item rows.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::rates;
use super::{FormCounts, ItemRow, Report, WarningCounts};
use crate::domain::item::ItemKind;
use crate::domain::monitoring::{self, Light};
use crate::domain::period::Period;

/// How the item rows are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemSort {
    /// By unit code, then kind and name (the default).
    Unit,
    /// Red first, then yellow, green and items without a form.
    Warning,
    /// Lowest execution rate first.
    ExecutionRate,
}

/// Filters and orders the item rows (totals stay those of the whole report).
pub fn select_items(
    r: &mut Report,
    unit: Option<Uuid>,
    kind: Option<ItemKind>,
    warning: Option<Light>,
    sort: Option<ItemSort>,
) {
    r.items.retain(|i| {
        unit.is_none_or(|u| i.unit_id == u)
            && kind.is_none_or(|k| i.kind == k)
            && warning.is_none_or(|w| i.warning == Some(w))
    });
    match sort {
        Some(ItemSort::Warning) => {
            let rank = |l: Option<Light>| match l {
                Some(Light::Red) => 0,
                Some(Light::Yellow) => 1,
                Some(_) => 2,
                None => 3,
            };
            r.items.sort_by_key(|i| rank(i.warning));
        }
        Some(ItemSort::ExecutionRate) => {
            let key = |i: &ItemRow| {
                i.execution_rate
                    .total
                    .as_deref()
                    .and_then(|s| s.parse::<rust_decimal::Decimal>().ok())
            };
            r.items.sort_by(|a, b| match (key(a), key(b)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, None) => std::cmp::Ordering::Equal,
            });
        }
        _ => {}
    }
}

/// How many forms stand where, and the items by warning, from the item rows.
pub(super) fn tally(items: &[ItemRow]) -> (FormCounts, WarningCounts) {
    let mut forms = FormCounts::default();
    let mut warnings = WarningCounts::default();
    for i in items {
        forms.expected += 1;
        match i.status.as_str() {
            "missing" => forms.missing += 1,
            "draft" => forms.draft += 1,
            "submitted" => forms.submitted += 1,
            "returned" => forms.returned += 1,
            "accepted" => forms.accepted += 1,
            _ => {}
        }
        if i.late {
            forms.late += 1;
        }
        match (i.status.as_str(), i.warning) {
            ("missing", _) => warnings.no_form += 1,
            (_, Some(Light::Red)) => warnings.red += 1,
            (_, Some(Light::Yellow)) => warnings.yellow += 1,
            _ => warnings.green += 1,
        }
    }
    (forms, warnings)
}

/// A published report limited to one unit: its rows, with totals and counts from them.
pub fn restrict_to_unit(mut r: Report, unit: Uuid, p: &Period) -> Report {
    r.items.retain(|i| i.unit_id == unit);
    r.units.retain(|u| u.unit_id == unit);
    r.compliance_problems.retain(|c| c.unit_id == unit);
    r.overdue_corrective_actions.retain(|o| o.unit_id == unit);
    let (forms, warnings) = tally(&r.items);
    let (budget, reported, executed, not_reported, of_which) = r
        .units
        .first()
        .map(|u| {
            (
                u.budget,
                u.reported_budget,
                u.executed,
                u.not_reported,
                u.of_which,
            )
        })
        .unwrap_or_default();
    r.of_which = of_which;
    r.execution_rate = rates(&reported, &executed);
    let tp = monitoring::time_progress(p.as_of);
    r.budget_light = monitoring::budget_light(
        monitoring::execution_rate(executed.total, reported.total),
        tp,
        &p.thresholds,
    )
    .map(|(l, _)| l);
    r.budget = budget;
    r.reported_budget = reported;
    r.executed = executed;
    r.not_reported = not_reported;
    r.forms = forms;
    r.warnings = warnings;
    r.unit_id = Some(unit);
    r
}
