//! Table tests of the warning `compute` gives a form: the worst reason and each one listed,
//! and lateness named without raising the level.

use super::tests::*;
use rust_decimal::Decimal;

use crate::domain::monitoring::{Light, Possibility, ReasonCode};
use crate::domain::submission::{compute, ComplianceCheck, ComplianceEntry, IndicatorValue};

#[test]
fn the_warning_takes_the_worst_reason_and_lists_each_one() {
    let red_indicator = value(QUANTITY, "200");
    let problem = |check| ComplianceEntry {
        check,
        problem: true,
        note: None,
    };
    let fine = ComplianceEntry {
        check: ComplianceCheck::OverBudget,
        problem: false,
        note: None,
    };
    // (executed fiscal, union), indicator values, outlook, compliance, late → warning, reasons
    let cases: Vec<(
        _,
        Vec<IndicatorValue>,
        _,
        Vec<ComplianceEntry>,
        _,
        _,
        Vec<ReasonCode>,
    )> = vec![
        (
            ("40", "120"),
            vec![],
            None,
            vec![],
            false,
            Light::Green,
            vec![],
        ),
        (
            ("40", "120"),
            vec![],
            None,
            vec![fine.clone()],
            false,
            Light::Green,
            vec![],
        ),
        (
            ("20", "120"),
            vec![],
            None,
            vec![],
            false,
            Light::Yellow,
            vec![ReasonCode::ExecutionBehindTime],
        ),
        (
            ("40", "120"),
            vec![red_indicator.clone()],
            None,
            vec![],
            false,
            Light::Red,
            vec![ReasonCode::IndicatorBehind],
        ),
        (
            ("40", "120"),
            vec![],
            Some(Possibility::Impossible),
            vec![],
            false,
            Light::Red,
            vec![ReasonCode::OutlookImpossible],
        ),
        (
            ("40", "120"),
            vec![],
            Some(Possibility::Certain),
            vec![problem(ComplianceCheck::OverBudget)],
            false,
            Light::Red,
            vec![ReasonCode::ComplianceProblem],
        ),
        (
            ("0", "0"),
            vec![red_indicator],
            Some(Possibility::Impossible),
            vec![problem(ComplianceCheck::OverBudget), fine],
            false,
            Light::Red,
            vec![
                ReasonCode::ExecutionBehindTime,
                ReasonCode::IndicatorBehind,
                ReasonCode::OutlookImpossible,
                ReasonCode::ComplianceProblem,
            ],
        ),
    ];
    for ((fiscal, union), values, outlook, compliance, late, warning, codes) in cases {
        let mut content = executed(fiscal, union);
        content.indicator_values = values;
        content.outlook = outlook;
        content.compliance = compliance;
        let f = compute(
            &item(split("100", "300")),
            &indicators(),
            &period(),
            &content,
            late,
        );
        assert_eq!(f.warning, warning, "{codes:?}");
        let got: Vec<_> = f.reasons.iter().map(|r| r.code).collect();
        assert_eq!(got, codes);
        assert_eq!(f.late, late);
    }
}

#[test]
fn a_late_form_is_flagged_and_named_without_raising_the_warning() {
    for late in [false, true] {
        let f = compute(
            &item(split("100", "300")),
            &[],
            &period(),
            &executed("40", "120"),
            late,
        );
        assert_eq!(f.late, late);
        let codes: Vec<_> = f.reasons.iter().map(|r| r.code).collect();
        assert_eq!(codes.contains(&ReasonCode::Late), late, "{codes:?}");
        // Lateness is named but does not raise the warning by itself.
        assert_eq!(f.warning, Light::Green);
    }
}

#[test]
fn the_budget_reason_carries_its_figure_and_threshold() {
    let f = compute(
        &item(split("100", "300")),
        &[],
        &period(),
        &executed("10", "30"),
        false,
    );
    // 10 % of the budget at 50 % of the year: 20 % of time progress, under red's 60.
    let r = &f.reasons[0];
    assert_eq!(r.code, ReasonCode::ExecutionBehindTime);
    assert_eq!(r.light, Light::Red);
    assert_eq!(r.value, s("20.00"));
    assert_eq!(r.threshold, s("60"));
    assert_eq!(r.indicator_id, None);
    assert_eq!(Decimal::from(60), period().thresholds.red_below);
}
