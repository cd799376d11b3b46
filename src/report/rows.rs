//! The report's rows after it is built: the item rows filtered and ordered, a published report
//! limited to one unit, and the tallies of forms and warnings from the item rows.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::{budget_light, rates};
use super::{FormCounts, ItemRow, Report, WarningCounts};
use crate::domain::item::ItemKind;
use crate::domain::monitoring::Light;
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
    r.budget_light = budget_light(&reported, &executed, p);
    r.budget = budget;
    r.reported_budget = reported;
    r.executed = executed;
    r.not_reported = not_reported;
    r.forms = forms;
    r.warnings = warnings;
    r.unit_id = Some(unit);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{FundTotals, RateTotals};

    fn row(status: &str, warning: Option<Light>, late: bool) -> ItemRow {
        ItemRow {
            unit_id: Uuid::from_u128(1),
            unit_code: "U1".into(),
            unit_name: "单位U1".into(),
            item_id: Uuid::new_v4(),
            item_name: "整体支出".into(),
            kind: ItemKind::Overall,
            form: 1,
            key_monitored: false,
            budget: FundTotals::default(),
            executed: FundTotals::default(),
            execution_rate: RateTotals::default(),
            overall_completion_rate: None,
            goal_light: None,
            warning,
            reasons: vec![],
            outlook: None,
            submission_id: None,
            status: status.into(),
            late,
            open_corrective_actions: 0,
            overdue_corrective_actions: 0,
            active_measures: vec![],
            payment_status: "normal".into(),
        }
    }

    fn forms(
        expected: i64,
        [draft, submitted, returned, accepted, missing, late]: [i64; 6],
    ) -> FormCounts {
        FormCounts {
            expected,
            draft,
            submitted,
            returned,
            accepted,
            missing,
            late,
        }
    }

    fn warnings([red, yellow, green, no_form]: [i64; 4]) -> WarningCounts {
        WarningCounts {
            red,
            yellow,
            green,
            no_form,
        }
    }

    #[test]
    fn each_row_counts_once_by_status_and_once_by_warning() {
        use Light::*;
        // rows (status, warning, late) → forms [draft, submitted, returned, accepted, missing,
        // late], warnings [red, yellow, green, no form]
        for (rows, f, w) in [
            (vec![], [0, 0, 0, 0, 0, 0], [0, 0, 0, 0]),
            (
                vec![("missing", None, false)],
                [0, 0, 0, 0, 1, 0],
                [0, 0, 0, 1],
            ),
            (
                vec![("draft", Some(Red), false)],
                [1, 0, 0, 0, 0, 0],
                [1, 0, 0, 0],
            ),
            (
                vec![("submitted", Some(Yellow), true)],
                [0, 1, 0, 0, 0, 1],
                [0, 1, 0, 0],
            ),
            (
                vec![("returned", Some(Green), false)],
                [0, 0, 1, 0, 0, 0],
                [0, 0, 1, 0],
            ),
            (
                vec![("accepted", Some(Blue), false)],
                [0, 0, 0, 1, 0, 0],
                [0, 0, 1, 0],
            ),
            // A form without a warning yet counts as green.
            (
                vec![("draft", None, false)],
                [1, 0, 0, 0, 0, 0],
                [0, 0, 1, 0],
            ),
            // A missing form counts as without a form whatever else it carries.
            (
                vec![("missing", Some(Red), true)],
                [0, 0, 0, 0, 1, 1],
                [0, 0, 0, 1],
            ),
            (
                vec![
                    ("missing", None, false),
                    ("missing", None, false),
                    ("draft", Some(Green), false),
                    ("submitted", Some(Red), true),
                    ("submitted", Some(Red), false),
                    ("returned", Some(Yellow), true),
                    ("accepted", Some(Green), false),
                ],
                [1, 2, 1, 1, 2, 2],
                [2, 1, 2, 2],
            ),
        ] {
            let items: Vec<ItemRow> = rows.iter().map(|(s, w, l)| row(s, *w, *l)).collect();
            let (got_forms, got_warnings) = tally(&items);
            assert_eq!(got_forms, forms(rows.len() as i64, f), "{rows:?}");
            assert_eq!(got_warnings, warnings(w), "{rows:?}");
            let by_warning = got_warnings.red + got_warnings.yellow + got_warnings.green;
            assert_eq!(by_warning + got_warnings.no_form, got_forms.expected);
        }
    }
}
