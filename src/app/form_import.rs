//! Importing a filled form template (`POST /submissions/import`): the workbook is matched to
//! its item and period (by the ids of its hidden sheet, else by the names on its 补充信息
//! sheet), its cells are read into a form's content, and the save is planned by the same use
//! case as the JSON API's, whose every broken rule is put back at its cell.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::pipeline::Change;
use super::precondition::IfMatch;
use super::submissions::{self as forms, Plan, Target};
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::submission::{self, Submission, SubmissionContent};
use crate::domain::FieldError;
use crate::error::{ApiError, ApiResult};
use crate::persistence::{items, periods, units};
use crate::report::form::import::Workbook;
use crate::report::form::template::{self, Template};
use crate::report::form::{read, supplement};

/// A planned import and every problem of its workbook, located at its cell where it has one.
pub struct Import {
    pub plan: Plan,
    pub problems: Vec<FieldError>,
}

/// A name on the 补充信息 sheet that matches nothing (422, located at its cell).
fn unmatched(field: &str, row: u32, message: String) -> ApiError {
    let cell = rust_xlsxwriter::utility::row_col_to_cell(row, 1);
    ApiError::validation(vec![
        FieldError::new(field, "unknown", message).at(supplement::SHEET, &cell)
    ])
}

/// The period and item the workbook is for: its hidden ids, else the names it shows.
async fn matched(db: &impl ConnectionTrait, wb: &Workbook) -> ApiResult<(Uuid, Uuid)> {
    let period_id = match wb.ids.period_id {
        Some(id) => id,
        None => {
            let name = wb.names.period.clone().unwrap_or_default();
            match periods::named(db, &name).await?.as_slice() {
                [p] => p.id,
                [] => {
                    let m = format!("no period is named \"{name}\"");
                    return Err(unmatched("period_id", supplement::PERIOD_ROW, m));
                }
                _ => {
                    let m = format!("several periods are named \"{name}\"");
                    return Err(unmatched("period_id", supplement::PERIOD_ROW, m));
                }
            }
        }
    };
    if let Some(item) = wb.ids.item_id {
        return Ok((period_id, item));
    }
    let code = wb.names.unit_code.clone().unwrap_or_default();
    let Some(unit) = units::by_code(db, &code).await? else {
        let m = format!("no unit has the code \"{code}\"");
        return Err(unmatched("unit_code", supplement::UNIT_CODE_ROW, m));
    };
    let year = periods::get(db, period_id)
        .await?
        .map(|p| p.year)
        .unwrap_or_default();
    let name = wb.names.item.clone().unwrap_or_default();
    match items::named(db, unit.id, year, &name).await?.as_slice() {
        [item] => Ok((period_id, item.id)),
        found => {
            let m = if found.is_empty() {
                format!("the unit {code} has no {year} item named \"{name}\"")
            } else {
                format!("the unit {code} has several {year} items named \"{name}\"")
            };
            Err(unmatched("item_id", supplement::ITEM_NAME_ROW, m))
        }
    }
}

/// Matches, reads and plans an import; fails only with what the request gets whatever the
/// cells say (403, 404, an item or period that cannot be matched).
#[tracing::instrument(skip_all)]
pub async fn prepare(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    wb: &Workbook,
) -> ApiResult<Import> {
    user.require(&[Role::Reporter])?;
    let (period_id, item_id) = matched(db, wb).await?;
    let target = Target::ForItem { period_id, item_id };
    // Who may, and whether both exist, before the workbook is read.
    let basis = forms::basis(db, user, target).await?;
    let cells = match &wb.map {
        Some(cells) => cells.clone(),
        // The hidden sheet is gone: the fields are where a template for the item puts them.
        None => {
            let unit = units::get(db, basis.item.unit_id)
                .await?
                .ok_or_else(|| ApiError::not_found("unit"))?;
            let content = SubmissionContent::default();
            let (item, period) = (&basis.item, &basis.period);
            let inds = &basis.indicators;
            let figures = submission::compute(item, inds, period, &content, false);
            template::cells(&Template {
                unit: &unit,
                item,
                indicators: inds,
                period,
                content: &content,
                figures: &figures,
                existing: None,
            })
            .map_err(|e| ApiError::Internal(e.to_string()))?
        }
    };
    let read = read::read(wb, &cells, &basis.indicators);
    let plan = basis.plan(read.content);
    let mut problems = read.problems;
    problems.extend(
        plan.violations
            .iter()
            .cloned()
            .map(|e| read.places.locate(e)),
    );
    Ok(Import { plan, problems })
}

/// Writes a prepared import (`dry_run=false`) by the same save as the JSON API's: 422 with every
/// problem at its cell, else a new form or the existing one updated against `if_match`.
#[tracing::instrument(skip_all)]
pub async fn write(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    import: Import,
    if_match: &IfMatch,
    now: DateTime<Utc>,
) -> ApiResult<Change<Submission>> {
    if !import.problems.is_empty() {
        return Err(ApiError::validation(import.problems));
    }
    forms::save(db, user, import.plan, if_match, now).await
}
