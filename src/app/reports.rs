//! Reading a period's monitoring report: the frozen one once published, else built now, limited
//! to what the caller may see and to the item rows asked for.

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::{ConnectionTrait, StreamTrait};
use uuid::Uuid;

use super::access::period as get_period_or_404;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::item::ItemKind;
use crate::domain::monitoring::Light;
use crate::domain::period::Period;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::persistence::reports::{self as repo, PublishedReport};
use crate::report::{self, ItemSort, Report};

/// Which item rows a report shows, and in which order.
#[derive(Debug, Default, Clone, Copy)]
pub struct RowFilter {
    pub unit_id: Option<Uuid>,
    pub kind: Option<ItemKind>,
    pub warning: Option<Light>,
    pub sort: Option<ItemSort>,
}

impl RowFilter {
    fn is_set(&self) -> bool {
        self.unit_id.is_some()
            || self.kind.is_some()
            || self.warning.is_some()
            || self.sort.is_some()
    }
}

/// A report read: the renderings frozen at publication, answered as stored, or a report to
/// render now.
pub enum ReportRead {
    Frozen(PublishedReport),
    Report(Box<Report>),
}

/// The Word report is the whole period's, for finance, viewers and admins only.
fn check_whole_period(user: &CurrentUser, rows: &RowFilter) -> ApiResult<()> {
    user.require(&[Role::Finance, Role::Viewer, Role::Admin])?;
    if rows.is_set() {
        // Its counts, lists and tables tell one story about the whole period.
        return Err(ApiError::new(
            ErrorCode::InvalidQueryParameter,
            "the Word report covers the whole period: unit_id, kind, warning and sort apply \
             to the JSON, CSV and XLSX formats only",
        ));
    }
    Ok(())
}

/// A period and its report as `user` may read it: `whole_period` for the Word document, which takes
/// no row filter. The caller holds [`report::turn`] while it builds and renders.
pub async fn read(
    db: &(impl ConnectionTrait + StreamTrait),
    user: &CurrentUser,
    period_id: Uuid,
    rows: RowFilter,
    whole_period: bool,
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> ApiResult<(Period, ReportRead)> {
    if whole_period {
        check_whole_period(user, &rows)?;
    }
    let p = get_period_or_404(db, period_id).await?;
    let scope = user.unit_scope();
    let mut r = match repo::get(db, p.id).await? {
        Some(frozen) if scope.is_none() && !rows.is_set() => {
            return Ok((p, ReportRead::Frozen(frozen)))
        }
        Some(frozen) => restricted(&frozen, scope, &p)?,
        None => report_now(db, &p, scope, now, offset).await?,
    };
    report::select_items(&mut r, rows.unit_id, rows.kind, rows.warning, rows.sort);
    Ok((p, ReportRead::Report(Box::new(r))))
}

/// The frozen report, as one unit's reporter may read it.
fn restricted(frozen: &PublishedReport, scope: Option<Uuid>, p: &Period) -> ApiResult<Report> {
    let r = thawed(frozen)?;
    Ok(match scope {
        Some(u) => report::restrict_to_unit(r, u, p),
        None => r,
    })
}

/// The frozen JSON back as a report.
pub fn thawed(frozen: &PublishedReport) -> ApiResult<Report> {
    serde_json::from_str(&frozen.json).map_err(|e| ApiError::Internal(e.to_string()))
}

/// The report of a period built now, on the day `now` is in the federation's time zone.
pub async fn report_now(
    db: &(impl ConnectionTrait + StreamTrait),
    p: &Period,
    unit: Option<Uuid>,
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> ApiResult<Report> {
    let today = now.with_timezone(&offset).date_naive();
    Ok(report::build(db, p, unit, today, now, offset).await?)
}
