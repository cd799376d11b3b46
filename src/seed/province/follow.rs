//! The follow-through on the generated red forms: the units' corrective actions and finance's
//! payment suspensions, each checked by the rules the API applies (written row by row, with no
//! per-row audit events).

use sea_orm::DatabaseTransaction;

use super::super::{check, invalid, signed_in, SeedError};
use super::date;
use super::generator::Generator;
use super::names::PEOPLE;
use crate::app::corrective_actions::{self as actions, Plan};
use crate::domain::account::User;
use crate::domain::follow_through::{self as ft, Lens, MeasureEffect, MeasureKind, MeasureParts};
use crate::domain::item::PaymentStatus;
use crate::domain::period::Period;
use crate::domain::validation::text;
use crate::domain::Violations;
use crate::persistence::measures;

const ACTION_CAUSE: &str = "资金支付进度滞后于序时进度，部分采购合同尚未签订";
const ACTION_MEASURE: &str = "加快政府采购和合同签订，按月调度资金支付进度";

/// Each red form's unit opens a corrective action on it, by the rules the API applies (a
/// third were due before the report and are overdue; a quarter have an objective cause).
pub(super) async fn open_corrective_actions(
    txn: &DatabaseTransaction,
    g: &Generator<'_>,
    red: &[(usize, usize)],
    reporters: &[User],
) -> Result<(), SeedError> {
    for (k, (n, _)) in red.iter().enumerate() {
        let form = &g.forms[*n];
        let reporter = reporters
            .iter()
            .find(|r| r.unit_id == Some(form.unit_id))
            .map(signed_in)
            .ok_or_else(|| invalid("a form of a unit without a reporter"))?;
        let plan = Plan {
            lens: Lens::Effectiveness,
            measure: ACTION_MEASURE.into(),
            owner: PEOPLE[k % PEOPLE.len()].0.into(),
            due_date: if k % 3 == 0 {
                date(2026, 7, 25)
            } else {
                date(2026, 12, 31)
            },
        };
        let mut v = Violations::new();
        let cause = text(&mut v, "cause", ACTION_CAUSE, 2000).unwrap_or_default();
        let plan = actions::check_plan(&mut v, "", &plan);
        check(v)?;
        let source = ft::action_source(reporter.role);
        let why = (None, cause, k % 4 == 0);
        actions::insert(txn, &reporter, form, source, why, plan).await?;
    }
    Ok(())
}

/// Finance's payment suspension, checked by the rules the API applies to a measure.
pub(super) struct Suspension {
    reason: String,
    /// What the suspension makes of its item's payment status.
    pub(super) payment_status: PaymentStatus,
}

impl Suspension {
    const KIND: MeasureKind = MeasureKind::SuspendPayment;

    pub(super) fn checked() -> Result<Self, SeedError> {
        let mut v = Violations::new();
        let reason = text(&mut v, "reason", "执行进度严重滞后，暂缓拨付剩余资金", 2000);
        ft::check_measure_parts(&mut v, Self::KIND, MeasureParts::default());
        check(v)?;
        if Self::KIND.effect() != MeasureEffect::SetsPayment {
            return Err(invalid("a suspension sets the payment status"));
        }
        Ok(Suspension {
            reason: reason.unwrap_or_default(),
            payment_status: ft::payment_status(&[Self::KIND]),
        })
    }

    /// Records the suspension on each item (their payment status was set before they were
    /// stored).
    pub(super) async fn decide(
        &self,
        txn: &DatabaseTransaction,
        g: &Generator<'_>,
        suspended: &[usize],
        period: &Period,
        finance: &User,
    ) -> Result<(), SeedError> {
        for item in suspended {
            let it = &g.items[*item];
            let new = measures::NewMeasure {
                item_id: it.id,
                unit_id: it.unit_id,
                period_id: Some(period.id),
                kind: Self::KIND,
                reason: self.reason.clone(),
                new_budget: None,
                new_targets: serde_json::json!([]),
                corrective_action_id: None,
                decided_by: finance.id,
                decided_by_username: finance.username.clone(),
            };
            measures::insert(txn, new).await?;
        }
        Ok(())
    }
}
