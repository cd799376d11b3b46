//! Which indicators a form answers (kept apart so an indicator's changes can ask cheaply).

use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
};
use uuid::Uuid;

use super::super::entities::submission::{Column, Entity};
use super::super::entities::submission_value;
use crate::domain::submission::SubmissionContent;
use crate::domain::workflow::SubmissionStatus;

/// The indicator links of a form's values.
pub(super) fn links(
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
pub(super) async fn relink_values(
    db: &impl ConnectionTrait,
    id: Uuid,
    content: &SubmissionContent,
) -> Result<(), DbErr> {
    submission_value::Entity::delete_many()
        .filter(submission_value::Column::SubmissionId.eq(id))
        .exec(db)
        .await?;
    super::super::insert_chunked::<submission_value::Entity, _>(db, links(id, content)).await
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
