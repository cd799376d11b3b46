//! Queries on submissions (filled forms), their indicator links and their versions.

use chrono::{DateTime, FixedOffset, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::ExprTrait;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, UpdateMany,
};
use serde::Serialize;
use uuid::Uuid;

use super::entities::submission::{self, Column, Entity};
use super::entities::{item, submission_value, submission_version, unit};
use super::money::StoredAmount;
use crate::domain::item::ItemKind;
use crate::domain::monitoring::Light;
use crate::domain::period::{self, Period};
use crate::domain::submission::{Figures, SubmissionContent};
use crate::domain::workflow::SubmissionStatus;
use crate::domain::FundSplit;

/// A stored submission.
#[derive(Debug, Clone)]
pub struct Submission {
    pub id: Uuid,
    pub period_id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub form: i16,
    pub status: SubmissionStatus,
    pub content: SubmissionContent,
    pub figures: Figures,
    pub submitted_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn to_domain(m: submission::Model) -> Result<Submission, DbErr> {
    let bad = |c: &str, e: String| DbErr::Type(format!("submissions.{c}: {e}"));
    Ok(Submission {
        status: m.status.parse().map_err(|e| bad("status", e))?,
        content: serde_json::from_str(&m.content).map_err(|e| bad("content", e.to_string()))?,
        figures: serde_json::from_str(&m.computed).map_err(|e| bad("computed", e.to_string()))?,
        id: m.id,
        period_id: m.period_id,
        item_id: m.item_id,
        unit_id: m.unit_id,
        form: m.form,
        submitted_at: m.submitted_at,
        version: m.version,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("serializes")
}

pub struct NewSubmission {
    pub period_id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub form: i16,
    pub content: SubmissionContent,
    pub figures: Figures,
}

/// The indicator links of a form's values.
fn links(
    id: Uuid,
    content: &SubmissionContent,
) -> impl Iterator<Item = submission_value::ActiveModel> + '_ {
    content
        .indicator_values
        .iter()
        .map(move |v| submission_value::ActiveModel {
            submission_id: Set(id),
            indicator_id: Set(v.indicator_id),
        })
}

/// Replaces a form's indicator links with those of its content.
async fn relink_values(
    db: &impl ConnectionTrait,
    id: Uuid,
    content: &SubmissionContent,
) -> Result<(), DbErr> {
    submission_value::Entity::delete_many()
        .filter(submission_value::Column::SubmissionId.eq(id))
        .exec(db)
        .await?;
    super::insert_chunked::<submission_value::Entity, _>(db, links(id, content)).await
}

fn to_active(b: DbBackend, s: &Submission) -> submission::ActiveModel {
    submission::ActiveModel {
        id: Set(s.id),
        period_id: Set(s.period_id),
        item_id: Set(s.item_id),
        unit_id: Set(s.unit_id),
        form: Set(s.form),
        status: Set(s.status.as_str().into()),
        content: Set(json(&s.content)),
        computed: Set(json(&s.figures)),
        warning: Set(s.figures.warning.as_str().into()),
        late: Set(s.figures.late),
        executed_fiscal: Set(StoredAmount::new(b, s.content.executed.fiscal)),
        executed_union: Set(StoredAmount::new(b, s.content.executed.union)),
        submitted_at: Set(s.submitted_at),
        outlook: Set(s.content.outlook.map(|o| o.as_str().into())),
        completion_rate: Set(s.figures.overall_completion_rate.clone()),
        goal_light: Set(s.figures.goal_light.map(|l| l.as_str().into())),
        reasons: Set(Some(json(&s.figures.reasons))),
        problems: Set(Some(problems(&s.content))),
        judged_budget_fiscal: Set(Some(StoredAmount::new(b, s.figures.budget.fiscal))),
        judged_budget_union: Set(Some(StoredAmount::new(b, s.figures.budget.union))),
        version: Set(s.version),
        created_at: Set(s.created_at),
        updated_at: Set(s.updated_at),
    }
}

/// A new draft as [`insert`] stores it.
pub fn new_draft(s: NewSubmission) -> Submission {
    let now = super::now();
    Submission {
        id: Uuid::new_v4(),
        period_id: s.period_id,
        item_id: s.item_id,
        unit_id: s.unit_id,
        form: s.form,
        status: SubmissionStatus::Draft,
        content: s.content,
        figures: s.figures,
        submitted_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

#[tracing::instrument(skip_all)]
pub async fn insert(db: &impl ConnectionTrait, s: NewSubmission) -> Result<Submission, DbErr> {
    let draft = new_draft(s);
    let m = to_active(db.get_database_backend(), &draft);
    let row = Entity::insert(m).exec_with_returning(db).await?;
    super::insert_chunked::<submission_value::Entity, _>(db, links(draft.id, &draft.content))
        .await?;
    to_domain(row)
}

/// Stores many submissions in any status, with their indicator links, a few multi-row
/// statements in all (bulk loads).
pub async fn insert_many(db: &impl ConnectionTrait, subs: &[Submission]) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    super::insert_chunked::<Entity, _>(db, subs.iter().map(|s| to_active(b, s))).await?;
    let all = subs.iter().flat_map(|s| links(s.id, &s.content));
    super::insert_chunked::<submission_value::Entity, _>(db, all).await
}

pub async fn get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<Submission>, DbErr> {
    Entity::find_by_id(id)
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
}

/// The item's form in the period, if it has one (there is at most one).
pub async fn of_item_in_period(
    db: &impl ConnectionTrait,
    period_id: Uuid,
    item_id: Uuid,
) -> Result<Option<Submission>, DbErr> {
    Entity::find()
        .filter(Column::PeriodId.eq(period_id))
        .filter(Column::ItemId.eq(item_id))
        .one(db)
        .await?
        .map(to_domain)
        .transpose()
}

#[derive(Debug, Default, Clone)]
pub struct SubmissionFilter {
    pub period_id: Option<Uuid>,
    pub unit_id: Option<Uuid>,
    pub item_id: Option<Uuid>,
    pub form: Option<i16>,
    pub status: Option<SubmissionStatus>,
    pub warning: Option<Light>,
    pub late: Option<bool>,
}

pub async fn list(
    db: &impl ConnectionTrait,
    f: &SubmissionFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<Submission>, u64), DbErr> {
    let mut q = Entity::find();
    if let Some(x) = f.period_id {
        q = q.filter(Column::PeriodId.eq(x));
    }
    if let Some(x) = f.unit_id {
        q = q.filter(Column::UnitId.eq(x));
    }
    if let Some(x) = f.item_id {
        q = q.filter(Column::ItemId.eq(x));
    }
    if let Some(x) = f.form {
        q = q.filter(Column::Form.eq(x));
    }
    if let Some(x) = f.status {
        q = q.filter(Column::Status.eq(x.as_str()));
    }
    if let Some(x) = f.warning {
        q = q.filter(Column::Warning.eq(x.as_str()));
    }
    if let Some(x) = f.late {
        q = q.filter(Column::Late.eq(x));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_asc(Column::CreatedAt)
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

/// Every form of an item, in every period, oldest first (one per period: never many).
pub async fn of_item(db: &impl ConnectionTrait, item_id: Uuid) -> Result<Vec<Submission>, DbErr> {
    Entity::find()
        .filter(Column::ItemId.eq(item_id))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_domain)
        .collect()
}

/// The compliance checks that found a problem, as the report lists them.
fn problems(c: &SubmissionContent) -> String {
    json(
        &c.compliance
            .iter()
            .filter(|e| e.problem)
            .collect::<Vec<_>>(),
    )
}

/// Sets `content` and the report's columns derived from it.
fn with_content_columns(q: UpdateMany<Entity>, c: &SubmissionContent) -> UpdateMany<Entity> {
    q.col_expr(Column::Content, Expr::value(json(c)))
        .col_expr(
            Column::Outlook,
            Expr::value(c.outlook.map(|o| o.as_str().to_string())),
        )
        .col_expr(Column::Problems, Expr::value(problems(c)))
}

/// Sets `computed` and the columns derived from the figures (warning, lateness, the report's).
fn with_figure_columns(b: DbBackend, q: UpdateMany<Entity>, f: &Figures) -> UpdateMany<Entity> {
    q.col_expr(Column::Computed, Expr::value(json(f)))
        .col_expr(
            Column::JudgedBudgetFiscal,
            Expr::value(StoredAmount::new(b, f.budget.fiscal)),
        )
        .col_expr(
            Column::JudgedBudgetUnion,
            Expr::value(StoredAmount::new(b, f.budget.union)),
        )
        .col_expr(Column::Warning, Expr::value(f.warning.as_str()))
        .col_expr(Column::Late, Expr::value(f.late))
        .col_expr(
            Column::CompletionRate,
            Expr::value(f.overall_completion_rate.clone()),
        )
        .col_expr(
            Column::GoalLight,
            Expr::value(f.goal_light.map(|l| l.as_str().to_string())),
        )
        .col_expr(Column::Reasons, Expr::value(json(&f.reasons)))
}

/// Fills the report's columns of forms stored before those columns existed; returns how many.
pub async fn backfill_report_columns(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    let mut filled = 0;
    loop {
        let rows = Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(Column::Reasons.is_null())
                    .add(Column::JudgedBudgetFiscal.is_null()),
            )
            .limit(500)
            .all(db)
            .await?;
        if rows.is_empty() {
            return Ok(filled);
        }
        for m in rows {
            let s = to_domain(m)?;
            let q = with_content_columns(Entity::update_many(), &s.content);
            with_figure_columns(db.get_database_backend(), q, &s.figures)
                .filter(Column::Id.eq(s.id))
                .exec(db)
                .await?;
            filled += 1;
        }
    }
}

/// Replaces the content and figures if the submission is still at `expected_version`.
pub async fn update_content(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    content: &SubmissionContent,
    figures: &Figures,
) -> Result<bool, DbErr> {
    let b = db.get_database_backend();
    let q = with_content_columns(Entity::update_many(), content);
    let res = with_figure_columns(b, q, figures)
        .col_expr(
            Column::ExecutedFiscal,
            Expr::value(StoredAmount::new(b, content.executed.fiscal)),
        )
        .col_expr(
            Column::ExecutedUnion,
            Expr::value(StoredAmount::new(b, content.executed.union)),
        )
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(super::now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if res.rows_affected == 1 {
        relink_values(db, id, content).await?;
    }
    Ok(res.rows_affected == 1)
}

/// Moves the status (and the figures, which know whether a submission is late) at instant `at`.
pub async fn set_status(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    status: SubmissionStatus,
    figures: &Figures,
    submitted_at: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut q = with_figure_columns(db.get_database_backend(), Entity::update_many(), figures)
        .col_expr(Column::Status, Expr::value(status.as_str()))
        .col_expr(Column::Version, Expr::col(Column::Version).add(1))
        .col_expr(Column::UpdatedAt, Expr::value(at));
    if let Some(at) = submitted_at {
        q = q.col_expr(Column::SubmittedAt, Expr::value(at));
    }
    let res = q
        .filter(Column::Id.eq(id))
        .filter(Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// Whether a form for the item has been submitted (in any state past draft).
pub async fn any_filed_for_item(db: &impl ConnectionTrait, item_id: Uuid) -> Result<bool, DbErr> {
    Ok(Entity::find()
        .filter(Column::ItemId.eq(item_id))
        .filter(Column::Status.ne(SubmissionStatus::Draft.as_str()))
        .count(db)
        .await?
        > 0)
}

fn value_links(indicator_id: Uuid) -> sea_orm::Select<Entity> {
    Entity::find().filter(
        Column::Id.in_subquery(
            sea_orm::sea_query::Query::select()
                .column(submission_value::Column::SubmissionId)
                .from(submission_value::Entity)
                .and_where(submission_value::Column::IndicatorId.eq(indicator_id))
                .to_owned(),
        ),
    )
}

/// Whether a submitted (non-draft) form reports on the indicator.
pub async fn indicator_has_filed_value(
    db: &impl ConnectionTrait,
    indicator_id: Uuid,
) -> Result<bool, DbErr> {
    Ok(value_links(indicator_id)
        .filter(Column::Status.ne(SubmissionStatus::Draft.as_str()))
        .count(db)
        .await?
        > 0)
}

/// Whether any form, even a draft, reports on the indicator.
pub async fn indicator_has_any_value(
    db: &impl ConnectionTrait,
    indicator_id: Uuid,
) -> Result<bool, DbErr> {
    Ok(value_links(indicator_id).count(db).await? > 0)
}

/// Keeps one version of a submission at a workflow step.
pub async fn insert_version(
    db: &impl ConnectionTrait,
    submission_id: Uuid,
    event: SubmissionStatus,
    reason: Option<String>,
    snapshot: &serde_json::Value,
    actor_id: Uuid,
    actor_username: &str,
) -> Result<(), DbErr> {
    use submission_version::Column as C;
    let n: Option<i32> = submission_version::Entity::find()
        .select_only()
        .column_as(C::Number.max(), "n")
        .filter(C::SubmissionId.eq(submission_id))
        .into_tuple()
        .one(db)
        .await?
        .flatten();
    let v = NewVersion {
        submission_id,
        number: n.unwrap_or(0) + 1,
        event,
        reason,
        snapshot: snapshot.to_string(),
        actor_id,
        actor_username: actor_username.into(),
        at: super::now(),
    };
    submission_version::Entity::insert(version_active(v))
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// One kept version of a form, numbered from 1 per form.
pub struct NewVersion {
    pub submission_id: Uuid,
    pub number: i32,
    pub event: SubmissionStatus,
    pub reason: Option<String>,
    /// The whole submission as read back at that moment, as JSON.
    pub snapshot: String,
    pub actor_id: Uuid,
    pub actor_username: String,
    pub at: DateTime<Utc>,
}

fn version_active(v: NewVersion) -> submission_version::ActiveModel {
    submission_version::ActiveModel {
        id: Set(Uuid::new_v4()),
        submission_id: Set(v.submission_id),
        number: Set(v.number),
        event: Set(v.event.as_str().into()),
        reason: Set(v.reason),
        snapshot: Set(v.snapshot),
        actor_id: Set(v.actor_id),
        actor_username: Set(v.actor_username),
        created_at: Set(v.at),
    }
}

/// Stores many versions at once (bulk loads).
pub async fn insert_versions(
    db: &impl ConnectionTrait,
    versions: Vec<NewVersion>,
) -> Result<(), DbErr> {
    super::insert_chunked::<submission_version::Entity, _>(
        db,
        versions.into_iter().map(version_active),
    )
    .await
}

pub async fn versions(
    db: &impl ConnectionTrait,
    submission_id: Uuid,
) -> Result<Vec<submission_version::Model>, DbErr> {
    use submission_version::Column as C;
    submission_version::Entity::find()
        .filter(C::SubmissionId.eq(submission_id))
        .order_by_asc(C::Number)
        .all(db)
        .await
}

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

/// The forms a period requires (Art. 11): every overall item, every special fund and every
/// key-monitored project of the period's year, with the state of its form.
pub async fn completeness(
    db: &impl ConnectionTrait,
    p: &Period,
    unit_scope: Option<Uuid>,
    offset: FixedOffset,
    now: DateTime<Utc>,
) -> Result<Vec<CompletenessRow>, DbErr> {
    use sea_orm::Condition;
    let mut items_q = item::Entity::find()
        .filter(item::Column::Year.eq(p.year))
        .filter(
            Condition::any()
                .add(item::Column::Kind.eq(ItemKind::Overall.as_str()))
                .add(item::Column::Kind.eq(ItemKind::SpecialFund.as_str()))
                .add(
                    Condition::all()
                        .add(item::Column::Kind.eq(ItemKind::Project.as_str()))
                        .add(item::Column::KeyMonitored.eq(true)),
                ),
        );
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
        super::periods::extensions(db, p.id, unit_scope)
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

/// The executed amounts of a submission as stored (for reports).
pub fn executed(s: &Submission) -> FundSplit {
    s.content.executed
}
