//! The monitoring report (绩效监控报告, Art. 11): a period's forms aggregated by the database,
//! in JSON, CSV, XLSX and DOCX.

pub mod docx;
pub mod form;
pub mod labels;
pub mod queries;
pub mod render;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbErr, StreamTrait};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::item::ItemKind;
use crate::domain::monitoring::{self, Light, Possibility};
use crate::domain::period::{self, Period, PeriodKind};
use crate::domain::submission::{ComplianceEntry, ReasonFigure};
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
    fn of(s: FundSplit) -> Self {
        FundTotals::sums(s.fiscal.into(), s.union.into())
    }

    fn split((fiscal, union): queries::SumSplit) -> Self {
        FundTotals::sums(fiscal, union)
    }

    fn sums(fiscal: Total, union: Total) -> Self {
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

fn pct(d: rust_decimal::Decimal) -> String {
    format!("{:.2}", monitoring::round2(d))
}

fn rates(budget: &FundTotals, executed: &FundTotals) -> RateTotals {
    RateTotals {
        fiscal: monitoring::execution_rate(executed.fiscal, budget.fiscal).map(pct),
        union: monitoring::execution_rate(executed.union, budget.union).map(pct),
        total: monitoring::execution_rate(executed.total, budget.total).map(pct),
    }
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
    fn of(l: &queries::MoneyLine) -> Self {
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

fn worse(a: Option<Light>, b: Option<Light>) -> Option<Light> {
    let rank = |l: Option<Light>| match l {
        Some(Light::Red) => 3,
        Some(Light::Yellow) => 2,
        Some(Light::Green) | Some(Light::Blue) => 1,
        None => 0,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// Reports are built and rendered one at a time: a province's report holds its 15,000 rows in
/// memory while it is rendered, so a second request waits its turn (a fraction of a second)
/// instead of doubling the server's peak memory.
static ONE_AT_A_TIME: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// Waits for the turn to build or render a report; the turn ends when the permit is dropped.
pub async fn turn() -> tokio::sync::SemaphorePermit<'static> {
    ONE_AT_A_TIME
        .acquire()
        .await
        .expect("the report semaphore is never closed")
}

/// Builds the report of a period (optionally one unit's part) with a fixed number of queries.
pub async fn build(
    db: &(impl ConnectionTrait + StreamTrait),
    p: &Period,
    unit: Option<Uuid>,
    today: NaiveDate,
    now: DateTime<Utc>,
    offset: chrono::FixedOffset,
) -> Result<Report, DbErr> {
    let rows = queries::item_rows(db, p.id, p.year, unit).await?;
    let unit_sums = queries::unit_sums(db, p.id, p.year, unit).await?;
    let sums = queries::totals(db, p.id, p.year, unit).await?;
    let deadlines: HashMap<Uuid, NaiveDate> =
        crate::persistence::periods::extensions(db, p.id, unit)
            .await?
            .into_iter()
            .map(|e| (e.unit_id, e.until))
            .collect();
    let actions: HashMap<Uuid, (i64, i64)> = queries::action_counts(db, p.id, today)
        .await?
        .into_iter()
        .map(|(i, o, d)| (i, (o, d)))
        .collect();
    let mut measures: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (item, kind) in queries::active_measures(db, p.year).await? {
        measures.entry(item).or_default().push(kind);
    }
    let overdue = queries::overdue_actions(db, p.id, today, unit).await?;

    let mut items = Vec::with_capacity(rows.len());
    let mut compliance = vec![];
    for r in rows {
        let kind: ItemKind = r.kind.parse().unwrap_or(ItemKind::Project);
        let problems: Vec<ComplianceEntry> = r
            .problems
            .as_deref()
            .and_then(|c| serde_json::from_str(c).ok())
            .unwrap_or_default();
        // The column holds only the checks that found a problem.
        for e in problems {
            compliance.push(ComplianceRow {
                unit_id: r.unit_id,
                unit_code: r.unit_code.clone(),
                item_id: r.item_id,
                item_name: r.name.clone(),
                check: e.check.to_string(),
                note: e.note,
            });
        }
        // A form's row shows the budget its figures were computed against, so its rate,
        // lights and warning come from one computation (an accepted form keeps its figures
        // when the item's budget is adjusted later).
        let b = FundTotals::of(r.judged_budget.unwrap_or(r.budget));
        let e = FundTotals::of(r.executed);
        let (open, od) = actions.get(&r.item_id).copied().unwrap_or((0, 0));
        items.push(ItemRow {
            unit_id: r.unit_id,
            unit_code: r.unit_code,
            unit_name: r.unit_name,
            item_id: r.item_id,
            item_name: r.name,
            kind,
            form: kind.form(),
            key_monitored: r.key_monitored,
            execution_rate: rates(&b, &e),
            budget: b,
            executed: e,
            overall_completion_rate: r.completion_rate,
            goal_light: r.goal_light.as_deref().and_then(|l| l.parse().ok()),
            warning: r.warning.as_deref().and_then(|l| l.parse().ok()),
            reasons: r
                .reasons
                .as_deref()
                .and_then(|c| serde_json::from_str(c).ok())
                .unwrap_or_default(),
            outlook: r.outlook.as_deref().and_then(|o| o.parse().ok()),
            submission_id: r.submission_id,
            status: r.status.unwrap_or_else(|| "missing".into()),
            late: period::form_is_late(
                r.submitted_at,
                period::effective_deadline(
                    p.submission_deadline,
                    deadlines.get(&r.unit_id).copied(),
                ),
                now,
                offset,
            ),
            open_corrective_actions: open,
            overdue_corrective_actions: od,
            active_measures: measures.get(&r.item_id).cloned().unwrap_or_default(),
            payment_status: r.payment_status,
        });
    }

    let tally = tally(&items);
    let mut units: Vec<UnitRow> = unit_sums
        .into_iter()
        .map(|s| {
            let mine = items.iter().filter(|i| i.unit_id == s.unit_id);
            let (code, name) = items
                .iter()
                .find(|i| i.unit_id == s.unit_id)
                .map(|i| (i.unit_code.clone(), i.unit_name.clone()))
                .unwrap_or_default();
            let worst = mine.clone().fold(None, |acc, i| worse(acc, i.warning));
            let missing = mine.filter(|i| i.status == "missing").count() as i64;
            let m = MoneyTotals::of(&s.sums.whole);
            UnitRow {
                unit_id: s.unit_id,
                unit_code: code,
                unit_name: name,
                items: s.items,
                forms: s.forms,
                forms_missing: missing,
                execution_rate: rates(&m.reported_budget, &m.executed).total,
                budget: m.budget,
                reported_budget: m.reported_budget,
                executed: m.executed,
                not_reported: m.not_reported,
                of_which: OfWhich {
                    special_funds: MoneyTotals::of(&s.sums.special_funds),
                    projects: MoneyTotals::of(&s.sums.projects),
                },
                worst_light: worst,
            }
        })
        .collect();
    units.sort_by(|a, b| a.unit_code.cmp(&b.unit_code));

    let tp = monitoring::time_progress(p.as_of);
    let whole = MoneyTotals::of(&sums.whole);
    let execution_rate = rates(&whole.reported_budget, &whole.executed);
    let total_rate = monitoring::execution_rate(whole.executed.total, whole.reported_budget.total);
    Ok(Report {
        period: ReportPeriod {
            id: p.id,
            year: p.year,
            kind: p.kind,
            name: p.name.clone(),
            as_of: p.as_of,
            submission_deadline: p.submission_deadline,
            report_deadline: p.report_deadline,
            status: p.status,
        },
        generated_at: now,
        published: false,
        unit_id: unit,
        time_progress: pct(tp),
        forms: tally.0,
        budget_light: monitoring::budget_light(total_rate, tp, &p.thresholds).map(|(l, _)| l),
        budget: whole.budget,
        reported_budget: whole.reported_budget,
        executed: whole.executed,
        not_reported: whole.not_reported,
        of_which: OfWhich {
            special_funds: MoneyTotals::of(&sums.special_funds),
            projects: MoneyTotals::of(&sums.projects),
        },
        execution_rate,
        warnings: tally.1,
        units,
        items,
        compliance_problems: compliance,
        overdue_corrective_actions: overdue
            .into_iter()
            .map(|o| OverdueRow {
                id: o.id,
                unit_id: o.unit_id,
                unit_code: o.unit_code,
                item_id: o.item_id,
                item_name: o.item_name,
                measure: o.measure,
                owner: o.owner,
                due_date: o.due_date,
                status: o.status,
                source: o.source,
            })
            .collect(),
    })
}

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
fn tally(items: &[ItemRow]) -> (FormCounts, WarningCounts) {
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
