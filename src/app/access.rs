//! Finding what the caller may see: one function per resource, shared by every use case.
//! Another unit's object answers exactly like a missing one (404, DESIGN §1).

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::indicator::Indicator;
use crate::domain::item::Item;
use crate::domain::period::Period;
use crate::error::{ApiError, ApiResult};
use crate::persistence::{items, periods};

/// The item if the caller may see it; 404 otherwise (another unit's item is not revealed).
pub async fn visible_item(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<Item> {
    let found = items::get(db, id).await?;
    user.visible(found, |i| i.unit_id, "item", id)
}

/// [`visible_item`] with its indicators in their order, in one query.
pub async fn visible_item_with_indicators(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<(Item, Vec<Indicator>)> {
    let found = items::with_indicators(db, id).await?;
    user.visible(found, |(i, _)| i.unit_id, "item", id)
}

/// Reporter of the item's unit, or finance.
pub fn require_item_writer(user: &CurrentUser) -> ApiResult<()> {
    user.require(&[Role::Reporter, Role::Finance])
}

/// The period `id` (every role sees every period), or 404.
pub async fn period(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<Period> {
    periods::get(db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("period"))
}

/// [`period`], locked until the transaction ends (`persistence::periods::get_locked`).
pub async fn period_locked(
    db: &impl ConnectionTrait,
    id: Uuid,
    exclusive: bool,
) -> ApiResult<Period> {
    periods::get_locked(db, id, exclusive)
        .await?
        .ok_or_else(|| ApiError::not_found("period"))
}
