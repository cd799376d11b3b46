//! Applying an approved adjustment or a finance measure to an item and its indicators: all of
//! it in the caller's transaction, originals kept, every change in the item history, and the
//! figures of forms not yet accepted recomputed.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::domain::follow_through::TargetChange;
use crate::domain::item::Item;
use crate::domain::workflow::SubmissionStatus;
use crate::domain::FundSplit;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::persistence::history::{self, Change};
use crate::persistence::{indicators, items, periods, submissions};

/// What is applied and why.
pub struct Cause<'a> {
    /// `measure` or `adjustment_request`.
    pub kind: &'static str,
    pub id: Uuid,
    pub actor: &'a CurrentUser,
}

impl Cause<'_> {
    fn change(
        &self,
        item_id: Uuid,
        field: &'static str,
        indicator_id: Option<Uuid>,
        before: Option<String>,
        after: Option<String>,
    ) -> Change<'_> {
        Change {
            item_id,
            field,
            indicator_id,
            before,
            after,
            cause_type: self.kind,
            cause_id: Some(self.id),
            actor_id: self.actor.id,
            actor_username: &self.actor.username,
        }
    }
}

fn budget_text(b: &FundSplit) -> String {
    format!("fiscal {} / union {}", b.fiscal, b.union)
}

/// The answer when a target to change belongs to an indicator deleted in the meantime.
fn indicator_gone(id: Uuid) -> ApiError {
    ApiError::new(
        ErrorCode::Locked,
        format!(
            "indicator {id} no longer exists, so its target cannot change; nothing was changed"
        ),
    )
}

/// Applies a new budget and/or targets. Fails (and the caller's transaction rolls back) if an
/// indicator has gone in the meantime.
pub async fn apply(
    db: &impl ConnectionTrait,
    item: &Item,
    budget: Option<FundSplit>,
    targets: &[TargetChange],
    cause: &Cause<'_>,
) -> ApiResult<()> {
    if let Some(b) = budget {
        items::adjust_budget(db, item.id, b).await?;
        let (before, after) = (budget_text(&item.budget), budget_text(&b));
        history::record(
            db,
            cause.change(item.id, "budget", None, Some(before), Some(after)),
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
            return Err(indicator_gone(t.indicator_id));
        }
        let after = Some(t.target.clone());
        history::record(
            db,
            cause.change(item.id, "target", Some(t.indicator_id), before, after),
        )
        .await?;
    }
    refresh_open_forms(db, item.id).await
}

/// Recomputes the figures of every form of the item that is not accepted yet (accepted ones
/// keep the figures they were accepted with). The forms are read in one query, all of them.
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
