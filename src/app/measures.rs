//! Finance measures (Art. 12, 14): deciding one on an item and lifting it. Suspend and stop
//! set the item's payment status until lifted; adjustments apply like an approved request; a
//! rectification opens a corrective action; a budget reference is kept for next year's budget.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::access::visible_item;
use super::changes::{self, Cause};
use super::corrective_actions::{self as actions, Plan};
use super::pipeline::Change;
use crate::auth::CurrentUser;
use crate::domain::account::Role;
use crate::domain::follow_through::{
    self as ft, ActionSource, Measure, MeasureEffect, MeasureKind, MeasureParts, TargetChange,
};
use crate::domain::item::Item;
use crate::domain::validation::text;
use crate::domain::{FundSplit, Violations};
use crate::error::{ApiError, ApiResult};
use crate::persistence::history::{self, Change as HistoryChange};
use crate::persistence::measures::{self as repo, NewMeasure};
use crate::persistence::submissions::{self, Submission};
use crate::persistence::{indicators, items, periods};

/// A rectification order: the form whose findings are to be rectified, and the plan.
#[derive(Debug, Clone)]
pub struct OrderInput {
    pub submission_id: Uuid,
    pub plan: Plan,
}

/// A finance decision on an item, as a client sends it.
#[derive(Debug, Clone)]
pub struct MeasureInput {
    pub item_id: Uuid,
    pub kind: MeasureKind,
    pub reason: String,
    pub period_id: Option<Uuid>,
    pub new_budget: Option<FundSplit>,
    pub new_targets: Vec<TargetChange>,
    pub rectification: Option<OrderInput>,
}

/// The measure `id` if the caller may see it; 404 otherwise.
pub async fn visible(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<Measure> {
    let found = repo::get(db, id).await?;
    user.visible(found, |m| m.unit_id, "measure", id)
}

/// Finance decides on an item it sees; the item, or 403/404.
pub async fn authorize_decide(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    item_id: Uuid,
) -> ApiResult<Item> {
    user.require(&[Role::Finance])?;
    visible_item(db, user, item_id).await
}

/// A measure request checked against its item.
struct Checked {
    reason: String,
    targets: Vec<TargetChange>,
    order: Option<(Submission, Plan)>,
}

async fn check(db: &impl ConnectionTrait, item: &Item, input: &MeasureInput) -> ApiResult<Checked> {
    let inds = indicators::of_item(db, item.id).await?;
    let mut v = Violations::new();
    let reason = text(&mut v, "reason", &input.reason, 2000);
    if let Some(p) = input.period_id {
        if periods::get(db, p).await?.is_none() {
            v.add("period_id", "unknown", "no period has this id");
        }
    }
    let parts = MeasureParts {
        new_budget: input.new_budget.is_some(),
        new_targets: !input.new_targets.is_empty(),
        rectification: input.rectification.is_some(),
    };
    ft::check_measure_parts(&mut v, input.kind, parts);
    let targets = ft::check_targets("new_targets", &input.new_targets, &inds).unwrap_or_else(|e| {
        v.0.extend(e);
        vec![]
    });
    let mut order = None;
    if let Some(o) = &input.rectification {
        let form = submissions::get(db, o.submission_id)
            .await?
            .filter(|s| s.item_id == item.id);
        if form.is_none() {
            v.add(
                "rectification.submission_id",
                "unknown",
                "not a form of this item",
            );
        }
        let plan = actions::check_plan(&mut v, "rectification.", &o.plan);
        order = form.map(|f| (f, plan));
    }
    v.finish(|| ())?;
    Ok(Checked {
        reason: reason.unwrap_or_default(),
        targets,
        order,
    })
}

/// Decides a measure on `item` and applies what it does to the item.
#[tracing::instrument(skip_all)]
pub async fn decide(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    item: Item,
    input: MeasureInput,
) -> ApiResult<Change<Measure>> {
    let Checked {
        reason,
        targets,
        order,
    } = check(db, &item, &input).await?;
    let action_id = match order {
        Some((form, plan)) => {
            let why = (None, reason.clone(), false);
            let a = actions::insert(db, user, &form, ActionSource::Finance, why, plan).await?;
            Some(a.id)
        }
        None => None,
    };
    let new = NewMeasure {
        item_id: item.id,
        unit_id: item.unit_id,
        period_id: input.period_id,
        kind: input.kind,
        reason,
        new_budget: input.new_budget,
        new_targets: serde_json::to_value(&targets).unwrap_or_default(),
        corrective_action_id: action_id,
        decided_by: user.id,
        decided_by_username: user.username.clone(),
    };
    let measure = repo::insert(db, new).await?;
    match input.kind.effect() {
        MeasureEffect::ChangesItem => {
            let cause = Cause {
                kind: "measure",
                id: measure.id,
                actor: user,
            };
            changes::apply(db, &item, input.new_budget, &targets, &cause).await?;
        }
        MeasureEffect::SetsPayment => sync_payment_status(db, item.id, measure.id, user).await?,
        MeasureEffect::Nothing => {}
    }
    Ok(Change::created(
        "measure.create",
        "measure",
        measure.id,
        measure,
    ))
}

/// Sets the item's payment status from its active measures; records the change.
async fn sync_payment_status(
    db: &impl ConnectionTrait,
    item_id: Uuid,
    cause_id: Uuid,
    user: &CurrentUser,
) -> ApiResult<()> {
    let item = items::get(db, item_id)
        .await?
        .ok_or_else(|| ApiError::not_found("item"))?;
    let active: Vec<MeasureKind> = repo::active_for_items(db, &[item_id])
        .await?
        .iter()
        .map(|m| m.kind)
        .collect();
    let status = ft::payment_status(&active);
    if status == item.payment_status {
        return Ok(());
    }
    items::set_payment_status(db, item_id, status).await?;
    let change = HistoryChange {
        item_id,
        field: "payment_status",
        indicator_id: None,
        before: Some(item.payment_status.to_string()),
        after: Some(status.to_string()),
        cause_type: "measure",
        cause_id: Some(cause_id),
        actor_id: user.id,
        actor_username: &user.username,
    };
    Ok(history::record(db, change).await?)
}

/// A lift asked for, its reason checked.
pub struct LiftPlan {
    measure: Measure,
    reason: String,
}

/// Checks the reason, finds the measure (404) and needs finance (403), in that order.
pub async fn authorize_lift(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
    reason: &str,
) -> ApiResult<LiftPlan> {
    let mut v = Violations::new();
    let reason = text(&mut v, "reason", reason, 2000);
    v.finish(|| ())?;
    let measure = visible(db, user, id).await?;
    user.require(&[Role::Finance])?;
    Ok(LiftPlan {
        measure,
        reason: reason.unwrap_or_default(),
    })
}

/// Lifts an active measure; the item's payment status becomes what the measures still active
/// add up to.
#[tracing::instrument(skip_all)]
pub async fn lift(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    plan: LiftPlan,
) -> ApiResult<Change<Measure>> {
    let LiftPlan { measure, reason } = plan;
    // Lifted by someone else in the meantime counts as already lifted.
    let lifted_now = measure.active && repo::lift(db, measure.id, &reason, user.id).await?;
    ft::check_lift(lifted_now)?;
    sync_payment_status(db, measure.item_id, measure.id, user).await?;
    let after = visible(db, user, measure.id).await?;
    Ok(Change::updated(
        "measure.lift",
        "measure",
        measure.id,
        measure,
        after,
    ))
}
