//! Creating and changing reporting units (admin).

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::pipeline::Change;
use super::precondition::IfMatch;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::unit::{self, Unit, UnitKind};
use crate::domain::Violations;
use crate::error::{ApiError, ApiResult};
use crate::persistence::units::{self as repo, UnitFields};

const DUPLICATE_CODE: &str = "a unit with this code already exists";

/// A unit's fields as a client sends them, not yet checked.
#[derive(Debug, Clone)]
pub struct UnitInput {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<Uuid>,
}

/// Changes to a unit; `None` keeps a field, `parent_id: Some(None)` removes the parent.
#[derive(Debug, Clone, Default)]
pub struct UnitChanges {
    pub code: Option<String>,
    pub name: Option<String>,
    pub kind: Option<UnitKind>,
    pub parent_id: Option<Option<Uuid>>,
}

/// Only admin manages units.
pub fn authorize(user: &CurrentUser) -> ApiResult<()> {
    user.require(&[Role::Admin])
}

async fn check(
    db: &impl ConnectionTrait,
    id: Option<Uuid>,
    input: UnitInput,
) -> ApiResult<UnitFields> {
    let mut v = Violations::new();
    let code = unit::code(&mut v, &input.code);
    let name = unit::name(&mut v, &input.name);
    if let Some(p) = input.parent_id {
        match repo::get(db, p).await? {
            None => v.add("parent_id", "unknown", "no unit has this id"),
            Some(_) => {
                if let Some(id) = id {
                    if repo::is_self_or_descendant(db, id, p).await? {
                        v.add(
                            "parent_id",
                            "cycle",
                            "a unit cannot belong to itself or to one of its own sub-units",
                        );
                    }
                }
            }
        }
    }
    Ok(v.finish(|| UnitFields {
        code: code.unwrap_or_default(),
        name: name.unwrap_or_default(),
        kind: input.kind,
        parent_id: input.parent_id,
    })?)
}

/// A new unit.
#[tracing::instrument(skip_all)]
pub async fn create(db: &impl ConnectionTrait, input: UnitInput) -> ApiResult<Change<Unit>> {
    let fields = check(db, None, input).await?;
    let unit = repo::insert(db, fields)
        .await
        .map_err(ApiError::unique(DUPLICATE_CODE))?;
    Ok(Change::created("unit.create", "unit", unit.id, unit))
}

/// The unit `id`, or 404.
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<Unit> {
    repo::get(db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("unit"))
}

/// Changes a unit made against the version `if_match` names. A request that is wrong whatever
/// the version gets 422 before the precondition is judged.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    if_match: &IfMatch,
    changes: UnitChanges,
) -> ApiResult<Change<Unit>> {
    let current = get(db, id).await?;
    let input = UnitInput {
        code: changes.code.unwrap_or_else(|| current.code.clone()),
        name: changes.name.unwrap_or_else(|| current.name.clone()),
        kind: changes.kind.unwrap_or(current.kind),
        parent_id: changes.parent_id.unwrap_or(current.parent_id),
    };
    let fields = check(db, Some(current.id), input).await?;
    if_match.check(current.version)?;
    if !repo::update(db, current.id, current.version, fields)
        .await
        .map_err(ApiError::unique(DUPLICATE_CODE))?
    {
        return Err(IfMatch::stale());
    }
    let after = get(db, current.id).await?;
    Ok(Change::updated("unit.update", "unit", id, current, after).edit())
}
