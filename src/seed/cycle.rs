//! The items of the demo cycle with their indicators, and the forms filed on them, each walked
//! through the submission workflow as far as its outcome says.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::{DatabaseTransaction, DbErr};
use serde_json::json;

use crate::app::pipeline::Change;
use crate::app::submissions as uc;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::persistence::audit::{self, Origin};

use super::data::{self, ItemSpec, UnitSpec};
use super::forms::{self, FormSpec, Outcome};
use super::{actor, check, indicator_fields, invalid, lookup, record, split, SeedError};
use crate::domain::account::User;
use crate::domain::indicator::Indicator;
use crate::domain::item::{self as item_rules, Item};
use crate::domain::period::Period;
use crate::domain::submission::Submission;
use crate::domain::unit::Unit;
use crate::domain::workflow::SubmissionStatus;
use crate::domain::Violations;
use crate::http::indicators::IndicatorResponse;
use crate::http::items::ItemResponse;
use crate::persistence::indicators;
use crate::persistence::items::{self, ItemFields};
use crate::persistence::{self};

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
        let created = uc::create(self.db, &reporter, period, item.id, content, now).await;
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

    /// The form as a use case left it, its change recorded in the audit trail as the API's
    /// write pipeline records it.
    async fn keep(
        &self,
        change: ApiResult<Change<Submission>>,
        by: &CurrentUser,
    ) -> Result<Submission, SeedError> {
        let change = change.map_err(refused)?;
        let origin = Origin {
            request_id: "seed-demo".into(),
            client_addr: None,
            client_request_id: None,
        };
        audit::record(self.db, &by.actor(), &origin, change.entry()).await?;
        Ok(change.after)
    }
}

/// A login as the use cases see their caller.
fn signed_in(u: &User) -> CurrentUser {
    CurrentUser {
        id: u.id,
        username: u.username.clone(),
        role: u.role,
        unit_id: u.unit_id,
    }
}

/// A use case's refusal as a seed error: the database's own, or the rule the demo data breaks
/// (each field named).
pub(super) fn refused(e: ApiError) -> SeedError {
    match e {
        ApiError::Db(e) => SeedError::Db(e),
        ApiError::Client { detail, errors, .. } if !errors.is_empty() => {
            let fields: Vec<String> = errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect();
            invalid(format!("{detail}: {}", fields.join("; ")))
        }
        e => invalid(e),
    }
}
