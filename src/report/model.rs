//! What a report holds: its money, counts and rows, as JSON shows them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::queries;
use crate::domain::item::ItemKind;
use crate::domain::monitoring::{self, Light, Possibility};
use crate::domain::period::{Period, PeriodKind};
use crate::domain::submission::ReasonFigure;
use crate::domain::workflow::PeriodStatus;
use crate::domain::{FundSplit, Total};

/// Money split by fund, with its total: exact sums, as many integer digits as they need.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct FundTotals {
    pub fiscal: Total,
    pub union: Total,
    pub total: Total,
}

impl FundTotals {
    pub(super) fn of(s: FundSplit) -> Self {
        FundTotals::sums(s.fiscal.into(), s.union.into())
    }

    pub(super) fn split((fiscal, union): queries::SumSplit) -> Self {
        FundTotals::sums(fiscal, union)
    }

    pub(super) fn sums(fiscal: Total, union: Total) -> Self {
        FundTotals {
            fiscal,
            union,
            total: fiscal + union,
        }
    }
}

/// Execution rates in percent, 2 places (null where the budget is 0).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct RateTotals {
    pub fiscal: Option<String>,
    pub union: Option<String>,
    pub total: Option<String>,
}

pub(super) fn pct(d: rust_decimal::Decimal) -> String {
    format!("{:.2}", monitoring::round2(d))
}

pub(super) fn rates(budget: &FundTotals, executed: &FundTotals) -> RateTotals {
    RateTotals {
        fiscal: monitoring::execution_rate(executed.fiscal, budget.fiscal).map(pct),
        union: monitoring::execution_rate(executed.union, budget.union).map(pct),
        total: monitoring::execution_rate(executed.total, budget.total).map(pct),
    }
}

/// The budget light of what was executed over the reported budget, against the period's time
/// progress.
pub(super) fn budget_light(
    reported: &FundTotals,
    executed: &FundTotals,
    p: &Period,
) -> Option<Light> {
    let rate = monitoring::execution_rate(executed.total, reported.total);
    monitoring::budget_light(rate, monitoring::time_progress(p.as_of), &p.thresholds)
        .map(|(l, _)| l)
}

/// The money of one line of the report: budgets, what the reported forms executed, and the
/// budgets not reported (drafts and required forms never filed, 未报送预算).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct MoneyTotals {
    pub budget: FundTotals,
    /// The part of the budget whose forms were submitted (also when returned, or accepted):
    /// what the execution rate is over.
    pub reported_budget: FundTotals,
    pub executed: FundTotals,
    pub not_reported: FundTotals,
}

impl MoneyTotals {
    pub(super) fn of(l: &queries::MoneyLine) -> Self {
        MoneyTotals {
            budget: FundTotals::split(l.budget),
            reported_budget: FundTotals::split(l.reported_budget),
            executed: FundTotals::split(l.executed),
            not_reported: FundTotals::split(l.not_reported),
        }
    }
}

/// Of which (其中): the special funds and the projects, already within the totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
pub struct OfWhich {
    pub special_funds: MoneyTotals,
    pub projects: MoneyTotals,
}

impl OfWhich {
    pub(super) fn of(s: &queries::Sums) -> Self {
        OfWhich {
            special_funds: MoneyTotals::of(&s.special_funds),
            projects: MoneyTotals::of(&s.projects),
        }
    }
}

/// The period a report is about.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ReportPeriod {
    pub id: Uuid,
    pub year: i32,
    pub kind: PeriodKind,
    pub name: String,
    pub as_of: NaiveDate,
    pub submission_deadline: NaiveDate,
    pub report_deadline: NaiveDate,
    pub status: PeriodStatus,
}

impl ReportPeriod {
    pub(super) fn of(p: &Period) -> Self {
        ReportPeriod {
            id: p.id,
            year: p.year,
            kind: p.kind,
            name: p.name.clone(),
            as_of: p.as_of,
            submission_deadline: p.submission_deadline,
            report_deadline: p.report_deadline,
            status: p.status,
        }
    }
}

/// How many forms stand where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FormCounts {
    /// Items the report covers: every required form plus any other item reported on.
    pub expected: i64,
    pub draft: i64,
    pub submitted: i64,
    pub returned: i64,
    pub accepted: i64,
    /// Required forms not started.
    pub missing: i64,
    pub late: i64,
}

/// Items by warning level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WarningCounts {
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    /// Items without a form.
    pub no_form: i64,
}

/// One unit's part.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct UnitRow {
    pub unit_id: Uuid,
    pub unit_code: String,
    pub unit_name: String,
    pub items: i64,
    pub forms: i64,
    pub forms_missing: i64,
    /// Its budget, each yuan counted once: its overall item, or its special funds and
    /// projects when it has no overall item; allocations within their parent fund.
    pub budget: FundTotals,
    /// The part of the budget whose forms were reported: what the execution rate is over.
    #[serde(default)]
    pub reported_budget: FundTotals,
    /// What its reported forms executed (drafts are not counted).
    pub executed: FundTotals,
    /// The budgets of its drafts and of its required forms never filed (未报送预算).
    #[serde(default)]
    pub not_reported: FundTotals,
    /// Of which (其中): its special funds and projects.
    #[serde(default)]
    pub of_which: OfWhich,
    pub execution_rate: Option<String>,
    /// The worst warning of its items.
    pub worst_light: Option<Light>,
}

/// One item with its form.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemRow {
    pub unit_id: Uuid,
    pub unit_code: String,
    pub unit_name: String,
    pub item_id: Uuid,
    pub item_name: String,
    pub kind: ItemKind,
    pub form: i16,
    pub key_monitored: bool,
    /// With a form, the budget its figures were computed against (an accepted form keeps it
    /// when the item's budget is adjusted later); without one, the item's budget.
    pub budget: FundTotals,
    pub executed: FundTotals,
    pub execution_rate: RateTotals,
    pub overall_completion_rate: Option<String>,
    pub goal_light: Option<Light>,
    pub warning: Option<Light>,
    pub reasons: Vec<ReasonFigure>,
    pub outlook: Option<Possibility>,
    pub submission_id: Option<Uuid>,
    /// The form's status, or `missing`.
    pub status: String,
    pub late: bool,
    pub open_corrective_actions: i64,
    pub overdue_corrective_actions: i64,
    pub active_measures: Vec<String>,
    pub payment_status: String,
}

/// A compliance problem a form reported.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ComplianceRow {
    pub unit_id: Uuid,
    pub unit_code: String,
    pub item_id: Uuid,
    pub item_name: String,
    pub check: String,
    pub note: Option<String>,
}

/// A corrective action past its due date.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OverdueRow {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub unit_code: String,
    pub item_id: Uuid,
    pub item_name: String,
    pub measure: String,
    pub owner: String,
    pub due_date: NaiveDate,
    pub status: String,
    pub source: String,
}

/// The monitoring report of a period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Report {
    pub period: ReportPeriod,
    pub generated_at: DateTime<Utc>,
    /// A published report is frozen and reads back the same forever.
    pub published: bool,
    /// Set when the report is limited to one unit (a reporter's view).
    pub unit_id: Option<Uuid>,
    pub time_progress: String,
    pub forms: FormCounts,
    /// The period's budget, each yuan counted once (DESIGN §5): the overall items' budgets,
    /// a unit without an overall item with its special funds and projects; an allocation to a
    /// subordinate unit within its parent fund.
    pub budget: FundTotals,
    /// The part of the budget whose forms were submitted (also when returned, or accepted).
    #[serde(default)]
    pub reported_budget: FundTotals,
    /// What the reported forms executed; drafts are not counted.
    pub executed: FundTotals,
    /// The budgets of drafts and of required forms never filed (未报送预算), listed beside
    /// the totals, not counted as zero execution.
    #[serde(default)]
    pub not_reported: FundTotals,
    /// Of which (其中): special funds and projects, within the totals above.
    #[serde(default)]
    pub of_which: OfWhich,
    /// Executed over the reported budget.
    pub execution_rate: RateTotals,
    pub budget_light: Option<Light>,
    pub warnings: WarningCounts,
    pub units: Vec<UnitRow>,
    pub items: Vec<ItemRow>,
    pub compliance_problems: Vec<ComplianceRow>,
    pub overdue_corrective_actions: Vec<OverdueRow>,
}
