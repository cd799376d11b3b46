//! The append-only audit trail. There is no update or delete here on purpose.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::Value;
use uuid::Uuid;

use super::entities::audit_event::{self, Column, Entity};
use crate::domain::account::Role;

/// Who acted; all empty for an anonymous caller (e.g. a failed login).
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub id: Option<Uuid>,
    pub username: Option<String>,
    pub role: Option<Role>,
    pub unit_id: Option<Uuid>,
}

/// Where the request came from.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub request_id: String,
    pub client_addr: Option<String>,
}

/// One change (or attempt) to record.
#[derive(Debug, Clone)]
pub struct Entry {
    /// `<resource>.<verb>`, e.g. `unit.update`.
    pub action: &'static str,
    pub resource_type: &'static str,
    pub resource_id: Option<String>,
    /// `success`, `failure` or `denied`.
    pub outcome: &'static str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl Entry {
    pub fn success(
        action: &'static str,
        resource_type: &'static str,
        resource_id: impl ToString,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Self {
        Entry {
            action,
            resource_type,
            resource_id: Some(resource_id.to_string()),
            outcome: "success",
            before,
            after,
        }
    }
}

const SECRET_KEYS: &[&str] = &[
    "password",
    "password_hash",
    "secret",
    "token",
    "access_token",
];

/// Replaces the value of every secret-looking key, at any depth.
pub fn redact(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    if SECRET_KEYS.contains(&k.as_str()) {
                        (k, Value::String("[redacted]".into()))
                    } else {
                        (k, redact(v))
                    }
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(redact).collect()),
        other => other,
    }
}

#[tracing::instrument(skip_all, fields(action = e.action), err)]
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    origin: &Origin,
    e: Entry,
) -> Result<(), DbErr> {
    let m = audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        occurred_at: Set(super::now()),
        actor_id: Set(actor.id),
        actor_username: Set(actor.username.clone()),
        actor_role: Set(actor.role.map(|r| r.as_str().to_string())),
        actor_unit_id: Set(actor.unit_id),
        action: Set(e.action.to_string()),
        resource_type: Set(e.resource_type.to_string()),
        resource_id: Set(e.resource_id),
        request_id: Set(origin.request_id.clone()),
        client_addr: Set(origin.client_addr.clone()),
        outcome: Set(e.outcome.to_string()),
        before: Set(e.before.map(redact)),
        after: Set(e.after.map(redact)),
    };
    Entity::insert(m).exec_without_returning(db).await?;
    Ok(())
}

#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor_id: Option<Uuid>,
    pub action: Option<String>,
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Newest first.
#[tracing::instrument(skip_all)]
pub async fn list(
    db: &impl ConnectionTrait,
    f: &AuditFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<audit_event::Model>, u64), DbErr> {
    let mut q = Entity::find();
    if let Some(a) = f.actor_id {
        q = q.filter(Column::ActorId.eq(a));
    }
    if let Some(a) = &f.action {
        q = q.filter(Column::Action.eq(a.clone()));
    }
    if let Some(t) = &f.resource_type {
        q = q.filter(Column::ResourceType.eq(t.clone()));
    }
    if let Some(r) = &f.resource_id {
        q = q.filter(Column::ResourceId.eq(r.clone()));
    }
    if let Some(t) = f.from {
        q = q.filter(Column::OccurredAt.gte(t));
    }
    if let Some(t) = f.to {
        q = q.filter(Column::OccurredAt.lt(t));
    }
    let total = q.clone().count(db).await?;
    let rows = q
        .order_by_desc(Column::OccurredAt)
        .order_by_desc(Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((rows, total))
}
