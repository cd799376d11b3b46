//! Queries on monitoring periods and their per-unit deadline extensions.

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query, QueryStatementBuilder, SimpleExpr};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, Order,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::entities::period::{self, Column, Entity};
use super::entities::period_extension;
use super::shared;
use crate::domain::period::{Extension, Period, PeriodKind, PeriodSettings};
use crate::domain::workflow::PeriodStatus;

fn to_domain(m: period::Model) -> Result<Period, DbErr> {
    let settings: PeriodSettings = serde_json::from_str(&m.settings)
        .map_err(|e| DbErr::Type(format!("periods.settings: {e}")))?;
    Ok(Period {
        kind: m
            .kind
            .parse::<PeriodKind>()
            .map_err(|e| DbErr::Type(format!("periods.kind: {e}")))?,
        status: m
            .status
            .parse::<PeriodStatus>()
            .map_err(|e| DbErr::Type(format!("periods.status: {e}")))?,
        thresholds: settings.thresholds,
        grade_values: settings.grade_values,
        id: m.id,
        year: m.year,
        name: m.name,
        as_of: m.as_of,
        submission_deadline: m.submission_deadline,
        report_deadline: m.report_deadline,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

#[derive(Debug, Clone)]
pub struct PeriodFields {
    pub year: i32,
    pub kind: PeriodKind,
    pub name: String,
    pub as_of: NaiveDate,
    pub submission_deadline: NaiveDate,
    pub report_deadline: NaiveDate,
    pub settings: PeriodSettings,
}

fn singleton(year: i32, kind: PeriodKind) -> Option<String> {
    (kind != PeriodKind::Interim).then(|| format!("{year}-{kind}"))
}

fn settings_json(s: &PeriodSettings) -> String {
    serde_json::to_string(s).expect("settings serialize")
}

#[tracing::instrument(skip_all)]
pub async fn insert(db: &impl ConnectionTrait, f: PeriodFields) -> Result<Period, DbErr> {
    let now = super::now();
    let m = period::ActiveModel {
        id: Set(Uuid::new_v4()),
        year: Set(f.year),
        kind: Set(f.kind.as_str().into()),
        name: Set(f.name),
        as_of: Set(f.as_of),
        submission_deadline: Set(f.submission_deadline),
        report_deadline: Set(f.report_deadline),
        status: Set(PeriodStatus::Draft.as_str().into()),
        settings: Set(settings_json(&f.settings)),
        singleton_key: Set(singleton(f.year, f.kind)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    to_domain(Entity::insert(m).exec_with_returning(db).await?)
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Period>, DbErr> {
    shared::one(db, Entity::find_by_id(id), to_domain).await
}

/// [`get`], the row locked until the transaction ends (on PostgreSQL; SQLite's one writer needs
/// no lock): shared by a step of one of the period's forms, which must not cross a step of the
/// period (publishing waits for it, and it sees the period as the step left it); exclusive
/// for a step of the period itself.
pub async fn get_locked(
    db: &impl ConnectionTrait,
    id: Uuid,
    exclusive: bool,
) -> Result<Option<Period>, DbErr> {
    let q = Entity::find_by_id(id);
    let q = if exclusive {
        q.lock_exclusive()
    } else {
        q.lock_shared()
    };
    shared::one(db, q, to_domain).await
}

#[derive(Debug, Default, Clone)]
pub struct PeriodFilter {
    pub year: Option<i32>,
    pub kind: Option<PeriodKind>,
    pub status: Option<PeriodStatus>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    f: &PeriodFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Period>, u64), DbErr> {
    let q = Entity::find()
        .apply_if(f.year, |q, y| q.filter(Column::Year.eq(y)))
        .apply_if(f.kind, |q, k| q.filter(Column::Kind.eq(k.as_str())))
        .apply_if(f.status, |q, s| q.filter(Column::Status.eq(s.as_str())));
    let order = [
        (Column::Year, Order::Desc),
        (Column::AsOf, Order::Asc),
        (Column::Id, Order::Asc),
    ];
    shared::page(db, q, &order, offset, limit, to_domain).await
}

/// The periods named `name` (names are not unique: the caller decides what several mean).
pub async fn named(db: &impl ConnectionTrait, name: &str) -> Result<Vec<Period>, DbErr> {
    let q = Entity::find()
        .filter(Column::Name.eq(name))
        .order_by_asc(Column::Id)
        .limit(2);
    shared::all(db, q, to_domain).await
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    f: PeriodFields,
) -> Result<bool, DbErr> {
    shared::update_versioned::<Entity>(db, id, expected_version, super::now(), |q| {
        q.col_expr(Column::Year, Expr::value(f.year))
            .col_expr(Column::Kind, Expr::value(f.kind.as_str()))
            .col_expr(Column::Name, Expr::value(f.name))
            .col_expr(Column::AsOf, Expr::value(f.as_of))
            .col_expr(
                Column::SubmissionDeadline,
                Expr::value(f.submission_deadline),
            )
            .col_expr(Column::ReportDeadline, Expr::value(f.report_deadline))
            .col_expr(Column::Settings, Expr::value(settings_json(&f.settings)))
            .col_expr(Column::SingletonKey, Expr::value(singleton(f.year, f.kind)))
    })
    .await
}

pub async fn set_status(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: PeriodStatus,
) -> Result<(), DbErr> {
    shared::update_row::<Entity>(db, id, super::now(), |q| {
        q.col_expr(Column::Status, Expr::value(status.as_str()))
    })
    .await?;
    Ok(())
}

/// Grants or moves a unit's extended deadline.
pub async fn upsert_extension(
    db: &impl ConnectionTrait,
    period_id: Uuid,
    unit_id: Uuid,
    until: NaiveDate,
) -> Result<Extension, DbErr> {
    use period_extension::Column as C;
    let m = period_extension::ActiveModel {
        id: Set(Uuid::new_v4()),
        period_id: Set(period_id),
        unit_id: Set(unit_id),
        until: Set(until),
        created_at: Set(super::now()),
    };
    period_extension::Entity::insert(m)
        .on_conflict(
            OnConflict::columns([C::PeriodId, C::UnitId])
                .update_columns([C::Until, C::CreatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    period_extension::Entity::find()
        .filter(C::PeriodId.eq(period_id))
        .filter(C::UnitId.eq(unit_id))
        .one(db)
        .await?
        .map(extension)
        .ok_or_else(|| DbErr::RecordNotFound("extension".into()))
}

fn extension(m: period_extension::Model) -> Extension {
    Extension {
        id: m.id,
        period_id: m.period_id,
        unit_id: m.unit_id,
        until: m.until,
        created_at: m.created_at,
    }
}

/// The extensions of a period, optionally for one unit.
pub async fn extensions(
    db: &impl ConnectionTrait,
    period_id: Uuid,
    unit_id: Option<Uuid>,
) -> Result<Vec<Extension>, DbErr> {
    use period_extension::Column as C;
    let mut q = period_extension::Entity::find().filter(C::PeriodId.eq(period_id));
    if let Some(u) = unit_id {
        q = q.filter(C::UnitId.eq(u));
    }
    let rows = q.order_by_asc(C::UnitId).all(db).await?;
    Ok(rows.into_iter().map(extension).collect())
}

/// The period `id` and the deadline that applies to one unit in it (its extension, or the
/// period's), in one query.
pub async fn with_deadline_for(
    db: &impl ConnectionTrait,
    id: Uuid,
    unit_id: Uuid,
) -> Result<Option<(Period, NaiveDate)>, DbErr> {
    use period_extension::Column as X;
    let until = Query::select()
        .column(X::Until)
        .from(period_extension::Entity)
        .and_where(Expr::col((period_extension::Entity, X::PeriodId)).equals((Entity, Column::Id)))
        .and_where(Expr::col((period_extension::Entity, X::UnitId)).eq(unit_id))
        .limit(1)
        .to_owned();
    // Locked as a form's step locks it (see [`get_locked`]).
    let q = Entity::find_by_id(id)
        .expr_as(
            SimpleExpr::SubQuery(None, Box::new(until.into_sub_query_statement())),
            "extension_until",
        )
        .lock_shared()
        .build(db.get_database_backend());
    let Some(row) = db.query_one_raw(q).await? else {
        return Ok(None);
    };
    let extension: Option<NaiveDate> = row.try_get("", "extension_until")?;
    let p = to_domain(period::Model::from_query_result(&row, "")?)?;
    let deadline = crate::domain::period::effective_deadline(p.submission_deadline, extension);
    Ok(Some((p, deadline)))
}
