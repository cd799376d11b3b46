//! The forms a period requires, and where each stands.

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect};
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
    pub deadline: chrono::NaiveDate,
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
    let mut items_q = item::Entity::find()
        .filter(item::Column::Year.eq(p.year))
        .filter(super::super::rule_filters::required_form());
    if let Some(u) = unit_scope {
        items_q = items_q.filter(item::Column::UnitId.eq(u));
    }
    let items = items_q.all(db).await?;
    let units: std::collections::HashMap<Uuid, unit::Model> = unit::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let subs: std::collections::HashMap<Uuid, (Uuid, String, Option<DateTime<Utc>>)> =
        Entity::find()
            .select_only()
            .columns([
                Column::ItemId,
                Column::Id,
                Column::Status,
                Column::SubmittedAt,
            ])
            .filter(Column::PeriodId.eq(p.id))
            .into_tuple::<(Uuid, Uuid, String, Option<DateTime<Utc>>)>()
            .all(db)
            .await?
            .into_iter()
            .map(|(item, id, status, at)| (item, (id, status, at)))
            .collect();
    let ext: std::collections::HashMap<Uuid, chrono::NaiveDate> =
        super::super::periods::extensions(db, p.id, unit_scope)
            .await?
            .into_iter()
            .map(|e| (e.unit_id, e.until))
            .collect();
    let mut rows: Vec<CompletenessRow> = items
        .into_iter()
        .filter_map(|i| {
            let u = units.get(&i.unit_id)?;
            let kind: ItemKind = i.kind.parse().ok()?;
            let deadline =
                period::effective_deadline(p.submission_deadline, ext.get(&i.unit_id).copied());
            let sub = subs.get(&i.id);
            let submitted_at = sub.and_then(|(_, _, at)| *at);
            let late = period::form_is_late(submitted_at, deadline, now, offset);
            let (state, submission_id) = match sub {
                None => ("missing".to_string(), None),
                Some((id, status, _)) => (status.clone(), Some(*id)),
            };
            Some(CompletenessRow {
                unit_id: u.id,
                unit_code: u.code.clone(),
                unit_name: u.name.clone(),
                item_id: i.id,
                item_name: i.name,
                item_kind: kind,
                form: kind.form(),
                state,
                submission_id,
                deadline,
                late,
            })
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
