//! What the generated units fill in: execution, answers, compliance and signatures, by each
//! form's place in the mix.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::super::SeedError;
use super::names::PEOPLE;
use super::{amount, pick};
use crate::domain::indicator::Indicator;
use crate::domain::item::Item;
use crate::domain::monitoring::{Direction, Light, Possibility};
use crate::domain::submission::{
    ComplianceCheck, ComplianceEntry, DeviationReason, IndicatorValue, RootCause, Signatures,
    SubmissionContent,
};
use crate::domain::{Amount, FundSplit};

/// What the unit filled in: 60 % of forms on track, 25 % with a yellow warning and 15 % red,
/// the execution pace (against 50 % time progress) and the indicators to match; signed once
/// handed in.
pub(super) fn content(
    u: usize,
    seed: usize,
    item: &Item,
    inds: &[Indicator],
    signed: Option<NaiveDate>,
) -> Result<SubmissionContent, SeedError> {
    let health = match pick(seed + 29, 20) {
        0..=2 => Light::Red,
        3..=7 => Light::Yellow,
        _ => Light::Green,
    };
    let paces: &[i64] = match health {
        Light::Red => &[25, 38, 60, 75],
        Light::Yellow => &[45, 52, 60],
        _ => &[52, 60, 75, 98],
    };
    let pace = paces[pick(seed + 19, paces.len())];
    let share = |a: Amount| a.value() * Decimal::from(pace) / Decimal::from(100);
    let behind = pace < 45;
    let (analysis, causes, measures) = if behind {
        (
            "受项目前期手续和政府采购周期影响，资金支付进度滞后于序时进度。",
            vec![RootCause::InsufficientPreparation],
            "加快采购和合同签订，三季度末执行率达到75%以上。",
        )
    } else {
        ("", vec![], "")
    };
    Ok(SubmissionContent {
        executed: FundSplit {
            fiscal: amount(share(item.budget.fiscal))?,
            union: amount(share(item.budget.union))?,
        },
        expected_year_end: item.budget,
        expected_carryover: FundSplit {
            fiscal: Amount::ZERO,
            union: Amount::ZERO,
        },
        goal_progress: "上半年按计划推进各项工作，主要绩效指标完成过半。".into(),
        indicator_values: values(inds, health, seed, signed.is_some()),
        compliance: compliance(seed),
        outlook: Some(if behind {
            Possibility::Possible
        } else {
            Possibility::Certain
        }),
        deviation_analysis: analysis.into(),
        root_causes: causes,
        corrective_measures: measures.into(),
        signatures: signatures(u, signed),
    })
}

/// The answers by the form's health: a red form has one indicator far behind, a red or
/// yellow one two behind; a draft leaves every other one blank.
fn values(inds: &[Indicator], health: Light, seed: usize, handed_in: bool) -> Vec<IndicatorValue> {
    inds.iter()
        .enumerate()
        .map(|(j, ind)| {
            let band = match (health, j) {
                (Light::Red, 0) => 0,
                (Light::Red | Light::Yellow, 1..=2) => 1,
                _ => 3 + pick(seed * 31 + j, 7),
            };
            value(ind, band, handed_in || j % 2 == 0)
        })
        .collect()
}

/// All nine compliance checks; one form in thirty has a contract problem.
fn compliance(seed: usize) -> Vec<ComplianceEntry> {
    ComplianceCheck::ALL
        .iter()
        .map(|c| {
            let problem = *c == ComplianceCheck::Contracts && pick(seed + 23, 30) == 0;
            ComplianceEntry {
                check: *c,
                problem,
                note: problem.then(|| "部分服务合同未按规定履行审批程序".to_string()),
            }
        })
        .collect()
}

/// The unit head's and the supervising leader's signatures, once the form is handed in.
fn signatures(u: usize, signed: Option<NaiveDate>) -> Signatures {
    let (head, leader) = PEOPLE[u % PEOPLE.len()];
    match signed {
        Some(date) => Signatures {
            unit_head: Some(head.into()),
            supervising_leader: Some(leader.into()),
            date: Some(date.into()),
        },
        None => Signatures::default(),
    }
}

/// One indicator's answer by its band: 0 far behind (red), 1–2 behind (yellow), 3–8 on track,
/// 9 far over target.
fn value(ind: &Indicator, band: usize, answered: bool) -> IndicatorValue {
    let possibility = match band {
        0 => Possibility::Impossible,
        1..=2 => Possibility::Possible,
        _ => Possibility::Certain,
    };
    let actual = answered.then(|| match ind.direction {
        Direction::Qualitative => match band {
            0 => "not_achieved",
            1..=2 => "partly_achieved",
            _ => "achieved",
        }
        .to_string(),
        Direction::HigherBetter | Direction::LowerBetter => {
            let target: Decimal = ind.target.parse().unwrap_or(Decimal::ONE_HUNDRED);
            let pct = match (ind.direction, ind.prorate, band) {
                (Direction::LowerBetter, _, 0) => 130,
                (Direction::LowerBetter, _, _) => 45,
                (_, true, 0) => 20,
                (_, true, 1..=2) => 38,
                (_, true, 9) => 160,
                (_, true, _) => 52,
                (_, false, 0) => 60,
                (_, false, 1..=2) => 85,
                (_, false, _) => 100,
            };
            (target * Decimal::from(pct) / Decimal::ONE_HUNDRED)
                .round_dp(2)
                .normalize()
                .to_string()
        }
    });
    IndicatorValue {
        indicator_id: ind.id,
        actual,
        expected_year_end: None,
        possibility: answered.then_some(possibility),
        deviation_reasons: if band <= 2 && answered {
            vec![DeviationReason::Funding]
        } else {
            vec![]
        },
        note: None,
    }
}
