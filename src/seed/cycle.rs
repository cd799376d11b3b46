//! The items of the demo cycle with their indicators, each made by the use case the API runs,
//! and the forms filed on them, each walked through the submission workflow as far as its
//! outcome says.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::DatabaseTransaction;
use serde::Serialize;
use uuid::Uuid;

use crate::app::items::{self, ItemInput};
use crate::app::pipeline::Change;
use crate::app::submissions as uc;
use crate::app::{access, indicators};
use crate::auth::CurrentUser;
use crate::error::ApiResult;

use super::data::{self, IndicatorSpec, ItemSpec, UnitSpec};
use super::forms::{self, FormSpec, Outcome};
use super::{indicator_input, invalid, lookup, record_change, signed_in, split, SeedError};
use crate::domain::account::User;
use crate::domain::indicator::Indicator;
use crate::domain::item::Item;
use crate::domain::period::Period;
use crate::domain::unit::Unit;
use crate::domain::workflow::SubmissionStatus;
use crate::persistence;

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

    /// One item as its creator makes it through the API's use case, designated for key
    /// monitoring by finance if it is key, then its indicators.
    async fn create_item(&self, spec: &ItemSpec) -> Result<(Item, Vec<Indicator>), SeedError> {
        let unit = lookup(self.units, spec.unit)?;
        let parent = self.linked(spec.parent)?;
        let previous = self.linked(spec.previous)?;
        let creator = signed_in(self.creator(unit, parent)?);
        let input = ItemInput {
            unit_id: Some(unit.id),
            year: spec.year,
            kind: spec.kind,
            name: spec.name.into(),
            budget: split(spec.budget)?,
            annual_goal: spec.goal.into(),
            start_year: spec.life.map(|l| l.0),
            end_year: spec.life.map(|l| l.1),
            previous_item_id: previous.map(|i| i.id),
            funding_source: spec.funding,
            parent_id: parent.map(|i| i.id),
        };
        items::authorize(&creator)?;
        let created = items::create(self.db, &creator, input).await;
        let mut item = self.keep(created, &creator).await?;
        if spec.key_monitored {
            item = self.designate_key(item.id).await?;
        }
        let mut inds = Vec::with_capacity(spec.indicators.len());
        for s in spec.indicators {
            inds.push(self.create_indicator(&creator, item.id, s).await?);
        }
        Ok((item, inds))
    }

    /// The item created before under `key`, if one is named.
    fn linked(&self, key: Option<&str>) -> Result<Option<&Item>, SeedError> {
        key.map(|k| lookup(&self.items, k).map(|(i, _)| i))
            .transpose()
    }

    /// Who creates an item: finance for an allocation to another unit (a parent fund of
    /// another unit), else the unit's reporter.
    fn creator(&self, unit: &Unit, parent: Option<&Item>) -> Result<&User, SeedError> {
        match parent {
            Some(p) if p.unit_id != unit.id => Ok(self.finance),
            _ => self.reporter(unit),
        }
    }

    /// Finance designates the item for key monitoring (Art. 10).
    async fn designate_key(&self, id: Uuid) -> Result<Item, SeedError> {
        let finance = signed_in(self.finance);
        let current = items::designatable(self.db, &finance, id).await?;
        let designated = items::set_key_monitoring(self.db, &finance, current, true).await;
        self.keep(designated, &finance).await
    }

    /// One indicator, added by the item's creator.
    async fn create_indicator(
        &self,
        by: &CurrentUser,
        item_id: Uuid,
        spec: &IndicatorSpec,
    ) -> Result<Indicator, SeedError> {
        let item = access::visible_item(self.db, by, item_id).await?;
        access::require_item_writer(by)?;
        let created = indicators::create(self.db, &item, indicator_input(spec)).await;
        self.keep(created, by).await
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
    /// if after the unit's deadline), then returned or accepted by finance: each step by the
    /// use case the API runs.
    async fn file(&self, f: &FormSpec) -> Result<SubmissionStatus, SeedError> {
        let (item, inds) = lookup(&self.items, f.item)?;
        let (unit, unit_spec) = self.unit_of(item)?;
        let reporter = signed_in(self.reporter(unit)?);
        let finance = signed_in(self.finance);
        let at = f.outcome.submitted_at().map(instant).transpose()?;
        let signed = at.map(|t| t.with_timezone(&self.offset).date_naive());
        let content = forms::content(f, inds, item, unit_spec, signed)?;
        let (period, now) = (self.period.id, persistence::now());
        let created = match uc::authorize_new(self.db, &reporter, item.id).await {
            Ok(item) => uc::create(self.db, &reporter, period, item, content, now).await,
            Err(e) => Err(e),
        };
        let draft = self.keep(created, &reporter).await?;
        let Some(at) = at else {
            return Ok(draft.status);
        };
        let submitted = uc::submit(self.db, &reporter, draft, at, self.offset).await;
        let filed = self.keep(submitted, &reporter).await?;
        let now = persistence::now();
        let done = match f.outcome {
            Outcome::Returned(_, reason) => {
                let returned = uc::return_(self.db, &finance, filed, reason.into(), now).await;
                self.keep(returned, &finance).await?
            }
            Outcome::Accepted(_) => {
                let accepted = uc::accept(self.db, &finance, filed, now).await;
                self.keep(accepted, &finance).await?
            }
            Outcome::Draft | Outcome::Submitted(_) => filed,
        };
        Ok(done.status)
    }

    /// What a use case left, its change recorded in the audit trail as the API's write pipeline
    /// records it.
    async fn keep<T: Serialize>(
        &self,
        change: ApiResult<Change<T>>,
        by: &CurrentUser,
    ) -> Result<T, SeedError> {
        let change = change?;
        record_change(self.db, &by.actor(), &change).await?;
        Ok(change.after)
    }
}
