//! What a unit fills in on forms 1–3 (DESIGN §3), its checks, and the figures computed from it.
//!
//! `checks` holds the rules a form's content must follow, `figures` what is computed from it.

mod checks;
mod figures;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::closed_enum;

use super::indicator::parse_decimal;
use super::monitoring::{Actual, Direction, Grade, Possibility};
use super::workflow::SubmissionStatus;
use super::FundSplit;

pub use checks::{check_complete, check_content};
pub use figures::{compute, Figures, IndicatorFigure, Rates, ReasonFigure};

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorValue {
    pub indicator_id: Uuid,
    /// 指标完成值: a decimal, or for a qualitative indicator `achieved`, `partly_achieved`, `not_achieved`.
    #[serde(default)]
    pub actual: Option<String>,
    /// 全年预计完成值
    #[serde(default)]
    pub expected_year_end: Option<String>,
    #[serde(default)]
    pub possibility: Option<Possibility>,
    #[serde(default)]
    pub deviation_reasons: Vec<DeviationReason>,
    /// Required when the actual reaches the period's `note_from` percentage of the target.
    #[serde(default)]
    pub note: Option<String>,
}

/// One compliance check's result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplianceEntry {
    pub check: ComplianceCheck,
    /// Whether a problem was found.
    pub problem: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// 部门负责人, 分管领导签字 and the date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatures {
    #[serde(default)]
    pub unit_head: Option<String>,
    #[serde(default)]
    pub supervising_leader: Option<String>,
    #[serde(default)]
    pub date: Option<super::IsoDate>,
}

/// Everything the unit fills in on a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    pub deviation_analysis: String,
    #[serde(default)]
    pub root_causes: Vec<RootCause>,
    /// 下一步纠偏措施
    #[serde(default)]
    pub corrective_measures: String,
    #[serde(default)]
    pub signatures: Signatures,
}

/// A form: what the unit filled in, and what the service computed from it. Serialized, it is
/// the form as kept in its versions (the same shape as the API shows it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Submission {
    pub id: Uuid,
    pub period_id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    /// 1 整体, 2 专项资金, 3 项目.
    pub form: i16,
    pub status: SubmissionStatus,
    pub submitted_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(flatten)]
    pub content: SubmissionContent,
    #[serde(flatten)]
    pub figures: Figures,
}

/// One kept version of a form: the form as it stood when it reached a workflow step.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionVersion {
    /// From 1, per form.
    pub number: i32,
    /// The status the form reached: `submitted`, `returned` or `accepted`.
    pub event: SubmissionStatus,
    pub reason: Option<String>,
    pub actor_id: Uuid,
    pub actor_username: String,
    pub created_at: DateTime<Utc>,
    /// The whole form at that moment, as [`Submission`] serializes.
    pub snapshot: serde_json::Value,
}

pub(crate) fn parse_actual(direction: Direction, s: &str) -> Result<Actual, String> {
    match direction {
        Direction::Qualitative => s
            .parse::<Grade>()
            .map(Actual::Grade)
            .map_err(|e| format!("a qualitative indicator's value {e}")),
        _ => parse_decimal(s).map(Actual::Number),
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_warning;
