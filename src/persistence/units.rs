//! Queries on reporting units.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, Order, QueryFilter,
    QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::entities::unit::{self, Column, Entity};
use super::shared;
use crate::domain::unit::{Unit, UnitKind};

fn to_domain(m: unit::Model) -> Result<Unit, DbErr> {
    Ok(Unit {
        kind: m
            .kind
            .parse::<UnitKind>()
            .map_err(|e| DbErr::Type(format!("units.kind: {e}")))?,
        id: m.id,
        code: m.code,
        name: m.name,
        parent_id: m.parent_id,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// The fields of a unit that can be written.
#[derive(Debug, Clone)]
pub struct UnitFields {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<Uuid>,
}

#[tracing::instrument(skip_all)]
pub async fn insert(db: &impl ConnectionTrait, f: UnitFields) -> Result<Unit, DbErr> {
    let now = super::now();
    let m = unit::ActiveModel {
        id: Set(Uuid::new_v4()),
        code: Set(f.code),
        name: Set(f.name),
        kind: Set(f.kind.as_str().to_string()),
        parent_id: Set(f.parent_id),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    to_domain(Entity::insert(m).exec_with_returning(db).await?)
}

#[tracing::instrument(skip_all)]
pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Unit>, DbErr> {
    shared::one(db, Entity::find_by_id(id), to_domain).await
}

/// Whether `ancestor` is `id` or one of its parents, so a parent link cannot close a cycle.
pub async fn is_self_or_descendant(
    db: &impl ConnectionTrait,
    id: Uuid,
    candidate_parent: Uuid,
) -> Result<bool, DbErr> {
    let mut cursor = Some(candidate_parent);
    let mut steps = 0;
    while let Some(c) = cursor {
        if c == id {
            return Ok(true);
        }
        steps += 1;
        if steps > 64 {
            return Ok(true);
        }
        cursor = Entity::find_by_id(c)
            .select_only()
            .column(Column::ParentId)
            .into_tuple::<Option<Uuid>>()
            .one(db)
            .await?
            .flatten();
    }
    Ok(false)
}

/// List filters.
#[derive(Debug, Default, Clone)]
pub struct UnitFilter {
    pub kind: Option<UnitKind>,
    pub parent_id: Option<Uuid>,
    pub ids: Option<Vec<Uuid>>,
}

/// The unit with this code, if any.
pub async fn by_code(db: &impl ConnectionTrait, code: &str) -> Result<Option<Unit>, DbErr> {
    shared::one(db, Entity::find().filter(Column::Code.eq(code)), to_domain).await
}

#[tracing::instrument(skip_all)]
pub async fn list(
    db: &impl ConnectionTrait,
    f: &UnitFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Unit>, u64), DbErr> {
    let q = Entity::find()
        .apply_if(f.kind, |q, k| q.filter(Column::Kind.eq(k.as_str())))
        .apply_if(f.parent_id, |q, p| q.filter(Column::ParentId.eq(p)))
        .apply_if(f.ids.as_deref(), |q, ids| {
            q.filter(Column::Id.is_in(ids.to_vec()))
        });
    let order = [(Column::Code, Order::Asc), (Column::Id, Order::Asc)];
    shared::page(db, q, &order, offset, limit, to_domain).await
}

/// Writes new fields if the unit is still at `expected_version`; `false` if it was not.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    f: UnitFields,
) -> Result<bool, DbErr> {
    shared::update_versioned::<Entity>(db, id, expected_version, super::now(), |q| {
        q.col_expr(Column::Code, Expr::value(f.code))
            .col_expr(Column::Name, Expr::value(f.name))
            .col_expr(Column::Kind, Expr::value(f.kind.as_str()))
            .col_expr(Column::ParentId, Expr::value(f.parent_id))
    })
    .await
}
