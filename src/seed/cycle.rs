//! The items of the demo cycle with their indicators, and the forms filed on them, each walked
//! through the submission workflow as far as its outcome says.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::{DatabaseTransaction, DbErr};
use serde_json::json;

use super::data::{self, ItemSpec, UnitSpec};
use super::forms::{self, FormSpec, Outcome};
use super::{actor, check, indicator_fields, invalid, lookup, record, split, SeedError};
use crate::domain::account::User;
use crate::domain::indicator::Indicator;
use crate::domain::item::{self as item_rules, Item};
use crate::domain::period::{self, Period};
use crate::domain::submission;
use crate::domain::unit::Unit;
use crate::domain::workflow::{SubmissionStatus, TransitionError};
use crate::domain::Violations;
use crate::http::indicators::IndicatorResponse;
use crate::http::items::ItemResponse;
use crate::http::submissions::SubmissionResponse;
use crate::persistence::indicators;
use crate::persistence::items::{self, ItemFields};
use crate::persistence::periods;
use crate::persistence::submissions::{self, NewSubmission, Submission};

/// What the cycle is built from, and the items built so far (by their key in [`data::ITEMS`]).
pub(super) struct Cycle<'a> {
    pub db: &'a DatabaseTransaction,
    pub offset: FixedOffset,
    pub period: &'a Period,
    pub units: &'a HashMap<String, Unit>,
    pub people: &'a HashMap<String, User>,
    pub finance: &'a User,
    pub items: HashMap<String, (Item, Vec<Indicator>)>,
    pub indicators: usize,
}

fn instant(s: &str) -> Result<DateTime<Utc>, SeedError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| invalid(format!("{s}: {e}")))
}

impl Cycle<'_> {
    fn unit_of(&self, item: &Item) -> Result<(&Unit, &'static UnitSpec), SeedError> {
        let unit = self
            .units
            .values()
            .find(|u| u.id == item.unit_id)
            .ok_or_else(|| invalid(format!("no unit for {}", item.name)))?;
        let spec = data::UNITS
            .iter()
            .find(|s| s.code == unit.code)
            .ok_or_else(|| invalid(format!("no spec for {}", unit.code)))?;
        Ok((unit, spec))
    }

    fn reporter(&self, unit: &Unit) -> Result<&User, SeedError> {
        lookup(
            self.people,
            &format!("{}.reporter", unit.code.to_lowercase()),
        )
    }

    /// Creates every item with its indicators, as its unit's reporter would; finance designates
    /// the key ones (Art. 10) and files the allocation to the subordinate union.
    pub async fn create_items(&mut self) -> Result<(), SeedError> {
        for spec in data::ITEMS {
            let entry = self.create_item(spec).await?;
            self.indicators += entry.1.len();
            self.items.insert(spec.key.to_string(), entry);
        }
        Ok(())
    }

    async fn create_item(&self, spec: &ItemSpec) -> Result<(Item, Vec<Indicator>), SeedError> {
        let unit = lookup(self.units, spec.unit)?;
        let link = |key: Option<&str>| -> Result<Option<&Item>, SeedError> {
            key.map(|k| lookup(&self.items, k).map(|(i, _)| i))
                .transpose()
        };
        let parent = link(spec.parent)?;
        let previous = link(spec.previous)?;
        let creator = match parent {
            Some(p) if p.unit_id != unit.id => self.finance,
            _ => self.reporter(unit)?,
        };
        let mut v = Violations::new();
        let name = item_rules::name(&mut v, spec.name);
        let goal = item_rules::annual_goal(&mut v, spec.goal);
        item_rules::check_shape(
            &mut v,
            &item_rules::Shape {
                kind: spec.kind,
                year: spec.year,
                start_year: spec.life.map(|l| l.0),
                end_year: spec.life.map(|l| l.1),
                funding_source: spec.funding,
                has_parent: parent.is_some(),
                has_previous: previous.is_some(),
            },
        );
        check(v)?;
        let fields = ItemFields {
            unit_id: unit.id,
            year: spec.year,
            kind: spec.kind,
            name: name.unwrap_or_default(),
            budget: split(spec.budget)?,
            annual_goal: goal.unwrap_or_default(),
            start_year: spec.life.map(|l| l.0),
            end_year: spec.life.map(|l| l.1),
            previous_item_id: previous.map(|i| i.id),
            funding_source: spec.funding,
            parent_id: parent.map(|i| i.id),
        };
        let who = actor(creator);
        let mut item = items::insert(self.db, fields, false).await?;
        let after = ItemResponse::from(item.clone());
        record(self.db, &who, "item.create", "item", item.id, None, after).await?;
        if spec.key_monitored {
            items::set_key_monitored(self.db, item.id, true).await?;
            let before = Some(json!({"key_monitored": false}));
            let after = json!({"key_monitored": true});
            let f = actor(self.finance);
            record(
                self.db,
                &f,
                "item.key_monitoring",
                "item",
                item.id,
                before,
                after,
            )
            .await?;
            item = items::get(self.db, item.id)
                .await?
                .ok_or_else(|| DbErr::RecordNotFound("item".into()))?;
        }
        let mut inds = Vec::with_capacity(spec.indicators.len());
        for s in spec.indicators {
            let f = indicator_fields(s)?;
            let ind = indicators::insert(self.db, item.id, f).await?;
            let after = IndicatorResponse::from(ind.clone());
            record(
                self.db,
                &who,
                "indicator.create",
                "indicator",
                ind.id,
                None,
                after,
            )
            .await?;
            inds.push(ind);
        }
        Ok((item, inds))
    }

    /// Files every form of [`forms::FORMS`]; returns how many ended in each status.
    pub async fn file_forms(&self) -> Result<Vec<(SubmissionStatus, usize)>, SeedError> {
        let mut counts: Vec<(SubmissionStatus, usize)> =
            SubmissionStatus::ALL.iter().map(|s| (*s, 0)).collect();
        for f in forms::FORMS {
            let status = self.file(f).await?;
            if let Some(c) = counts.iter_mut().find(|(s, _)| *s == status) {
                c.1 += 1;
            }
        }
        Ok(counts)
    }

    /// The reporter starts the form; if it was handed in, it is submitted at that instant (late
    /// if after the unit's deadline), then returned or accepted by finance.
    async fn file(&self, f: &FormSpec) -> Result<SubmissionStatus, SeedError> {
        let (item, inds) = lookup(&self.items, f.item)?;
        let (unit, unit_spec) = self.unit_of(item)?;
        let reporter = self.reporter(unit)?;
        let at = f.outcome.submitted_at().map(instant).transpose()?;
        let signed = at.map(|t| t.with_timezone(&self.offset).date_naive());
        let content = forms::content(f, inds, item, unit_spec, signed)?;
        let mut v = Violations::new();
        submission::check_content(&mut v, &content, inds, self.period);
        check(v)?;
        let figures = submission::compute(item, inds, self.period, &content, false);
        let new = NewSubmission {
            period_id: self.period.id,
            item_id: item.id,
            unit_id: unit.id,
            form: item.kind.form(),
            content: content.clone(),
            figures,
        };
        let draft = submissions::insert(self.db, new).await?;
        let after = SubmissionResponse::from(draft.clone());
        let who = actor(reporter);
        record(
            self.db,
            &who,
            "submission.create",
            "submission",
            draft.id,
            None,
            after,
        )
        .await?;
        let Some(at) = at else {
            return Ok(draft.status);
        };
        let deadline = periods::deadline_for(self.db, self.period, unit.id).await?;
        let late = period::is_late(at, deadline, self.offset);
        let figures = submission::compute(item, inds, self.period, &content, late);
        let mut v = Violations::new();
        submission::check_complete(&mut v, &content, inds, &figures);
        check(v)?;
        let filed = self
            .step(
                &draft,
                SubmissionStatus::submit,
                figures,
                Some(at),
                None,
                reporter,
            )
            .await?;
        let done = match f.outcome {
            Outcome::Returned(_, reason) => {
                let figures = filed.figures.clone();
                let step = SubmissionStatus::return_;
                self.step(&filed, step, figures, None, Some(reason), self.finance)
                    .await?
            }
            Outcome::Accepted(_) => {
                let figures = filed.figures.clone();
                let step = SubmissionStatus::accept;
                self.step(&filed, step, figures, None, None, self.finance)
                    .await?
            }
            Outcome::Draft | Outcome::Submitted(_) => filed,
        };
        Ok(done.status)
    }

    /// One workflow step, with the version kept and the audit event the API writes.
    async fn step(
        &self,
        current: &Submission,
        next: fn(SubmissionStatus) -> Result<SubmissionStatus, TransitionError>,
        figures: submission::Figures,
        submitted_at: Option<DateTime<Utc>>,
        reason: Option<&str>,
        by: &User,
    ) -> Result<Submission, SeedError> {
        let to = next(current.status).map_err(invalid)?;
        let moved = submissions::set_status(
            self.db,
            current.id,
            current.version,
            to,
            &figures,
            submitted_at,
            crate::persistence::now(),
        )
        .await?;
        if !moved {
            return Err(invalid("a form changed while it was being seeded"));
        }
        let after = submissions::get(self.db, current.id)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("submission".into()))?;
        let snapshot =
            serde_json::to_value(SubmissionResponse::from(after.clone())).map_err(invalid)?;
        let reason = reason.map(String::from);
        submissions::insert_version(
            self.db,
            current.id,
            to,
            reason.clone(),
            &snapshot,
            by.id,
            &by.username,
        )
        .await?;
        let action = match to {
            SubmissionStatus::Submitted => "submission.submit",
            SubmissionStatus::Accepted => "submission.accept",
            SubmissionStatus::Returned => "submission.return",
            SubmissionStatus::Draft => "submission.update",
        };
        let before = Some(json!({"status": current.status}));
        let after_json = json!({"status": to, "reason": reason});
        let id = current.id;
        record(
            self.db,
            &actor(by),
            action,
            "submission",
            id,
            before,
            after_json,
        )
        .await?;
        Ok(after)
    }
}
