//! The words of the Word report: Chinese labels for the report's codes, amounts and dates as a
//! Chinese report prints them, and the warning reasons written out as sentences.
//!
//! The labels are this document's own for now; they are meant to move into one shared table of
//! labels with the workbook's.

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::domain::follow_through::{ActionSource, ActionStatus, MeasureKind};
use crate::domain::item::ItemKind;
use crate::domain::monitoring::{Light, ReasonCode};
use crate::domain::period::PeriodKind;
use crate::domain::submission::{ComplianceCheck, ReasonFigure};
use crate::domain::Total;
use crate::report::form::layout::amount_text;

/// 上半年 · 全年 · 中期.
pub fn docx_period_kind(k: PeriodKind) -> &'static str {
    match k {
        PeriodKind::H1 => "上半年",
        PeriodKind::Annual => "全年",
        PeriodKind::Interim => "中期",
    }
}

/// 整体 · 专项资金 · 项目.
pub fn docx_item_kind(k: ItemKind) -> &'static str {
    match k {
        ItemKind::Overall => "部门整体",
        ItemKind::SpecialFund => "专项资金",
        ItemKind::Project => "项目",
    }
}

/// 红灯 · 黄灯 · 绿灯 · 蓝灯; a missing light (no form) is 未填报.
pub fn docx_light(l: Option<Light>) -> &'static str {
    match l {
        Some(Light::Red) => "红灯",
        Some(Light::Yellow) => "黄灯",
        Some(Light::Green) => "绿灯",
        Some(Light::Blue) => "蓝灯",
        None => "未填报",
    }
}

/// A compliance check by its code (无预算开支, 超预算开支, …); an unknown code as it is.
pub fn docx_check(code: &str) -> String {
    let label = code.parse().ok().map(|c| match c {
        ComplianceCheck::SpendingWithoutBudget => "无预算开支",
        ComplianceCheck::OverBudget => "超预算开支",
        ComplianceCheck::Misappropriation => "挤占挪用",
        ComplianceCheck::OverStandardAssets => "超标准配置资产",
        ComplianceCheck::Contracts => "合同管理",
        ComplianceCheck::ProcurementAndTendering => "政府采购和招投标",
        ComplianceCheck::ProjectAcceptance => "项目验收",
        ComplianceCheck::Accounting => "会计核算",
        ComplianceCheck::AssetManagement => "资产管理",
    });
    label.map(String::from).unwrap_or_else(|| code.to_string())
}

/// A finance measure by its code (Art. 14); an unknown code as it is.
pub fn docx_measure(code: &str) -> String {
    let label = code.parse().ok().map(|m| match m {
        MeasureKind::SuspendPayment => "暂缓付款",
        MeasureKind::StopPayment => "停止付款",
        MeasureKind::AdjustBudget => "调整预算",
        MeasureKind::AdjustIndicators => "调整绩效目标指标",
        MeasureKind::Rectification => "督促整改",
        MeasureKind::BudgetReference => "作为以后年度预算安排参考",
    });
    label.map(String::from).unwrap_or_else(|| code.to_string())
}

/// A corrective action's status by its code; an unknown code as it is.
pub fn docx_action_status(code: &str) -> String {
    let label = code.parse().ok().map(|s| match s {
        ActionStatus::Open => "未开始",
        ActionStatus::InProgress => "整改中",
        ActionStatus::Done => "已完成待核验",
        ActionStatus::Verified => "已核验",
    });
    label.map(String::from).unwrap_or_else(|| code.to_string())
}

/// Who opened a corrective action, by its code; an unknown code as it is.
pub fn docx_action_source(code: &str) -> String {
    let label = code.parse().ok().map(|s| match s {
        ActionSource::Unit => "单位自行纠偏",
        ActionSource::Finance => "财务部督促整改",
    });
    label.map(String::from).unwrap_or_else(|| code.to_string())
}

/// A date as 2026年6月30日.
pub fn docx_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// An amount in 万元 as the forms and the workbook print it (`#,##0.00####`): thousands
/// grouped, at least two places, exact to its last non-zero place: 1,234.50 · 0.000001.
pub fn docx_money(t: Total) -> String {
    amount_text(&t.to_string())
}

/// A percentage as the report carries it (two places), or — where there is none.
pub fn docx_rate(r: Option<&str>) -> String {
    r.map(String::from).unwrap_or_else(|| "—".into())
}

fn figure(s: Option<&str>) -> Option<Decimal> {
    s.and_then(|s| s.parse().ok())
}

/// A threshold as a number without trailing zeros (60, 80, 120).
fn threshold(t: Option<&str>) -> String {
    figure(t)
        .map(|d| d.normalize().to_string())
        .unwrap_or_default()
}

/// How indicator reasons are told, so that several of a kind make one sentence.
#[derive(Debug, Clone, PartialEq)]
enum IndicatorGroup {
    /// Behind its (prorated) target, below a threshold.
    Behind(Light, String),
    /// A lower-better indicator over its target.
    Exceeded,
    /// Judged by its completion rate only (a qualitative grade, a zero target).
    Rate(Light),
    /// Far over its target (informational).
    Over(String),
}

/// The group of an `indicator_behind` or `indicator_over_target` reason.
fn indicator_group(r: &ReasonFigure) -> IndicatorGroup {
    let bound = threshold(r.threshold.as_deref());
    if r.code == ReasonCode::IndicatorOverTarget {
        return IndicatorGroup::Over(bound);
    }
    // A behind indicator's ratio is above 100 only for a lower-better one over its target.
    match (&r.threshold, figure(r.value.as_deref())) {
        (Some(_), Some(v)) if v > Decimal::ONE_HUNDRED => IndicatorGroup::Exceeded,
        (Some(_), _) => IndicatorGroup::Behind(r.light, bound),
        (None, _) => IndicatorGroup::Rate(r.light),
    }
}

fn indicator_sentence(g: &IndicatorGroup, values: &[String]) -> String {
    let (n, each) = match values.len() {
        1 => ("一".to_string(), ""),
        n => (n.to_string(), "分别"),
    };
    let v = values
        .iter()
        .map(|v| format!("{v}%"))
        .collect::<Vec<_>>()
        .join("、");
    match g {
        IndicatorGroup::Behind(l, bound) => format!(
            "{n}项绩效指标的完成进度{each}为目标的{v}，低于{bound}%的{}标准",
            docx_light(Some(*l))
        ),
        IndicatorGroup::Exceeded => {
            format!("{n}项成本或时效指标的实际值{each}为目标值的{v}，超出目标")
        }
        IndicatorGroup::Rate(l) => {
            format!(
                "{n}项绩效指标的完成率{each}为{v}（{}）",
                docx_light(Some(*l))
            )
        }
        IndicatorGroup::Over(bound) => format!(
            "{n}项绩效指标的完成值{each}达到目标的{v}，超过{bound}%，属超额完成，需说明原因"
        ),
    }
}

/// A form's warning reasons as sentences (without the final full stop), each with its figure
/// and the threshold it crossed, in the form's order; indicator reasons of one kind make one
/// sentence. `rate` is the item's execution rate and `time_progress` the period's.
pub fn docx_reasons(
    reasons: &[ReasonFigure],
    rate: Option<&str>,
    time_progress: &str,
) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    let mut groups: Vec<(usize, IndicatorGroup, Vec<String>)> = vec![];
    for r in reasons {
        let value = r.value.clone().unwrap_or_else(|| "—".into());
        let bound = threshold(r.threshold.as_deref());
        let sentence = match r.code {
            ReasonCode::ExecutionBehindTime => format!(
                "预算执行率{}%，仅为序时进度（{time_progress}%）的{value}%，低于{bound}%的{}标准",
                docx_rate(rate),
                docx_light(Some(r.light))
            ),
            ReasonCode::OutlookImpossible => "单位预计全年绩效目标完全不可能实现".into(),
            ReasonCode::ComplianceProblem => format!(
                "合规性检查发现“{}”问题",
                docx_check(r.detail.as_deref().unwrap_or(""))
            ),
            ReasonCode::Late => "监控表逾期报送".into(),
            ReasonCode::IndicatorBehind | ReasonCode::IndicatorOverTarget => {
                let g = indicator_group(r);
                if let Some((_, _, values)) = groups.iter_mut().find(|(_, h, _)| *h == g) {
                    values.push(value);
                    continue;
                }
                // The group's place, written once every reason of its kind is known.
                groups.push((out.len(), g, vec![value]));
                String::new()
            }
        };
        out.push(sentence);
    }
    for (at, g, values) in groups {
        out[at] = indicator_sentence(&g, &values);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(s: &str) -> Total {
        s.parse().unwrap()
    }

    #[test]
    fn amounts_print_grouped_with_two_places_and_every_significant_digit() {
        for (amount, printed) in [
            ("0", "0.00"),
            ("1234.5", "1,234.50"),
            ("999999999999.999999", "999,999,999,999.999999"),
            ("0.000001", "0.000001"),
            ("100", "100.00"),
            ("12345678.120000", "12,345,678.12"),
        ] {
            assert_eq!(docx_money(total(amount)), printed, "{amount}");
        }
    }

    fn reason(
        code: ReasonCode,
        light: Light,
        value: Option<&str>,
        t: Option<&str>,
    ) -> ReasonFigure {
        ReasonFigure {
            code,
            light,
            value: value.map(String::from),
            threshold: t.map(String::from),
            indicator_id: None,
            detail: None,
        }
    }

    #[test]
    fn each_reason_reads_as_a_sentence_with_its_figure_and_threshold() {
        use ReasonCode::*;
        for (r, rate, sentence) in [
            (
                reason(ExecutionBehindTime, Light::Red, Some("24.00"), Some("60")),
                Some("12.00"),
                "预算执行率12.00%，仅为序时进度（50.00%）的24.00%，低于60%的红灯标准",
            ),
            (
                reason(
                    ExecutionBehindTime,
                    Light::Yellow,
                    Some("70.00"),
                    Some("80.0"),
                ),
                Some("35.00"),
                "预算执行率35.00%，仅为序时进度（50.00%）的70.00%，低于80%的黄灯标准",
            ),
            (
                reason(IndicatorBehind, Light::Red, Some("45.00"), Some("60")),
                None,
                "一项绩效指标的完成进度为目标的45.00%，低于60%的红灯标准",
            ),
            (
                reason(IndicatorBehind, Light::Red, Some("125.00"), Some("100")),
                None,
                "一项成本或时效指标的实际值为目标值的125.00%，超出目标",
            ),
            (
                reason(IndicatorBehind, Light::Red, Some("0.00"), None),
                None,
                "一项绩效指标的完成率为0.00%（红灯）",
            ),
            (
                reason(
                    IndicatorOverTarget,
                    Light::Green,
                    Some("140.00"),
                    Some("120"),
                ),
                None,
                "一项绩效指标的完成值达到目标的140.00%，超过120%，属超额完成，需说明原因",
            ),
            (
                reason(OutlookImpossible, Light::Red, None, None),
                None,
                "单位预计全年绩效目标完全不可能实现",
            ),
            (
                ReasonFigure {
                    detail: Some("over_budget".into()),
                    ..reason(ComplianceProblem, Light::Red, None, None)
                },
                None,
                "合规性检查发现“超预算开支”问题",
            ),
            (
                reason(Late, Light::Green, None, None),
                None,
                "监控表逾期报送",
            ),
        ] {
            assert_eq!(
                docx_reasons(std::slice::from_ref(&r), rate, "50.00"),
                [sentence],
                "{r:?}"
            );
        }
    }

    #[test]
    fn indicator_reasons_of_one_kind_make_one_sentence_in_the_place_of_the_first() {
        use ReasonCode::*;
        let reasons = [
            reason(IndicatorBehind, Light::Red, Some("24.00"), Some("60")),
            reason(OutlookImpossible, Light::Red, None, None),
            reason(IndicatorBehind, Light::Yellow, Some("70.00"), Some("80")),
            reason(IndicatorBehind, Light::Red, Some("16.00"), Some("60")),
            reason(IndicatorBehind, Light::Red, Some("130.00"), Some("100")),
            reason(IndicatorBehind, Light::Red, Some("150.00"), Some("100")),
        ];
        assert_eq!(
            docx_reasons(&reasons, None, "50.00"),
            [
                "2项绩效指标的完成进度分别为目标的24.00%、16.00%，低于60%的红灯标准",
                "单位预计全年绩效目标完全不可能实现",
                "一项绩效指标的完成进度为目标的70.00%，低于80%的黄灯标准",
                "2项成本或时效指标的实际值分别为目标值的130.00%、150.00%，超出目标",
            ]
        );
    }

    #[test]
    fn every_code_has_a_chinese_label_and_an_unknown_one_shows_as_it_is() {
        for c in ComplianceCheck::ALL {
            assert!(!docx_check(c.as_str()).is_ascii(), "{c}");
        }
        for m in MeasureKind::ALL {
            assert!(!docx_measure(m.as_str()).is_ascii(), "{m}");
        }
        for s in ActionStatus::ALL {
            assert!(!docx_action_status(s.as_str()).is_ascii(), "{s}");
        }
        for s in ActionSource::ALL {
            assert!(!docx_action_source(s.as_str()).is_ascii(), "{s}");
        }
        assert_eq!(docx_check("something_new"), "something_new");
        assert_eq!(
            docx_date(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()),
            "2026年6月30日"
        );
    }
}
