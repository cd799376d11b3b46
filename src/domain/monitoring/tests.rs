//! Rates, thresholds, the goal light, the overall completion and the closed sets.

use super::*;
use crate::domain::Amount;
use proptest::prelude::*;

pub(super) fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub(super) fn amount(s: &str) -> Amount {
    s.parse().unwrap()
}

pub(super) fn date(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) fn spec(direction: Direction, target: Option<&str>, prorate: bool) -> IndicatorSpec {
    IndicatorSpec {
        id: Uuid::from_u128(7),
        direction,
        target: target.map(d),
        prorate,
        weight: None,
    }
}

pub(super) fn eval(
    s: &IndicatorSpec,
    actual: Actual,
    tp: &str,
) -> Result<IndicatorOutcome, IndicatorError> {
    evaluate_indicator(
        s,
        actual,
        d(tp),
        &Thresholds::default(),
        &GradeValues::default(),
    )
}

#[test]
fn round2_rounds_half_away_from_zero() {
    for (input, expected) in [
        ("12.345", "12.35"),
        ("-12.345", "-12.35"),
        ("12.344999", "12.34"),
        ("0.005", "0.01"),
        ("-0.005", "-0.01"),
        ("2.675", "2.68"),
        ("7", "7"),
        ("8.3333333333333333333333333333", "8.33"),
        ("16.666666666666666666666666667", "16.67"),
    ] {
        assert_eq!(round2(d(input)), d(expected), "{input}");
    }
}

#[test]
fn time_progress_is_the_cut_off_month_over_twelve() {
    for (as_of, rounded) in [
        (date(2026, 1, 31), "8.33"),
        (date(2026, 2, 28), "16.67"),
        (date(2026, 3, 31), "25"),
        (date(2026, 4, 30), "33.33"),
        (date(2026, 5, 31), "41.67"),
        (date(2026, 6, 30), "50"),
        (date(2026, 7, 31), "58.33"),
        (date(2026, 8, 31), "66.67"),
        (date(2026, 9, 30), "75"),
        (date(2026, 10, 31), "83.33"),
        (date(2026, 11, 30), "91.67"),
        (date(2026, 12, 31), "100"),
    ] {
        let tp = time_progress(as_of);
        assert_eq!(round2(tp), d(rounded), "{as_of}");
        // Exact up to the last of 28 places.
        let back = tp * Decimal::from(12) / Decimal::ONE_HUNDRED;
        assert_eq!(back.round_dp(20), Decimal::from(as_of.month()), "{as_of}");
    }
    assert_eq!(time_progress(date(2026, 6, 30)).to_string(), "50");
    assert_eq!(time_progress(date(2026, 3, 31)).to_string(), "25");
    assert!(time_progress(date(2026, 1, 31))
        .to_string()
        .starts_with("8.33333333333333333"));
}

#[test]
fn execution_rate_is_executed_over_budget() {
    for (executed, budget, expected) in [
        ("50", "100", Some("50")),
        ("0", "100", Some("0")),
        ("150", "100", Some("150")),
        ("1", "3", Some("33.333333333333333333333333333")),
        (
            "0.000001",
            "999999999999.999999",
            Some("0.0000000000000001"),
        ),
        ("999999999999.999999", "999999999999.999999", Some("100")),
        ("12.5", "0", None),
        ("0", "0", None),
    ] {
        let got = execution_rate(amount(executed), amount(budget));
        let expected = expected.map(d);
        match (got, expected) {
            (Some(g), Some(e)) => {
                assert_eq!(g.round_dp(26), e.round_dp(26), "{executed}/{budget}")
            }
            _ => assert_eq!(got, expected, "{executed}/{budget}"),
        }
    }
}

#[test]
fn budget_light_compares_execution_with_time_progress() {
    let t = Thresholds::default();
    for (rate, tp, expected) in [
        (None, "50", None),
        (Some("29.99"), "50", Some((Light::Red, "59.98"))),
        (Some("30"), "50", Some((Light::Yellow, "60"))),
        (Some("39.995"), "50", Some((Light::Yellow, "79.99"))),
        (Some("40"), "50", Some((Light::Green, "80"))),
        (Some("75"), "50", Some((Light::Green, "150"))),
        (Some("0"), "50", Some((Light::Red, "0"))),
        (Some("10"), "0", None),
        // 20% executed by the end of March (25%) is 80%: green, exactly on the line.
        (Some("20"), "25", Some((Light::Green, "80"))),
    ] {
        let got = budget_light(rate.map(d), d(tp), &t);
        assert_eq!(got, expected.map(|(l, v)| (l, d(v))), "{rate:?} at {tp}");
    }
    // Boundaries hold with a non-terminating time progress too.
    for (month, rate_pct, expected) in [(2, 60, Light::Yellow), (5, 80, Light::Green)] {
        let tp = time_progress(date(2026, month, 28));
        let rate = tp * Decimal::from(rate_pct) / Decimal::ONE_HUNDRED;
        let (light, v) = budget_light(Some(rate), tp, &t).unwrap();
        assert_eq!(light, expected, "month {month}");
        assert_eq!(round2(v), Decimal::from(rate_pct));
    }
}

#[test]
fn thresholds_check() {
    let base = Thresholds::default();
    assert_eq!(base.check(), Ok(()));
    let with = |f: fn(&mut Thresholds)| {
        let mut t = base;
        f(&mut t);
        t.check().is_ok()
    };
    for (change, ok) in [
        (with(|t| t.red_below = d("0")), false),
        (with(|t| t.red_below = d("0.01")), true),
        (with(|t| t.red_below = d("80")), false),
        (with(|t| t.yellow_below = d("100")), true),
        (with(|t| t.yellow_below = d("100.01")), false),
        (with(|t| t.blue_from = d("100")), true),
        (with(|t| t.blue_from = d("99.99")), false),
        (with(|t| t.note_from = d("120")), true),
        (with(|t| t.note_from = d("119.99")), false),
        (with(|t| t.note_from = d("1000")), true),
        (with(|t| t.note_from = d("1000.01")), false),
        (
            with(|t| {
                t.blue_from = d("1000");
                t.note_from = d("1000")
            }),
            true,
        ),
    ] {
        assert_eq!(change, ok);
    }
}

#[test]
fn grade_values_check() {
    for (achieved, partly, not, ok) in [
        ("100", "60", "0", true),
        ("100", "100", "0", false),
        ("100", "60", "60", false),
        ("100.01", "60", "0", false),
        ("100", "60", "-1", false),
        ("50", "60", "0", false),
        ("1", "0.5", "0", true),
    ] {
        let g = GradeValues {
            achieved: d(achieved),
            partly_achieved: d(partly),
            not_achieved: d(not),
        };
        assert_eq!(g.check().is_ok(), ok, "{achieved} {partly} {not}");
    }
    assert_eq!(GradeValues::default().check(), Ok(()));
}

#[test]
fn goal_light_takes_the_worst() {
    use Light::*;
    for (lights, expected) in [
        (vec![], None),
        (vec![Green], Some(Green)),
        (vec![Blue], Some(Blue)),
        (vec![Green, Blue], Some(Blue)),
        (vec![Blue, Yellow, Green], Some(Yellow)),
        (vec![Green, Yellow, Red, Blue], Some(Red)),
        (vec![Red, Red], Some(Red)),
        (vec![Yellow, Green], Some(Yellow)),
    ] {
        assert_eq!(goal_light(&lights), expected, "{lights:?}");
    }
}

#[test]
fn overall_completion_weighs_when_every_item_has_a_weight() {
    for (items, expected) in [
        (vec![], None),
        (vec![("80", None)], Some("80")),
        (vec![("100", None), ("50", None)], Some("75")),
        (
            vec![("100", None), ("100", None), ("100", None)],
            Some("100"),
        ),
        (
            vec![("100", None), ("0", None), ("0", None)],
            Some("33.333333333333333333333333333"),
        ),
        (vec![("100", Some("3")), ("50", Some("1"))], Some("87.5")),
        (vec![("100", Some("0.3")), ("0", Some("0.7"))], Some("30")),
        // a missing weight: equal weights
        (vec![("100", Some("3")), ("50", None)], Some("75")),
        // weights summing to zero: equal weights
        (vec![("100", Some("0")), ("50", Some("0"))], Some("75")),
        (vec![("100", Some("0")), ("50", Some("2"))], Some("50")),
    ] {
        let items: Vec<(Decimal, Option<Decimal>)> =
            items.iter().map(|(c, w)| (d(c), w.map(d))).collect();
        let got = overall_completion(&items).map(|v| v.round_dp(26));
        assert_eq!(got, expected.map(|e| d(e).round_dp(26)), "{items:?}");
    }
}

#[test]
fn closed_sets_parse_from_their_names() {
    for l in Light::ALL {
        assert_eq!(l.as_str().parse::<Light>().unwrap(), *l);
    }
    for v in Direction::ALL {
        assert_eq!(v.as_str().parse::<Direction>().unwrap(), *v);
    }
    for v in Grade::ALL {
        assert_eq!(v.as_str().parse::<Grade>().unwrap(), *v);
    }
    for v in Possibility::ALL {
        assert_eq!(v.as_str().parse::<Possibility>().unwrap(), *v);
    }
    for v in ReasonCode::ALL {
        assert_eq!(v.as_str().parse::<ReasonCode>().unwrap(), *v);
    }
    assert!("amber".parse::<Light>().is_err());
}

#[test]
fn lights_rank_red_yellow_then_green_and_blue_alike() {
    use Light::*;
    for (lights, expected) in [
        (vec![], None),
        (vec![None], None),
        (vec![Some(Green)], Some(Green)),
        (vec![Some(Blue), Some(Green)], Some(Green)),
        (vec![Some(Green), Some(Blue)], Some(Blue)),
        (vec![Some(Green), Some(Yellow), None], Some(Yellow)),
        (vec![Some(Yellow), Some(Red), Some(Blue)], Some(Red)),
    ] {
        assert_eq!(worst(lights.clone()), expected, "{lights:?}");
    }
    assert!(Red.severity() > Yellow.severity());
    assert!(Yellow.severity() > Green.severity());
    assert_eq!(Green.severity(), Blue.severity());
}

fn rank(l: Light) -> u8 {
    match l {
        Light::Red => 0,
        Light::Yellow => 1,
        Light::Green => 2,
        Light::Blue => 3,
    }
}

/// A non-negative decimal with up to six places.
fn decimal(max_micros: i64) -> impl Strategy<Value = Decimal> {
    (0..=max_micros, 0u32..=6).prop_map(|(m, s)| Decimal::new(m, s))
}

proptest! {
    #[test]
    fn completion_stays_within_0_and_100(
        target in decimal(1_000_000_000_000).prop_filter("positive", |t| *t > Decimal::ZERO),
        actual in decimal(1_000_000_000_000),
        prorate: bool,
        month in 1u32..=12,
        higher: bool,
    ) {
        let direction = if higher { Direction::HigherBetter } else { Direction::LowerBetter };
        let s = IndicatorSpec { id: Uuid::nil(), direction, target: Some(target), prorate, weight: None };
        let tp = time_progress(date(2026, month, 1));
        let o = evaluate_indicator(&s, Actual::Number(actual), tp, &Thresholds::default(), &GradeValues::default()).unwrap();
        prop_assert!(o.completion_rate >= Decimal::ZERO && o.completion_rate <= Decimal::ONE_HUNDRED, "{:?}", o);
    }

    #[test]
    fn higher_better_light_does_not_fall_as_the_actual_rises(
        target in decimal(1_000_000_000).prop_filter("positive", |t| *t > Decimal::ZERO),
        a in decimal(2_000_000_000),
        b in decimal(2_000_000_000),
        prorate: bool,
        month in 1u32..=12,
    ) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let s = IndicatorSpec { id: Uuid::nil(), direction: Direction::HigherBetter, target: Some(target), prorate, weight: None };
        let tp = time_progress(date(2026, month, 1));
        let t = Thresholds::default();
        let g = GradeValues::default();
        let l = evaluate_indicator(&s, Actual::Number(lo), tp, &t, &g).unwrap();
        let h = evaluate_indicator(&s, Actual::Number(hi), tp, &t, &g).unwrap();
        prop_assert!(rank(l.light) <= rank(h.light), "{:?} {:?}", l, h);
        prop_assert!(l.completion_rate <= h.completion_rate);
    }

    #[test]
    fn lower_better_completion_does_not_rise_as_the_actual_rises(
        target in decimal(1_000_000_000),
        a in decimal(3_000_000_000),
        b in decimal(3_000_000_000),
    ) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let s = IndicatorSpec { id: Uuid::nil(), direction: Direction::LowerBetter, target: Some(target), prorate: false, weight: None };
        let t = Thresholds::default();
        let g = GradeValues::default();
        let l = evaluate_indicator(&s, Actual::Number(lo), Decimal::from(50), &t, &g).unwrap();
        let h = evaluate_indicator(&s, Actual::Number(hi), Decimal::from(50), &t, &g).unwrap();
        prop_assert!(l.completion_rate >= h.completion_rate, "{:?} {:?}", l, h);
    }

    #[test]
    fn executing_the_whole_budget_is_100_percent(micros in 1i64..=Amount::MAX_MICROS) {
        let x = Amount::from_micros(micros).unwrap();
        prop_assert_eq!(execution_rate(x, x), Some(Decimal::ONE_HUNDRED));
    }
}
