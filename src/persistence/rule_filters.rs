//! The domain's rules that queries select by, built from the domain's own definitions: as
//! sea-orm conditions for the entity queries, and as SQL fragments for the report's raw
//! statements. Neither restates a rule; a rule changed in the domain changes both.

use chrono::NaiveDate;
use sea_orm::sea_query::SimpleExpr;
use sea_orm::{ColumnTrait, Condition, Value};

use super::entities::{corrective_action, item};
use crate::domain::follow_through::ActionStatus;
use crate::domain::period::REQUIRED_FORMS;

/// The items a period requires a form for ([`crate::domain::period::requires_form`]).
pub fn required_form() -> Condition {
    let r = REQUIRED_FORMS;
    Condition::any()
        .add(item::Column::Kind.is_in(r.every.iter().map(|k| k.as_str())))
        .add(
            Condition::all()
                .add(item::Column::Kind.is_in(r.key_monitored.iter().map(|k| k.as_str())))
                .add(item::Column::KeyMonitored.eq(true)),
        )
}

/// [`required_form`] on the items table aliased `i`, with its values.
pub fn required_form_sql(i: &str) -> (String, Vec<Value>) {
    let r = REQUIRED_FORMS;
    let every = one_of(&format!("{i}.kind"), r.every.iter().map(|k| k.as_str()));
    let key = one_of(
        &format!("{i}.kind"),
        r.key_monitored.iter().map(|k| k.as_str()),
    );
    (
        format!("({every} OR ({key} AND {i}.key_monitored = ?))"),
        vec![true.into()],
    )
}

fn pending_statuses() -> Vec<&'static str> {
    ActionStatus::pending().iter().map(|s| s.as_str()).collect()
}

/// A corrective action still to be carried out ([`ActionStatus::is_pending`]).
pub fn pending_action() -> SimpleExpr {
    corrective_action::Column::Status.is_in(pending_statuses())
}

/// A corrective action overdue on `today`
/// ([`crate::domain::follow_through::is_overdue`]).
pub fn overdue_action(today: NaiveDate) -> Condition {
    Condition::all()
        .add(pending_action())
        .add(corrective_action::Column::DueDate.lt(today))
}

/// [`pending_action`] on the corrective actions table aliased `ca` (no values).
pub fn pending_action_sql(ca: &str) -> String {
    one_of(&format!("{ca}.status"), pending_statuses())
}

/// [`overdue_action`] on the corrective actions table aliased `ca`, with its value.
pub fn overdue_action_sql(ca: &str, today: NaiveDate) -> (String, Vec<Value>) {
    (
        format!("({} AND {ca}.due_date < ?)", pending_action_sql(ca)),
        vec![today.into()],
    )
}

/// `column IN ('a', 'b')` over closed-enum values (snake_case words written into the
/// statement, never user input); false for none.
fn one_of<'a>(column: &str, values: impl IntoIterator<Item = &'a str>) -> String {
    let values: Vec<String> = values
        .into_iter()
        .inspect(|v| {
            debug_assert!(
                v.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "not a closed-enum value: {v}"
            )
        })
        .map(|v| format!("'{v}'"))
        .collect();
    if values.is_empty() {
        "1 = 0".into()
    } else {
        format!("{column} IN ({})", values.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_values_is_quoted_and_an_empty_one_selects_nothing() {
        assert_eq!(one_of("i.kind", ["overall"]), "i.kind IN ('overall')");
        assert_eq!(
            one_of("ca.status", ["open", "in_progress"]),
            "ca.status IN ('open', 'in_progress')"
        );
        assert_eq!(one_of("i.kind", []), "1 = 0");
    }
}
