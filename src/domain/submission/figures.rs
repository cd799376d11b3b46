//! What the service computes for a form (DESIGN §3): rates, lights, the warning and its reasons.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{parse_actual, SubmissionContent};
use crate::domain::indicator::Indicator;
use crate::domain::item::Item;
use crate::domain::monitoring::{self, IndicatorOutcome, IndicatorSpec, Light, ReasonCode};
use crate::domain::period::Period;
use crate::domain::{FundSplit, Total};

/// Execution rates per fund and in total, as 2-place strings (null where the budget is 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rates {
    pub fiscal: Option<String>,
    pub union: Option<String>,
    pub total: Option<String>,
}

/// The computed figures of one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorFigure {
    pub indicator_id: Uuid,
    /// 指标完成率, 2 places; null until a value is given.
    pub completion_rate: Option<String>,
    pub light: Option<Light>,
    /// The actual reaches `note_from` % of the target: a note is required.
    pub needs_note: bool,
}

/// Why a warning has its level: the figure that triggered it and the threshold it crossed.
// The report's rows still show it as it is (its schema is the report's to replace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"code": "execution_behind_time", "light": "red", "value": "45.00", "threshold": "60", "indicator_id": null, "detail": null}))]
pub struct ReasonFigure {
    pub code: ReasonCode,
    /// The level this reason raises the warning to.
    pub light: Light,
    #[schema(example = "72.50")]
    pub value: Option<String>,
    #[schema(example = "80")]
    pub threshold: Option<String>,
    pub indicator_id: Option<Uuid>,
    pub detail: Option<String>,
}

/// Everything the service computes for a form (never accepted from a client).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    /// The item's budget the form is judged against.
    pub budget: FundSplit,
    pub execution_rate: Rates,
    /// 序时进度: cut-off month ÷ 12 × 100.
    pub time_progress: String,
    pub budget_light: Option<Light>,
    pub indicators: Vec<IndicatorFigure>,
    pub goal_light: Option<Light>,
    /// 总体完成率, weight-averaged over the answered indicators.
    pub overall_completion_rate: Option<String>,
    pub warning: Light,
    pub reasons: Vec<ReasonFigure>,
    /// Submitted after the unit's deadline.
    pub late: bool,
}

fn pct(d: Decimal) -> String {
    format!("{:.2}", monitoring::round2(d))
}

fn rate(executed: impl Into<Total>, budget: impl Into<Total>) -> Option<Decimal> {
    monitoring::execution_rate(executed, budget)
}

/// Computes a form's figures from its content, the item, its indicators and the period.
pub fn compute(
    item: &Item,
    indicators: &[Indicator],
    period: &Period,
    c: &SubmissionContent,
    late: bool,
) -> Figures {
    let t = &period.thresholds;
    let tp = monitoring::time_progress(period.as_of);
    let budget = item.budget;
    let total_rate = rate(c.executed.total(), budget.total());
    let budget_light = monitoring::budget_light(total_rate, tp, t);
    let (figures, outcomes) = indicator_figures(indicators, c, tp, period);
    let lights: Vec<Light> = outcomes.iter().map(|(o, _)| o.light).collect();
    let completions: Vec<_> = outcomes
        .iter()
        .map(|(o, w)| (o.completion_rate, *w))
        .collect();
    let problems = compliance_problems(c);
    let only_outcomes: Vec<_> = outcomes.iter().map(|(o, _)| *o).collect();
    let (warning, reasons) = monitoring::warning(&monitoring::WarningInput {
        budget: budget_light,
        indicators: &only_outcomes,
        outlook: c.outlook,
        compliance_problems: &problems,
        late,
        thresholds: t,
    });
    Figures {
        budget,
        execution_rate: Rates {
            fiscal: rate(c.executed.fiscal, budget.fiscal).map(pct),
            union: rate(c.executed.union, budget.union).map(pct),
            total: total_rate.map(pct),
        },
        time_progress: pct(tp),
        budget_light: budget_light.map(|(l, _)| l),
        indicators: figures,
        goal_light: monitoring::goal_light(&lights),
        overall_completion_rate: monitoring::overall_completion(&completions).map(pct),
        warning,
        reasons: reasons.into_iter().map(reason_figure).collect(),
        late,
    }
}

/// Each indicator's figures, and the outcomes (with their weights) of the answered ones.
fn indicator_figures(
    indicators: &[Indicator],
    c: &SubmissionContent,
    tp: Decimal,
    period: &Period,
) -> (
    Vec<IndicatorFigure>,
    Vec<(IndicatorOutcome, Option<Decimal>)>,
) {
    let mut outcomes = vec![];
    let mut figures = vec![];
    for ind in indicators {
        let outcome = evaluate(ind, c, tp, period);
        figures.push(IndicatorFigure {
            indicator_id: ind.id,
            completion_rate: outcome.as_ref().map(|o| pct(o.completion_rate)),
            light: outcome.as_ref().map(|o| o.light),
            needs_note: outcome.as_ref().is_some_and(|o| o.needs_note),
        });
        if let Some(o) = outcome {
            outcomes.push((o, ind.weight));
        }
    }
    (figures, outcomes)
}

/// The outcome of one indicator's answer; `None` when it is unanswered or cannot be judged.
fn evaluate(
    ind: &Indicator,
    c: &SubmissionContent,
    tp: Decimal,
    period: &Period,
) -> Option<IndicatorOutcome> {
    let value = c
        .indicator_values
        .iter()
        .find(|v| v.indicator_id == ind.id)
        .and_then(|v| v.actual.as_deref())?;
    let spec = IndicatorSpec {
        id: ind.id,
        direction: ind.direction,
        target: ind.numeric_target(),
        prorate: ind.prorate,
        weight: ind.weight,
    };
    let actual = parse_actual(ind.direction, value).ok()?;
    let t = &period.thresholds;
    monitoring::evaluate_indicator(&spec, actual, tp, t, &period.grade_values).ok()
}

/// The names of the compliance checks that found a problem.
fn compliance_problems(c: &SubmissionContent) -> Vec<String> {
    c.compliance
        .iter()
        .filter(|e| e.problem)
        .map(|e| e.check.as_str().to_string())
        .collect()
}

/// A warning reason as a form shows it: figures as 2-place percentages.
fn reason_figure(r: monitoring::Reason) -> ReasonFigure {
    ReasonFigure {
        code: r.code,
        light: r.light,
        value: r.value.map(pct),
        threshold: r.threshold.map(|d| d.to_string()),
        indicator_id: r.indicator_id,
        detail: r.detail,
    }
}
