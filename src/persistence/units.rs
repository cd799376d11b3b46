//! Queries on reporting units.

use sea_orm::sea_query::Expr;
use sea_orm::ExprTrait;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entities::unit::{self, Column, Entity};
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
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
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
    Entity::find()
        .filter(Column::Code.eq(code))
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
}

#[tracing::instrument(skip_all)]
pub async fn list(
    db: &impl ConnectionTrait,
    f: &UnitFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Unit>, u64), DbErr> {
    let mut q = Entity::find();
    if let Some(k) = f.kind {
        q = q.filter(Column::Kind.eq(k.as_str()));
    }
    if let Some(p) = f.parent_id {
        q = q.filter(Column::ParentId.eq(p));
    }
    if let Some(ids) = &f.ids {
        q = q.filter(Column::Id.is_in(ids.clone()));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_asc(Column::Code)
        .order_by_asc(Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((
        rows.into_iter().map(to_domain).collect::<Result<_, _>>()?,
        total,
    ))
}

/// Writes new fields if the unit is still at `expected_version`; `false` if it was not.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    f: UnitFields,
) -> Result<bool, DbErr> {
    let res = Entity::update_many()
        .col_expr(Column::Code, Expr::value(f.code))
        .col_expr(Column::Name, Expr::value(f.name))
        .col_expr(Column::Kind, Expr::value(f.kind.as_str()))
        .col_expr(Column::ParentId, Expr::value(f.parent_id))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(super::now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}
