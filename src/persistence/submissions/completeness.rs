//! The forms a period requires, and where each stands.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
};
use serde::Serialize;
use uuid::Uuid;

use super::super::entities::submission::{Column, Entity};
use super::super::entities::{item, unit};
use crate::domain::item::ItemKind;
use crate::domain::period::{self, Period};

/// One required form of a period and where it stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(example = json!({"unit_id": "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90", "unit_code": "ZZB", "unit_name": "组织部", "item_id": "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f", "item_name": "组织部整体支出", "item_kind": "overall", "form": 1, "state": "missing", "submission_id": null, "deadline": "2026-07-10", "late": true}))]
pub struct CompletenessRow {
    pub unit_id: Uuid,
    pub unit_code: String,
    pub unit_name: String,
    pub item_id: Uuid,
    pub item_name: String,
    pub item_kind: ItemKind,
    /// 1, 2 or 3.
    pub form: i16,
    /// `missing`, `draft`, `submitted`, `returned` or `accepted`.
    #[schema(example = "missing")]
    pub state: String,
    pub submission_id: Option<Uuid>,
    /// The deadline that applies to the unit (with any extension).
    pub deadline: NaiveDate,
    /// Filed after the deadline, or not yet filed when it has passed.
    pub late: bool,
}

/// The forms a period requires (Art. 11, [`period::requires_form`]) for the items of the
/// period's year, with the state of each.
pub async fn completeness(
    db: &impl ConnectionTrait,
    p: &Period,
    unit_scope: Option<Uuid>,
    offset: FixedOffset,
    now: DateTime<Utc>,
) -> Result<Vec<CompletenessRow>, DbErr> {
    let items = required_items(db, p.year, unit_scope).await?;
    let units = units_by_id(db).await?;
    let filed = filed_forms(db, p.id).await?;
    let extended = extensions(db, p.id, unit_scope).await?;
    let mut rows: Vec<CompletenessRow> = items
        .into_iter()
        .filter_map(|i| {
            let unit = units.get(&i.unit_id)?;
            let deadline = period::effective_deadline(
                p.submission_deadline,
                extended.get(&i.unit_id).copied(),
            );
            let form = filed.get(&i.id);
            let late =
                period::form_is_late(form.and_then(|f| f.submitted_at), deadline, now, offset);
            row(unit, i, form, deadline, late)
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.unit_code, a.form, &a.item_name, a.item_id).cmp(&(
            &b.unit_code,
            b.form,
            &b.item_name,
            b.item_id,
        ))
    });
    Ok(rows)
}

/// The items of `year` that need a form, of one unit or of all.
async fn required_items(
    db: &impl ConnectionTrait,
    year: i32,
    unit_scope: Option<Uuid>,
) -> Result<Vec<item::Model>, DbErr> {
    item::Entity::find()
        .filter(item::Column::Year.eq(year))
        .filter(super::super::rule_filters::required_form())
        .apply_if(unit_scope, |q, u| q.filter(item::Column::UnitId.eq(u)))
        .all(db)
        .await
}

async fn units_by_id(db: &impl ConnectionTrait) -> Result<HashMap<Uuid, unit::Model>, DbErr> {
    let units = unit::Entity::find().all(db).await?;
    Ok(units.into_iter().map(|u| (u.id, u)).collect())
}

/// A form filed in the period, as far as its item's completeness needs it.
struct FiledForm {
    id: Uuid,
    status: String,
    submitted_at: Option<DateTime<Utc>>,
}

/// The period's forms by their item.
async fn filed_forms(
    db: &impl ConnectionTrait,
    period_id: Uuid,
) -> Result<HashMap<Uuid, FiledForm>, DbErr> {
    let forms = Entity::find()
        .select_only()
        .columns([
            Column::ItemId,
            Column::Id,
            Column::Status,
            Column::SubmittedAt,
        ])
        .filter(Column::PeriodId.eq(period_id))
        .into_tuple::<(Uuid, Uuid, String, Option<DateTime<Utc>>)>()
        .all(db)
        .await?;
    Ok(forms
        .into_iter()
        .map(|(item, id, status, submitted_at)| {
            let form = FiledForm {
                id,
                status,
                submitted_at,
            };
            (item, form)
        })
        .collect())
}

/// The extended deadlines of the period by unit.
async fn extensions(
    db: &impl ConnectionTrait,
    period_id: Uuid,
    unit_scope: Option<Uuid>,
) -> Result<HashMap<Uuid, NaiveDate>, DbErr> {
    let granted = super::super::periods::extensions(db, period_id, unit_scope).await?;
    Ok(granted.into_iter().map(|e| (e.unit_id, e.until)).collect())
}

/// The row of item `i` of `unit`, with its form if one was filed; none for an item of an
/// unknown kind.
fn row(
    unit: &unit::Model,
    i: item::Model,
    form: Option<&FiledForm>,
    deadline: NaiveDate,
    late: bool,
) -> Option<CompletenessRow> {
    let kind: ItemKind = i.kind.parse().ok()?;
    let (state, submission_id) = match form {
        None => ("missing".to_string(), None),
        Some(f) => (f.status.clone(), Some(f.id)),
    };
    Some(CompletenessRow {
        unit_id: unit.id,
        unit_code: unit.code.clone(),
        unit_name: unit.name.clone(),
        item_id: i.id,
        item_name: i.name,
        item_kind: kind,
        form: kind.form(),
        state,
        submission_id,
        deadline,
        late,
    })
}
