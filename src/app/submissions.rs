//! Creating and updating what a unit fills in on a form (DESIGN §3): the one place that
//! authorizes, checks and writes a form's content, for the JSON API (`POST /submissions`,
//! `PUT /submissions/{id}`) and the workbook import alike.
//!
//! A save is planned first ([`plan`]: who may, which form, which rules the content breaks),
//! then either shown (a dry run) or written ([`save`]: the request's preconditions, the state
//! of the form and the period, the write and its audit event), in the caller's transaction.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::indicator::Indicator;
use crate::domain::item::Item;
use crate::domain::period::Period;
use crate::domain::submission::{self, Figures, SubmissionContent};
use crate::domain::workflow::SubmissionStatus;
use crate::domain::{FieldError, Violations};
use crate::error::{ApiError, ApiResult};
use crate::persistence::audit::{self, Entry, Origin};
use crate::persistence::submissions::{self as repo, NewSubmission, Submission};
use crate::persistence::{self, indicators, items, periods};

/// A form: what the unit filled in, and what the service computed from it.
// The API answers with it, and the audit trail keeps it as the values before and after.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d", "period_id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98",
    "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90",
    "form": 2, "status": "submitted", "submitted_at": "2026-07-08T02:30:00Z", "version": 3,
    "created_at": "2026-07-05T01:00:00Z", "updated_at": "2026-07-08T02:30:00Z"
}))]
pub struct SubmissionResponse {
    pub id: Uuid,
    pub period_id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    /// 1 整体, 2 专项资金, 3 项目.
    pub form: i16,
    pub status: SubmissionStatus,
    pub submitted_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(flatten)]
    pub content: SubmissionContent,
    #[serde(flatten)]
    pub figures: Figures,
}

impl From<Submission> for SubmissionResponse {
    fn from(s: Submission) -> Self {
        SubmissionResponse {
            id: s.id,
            period_id: s.period_id,
            item_id: s.item_id,
            unit_id: s.unit_id,
            form: s.form,
            status: s.status,
            submitted_at: s.submitted_at,
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
            content: s.content,
            figures: s.figures,
        }
    }
}

/// Which form a save is for.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// A new form for the item in the period (`POST /submissions`).
    New { period_id: Uuid, item_id: Uuid },
    /// An existing form (`PUT /submissions/{id}`).
    Existing(Uuid),
    /// The item's form in the period: the one that exists, else a new one (the import).
    ForItem { period_id: Uuid, item_id: Uuid },
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

/// The form a save wrote.
pub struct Saved {
    pub created: bool,
    pub form: SubmissionResponse,
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

async fn visible_item(db: &impl ConnectionTrait, user: &CurrentUser, id: Uuid) -> ApiResult<Item> {
    let found = items::get(db, id).await?;
    user.visible(found, |i| i.unit_id, "item", id)
}

async fn period_named_in_body(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<Period> {
    periods::get(db, id)
        .await?
        .ok_or_else(|| ApiError::field("period_id", "unknown", "no period has this id"))
}

/// Who may save, which form, and what is wrong with the content. Fails with the answer the
/// request gets when the caller may not (403, 404) or the target does not exist.
#[tracing::instrument(skip_all)]
pub async fn plan(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    target: Target,
    content: SubmissionContent,
) -> ApiResult<Plan> {
    let (period, item, current) = match target {
        Target::New { period_id, item_id } => {
            user.require(&[Role::Reporter])?;
            let item = visible_item(db, user, item_id).await?;
            (period_named_in_body(db, period_id).await?, item, None)
        }
        Target::Existing(id) => {
            let current = visible(db, user, id).await?;
            user.require(&[Role::Reporter])?;
            let period = periods::get(db, current.period_id)
                .await?
                .ok_or_else(|| ApiError::not_found("period"))?;
            let item = items::get(db, current.item_id)
                .await?
                .ok_or_else(|| ApiError::not_found("item"))?;
            (period, item, Some(current))
        }
        Target::ForItem { period_id, item_id } => {
            user.require(&[Role::Reporter])?;
            let item = visible_item(db, user, item_id).await?;
            let period = period_named_in_body(db, period_id).await?;
            let current = repo::of_item_in_period(db, period.id, item.id).await?;
            (period, item, current)
        }
    };
    let indicators = indicators::of_item(db, item.id).await?;
    let plan = Plan {
        figures: submission::compute(&item, &indicators, &period, &content, false),
        period,
        item,
        indicators,
        current,
        content: SubmissionContent::default(),
        violations: vec![],
    };
    Ok(plan.with_content(content))
}

impl Plan {
    /// The same save with other content: its figures and broken rules.
    pub fn with_content(self, content: SubmissionContent) -> Plan {
        let mut v = Violations::new();
        if self.current.is_none() && self.item.year != self.period.year {
            v.add(
                "item_id",
                "wrong_year",
                format!(
                    "the item is for {}, the period for {}",
                    self.item.year, self.period.year
                ),
            );
        }
        submission::check_content(&mut v, &content, &self.indicators, &self.period);
        let figures =
            submission::compute(&self.item, &self.indicators, &self.period, &content, false);
        Plan {
            content,
            figures,
            violations: v.0,
            ..self
        }
    }

    /// Why the form cannot take new content now (409), whatever the content: an existing form
    /// that is no longer editable, or a period that is not open.
    pub fn blocker(&self) -> Option<ApiError> {
        if let Some(c) = &self.current {
            if !c.status.is_editable() {
                return Some(ApiError::conflict(format!(
                    "a {} form cannot be edited",
                    c.status
                )));
            }
        }
        if !self.period.status.accepts_submissions() {
            return Some(ApiError::conflict(format!(
                "the period is {}, not open",
                self.period.status
            )));
        }
        None
    }

    /// The form as it would stand after the save (for a new one, without an id yet).
    pub fn preview(&self) -> Submission {
        match &self.current {
            Some(c) => Submission {
                content: self.content.clone(),
                figures: self.figures.clone(),
                ..c.clone()
            },
            None => repo::new_draft(self.new_submission()),
        }
    }

    fn new_submission(&self) -> NewSubmission {
        NewSubmission {
            period_id: self.period.id,
            item_id: self.item.id,
            unit_id: self.item.unit_id,
            form: self.item.kind.form(),
            content: self.content.clone(),
            figures: self.figures.clone(),
        }
    }
}

/// Writes a planned save with its audit event, in the caller's transaction: 422 for broken
/// rules, then for an existing form `precondition` on its version (the `If-Match` check), then
/// 409 when the form or the period does not take content.
#[tracing::instrument(skip_all)]
pub async fn save(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    origin: &Origin,
    plan: Plan,
    precondition: impl FnOnce(i32) -> ApiResult<()>,
) -> ApiResult<Saved> {
    if !plan.violations.is_empty() {
        return Err(ApiError::validation(plan.violations));
    }
    if let Some(current) = &plan.current {
        precondition(current.version)?;
    }
    if let Some(e) = plan.blocker() {
        return Err(e);
    }
    let Some(current) = plan.current.clone() else {
        let created: SubmissionResponse = repo::insert(db, plan.new_submission())
            .await
            .map_err(|e| {
                if persistence::is_unique_violation(&e) {
                    ApiError::conflict("this item already has a form in this period")
                } else {
                    e.into()
                }
            })?
            .into();
        let after = serde_json::to_value(&created).ok();
        let entry = Entry::success("submission.create", "submission", created.id, None, after);
        audit::record(db, &user.actor(), origin, entry).await?;
        return Ok(Saved {
            created: true,
            form: created,
        });
    };
    let updated = repo::update_content(
        db,
        current.id,
        current.version,
        &plan.content,
        &plan.figures,
    );
    if !updated.await? {
        return Err(ApiError::stale());
    }
    let before = serde_json::to_value(SubmissionResponse::from(current.clone())).ok();
    let form: SubmissionResponse = visible(db, user, current.id).await?.into();
    let after = serde_json::to_value(&form).ok();
    let entry = Entry::success("submission.update", "submission", current.id, before, after);
    audit::record(db, &user.actor(), origin, entry).await?;
    Ok(Saved {
        created: false,
        form,
    })
}
