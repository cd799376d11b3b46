//! Applying an approved adjustment or a finance measure to an item and its indicators: all of
//! it in the caller's transaction, originals kept, every change in the item history, and the
//! figures of forms not yet accepted recomputed.

use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::domain::indicator::{parse_decimal, Indicator};
use crate::domain::item::Item;
use crate::domain::monitoring::Direction;
use crate::domain::workflow::SubmissionStatus;
use crate::domain::{FieldError, FundSplit};
use crate::error::{ApiError, ApiResult};
use crate::persistence::history::{self, Change};
use crate::persistence::submissions;
use crate::persistence::{indicators, items, periods};

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

/// Checks proposed targets against the item's indicators; returns them canonical.
pub fn check_targets(
    field: &str,
    targets: &[TargetChange],
    inds: &[Indicator],
) -> Result<Vec<TargetChange>, Vec<FieldError>> {
    let mut errors = vec![];
    let mut out = vec![];
    let mut seen = std::collections::HashSet::new();
    for (i, t) in targets.iter().enumerate() {
        let f = |x: &str| format!("{field}[{i}].{x}");
        let Some(ind) = inds.iter().find(|x| x.id == t.indicator_id) else {
            errors.push(FieldError::new(
                f("indicator_id"),
                "unknown",
                "not an indicator of this item",
            ));
            continue;
        };
        if !seen.insert(t.indicator_id) {
            errors.push(FieldError::new(
                f("indicator_id"),
                "duplicate",
                "each indicator once",
            ));
        }
        let canonical = match ind.direction {
            Direction::Qualitative => {
                let s = t.target.trim();
                if s.is_empty() || s.chars().count() > 500 {
                    errors.push(FieldError::new(
                        f("target"),
                        "invalid",
                        "must be 1 to 500 characters",
                    ));
                    continue;
                }
                s.to_string()
            }
            _ => match parse_decimal(&t.target) {
                Ok(d) if !d.is_sign_negative() || d.is_zero() => d.to_string(),
                Ok(_) => {
                    errors.push(FieldError::new(
                        f("target"),
                        "negative",
                        "must not be negative",
                    ));
                    continue;
                }
                Err(e) => {
                    errors.push(FieldError::new(f("target"), "invalid", e));
                    continue;
                }
            },
        };
        out.push(TargetChange {
            indicator_id: t.indicator_id,
            target: canonical,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn budget_text(b: &FundSplit) -> String {
    format!("fiscal {} / union {}", b.fiscal, b.union)
}

/// Applies a new budget and/or targets. Fails (and the caller's transaction rolls back) if an
/// indicator has gone in the meantime.
pub async fn apply(
    db: &impl ConnectionTrait,
    item: &Item,
    budget: Option<FundSplit>,
    targets: &[TargetChange],
    cause_type: &'static str,
    cause_id: Uuid,
    actor: &CurrentUser,
) -> ApiResult<()> {
    if let Some(b) = budget {
        items::adjust_budget(db, item.id, b).await?;
        history::record(
            db,
            Change {
                item_id: item.id,
                field: "budget",
                indicator_id: None,
                before: Some(budget_text(&item.budget)),
                after: Some(budget_text(&b)),
                cause_type,
                cause_id: Some(cause_id),
                actor_id: actor.id,
                actor_username: &actor.username,
            },
        )
        .await?;
    }
    let current = indicators::of_item(db, item.id).await?;
    for t in targets {
        let before = current
            .iter()
            .find(|i| i.id == t.indicator_id)
            .map(|i| i.target.clone());
        if before.is_none() || !indicators::adjust_target(db, t.indicator_id, &t.target).await? {
            return Err(ApiError::conflict(format!(
                "indicator {} no longer exists; nothing was changed",
                t.indicator_id
            )));
        }
        history::record(
            db,
            Change {
                item_id: item.id,
                field: "target",
                indicator_id: Some(t.indicator_id),
                before,
                after: Some(t.target.clone()),
                cause_type,
                cause_id: Some(cause_id),
                actor_id: actor.id,
                actor_username: &actor.username,
            },
        )
        .await?;
    }
    refresh_open_forms(db, item.id).await
}

/// Recomputes the figures of the item's forms that are not accepted yet (accepted ones keep
/// the figures they were accepted with).
pub async fn refresh_open_forms(db: &impl ConnectionTrait, item_id: Uuid) -> ApiResult<()> {
    let item = items::get(db, item_id)
        .await?
        .ok_or_else(|| ApiError::not_found("item"))?;
    let inds = indicators::of_item(db, item_id).await?;
    let forms = submissions::of_item(db, item_id).await?;
    for f in forms
        .into_iter()
        .filter(|f| f.status != SubmissionStatus::Accepted)
    {
        let Some(p) = periods::get(db, f.period_id).await? else {
            continue;
        };
        let figs = crate::domain::submission::compute(&item, &inds, &p, &f.content, f.figures.late);
        submissions::update_content(db, f.id, f.version, &f.content, &figs).await?;
    }
    Ok(())
}
