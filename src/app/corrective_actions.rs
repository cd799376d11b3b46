//! Corrective actions (纠偏措施, Art. 11, 12): a unit opens and works on its own; finance
//! verifies or reopens them, and opens rectification orders (督促整改) on any unit — here or
//! with a `rectification` measure.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::pipeline::Change;
use crate::auth::CurrentUser;
use crate::domain::follow_through::{
    self as ft, ActionNote, ActionSource, ActionStep, CorrectiveAction, Lens,
};
use crate::domain::validation::text;
use crate::domain::Violations;
use crate::error::{ApiError, ApiResult};
use crate::persistence::corrective_actions::{self as repo, NewAction};
use crate::persistence::indicators;
use crate::persistence::submissions::{self, Submission};

/// What is to be done, by whom, by when: the part of an action a rectification order shares.
#[derive(Debug, Clone)]
pub struct Plan {
    pub lens: Lens,
    pub measure: String,
    pub owner: String,
    pub due_date: NaiveDate,
}

/// A new corrective action for a form, as a client sends it.
#[derive(Debug, Clone)]
pub struct ActionInput {
    pub submission_id: Uuid,
    pub indicator_id: Option<Uuid>,
    pub cause: String,
    pub objective_cause: bool,
    pub plan: Plan,
}

/// An action with its notes (on single reads and after a step).
#[derive(Debug, Clone)]
pub struct ActionView {
    pub action: CorrectiveAction,
    pub notes: Option<Vec<ActionNote>>,
}

/// The action `id` if the caller may see it; 404 otherwise.
pub async fn visible(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
) -> ApiResult<CorrectiveAction> {
    let found = repo::get(db, id).await?;
    user.visible(found, |a| a.unit_id, "corrective_action", id)
}

/// The action `id` with its notes, if the caller may see it.
pub async fn get(db: &impl ConnectionTrait, user: &CurrentUser, id: Uuid) -> ApiResult<ActionView> {
    let action = visible(db, user, id).await?;
    let notes = repo::notes(db, id).await?;
    Ok(ActionView {
        action,
        notes: Some(notes),
    })
}

/// Checks a plan's texts and due date (fields under `prefix`); the plan with its texts trimmed.
pub fn check_plan(v: &mut Violations, prefix: &str, plan: &Plan) -> Plan {
    let measure = text(v, &format!("{prefix}measure"), &plan.measure, 2000);
    let owner = text(v, &format!("{prefix}owner"), &plan.owner, 100);
    ft::check_due_date(v, &format!("{prefix}due_date"), plan.due_date);
    Plan {
        lens: plan.lens,
        measure: measure.unwrap_or_default(),
        owner: owner.unwrap_or_default(),
        due_date: plan.due_date,
    }
}

/// Stores a checked action for `form`.
pub async fn insert(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    form: &Submission,
    source: ActionSource,
    (indicator_id, cause, objective_cause): (Option<Uuid>, String, bool),
    plan: Plan,
) -> ApiResult<CorrectiveAction> {
    let new = NewAction {
        submission_id: form.id,
        indicator_id,
        period_id: form.period_id,
        item_id: form.item_id,
        unit_id: form.unit_id,
        lens: plan.lens,
        cause,
        objective_cause,
        measure: plan.measure,
        owner: plan.owner,
        due_date: plan.due_date,
        source,
        created_by: user.id,
    };
    Ok(repo::insert(db, new).await?)
}

/// A reporter for its own unit's form, or finance (as a rectification order) on any unit's;
/// the form, or 404.
pub async fn authorize_create(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    submission_id: Uuid,
) -> ApiResult<Submission> {
    user.require(ft::ACTION_OPENERS)?;
    let found = submissions::get(db, submission_id).await?;
    user.visible(found, |s| s.unit_id, "submission", submission_id)
}

/// Opens a corrective action on `form`.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    form: Submission,
    input: ActionInput,
) -> ApiResult<Change<ActionView>> {
    let mut v = Violations::new();
    if let Some(ind) = input.indicator_id {
        let of_item = indicators::get(db, ind)
            .await?
            .filter(|i| i.item_id == form.item_id);
        if of_item.is_none() {
            v.add(
                "indicator_id",
                "unknown",
                "not an indicator of the form's item",
            );
        }
    }
    let cause = text(&mut v, "cause", &input.cause, 2000);
    let plan = check_plan(&mut v, "", &input.plan);
    v.finish(|| ())?;
    let why = (
        input.indicator_id,
        cause.unwrap_or_default(),
        input.objective_cause,
    );
    let source = ft::action_source(user.role);
    let action = insert(db, user, &form, source, why, plan).await?;
    let view = ActionView {
        action,
        notes: None,
    };
    Ok(Change::created(
        "corrective_action.create",
        "corrective_action",
        view.action.id,
        view,
    ))
}

/// A step asked for, its note checked: what [`step`] needs.
pub struct StepPlan {
    action: CorrectiveAction,
    step: ActionStep,
    note: Option<String>,
}

/// Checks the note, finds the action (404) and the step's role (403), in that order.
pub async fn authorize_step(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: Uuid,
    step: ActionStep,
    note: Option<String>,
) -> ApiResult<StepPlan> {
    let mut v = Violations::new();
    let note = note.and_then(|n| text(&mut v, "note", &n, 2000));
    v.finish(|| ())?;
    let action = visible(db, user, id).await?;
    user.require(&[step.role()])?;
    Ok(StepPlan { action, step, note })
}

/// Takes a step in the action's life, with its note.
#[tracing::instrument(skip_all)]
pub async fn step(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    plan: StepPlan,
) -> ApiResult<Change<ActionView>> {
    let StepPlan { action, step, note } = plan;
    let to = step.apply(action.status)?;
    let before = ActionView {
        notes: Some(repo::notes(db, action.id).await?),
        action,
    };
    let id = before.action.id;
    if !repo::set_status(db, id, before.action.version, to).await? {
        return Err(ApiError::moved_meanwhile());
    }
    let text = note.as_deref().unwrap_or("");
    repo::add_note(db, id, step.as_str(), text, user.id, &user.username).await?;
    let after = get(db, user, id).await?;
    // The trail keeps a step as the statuses it moved between and its note.
    let audited = (
        Some(serde_json::json!({"status": before.action.status})),
        Some(serde_json::json!({"status": to, "note": note})),
    );
    Ok(
        Change::updated(step.audit_action(), "corrective_action", id, before, after)
            .audited_as(audited.0, audited.1),
    )
}
