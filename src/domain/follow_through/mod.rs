//! Follow-through (Art. 11–14): corrective actions, adjustment requests and finance measures.

use crate::closed_enum;

mod records;
mod rules;
mod targets;

pub use records::{ActionNote, AdjustmentRequest, CorrectiveAction, Measure, TargetChange};
pub use rules::{
    action_source, check_lift, check_measure_parts, check_proposal, optional_text, ActionStep,
    AdjustmentDecision, MeasureEffect, MeasureParts, ACTION_OPENERS,
};
pub use targets::check_targets;

use super::item::PaymentStatus;
use super::workflow::TransitionError;

closed_enum! {
    /// Which kind of monitoring found the problem (Art. 8).
    pub enum Lens {
        /// 及时性
        Timeliness => "timeliness",
        /// 合规性
        Compliance => "compliance",
        /// 有效性
        Effectiveness => "effectiveness",
    }
}

closed_enum! {
    /// Where a corrective action stands.
    pub enum ActionStatus {
        Open => "open",
        InProgress => "in_progress",
        Done => "done",
        Verified => "verified",
    }
}

closed_enum! {
    /// Who opened a corrective action: the unit itself, or finance as a rectification order (督促整改).
    pub enum ActionSource {
        Unit => "unit",
        Finance => "finance",
    }
}

fn refuse(what: &'static str, action: &'static str, from: &'static str) -> TransitionError {
    TransitionError::NotAllowed { what, action, from }
}

impl ActionStatus {
    /// A progress note moves an open action into progress; it may be repeated.
    pub fn progress(self) -> Result<Self, TransitionError> {
        match self {
            ActionStatus::Open | ActionStatus::InProgress => Ok(ActionStatus::InProgress),
            s => Err(refuse(
                "corrective action",
                "report progress on",
                s.as_str(),
            )),
        }
    }

    /// The unit reports the measure carried out.
    pub fn complete(self) -> Result<Self, TransitionError> {
        match self {
            ActionStatus::Open | ActionStatus::InProgress => Ok(ActionStatus::Done),
            s => Err(refuse("corrective action", "complete", s.as_str())),
        }
    }

    /// Finance confirms a completed action.
    pub fn verify(self) -> Result<Self, TransitionError> {
        match self {
            ActionStatus::Done => Ok(ActionStatus::Verified),
            s => Err(refuse("corrective action", "verify", s.as_str())),
        }
    }

    /// Finance sends a completed (or verified) action back to work.
    pub fn reopen(self) -> Result<Self, TransitionError> {
        match self {
            ActionStatus::Done | ActionStatus::Verified => Ok(ActionStatus::InProgress),
            s => Err(refuse("corrective action", "reopen", s.as_str())),
        }
    }

    /// Still to be carried out.
    pub fn is_pending(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }

    /// The pending statuses, as queries select them.
    pub fn pending() -> Vec<ActionStatus> {
        Self::ALL
            .iter()
            .copied()
            .filter(|s| s.is_pending())
            .collect()
    }
}

/// A corrective action's due date, however the action is opened: within the years 2000–2100.
pub fn check_due_date(v: &mut super::Violations, field: &str, due: chrono::NaiveDate) {
    if !(2000..=2100).contains(&chrono::Datelike::year(&due)) {
        v.add(
            field,
            "out_of_range",
            "must be between the years 2000 and 2100",
        );
    }
}

/// Overdue: past its due date (local) and not done. The corrective-action list and the report
/// select by the same rule ([`ActionStatus::pending`] and a due date before today).
pub fn is_overdue(status: ActionStatus, due: chrono::NaiveDate, today: chrono::NaiveDate) -> bool {
    status.is_pending() && due < today
}

closed_enum! {
    /// The objective cause of an adjustment (Art. 13).
    pub enum AdjustmentCause {
        /// 政策变化
        PolicyChange => "policy_change",
        /// 突发事件
        Emergency => "emergency",
        Other => "other",
    }
}

closed_enum! {
    /// Where an adjustment request stands.
    pub enum AdjustmentStatus {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
        Withdrawn => "withdrawn",
    }
}

impl AdjustmentStatus {
    pub fn approve(self) -> Result<Self, TransitionError> {
        match self {
            AdjustmentStatus::Pending => Ok(AdjustmentStatus::Approved),
            s => Err(refuse("adjustment request", "approve", s.as_str())),
        }
    }

    pub fn reject(self) -> Result<Self, TransitionError> {
        match self {
            AdjustmentStatus::Pending => Ok(AdjustmentStatus::Rejected),
            s => Err(refuse("adjustment request", "reject", s.as_str())),
        }
    }

    pub fn withdraw(self) -> Result<Self, TransitionError> {
        match self {
            AdjustmentStatus::Pending => Ok(AdjustmentStatus::Withdrawn),
            s => Err(refuse("adjustment request", "withdraw", s.as_str())),
        }
    }
}

closed_enum! {
    /// What finance decides on an item (Art. 12, 14).
    pub enum MeasureKind {
        /// 暂缓付款
        SuspendPayment => "suspend_payment",
        /// 停止付款
        StopPayment => "stop_payment",
        /// 调整预算
        AdjustBudget => "adjust_budget",
        /// 调整绩效目标指标
        AdjustIndicators => "adjust_indicators",
        /// 督促整改
        Rectification => "rectification",
        /// 作为以后年度预算安排的参考
        BudgetReference => "budget_reference",
    }
}

/// The payment status the active measures of an item add up to: the strongest wins.
pub fn payment_status(active: &[MeasureKind]) -> PaymentStatus {
    if active.contains(&MeasureKind::StopPayment) {
        PaymentStatus::Stopped
    } else if active.contains(&MeasureKind::SuspendPayment) {
        PaymentStatus::Suspended
    } else {
        PaymentStatus::Normal
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActionStatus::*;

    #[test]
    fn due_dates_outside_2000_to_2100_are_refused() {
        let d = |y, m, dd| chrono::NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        for (due, ok) in [
            (d(1999, 12, 31), false),
            (d(2000, 1, 1), true),
            (d(2026, 9, 30), true),
            (d(2100, 12, 31), true),
            (d(2101, 1, 1), false),
        ] {
            let mut v = crate::domain::Violations::new();
            check_due_date(&mut v, "due_date", due);
            assert_eq!(v.finish(|| ()).is_ok(), ok, "{due}");
        }
    }

    #[test]
    fn corrective_action_transitions() {
        type Step = fn(ActionStatus) -> Result<ActionStatus, TransitionError>;
        let steps: [(&str, Step); 4] = [
            ("progress", ActionStatus::progress),
            ("complete", ActionStatus::complete),
            ("verify", ActionStatus::verify),
            ("reopen", ActionStatus::reopen),
        ];
        let expected = [
            (Open, [Some(InProgress), Some(Done), None, None]),
            (InProgress, [Some(InProgress), Some(Done), None, None]),
            (Done, [None, None, Some(Verified), Some(InProgress)]),
            (Verified, [None, None, None, Some(InProgress)]),
        ];
        for (from, outcomes) in expected {
            for ((name, step), want) in steps.iter().zip(outcomes) {
                assert_eq!(step(from).ok(), want, "{name} from {from}");
            }
        }
    }

    #[test]
    fn adjustment_transitions() {
        use AdjustmentStatus::*;
        for (from, approve, reject, withdraw) in [
            (Pending, Some(Approved), Some(Rejected), Some(Withdrawn)),
            (Approved, None, None, None),
            (Rejected, None, None, None),
            (Withdrawn, None, None, None),
        ] {
            assert_eq!(from.approve().ok(), approve, "approve {from}");
            assert_eq!(from.reject().ok(), reject, "reject {from}");
            assert_eq!(from.withdraw().ok(), withdraw, "withdraw {from}");
        }
    }

    #[test]
    fn the_strongest_active_measure_sets_the_payment_status() {
        use MeasureKind::*;
        for (active, status) in [
            (vec![], PaymentStatus::Normal),
            (vec![Rectification, BudgetReference], PaymentStatus::Normal),
            (vec![SuspendPayment], PaymentStatus::Suspended),
            (vec![SuspendPayment, StopPayment], PaymentStatus::Stopped),
            (vec![StopPayment, AdjustBudget], PaymentStatus::Stopped),
        ] {
            assert_eq!(payment_status(&active), status, "{active:?}");
        }
    }

    #[test]
    fn overdue_means_past_due_and_not_done() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        for (status, due, today, overdue) in [
            (Open, "2026-07-31", "2026-08-01", true),
            (InProgress, "2026-07-31", "2026-08-01", true),
            (Open, "2026-07-31", "2026-07-31", false),
            (Done, "2026-07-31", "2026-09-01", false),
            (Verified, "2026-07-31", "2026-09-01", false),
        ] {
            assert_eq!(
                is_overdue(status, d(due), d(today)),
                overdue,
                "{status} {due} {today}"
            );
        }
    }
}
