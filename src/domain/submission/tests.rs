//! Table tests of `compute`: a form's figures from its content, the item's budget, the
//! indicators and the period (DESIGN §3), on a 2026 H1 period (time progress 50 %) with the
//! default thresholds and an item of 100 fiscal + 300 union.

use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use crate::domain::indicator::{Indicator, Level1, Level2};
use crate::domain::item::{Item, ItemKind, PaymentStatus};
use crate::domain::monitoring::{Direction, GradeValues, Light, ReasonCode, Thresholds};
use crate::domain::period::{Period, PeriodKind};
use crate::domain::submission::{compute, IndicatorValue, SubmissionContent};
use crate::domain::workflow::PeriodStatus;
use crate::domain::{Amount, FundSplit};

pub(super) const QUANTITY: Uuid = Uuid::from_u128(1);
pub(super) const SATISFACTION: Uuid = Uuid::from_u128(2);

pub(super) fn split(fiscal: &str, union: &str) -> FundSplit {
    FundSplit {
        fiscal: fiscal.parse::<Amount>().unwrap(),
        union: union.parse::<Amount>().unwrap(),
    }
}

pub(super) fn period() -> Period {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    Period {
        id: Uuid::from_u128(10),
        year: 2026,
        kind: PeriodKind::H1,
        name: "2026年上半年预算绩效运行监控".into(),
        as_of: date(6, 30),
        submission_deadline: date(7, 10),
        report_deadline: date(7, 31),
        status: PeriodStatus::Open,
        thresholds: Thresholds::default(),
        grade_values: GradeValues::default(),
        version: 1,
        created_at: at,
        updated_at: at,
    }
}

pub(super) fn item(budget: FundSplit) -> Item {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    Item {
        id: Uuid::from_u128(20),
        unit_id: Uuid::from_u128(30),
        year: 2026,
        kind: ItemKind::Overall,
        name: "整体支出".into(),
        key_monitored: false,
        budget,
        original_budget: budget,
        annual_goal: String::new(),
        start_year: None,
        end_year: None,
        previous_item_id: None,
        funding_source: None,
        parent_id: None,
        payment_status: PaymentStatus::Normal,
        version: 1,
        created_at: at,
        updated_at: at,
    }
}

pub(super) fn indicator(id: Uuid, direction: Direction, target: &str, prorate: bool) -> Indicator {
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    Indicator {
        id,
        item_id: Uuid::from_u128(20),
        position: 0,
        level1: Level1::Output,
        level2: Level2::Quantity,
        name: "培训人次".into(),
        measure_unit: "人次".into(),
        direction,
        target: target.into(),
        original_target: target.into(),
        prorate,
        weight: None,
        version: 1,
        created_at: at,
        updated_at: at,
    }
}

/// 培训人次 (1000, prorated) and 职工满意度 (90).
pub(super) fn indicators() -> Vec<Indicator> {
    vec![
        indicator(QUANTITY, Direction::HigherBetter, "1000", true),
        indicator(SATISFACTION, Direction::HigherBetter, "90", false),
    ]
}

pub(super) fn value(id: Uuid, actual: &str) -> IndicatorValue {
    IndicatorValue {
        indicator_id: id,
        actual: Some(actual.into()),
        expected_year_end: None,
        possibility: None,
        deviation_reasons: vec![],
        note: None,
    }
}

pub(super) fn executed(fiscal: &str, union: &str) -> SubmissionContent {
    SubmissionContent {
        executed: split(fiscal, union),
        ..Default::default()
    }
}

pub(super) fn s(v: &str) -> Option<String> {
    Some(v.into())
}

#[test]
pub(super) fn execution_rates_and_the_budget_light_follow_time_progress() {
    // (executed fiscal, union) → (rates fiscal, union, total), budget light
    for ((fiscal, union), rates, light) in [
        (
            ("40", "120"),
            [s("40.00"), s("40.00"), s("40.00")],
            Some(Light::Green),
        ),
        // 35 % of the budget at 50 % of the year: 70 % of time progress.
        (
            ("20", "120"),
            [s("20.00"), s("40.00"), s("35.00")],
            Some(Light::Yellow),
        ),
        (
            ("0", "0"),
            [s("0.00"), s("0.00"), s("0.00")],
            Some(Light::Red),
        ),
        // 29.99 / 50 = 59.98 % of time progress: just red.
        (
            ("29.99", "89.97"),
            [s("29.99"), s("29.99"), s("29.99")],
            Some(Light::Red),
        ),
        // 30 / 50 = 60 %: just yellow.
        (
            ("30", "90"),
            [s("30.00"), s("30.00"), s("30.00")],
            Some(Light::Yellow),
        ),
        // Ahead of time: green, never blue.
        (
            ("100", "300"),
            [s("100.00"), s("100.00"), s("100.00")],
            Some(Light::Green),
        ),
    ] {
        let f = compute(
            &item(split("100", "300")),
            &[],
            &period(),
            &executed(fiscal, union),
            false,
        );
        let got = [
            f.execution_rate.fiscal.clone(),
            f.execution_rate.union.clone(),
            f.execution_rate.total.clone(),
        ];
        assert_eq!(got, rates, "{fiscal} + {union}");
        assert_eq!(f.budget_light, light, "{fiscal} + {union}");
        assert_eq!(f.time_progress, "50.00");
        assert_eq!(f.budget, split("100", "300"));
    }
}

#[test]
pub(super) fn a_zero_budget_has_no_rate_and_no_budget_light() {
    for (budget, rates) in [
        (split("0", "0"), [None, None, None]),
        (split("0", "300"), [None, s("40.00"), s("40.00")]),
    ] {
        let f = compute(&item(budget), &[], &period(), &executed("0", "120"), false);
        let got = [
            f.execution_rate.fiscal.clone(),
            f.execution_rate.union.clone(),
            f.execution_rate.total.clone(),
        ];
        assert_eq!(got, rates, "{budget:?}");
        assert_eq!(f.budget_light.is_none(), rates[2].is_none(), "{budget:?}");
    }
}

#[test]
pub(super) fn indicator_figures_goal_light_and_overall_completion() {
    // (actual of 培训人次, actual of 满意度) → completion rates, lights, goal light, overall
    for ((quantity, satisfaction), completion, lights, goal, overall) in [
        // 450 of a prorated 1000 at 50 %: 45 % complete, 90 % of pace (green); 92 of 90: 100 %.
        (
            (Some("450"), Some("92")),
            [s("45.00"), s("100.00")],
            [Some(Light::Green), Some(Light::Green)],
            Some(Light::Green),
            s("72.50"),
        ),
        // 200 of a prorated 500: 40 % of pace, red.
        (
            (Some("200"), Some("90")),
            [s("20.00"), s("100.00")],
            [Some(Light::Red), Some(Light::Green)],
            Some(Light::Red),
            s("60.00"),
        ),
        // 63 of 90: 70 %, yellow.
        (
            (Some("500"), Some("63")),
            [s("50.00"), s("70.00")],
            [Some(Light::Green), Some(Light::Yellow)],
            Some(Light::Yellow),
            s("60.00"),
        ),
        // Only one answered: the overall is that one's.
        (
            (Some("450"), None),
            [s("45.00"), None],
            [Some(Light::Green), None],
            Some(Light::Green),
            s("45.00"),
        ),
        // None answered, or an unreadable value: no figures.
        ((None, None), [None, None], [None, None], None, None),
        ((Some("many"), None), [None, None], [None, None], None, None),
    ] {
        let mut content = executed("40", "120");
        for (id, actual) in [(QUANTITY, quantity), (SATISFACTION, satisfaction)] {
            if let Some(a) = actual {
                content.indicator_values.push(value(id, a));
            }
        }
        let f = compute(
            &item(split("100", "300")),
            &indicators(),
            &period(),
            &content,
            false,
        );
        let case = format!("{quantity:?} {satisfaction:?}");
        assert_eq!(f.indicators.len(), 2, "{case}");
        assert_eq!(f.indicators[0].indicator_id, QUANTITY);
        let got: Vec<_> = f
            .indicators
            .iter()
            .map(|i| i.completion_rate.clone())
            .collect();
        assert_eq!(got, completion, "{case}");
        let got: Vec<_> = f.indicators.iter().map(|i| i.light).collect();
        assert_eq!(got, lights, "{case}");
        assert_eq!(f.goal_light, goal, "{case}");
        assert_eq!(f.overall_completion_rate, overall, "{case}");
    }
}

#[test]
pub(super) fn a_value_far_above_its_target_needs_a_note_and_shows_blue_over_target() {
    // 130 % of the target (not prorated) is where a note is required.
    for (actual, needs_note) in [("116", false), ("117", true), ("200", true)] {
        let mut content = executed("40", "120");
        content.indicator_values.push(value(SATISFACTION, actual));
        let f = compute(
            &item(split("100", "300")),
            &indicators()[1..],
            &period(),
            &content,
            false,
        );
        assert_eq!(f.indicators[0].needs_note, needs_note, "{actual}");
        assert_eq!(f.indicators[0].light, Some(Light::Blue), "{actual}");
        assert_eq!(f.indicators[0].completion_rate, s("100.00"), "{actual}");
        let codes: Vec<_> = f.reasons.iter().map(|r| r.code).collect();
        assert_eq!(codes, vec![ReasonCode::IndicatorOverTarget], "{actual}");
        assert_eq!(f.warning, Light::Green, "{actual}");
    }
}
