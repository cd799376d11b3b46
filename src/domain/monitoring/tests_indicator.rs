//! Evaluating one indicator.

use super::tests::*;
use super::*;

#[test]
fn higher_better_indicators() {
    use Light::*;
    for (target, actual, prorate, tp, completion, light, ratio, note) in [
        // zero target counts as met
        ("0", "0", false, "50", "100", Green, None, false),
        ("0", "5", true, "50", "100", Green, None, false),
        // not prorated: boundaries at exactly 60 / 80 / 120 / 130
        (
            "100",
            "59.99",
            false,
            "50",
            "59.99",
            Red,
            Some("59.99"),
            false,
        ),
        ("100", "60", false, "50", "60", Yellow, Some("60"), false),
        (
            "100",
            "79.99",
            false,
            "50",
            "79.99",
            Yellow,
            Some("79.99"),
            false,
        ),
        ("100", "80", false, "50", "80", Green, Some("80"), false),
        (
            "100",
            "119.99",
            false,
            "50",
            "100",
            Green,
            Some("119.99"),
            false,
        ),
        ("100", "120", false, "50", "100", Blue, Some("120"), false),
        (
            "100",
            "129.99",
            false,
            "50",
            "100",
            Blue,
            Some("129.99"),
            false,
        ),
        ("100", "130", false, "50", "100", Blue, Some("130"), true),
        ("95", "123.5", false, "50", "100", Blue, Some("130"), true),
        ("100", "0", false, "50", "0", Red, Some("0"), false),
        // negative actuals clamp the completion at 0
        ("100", "-20", false, "50", "0", Red, Some("-20"), false),
        // prorated: judged against target × time progress
        // 300 of 1000 by mid-year is 60 % of what was due: yellow, not red
        ("1000", "300", true, "50", "30", Yellow, Some("60"), false),
        ("1000", "299", true, "50", "29.9", Red, Some("59.8"), false),
        ("1000", "400", true, "50", "40", Green, Some("80"), false),
        ("1000", "600", true, "50", "60", Blue, Some("120"), false),
        ("1000", "250", true, "25", "25", Green, Some("100"), false),
        // prorated, but the note rule and completion are not: 130 % of the whole target
        ("100", "130", true, "50", "100", Blue, Some("260"), true),
        (
            "100",
            "129.99",
            true,
            "50",
            "100",
            Blue,
            Some("259.98"),
            false,
        ),
        // a non-positive time progress is judged unprorated
        ("100", "80", true, "0", "80", Green, Some("80"), false),
    ] {
        let s = spec(Direction::HigherBetter, Some(target), prorate);
        let o = eval(&s, Actual::Number(d(actual)), tp).unwrap();
        let case = format!("target {target} actual {actual} prorate {prorate} tp {tp}");
        assert_eq!(o.id, s.id, "{case}");
        assert_eq!(o.completion_rate, d(completion), "{case}");
        assert_eq!(o.light, light, "{case}");
        assert_eq!(o.ratio, ratio.map(d), "{case}");
        assert_eq!(o.needs_note, note, "{case}");
    }
}

#[test]
fn prorated_boundaries_hold_with_a_non_terminating_time_progress() {
    for month in 1..=12 {
        let tp = time_progress(date(2026, month, 1));
        for (pct, light) in [(60, Light::Yellow), (80, Light::Green), (120, Light::Blue)] {
            // target 1200, so the prorated target is 100 × month and the actual exact.
            let actual = Decimal::from(month * pct);
            let s = spec(Direction::HigherBetter, Some("1200"), true);
            let o = eval(&s, Actual::Number(actual), &tp.to_string()).unwrap();
            assert_eq!(o.light, light, "month {month} at {pct}%");
            assert_eq!(o.ratio, Some(Decimal::from(pct)), "month {month} at {pct}%");
        }
    }
}

#[test]
fn lower_better_indicators() {
    use Light::*;
    for (target, actual, completion, light, ratio) in [
        // at or below the target
        ("100", "0", "100", Green, Some("0")),
        ("100", "80", "100", Green, Some("80")),
        ("100", "100", "100", Green, Some("100")),
        // between target and twice the target
        ("100", "100.01", "99.99", Red, Some("100.01")),
        ("100", "125", "75", Red, Some("125")),
        ("80", "100", "75", Red, Some("125")),
        ("100", "199.99", "0.01", Red, Some("199.99")),
        // exactly twice the target and beyond
        ("100", "200", "0", Red, Some("200")),
        ("100", "350", "0", Red, Some("350")),
        // zero target
        ("0", "0", "100", Green, None),
        ("0", "-1", "100", Green, None),
        ("0", "0.01", "0", Red, None),
    ] {
        for prorate in [false, true] {
            let s = spec(Direction::LowerBetter, Some(target), prorate);
            let o = eval(&s, Actual::Number(d(actual)), "50").unwrap();
            let case = format!("target {target} actual {actual} prorate {prorate}");
            assert_eq!(o.completion_rate, d(completion), "{case}");
            assert_eq!(o.light, light, "{case}");
            assert_eq!(o.ratio, ratio.map(d), "{case}");
            assert!(!o.needs_note, "{case}");
        }
    }
}

#[test]
fn qualitative_indicators_follow_their_grade() {
    let custom = GradeValues {
        achieved: d("95"),
        partly_achieved: d("50"),
        not_achieved: d("10"),
    };
    for (grade, light, default_completion, custom_completion) in [
        (Grade::Achieved, Light::Green, "100", "95"),
        (Grade::PartlyAchieved, Light::Yellow, "60", "50"),
        (Grade::NotAchieved, Light::Red, "0", "10"),
    ] {
        let s = spec(Direction::Qualitative, None, false);
        for (g, completion) in [
            (GradeValues::default(), default_completion),
            (custom, custom_completion),
        ] {
            let o = evaluate_indicator(
                &s,
                Actual::Grade(grade),
                d("50"),
                &Thresholds::default(),
                &g,
            )
            .unwrap();
            assert_eq!(o.completion_rate, d(completion), "{grade}");
            assert_eq!(o.light, light, "{grade}");
            assert_eq!(o.ratio, None);
            assert!(!o.needs_note);
        }
    }
}

#[test]
fn indicator_errors() {
    for (direction, target, actual, expected) in [
        (
            Direction::Qualitative,
            None,
            Actual::Number(d("1")),
            IndicatorError::ActualKindMismatch,
        ),
        (
            Direction::HigherBetter,
            Some("1"),
            Actual::Grade(Grade::Achieved),
            IndicatorError::ActualKindMismatch,
        ),
        (
            Direction::LowerBetter,
            Some("1"),
            Actual::Grade(Grade::NotAchieved),
            IndicatorError::ActualKindMismatch,
        ),
        (
            Direction::HigherBetter,
            None,
            Actual::Number(d("1")),
            IndicatorError::MissingTarget,
        ),
        (
            Direction::LowerBetter,
            None,
            Actual::Number(d("1")),
            IndicatorError::MissingTarget,
        ),
    ] {
        let s = spec(direction, target, false);
        assert_eq!(eval(&s, actual, "50"), Err(expected), "{direction}");
    }
}
