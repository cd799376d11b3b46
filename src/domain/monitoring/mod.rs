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

mod indicator;
mod warning;

pub use indicator::*;
pub use warning::*;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_indicator;
#[cfg(test)]
mod tests_warning;
