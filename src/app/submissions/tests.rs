//! The pure parts of the form use cases, on fixtures built in memory.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use uuid::Uuid;

use super::*;
use crate::domain::indicator::{Level1, Level2};
use crate::domain::item::ItemKind;
use crate::domain::monitoring::Direction;
use crate::domain::period::PeriodKind;
use crate::domain::submission::{IndicatorValue, Signatures};
use crate::domain::workflow::{PeriodStatus, SubmissionStatus};
use crate::domain::{Amount, FundSplit};
use crate::persistence::indicators::{new_indicator, IndicatorFields};
use crate::persistence::items::{new_item, ItemFields};

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn cst() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

fn money(s: &str) -> Amount {
    s.parse().unwrap()
}

fn fixture(status: PeriodStatus) -> (Item, Vec<Indicator>, Period) {
    let item = new_item(
        ItemFields {
            unit_id: Uuid::new_v4(),
            year: 2026,
            kind: ItemKind::SpecialFund,
            name: "困难职工帮扶".into(),
            budget: FundSplit {
                fiscal: money("300"),
                union: money("100"),
            },
            annual_goal: "帮扶困难职工1200人次".into(),
            start_year: None,
            end_year: None,
            previous_item_id: None,
            funding_source: None,
            parent_id: None,
        },
        false,
    );
    let ind = new_indicator(
        item.id,
        1,
        IndicatorFields {
            level1: Level1::Output,
            level2: Level2::Quantity,
            name: "帮扶人次".into(),
            measure_unit: "人次".into(),
            direction: Direction::HigherBetter,
            target: "1200".into(),
            prorate: true,
            weight: None,
        },
    );
    let now = at("2026-06-01T00:00:00Z");
    let period = Period {
        id: Uuid::new_v4(),
        year: 2026,
        kind: PeriodKind::H1,
        name: "2026 H1".into(),
        as_of: day("2026-06-30"),
        submission_deadline: day("2026-07-10"),
        report_deadline: day("2026-07-31"),
        status,
        thresholds: Default::default(),
        grade_values: Default::default(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    (item, vec![ind], period)
}

fn content(ind: &Indicator, signed: bool) -> SubmissionContent {
    SubmissionContent {
        executed: FundSplit {
            fiscal: money("150"),
            union: money("20"),
        },
        indicator_values: vec![IndicatorValue {
            indicator_id: ind.id,
            actual: Some("640".into()),
            expected_year_end: None,
            possibility: None,
            deviation_reasons: vec![],
            note: None,
        }],
        signatures: if signed {
            Signatures {
                unit_head: Some("李明".into()),
                supervising_leader: Some("王强".into()),
                date: Some(day("2026-07-08").into()),
            }
        } else {
            Signatures::default()
        },
        ..Default::default()
    }
}

fn code(e: ApiError) -> &'static str {
    e.code().as_str()
}

#[test]
fn a_plan_computes_the_figures_of_the_content_it_plans() {
    let (item, inds, period) = fixture(PeriodStatus::Open);
    let c = content(&inds[0], false);
    let basis = Basis {
        period: period.clone(),
        item: item.clone(),
        indicators: inds.clone(),
        current: None,
    };
    let plan = basis.plan(c.clone());
    assert_eq!(
        plan.figures,
        submission::compute(&item, &inds, &period, &c, false)
    );
    assert_eq!(plan.content, c);
    assert!(plan.violations.is_empty(), "{:?}", plan.violations);
    // Another content planned on the same basis gets its own figures, not the first one's.
    let mut other = c.clone();
    other.executed.fiscal = money("300");
    let again = plan.clone();
    let replanned = Basis {
        period: again.period,
        item: again.item,
        indicators: again.indicators,
        current: None,
    }
    .plan(other.clone());
    assert_eq!(
        replanned.figures,
        submission::compute(&item, &inds, &period, &other, false)
    );
    assert_ne!(replanned.figures, plan.figures);
}

#[test]
fn a_form_takes_content_only_while_editable_in_an_open_period() {
    let (item, inds, _) = fixture(PeriodStatus::Open);
    let now = at("2026-07-01T00:00:00Z");
    for (form, period, expected) in [
        (None, PeriodStatus::Open, None),
        (None, PeriodStatus::Closed, Some("period_not_open")),
        (None, PeriodStatus::Published, Some("period_not_open")),
        (Some(SubmissionStatus::Draft), PeriodStatus::Open, None),
        (Some(SubmissionStatus::Returned), PeriodStatus::Open, None),
        (
            Some(SubmissionStatus::Submitted),
            PeriodStatus::Open,
            Some("invalid_transition"),
        ),
        (
            Some(SubmissionStatus::Accepted),
            PeriodStatus::Closed,
            Some("invalid_transition"),
        ),
        (
            Some(SubmissionStatus::Draft),
            PeriodStatus::Draft,
            Some("period_not_open"),
        ),
    ] {
        let (_, _, p) = fixture(period);
        let current = form.map(|status| Submission {
            status,
            ..draft(
                &item,
                &inds,
                &fixture(PeriodStatus::Open).2,
                content(&inds[0], false),
                now,
            )
            .unwrap()
        });
        let got = takes_content(current.as_ref(), &p).err().map(code);
        assert_eq!(got, expected, "{form:?} in a {period} period");
    }
}

#[test]
fn submitting_checks_the_status_the_period_completeness_and_lateness() {
    let (item, inds, open) = fixture(PeriodStatus::Open);
    let (_, _, closed) = fixture(PeriodStatus::Closed);
    let d = |signed| {
        let c = content(&inds[0], signed);
        draft(&item, &inds, &open, c, at("2026-07-01T00:00:00Z")).unwrap()
    };
    let deadline = day("2026-07-10");
    let on_time = at("2026-07-10T15:59:59Z");
    let late = at("2026-07-10T16:00:00Z");
    type Case<'a> = (Submission, &'a Period, DateTime<Utc>, Result<bool, &'a str>);
    let cases: [Case; 5] = [
        (d(true), &open, on_time, Ok(false)),
        (d(true), &open, late, Ok(true)),
        (d(false), &open, on_time, Err("validation_failed")),
        (d(true), &closed, on_time, Err("period_not_open")),
        (
            Submission {
                status: SubmissionStatus::Accepted,
                ..d(true)
            },
            &open,
            on_time,
            Err("invalid_transition"),
        ),
    ];
    for (form, period, when, expected) in cases {
        let got = submitted(&form, &item, &inds, period, deadline, when, cst());
        match (got, expected) {
            (Ok(s), Ok(is_late)) => {
                assert_eq!(s.status, SubmissionStatus::Submitted);
                assert_eq!(s.figures.late, is_late);
                assert_eq!(s.submitted_at, Some(when));
                assert_eq!(s.version, form.version + 1);
            }
            (Err(e), Err(c)) => assert_eq!(code(e), c),
            (got, _) => panic!("{:?} at {when}: {:?}", form.status, got.map(|s| s.status)),
        }
    }
}

#[test]
fn a_returned_form_handed_in_again_keeps_its_first_submission_and_lateness() {
    let (item, inds, open) = fixture(PeriodStatus::Open);
    let deadline = day("2026-07-10");
    let on_time = at("2026-07-10T15:59:59Z");
    let after_deadline = at("2026-07-20T00:00:00Z");
    let c = content(&inds[0], true);
    let first = draft(&item, &inds, &open, c, at("2026-07-01T00:00:00Z")).unwrap();
    for (first_at, late) in [(on_time, false), (at("2026-07-11T00:00:00Z"), true)] {
        let submitted_once = submitted(&first, &item, &inds, &open, deadline, first_at, cst());
        let returned = Submission {
            status: SubmissionStatus::Returned,
            ..submitted_once.unwrap()
        };
        let again = submitted(
            &returned,
            &item,
            &inds,
            &open,
            deadline,
            after_deadline,
            cst(),
        );
        let again = again.unwrap();
        assert_eq!(again.submitted_at, Some(first_at));
        assert_eq!(again.figures.late, late, "first submitted at {first_at}");
    }
}

#[test]
fn finance_decides_only_submitted_forms_of_unpublished_periods() {
    let (item, inds, open) = fixture(PeriodStatus::Open);
    let (_, _, published) = fixture(PeriodStatus::Published);
    let now = at("2026-07-12T00:00:00Z");
    let form = |status| Submission {
        status,
        ..draft(&item, &inds, &open, content(&inds[0], true), now).unwrap()
    };
    type Step =
        fn(SubmissionStatus) -> Result<SubmissionStatus, crate::domain::workflow::TransitionError>;
    let (accept, ret): (Step, Step) = (SubmissionStatus::accept, SubmissionStatus::return_);
    for (status, step, period, expected) in [
        (
            SubmissionStatus::Submitted,
            accept,
            &open,
            Ok(SubmissionStatus::Accepted),
        ),
        (
            SubmissionStatus::Submitted,
            ret,
            &open,
            Ok(SubmissionStatus::Returned),
        ),
        (
            SubmissionStatus::Draft,
            accept,
            &open,
            Err("invalid_transition"),
        ),
        (
            SubmissionStatus::Accepted,
            ret,
            &open,
            Err("invalid_transition"),
        ),
        (
            SubmissionStatus::Submitted,
            accept,
            &published,
            Err("locked"),
        ),
    ] {
        let got = decided(&form(status), step, period, now)
            .map(|s| s.status)
            .map_err(code);
        assert_eq!(got, expected, "{status} in a {} period", period.status);
    }
}
