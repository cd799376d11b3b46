//! Creating and running monitoring periods (finance): create and edit a draft, open, close,
//! reopen and publish it (freezing its report), and grant a unit a later deadline.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, StreamTrait};
use uuid::Uuid;

use super::access;
use super::pipeline::Change;
use super::precondition::IfMatch;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::monitoring::{GradeValues, Thresholds};
use crate::domain::period::{self, Extension, Period, PeriodKind, PeriodSettings};
use crate::domain::workflow::{PeriodStatus, TransitionError};
use crate::domain::Violations;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::persistence::periods::{self as repo, PeriodFields};
use crate::persistence::reports::PublishedReport;
use crate::persistence::units;
use crate::report::{self, Report};

const DUPLICATE: &str =
    "there is already a period of this kind for this year (one h1 and one annual per year)";

/// A new period as a client sends it; absent settings take DESIGN §3's defaults.
#[derive(Debug, Clone)]
pub struct PeriodInput {
    pub year: i32,
    pub kind: PeriodKind,
    pub name: Option<String>,
    pub as_of: NaiveDate,
    pub submission_deadline: NaiveDate,
    pub report_deadline: NaiveDate,
    pub thresholds: Option<Thresholds>,
    pub grade_values: Option<GradeValues>,
}

/// Changes to a draft period; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct PeriodChanges {
    pub name: Option<String>,
    pub as_of: Option<NaiveDate>,
    pub submission_deadline: Option<NaiveDate>,
    pub report_deadline: Option<NaiveDate>,
    pub thresholds: Option<Thresholds>,
    pub grade_values: Option<GradeValues>,
}

/// A step of a period's status machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Open a draft, or reopen a closed period.
    Open,
    Close,
    /// Publish a closed period, freezing its report.
    Publish,
}

impl Step {
    /// The audit action of the step.
    pub fn action(self) -> &'static str {
        match self {
            Step::Open => "period.open",
            Step::Close => "period.close",
            Step::Publish => "period.publish",
        }
    }

    fn apply(self, s: PeriodStatus) -> Result<PeriodStatus, TransitionError> {
        match self {
            Step::Open => s.open(),
            Step::Close => s.close(),
            Step::Publish => s.publish(),
        }
    }
}

/// Only finance manages periods.
pub fn authorize(user: &CurrentUser) -> ApiResult<()> {
    user.require(&[Role::Finance])
}

fn check(f: &PeriodFields) -> ApiResult<()> {
    let mut v = Violations::new();
    period::check_dates(
        &mut v,
        f.year,
        f.as_of,
        f.submission_deadline,
        f.report_deadline,
    );
    period::check_settings(&mut v, &f.name, &f.settings);
    Ok(v.finish(|| ())?)
}

/// A new period, in `draft`.
#[tracing::instrument(skip_all)]
pub async fn create(db: &impl ConnectionTrait, input: PeriodInput) -> ApiResult<Change<Period>> {
    let f = PeriodFields {
        year: input.year,
        kind: input.kind,
        name: input
            .name
            .unwrap_or_else(|| period::default_name(input.year, input.kind)),
        as_of: input.as_of,
        submission_deadline: input.submission_deadline,
        report_deadline: input.report_deadline,
        settings: PeriodSettings {
            thresholds: input.thresholds.unwrap_or_default(),
            grade_values: input.grade_values.unwrap_or_default(),
        },
    };
    check(&f)?;
    let p = repo::insert(db, f)
        .await
        .map_err(ApiError::unique(DUPLICATE))?;
    Ok(Change::created("period.create", "period", p.id, p))
}

/// Changes a draft period made against the version `if_match` names. A request that is wrong
/// whatever the version gets 422 before the precondition is judged.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    if_match: &IfMatch,
    c: PeriodChanges,
) -> ApiResult<Change<Period>> {
    let current = access::period(db, id).await?;
    let f = PeriodFields {
        year: current.year,
        kind: current.kind,
        name: c.name.unwrap_or_else(|| current.name.clone()),
        as_of: c.as_of.unwrap_or(current.as_of),
        submission_deadline: c.submission_deadline.unwrap_or(current.submission_deadline),
        report_deadline: c.report_deadline.unwrap_or(current.report_deadline),
        settings: PeriodSettings {
            thresholds: c.thresholds.unwrap_or(current.thresholds),
            grade_values: c.grade_values.unwrap_or(current.grade_values),
        },
    };
    check(&f)?;
    if_match.check(current.version)?;
    if !current.is_editable() {
        return Err(ApiError::new(
            ErrorCode::Locked,
            format!("a {} period cannot be edited", current.status),
        ));
    }
    if !repo::update(db, current.id, current.version, f)
        .await
        .map_err(ApiError::unique(DUPLICATE))?
    {
        return Err(IfMatch::stale());
    }
    let after = access::period(db, current.id).await?;
    Ok(Change::updated("period.update", "period", id, current, after).edit())
}

/// Takes one step of the period's status machine; publishing freezes the report as it stands,
/// in every format. Audited as the status before and after.
#[tracing::instrument(skip_all, fields(step = ?step))]
pub async fn step(
    db: &(impl ConnectionTrait + StreamTrait),
    user: &CurrentUser,
    id: Uuid,
    step: Step,
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> ApiResult<Change<Period>> {
    // Locked first: the forms' steps under way finish before (publishing freezes them), later
    // ones wait and see the new status.
    let current = access::period_locked(db, id, true).await?;
    let next = step.apply(current.status)?;
    repo::set_status(db, id, next).await?;
    if next == PeriodStatus::Published {
        let mut published = current.clone();
        published.status = next;
        let _turn = report::turn().await;
        let r = super::reports::report_now(db, &published, None, now, offset).await?;
        crate::persistence::reports::insert(db, freeze(r, user.id)?).await?;
    }
    let after = access::period(db, id).await?;
    let audit = (
        Some(serde_json::json!({"status": current.status})),
        Some(serde_json::json!({"status": next})),
    );
    Ok(Change::updated(step.action(), "period", id, current, after).audited_as(audit.0, audit.1))
}

/// Grants one unit a later deadline (a new extension), or moves the one it has. Audited with
/// the earlier date.
#[tracing::instrument(skip_all)]
pub async fn grant_extension(
    db: &impl ConnectionTrait,
    period_id: Uuid,
    unit_id: Uuid,
    until: NaiveDate,
) -> ApiResult<Change<Extension>> {
    let p = access::period(db, period_id).await?;
    let mut v = Violations::new();
    if units::get(db, unit_id).await?.is_none() {
        v.add("unit_id", "unknown", "no unit has this id");
    }
    period::check_extension(&mut v, until, p.submission_deadline, p.report_deadline);
    v.finish(|| ())?;
    if !p.takes_extensions() {
        return Err(ApiError::new(
            ErrorCode::Locked,
            "a published period cannot change",
        ));
    }
    let earlier = repo::extensions(db, p.id, Some(unit_id)).await?;
    let before = earlier
        .first()
        .map(|e| serde_json::json!({"until": e.until}));
    let e = repo::upsert_extension(db, p.id, unit_id, until).await?;
    let after = serde_json::to_value(&e).ok();
    // A new extension (201), or the unit's one moved (200).
    let change = match earlier.into_iter().next() {
        Some(moved) => Change::updated("period.extension", "period", p.id, moved, e),
        None => Change::created("period.extension", "period", p.id, e),
    };
    Ok(change.audited_as(before, after))
}

/// The deadline extensions of a period the caller may see (a reporter: its own unit's).
pub async fn extensions(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    period_id: Uuid,
) -> ApiResult<Vec<Extension>> {
    let p = access::period(db, period_id).await?;
    Ok(repo::extensions(db, p.id, user.unit_scope()).await?)
}

/// The frozen renderings of a report at publication.
pub fn freeze(mut r: Report, by: Uuid) -> ApiResult<PublishedReport> {
    let internal = |e: &dyn std::fmt::Display| ApiError::Internal(e.to_string());
    r.published = true;
    let json = serde_json::to_string(&r).map_err(|e| internal(&e))?;
    Ok(PublishedReport {
        period_id: r.period.id,
        csv: report::render::csv(&r).map_err(|e| internal(&e))?,
        xlsx: report::render::xlsx(&r).map_err(|e| internal(&e))?,
        docx: Some(report::docx::docx(&r).map_err(|e| internal(&e))?),
        json,
        published_at: r.generated_at,
        published_by: by,
    })
}
