//! Adjustment requests (Art. 13): a unit explains an objective cause and proposes a new
//! budget and/or targets; finance approves (applied at once, in the same transaction) or
//! rejects; the unit may withdraw a pending one.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::access::visible_item;
use super::changes::{self, Cause};
use super::pipeline::Change;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::follow_through::{
    self as ft, AdjustmentCause, AdjustmentDecision, AdjustmentRequest, AdjustmentStatus,
    TargetChange,
};
use crate::domain::item::Item;
use crate::domain::validation::text;
use crate::domain::{FundSplit, Violations};
use crate::error::{ApiError, ApiResult};
use crate::persistence::adjustments::{self as repo, NewAdjustment};
use crate::persistence::indicators;

/// A proposal as a client sends it.
#[derive(Debug, Clone)]
pub struct ProposalInput {
    pub item_id: Uuid,
    pub cause: AdjustmentCause,
    pub explanation: String,
    pub countermeasures: String,
    pub new_budget: Option<FundSplit>,
    pub new_targets: Vec<TargetChange>,
}

/// The request `id` if the caller may see it; 404 otherwise.
pub async fn visible(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<AdjustmentRequest> {
    let found = repo::get(db, id).await?;
    user.visible(found, |a| a.unit_id, "adjustment_request", id)
}

/// A reporter requests for an item of its unit; the item, or 403/404.
pub async fn authorize_request(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    item_id: Uuid,
) -> ApiResult<Item> {
    user.require(&[Role::Reporter])?;
    visible_item(db, user, item_id).await
}

/// Files a pending request for `item`.
#[tracing::instrument(skip_all)]
pub async fn request(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    item: Item,
    input: ProposalInput,
) -> ApiResult<Change<AdjustmentRequest>> {
    let inds = indicators::of_item(db, item.id).await?;
    let mut v = Violations::new();
    let explanation = text(&mut v, "explanation", &input.explanation, 4000);
    let countermeasures = text(&mut v, "countermeasures", &input.countermeasures, 4000);
    let has_targets = !input.new_targets.is_empty();
    ft::check_proposal(&mut v, input.new_budget.is_some(), has_targets);
    let targets = ft::check_targets("new_targets", &input.new_targets, &inds).unwrap_or_else(|e| {
        v.0.extend(e);
        vec![]
    });
    v.finish(|| ())?;
    let new = NewAdjustment {
        item_id: item.id,
        unit_id: item.unit_id,
        cause: input.cause,
        explanation: explanation.unwrap_or_default(),
        countermeasures: countermeasures.unwrap_or_default(),
        new_budget: input.new_budget,
        new_targets: targets,
        created_by: user.id,
    };
    let created = repo::insert(db, new).await?;
    Ok(Change::created(
        "adjustment_request.create",
        "adjustment_request",
        created.id,
        created,
    ))
}

/// A decision asked for, its reason checked.
pub struct DecisionPlan {
    request: AdjustmentRequest,
    decision: AdjustmentDecision,
    reason: Option<String>,
}

/// The reason of a decision: required to reject, optional (blank is none) to approve, none to
/// withdraw.
fn check_reason(decision: AdjustmentDecision, reason: Option<String>) -> ApiResult<Option<String>> {
    let mut v = Violations::new();
    let reason = match decision {
        AdjustmentDecision::Reject => text(&mut v, "reason", reason.as_deref().unwrap_or(""), 2000),
        AdjustmentDecision::Approve => ft::optional_text(&mut v, "reason", reason, 2000),
        AdjustmentDecision::Withdraw => None,
    };
    v.finish(|| ())?;
    Ok(reason)
}

/// Checks the reason (422), finds the request (404) and needs the decision's role (403), in
/// that order.
pub async fn authorize_decision(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
    decision: AdjustmentDecision,
    reason: Option<String>,
) -> ApiResult<DecisionPlan> {
    let reason = check_reason(decision, reason)?;
    let request = visible(db, user, id).await?;
    user.require(&[decision.role()])?;
    Ok(DecisionPlan {
        request,
        decision,
        reason,
    })
}

/// Decides a pending request; an approval applies the new budget and targets to the item,
/// all or nothing.
#[tracing::instrument(skip_all)]
pub async fn decide(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    plan: DecisionPlan,
) -> ApiResult<Change<AdjustmentRequest>> {
    let DecisionPlan {
        request: current,
        decision,
        reason,
    } = plan;
    let to = decision.apply(current.status)?;
    if to == AdjustmentStatus::Approved {
        let item = visible_item(db, user, current.item_id).await?;
        let cause = Cause {
            kind: "adjustment_request",
            id: current.id,
            actor: user,
        };
        let (budget, targets) = (current.new_budget, &current.new_targets);
        changes::apply(db, &item, budget, targets, &cause).await?;
    }
    if !repo::decide(db, current.id, current.version, to, reason, user.id).await? {
        return Err(ApiError::moved_meanwhile());
    }
    let after = visible(db, user, current.id).await?;
    Ok(Change::updated(
        decision.audit_action(),
        "adjustment_request",
        current.id,
        current,
        after,
    ))
}
