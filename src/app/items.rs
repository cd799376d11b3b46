//! Creating and changing monitored items: a reporter on its own unit's, finance on any; finance
//! alone designates key monitoring (Art. 10).

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::access;
use super::pipeline::Change;
use super::precondition::IfMatch;
use crate::auth::CurrentUser;
use crate::domain::item::{self, FundingSource, Item, ItemKind, NewItemUnit};
use crate::domain::{FundSplit, Violations};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::persistence::history;
use crate::persistence::items::{self as repo, ItemFields};
use crate::persistence::{submissions, units};

/// One overall item per unit and year.
pub const DUPLICATE_OVERALL: &str = "the unit already has an overall item for this year";

/// A new item as a client sends it, not yet checked.
#[derive(Debug, Clone)]
pub struct ItemInput {
    /// A reporter may leave it out (its own unit is used).
    pub unit_id: Option<Uuid>,
    pub year: i32,
    pub kind: ItemKind,
    pub name: String,
    pub budget: FundSplit,
    pub annual_goal: String,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub previous_item_id: Option<Uuid>,
    pub funding_source: Option<FundingSource>,
    pub parent_id: Option<Uuid>,
}

/// Changes to an item; `None` keeps a field, `Some(None)` removes a link.
#[derive(Debug, Clone, Default)]
pub struct ItemChanges {
    pub name: Option<String>,
    pub budget: Option<FundSplit>,
    pub annual_goal: Option<String>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub funding_source: Option<FundingSource>,
    pub parent_id: Option<Option<Uuid>>,
    pub previous_item_id: Option<Option<Uuid>>,
}

/// Reporters (of their own unit) and finance write items.
pub fn authorize(user: &CurrentUser) -> ApiResult<()> {
    access::require_item_writer(user)
}

/// The item `id` if the caller sees it and may write it (404, then 403).
pub async fn writable(db: &impl ConnectionTrait, user: &CurrentUser, id: Uuid) -> ApiResult<Item> {
    let item = access::visible_item(db, user, id).await?;
    authorize(user)?;
    Ok(item)
}

/// The item `id` if the caller sees it and may designate it (finance).
pub async fn designatable(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<Item> {
    let item = access::visible_item(db, user, id).await?;
    if !item::may_designate_key(user.role) {
        user.require(item::KEY_DESIGNATORS)?;
    }
    Ok(item)
}

/// The refusal of a change to what can no longer change.
pub fn locked(e: item::Locked) -> ApiError {
    ApiError::new(ErrorCode::Locked, e.0)
}

/// The item a parent or previous link names, if the caller sees it.
async fn linked(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<Option<Item>> {
    Ok(repo::get(db, id)
        .await?
        .filter(|i| user.sees_unit(i.unit_id)))
}

async fn check_links(
    db: &impl ConnectionTrait,
    v: &mut Violations,
    user: &CurrentUser,
    f: &ItemFields,
    self_id: Option<Uuid>,
) -> ApiResult<()> {
    item::check_shape(
        v,
        &item::Shape {
            kind: f.kind,
            year: f.year,
            start_year: f.start_year,
            end_year: f.end_year,
            funding_source: f.funding_source,
            has_parent: f.parent_id.is_some(),
            has_previous: f.previous_item_id.is_some(),
        },
    );
    if let Some(p) = f.parent_id {
        match linked(db, user, p).await? {
            Some(parent) if item::parent_fits(&parent, f.year, self_id) => {}
            Some(_) => v.add(
                "parent_id",
                "invalid",
                "the parent must be another special fund of the same year",
            ),
            None => v.add("parent_id", "unknown", "no item has this id"),
        }
    }
    if let Some(p) = f.previous_item_id {
        match linked(db, user, p).await? {
            Some(prev) if item::previous_fits(&prev, f.unit_id, f.year) => {}
            Some(_) => v.add(
                "previous_item_id",
                "invalid",
                "must be the same unit's project item of the previous year",
            ),
            None => v.add("previous_item_id", "unknown", "no item has this id"),
        }
    }
    Ok(())
}

async fn owning_unit(
    db: &impl ConnectionTrait,
    v: &mut Violations,
    user: &CurrentUser,
    asked: Option<Uuid>,
) -> ApiResult<Uuid> {
    match item::unit_of_new_item(asked, user.unit_scope()) {
        NewItemUnit::NotOwn => Err(ApiError::not_found("unit")),
        NewItemUnit::Unnamed => {
            v.add("unit_id", "required", "finance must name the unit");
            Ok(Uuid::nil())
        }
        NewItemUnit::Unit(u) => {
            if units::get(db, u).await?.is_none() {
                v.add("unit_id", "unknown", "no unit has this id");
            }
            Ok(u)
        }
    }
}

/// A new item of a unit and year.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    input: ItemInput,
) -> ApiResult<Change<Item>> {
    let mut v = Violations::new();
    let unit_id = owning_unit(db, &mut v, user, input.unit_id).await?;
    let name = item::name(&mut v, &input.name);
    let goal = item::annual_goal(&mut v, &input.annual_goal);
    let fields = ItemFields {
        unit_id,
        year: input.year,
        kind: input.kind,
        name: name.unwrap_or_default(),
        budget: input.budget,
        annual_goal: goal.unwrap_or_default(),
        start_year: input.start_year,
        end_year: input.end_year,
        previous_item_id: input.previous_item_id,
        funding_source: input.funding_source,
        parent_id: input.parent_id,
    };
    check_links(db, &mut v, user, &fields, None).await?;
    v.finish(|| ())?;
    let created = repo::insert(db, fields, false)
        .await
        .map_err(ApiError::unique(DUPLICATE_OVERALL))?;
    Ok(Change::created("item.create", "item", created.id, created))
}

fn merged(v: &mut Violations, current: &Item, c: ItemChanges) -> ItemFields {
    let name = item::name(v, c.name.as_deref().unwrap_or(&current.name));
    let goal = item::annual_goal(v, c.annual_goal.as_deref().unwrap_or(&current.annual_goal));
    ItemFields {
        unit_id: current.unit_id,
        year: current.year,
        kind: current.kind,
        name: name.unwrap_or_default(),
        budget: c.budget.unwrap_or(current.budget),
        annual_goal: goal.unwrap_or_default(),
        start_year: c.start_year.or(current.start_year),
        end_year: c.end_year.or(current.end_year),
        previous_item_id: c.previous_item_id.unwrap_or(current.previous_item_id),
        funding_source: c.funding_source.or(current.funding_source),
        parent_id: c.parent_id.unwrap_or(current.parent_id),
    }
}

/// Changes an item made against the version `if_match` names. The budget is locked once a
/// form for the item was submitted (409 `locked`); a changed budget is recorded in the history.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    current: Item,
    if_match: &IfMatch,
    changes: ItemChanges,
) -> ApiResult<Change<Item>> {
    let mut v = Violations::new();
    let fields = merged(&mut v, &current, changes);
    check_links(db, &mut v, user, &fields, Some(current.id)).await?;
    v.finish(|| ())?;
    if_match.check(current.version)?;
    if fields.budget != current.budget {
        // Whether a form was filed is read once every form's step that read the item is done.
        repo::lock_for_edit(db, current.id).await?;
    }
    let filed =
        fields.budget != current.budget && submissions::any_filed_for_item(db, current.id).await?;
    let budget_changed = item::budget_edit(current.budget, fields.budget, filed).map_err(locked)?;
    let new_budget = fields.budget;
    if !repo::update(db, current.id, current.version, fields).await? {
        return Err(IfMatch::stale());
    }
    if budget_changed {
        let change = history::Change {
            item_id: current.id,
            field: "budget",
            indicator_id: None,
            before: Some(item::budget_text(current.budget)),
            after: Some(item::budget_text(new_budget)),
            cause_type: "edit",
            cause_id: None,
            actor_id: user.id,
            actor_username: &user.username,
        };
        history::record(db, change).await?;
    }
    let after = access::visible_item(db, user, current.id).await?;
    Ok(Change::updated("item.update", "item", current.id, current, after).edit())
}

/// Finance designates an item for key monitoring, or lifts the designation.
#[tracing::instrument(skip_all)]
pub async fn set_key_monitoring(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    current: Item,
    key_monitored: bool,
) -> ApiResult<Change<Item>> {
    repo::set_key_monitored(db, current.id, key_monitored).await?;
    let change = history::Change {
        item_id: current.id,
        field: "key_monitored",
        indicator_id: None,
        before: Some(current.key_monitored.to_string()),
        after: Some(key_monitored.to_string()),
        cause_type: "key_designation",
        cause_id: None,
        actor_id: user.id,
        actor_username: &user.username,
    };
    history::record(db, change).await?;
    let after = access::visible_item(db, user, current.id).await?;
    Ok(Change::updated(
        "item.key_monitoring",
        "item",
        current.id,
        current,
        after,
    ))
}
