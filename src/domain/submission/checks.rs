//! The rules a form's content follows: what may be stored, and what a submitted form needs.

use chrono::Datelike;

use super::{parse_actual, Figures, SubmissionContent};
use crate::domain::indicator::Indicator;
use crate::domain::period::Period;
use crate::domain::validation::Violations;

/// Checks the content against the item's indicators and the period (anything wrong is 422 and
/// nothing is written).
pub fn check_content(
    v: &mut Violations,
    c: &SubmissionContent,
    indicators: &[Indicator],
    period: &Period,
) {
    check_indicator_values(v, c, indicators);
    check_compliance(v, c);
    check_texts(v, c);
    check_signatures(v, c, period);
}

/// Each answer names an indicator of the item, once, with values of its kind and a note of at
/// most 2000 characters.
fn check_indicator_values(v: &mut Violations, c: &SubmissionContent, indicators: &[Indicator]) {
    let mut seen = std::collections::HashSet::new();
    for (i, iv) in c.indicator_values.iter().enumerate() {
        let field = |f: &str| format!("indicator_values[{i}].{f}");
        let Some(ind) = indicators.iter().find(|x| x.id == iv.indicator_id) else {
            v.add(
                field("indicator_id"),
                "unknown",
                "not an indicator of this item",
            );
            continue;
        };
        if !seen.insert(iv.indicator_id) {
            v.add(
                field("indicator_id"),
                "duplicate",
                "each indicator is answered once",
            );
        }
        for (name, val) in [
            ("actual", &iv.actual),
            ("expected_year_end", &iv.expected_year_end),
        ] {
            if let Some(s) = val {
                if let Err(e) = parse_actual(ind.direction, s) {
                    v.add(field(name), "invalid", e);
                }
            }
        }
        if iv.note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
            v.add(field("note"), "too_long", "must be at most 2000 characters");
        }
    }
}

/// Each compliance check is answered once, its note at most 2000 characters.
fn check_compliance(v: &mut Violations, c: &SubmissionContent) {
    let mut checks = std::collections::HashSet::new();
    for (i, e) in c.compliance.iter().enumerate() {
        if !checks.insert(e.check) {
            v.add(
                format!("compliance[{i}].check"),
                "duplicate",
                "each check is answered once",
            );
        }
        if e.note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
            v.add(
                format!("compliance[{i}].note"),
                "too_long",
                "must be at most 2000 characters",
            );
        }
    }
}

/// The form's texts are at most 4000 characters each.
fn check_texts(v: &mut Violations, c: &SubmissionContent) {
    for (name, s) in [
        ("goal_progress", &c.goal_progress),
        ("deviation_analysis", &c.deviation_analysis),
        ("corrective_measures", &c.corrective_measures),
    ] {
        if s.chars().count() > 4000 {
            v.add(name, "too_long", "must be at most 4000 characters");
        }
    }
}

/// Names of at most 50 characters, dated in the period's year or the next.
fn check_signatures(v: &mut Violations, c: &SubmissionContent, period: &Period) {
    for (name, s) in [
        ("signatures.unit_head", &c.signatures.unit_head),
        (
            "signatures.supervising_leader",
            &c.signatures.supervising_leader,
        ),
    ] {
        if s.as_ref().is_some_and(|n| n.chars().count() > 50) {
            v.add(name, "too_long", "must be at most 50 characters");
        }
    }
    if let Some(d) = c.signatures.date {
        if d.year() < period.year || d.year() > period.year + 1 {
            v.add(
                "signatures.date",
                "outside_year",
                format!("must be in {} or {}", period.year, period.year + 1),
            );
        }
    }
}

/// What must be filled in before a form can be submitted; each gap is one field error.
pub fn check_complete(
    v: &mut Violations,
    c: &SubmissionContent,
    indicators: &[Indicator],
    figures: &Figures,
) {
    for ind in indicators {
        let answered = c.indicator_values.iter().position(|x| {
            x.indicator_id == ind.id && x.actual.as_ref().is_some_and(|a| !a.trim().is_empty())
        });
        match answered {
            None => v.add(
                format!("indicator_values[{}]", ind.id),
                "required",
                format!("a value for indicator \"{}\" is required", ind.name),
            ),
            Some(i) => {
                let needs = figures
                    .indicators
                    .iter()
                    .any(|f| f.indicator_id == ind.id && f.needs_note);
                let has_note = c.indicator_values[i]
                    .note
                    .as_ref()
                    .is_some_and(|n| !n.trim().is_empty());
                if needs && !has_note {
                    v.add(
                        format!("indicator_values[{i}].note"),
                        "required",
                        "explain an actual this far above its target",
                    );
                }
            }
        }
    }
    let s = &c.signatures;
    if s.unit_head.as_ref().is_none_or(|x| x.trim().is_empty()) {
        v.add(
            "signatures.unit_head",
            "required",
            "the unit head must sign",
        );
    }
    if s.supervising_leader
        .as_ref()
        .is_none_or(|x| x.trim().is_empty())
    {
        v.add(
            "signatures.supervising_leader",
            "required",
            "the supervising leader must sign",
        );
    }
    if s.date.is_none() {
        v.add("signatures.date", "required", "the signature needs a date");
    }
}
