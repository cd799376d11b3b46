//! One indicator: its completion, light and ratio (DESIGN §3), the goal light and the overall
//! completion rate.

use super::*;

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
    let judged = match (spec.direction, actual) {
        (Direction::Qualitative, Actual::Grade(grade)) => qualitative(grade, g),
        (Direction::HigherBetter, Actual::Number(a)) => {
            let target = spec.target.ok_or(IndicatorError::MissingTarget)?;
            higher_better(a, target, spec.prorate, time_progress, t)
        }
        (Direction::LowerBetter, Actual::Number(a)) => {
            let target = spec.target.ok_or(IndicatorError::MissingTarget)?;
            lower_better(a, target)
        }
        _ => return Err(IndicatorError::ActualKindMismatch),
    };
    let (completion_rate, light, ratio, needs_note) = judged;
    Ok(IndicatorOutcome {
        id: spec.id,
        completion_rate,
        light,
        ratio,
        needs_note,
    })
}

/// An indicator judged: its completion rate, light, ratio and whether it needs a note.
type Judged = (Decimal, Light, Option<Decimal>, bool);

/// A grade: its value in the period's grade values, green, yellow or red.
fn qualitative(grade: Grade, g: &GradeValues) -> Judged {
    let light = match grade {
        Grade::Achieved => Light::Green,
        Grade::PartlyAchieved => Light::Yellow,
        Grade::NotAchieved => Light::Red,
    };
    (g.of(grade), light, None, false)
}

/// More is better: completion min(actual ÷ target, 1) × 100; the light from actual against the
/// target (times time progress when prorated); a zero target counts as met.
fn higher_better(
    a: Decimal,
    target: Decimal,
    prorate: bool,
    time_progress: Decimal,
    t: &Thresholds,
) -> Judged {
    if target <= Decimal::ZERO {
        return (Decimal::ONE_HUNDRED, Light::Green, None, false);
    }
    // actual ÷ target × 100, not prorated: completion and the note rule use it.
    let r = percent(a, target);
    let completion = r.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED);
    let v = if prorate && time_progress > Decimal::ZERO {
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
    (completion, light, Some(v), r >= t.note_from)
}

/// Less is better: green within the target, else red; completion falls from 100 at the target
/// to 0 at twice the target.
fn lower_better(a: Decimal, target: Decimal) -> Judged {
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
        return (completion, light, None, false);
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
    (completion, light, Some(percent(a, target)), false)
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
