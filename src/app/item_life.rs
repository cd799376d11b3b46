//! An item over time: its history, its copy into a later year, and the whole life of a
//! multi-year project (全周期跟踪问效, Art. 9).

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::access;
use super::items::DUPLICATE_OVERALL;
use super::pipeline::Change;
use crate::auth::CurrentUser;
use crate::domain::item::{self, HistoryEntry, Item, ItemKind};
use crate::domain::Violations;
use crate::error::{ApiError, ApiResult};
use crate::persistence::indicators::{self, IndicatorFields};
use crate::persistence::items::{self, ItemFields};
use crate::persistence::submissions::Submission;
use crate::persistence::{history, periods, submissions};

/// Every change to an item the caller sees, oldest first.
pub async fn history(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<Vec<HistoryEntry>> {
    let item = access::visible_item(db, user, id).await?;
    Ok(history::of_item(db, item.id).await?)
}

/// Copies an item and its indicators (structure and targets, not values or forms) into a
/// later year; see [`item::copy_fields`] for what is linked.
#[tracing::instrument(skip_all)]
pub async fn copy(db: &impl ConnectionTrait, source: &Item, year: i32) -> ApiResult<Change<Item>> {
    let mut v = Violations::new();
    item::check_copy(&mut v, source, year);
    v.finish(|| ())?;
    let links = item::copy_fields(source, year);
    let fields = ItemFields {
        unit_id: source.unit_id,
        year: links.year,
        kind: source.kind,
        name: source.name.clone(),
        budget: source.budget,
        annual_goal: source.annual_goal.clone(),
        start_year: source.start_year,
        end_year: source.end_year,
        previous_item_id: links.previous_item_id,
        funding_source: source.funding_source,
        parent_id: links.parent_id,
    };
    let copy = items::insert_copy(db, fields)
        .await
        .map_err(ApiError::unique(DUPLICATE_OVERALL))?;
    for ind in indicators::of_item(db, source.id).await? {
        let fields = IndicatorFields {
            level1: ind.level1,
            level2: ind.level2,
            name: ind.name,
            measure_unit: ind.measure_unit,
            direction: ind.direction,
            target: ind.target,
            prorate: ind.prorate,
            weight: ind.weight,
        };
        indicators::insert(db, copy.id, fields).await?;
    }
    Ok(Change::created("item.copy", "item", copy.id, copy))
}

/// One year of a project's life: the item, and its latest form (by the period's as-of date).
#[derive(Debug, Clone)]
pub struct YearOfLife {
    pub item: Item,
    pub form: Option<Submission>,
}

/// Every year of the project's life the item `id` belongs to, oldest first, however many.
#[tracing::instrument(skip_all)]
pub async fn lifecycle(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<Vec<YearOfLife>> {
    let start = access::visible_item(db, user, id).await?;
    let chain = if start.kind == ItemKind::Project {
        let projects = items::projects_of_unit(db, start.unit_id).await?;
        item::project_chain(&projects, &start)
    } else {
        vec![start]
    };
    let mut as_of = HashMap::new();
    let mut years = Vec::with_capacity(chain.len());
    for it in chain {
        let mut latest: Option<(Option<chrono::NaiveDate>, Submission)> = None;
        for f in submissions::of_item(db, it.id).await? {
            let d = match as_of.get(&f.period_id) {
                Some(d) => *d,
                None => {
                    let d = periods::get(db, f.period_id).await?.map(|p| p.as_of);
                    as_of.insert(f.period_id, d);
                    d
                }
            };
            if latest.as_ref().is_none_or(|(l, _)| d > *l) {
                latest = Some((d, f));
            }
        }
        years.push(YearOfLife {
            item: it,
            form: latest.map(|(_, f)| f),
        });
    }
    Ok(years)
}
