//! The Chinese words a form template shows for the closed sets of values a clerk chooses from,
//! and the reverse: a cell's text back to the value (the word, or the API's own code).

use crate::domain::monitoring::{Grade, Possibility};
use crate::domain::submission::{ComplianceCheck, DeviationReason, RootCause};

/// 是 / 否, the answer of a yes-or-no cell.
pub const YES: &str = "是";
pub const NO: &str = "否";

pub fn possibility(p: Possibility) -> &'static str {
    match p {
        Possibility::Certain => "确定能",
        Possibility::Possible => "有可能",
        Possibility::Impossible => "完全不可能",
    }
}

pub fn grade(g: Grade) -> &'static str {
    match g {
        Grade::Achieved => "达成",
        Grade::PartlyAchieved => "部分达成并具有一定效果",
        Grade::NotAchieved => "未达成且效果较差",
    }
}

pub fn deviation_reason(r: DeviationReason) -> &'static str {
    match r {
        DeviationReason::Funding => "经费保障",
        DeviationReason::Institutional => "制度保障",
        DeviationReason::Staffing => "人员保障",
        DeviationReason::Facilities => "硬件条件保障",
        DeviationReason::Other => "其他",
    }
}

pub fn root_cause(c: RootCause) -> &'static str {
    match c {
        RootCause::PolicyChange => "政策变化",
        RootCause::Emergency => "突发事件",
        RootCause::PriorYearCarryover => "上年结转较大",
        RootCause::InsufficientPreparation => "前期准备不充分",
        RootCause::EnvironmentChange => "执行环境重大变化",
        RootCause::TargetSetWrong => "绩效目标设定不合理",
        RootCause::Other => "其他",
    }
}

pub fn compliance(c: ComplianceCheck) -> &'static str {
    match c {
        ComplianceCheck::SpendingWithoutBudget => "无预算开支",
        ComplianceCheck::OverBudget => "超预算开支",
        ComplianceCheck::Misappropriation => "挤占挪用预算资金",
        ComplianceCheck::OverStandardAssets => "超标准配置资产",
        ComplianceCheck::Contracts => "合同执行",
        ComplianceCheck::ProcurementAndTendering => "采购、招投标",
        ComplianceCheck::ProjectAcceptance => "项目验收",
        ComplianceCheck::Accounting => "财务管理和会计核算",
        ComplianceCheck::AssetManagement => "资产管理",
    }
}

/// The words of every value of a closed set, for a drop-down list.
pub fn all<T: Copy>(values: &[T], label: fn(T) -> &'static str) -> Vec<&'static str> {
    values.iter().map(|v| label(*v)).collect()
}

/// The value a cell's text names: its word or its code; `None` for anything else.
pub fn parse<T: Copy + std::str::FromStr>(
    text: &str,
    values: &[T],
    label: fn(T) -> &'static str,
) -> Option<T> {
    let t = text.trim();
    values
        .iter()
        .copied()
        .find(|v| label(*v) == t)
        .or_else(|| t.parse().ok())
}

/// A yes-or-no cell: `Some(true)` for 是 (or yes, true, y, 1, √), `Some(false)` for 否 (no,
/// false, n, 0), `None` for anything else.
pub fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "是" | "yes" | "y" | "true" | "1" | "√" | "✓" => Some(true),
        "否" | "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_or_a_code_names_a_value_and_nothing_else_does() {
        for (text, expected) in [
            ("确定能", Some(Possibility::Certain)),
            (" 有可能 ", Some(Possibility::Possible)),
            ("impossible", Some(Possibility::Impossible)),
            ("可能", None),
            ("", None),
        ] {
            assert_eq!(
                parse(text, Possibility::ALL, possibility),
                expected,
                "{text}"
            );
        }
        assert_eq!(
            parse("部分达成并具有一定效果", Grade::ALL, grade),
            Some(Grade::PartlyAchieved)
        );
        for (text, expected) in [
            ("是", Some(true)),
            ("否", Some(false)),
            ("TRUE", Some(true)),
            ("0", Some(false)),
            ("maybe", None),
        ] {
            assert_eq!(yes_no(text), expected, "{text}");
        }
    }

    #[test]
    fn every_list_fits_a_data_validation() {
        // Excel's list of choices: no commas, at most 255 characters in all.
        let lists = [
            all(Possibility::ALL, possibility),
            all(Grade::ALL, grade),
            all(DeviationReason::ALL, deviation_reason),
            all(RootCause::ALL, root_cause),
            all(ComplianceCheck::ALL, compliance),
        ];
        for list in lists {
            assert!(list.iter().all(|w| !w.contains(',')));
            assert!(list.join(",").chars().count() <= 255);
        }
    }
}
