//! What a unit fills in on forms 1–3 (DESIGN §3), its checks, and the figures computed from it.

use chrono::Datelike;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::closed_enum;

use super::indicator::{parse_decimal, Indicator};
use super::item::Item;
use super::monitoring::{
    self, Actual, Direction, Grade, IndicatorSpec, Light, Possibility, ReasonCode,
};
use super::period::Period;
use super::validation::Violations;
use super::{FundSplit, Total};

closed_enum! {
    /// Why an indicator deviates.
    pub enum DeviationReason {
        /// 经费保障
        Funding => "funding",
        /// 制度保障
        Institutional => "institutional",
        /// 人员保障
        Staffing => "staffing",
        /// 硬件条件保障
        Facilities => "facilities",
        Other => "other",
    }
}

closed_enum! {
    /// Root causes of a deviation (Art. 8, 13).
    pub enum RootCause {
        /// 政策变化
        PolicyChange => "policy_change",
        /// 突发事件
        Emergency => "emergency",
        /// 上年结转较大
        PriorYearCarryover => "prior_year_carryover",
        /// 前期准备不充分
        InsufficientPreparation => "insufficient_preparation",
        /// 执行环境重大变化
        EnvironmentChange => "environment_change",
        TargetSetWrong => "target_set_wrong",
        Other => "other",
    }
}

closed_enum! {
    /// The compliance checks of Art. 6(3) and Art. 8.
    pub enum ComplianceCheck {
        /// 无预算开支
        SpendingWithoutBudget => "spending_without_budget",
        /// 超预算开支
        OverBudget => "over_budget",
        /// 挤占挪用
        Misappropriation => "misappropriation",
        /// 超标准配置资产
        OverStandardAssets => "over_standard_assets",
        /// 合同
        Contracts => "contracts",
        /// 采购、招投标
        ProcurementAndTendering => "procurement_and_tendering",
        /// 项目验收
        ProjectAcceptance => "project_acceptance",
        /// 会计核算
        Accounting => "accounting",
        /// 资产管理
        AssetManagement => "asset_management",
    }
}

/// The unit's answer for one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "actual": "640", "expected_year_end": "1250", "possibility": "certain", "deviation_reasons": [], "note": null}))]
pub struct IndicatorValue {
    pub indicator_id: Uuid,
    /// 指标完成值: a decimal, or for a qualitative indicator `achieved`, `partly_achieved`, `not_achieved`.
    #[serde(default)]
    #[schema(max_length = 40)]
    pub actual: Option<String>,
    /// 全年预计完成值
    #[serde(default)]
    #[schema(max_length = 40)]
    pub expected_year_end: Option<String>,
    #[serde(default)]
    pub possibility: Option<Possibility>,
    #[serde(default)]
    pub deviation_reasons: Vec<DeviationReason>,
    /// Required when the actual reaches the period's `note_from` percentage of the target.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// One compliance check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"check": "over_budget", "problem": false, "note": null}))]
pub struct ComplianceEntry {
    pub check: ComplianceCheck,
    /// Whether a problem was found.
    pub problem: bool,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// 部门负责人, 分管领导签字 and the date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}))]
pub struct Signatures {
    #[serde(default)]
    #[schema(max_length = 50)]
    pub unit_head: Option<String>,
    #[serde(default)]
    #[schema(max_length = 50)]
    pub supervising_leader: Option<String>,
    #[serde(default)]
    pub date: Option<super::IsoDate>,
}

/// Everything the unit fills in on a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"executed": {"fiscal": "140.000000", "union": "50.000000"}, "expected_year_end": {"fiscal": "300.000000", "union": "120.000000"}, "expected_carryover": {"fiscal": "0.000000", "union": "0.000000"}, "goal_progress": "上半年帮扶困难职工640人次", "indicator_values": [{"indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "actual": "640", "expected_year_end": "1250", "possibility": "certain", "deviation_reasons": [], "note": null}], "compliance": [{"check": "over_budget", "problem": false, "note": null}], "outlook": "certain", "deviation_analysis": "", "root_causes": [], "corrective_measures": "", "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}}))]
pub struct SubmissionContent {
    /// 执行数 to the period's cut-off.
    #[serde(default)]
    pub executed: FundSplit,
    /// 全年预计执行数
    #[serde(default)]
    pub expected_year_end: FundSplit,
    /// 预计结转结余
    #[serde(default)]
    pub expected_carryover: FundSplit,
    /// 完成情况 against the annual goal.
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub goal_progress: String,
    #[serde(default)]
    pub indicator_values: Vec<IndicatorValue>,
    #[serde(default)]
    pub compliance: Vec<ComplianceEntry>,
    /// Will the annual goal be met?
    #[serde(default)]
    pub outlook: Option<Possibility>,
    /// 偏差和原因分析
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub deviation_analysis: String,
    #[serde(default)]
    pub root_causes: Vec<RootCause>,
    /// 下一步纠偏措施
    #[serde(default)]
    #[schema(max_length = 4000)]
    pub corrective_measures: String,
    #[serde(default)]
    pub signatures: Signatures,
}

fn parse_actual(direction: Direction, s: &str) -> Result<Actual, String> {
    match direction {
        Direction::Qualitative => s
            .parse::<Grade>()
            .map(Actual::Grade)
            .map_err(|e| format!("a qualitative indicator's value {e}")),
        _ => parse_decimal(s).map(Actual::Number),
    }
}

/// Checks the content against the item's indicators and the period (anything wrong is 422 and
/// nothing is written).
pub fn check_content(
    v: &mut Violations,
    c: &SubmissionContent,
    indicators: &[Indicator],
    period: &Period,
) {
    let mut seen = std::collections::HashSet::new();
    for (i, iv) in c.indicator_values.iter().enumerate() {
        let field = |f: &str| format!("indicator_values[{i}].{f}");
        let Some(ind) = indicators.iter().find(|x| x.id == iv.indicator_id) else {
            v.add(
                field("indicator_id"),
                "unknown",
                "not an indicator of this item",
            );
            continue;
        };
        if !seen.insert(iv.indicator_id) {
            v.add(
                field("indicator_id"),
                "duplicate",
                "each indicator is answered once",
            );
        }
        for (name, val) in [
            ("actual", &iv.actual),
            ("expected_year_end", &iv.expected_year_end),
        ] {
            if let Some(s) = val {
                if let Err(e) = parse_actual(ind.direction, s) {
                    v.add(field(name), "invalid", e);
                }
            }
        }
        if iv.note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
            v.add(field("note"), "too_long", "must be at most 2000 characters");
        }
    }
    let mut checks = std::collections::HashSet::new();
    for (i, e) in c.compliance.iter().enumerate() {
        if !checks.insert(e.check) {
            v.add(
                format!("compliance[{i}].check"),
                "duplicate",
                "each check is answered once",
            );
        }
        if e.note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
            v.add(
                format!("compliance[{i}].note"),
                "too_long",
                "must be at most 2000 characters",
            );
        }
    }
    for (name, s) in [
        ("goal_progress", &c.goal_progress),
        ("deviation_analysis", &c.deviation_analysis),
        ("corrective_measures", &c.corrective_measures),
    ] {
        if s.chars().count() > 4000 {
            v.add(name, "too_long", "must be at most 4000 characters");
        }
    }
    for (name, s) in [
        ("signatures.unit_head", &c.signatures.unit_head),
        (
            "signatures.supervising_leader",
            &c.signatures.supervising_leader,
        ),
    ] {
        if s.as_ref().is_some_and(|n| n.chars().count() > 50) {
            v.add(name, "too_long", "must be at most 50 characters");
        }
    }
    if let Some(d) = c.signatures.date {
        if d.year() < period.year || d.year() > period.year + 1 {
            v.add(
                "signatures.date",
                "outside_year",
                format!("must be in {} or {}", period.year, period.year + 1),
            );
        }
    }
}

/// What must be filled in before a form can be submitted; each gap is one field error.
pub fn check_complete(
    v: &mut Violations,
    c: &SubmissionContent,
    indicators: &[Indicator],
    figures: &Figures,
) {
    for ind in indicators {
        let answered = c.indicator_values.iter().position(|x| {
            x.indicator_id == ind.id && x.actual.as_ref().is_some_and(|a| !a.trim().is_empty())
        });
        match answered {
            None => v.add(
                format!("indicator_values[{}]", ind.id),
                "required",
                format!("a value for indicator \"{}\" is required", ind.name),
            ),
            Some(i) => {
                let needs = figures
                    .indicators
                    .iter()
                    .any(|f| f.indicator_id == ind.id && f.needs_note);
                let has_note = c.indicator_values[i]
                    .note
                    .as_ref()
                    .is_some_and(|n| !n.trim().is_empty());
                if needs && !has_note {
                    v.add(
                        format!("indicator_values[{i}].note"),
                        "required",
                        "explain an actual this far above its target",
                    );
                }
            }
        }
    }
    let s = &c.signatures;
    if s.unit_head.as_ref().is_none_or(|x| x.trim().is_empty()) {
        v.add(
            "signatures.unit_head",
            "required",
            "the unit head must sign",
        );
    }
    if s.supervising_leader
        .as_ref()
        .is_none_or(|x| x.trim().is_empty())
    {
        v.add(
            "signatures.supervising_leader",
            "required",
            "the supervising leader must sign",
        );
    }
    if s.date.is_none() {
        v.add("signatures.date", "required", "the signature needs a date");
    }
}

/// Execution rates per fund and in total, as 2-place strings (null where the budget is 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Rates {
    #[schema(example = "48.25")]
    pub fiscal: Option<String>,
    pub union: Option<String>,
    pub total: Option<String>,
}

/// The computed figures of one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IndicatorFigure {
    pub indicator_id: Uuid,
    /// 指标完成率, 2 places; null until a value is given.
    #[schema(example = "53.33")]
    pub completion_rate: Option<String>,
    pub light: Option<Light>,
    /// The actual reaches `note_from` % of the target: a note is required.
    pub needs_note: bool,
}

/// Why a warning has its level: the figure that triggered it and the threshold it crossed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"budget": {"fiscal": "300.000000", "union": "120.000000"}, "execution_rate": {"fiscal": "46.67", "union": "41.67", "total": "45.24"}, "time_progress": "50.00", "budget_light": "green", "indicators": [{"indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "completion_rate": "53.33", "light": "green", "needs_note": false}], "goal_light": "green", "overall_completion_rate": "53.33", "warning": "green", "reasons": [], "late": false}))]
pub struct Figures {
    /// The item's budget the form is judged against.
    pub budget: FundSplit,
    pub execution_rate: Rates,
    /// 序时进度: cut-off month ÷ 12 × 100.
    #[schema(example = "50.00")]
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
    let mut outcomes = vec![];
    let mut figures = vec![];
    for ind in indicators {
        let value = c
            .indicator_values
            .iter()
            .find(|v| v.indicator_id == ind.id)
            .and_then(|v| v.actual.as_deref());
        let spec = IndicatorSpec {
            id: ind.id,
            direction: ind.direction,
            target: ind.numeric_target(),
            prorate: ind.prorate,
            weight: ind.weight,
        };
        let outcome = value
            .and_then(|s| parse_actual(ind.direction, s).ok())
            .and_then(|a| {
                monitoring::evaluate_indicator(&spec, a, tp, t, &period.grade_values).ok()
            });
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
    let lights: Vec<Light> = outcomes.iter().map(|(o, _)| o.light).collect();
    let goal_light = monitoring::goal_light(&lights);
    let overall = monitoring::overall_completion(
        &outcomes
            .iter()
            .map(|(o, w)| (o.completion_rate, *w))
            .collect::<Vec<_>>(),
    );
    let problems: Vec<String> = c
        .compliance
        .iter()
        .filter(|e| e.problem)
        .map(|e| e.check.as_str().to_string())
        .collect();
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
        goal_light,
        overall_completion_rate: overall.map(pct),
        warning,
        reasons: reasons
            .into_iter()
            .map(|r| ReasonFigure {
                code: r.code,
                light: r.light,
                value: r.value.map(pct),
                threshold: r.threshold.map(|d| d.to_string()),
                indicator_id: r.indicator_id,
                detail: r.detail,
            })
            .collect(),
        late,
    }
}

#[cfg(test)]
#[path = "submission_tests.rs"]
mod tests;
