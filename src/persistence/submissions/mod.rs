//! Queries on submissions (filled forms): the forms themselves here, their indicator links in
//! `links`, their kept versions in `versions`, and a period's required forms in `completeness`.

mod completeness;
mod links;
mod versions;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, Order,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, TryIntoModel, UpdateMany,
};
use serde::Serialize;
use uuid::Uuid;

use super::batch::{self, Batch};
use super::entities::submission::{self, Column, Entity};
use super::entities::submission_value;
use super::money::StoredAmount;
use super::shared;
use crate::domain::monitoring::Light;
use crate::domain::submission::{Figures, SubmissionContent};
use crate::domain::workflow::SubmissionStatus;
use crate::domain::FundSplit;

pub use crate::domain::submission::Submission;
pub use completeness::{completeness, CompletenessRow};
pub use links::{any_filed_for_item, indicator_has_any_value, indicator_has_filed_value};
use links::{links, relink_values};
pub use versions::{insert_versions, versions, NewVersion};

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

/// A new form, as its unit starts it.
pub struct NewSubmission {
    pub period_id: Uuid,
    pub item_id: Uuid,
    pub unit_id: Uuid,
    pub form: i16,
    pub content: SubmissionContent,
    pub figures: Figures,
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
pub fn new_draft(s: NewSubmission, now: DateTime<Utc>) -> Submission {
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
pub async fn insert(
    db: &impl ConnectionTrait,
    s: NewSubmission,
    now: DateTime<Utc>,
) -> Result<Submission, DbErr> {
    let draft = new_draft(s, now);
    let backend = db.get_database_backend();
    let m = to_active(backend, &draft);
    let mut batch = Batch::default();
    batch.push(Entity::insert(m.clone()).build(backend));
    let links: Vec<_> = links(draft.id, &draft.content).collect();
    for chunk in links.chunks(super::rows_per_insert::<submission_value::Entity>()) {
        batch.push(submission_value::Entity::insert_many(chunk.to_vec()).build(backend));
    }
    batch.run(db).await?;
    // What was stored, read back as a stored row is (its JSON text parsed again).
    to_domain(m.try_into_model()?)
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
    shared::one(db, Entity::find_by_id(id), to_domain).await
}

/// The item's form in the period, if it has one (there is at most one).
pub async fn of_item_in_period(
    db: &impl ConnectionTrait,
    period_id: Uuid,
    item_id: Uuid,
) -> Result<Option<Submission>, DbErr> {
    let q = Entity::find()
        .filter(Column::PeriodId.eq(period_id))
        .filter(Column::ItemId.eq(item_id));
    shared::one(db, q, to_domain).await
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
    let q = Entity::find()
        .apply_if(f.period_id, |q, x| q.filter(Column::PeriodId.eq(x)))
        .apply_if(f.unit_id, |q, x| q.filter(Column::UnitId.eq(x)))
        .apply_if(f.item_id, |q, x| q.filter(Column::ItemId.eq(x)))
        .apply_if(f.form, |q, x| q.filter(Column::Form.eq(x)))
        .apply_if(f.status, |q, x| q.filter(Column::Status.eq(x.as_str())))
        .apply_if(f.warning, |q, x| q.filter(Column::Warning.eq(x.as_str())))
        .apply_if(f.late, |q, x| q.filter(Column::Late.eq(x)));
    let order = [(Column::CreatedAt, Order::Asc), (Column::Id, Order::Asc)];
    shared::page(db, q, &order, offset, limit, to_domain).await
}

/// Every form of an item, in every period, oldest first (one per period: never many).
pub async fn of_item(db: &impl ConnectionTrait, item_id: Uuid) -> Result<Vec<Submission>, DbErr> {
    let q = Entity::find()
        .filter(Column::ItemId.eq(item_id))
        .order_by_asc(Column::CreatedAt)
        .order_by_asc(Column::Id);
    shared::all(db, q, to_domain).await
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
    let written = shared::update_versioned::<Entity>(db, id, expected_version, super::now(), |q| {
        with_figure_columns(b, with_content_columns(q, content), figures)
            .col_expr(
                Column::ExecutedFiscal,
                Expr::value(StoredAmount::new(b, content.executed.fiscal)),
            )
            .col_expr(
                Column::ExecutedUnion,
                Expr::value(StoredAmount::new(b, content.executed.union)),
            )
    })
    .await?;
    if written {
        relink_values(db, id, content).await?;
    }
    Ok(written)
}

/// A workflow step at instant `at`: moves the form to `status` (with its figures, which know
/// whether it is late) if it is still at `expected_version`, and keeps `version` of it,
/// numbered after its last. One statement on PostgreSQL (`WITH moved AS (UPDATE … RETURNING …)
/// INSERT … SELECT … FROM moved`), two elsewhere. `false`, with nothing written, when the form
/// is no longer at that version.
#[allow(clippy::too_many_arguments)]
pub async fn step(
    db: &impl ConnectionTrait,
    id: Uuid,
    expected_version: i32,
    status: SubmissionStatus,
    figures: &Figures,
    submitted_at: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
    version: NewVersion,
) -> Result<bool, DbErr> {
    let b = db.get_database_backend();
    let update = shared::versioned::<Entity>(id, expected_version, at, |q| {
        with_figure_columns(b, q, figures)
            .col_expr(Column::Status, Expr::value(status.as_str()))
            .apply_if(submitted_at, |q, at| {
                q.col_expr(Column::SubmittedAt, Expr::value(at))
            })
    });
    if b == DbBackend::Postgres {
        let mut update = update.into_query();
        update.returning_col(Column::Id);
        let keep = versions::keep(version, Some("moved"));
        let stmt = batch::guarded(b.build(&update), "moved", b.build(&keep));
        return Ok(db.execute_raw(stmt).await?.rows_affected() == 1);
    }
    if !shared::exec_one(db, update).await? {
        return Ok(false);
    }
    db.execute(&versions::keep(version, None)).await?;
    Ok(true)
}

/// The executed amounts of a submission as stored (for reports).
pub fn executed(s: &Submission) -> FundSplit {
    s.content.executed
}
