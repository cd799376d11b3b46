//! The Chinese wording of every code a report shows, in one place: the XLSX and CSV report
//! and any later printed report use these labels, so a code reads the same everywhere. The
//! wording follows the 2021 implementation rules and their forms (DESIGN.md points each value to
//! its article). JSON keeps the codes.

use std::str::FromStr;

use crate::domain::follow_through::{
    ActionSource, ActionStatus, AdjustmentCause, AdjustmentStatus, Lens, MeasureKind,
};
use crate::domain::indicator::{Level1, Level2};
use crate::domain::item::{FundingSource, ItemKind, PaymentStatus};
use crate::domain::monitoring::{Direction, Grade, Light, Possibility, ReasonCode};
use crate::domain::period::PeriodKind;
use crate::domain::submission::{ComplianceCheck, DeviationReason, ReasonFigure, RootCause};
use crate::domain::unit::UnitKind;
use crate::domain::workflow::{PeriodStatus, SubmissionStatus};

/// A closed set of codes with a Chinese label for each.
pub trait Label {
    /// The label a report prints for the code.
    fn label(&self) -> &'static str;
}

/// Implements [`Label`] from a table of variant → label; a missing variant does not compile.
macro_rules! labels {
    ($ty:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl Label for $ty {
            fn label(&self) -> &'static str {
                match self { $(<$ty>::$variant => $text),+ }
            }
        }
    };
}

labels!(Light { Red => "红", Yellow => "黄", Green => "绿", Blue => "蓝" });
labels!(Possibility { Certain => "确定能", Possible => "有可能", Impossible => "完全不可能" });
labels!(Grade {
    Achieved => "达成",
    PartlyAchieved => "部分达成并具有一定效果",
    NotAchieved => "未达成且效果较差",
});
labels!(Direction { HigherBetter => "正向指标", LowerBetter => "反向指标", Qualitative => "定性指标" });
labels!(ReasonCode {
    ExecutionBehindTime => "预算执行进度滞后",
    IndicatorBehind => "绩效指标完成滞后",
    IndicatorOverTarget => "绩效指标超额完成",
    OutlookImpossible => "预计完全不可能完成年度目标",
    ComplianceProblem => "合规性问题",
    Late => "逾期报送",
});
labels!(ItemKind { Overall => "整体", SpecialFund => "专项资金", Project => "项目" });
labels!(FundingSource {
    FiscalAllocation => "各级财政拨付",
    UpperUnion => "上级工会拨付",
    Own => "本级工会",
});
labels!(PaymentStatus { Normal => "正常", Suspended => "暂缓付款", Stopped => "停止付款" });
labels!(SubmissionStatus {
    Draft => "草稿",
    Submitted => "已报送",
    Returned => "已退回",
    Accepted => "已审核",
});
labels!(PeriodKind { H1 => "上半年", Annual => "全年", Interim => "中期评估" });
labels!(PeriodStatus { Draft => "草稿", Open => "填报中", Closed => "已截止", Published => "已发布" });
labels!(UnitKind {
    Department => "机关部室",
    Institution => "事业单位",
    SubordinateUnion => "下级工会",
});
labels!(ComplianceCheck {
    SpendingWithoutBudget => "无预算开支",
    OverBudget => "超预算开支",
    Misappropriation => "挤占挪用预算资金",
    OverStandardAssets => "超标准配置资产",
    Contracts => "合同执行",
    ProcurementAndTendering => "采购、招投标",
    ProjectAcceptance => "项目验收",
    Accounting => "财务管理和会计核算",
    AssetManagement => "资产管理",
});
labels!(DeviationReason {
    Funding => "经费保障",
    Institutional => "制度保障",
    Staffing => "人员保障",
    Facilities => "硬件条件保障",
    Other => "其他",
});
labels!(RootCause {
    PolicyChange => "政策变化",
    Emergency => "突发事件",
    PriorYearCarryover => "上年结转较大",
    InsufficientPreparation => "前期准备不充分",
    EnvironmentChange => "执行环境重大变化",
    TargetSetWrong => "绩效目标设定不合理",
    Other => "其他",
});
labels!(Lens { Timeliness => "及时性", Compliance => "合规性", Effectiveness => "有效性" });
labels!(ActionStatus { Open => "未开始", InProgress => "整改中", Done => "已完成", Verified => "已核实" });
labels!(ActionSource { Unit => "单位自行纠偏", Finance => "财务部督促整改" });
labels!(AdjustmentCause { PolicyChange => "政策变化", Emergency => "突发事件", Other => "其他" });
labels!(AdjustmentStatus {
    Pending => "待审批",
    Approved => "已批准",
    Rejected => "已驳回",
    Withdrawn => "已撤回",
});
labels!(MeasureKind {
    SuspendPayment => "暂缓付款",
    StopPayment => "停止付款",
    AdjustBudget => "调整预算",
    AdjustIndicators => "调整绩效目标指标",
    Rectification => "督促整改",
    BudgetReference => "作为以后年度预算安排的参考",
});

impl Label for Level1 {
    fn label(&self) -> &'static str {
        Level1::label(self)
    }
}

impl Label for Level2 {
    fn label(&self) -> &'static str {
        Level2::label(self)
    }
}

/// The status of a report row whose required form was never started.
pub const MISSING: &str = "missing";

/// The label of a code stored as text (a report row keeps some codes as strings); an unknown
/// code is shown as it is rather than dropped.
pub fn of<T: FromStr + Label>(code: &str) -> &str {
    code.parse::<T>().map(|v| v.label()).unwrap_or(code)
}

/// A report row's form status: a submission status, or 未报送 for a form never started.
pub fn form_status(code: &str) -> &str {
    if code == MISSING {
        "未报送"
    } else {
        of::<SubmissionStatus>(code)
    }
}

/// 是 or 否.
pub fn yes_no(b: bool) -> &'static str {
    if b {
        "是"
    } else {
        "否"
    }
}

fn percent(v: &str) -> String {
    format!("{v}%")
}

/// A warning reason as a sentence with its figures: what happened, the figure that triggered
/// it and the threshold it crossed (all in percent), e.g. 预算执行进度滞后：执行率仅为序时进度的
/// 44.00%，低于60%.
pub fn reason(r: &ReasonFigure) -> String {
    let v = r.value.as_deref();
    let t = r.threshold.as_deref();
    // A figure above its threshold on an indicator behind: a lower-better indicator over its
    // target (threshold 100); a higher-better one behind is always below its threshold.
    let above = match (v.map(str::parse::<f64>), t.map(str::parse::<f64>)) {
        (Some(Ok(v)), Some(Ok(t))) => v > t,
        _ => false,
    };
    match (r.code, v, t) {
        (ReasonCode::ExecutionBehindTime, Some(v), Some(t)) => format!(
            "预算执行进度滞后：执行率仅为序时进度的{}，低于{}",
            percent(v),
            percent(t)
        ),
        (ReasonCode::IndicatorBehind, Some(v), Some(t)) if above => format!(
            "绩效指标超出预期指标值：完成值为预期指标值的{}，应不高于{}",
            percent(v),
            percent(t)
        ),
        (ReasonCode::IndicatorBehind, Some(v), Some(t)) => format!(
            "绩效指标完成滞后：完成值仅为应完成值的{}，低于{}",
            percent(v),
            percent(t)
        ),
        (ReasonCode::IndicatorBehind, Some(v), None) => {
            format!("绩效指标未达成预期：指标完成率为{}", percent(v))
        }
        (ReasonCode::IndicatorOverTarget, Some(v), Some(t)) => format!(
            "绩效指标超额完成：完成值为应完成值的{}，达到{}以上",
            percent(v),
            percent(t)
        ),
        (ReasonCode::OutlookImpossible, _, _) => "预计年度绩效目标完全不可能实现".into(),
        (ReasonCode::ComplianceProblem, _, _) => match r.detail.as_deref() {
            Some(check) => format!("合规性检查发现问题：{}", of::<ComplianceCheck>(check)),
            None => "合规性检查发现问题".into(),
        },
        (ReasonCode::Late, _, _) => "逾期报送：晚于报送截止日期".into(),
        (code, Some(v), _) => format!("{}：{}", code.label(), percent(v)),
        (code, None, _) => code.label().into(),
    }
}

/// The reasons of a row, one sentence each, joined by `sep`.
pub fn reasons(rs: &[ReasonFigure], sep: &str) -> String {
    rs.iter().map(reason).collect::<Vec<_>>().join(sep)
}

/// Finance's measures on an item (codes), as labels joined by 、.
pub fn measures(codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| of::<MeasureKind>(c))
        .collect::<Vec<_>>()
        .join("、")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(
        code: ReasonCode,
        v: Option<&str>,
        t: Option<&str>,
        detail: Option<&str>,
    ) -> ReasonFigure {
        ReasonFigure {
            code,
            light: Light::Red,
            value: v.map(String::from),
            threshold: t.map(String::from),
            indicator_id: None,
            detail: detail.map(String::from),
        }
    }

    fn no_ascii_word(s: &str) -> bool {
        !s.split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w.len() > 1)
    }

    #[test]
    fn every_reason_reads_as_a_chinese_sentence_with_its_figures() {
        use ReasonCode::*;
        for (r, expected) in [
            (
                fig(ExecutionBehindTime, Some("44.00"), Some("60"), None),
                "预算执行进度滞后：执行率仅为序时进度的44.00%，低于60%",
            ),
            (
                fig(IndicatorBehind, Some("70.00"), Some("80"), None),
                "绩效指标完成滞后：完成值仅为应完成值的70.00%，低于80%",
            ),
            (
                fig(IndicatorBehind, Some("108.33"), Some("100"), None),
                "绩效指标超出预期指标值：完成值为预期指标值的108.33%，应不高于100%",
            ),
            (
                fig(IndicatorBehind, Some("60.00"), None, None),
                "绩效指标未达成预期：指标完成率为60.00%",
            ),
            (
                fig(IndicatorOverTarget, Some("140.00"), Some("120"), None),
                "绩效指标超额完成：完成值为应完成值的140.00%，达到120%以上",
            ),
            (
                fig(OutlookImpossible, None, None, None),
                "预计年度绩效目标完全不可能实现",
            ),
            (
                fig(
                    ComplianceProblem,
                    None,
                    None,
                    Some("procurement_and_tendering"),
                ),
                "合规性检查发现问题：采购、招投标",
            ),
            (fig(Late, None, None, None), "逾期报送：晚于报送截止日期"),
        ] {
            assert_eq!(reason(&r), expected);
        }
        for code in ReasonCode::ALL {
            for (v, t) in [
                (None, None),
                (Some("1.00"), None),
                (Some("1.00"), Some("60")),
            ] {
                let s = reason(&fig(*code, v, t, Some("over_budget")));
                assert!(no_ascii_word(&s), "{code}: {s}");
            }
        }
    }

    #[test]
    fn every_code_of_every_closed_set_has_a_chinese_label() {
        fn all<T: Label + std::fmt::Display>(values: &[T]) {
            let mut seen = std::collections::HashSet::new();
            for v in values {
                let l = v.label();
                assert!(!l.is_empty() && no_ascii_word(l), "{v}: {l}");
                assert!(seen.insert(l), "{v}: {l} twice");
            }
        }
        all(Light::ALL);
        all(Possibility::ALL);
        all(Grade::ALL);
        all(Direction::ALL);
        all(ReasonCode::ALL);
        all(ItemKind::ALL);
        all(FundingSource::ALL);
        all(PaymentStatus::ALL);
        all(SubmissionStatus::ALL);
        all(PeriodKind::ALL);
        all(PeriodStatus::ALL);
        all(UnitKind::ALL);
        all(ComplianceCheck::ALL);
        all(DeviationReason::ALL);
        all(RootCause::ALL);
        all(Lens::ALL);
        all(ActionStatus::ALL);
        all(ActionSource::ALL);
        all(AdjustmentCause::ALL);
        all(AdjustmentStatus::ALL);
        all(MeasureKind::ALL);
        all(Level1::ALL);
        all(Level2::ALL);
    }

    #[test]
    fn codes_stored_as_text_read_as_labels() {
        for (code, expected) in [
            ("missing", "未报送"),
            ("draft", "草稿"),
            ("submitted", "已报送"),
            ("returned", "已退回"),
            ("accepted", "已审核"),
        ] {
            assert_eq!(form_status(code), expected);
        }
        assert_eq!(of::<PaymentStatus>("suspended"), "暂缓付款");
        assert_eq!(of::<ActionStatus>("in_progress"), "整改中");
        assert_eq!(of::<ActionSource>("finance"), "财务部督促整改");
        assert_eq!(
            measures(&["suspend_payment".into(), "rectification".into()]),
            "暂缓付款、督促整改"
        );
        // An unknown code is kept, not lost.
        assert_eq!(of::<PaymentStatus>("frozen"), "frozen");
    }
}
