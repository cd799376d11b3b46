//! The generated units' items, indicators and forms, each form made and walked through its
//! review by the same rules as the API's use cases (the rows are written in bulk by the caller).

use chrono::{DateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::super::cycle::refused;
use super::super::data::IndicatorSpec;
use super::super::{indicator_fields, invalid, SeedError};
use super::{amount, date, pick, ProvinceOptions, FUNDS, PEOPLE, PROJECTS};
use crate::app::submissions as forms;
use crate::domain::account::User;
use crate::domain::indicator::Indicator;
use crate::domain::item::{Item, ItemKind};
use crate::domain::monitoring::{Direction, Light, Possibility};
use crate::domain::period::Period;
use crate::domain::submission::{
    ComplianceCheck, ComplianceEntry, DeviationReason, IndicatorValue, RootCause, Signatures,
    Submission, SubmissionContent,
};
use crate::domain::unit::Unit;
use crate::domain::workflow::SubmissionStatus;
use crate::domain::{Amount, FundSplit};
use crate::persistence::submissions::NewVersion;
use crate::persistence::{self, indicators, items};

pub(super) struct Generator<'a> {
    pub(super) opts: &'a ProvinceOptions,
    pub(super) pool: Vec<&'static IndicatorSpec>,
    pub(super) period: &'a Period,
    pub(super) finance: &'a User,
    pub(super) items: Vec<Item>,
    pub(super) indicators: Vec<Indicator>,
    pub(super) forms: Vec<Submission>,
    /// The index in `items` of each form's item.
    pub(super) form_items: Vec<usize>,
    pub(super) versions: Vec<NewVersion>,
    pub(super) late: usize,
}

impl Generator<'_> {
    /// One unit's items, indicators and forms; its first reporter files them.
    pub(super) fn unit(&mut self, u: usize, unit: &Unit, reporter: &User) -> Result<(), SeedError> {
        for k in 0..=self.opts.items_per_unit {
            let missing = k == self.opts.items_per_unit;
            let (kind, name, funding, key) = match k {
                _ if missing => (
                    ItemKind::Project,
                    format!("{}（{}期）", PROJECTS[u % PROJECTS.len()], k + 1),
                    None,
                    true,
                ),
                0 => (
                    ItemKind::Overall,
                    format!("{}2026年度整体支出", unit.name),
                    None,
                    false,
                ),
                1..=4 => {
                    let (name, source) = FUNDS[(k - 1) % FUNDS.len()];
                    (ItemKind::SpecialFund, name.to_string(), Some(source), false)
                }
                _ => (
                    ItemKind::Project,
                    format!("{}（{}期）", PROJECTS[k % PROJECTS.len()], k),
                    None,
                    k < 45,
                ),
            };
            let seed = u * 1_000 + k;
            let fiscal =
                Decimal::from(20 + pick(seed, 480)) + Decimal::new(pick(seed + 7, 100) as i64, 2);
            let union = Decimal::from(5 + pick(seed + 3, 200))
                + Decimal::new(pick(seed + 11, 100) as i64, 2);
            let project = kind == ItemKind::Project;
            let fields = items::ItemFields {
                unit_id: unit.id,
                year: 2026,
                kind,
                name,
                budget: FundSplit {
                    fiscal: amount(fiscal)?,
                    union: amount(union)?,
                },
                annual_goal: "按计划完成年度绩效目标，资金使用规范高效，服务对象满意度不低于90%。"
                    .into(),
                start_year: project.then_some(2025 + (k % 2) as i32),
                end_year: project.then_some(2026 + (k % 3) as i32),
                previous_item_id: None,
                funding_source: funding,
                parent_id: None,
            };
            let item = items::new_item(fields, key);
            let first = self.indicators.len();
            let start = pick(seed + 5, self.pool.len());
            for j in 0..self.opts.indicators_per_item {
                let f = indicator_fields(self.pool[(start + j) % self.pool.len()])?;
                self.indicators
                    .push(indicators::new_indicator(item.id, j as i32 + 1, f));
            }
            self.items.push(item);
            if !missing {
                let inds = &self.indicators[first..];
                let (form, kept) = self.form(u, k, reporter, self.items.len() - 1, inds)?;
                if form.figures.late {
                    self.late += 1;
                }
                self.versions.extend(kept);
                self.forms.push(form);
                self.form_items.push(self.items.len() - 1);
            }
        }
        Ok(())
    }

    /// The form on one item, walked through the workflow as far as its place in the mix says:
    /// 10 % draft, 25 % submitted, 10 % returned, 55 % accepted.
    fn form(
        &self,
        u: usize,
        k: usize,
        reporter: &User,
        item_index: usize,
        inds: &[Indicator],
    ) -> Result<(Submission, Vec<NewVersion>), SeedError> {
        let item = &self.items[item_index];
        let seed = u * 1_000 + k;
        let status = match pick(seed + 13, 20) {
            0..=1 => SubmissionStatus::Draft,
            2..=6 => SubmissionStatus::Submitted,
            7..=8 => SubmissionStatus::Returned,
            _ => SubmissionStatus::Accepted,
        };
        let handed_in = status != SubmissionStatus::Draft;
        // Handed in between July 1 and 12 (local time); the deadline is July 10 (15 for one unit).
        let day = 1 + pick(seed + 17, 12) as u32;
        let at: DateTime<Utc> = self
            .opts
            .offset
            .with_ymd_and_hms(2026, 7, day, 9 + (k % 8) as u32, (k * 7 % 60) as u32, 0)
            .single()
            .ok_or_else(|| invalid("a local time that does not exist"))?
            .with_timezone(&Utc);
        let deadline = if u == 1 {
            date(2026, 7, 15)
        } else {
            self.period.submission_deadline
        };
        let signed = at.with_timezone(&self.opts.offset).date_naive();

        // 60 % of forms on track, 25 % with a yellow warning and 15 % red, the execution pace
        // (against 50 % time progress) and the indicators to match.
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
        let executed = FundSplit {
            fiscal: amount(share(item.budget.fiscal))?,
            union: amount(share(item.budget.union))?,
        };
        let values: Vec<IndicatorValue> = inds
            .iter()
            .enumerate()
            .map(|(j, ind)| {
                let band = match (health, j) {
                    (Light::Red, 0) => 0,
                    (Light::Red | Light::Yellow, 1..=2) => 1,
                    _ => 3 + pick(seed * 31 + j, 7),
                };
                value(ind, band, handed_in || j % 2 == 0)
            })
            .collect();
        let (head, leader) = PEOPLE[u % PEOPLE.len()];
        let compliance = ComplianceCheck::ALL
            .iter()
            .map(|c| {
                let problem = *c == ComplianceCheck::Contracts && pick(seed + 23, 30) == 0;
                ComplianceEntry {
                    check: *c,
                    problem,
                    note: problem.then(|| "部分服务合同未按规定履行审批程序".to_string()),
                }
            })
            .collect();
        let mut content = SubmissionContent {
            executed,
            expected_year_end: item.budget,
            expected_carryover: FundSplit {
                fiscal: Amount::ZERO,
                union: Amount::ZERO,
            },
            goal_progress: "上半年按计划推进各项工作，主要绩效指标完成过半。".into(),
            indicator_values: values,
            compliance,
            outlook: Some(if behind {
                Possibility::Possible
            } else {
                Possibility::Certain
            }),
            deviation_analysis: if behind {
                "受项目前期手续和政府采购周期影响，资金支付进度滞后于序时进度。".into()
            } else {
                String::new()
            },
            root_causes: if behind {
                vec![RootCause::InsufficientPreparation]
            } else {
                vec![]
            },
            corrective_measures: if behind {
                "加快采购和合同签订，三季度末执行率达到75%以上。".into()
            } else {
                String::new()
            },
            signatures: if handed_in {
                Signatures {
                    unit_head: Some(head.into()),
                    supervising_leader: Some(leader.into()),
                    date: Some(signed.into()),
                }
            } else {
                Signatures::default()
            },
        };
        // Far over a target: explained, as the rules require before handing in.
        let (figures, _) = forms::judge(item, inds, self.period, true, &content);
        for f in figures.indicators.iter().filter(|f| f.needs_note) {
            if let Some(iv) = content
                .indicator_values
                .iter_mut()
                .find(|x| x.indicator_id == f.indicator_id)
            {
                iv.note = Some("年中集中开展专项活动，完成值明显高于预期".into());
            }
        }
        let draft = forms::draft(item, inds, self.period, content, persistence::now());
        let draft = draft.map_err(refused)?;
        if !handed_in {
            return Ok((draft, vec![]));
        }
        let (p, offset) = (self.period, self.opts.offset);
        let s = forms::submitted(&draft, item, inds, p, deadline, at, offset).map_err(refused)?;
        let mut kept = vec![NewVersion::of(&s, 1, None, by(reporter), at)];
        let decided = at + chrono::Duration::days(3);
        let next = match status {
            SubmissionStatus::Returned => SubmissionStatus::return_,
            SubmissionStatus::Accepted => SubmissionStatus::accept,
            _ => return Ok((s, kept)),
        };
        let s = forms::decided(&s, next, p, decided).map_err(refused)?;
        let reason = (status == SubmissionStatus::Returned)
            .then(|| "偏差原因分析不充分，请补充纠偏措施".to_string());
        kept.push(NewVersion::of(&s, 2, reason, by(self.finance), decided));
        Ok((s, kept))
    }
}

/// Who keeps a version.
fn by(u: &User) -> (Uuid, &str) {
    (u.id, &u.username)
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
