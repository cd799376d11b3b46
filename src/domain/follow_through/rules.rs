//! The follow-through rules the use cases apply: which parts go with which measure kind, what
//! a measure does to its item, who opens a corrective action as what, who takes which step,
//! and what a proposal must carry. Pure functions, table-tested.

use super::{ActionSource, ActionStatus, AdjustmentStatus, MeasureKind};
use crate::domain::account::Role;
use crate::domain::workflow::TransitionError;
use crate::domain::Violations;

/// What deciding a measure does to its item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureEffect {
    /// The new budget and targets apply, like an approved adjustment.
    ChangesItem,
    /// The item's payment status follows its active measures.
    SetsPayment,
    /// Nothing on the item (a rectification opens a corrective action; a reference is a note).
    Nothing,
}

impl MeasureKind {
    pub fn effect(self) -> MeasureEffect {
        match self {
            MeasureKind::AdjustBudget | MeasureKind::AdjustIndicators => MeasureEffect::ChangesItem,
            MeasureKind::SuspendPayment | MeasureKind::StopPayment => MeasureEffect::SetsPayment,
            MeasureKind::Rectification | MeasureKind::BudgetReference => MeasureEffect::Nothing,
        }
    }
}

/// Which optional parts a measure request carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MeasureParts {
    pub new_budget: bool,
    pub new_targets: bool,
    pub rectification: bool,
}

/// The measure-kind pairing: a new budget goes with `adjust_budget` only, new targets with
/// `adjust_indicators` only, a rectification order with `rectification` only.
pub fn check_measure_parts(v: &mut Violations, kind: MeasureKind, parts: MeasureParts) {
    let pairs = [
        (
            "new_budget",
            MeasureKind::AdjustBudget,
            parts.new_budget,
            "a new budget goes with adjust_budget only",
        ),
        (
            "new_targets",
            MeasureKind::AdjustIndicators,
            parts.new_targets,
            "new targets go with adjust_indicators only",
        ),
        (
            "rectification",
            MeasureKind::Rectification,
            parts.rectification,
            "a rectification order goes with rectification only",
        ),
    ];
    for (field, owner, present, message) in pairs {
        let wanted = kind == owner;
        if wanted != present {
            let code = if wanted { "required" } else { "not_applicable" };
            v.add(field, code, message);
        }
    }
}

/// A corrective action finance opens is a rectification order (督促整改); the unit's own are
/// the unit's.
pub fn action_source(role: Role) -> ActionSource {
    if role == Role::Finance {
        ActionSource::Finance
    } else {
        ActionSource::Unit
    }
}

/// The roles that open corrective actions: a reporter for its unit, finance for any unit.
pub const ACTION_OPENERS: &[Role] = &[Role::Reporter, Role::Finance];

/// A step in a corrective action's life, taken by one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionStep {
    Progress,
    Complete,
    Verify,
    Reopen,
}

impl ActionStep {
    /// The event as the notes record it.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStep::Progress => "progress",
            ActionStep::Complete => "complete",
            ActionStep::Verify => "verify",
            ActionStep::Reopen => "reopen",
        }
    }

    /// The audit action that names the step.
    pub fn audit_action(self) -> &'static str {
        match self {
            ActionStep::Progress => "corrective_action.progress",
            ActionStep::Complete => "corrective_action.complete",
            ActionStep::Verify => "corrective_action.verify",
            ActionStep::Reopen => "corrective_action.reopen",
        }
    }

    /// The unit reports its work; finance verifies and reopens.
    pub fn role(self) -> Role {
        match self {
            ActionStep::Progress | ActionStep::Complete => Role::Reporter,
            ActionStep::Verify | ActionStep::Reopen => Role::Finance,
        }
    }

    /// The status after the step, or why it is refused.
    pub fn apply(self, from: ActionStatus) -> Result<ActionStatus, TransitionError> {
        match self {
            ActionStep::Progress => from.progress(),
            ActionStep::Complete => from.complete(),
            ActionStep::Verify => from.verify(),
            ActionStep::Reopen => from.reopen(),
        }
    }
}

/// A decision on an adjustment request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjustmentDecision {
    Approve,
    Reject,
    Withdraw,
}

impl AdjustmentDecision {
    pub fn audit_action(self) -> &'static str {
        match self {
            AdjustmentDecision::Approve => "adjustment_request.approve",
            AdjustmentDecision::Reject => "adjustment_request.reject",
            AdjustmentDecision::Withdraw => "adjustment_request.withdraw",
        }
    }

    /// Finance approves or rejects; the requesting unit withdraws.
    pub fn role(self) -> Role {
        match self {
            AdjustmentDecision::Approve | AdjustmentDecision::Reject => Role::Finance,
            AdjustmentDecision::Withdraw => Role::Reporter,
        }
    }

    pub fn apply(self, from: AdjustmentStatus) -> Result<AdjustmentStatus, TransitionError> {
        match self {
            AdjustmentDecision::Approve => from.approve(),
            AdjustmentDecision::Reject => from.reject(),
            AdjustmentDecision::Withdraw => from.withdraw(),
        }
    }
}

/// A measure is lifted once: lifting one that is no longer active is refused.
pub fn check_lift(active: bool) -> Result<(), TransitionError> {
    if active {
        Ok(())
    } else {
        Err(super::refuse("measure", "lift", "already lifted"))
    }
}

/// An adjustment proposes a new budget, new targets, or both.
pub fn check_proposal(v: &mut Violations, new_budget: bool, new_targets: bool) {
    if !new_budget && !new_targets {
        v.add(
            "new_budget",
            "required",
            "propose a new budget, new targets, or both",
        );
    }
}

/// An optional comment: blank is none; else at most `max` characters.
pub fn optional_text(
    v: &mut Violations,
    field: &str,
    value: Option<String>,
    max: usize,
) -> Option<String> {
    let value = value.filter(|r| !r.trim().is_empty())?;
    if value.chars().count() > max {
        v.add(
            field,
            "too_long",
            format!("must be at most {max} characters"),
        );
        return None;
    }
    Some(value)
}

#[cfg(test)]
#[path = "rules_tests.rs"]
mod tests;
