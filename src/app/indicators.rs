//! The indicators of an item: added, redefined and deleted by whoever writes the item, until a
//! form reports on them.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::access;
use super::items::locked;
use super::pipeline::Change;
use super::precondition::IfMatch;
use crate::auth::CurrentUser;
use crate::domain::indicator::{self, Indicator, Level1, Level2};
use crate::domain::item::Item;
use crate::domain::monitoring::Direction;
use crate::domain::{FieldError, Violations};
use crate::error::{ApiError, ApiResult};
use crate::persistence::history;
use crate::persistence::indicators::{self as repo, IndicatorFields};
use crate::persistence::{items, submissions};

/// An indicator's definition as a client sends it, not yet checked.
#[derive(Debug, Clone)]
pub struct IndicatorInput {
    pub level1: Level1,
    pub level2: Level2,
    pub name: String,
    pub measure_unit: String,
    pub direction: Direction,
    pub target: String,
    pub prorate: bool,
    pub weight: Option<String>,
}

/// Checks a definition; the canonical fields, or every violation.
pub fn check(input: &IndicatorInput) -> Result<IndicatorFields, Vec<FieldError>> {
    let mut v = Violations::new();
    let (name, unit, target, weight) = indicator::check(
        &mut v,
        input.level1,
        input.level2,
        &input.name,
        &input.measure_unit,
        input.direction,
        &input.target,
        input.weight.as_deref(),
    );
    indicator::check_prorate(&mut v, input.prorate, input.direction);
    v.finish(|| IndicatorFields {
        level1: input.level1,
        level2: input.level2,
        name: name.unwrap_or_default(),
        measure_unit: unit.unwrap_or_default(),
        direction: input.direction,
        target: target.unwrap_or_default(),
        prorate: input.prorate,
        weight: weight.flatten(),
    })
}

/// The indicator `id` of the item `item_id` if the caller sees the item; 404 otherwise.
pub async fn visible(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    item_id: Uuid,
    id: Uuid,
) -> ApiResult<Indicator> {
    let item = access::visible_item(db, user, item_id).await?;
    repo::get(db, id)
        .await?
        .filter(|i| i.item_id == item.id)
        .ok_or_else(|| ApiError::not_found("indicator"))
}

/// The indicator if the caller sees it and may write its item (404, then 403).
pub async fn writable(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    item_id: Uuid,
    id: Uuid,
) -> ApiResult<Indicator> {
    let found = visible(db, user, item_id, id).await?;
    access::require_item_writer(user)?;
    Ok(found)
}

/// The indicators of an item the caller sees, in form order.
pub async fn of_item(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    item_id: Uuid,
) -> ApiResult<Vec<Indicator>> {
    let item = access::visible_item(db, user, item_id).await?;
    Ok(repo::of_item(db, item.id).await?)
}

/// A new indicator at the end of the item's form.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &impl ConnectionTrait,
    item: &Item,
    input: IndicatorInput,
) -> ApiResult<Change<Indicator>> {
    let fields = check(&input)?;
    let created = repo::insert(db, item.id, fields).await?;
    Ok(Change::created(
        "indicator.create",
        "indicator",
        created.id,
        created,
    ))
}

/// Redefines an indicator made against the version `if_match` names; its meaning is locked
/// once a submitted form reports on it (409 `locked`).
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    current: Indicator,
    if_match: &IfMatch,
    input: IndicatorInput,
) -> ApiResult<Change<Indicator>> {
    let fields = check(&input)?;
    if_match.check(current.version)?;
    let meaning =
        indicator::changes_meaning(&current, fields.direction, &fields.target, fields.prorate);
    if meaning {
        // Whether a form reports on it is read once every form's step that read the item is
        // done (they lock the item's row).
        items::lock_for_edit(db, current.item_id).await?;
    }
    let filed = meaning && submissions::indicator_has_filed_value(db, current.id).await?;
    indicator::edit_allowed(meaning, filed).map_err(locked)?;
    let new_target = fields.target.clone();
    if !repo::update(db, current.id, current.version, fields).await? {
        return Err(IfMatch::stale());
    }
    let change = history::Change {
        item_id: current.item_id,
        field: "target",
        indicator_id: Some(current.id),
        before: Some(current.target.clone()),
        after: Some(new_target),
        cause_type: "edit",
        cause_id: None,
        actor_id: user.id,
        actor_username: &user.username,
    };
    history::record(db, change).await?;
    let after = visible(db, user, current.item_id, current.id).await?;
    Ok(Change::updated("indicator.update", "indicator", current.id, current, after).edit())
}

/// Deletes an indicator no form reports on (409 `locked` otherwise). The change's `after` is
/// `None`: nothing is left.
#[tracing::instrument(skip_all)]
pub async fn delete(
    db: &impl ConnectionTrait,
    current: Indicator,
) -> ApiResult<Change<Option<Indicator>>> {
    let reported = submissions::indicator_has_any_value(db, current.id).await?;
    indicator::delete_allowed(reported).map_err(locked)?;
    repo::delete(db, current.id).await?;
    let id = current.id;
    Ok(Change::updated(
        "indicator.delete",
        "indicator",
        id,
        Some(current),
        None,
    ))
}
