//! The kept versions of a form: one per workflow step, with the whole form as it stood.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Func, InsertStatement, Query, QueryStatementBuilder,
};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::super::entities::submission_version;
use crate::domain::submission::{Submission, SubmissionVersion};
use crate::domain::workflow::SubmissionStatus;

/// One kept version of a form, numbered from 1 per form.
pub struct NewVersion {
    pub submission_id: Uuid,
    pub number: i32,
    pub event: SubmissionStatus,
    pub reason: Option<String>,
    /// The whole submission at that moment, as JSON.
    pub snapshot: String,
    pub actor_id: Uuid,
    pub actor_username: String,
    pub at: DateTime<Utc>,
}

impl NewVersion {
    /// The next version of a form that has just reached its status, kept by `actor` at `at`;
    /// its number is given when it is stored (after the form's last, `submissions::step`).
    pub fn next(
        form: &Submission,
        reason: Option<String>,
        actor: (Uuid, &str),
        at: DateTime<Utc>,
    ) -> Self {
        Self::of(form, 0, reason, actor, at)
    }

    /// The version `number` of a form that has just reached its status, kept by `actor` at `at`.
    pub fn of(
        form: &Submission,
        number: i32,
        reason: Option<String>,
        actor: (Uuid, &str),
        at: DateTime<Utc>,
    ) -> Self {
        NewVersion {
            submission_id: form.id,
            number,
            event: form.status,
            reason,
            snapshot: serde_json::to_string(form).expect("a form serializes"),
            actor_id: actor.0,
            actor_username: actor.1.into(),
            at,
        }
    }
}

/// The `INSERT` of `v`, numbered in the statement itself after the form's last version (the
/// form's row, just updated, is locked, so no other step of the same form numbers at the same
/// time); with `after`, it inserts one row per row of that `WITH` query (none when the update
/// before it found no row).
pub(super) fn keep(v: NewVersion, after: Option<&str>) -> InsertStatement {
    use submission_version::Column as C;
    let last = Query::select()
        .expr(Func::coalesce([Expr::col(C::Number).max(), Expr::val(0)]).add(1))
        .from(submission_version::Entity)
        .and_where(Expr::col(C::SubmissionId).eq(v.submission_id))
        .to_owned();
    let mut row = Query::select()
        .expr(Expr::val(Uuid::new_v4()))
        .expr(Expr::val(v.submission_id))
        .expr(Expr::SubQuery(
            None,
            Box::new(last.into_sub_query_statement()),
        ))
        .expr(Expr::val(v.event.as_str()))
        .expr(Expr::val(v.reason))
        .expr(Expr::val(v.snapshot))
        .expr(Expr::val(v.actor_id))
        .expr(Expr::val(v.actor_username))
        .expr(Expr::val(v.at))
        .to_owned();
    if let Some(after) = after {
        row.from(Alias::new(after));
    }
    Query::insert()
        .into_table(submission_version::Entity)
        .columns([
            C::Id,
            C::SubmissionId,
            C::Number,
            C::Event,
            C::Reason,
            C::Snapshot,
            C::ActorId,
            C::ActorUsername,
            C::CreatedAt,
        ])
        .select_from(row)
        .expect("as many values as columns")
        .to_owned()
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
    super::super::insert_chunked::<submission_version::Entity, _>(
        db,
        versions.into_iter().map(version_active),
    )
    .await
}

/// Every kept version of a form, oldest first.
pub async fn versions(
    db: &impl ConnectionTrait,
    submission_id: Uuid,
) -> Result<Vec<SubmissionVersion>, DbErr> {
    use submission_version::Column as C;
    let rows = submission_version::Entity::find()
        .filter(C::SubmissionId.eq(submission_id))
        .order_by_asc(C::Number)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|m| {
            let bad = |c: &str, e: String| DbErr::Type(format!("submission_versions.{c}: {e}"));
            Ok(SubmissionVersion {
                number: m.number,
                event: m.event.parse().map_err(|e| bad("event", e))?,
                reason: m.reason,
                actor_id: m.actor_id,
                actor_username: m.actor_username,
                created_at: m.created_at,
                snapshot: serde_json::from_str(&m.snapshot)
                    .map_err(|e| bad("snapshot", e.to_string()))?,
            })
        })
        .collect()
}
