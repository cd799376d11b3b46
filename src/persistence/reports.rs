//! Published reports, frozen at publication in every format.

use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use super::entities::published_report::{self, Entity};

pub use published_report::Model as PublishedReport;

pub async fn get(
    db: &impl ConnectionTrait,
    period_id: Uuid,
) -> Result<Option<PublishedReport>, DbErr> {
    Entity::find_by_id(period_id).one(db).await
}

pub async fn insert(db: &impl ConnectionTrait, r: PublishedReport) -> Result<(), DbErr> {
    Entity::insert(published_report::ActiveModel {
        period_id: Set(r.period_id),
        json: Set(r.json),
        csv: Set(r.csv),
        xlsx: Set(r.xlsx),
        docx: Set(r.docx),
        published_at: Set(r.published_at),
        published_by: Set(r.published_by),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}
