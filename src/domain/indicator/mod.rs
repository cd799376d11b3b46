//! The three-level indicator tree of forms 1–3 (Art. 6).

use crate::closed_enum;

closed_enum! {
    /// 一级指标
    pub enum Level1 {
        /// 产出指标
        Output => "output",
        /// 效果指标
        Effect => "effect",
        /// 满意度指标
        Satisfaction => "satisfaction",
    }
}

closed_enum! {
    /// 二级指标; each belongs to one level 1.
    pub enum Level2 {
        /// 数量指标
        Quantity => "quantity",
        /// 质量指标
        Quality => "quality",
        /// 时效指标
        Timeliness => "timeliness",
        /// 成本指标
        Cost => "cost",
        /// 社会效益指标
        SocialBenefit => "social_benefit",
        /// 经济效益指标
        EconomicBenefit => "economic_benefit",
        /// 生态效益指标
        EcologicalBenefit => "ecological_benefit",
        /// 可持续影响指标
        SustainableImpact => "sustainable_impact",
        /// 满意度指标
        Satisfaction => "satisfaction",
    }
}

impl Level2 {
    /// The level 1 this level 2 belongs to.
    pub fn level1(&self) -> Level1 {
        match self {
            Level2::Quantity | Level2::Quality | Level2::Timeliness | Level2::Cost => {
                Level1::Output
            }
            Level2::SocialBenefit
            | Level2::EconomicBenefit
            | Level2::EcologicalBenefit
            | Level2::SustainableImpact => Level1::Effect,
            Level2::Satisfaction => Level1::Satisfaction,
        }
    }

    /// The Chinese heading used on the official forms.
    pub fn label(&self) -> &'static str {
        match self {
            Level2::Quantity => "数量指标",
            Level2::Quality => "质量指标",
            Level2::Timeliness => "时效指标",
            Level2::Cost => "成本指标",
            Level2::SocialBenefit => "社会效益指标",
            Level2::EconomicBenefit => "经济效益指标",
            Level2::EcologicalBenefit => "生态效益指标",
            Level2::SustainableImpact => "可持续影响指标",
            Level2::Satisfaction => "满意度指标",
        }
    }
}

impl Level1 {
    pub fn label(&self) -> &'static str {
        match self {
            Level1::Output => "产出指标",
            Level1::Effect => "效果指标",
            Level1::Satisfaction => "满意度指标",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level2_belongs_to_exactly_its_level1() {
        for (l2, l1) in [
            (Level2::Quantity, Level1::Output),
            (Level2::Quality, Level1::Output),
            (Level2::Timeliness, Level1::Output),
            (Level2::Cost, Level1::Output),
            (Level2::SocialBenefit, Level1::Effect),
            (Level2::EconomicBenefit, Level1::Effect),
            (Level2::EcologicalBenefit, Level1::Effect),
            (Level2::SustainableImpact, Level1::Effect),
            (Level2::Satisfaction, Level1::Satisfaction),
        ] {
            assert_eq!(l2.level1(), l1, "{l2}");
        }
        assert_eq!(Level2::ALL.len(), 9);
    }
}

use rust_decimal::Decimal;

use super::monitoring::Direction;
use super::validation::{text, Violations};

/// One 三级指标 of an item (serialized as the API shows it, e.g. in the audit trail).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Indicator {
    pub id: uuid::Uuid,
    pub item_id: uuid::Uuid,
    pub position: i32,
    pub level1: Level1,
    pub level2: Level2,
    pub name: String,
    pub measure_unit: String,
    pub direction: Direction,
    /// 预期指标值: a decimal, or for a qualitative indicator the expected description.
    pub target: String,
    /// The target before any adjustment.
    pub original_target: String,
    /// A cumulative quantity compared against time progress.
    pub prorate: bool,
    pub weight: Option<Decimal>,
    pub version: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Indicator {
    /// The numeric target of a higher- or lower-better indicator.
    pub fn numeric_target(&self) -> Option<Decimal> {
        match self.direction {
            Direction::Qualitative => None,
            _ => self.target.parse().ok(),
        }
    }
}

/// Parses a plain decimal (digits, optional sign and point, at most 12 decimals).
pub fn parse_decimal(s: &str) -> Result<Decimal, String> {
    let t = s.trim();
    let plain = !t.is_empty()
        && t.len() <= 40
        && t.chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && c == '-'))
        && t.chars().any(|c| c.is_ascii_digit());
    if !plain {
        return Err("must be a decimal number, e.g. \"1200\" or \"95.5\"".into());
    }
    let d = Decimal::from_str_exact(t).map_err(|_| "must be a decimal number".to_string())?;
    if d.normalize().scale() > 12 {
        return Err("must have at most 12 decimal places".into());
    }
    Ok(d.normalize())
}

/// Checks the fields of an indicator; returns the canonical target and weight.
#[allow(clippy::too_many_arguments)]
pub fn check(
    v: &mut Violations,
    level1: Level1,
    level2: Level2,
    name: &str,
    measure_unit: &str,
    direction: Direction,
    target: &str,
    weight: Option<&str>,
) -> (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<Option<Decimal>>,
) {
    if level2.level1() != level1 {
        v.add(
            "level2",
            "wrong_level1",
            format!("{} belongs to {}, not {}", level2, level2.level1(), level1),
        );
    }
    let name = text(v, "name", name, 200);
    let unit = check_measure_unit(v, measure_unit);
    let target = check_target(v, direction, target);
    let weight = weight.map_or(Some(None), |w| check_weight(v, w).map(Some));
    (name, unit, target, weight)
}

/// A measure unit of at most 32 characters, trimmed.
fn check_measure_unit(v: &mut Violations, measure_unit: &str) -> Option<String> {
    if measure_unit.chars().count() > 32 {
        v.add("measure_unit", "too_long", "must be at most 32 characters");
        None
    } else {
        Some(measure_unit.trim().to_string())
    }
}

/// The canonical target: the expected description of a qualitative indicator, else a
/// non-negative decimal.
fn check_target(v: &mut Violations, direction: Direction, target: &str) -> Option<String> {
    match direction {
        Direction::Qualitative => text(v, "target", target, 500),
        _ => match parse_decimal(target) {
            Ok(d) if d.is_sign_negative() && !d.is_zero() => {
                v.add("target", "negative", "must not be negative");
                None
            }
            Ok(d) => Some(d.to_string()),
            Err(e) => {
                v.add("target", "invalid", e);
                None
            }
        },
    }
}

/// A weight in (0, 100].
fn check_weight(v: &mut Violations, weight: &str) -> Option<Decimal> {
    match parse_decimal(weight) {
        Ok(d) if d > Decimal::ZERO && d <= Decimal::from(100) => Some(d),
        Ok(_) => {
            v.add(
                "weight",
                "out_of_range",
                "must be greater than 0 and at most 100",
            );
            None
        }
        Err(e) => {
            v.add("weight", "invalid", e);
            None
        }
    }
}

#[cfg(test)]
mod check_tests {
    use super::*;

    #[test]
    fn indicator_fields() {
        type Case<'a> = (
            Level1,
            Level2,
            Direction,
            &'a str,
            Option<&'a str>,
            Vec<&'a str>,
        );
        let cases: Vec<Case> = vec![
            (
                Level1::Output,
                Level2::Quantity,
                Direction::HigherBetter,
                "1200",
                None,
                vec![],
            ),
            (
                Level1::Effect,
                Level2::Quantity,
                Direction::HigherBetter,
                "1200",
                None,
                vec!["level2"],
            ),
            (
                Level1::Output,
                Level2::Cost,
                Direction::LowerBetter,
                "-5",
                None,
                vec!["target"],
            ),
            (
                Level1::Output,
                Level2::Cost,
                Direction::LowerBetter,
                "abc",
                None,
                vec!["target"],
            ),
            (
                Level1::Effect,
                Level2::SocialBenefit,
                Direction::Qualitative,
                "明显提升",
                None,
                vec![],
            ),
            (
                Level1::Effect,
                Level2::SocialBenefit,
                Direction::Qualitative,
                " ",
                None,
                vec!["target"],
            ),
            (
                Level1::Satisfaction,
                Level2::Satisfaction,
                Direction::HigherBetter,
                "90",
                Some("0"),
                vec!["weight"],
            ),
            (
                Level1::Satisfaction,
                Level2::Satisfaction,
                Direction::HigherBetter,
                "90",
                Some("30"),
                vec![],
            ),
        ];
        for (l1, l2, dir, target, weight, fields) in cases {
            let mut v = Violations::new();
            check(&mut v, l1, l2, "受助职工人数", "人", dir, target, weight);
            let got: Vec<String> = v.0.iter().map(|e| e.field.clone()).collect();
            assert_eq!(got, fields, "{l1} {l2} {target}");
        }
    }

    #[test]
    fn decimals_are_canonical() {
        assert_eq!(parse_decimal("1200.00").unwrap().to_string(), "1200");
        assert_eq!(parse_decimal("0.5").unwrap().to_string(), "0.5");
        assert!(parse_decimal("1e3").is_err());
        assert!(parse_decimal("").is_err());
    }
}

mod locks;
pub use locks::*;
