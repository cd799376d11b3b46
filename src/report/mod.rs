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
pub use model::*;
use model::{budget_light, rates};
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

/// The digits of a whole number grouped by thousands: `1234567` → `1,234,567`.
fn thousands(int: &str) -> String {
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
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
    let overall_units = queries::overall_units(db, p.year, unit).await?;
    let (unit_sums, sums) = queries::sums(&rows, &overall_units);
    let follow = FollowUp::load(db, p, unit, today).await?;
    let overdue = queries::overdue_actions(db, p.id, today, unit).await?;

    let mut items = Vec::with_capacity(rows.len());
    let mut compliance = vec![];
    for r in rows {
        compliance.extend(compliance_rows(&r));
        items.push(follow.item_row(r, p, now, offset));
    }
    let units = unit_rows(unit_sums, &items);
    let (forms, warnings) = tally(&items);
    let whole = MoneyTotals::of(&sums.whole);
    Ok(Report {
        period: ReportPeriod::of(p),
        generated_at: now,
        published: false,
        unit_id: unit,
        time_progress: pct(monitoring::time_progress(p.as_of)),
        forms,
        budget_light: budget_light(&whole.reported_budget, &whole.executed, p),
        execution_rate: rates(&whole.reported_budget, &whole.executed),
        budget: whole.budget,
        reported_budget: whole.reported_budget,
        executed: whole.executed,
        not_reported: whole.not_reported,
        of_which: OfWhich::of(&sums),
        warnings,
        units,
        items,
        compliance_problems: compliance,
        overdue_corrective_actions: overdue,
    })
}

/// What an item's row shows beyond its stored row: its unit's extended deadline, its open and
/// overdue corrective actions and the measures finance has taken on it.
struct FollowUp {
    deadlines: HashMap<Uuid, NaiveDate>,
    actions: HashMap<Uuid, (i64, i64)>,
    measures: HashMap<Uuid, Vec<String>>,
}

impl FollowUp {
    async fn load(
        db: &impl ConnectionTrait,
        p: &Period,
        unit: Option<Uuid>,
        today: NaiveDate,
    ) -> Result<Self, DbErr> {
        let deadlines = crate::persistence::periods::extensions(db, p.id, unit)
            .await?
            .into_iter()
            .map(|e| (e.unit_id, e.until))
            .collect();
        let actions = queries::action_counts(db, p.id, today)
            .await?
            .into_iter()
            .map(|(i, o, d)| (i, (o, d)))
            .collect();
        let mut measures: HashMap<Uuid, Vec<String>> = HashMap::new();
        for (item, kind) in queries::active_measures(db, p.year).await? {
            measures.entry(item).or_default().push(kind);
        }
        Ok(FollowUp {
            deadlines,
            actions,
            measures,
        })
    }

    /// The report's row of an item with its form.
    fn item_row(
        &self,
        r: queries::ItemRow,
        p: &Period,
        now: DateTime<Utc>,
        offset: chrono::FixedOffset,
    ) -> ItemRow {
        let kind: ItemKind = r.kind.parse().unwrap_or(ItemKind::Project);
        // A form's row shows the budget its figures were computed against, so its rate,
        // lights and warning come from one computation (an accepted form keeps its figures
        // when the item's budget is adjusted later).
        let b = FundTotals::of(r.judged_budget.unwrap_or(r.budget));
        let e = FundTotals::of(r.executed);
        let (open, overdue) = self.actions.get(&r.item_id).copied().unwrap_or((0, 0));
        let deadline = period::effective_deadline(
            p.submission_deadline,
            self.deadlines.get(&r.unit_id).copied(),
        );
        ItemRow {
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
            reasons: from_json(r.reasons.as_deref()),
            outlook: r.outlook.as_deref().and_then(|o| o.parse().ok()),
            submission_id: r.submission_id,
            status: r.status.unwrap_or_else(|| "missing".into()),
            late: period::form_is_late(r.submitted_at, deadline, now, offset),
            open_corrective_actions: open,
            overdue_corrective_actions: overdue,
            active_measures: self.measures.get(&r.item_id).cloned().unwrap_or_default(),
            payment_status: r.payment_status,
        }
    }
}

/// A stored JSON column, or the empty value when absent or unreadable.
fn from_json<T: serde::de::DeserializeOwned + Default>(column: Option<&str>) -> T {
    column
        .and_then(|c| serde_json::from_str(c).ok())
        .unwrap_or_default()
}

/// The compliance problems a form reported (the column holds only the checks that found one).
fn compliance_rows(r: &queries::ItemRow) -> Vec<ComplianceRow> {
    let problems: Vec<ComplianceEntry> = from_json(r.problems.as_deref());
    problems
        .into_iter()
        .map(|e| ComplianceRow {
            unit_id: r.unit_id,
            unit_code: r.unit_code.clone(),
            item_id: r.item_id,
            item_name: r.name.clone(),
            check: e.check.to_string(),
            note: e.note,
        })
        .collect()
}

/// One row per unit, by unit code, with its name, missing forms and worst warning from its
/// item rows.
fn unit_rows(unit_sums: Vec<queries::UnitSums>, items: &[ItemRow]) -> Vec<UnitRow> {
    let mut of_unit: HashMap<Uuid, UnitItems> = HashMap::new();
    for i in items {
        let u = of_unit.entry(i.unit_id).or_insert_with(|| UnitItems {
            code: i.unit_code.clone(),
            name: i.unit_name.clone(),
            worst: None,
            missing: 0,
        });
        u.worst = worse(u.worst, i.warning);
        u.missing += i64::from(i.status == "missing");
    }
    let mut units: Vec<UnitRow> = unit_sums
        .into_iter()
        .map(|s| {
            let u = of_unit.remove(&s.unit_id).unwrap_or_default();
            unit_row(s, u)
        })
        .collect();
    units.sort_by(|a, b| a.unit_code.cmp(&b.unit_code));
    units
}

/// What a unit's row takes from its item rows.
#[derive(Default)]
struct UnitItems {
    code: String,
    name: String,
    worst: Option<Light>,
    missing: i64,
}

fn unit_row(s: queries::UnitSums, u: UnitItems) -> UnitRow {
    let m = MoneyTotals::of(&s.sums.whole);
    UnitRow {
        unit_id: s.unit_id,
        unit_code: u.code,
        unit_name: u.name,
        items: s.items,
        forms: s.forms,
        forms_missing: u.missing,
        execution_rate: rates(&m.reported_budget, &m.executed).total,
        budget: m.budget,
        reported_budget: m.reported_budget,
        executed: m.executed,
        not_reported: m.not_reported,
        of_which: OfWhich::of(&s.sums),
        worst_light: u.worst,
    }
}
