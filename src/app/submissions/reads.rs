//! The forms as printable workbooks: one form in its official layout, and an item's template
//! to fill in offline.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::visible;
use crate::app::access;
use crate::auth::CurrentUser;
use crate::domain::submission::{self, SubmissionContent};
use crate::error::{ApiError, ApiResult};
use crate::persistence::{indicators, items, periods, submissions, units};
use crate::report::form::template::{self, Template};

/// A workbook and the file name it is offered under.
pub struct Download {
    pub body: Vec<u8>,
    pub filename: String,
}

/// The form in its official layout (attachment 1, 2 or 3), if the caller may see it.
#[tracing::instrument(skip_all)]
pub async fn printed_form(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<Download> {
    let s = visible(db, user, id).await?;
    let item = items::get(db, s.item_id)
        .await?
        .ok_or_else(|| ApiError::not_found("item"))?;
    let unit = units::get(db, s.unit_id)
        .await?
        .ok_or_else(|| ApiError::not_found("unit"))?;
    let inds = indicators::of_item(db, s.item_id).await?;
    let body = crate::report::form::xlsx(&unit, &item, &inds, &s.content, &s.figures)
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let filename = format!("form{}-{}.xlsx", s.form, s.id);
    Ok(Download { body, filename })
}

/// The form template of an item for a period, pre-filled with its form's values if it has one:
/// 404 for an item the caller may not see, 422 for an unknown period or one of another year.
#[tracing::instrument(skip_all)]
pub async fn form_template(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    item_id: Uuid,
    period_id: Uuid,
) -> ApiResult<Download> {
    let item = access::visible_item(db, user, item_id).await?;
    let period = periods::get(db, period_id)
        .await?
        .ok_or_else(|| ApiError::field("period_id", "unknown", "no period has this id"))?;
    if period.year != item.year {
        let m = format!(
            "the item is for {}, the period for {}",
            item.year, period.year
        );
        return Err(ApiError::field("period_id", "wrong_year", m));
    }
    let unit = units::get(db, item.unit_id)
        .await?
        .ok_or_else(|| ApiError::not_found("unit"))?;
    let inds = indicators::of_item(db, item.id).await?;
    let form = submissions::of_item_in_period(db, period.id, item.id).await?;
    let (content, figures, existing) = match form {
        Some(s) => (s.content, s.figures, Some((s.id, s.version))),
        None => {
            let c = SubmissionContent::default();
            let f = submission::compute(&item, &inds, &period, &c, false);
            (c, f, None)
        }
    };
    let t = Template {
        unit: &unit,
        item: &item,
        indicators: &inds,
        period: &period,
        content: &content,
        figures: &figures,
        existing,
    };
    let body = template::xlsx(&t).map_err(|e| ApiError::Internal(e.to_string()))?;
    let filename = format!("form{}-{}-template.xlsx", item.kind.form(), item.id);
    Ok(Download { body, filename })
}
