//! The generated units' items, indicators and forms, each form made and walked through its
//! review by the same rules as the API's use cases (the rows are written in bulk by the caller).

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::super::data::IndicatorSpec;
use super::super::{check, indicator_fields, invalid, SeedError};
use super::answers::content;
use super::names::{FUNDS, PROJECTS};
use super::{amount, pick, ProvinceOptions};
use crate::app::submissions as forms;
use crate::domain::account::User;
use crate::domain::indicator::Indicator;
use crate::domain::item::{self, Item, ItemKind};
use crate::domain::period::{self, Period};
use crate::domain::submission::{Submission, SubmissionContent};
use crate::domain::unit::Unit;
use crate::domain::workflow::{SubmissionStatus, TransitionError};
use crate::domain::{FundSplit, Violations};
use crate::persistence::submissions::NewVersion;
use crate::persistence::{self, indicators, items};

pub(super) struct Generator<'a> {
    pub(super) opts: &'a ProvinceOptions,
    pub(super) pool: Vec<&'static IndicatorSpec>,
    pub(super) period: &'a Period,
    /// The unit whose deadline is extended, and until when.
    pub(super) extension: Option<(Uuid, NaiveDate)>,
    pub(super) finance: &'a User,
    pub(super) items: Vec<Item>,
    pub(super) indicators: Vec<Indicator>,
    pub(super) forms: Vec<Submission>,
    /// The index in `items` of each form's item.
    pub(super) form_items: Vec<usize>,
    pub(super) versions: Vec<NewVersion>,
    pub(super) late: usize,
}

/// Where a form is going: its last status, and the instant it is handed in at (if it is).
struct Fate {
    status: SubmissionStatus,
    at: Option<DateTime<Utc>>,
}

impl Generator<'_> {
    /// One unit's items, indicators and forms; its first reporter files them.
    pub(super) fn unit(&mut self, u: usize, unit: &Unit, reporter: &User) -> Result<(), SeedError> {
        for k in 0..=self.opts.items_per_unit {
            let missing = k == self.opts.items_per_unit;
            let seed = u * 1_000 + k;
            let (fields, key) = item_fields(u, k, unit, missing)?;
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
                self.file(u, k, reporter, first)?;
            }
        }
        Ok(())
    }

    /// Files the form on the item just added, whose indicators start at `first`.
    fn file(&mut self, u: usize, k: usize, reporter: &User, first: usize) -> Result<(), SeedError> {
        let inds = &self.indicators[first..];
        let (form, kept) = self.form(u, k, reporter, self.items.len() - 1, inds)?;
        if form.figures.late {
            self.late += 1;
        }
        self.versions.extend(kept);
        self.forms.push(form);
        self.form_items.push(self.items.len() - 1);
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
        let fate = self.fate(k, seed)?;
        let signed = fate
            .at
            .map(|at| at.with_timezone(&self.opts.offset).date_naive());
        let mut content = content(u, seed, item, inds, signed)?;
        self.explain_far_over(item, inds, &mut content);
        let draft = forms::draft(item, inds, self.period, content, persistence::now())?;
        let Some(at) = fate.at else {
            return Ok((draft, vec![]));
        };
        self.walk(draft, fate.status, item, inds, at, reporter)
    }

    /// The status a form ends in and, unless a draft, when it was handed in: between July 1
    /// and 12 (local time); the deadline is July 10 (15 for one unit).
    fn fate(&self, k: usize, seed: usize) -> Result<Fate, SeedError> {
        let status = match pick(seed + 13, 20) {
            0..=1 => SubmissionStatus::Draft,
            2..=6 => SubmissionStatus::Submitted,
            7..=8 => SubmissionStatus::Returned,
            _ => SubmissionStatus::Accepted,
        };
        let day = 1 + pick(seed + 17, 12) as u32;
        let at: DateTime<Utc> = self
            .opts
            .offset
            .with_ymd_and_hms(2026, 7, day, 9 + (k % 8) as u32, (k * 7 % 60) as u32, 0)
            .single()
            .ok_or_else(|| invalid("a local time that does not exist"))?
            .with_timezone(&Utc);
        let handed_in = status != SubmissionStatus::Draft;
        Ok(Fate {
            status,
            at: handed_in.then_some(at),
        })
    }

    /// Far over a target: explained, as the rules require before handing in.
    fn explain_far_over(&self, item: &Item, inds: &[Indicator], content: &mut SubmissionContent) {
        let (figures, _) = forms::judge(item, inds, self.period, true, content);
        for f in figures.indicators.iter().filter(|f| f.needs_note) {
            if let Some(iv) = content
                .indicator_values
                .iter_mut()
                .find(|x| x.indicator_id == f.indicator_id)
            {
                iv.note = Some("年中集中开展专项活动，完成值明显高于预期".into());
            }
        }
    }

    /// The unit's deadline: the period's, or its extension.
    fn deadline(&self, item: &Item) -> NaiveDate {
        let extension = self
            .extension
            .filter(|(unit, _)| *unit == item.unit_id)
            .map(|(_, until)| until);
        period::effective_deadline(self.period.submission_deadline, extension)
    }

    /// The draft handed in at `at`, then returned or accepted by finance three days later if
    /// that is its `status`; with the versions the workflow keeps.
    fn walk(
        &self,
        draft: Submission,
        status: SubmissionStatus,
        item: &Item,
        inds: &[Indicator],
        at: DateTime<Utc>,
        reporter: &User,
    ) -> Result<(Submission, Vec<NewVersion>), SeedError> {
        let (p, offset) = (self.period, self.opts.offset);
        let deadline = self.deadline(item);
        let s = forms::submitted(&draft, item, inds, p, deadline, at, offset)?;
        let mut kept = vec![NewVersion::of(&s, 1, None, by(reporter), at)];
        let decided = at + chrono::Duration::days(3);
        let (next, reason) = match status {
            SubmissionStatus::Returned => {
                let reason = forms::return_reason("偏差原因分析不充分，请补充纠偏措施")?;
                (SubmissionStatus::return_ as Step, Some(reason))
            }
            SubmissionStatus::Accepted => (SubmissionStatus::accept as Step, None),
            _ => return Ok((s, kept)),
        };
        let s = forms::decided(&s, next, p, decided)?;
        kept.push(NewVersion::of(&s, 2, reason, by(self.finance), decided));
        Ok((s, kept))
    }
}

/// A step finance takes on a handed-in form.
type Step = fn(SubmissionStatus) -> Result<SubmissionStatus, TransitionError>;

/// The `k`-th item of unit `u` (the last one, `missing`, is a key project nobody reports on),
/// checked by the rules the API applies to a new item; whether it is key-monitored.
fn item_fields(
    u: usize,
    k: usize,
    unit: &Unit,
    missing: bool,
) -> Result<(items::ItemFields, bool), SeedError> {
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
    let project = kind == ItemKind::Project;
    let fields = items::ItemFields {
        unit_id: unit.id,
        year: 2026,
        kind,
        name,
        budget: budget(u * 1_000 + k)?,
        annual_goal: "按计划完成年度绩效目标，资金使用规范高效，服务对象满意度不低于90%。".into(),
        start_year: project.then_some(2025 + (k % 2) as i32),
        end_year: project.then_some(2026 + (k % 3) as i32),
        previous_item_id: None,
        funding_source: funding,
        parent_id: None,
    };
    Ok((checked(fields)?, key))
}

/// A budget of 20–500 万元 fiscal and 5–205 union, by the item's seed.
fn budget(seed: usize) -> Result<FundSplit, SeedError> {
    let fiscal = Decimal::from(20 + pick(seed, 480)) + Decimal::new(pick(seed + 7, 100) as i64, 2);
    let union =
        Decimal::from(5 + pick(seed + 3, 200)) + Decimal::new(pick(seed + 11, 100) as i64, 2);
    Ok(FundSplit {
        fiscal: amount(fiscal)?,
        union: amount(union)?,
    })
}

/// The fields after the item rules: name, annual goal and shape.
fn checked(f: items::ItemFields) -> Result<items::ItemFields, SeedError> {
    let mut v = Violations::new();
    let name = item::name(&mut v, &f.name);
    let goal = item::annual_goal(&mut v, &f.annual_goal);
    let shape = item::Shape {
        kind: f.kind,
        year: f.year,
        start_year: f.start_year,
        end_year: f.end_year,
        funding_source: f.funding_source,
        has_parent: f.parent_id.is_some(),
        has_previous: f.previous_item_id.is_some(),
    };
    item::check_shape(&mut v, &shape);
    check(v)?;
    Ok(items::ItemFields {
        name: name.unwrap_or_default(),
        annual_goal: goal.unwrap_or_default(),
        ..f
    })
}

/// Who keeps a version.
fn by(u: &User) -> (Uuid, &str) {
    (u.id, &u.username)
}
