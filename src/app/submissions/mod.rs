//! The forms (DESIGN §3): creating and updating what a unit fills in, for the JSON API
//! (`POST /submissions`, `PUT /submissions/{id}`), the workbook import and the seed alike; the
//! review steps (submit, return, accept) are in [`workflow`].
//!
//! A save is planned first ([`plan`]: who may, which form, which rules the content breaks),
//! then either shown (a dry run) or written ([`save`]: the request's preconditions, the state
//! of the form and the period, the write), in the caller's transaction.

mod reads;
mod workflow;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

pub use reads::{form_template, printed_form, Download};
pub use workflow::{accept, authorize_step, decided, return_, return_reason, submit, submitted};

use super::access;
use super::pipeline::Change;
use super::precondition::IfMatch;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::indicator::Indicator;
use crate::domain::item::Item;
use crate::domain::period::Period;
use crate::domain::submission::{self, Figures, Submission, SubmissionContent};
use crate::domain::{FieldError, Violations};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::persistence::submissions::{self as repo, NewSubmission};
use crate::persistence::{items, periods};

const DUPLICATE: &str = "this item already has a form in this period";

/// Which form a save is for.
#[derive(Debug, Clone)]
pub enum Target {
    /// A new form for the item in the period (`POST /submissions`), the item and its
    /// indicators as [`authorize_new`] found them.
    New {
        period_id: Uuid,
        item: Box<(Item, Vec<Indicator>)>,
    },
    /// An existing form (`PUT /submissions/{id}`).
    Existing(Uuid),
    /// The item's form in the period: the one that exists, else a new one (the import).
    ForItem { period_id: Uuid, item_id: Uuid },
}

/// What a save is judged against: the period, the item with its indicators, and the form the
/// content replaces (`None` for a new one).
#[derive(Debug, Clone)]
pub struct Basis {
    pub period: Period,
    pub item: Item,
    pub indicators: Vec<Indicator>,
    pub current: Option<Submission>,
}

/// A save that the caller may make, checked against the rules, not yet written.
#[derive(Debug, Clone)]
pub struct Plan {
    pub period: Period,
    pub item: Item,
    pub indicators: Vec<Indicator>,
    /// The form the content replaces; `None` for a new one.
    pub current: Option<Submission>,
    pub content: SubmissionContent,
    /// The figures the content gets.
    pub figures: Figures,
    /// Every rule the content breaks (422), each naming its field as the JSON API does.
    pub violations: Vec<FieldError>,
}

/// A form the caller may see, or 404 (also for another unit's).
pub async fn visible(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<Submission> {
    let found = repo::get(db, id).await?;
    user.visible(found, |s| s.unit_id, "submission", id)
}

/// Who may start a form on the item: a reporter of its unit (another unit's item is 404). The
/// item comes with its indicators, which the form is judged against.
pub async fn authorize_new(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    item_id: Uuid,
) -> ApiResult<(Item, Vec<Indicator>)> {
    user.require(&[Role::Reporter])?;
    access::visible_item_with_indicators(db, user, item_id).await
}

/// Who may change the form's content: a reporter of its unit (another unit's form is 404).
pub async fn authorize_edit(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<Submission> {
    let current = visible(db, user, id).await?;
    user.require(&[Role::Reporter])?;
    Ok(current)
}

async fn period_named_in_body(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<Period> {
    periods::get(db, id)
        .await?
        .ok_or_else(|| ApiError::field("period_id", "unknown", "no period has this id"))
}

/// Who may save which form, and what it is judged against. Fails with the answer the request
/// gets when the caller may not (403, 404) or the target does not exist.
#[tracing::instrument(skip_all)]
pub async fn basis(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    target: Target,
) -> ApiResult<Basis> {
    let (period, (item, indicators), current) = match target {
        Target::New { period_id, item } => {
            (period_named_in_body(db, period_id).await?, *item, None)
        }
        Target::Existing(id) => {
            let current = authorize_edit(db, user, id).await?;
            let period = access::period(db, current.period_id).await?;
            let item = items::with_indicators(db, current.item_id)
                .await?
                .ok_or_else(|| ApiError::not_found("item"))?;
            (period, item, Some(current))
        }
        Target::ForItem { period_id, item_id } => {
            user.require(&[Role::Reporter])?;
            let item = access::visible_item_with_indicators(db, user, item_id).await?;
            let period = period_named_in_body(db, period_id).await?;
            let current = repo::of_item_in_period(db, period.id, item.0.id).await?;
            (period, item, current)
        }
    };
    Ok(Basis {
        period,
        item,
        indicators,
        current,
    })
}

/// [`basis`] and the content judged against it.
pub async fn plan(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    target: Target,
    content: SubmissionContent,
) -> ApiResult<Plan> {
    Ok(basis(db, user, target).await?.plan(content))
}

/// The figures a form's content gets and every rule it breaks (a new form also needs an item
/// of the period's year).
pub fn judge(
    item: &Item,
    indicators: &[Indicator],
    period: &Period,
    new: bool,
    content: &SubmissionContent,
) -> (Figures, Vec<FieldError>) {
    let mut v = Violations::new();
    if new && item.year != period.year {
        v.add(
            "item_id",
            "wrong_year",
            format!(
                "the item is for {}, the period for {}",
                item.year, period.year
            ),
        );
    }
    submission::check_content(&mut v, content, indicators, period);
    let figures = submission::compute(item, indicators, period, content, false);
    (figures, v.0)
}

/// Why a form cannot take new content now (409), whatever the content: an existing form that
/// is no longer editable (`invalid_transition`), or a period that is not open
/// (`period_not_open`).
pub fn takes_content(current: Option<&Submission>, period: &Period) -> ApiResult<()> {
    if let Some(c) = current {
        if !c.status.is_editable() {
            let m = format!("a {} form cannot be edited", c.status);
            return Err(ApiError::new(ErrorCode::InvalidTransition, m));
        }
    }
    if !period.status.accepts_submissions() {
        let m = format!("the period is {}, not open", period.status);
        return Err(ApiError::new(ErrorCode::PeriodNotOpen, m));
    }
    Ok(())
}

/// A new draft of `content` on the item, as its unit's reporter starts it at `now`, without
/// writing it (bulk loads write many at once): 422 for broken rules, 409 when the period does
/// not take forms.
pub fn draft(
    item: &Item,
    indicators: &[Indicator],
    period: &Period,
    content: SubmissionContent,
    now: DateTime<Utc>,
) -> ApiResult<Submission> {
    let (figures, violations) = judge(item, indicators, period, true, &content);
    if !violations.is_empty() {
        return Err(ApiError::validation(violations));
    }
    takes_content(None, period)?;
    Ok(repo::new_draft(
        new_submission(item, period, content, figures),
        now,
    ))
}

fn new_submission(
    item: &Item,
    period: &Period,
    content: SubmissionContent,
    figures: Figures,
) -> NewSubmission {
    NewSubmission {
        period_id: period.id,
        item_id: item.id,
        unit_id: item.unit_id,
        form: item.kind.form(),
        content,
        figures,
    }
}

impl Basis {
    /// The save of `content`: its figures (computed once) and the rules it breaks.
    pub fn plan(self, content: SubmissionContent) -> Plan {
        let new = self.current.is_none();
        let (figures, violations) =
            judge(&self.item, &self.indicators, &self.period, new, &content);
        Plan {
            period: self.period,
            item: self.item,
            indicators: self.indicators,
            current: self.current,
            content,
            figures,
            violations,
        }
    }
}

impl Plan {
    /// Why the form cannot take new content now (409), whatever the content.
    pub fn blocker(&self) -> Option<ApiError> {
        takes_content(self.current.as_ref(), &self.period).err()
    }

    fn new_submission(&self) -> NewSubmission {
        let (content, figures) = (self.content.clone(), self.figures.clone());
        new_submission(&self.item, &self.period, content, figures)
    }
}

/// Writes a planned save in the caller's transaction: 422 for broken rules, then for an
/// existing form the `If-Match` on its version, then 409 when the form or the period does not
/// take content; a second form for the item in the period is 409 `already_exists`.
#[tracing::instrument(skip_all)]
pub async fn save(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    plan: Plan,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> ApiResult<Change<Submission>> {
    if !plan.violations.is_empty() {
        return Err(ApiError::validation(plan.violations));
    }
    if let Some(current) = &plan.current {
        if_match.check(current.version)?;
    }
    if let Some(e) = plan.blocker() {
        return Err(e);
    }
    let Some(current) = plan.current.clone() else {
        let created = repo::insert(db, plan.new_submission(), now)
            .await
            .map_err(ApiError::unique(DUPLICATE))?;
        let id = created.id;
        return Ok(Change::created(
            "submission.create",
            "submission",
            id,
            created,
        ));
    };
    let updated = repo::update_content(
        db,
        current.id,
        current.version,
        &plan.content,
        &plan.figures,
    );
    if !updated.await? {
        return Err(IfMatch::stale());
    }
    let after = visible(db, user, current.id).await?;
    let id = current.id;
    Ok(Change::updated("submission.update", "submission", id, current, after).edit())
}

/// A new form of `content` for the item in the period (`POST /submissions`).
pub async fn create(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    period_id: Uuid,
    item: (Item, Vec<Indicator>),
    content: SubmissionContent,
    now: DateTime<Utc>,
) -> ApiResult<Change<Submission>> {
    let item = Box::new(item);
    let plan = plan(db, user, Target::New { period_id, item }, content).await?;
    save(db, user, plan, &IfMatch::default(), now).await
}

/// The form's content replaced (`PUT /submissions/{id}`), against the version `if_match` names.
pub async fn update(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
    if_match: &IfMatch,
    content: SubmissionContent,
    now: DateTime<Utc>,
) -> ApiResult<Change<Submission>> {
    let plan = plan(db, user, Target::Existing(id), content).await?;
    save(db, user, plan, if_match, now).await
}

#[cfg(test)]
mod tests;
