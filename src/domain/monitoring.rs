//! The monitoring computations of DESIGN §3: execution rate against time progress, indicator
//! completion and lights, the goal light, the overall completion rate and the warning with its
//! reasons. Pure functions over exact decimals; nothing here touches the web or the database.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use uuid::Uuid;

use crate::closed_enum;
use crate::domain::Total;

closed_enum! {
    /// A traffic light.
    pub enum Light {
        /// Far behind: needs attention.
        Red => "red",
        /// Behind.
        Yellow => "yellow",
        /// On track.
        Green => "green",
        /// Over-achieved (indicators only).
        Blue => "blue",
    }
}

closed_enum! {
    /// Which way an indicator is good.
    pub enum Direction {
        /// More is better (e.g. people helped, a satisfaction rate).
        HigherBetter => "higher_better",
        /// Less is better (cost, time).
        LowerBetter => "lower_better",
        /// Judged by a grade, not a number.
        Qualitative => "qualitative",
    }
}

closed_enum! {
    /// The grade of a qualitative indicator.
    pub enum Grade {
        /// 达成
        Achieved => "achieved",
        /// 部分达成并具有一定效果
        PartlyAchieved => "partly_achieved",
        /// 未达成且效果较差
        NotAchieved => "not_achieved",
    }
}

closed_enum! {
    /// Whether a target or the annual goal will be met.
    pub enum Possibility {
        /// 确定能
        Certain => "certain",
        /// 有可能
        Possible => "possible",
        /// 完全不可能
        Impossible => "impossible",
    }
}

closed_enum! {
    /// Why a warning has its level: a machine-readable reason code.
    pub enum ReasonCode {
        /// Budget execution lags behind time progress.
        ExecutionBehindTime => "execution_behind_time",
        /// An indicator lags behind its (prorated) target.
        IndicatorBehind => "indicator_behind",
        /// An indicator is far over its target (blue light).
        IndicatorOverTarget => "indicator_over_target",
        /// The unit says the annual goal cannot be met.
        OutlookImpossible => "outlook_impossible",
        /// A compliance check found a problem.
        ComplianceProblem => "compliance_problem",
        /// The submission came after its deadline.
        Late => "late",
    }
}

/// Period settings (defaults: red_below 60, yellow_below 80, blue_from 120, note_from 130).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Thresholds {
    /// A ratio below this (percent) is red.
    pub red_below: Decimal,
    /// A ratio below this (percent) and not red is yellow.
    pub yellow_below: Decimal,
    /// A higher-better ratio at or above this (percent) is blue.
    pub blue_from: Decimal,
    /// An actual at or above this percentage of its target needs a note.
    pub note_from: Decimal,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            red_below: Decimal::from(60),
            yellow_below: Decimal::from(80),
            blue_from: Decimal::from(120),
            note_from: Decimal::from(130),
        }
    }
}

impl Thresholds {
    /// Checks 0 < red_below < yellow_below <= 100 <= blue_from <= note_from, all <= 1000.
    pub fn check(&self) -> Result<(), String> {
        let hundred = Decimal::ONE_HUNDRED;
        let thousand = Decimal::from(1000);
        if self.red_below <= Decimal::ZERO {
            return Err("red_below must be greater than 0".into());
        }
        if self.yellow_below <= self.red_below {
            return Err("yellow_below must be greater than red_below".into());
        }
        if self.yellow_below > hundred {
            return Err("yellow_below must be at most 100".into());
        }
        if self.blue_from < hundred {
            return Err("blue_from must be at least 100".into());
        }
        if self.note_from < self.blue_from {
            return Err("note_from must be at least blue_from".into());
        }
        if self.note_from > thousand {
            return Err("note_from must be at most 1000".into());
        }
        Ok(())
    }
}

/// Completion percentage of each qualitative grade (defaults 100 / 60 / 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GradeValues {
    /// Completion of an `achieved` indicator.
    pub achieved: Decimal,
    /// Completion of a `partly_achieved` indicator.
    pub partly_achieved: Decimal,
    /// Completion of a `not_achieved` indicator.
    pub not_achieved: Decimal,
}

impl Default for GradeValues {
    fn default() -> Self {
        GradeValues {
            achieved: Decimal::ONE_HUNDRED,
            partly_achieved: Decimal::from(60),
            not_achieved: Decimal::ZERO,
        }
    }
}

impl GradeValues {
    /// Checks 0 <= not_achieved < partly_achieved < achieved <= 100.
    pub fn check(&self) -> Result<(), String> {
        if self.not_achieved < Decimal::ZERO {
            return Err("not_achieved must be at least 0".into());
        }
        if self.partly_achieved <= self.not_achieved {
            return Err("partly_achieved must be greater than not_achieved".into());
        }
        if self.achieved <= self.partly_achieved {
            return Err("achieved must be greater than partly_achieved".into());
        }
        if self.achieved > Decimal::ONE_HUNDRED {
            return Err("achieved must be at most 100".into());
        }
        Ok(())
    }

    fn of(&self, grade: Grade) -> Decimal {
        match grade {
            Grade::Achieved => self.achieved,
            Grade::PartlyAchieved => self.partly_achieved,
            Grade::NotAchieved => self.not_achieved,
        }
    }
}

/// Rounds to 2 places, half away from zero (12.345 → 12.35, −12.345 → −12.35).
pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// 序时进度: the cut-off month ÷ 12 × 100, exact and unrounded (June 30 → 50, January → 8.333…).
pub fn time_progress(as_of: NaiveDate) -> Decimal {
    (Decimal::from(as_of.month()) * Decimal::ONE_HUNDRED / Decimal::from(12)).normalize()
}

/// Execution rate executed ÷ budget × 100, unrounded; `None` when the budget is 0. Works on
/// single amounts and on sums alike.
pub fn execution_rate(executed: impl Into<Total>, budget: impl Into<Total>) -> Option<Decimal> {
    let (executed, budget) = (executed.into(), budget.into());
    if budget.value().is_zero() {
        return None;
    }
    Some(percent(executed.value(), budget.value()).normalize())
}

/// The budget light from v = execution rate ÷ time progress × 100: red below `red_below`,
/// yellow below `yellow_below`, else green. Returns the light and v; `None` when there is no
/// execution rate (zero budget) or the time progress is not positive.
pub fn budget_light(
    execution_rate: Option<Decimal>,
    time_progress: Decimal,
    t: &Thresholds,
) -> Option<(Light, Decimal)> {
    let rate = execution_rate?;
    if time_progress <= Decimal::ZERO {
        return None;
    }
    let v = settle(percent(rate, time_progress));
    let light = if v < t.red_below {
        Light::Red
    } else if v < t.yellow_below {
        Light::Yellow
    } else {
        Light::Green
    };
    Some((light, v))
}

/// The value reported for an indicator: a number, or a grade for a qualitative one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Actual {
    /// 指标完成值 of a higher- or lower-better indicator.
    Number(Decimal),
    /// The grade of a qualitative indicator.
    Grade(Grade),
}

/// What the evaluation needs to know about an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorSpec {
    /// The indicator's id, carried into the outcome and the reasons.
    pub id: Uuid,
    /// Which way the indicator is good.
    pub direction: Direction,
    /// 预期指标值; `None` for a qualitative indicator.
    pub target: Option<Decimal>,
    /// Whether the target is a cumulative quantity compared against time progress.
    pub prorate: bool,
    /// Weight in the overall completion rate, if set.
    pub weight: Option<Decimal>,
}

/// The evaluation of one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IndicatorOutcome {
    /// The indicator's id.
    pub id: Uuid,
    /// 指标完成率, percent within 0..=100, unrounded.
    pub completion_rate: Decimal,
    /// The indicator's light.
    pub light: Light,
    /// The ratio v (percent) the light was judged on, when there is one.
    pub ratio: Option<Decimal>,
    /// Whether the actual is so far over the target (≥ `note_from` %) that it needs a note.
    pub needs_note: bool,
}

/// Why an indicator cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndicatorError {
    /// A number for a qualitative indicator, or a grade for a numeric one.
    #[error("a qualitative indicator takes a grade and a numeric indicator a number")]
    ActualKindMismatch,
    /// A higher- or lower-better indicator without a target.
    #[error("a higher_better or lower_better indicator needs a numeric target")]
    MissingTarget,
}

/// Evaluates one indicator (DESIGN §3): its completion rate, light, ratio and whether it needs a
/// note.
///
/// Targets are expected to be non-negative; a negative one is handled like zero is for a
/// higher-better indicator (counts as met) and like a target that must not be exceeded for a
/// lower-better one. A prorated indicator with a non-positive time progress is judged
/// unprorated.
pub fn evaluate_indicator(
    spec: &IndicatorSpec,
    actual: Actual,
    time_progress: Decimal,
    t: &Thresholds,
    g: &GradeValues,
) -> Result<IndicatorOutcome, IndicatorError> {
    let outcome = |completion_rate, light, ratio, needs_note| IndicatorOutcome {
        id: spec.id,
        completion_rate,
        light,
        ratio,
        needs_note,
    };
    match spec.direction {
        Direction::Qualitative => {
            let Actual::Grade(grade) = actual else {
                return Err(IndicatorError::ActualKindMismatch);
            };
            let light = match grade {
                Grade::Achieved => Light::Green,
                Grade::PartlyAchieved => Light::Yellow,
                Grade::NotAchieved => Light::Red,
            };
            Ok(outcome(g.of(grade), light, None, false))
        }
        Direction::HigherBetter => {
            let Actual::Number(a) = actual else {
                return Err(IndicatorError::ActualKindMismatch);
            };
            let target = spec.target.ok_or(IndicatorError::MissingTarget)?;
            if target <= Decimal::ZERO {
                return Ok(outcome(Decimal::ONE_HUNDRED, Light::Green, None, false));
            }
            // actual ÷ target × 100, not prorated: completion and the note rule use it.
            let r = percent(a, target);
            let completion = r.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
            let v = if spec.prorate && time_progress > Decimal::ZERO {
                // actual ÷ (target × time_progress/100) × 100 = r ÷ time_progress × 100
                percent(r, time_progress)
            } else {
                r
            };
            let v = settle(v);
            let light = if v < t.red_below {
                Light::Red
            } else if v < t.yellow_below {
                Light::Yellow
            } else if v < t.blue_from {
                Light::Green
            } else {
                Light::Blue
            };
            Ok(outcome(completion, light, Some(v), r >= t.note_from))
        }
        Direction::LowerBetter => {
            let Actual::Number(a) = actual else {
                return Err(IndicatorError::ActualKindMismatch);
            };
            let target = spec.target.ok_or(IndicatorError::MissingTarget)?;
            let light = if a <= target {
                Light::Green
            } else {
                Light::Red
            };
            if target <= Decimal::ZERO {
                let completion = if a <= target {
                    Decimal::ONE_HUNDRED
                } else {
                    Decimal::ZERO
                };
                return Ok(outcome(completion, light, None, false));
            }
            let completion = if a <= target {
                Decimal::ONE_HUNDRED
            } else {
                // (1 − (actual − target) ÷ target) × 100 = (2·target − actual) ÷ target × 100
                match target
                    .checked_mul(Decimal::TWO)
                    .and_then(|d| d.checked_sub(a))
                {
                    Some(left) if left > Decimal::ZERO => {
                        percent(left, target).clamp(Decimal::ZERO, Decimal::ONE_HUNDRED)
                    }
                    _ => Decimal::ZERO,
                }
            };
            Ok(outcome(completion, light, Some(percent(a, target)), false))
        }
    }
}

/// The goal light: red if any is red, else yellow if any is yellow, else blue if any is blue,
/// else green; `None` when there are no lights.
pub fn goal_light(lights: &[Light]) -> Option<Light> {
    if lights.is_empty() {
        return None;
    }
    [Light::Red, Light::Yellow, Light::Blue]
        .into_iter()
        .find(|l| lights.contains(l))
        .or(Some(Light::Green))
}

/// 总体完成率: the weighted average of `(completion, weight)` pairs, unrounded. Weights are used
/// only when every item has one and they sum to more than 0; otherwise all weigh the same.
/// `None` when there are no items.
pub fn overall_completion(items: &[(Decimal, Option<Decimal>)]) -> Option<Decimal> {
    if items.is_empty() {
        return None;
    }
    let weights: Option<Vec<Decimal>> = items.iter().map(|(_, w)| *w).collect();
    if let Some(weights) = weights {
        let weighted = || -> Option<Decimal> {
            let total = weights
                .iter()
                .try_fold(Decimal::ZERO, |s, w| s.checked_add(*w))?;
            if total <= Decimal::ZERO {
                return None;
            }
            let sum = items
                .iter()
                .zip(&weights)
                .try_fold(Decimal::ZERO, |s, ((c, _), w)| {
                    s.checked_add(c.checked_mul(*w)?)
                })?;
            sum.checked_div(total)
        };
        if let Some(avg) = weighted() {
            return Some(avg.normalize());
        }
    }
    let n = Decimal::from(items.len());
    let mean = items
        .iter()
        .try_fold(Decimal::ZERO, |s, (c, _)| s.checked_add(*c))
        .and_then(|sum| sum.checked_div(n))
        .unwrap_or_else(|| items.iter().map(|(c, _)| *c / n).sum());
    Some(mean.normalize())
}

/// One reason for a warning level, explaining itself.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Reason {
    /// What kind of reason it is.
    pub code: ReasonCode,
    /// The level this reason raises the warning to (green: informational only).
    pub light: Light,
    /// The figure that triggered it (percent, rounded to 2 places), if there is one.
    pub value: Option<Decimal>,
    /// The threshold the figure crossed (percent), if there is one.
    pub threshold: Option<Decimal>,
    /// The indicator concerned, if it concerns one.
    pub indicator_id: Option<Uuid>,
    /// Free detail, e.g. the name of a compliance check.
    pub detail: Option<String>,
}

/// Everything the warning of one submission depends on.
#[derive(Debug, Clone, Copy)]
pub struct WarningInput<'a> {
    /// The budget light and its v, from [`budget_light`]; `None` for a zero budget.
    pub budget: Option<(Light, Decimal)>,
    /// The evaluated indicators, in the order their reasons should appear.
    pub indicators: &'a [IndicatorOutcome],
    /// Whether the annual goal will be met.
    pub outlook: Option<Possibility>,
    /// Names of the compliance checks that found a problem.
    pub compliance_problems: &'a [String],
    /// Whether the submission came after its deadline.
    pub late: bool,
    /// The period's thresholds, quoted in the reasons.
    pub thresholds: &'a Thresholds,
}

/// The warning level (red, yellow or green; never blue) and its reasons, in the order:
/// execution, indicators (input order), outlook, compliance, late.
///
/// The threshold of an `indicator_behind` reason is `red_below`/`yellow_below` for a
/// higher-better indicator, 100 (the actual is above its target) for a red lower-better one,
/// and absent where there is no ratio (qualitative indicators, zero targets). Outcomes are
/// told apart by their ratio: with valid thresholds a higher-better red or yellow ratio is below
/// 100 and a lower-better red one above it.
pub fn warning(input: &WarningInput) -> (Light, Vec<Reason>) {
    let t = input.thresholds;
    let mut level = Light::Green;
    let mut reasons = Vec::new();

    if let Some((light, v)) = input.budget {
        let light = if light == Light::Blue {
            Light::Green
        } else {
            light
        };
        raise(&mut level, light);
        let threshold = match light {
            Light::Red => Some(t.red_below),
            Light::Yellow => Some(t.yellow_below),
            _ => None,
        };
        if let Some(threshold) = threshold {
            reasons.push(Reason {
                code: ReasonCode::ExecutionBehindTime,
                light,
                value: Some(round2(v)),
                threshold: Some(threshold),
                indicator_id: None,
                detail: None,
            });
        }
    }

    for o in input.indicators {
        match o.light {
            Light::Red | Light::Yellow => {
                raise(&mut level, o.light);
                let threshold = o.ratio.map(|r| {
                    if o.light == Light::Red && r > Decimal::ONE_HUNDRED {
                        Decimal::ONE_HUNDRED
                    } else if o.light == Light::Red {
                        t.red_below
                    } else {
                        t.yellow_below
                    }
                });
                reasons.push(Reason {
                    code: ReasonCode::IndicatorBehind,
                    light: o.light,
                    value: Some(round2(o.ratio.unwrap_or(o.completion_rate))),
                    threshold,
                    indicator_id: Some(o.id),
                    detail: None,
                });
            }
            Light::Blue => reasons.push(Reason {
                code: ReasonCode::IndicatorOverTarget,
                light: Light::Green,
                value: Some(round2(o.ratio.unwrap_or(o.completion_rate))),
                threshold: Some(t.blue_from),
                indicator_id: Some(o.id),
                detail: None,
            }),
            Light::Green => {}
        }
    }

    if input.outlook == Some(Possibility::Impossible) {
        raise(&mut level, Light::Red);
        reasons.push(Reason {
            code: ReasonCode::OutlookImpossible,
            light: Light::Red,
            value: None,
            threshold: None,
            indicator_id: None,
            detail: None,
        });
    }

    for check in input.compliance_problems {
        raise(&mut level, Light::Red);
        reasons.push(Reason {
            code: ReasonCode::ComplianceProblem,
            light: Light::Red,
            value: None,
            threshold: None,
            indicator_id: None,
            detail: Some(check.clone()),
        });
    }

    if input.late {
        reasons.push(Reason {
            code: ReasonCode::Late,
            light: Light::Green,
            value: None,
            threshold: None,
            indicator_id: None,
            detail: None,
        });
    }

    (level, reasons)
}

/// Raises `level` to `light` if that is worse.
fn raise(level: &mut Light, light: Light) {
    if severity(light) > severity(*level) {
        *level = light;
    }
}

/// How bad a light is for the warning: blue counts as green.
fn severity(light: Light) -> u8 {
    match light {
        Light::Red => 2,
        Light::Yellow => 1,
        Light::Green | Light::Blue => 0,
    }
}

/// num ÷ den × 100 for a non-zero `den`, saturating at the ends of the decimal range instead of
/// overflowing.
fn percent(num: Decimal, den: Decimal) -> Decimal {
    num.checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|n| n.checked_div(den))
        .or_else(|| {
            num.checked_div(den)
                .and_then(|q| q.checked_mul(Decimal::ONE_HUNDRED))
        })
        .unwrap_or(
            if num.is_sign_negative() != den.is_sign_negative() && !num.is_zero() {
                Decimal::MIN
            } else {
                Decimal::MAX
            },
        )
}

/// Rounds a ratio to 16 places, dropping the noise a non-terminating time progress (e.g.
/// 100 ÷ 12, cut at 28 places) leaves in its last digits, so that a ratio exactly on a threshold
/// is judged as on it rather than a hair below.
fn settle(v: Decimal) -> Decimal {
    v.round_dp_with_strategy(16, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Amount;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn amount(s: &str) -> Amount {
        s.parse().unwrap()
    }

    fn date(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn spec(direction: Direction, target: Option<&str>, prorate: bool) -> IndicatorSpec {
        IndicatorSpec {
            id: Uuid::from_u128(7),
            direction,
            target: target.map(d),
            prorate,
            weight: None,
        }
    }

    fn eval(
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
}
