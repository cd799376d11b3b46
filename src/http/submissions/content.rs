//! What a unit fills in and what the service computes, as the API shows and takes them, and
//! their conversions to and from the domain's.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::monitoring::{Light, Possibility};
use crate::domain::submission::{
    self as domain, ComplianceCheck, DeviationReason, ReasonFigure, RootCause,
};
use crate::domain::{FundSplit, IsoDate};
use crate::http::same_fields::{all, same_fields};

use super::dto::CreateSubmissionRequest;

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
    pub date: Option<IsoDate>,
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

/// Execution rates per fund and in total, as 2-place strings (null where the budget is 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Rates {
    #[schema(example = "48.25")]
    pub fiscal: Option<String>,
    pub union: Option<String>,
    pub total: Option<String>,
}

/// The computed figures of one indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct IndicatorFigure {
    pub indicator_id: Uuid,
    /// 指标完成率, 2 places; null until a value is given.
    #[schema(example = "53.33")]
    pub completion_rate: Option<String>,
    pub light: Option<Light>,
    /// The actual reaches `note_from` % of the target: a note is required.
    pub needs_note: bool,
}

/// Everything the service computes for a form (never accepted from a client).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
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

same_fields!(both IndicatorValue, domain::IndicatorValue {
    indicator_id,
    actual,
    expected_year_end,
    possibility,
    deviation_reasons,
    note,
});

same_fields!(both ComplianceEntry, domain::ComplianceEntry {
    check,
    problem,
    note,
});

same_fields!(both Signatures, domain::Signatures {
    unit_head,
    supervising_leader,
    date,
});

/// Converts into a form's content, from its one field list.
macro_rules! content_from {
    ($($how:tt)*) => {
        same_fields!($($how)* {
            executed,
            expected_year_end,
            expected_carryover,
            goal_progress,
            indicator_values: all,
            compliance: all,
            outlook,
            deviation_analysis,
            root_causes,
            corrective_measures,
            signatures: Into::into,
        });
    };
}

content_from!(both SubmissionContent, domain::SubmissionContent);
content_from!(CreateSubmissionRequest => domain::SubmissionContent);

same_fields!(domain::Rates => Rates { fiscal, union, total });

same_fields!(domain::IndicatorFigure => IndicatorFigure {
    indicator_id,
    completion_rate,
    light,
    needs_note,
});

same_fields!(domain::Figures => Figures {
    budget,
    execution_rate: Into::into,
    time_progress,
    budget_light,
    indicators: all,
    goal_light,
    overall_completion_rate,
    warning,
    reasons,
    late,
});
