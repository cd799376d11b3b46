use super::*;
use MeasureKind::*;

fn codes(v: Violations) -> Vec<(String, String)> {
    v.0.into_iter().map(|e| (e.field, e.code)).collect()
}

#[test]
fn each_part_goes_with_its_measure_kind_only() {
    let parts = |b, t, r| MeasureParts {
        new_budget: b,
        new_targets: t,
        rectification: r,
    };
    for (kind, given, expected) in [
        (SuspendPayment, parts(false, false, false), vec![]),
        (
            SuspendPayment,
            parts(true, true, true),
            vec![
                ("new_budget", "not_applicable"),
                ("new_targets", "not_applicable"),
                ("rectification", "not_applicable"),
            ],
        ),
        (AdjustBudget, parts(true, false, false), vec![]),
        (
            AdjustBudget,
            parts(false, false, false),
            vec![("new_budget", "required")],
        ),
        (
            AdjustBudget,
            parts(true, true, false),
            vec![("new_targets", "not_applicable")],
        ),
        (AdjustIndicators, parts(false, true, false), vec![]),
        (
            AdjustIndicators,
            parts(false, false, false),
            vec![("new_targets", "required")],
        ),
        (Rectification, parts(false, false, true), vec![]),
        (
            Rectification,
            parts(false, false, false),
            vec![("rectification", "required")],
        ),
        (BudgetReference, parts(false, false, false), vec![]),
        (
            StopPayment,
            parts(true, false, false),
            vec![("new_budget", "not_applicable")],
        ),
    ] {
        let mut v = Violations::new();
        check_measure_parts(&mut v, kind, given);
        let want: Vec<(String, String)> = expected
            .into_iter()
            .map(|(f, c)| (f.to_string(), c.to_string()))
            .collect();
        assert_eq!(codes(v), want, "{kind} {given:?}");
    }
}

#[test]
fn what_each_measure_kind_does_to_its_item() {
    for (kind, effect) in [
        (SuspendPayment, MeasureEffect::SetsPayment),
        (StopPayment, MeasureEffect::SetsPayment),
        (AdjustBudget, MeasureEffect::ChangesItem),
        (AdjustIndicators, MeasureEffect::ChangesItem),
        (Rectification, MeasureEffect::Nothing),
        (BudgetReference, MeasureEffect::Nothing),
    ] {
        assert_eq!(kind.effect(), effect, "{kind}");
    }
}

#[test]
fn finance_opens_rectification_orders_and_a_unit_its_own_actions() {
    for (role, source) in [
        (Role::Finance, ActionSource::Finance),
        (Role::Reporter, ActionSource::Unit),
    ] {
        assert_eq!(action_source(role), source, "{role}");
    }
    assert_eq!(ACTION_OPENERS, &[Role::Reporter, Role::Finance]);
}

#[test]
fn each_action_step_has_its_role_event_and_transition() {
    use ActionStatus::*;
    for (step, role, event, from, to) in [
        (
            ActionStep::Progress,
            Role::Reporter,
            "progress",
            Open,
            Some(InProgress),
        ),
        (
            ActionStep::Complete,
            Role::Reporter,
            "complete",
            InProgress,
            Some(Done),
        ),
        (
            ActionStep::Verify,
            Role::Finance,
            "verify",
            Done,
            Some(Verified),
        ),
        (ActionStep::Verify, Role::Finance, "verify", Open, None),
        (
            ActionStep::Reopen,
            Role::Finance,
            "reopen",
            Verified,
            Some(InProgress),
        ),
        (ActionStep::Reopen, Role::Finance, "reopen", Open, None),
    ] {
        assert_eq!(step.role(), role, "{step:?}");
        assert_eq!(step.as_str(), event);
        assert_eq!(step.audit_action(), format!("corrective_action.{event}"));
        assert_eq!(step.apply(from).ok(), to, "{step:?} from {from}");
    }
}

#[test]
fn each_adjustment_decision_has_its_role_and_transition() {
    use AdjustmentStatus::*;
    for (d, role, action, from, to) in [
        (
            AdjustmentDecision::Approve,
            Role::Finance,
            "approve",
            Pending,
            Some(Approved),
        ),
        (
            AdjustmentDecision::Approve,
            Role::Finance,
            "approve",
            Approved,
            None,
        ),
        (
            AdjustmentDecision::Reject,
            Role::Finance,
            "reject",
            Pending,
            Some(Rejected),
        ),
        (
            AdjustmentDecision::Reject,
            Role::Finance,
            "reject",
            Withdrawn,
            None,
        ),
        (
            AdjustmentDecision::Withdraw,
            Role::Reporter,
            "withdraw",
            Pending,
            Some(Withdrawn),
        ),
    ] {
        assert_eq!(d.role(), role, "{d:?}");
        assert_eq!(d.audit_action(), format!("adjustment_request.{action}"));
        assert_eq!(d.apply(from).ok(), to, "{d:?} from {from}");
    }
}

#[test]
fn only_an_active_measure_can_be_lifted() {
    for (active, ok) in [(true, true), (false, false)] {
        assert_eq!(check_lift(active).is_ok(), ok, "{active}");
    }
    assert_eq!(
        check_lift(false).unwrap_err().to_string(),
        "cannot lift a measure that is already lifted"
    );
}

#[test]
fn a_proposal_carries_a_budget_or_targets() {
    for (budget, targets, ok) in [
        (false, false, false),
        (true, false, true),
        (false, true, true),
        (true, true, true),
    ] {
        let mut v = Violations::new();
        check_proposal(&mut v, budget, targets);
        assert_eq!(v.is_empty(), ok, "{budget} {targets}");
    }
}

#[test]
fn an_optional_comment_is_none_when_blank_and_bounded() {
    for (given, kept, ok) in [
        (None, None, true),
        (Some("  "), None, true),
        (Some("ok"), Some("ok"), true),
        (Some(&*"x".repeat(2001)), None, false),
    ] {
        let mut v = Violations::new();
        let got = optional_text(&mut v, "reason", given.map(String::from), 2000);
        assert_eq!(got.as_deref(), kept, "{given:?}");
        assert_eq!(v.is_empty(), ok, "{given:?}");
    }
}
