//! Stored responses of creating POSTs, keyed by (user, Idempotency-Key).

use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait};
use uuid::Uuid;

use super::entities::idempotency_key::{self, Entity};

pub use idempotency_key::Model as StoredResponse;

pub async fn find(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    key: &str,
) -> Result<Option<StoredResponse>, DbErr> {
    Entity::find_by_id((user_id, key.to_string())).one(db).await
}

/// Records the first response for a key; fails with a unique violation if the key is taken.
pub async fn insert(db: &impl ConnectionTrait, r: StoredResponse) -> Result<(), DbErr> {
    let m = idempotency_key::ActiveModel {
        user_id: Set(r.user_id),
        key: Set(r.key),
        request_hash: Set(r.request_hash),
        method: Set(r.method),
        path: Set(r.path),
        status: Set(r.status),
        body: Set(r.body),
        location: Set(r.location),
        version: Set(r.version),
        created_at: Set(r.created_at),
    };
    Entity::insert(m).exec_without_returning(db).await?;
    Ok(())
}
