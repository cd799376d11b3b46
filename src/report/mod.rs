//! The monitoring report (绩效监控报告, Art. 11): a period's forms aggregated by the database,
//! in JSON, CSV, XLSX and DOCX.

pub mod docx;
pub mod form;
pub mod labels;
pub mod queries;
pub mod render;
mod rows;
mod sums;

use rows::tally;

mod model;
use model::rates;
pub use model::*;
pub use rows::{restrict_to_unit, select_items, ItemSort};

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbErr, StreamTrait};
use uuid::Uuid;

use crate::domain::item::ItemKind;
use crate::domain::monitoring::{self, Light};
use crate::domain::period::{self, Period};
use crate::domain::submission::ComplianceEntry;

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
