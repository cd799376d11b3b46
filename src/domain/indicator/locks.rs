//! When an indicator's definition can change: proration only for a higher-better quantity,
//! and its meaning locked once a submitted form reports on it.

use super::Indicator;
use crate::domain::item::Locked;
use crate::domain::monitoring::Direction;
use crate::domain::Violations;

/// Only a higher-better quantity is compared against time progress.
pub fn check_prorate(v: &mut Violations, prorate: bool, direction: Direction) {
    if prorate && direction != Direction::HigherBetter {
        v.add(
            "prorate",
            "not_applicable",
            "only a higher-better quantity is compared against time progress",
        );
    }
}

/// Whether an edit changes what filed values are measured against (target, direction,
/// proration); the name, unit, levels and weight are wording.
pub fn changes_meaning(
    current: &Indicator,
    direction: Direction,
    target: &str,
    prorate: bool,
) -> bool {
    current.target != target || current.direction != direction || current.prorate != prorate
}

/// Once a submitted form reports on an indicator, its meaning changes only through an
/// adjustment request.
pub fn edit_allowed(changes_meaning: bool, filed: bool) -> Result<(), Locked> {
    if changes_meaning && filed {
        Err(Locked(
            "a submitted form reports on this indicator; change its target through an adjustment request",
        ))
    } else {
        Ok(())
    }
}

/// An indicator any form (even a draft) reports on cannot be deleted.
pub fn delete_allowed(reported_on: bool) -> Result<(), Locked> {
    if reported_on {
        Err(Locked(
            "a form reports on this indicator; it cannot be deleted",
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::indicator::{Level1, Level2};

    #[test]
    fn a_reported_indicator_keeps_its_meaning() {
        for ((meaning, filed), allowed) in [
            ((false, false), true),
            ((false, true), true),
            ((true, false), true),
            ((true, true), false),
        ] {
            assert_eq!(
                edit_allowed(meaning, filed).is_ok(),
                allowed,
                "{meaning} {filed}"
            );
        }
        for (reported, allowed) in [(false, true), (true, false)] {
            assert_eq!(delete_allowed(reported).is_ok(), allowed);
        }
    }

    #[test]
    fn what_changes_the_meaning() {
        let now = chrono::Utc::now();
        let current = Indicator {
            id: uuid::Uuid::nil(),
            item_id: uuid::Uuid::nil(),
            position: 1,
            level1: Level1::Output,
            level2: Level2::Quantity,
            name: "n".into(),
            measure_unit: "人".into(),
            direction: Direction::HigherBetter,
            target: "10".into(),
            original_target: "10".into(),
            prorate: true,
            weight: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        for ((direction, target, prorate), expected) in [
            ((Direction::HigherBetter, "10", true), false),
            ((Direction::HigherBetter, "11", true), true),
            ((Direction::LowerBetter, "10", true), true),
            ((Direction::HigherBetter, "10", false), true),
        ] {
            assert_eq!(
                changes_meaning(&current, direction, target, prorate),
                expected
            );
        }
    }

    #[test]
    fn only_higher_better_prorates() {
        for ((prorate, direction), ok) in [
            ((true, Direction::HigherBetter), true),
            ((true, Direction::LowerBetter), false),
            ((true, Direction::Qualitative), false),
            ((false, Direction::Qualitative), true),
        ] {
            let mut v = Violations::new();
            check_prorate(&mut v, prorate, direction);
            assert_eq!(v.0.is_empty(), ok);
        }
    }
}
