//! The review of a form (DESIGN §3): the unit submits it, finance returns or accepts it. Each
//! step keeps a version of the form; the status machine is the domain's
//! ([`SubmissionStatus`]), a refused step is 409 `invalid_transition`.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;
use uuid::Uuid;

use super::visible;
use crate::app::access;
use crate::app::pipeline::Change;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::indicator::Indicator;
use crate::domain::item::Item;
use crate::domain::period::{self, Period};
use crate::domain::submission::{self, Submission};
use crate::domain::workflow::{PeriodStatus, SubmissionStatus, TransitionError};
use crate::domain::Violations;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::persistence::submissions as repo;
use crate::persistence::{items, periods};

/// Who may take a step on the form: `role`, and the form visible to them (another unit's is 404).
pub async fn authorize_step(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
    role: Role,
) -> ApiResult<Submission> {
    let current = visible(db, user, id).await?;
    user.require(&[role])?;
    Ok(current)
}

/// The reason finance gives for returning a form: 1–2000 characters (422 otherwise).
pub fn return_reason(reason: &str) -> ApiResult<String> {
    let mut v = Violations::new();
    let reason = crate::domain::validation::text(&mut v, "reason", reason, 2000);
    v.finish(|| ())?;
    Ok(reason.unwrap_or_default())
}

/// The form handed in at `at`, not yet written: 409 `invalid_transition` in a status that cannot
/// be submitted, 409 `period_not_open`, else judged late or not against the unit's `deadline`
/// and 422 while anything required is missing.
pub fn submitted(
    current: &Submission,
    item: &Item,
    indicators: &[Indicator],
    period: &Period,
    deadline: NaiveDate,
    at: DateTime<Utc>,
    offset: FixedOffset,
) -> ApiResult<Submission> {
    let to = current.status.submit()?;
    if !period.status.accepts_submissions() {
        let m = format!("the period is {}, not open", period.status);
        return Err(ApiError::new(ErrorCode::PeriodNotOpen, m));
    }
    // Judged at the first submission (DESIGN §5): a returned form handed in again keeps its
    // first time, and with it whether it was late.
    let first = current.submitted_at.unwrap_or(at);
    let late = period::is_late(first, deadline, offset);
    let figures = submission::compute(item, indicators, period, &current.content, late);
    let mut v = Violations::new();
    submission::check_complete(&mut v, &current.content, indicators, &figures);
    v.finish(|| ())?;
    Ok(Submission {
        status: to,
        figures,
        submitted_at: Some(first),
        version: current.version + 1,
        updated_at: at,
        ..current.clone()
    })
}

/// The form after finance's step `next` (return or accept) at `at`, not yet written: 409
/// `invalid_transition` unless it is submitted, 409 `locked` once the period is published.
pub fn decided(
    current: &Submission,
    next: fn(SubmissionStatus) -> Result<SubmissionStatus, TransitionError>,
    period: &Period,
    at: DateTime<Utc>,
) -> ApiResult<Submission> {
    let to = next(current.status)?;
    if period.status == PeriodStatus::Published {
        return Err(ApiError::new(ErrorCode::Locked, "the period is published"));
    }
    Ok(Submission {
        status: to,
        version: current.version + 1,
        updated_at: at,
        ..current.clone()
    })
}

/// Writes a step: the new status and figures (if the form is still at its version), the kept
/// version, and the change as the audit trail records it (the statuses and the reason).
async fn record(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    current: Submission,
    after: Submission,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<Change<Submission>> {
    let submitted_at = (after.status == SubmissionStatus::Submitted)
        .then_some(after.submitted_at)
        .flatten();
    let kept = repo::NewVersion::next(&after, reason.clone(), (user.id, &user.username), now);
    let moved = repo::step(
        db,
        current.id,
        current.version,
        after.status,
        &after.figures,
        submitted_at,
        now,
        kept,
    );
    if !moved.await? {
        return Err(ApiError::moved_meanwhile());
    }
    let action = match after.status {
        SubmissionStatus::Submitted => "submission.submit",
        SubmissionStatus::Accepted => "submission.accept",
        SubmissionStatus::Returned => "submission.return",
        SubmissionStatus::Draft => "submission.update",
    };
    let before = json!({"status": current.status});
    let audited = json!({"status": after.status, "reason": reason});
    let id = current.id;
    Ok(Change::updated(action, "submission", id, current, after)
        .audited_as(Some(before), Some(audited)))
}

/// The unit hands the form in at `now` (late after its deadline, with any extension, in the
/// federation's `offset`).
#[tracing::instrument(skip_all)]
pub async fn submit(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    current: Submission,
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> ApiResult<Change<Submission>> {
    let (p, deadline) = periods::with_deadline_for(db, current.period_id, current.unit_id)
        .await?
        .ok_or_else(|| ApiError::not_found("period"))?;
    current.status.submit()?;
    // The period and the item stay as read until the step commits: a budget or target edit,
    // or a step of the period, waits for it (and then sees the form submitted).
    let (item, inds) = items::with_indicators_kept(db, current.item_id)
        .await?
        .ok_or_else(|| ApiError::not_found("item"))?;
    let after = submitted(&current, &item, &inds, &p, deadline, now, offset)?;
    record(db, user, current, after, None, now).await
}

async fn decide(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    current: Submission,
    next: fn(SubmissionStatus) -> Result<SubmissionStatus, TransitionError>,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> ApiResult<Change<Submission>> {
    // Shared with the period's other forms' steps: publishing waits for this one, or this one
    // sees the period published.
    let p = access::period_locked(db, current.period_id, false).await?;
    let after = decided(&current, next, &p, now)?;
    record(db, user, current, after, reason, now).await
}

/// Finance returns the submitted form to its unit with a reason.
#[tracing::instrument(skip_all)]
pub async fn return_(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    current: Submission,
    reason: String,
    now: DateTime<Utc>,
) -> ApiResult<Change<Submission>> {
    let next = SubmissionStatus::return_;
    decide(db, user, current, next, Some(reason), now).await
}

/// Finance accepts the submitted form; it is immutable from then on.
#[tracing::instrument(skip_all)]
pub async fn accept(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    current: Submission,
    now: DateTime<Utc>,
) -> ApiResult<Change<Submission>> {
    decide(db, user, current, SubmissionStatus::accept, None, now).await
}
