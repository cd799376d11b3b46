//! The warning and its reasons.

use super::tests::*;
use super::*;

fn outcome(id: u128, light: Light, completion: &str, ratio: Option<&str>) -> IndicatorOutcome {
    IndicatorOutcome {
        id: Uuid::from_u128(id),
        completion_rate: d(completion),
        light,
        ratio: ratio.map(d),
        needs_note: false,
    }
}

fn reason(
    code: ReasonCode,
    light: Light,
    value: Option<&str>,
    threshold: Option<&str>,
    indicator: Option<u128>,
    detail: Option<&str>,
) -> Reason {
    Reason {
        code,
        light,
        value: value.map(d),
        threshold: threshold.map(d),
        indicator_id: indicator.map(Uuid::from_u128),
        detail: detail.map(String::from),
    }
}

#[test]
fn warning_levels_and_reasons() {
    use Light::*;
    use ReasonCode::*;
    let t = Thresholds::default();
    let none: &[IndicatorOutcome] = &[];
    let no_problems: &[String] = &[];
    let input = |budget, indicators, outlook, compliance, late| WarningInput {
        budget,
        indicators,
        outlook,
        compliance_problems: compliance,
        late,
        thresholds: &t,
    };
    let problems = vec!["misappropriation".to_string(), "procurement".to_string()];
    let mixed = [
        outcome(1, Green, "90", Some("90")),
        outcome(2, Yellow, "35", Some("70.123")),
        outcome(3, Red, "75", Some("125")),
        outcome(4, Blue, "100", Some("133.335")),
        outcome(5, Yellow, "60", None),
        outcome(6, Red, "25", Some("50")),
    ];
    for (name, inp, level, reasons) in [
        (
            "nothing to report",
            input(None, none, None, no_problems, false),
            Green,
            vec![],
        ),
        (
            "budget green",
            input(
                Some((Green, d("95"))),
                none,
                Some(Possibility::Certain),
                no_problems,
                false,
            ),
            Green,
            vec![],
        ),
        (
            "budget yellow",
            input(
                Some((Yellow, d("66.666666"))),
                none,
                None,
                no_problems,
                false,
            ),
            Yellow,
            vec![reason(
                ExecutionBehindTime,
                Yellow,
                Some("66.67"),
                Some("80"),
                None,
                None,
            )],
        ),
        (
            "budget red",
            input(Some((Red, d("12.345"))), none, None, no_problems, false),
            Red,
            vec![reason(
                ExecutionBehindTime,
                Red,
                Some("12.35"),
                Some("60"),
                None,
                None,
            )],
        ),
        (
            "indicators of every kind, in input order",
            input(Some((Green, d("100"))), &mixed, None, no_problems, false),
            Red,
            vec![
                reason(
                    IndicatorBehind,
                    Yellow,
                    Some("70.12"),
                    Some("80"),
                    Some(2),
                    None,
                ),
                reason(
                    IndicatorBehind,
                    Red,
                    Some("125"),
                    Some("100"),
                    Some(3),
                    None,
                ),
                reason(
                    IndicatorOverTarget,
                    Green,
                    Some("133.34"),
                    Some("120"),
                    Some(4),
                    None,
                ),
                reason(IndicatorBehind, Yellow, Some("60"), None, Some(5), None),
                reason(IndicatorBehind, Red, Some("50"), Some("60"), Some(6), None),
            ],
        ),
        (
            "blue alone stays green",
            input(None, &mixed[3..4], None, no_problems, false),
            Green,
            vec![reason(
                IndicatorOverTarget,
                Green,
                Some("133.34"),
                Some("120"),
                Some(4),
                None,
            )],
        ),
        (
            "a yellow indicator over a green budget",
            input(
                Some((Green, d("90"))),
                &mixed[1..2],
                None,
                no_problems,
                false,
            ),
            Yellow,
            vec![reason(
                IndicatorBehind,
                Yellow,
                Some("70.12"),
                Some("80"),
                Some(2),
                None,
            )],
        ),
        (
            "a red budget beats a yellow indicator",
            input(Some((Red, d("50"))), &mixed[1..2], None, no_problems, false),
            Red,
            vec![
                reason(ExecutionBehindTime, Red, Some("50"), Some("60"), None, None),
                reason(
                    IndicatorBehind,
                    Yellow,
                    Some("70.12"),
                    Some("80"),
                    Some(2),
                    None,
                ),
            ],
        ),
        (
            "outlook impossible raises to red",
            input(
                Some((Green, d("90"))),
                none,
                Some(Possibility::Impossible),
                no_problems,
                false,
            ),
            Red,
            vec![reason(OutlookImpossible, Red, None, None, None, None)],
        ),
        (
            "outlook possible does not",
            input(
                Some((Green, d("90"))),
                none,
                Some(Possibility::Possible),
                no_problems,
                false,
            ),
            Green,
            vec![],
        ),
        (
            "each compliance problem raises to red",
            input(None, none, None, &problems, false),
            Red,
            vec![
                reason(
                    ComplianceProblem,
                    Red,
                    None,
                    None,
                    None,
                    Some("misappropriation"),
                ),
                reason(
                    ComplianceProblem,
                    Red,
                    None,
                    None,
                    None,
                    Some("procurement"),
                ),
            ],
        ),
        (
            "late is informational",
            input(Some((Green, d("90"))), none, None, no_problems, true),
            Green,
            vec![reason(Late, Green, None, None, None, None)],
        ),
        (
            "everything, in order",
            input(
                Some((Yellow, d("79.995"))),
                &mixed[3..5],
                Some(Possibility::Impossible),
                &problems[..1],
                true,
            ),
            Red,
            vec![
                reason(
                    ExecutionBehindTime,
                    Yellow,
                    Some("80.00"),
                    Some("80"),
                    None,
                    None,
                ),
                reason(
                    IndicatorOverTarget,
                    Green,
                    Some("133.34"),
                    Some("120"),
                    Some(4),
                    None,
                ),
                reason(IndicatorBehind, Yellow, Some("60"), None, Some(5), None),
                reason(OutlookImpossible, Red, None, None, None, None),
                reason(
                    ComplianceProblem,
                    Red,
                    None,
                    None,
                    None,
                    Some("misappropriation"),
                ),
                reason(Late, Green, None, None, None, None),
            ],
        ),
    ] {
        let (got_level, got_reasons) = warning(&inp);
        assert_eq!(got_level, level, "{name}");
        assert_eq!(got_reasons, reasons, "{name}");
    }
}

#[test]
fn warning_from_evaluated_indicators_quotes_the_right_thresholds() {
    let t = Thresholds::default();
    let g = GradeValues::default();
    let higher = IndicatorSpec {
        id: Uuid::from_u128(1),
        ..spec(Direction::HigherBetter, Some("200"), true)
    };
    let lower = IndicatorSpec {
        id: Uuid::from_u128(2),
        ..spec(Direction::LowerBetter, Some("40"), false)
    };
    let lower_zero = IndicatorSpec {
        id: Uuid::from_u128(3),
        ..spec(Direction::LowerBetter, Some("0"), false)
    };
    let quali = IndicatorSpec {
        id: Uuid::from_u128(4),
        ..spec(Direction::Qualitative, None, false)
    };
    let tp = time_progress(date(2026, 6, 30));
    let outcomes: Vec<IndicatorOutcome> = [
        (&higher, Actual::Number(d("55"))),
        (&lower, Actual::Number(d("50"))),
        (&lower_zero, Actual::Number(d("1"))),
        (&quali, Actual::Grade(Grade::NotAchieved)),
    ]
    .into_iter()
    .map(|(s, a)| evaluate_indicator(s, a, tp, &t, &g).unwrap())
    .collect();
    let rate = execution_rate(amount("27.5"), amount("100"));
    let budget = budget_light(rate, tp, &t);
    let (level, reasons) = warning(&WarningInput {
        budget,
        indicators: &outcomes,
        outlook: None,
        compliance_problems: &[],
        late: false,
        thresholds: &t,
    });
    assert_eq!(level, Light::Red);
    use ReasonCode::*;
    assert_eq!(
        reasons,
        vec![
            reason(
                ExecutionBehindTime,
                Light::Red,
                Some("55"),
                Some("60"),
                None,
                None
            ),
            reason(
                IndicatorBehind,
                Light::Red,
                Some("55"),
                Some("60"),
                Some(1),
                None
            ),
            reason(
                IndicatorBehind,
                Light::Red,
                Some("125"),
                Some("100"),
                Some(2),
                None
            ),
            reason(IndicatorBehind, Light::Red, Some("0"), None, Some(3), None),
            reason(IndicatorBehind, Light::Red, Some("0"), None, Some(4), None),
        ]
    );
}

#[test]
fn reasons_serialize_with_snake_case_codes() {
    let r = reason(
        ReasonCode::IndicatorOverTarget,
        Light::Green,
        Some("133.34"),
        Some("120"),
        Some(4),
        None,
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["code"], "indicator_over_target");
    assert_eq!(json["light"], "green");
    assert_eq!(json["detail"], serde_json::Value::Null);
}
