//! Checking the new targets an adjustment or a measure proposes: each against the item's
//! indicator, by the indicator's own rule.

use std::collections::HashSet;

use uuid::Uuid;

use super::records::TargetChange;
use crate::domain::indicator::{self, Indicator};
use crate::domain::{FieldError, Violations};

/// Checks proposed targets against the item's indicators, each target as an indicator's own
/// target is checked ([`indicator::check`]); returns them canonical.
pub fn check_targets(
    field: &str,
    targets: &[TargetChange],
    inds: &[Indicator],
) -> Result<Vec<TargetChange>, Vec<FieldError>> {
    let mut errors = vec![];
    let mut out = vec![];
    let mut seen: HashSet<Uuid> = HashSet::new();
    for (i, t) in targets.iter().enumerate() {
        let at = |x: &str| format!("{field}[{i}].{x}");
        let Some(ind) = inds.iter().find(|x| x.id == t.indicator_id) else {
            errors.push(FieldError::new(
                at("indicator_id"),
                "unknown",
                "not an indicator of this item",
            ));
            continue;
        };
        if !seen.insert(t.indicator_id) {
            errors.push(FieldError::new(
                at("indicator_id"),
                "duplicate",
                "each indicator once",
            ));
        }
        match target_of(ind, &t.target) {
            Ok(target) => out.push(TargetChange {
                indicator_id: t.indicator_id,
                target,
            }),
            Err(e) => errors.extend(e.into_iter().map(|mut e| {
                e.field = at("target");
                e
            })),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// `target` as the indicator's new target: the indicator's own rule, its other fields as
/// they are.
fn target_of(ind: &Indicator, target: &str) -> Result<String, Vec<FieldError>> {
    let mut v = Violations::new();
    let (_, _, canonical, _) = indicator::check(
        &mut v,
        ind.level1,
        ind.level2,
        &ind.name,
        &ind.measure_unit,
        ind.direction,
        target,
        None,
    );
    let errors: Vec<FieldError> = v.0.into_iter().filter(|e| e.field == "target").collect();
    match canonical {
        Some(t) if errors.is_empty() => Ok(t),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::indicator::{Level1, Level2};
    use crate::domain::monitoring::Direction;

    fn indicator(direction: Direction) -> Indicator {
        let now = chrono::Utc::now();
        Indicator {
            id: Uuid::new_v4(),
            item_id: Uuid::new_v4(),
            position: 1,
            level1: Level1::Output,
            level2: Level2::Quantity,
            name: "培训人次".into(),
            measure_unit: "人次".into(),
            direction,
            target: "1000".into(),
            original_target: "1000".into(),
            prorate: false,
            weight: None,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn targets_are_checked_by_the_indicators_own_rule() {
        let num = indicator(Direction::HigherBetter);
        let qual = indicator(Direction::Qualitative);
        let inds = vec![num.clone(), qual.clone()];
        let t = |id: Uuid, s: &str| TargetChange {
            indicator_id: id,
            target: s.into(),
        };
        let other = Uuid::new_v4();
        for (given, expected) in [
            (vec![t(num.id, " 900.50 ")], Ok(vec![t(num.id, "900.5")])),
            (vec![t(qual.id, " 良好 ")], Ok(vec![t(qual.id, "良好")])),
            (vec![t(num.id, "0")], Ok(vec![t(num.id, "0")])),
            (
                vec![t(num.id, "-1")],
                Err(vec![("t[0].target", "negative")]),
            ),
            (
                vec![t(num.id, "abc")],
                Err(vec![("t[0].target", "invalid")]),
            ),
            (
                vec![t(qual.id, " ")],
                Err(vec![("t[0].target", "required")]),
            ),
            (
                vec![t(other, "1")],
                Err(vec![("t[0].indicator_id", "unknown")]),
            ),
            (
                vec![t(num.id, "1"), t(num.id, "2")],
                Err(vec![("t[1].indicator_id", "duplicate")]),
            ),
        ] {
            let got = check_targets("t", &given, &inds)
                .map_err(|e| e.into_iter().map(|e| (e.field, e.code)).collect::<Vec<_>>());
            let want = expected.map_err(|e| {
                e.into_iter()
                    .map(|(f, c)| (f.to_string(), c.to_string()))
                    .collect::<Vec<_>>()
            });
            assert_eq!(got, want, "{given:?}");
        }
    }
}
