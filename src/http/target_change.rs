//! A new target for one indicator, as measures and adjustment requests carry it on the wire.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::follow_through as ft;
use crate::http::same_fields::same_fields;

/// A new target for one indicator of the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "target": "900"}))]
pub struct TargetChange {
    pub indicator_id: Uuid,
    /// A decimal, or the expected description of a qualitative indicator.
    #[schema(min_length = 1, max_length = 500)]
    pub target: String,
}

same_fields!(both TargetChange, ft::TargetChange { indicator_id, target });

/// The targets as the service takes them.
pub fn to_domain(targets: Vec<TargetChange>) -> Vec<ft::TargetChange> {
    targets.into_iter().map(Into::into).collect()
}

/// The targets as the API shows them.
pub fn to_wire(targets: Vec<ft::TargetChange>) -> Vec<TargetChange> {
    targets.into_iter().map(Into::into).collect()
}
