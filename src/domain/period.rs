//! 监控期: the monitoring periods (Art. 11).

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc};

use crate::closed_enum;

use super::item::ItemKind;
use super::monitoring::{GradeValues, Thresholds};
use super::validation::Violations;
use super::workflow::PeriodStatus;

closed_enum! {
    /// What a period covers.
    pub enum PeriodKind {
        /// 上半年 (Art. 11): forms due by July 10.
        H1 => "h1",
        /// The whole year.
        Annual => "annual",
        /// 中期绩效评估 (Art. 4); any number per year.
        Interim => "interim",
    }
}

/// A monitoring period (serialized as the API shows it, e.g. in the audit trail).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Period {
    pub id: uuid::Uuid,
    pub year: i32,
    pub kind: PeriodKind,
    pub name: String,
    pub as_of: NaiveDate,
    pub submission_deadline: NaiveDate,
    pub report_deadline: NaiveDate,
    pub status: PeriodStatus,
    pub thresholds: Thresholds,
    pub grade_values: GradeValues,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The settings of a period kept together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PeriodSettings {
    pub thresholds: Thresholds,
    pub grade_values: GradeValues,
}

/// A later deadline granted to one unit in one period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Extension {
    pub id: uuid::Uuid,
    pub period_id: uuid::Uuid,
    pub unit_id: uuid::Uuid,
    /// The unit's forms are due by the end of this day, local time.
    pub until: NaiveDate,
    pub created_at: DateTime<Utc>,
}

impl Period {
    /// Whether finance may still change the period's fields (only a draft).
    pub fn is_editable(&self) -> bool {
        self.status.is_editable()
    }

    /// Whether a deadline extension may still be granted: until the period is published.
    pub fn takes_extensions(&self) -> bool {
        self.status != PeriodStatus::Published
    }
}

/// The forms a period requires (Art. 11): the items of its year of the kinds in `every`, and
/// the key-monitored ones of the kinds in `key_monitored`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequiredForms {
    pub every: &'static [ItemKind],
    pub key_monitored: &'static [ItemKind],
}

/// Every overall item and every special fund, and the key-monitored projects. The completeness
/// list and the report build their queries from this.
pub const REQUIRED_FORMS: RequiredForms = RequiredForms {
    every: &[ItemKind::Overall, ItemKind::SpecialFund],
    key_monitored: &[ItemKind::Project],
};

/// Whether a period requires a form for an item ([`REQUIRED_FORMS`]).
pub fn requires_form(kind: ItemKind, key_monitored: bool) -> bool {
    REQUIRED_FORMS.every.contains(&kind)
        || (key_monitored && REQUIRED_FORMS.key_monitored.contains(&kind))
}

/// The extension window: a unit's deadline may move to a day after the period's submission
/// deadline and no later than its report deadline.
pub fn check_extension(
    v: &mut Violations,
    until: NaiveDate,
    submission: NaiveDate,
    report: NaiveDate,
) {
    if until <= submission {
        v.add(
            "until",
            "not_later",
            "must be after the period's submission deadline",
        );
    }
    if until > report {
        v.add(
            "until",
            "after_report_deadline",
            "must not be after the report deadline",
        );
    }
}

/// A period's name and settings: a name of 1 to 200 characters, consistent thresholds and
/// grade values.
pub fn check_settings(v: &mut Violations, name: &str, settings: &PeriodSettings) {
    if let Err(e) = settings.thresholds.check() {
        v.add("thresholds", "invalid", e);
    }
    if let Err(e) = settings.grade_values.check() {
        v.add("grade_values", "invalid", e);
    }
    if name.trim().is_empty() || name.chars().count() > 200 {
        v.add("name", "invalid", "must be 1 to 200 characters");
    }
}

/// The default name of a period, e.g. `2026年上半年预算绩效运行监控`.
pub fn default_name(year: i32, kind: PeriodKind) -> String {
    let what = match kind {
        PeriodKind::H1 => "上半年",
        PeriodKind::Annual => "全年",
        PeriodKind::Interim => "中期",
    };
    format!("{year}年{what}预算绩效运行监控")
}

/// Checks the dates of a period: the cut-off inside the year, deadlines in order and no later
/// than the following year.
pub fn check_dates(
    v: &mut Violations,
    year: i32,
    as_of: NaiveDate,
    submission: NaiveDate,
    report: NaiveDate,
) {
    if !(2000..=2100).contains(&year) {
        v.add("year", "out_of_range", "must be between 2000 and 2100");
        return;
    }
    if as_of.year() != year {
        v.add("as_of", "outside_year", format!("must be a date in {year}"));
    }
    if submission < as_of {
        v.add(
            "submission_deadline",
            "before_as_of",
            "must not be before as_of",
        );
    }
    if report < submission {
        v.add(
            "report_deadline",
            "before_submission_deadline",
            "must not be before submission_deadline",
        );
    }
    for (field, d) in [
        ("submission_deadline", submission),
        ("report_deadline", report),
    ] {
        if d.year() > year + 1 || d.year() < year {
            v.add(
                field,
                "outside_year",
                format!("must be in {year} or {}", year + 1),
            );
        }
    }
}

/// The first instant after a deadline day in the federation's time zone: "by July 10" means
/// before July 11, 00:00 local time.
pub fn deadline_end(day: NaiveDate, offset: FixedOffset) -> DateTime<Utc> {
    let next = day + Duration::days(1);
    offset
        .from_local_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight exists"))
        .single()
        .expect("a fixed offset has no gaps")
        .with_timezone(&Utc)
}

/// The deadline that applies to a unit: its extension when later than the period's.
pub fn effective_deadline(period_deadline: NaiveDate, extension: Option<NaiveDate>) -> NaiveDate {
    extension.map_or(period_deadline, |e| e.max(period_deadline))
}

/// Whether a form is late (DESIGN §5, the same in the form, the completeness list and the
/// report): submitted after the deadline, or still not submitted once the deadline has passed.
pub fn form_is_late(
    submitted_at: Option<DateTime<Utc>>,
    deadline: NaiveDate,
    now: DateTime<Utc>,
    offset: FixedOffset,
) -> bool {
    is_late(submitted_at.unwrap_or(now), deadline, offset)
}

/// Whether something filed at `at` is late for a deadline day (possibly extended).
pub fn is_late(at: DateTime<Utc>, deadline: NaiveDate, offset: FixedOffset) -> bool {
    at >= deadline_end(deadline, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_is_late_when_submitted_after_its_deadline_or_unsubmitted_past_it() {
        let cst = FixedOffset::east_opt(8 * 3600).unwrap();
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let deadline: NaiveDate = "2026-07-10".parse().unwrap();
        // (submitted at, now, late)
        for (submitted, now, late) in [
            (Some("2026-07-10T15:59:59Z"), "2026-08-01T00:00:00Z", false),
            (Some("2026-07-10T16:00:00Z"), "2026-08-01T00:00:00Z", true),
            (None, "2026-07-10T15:59:59Z", false),
            (None, "2026-07-10T16:00:00Z", true),
        ] {
            assert_eq!(
                form_is_late(submitted.map(at), deadline, at(now), cst),
                late,
                "{submitted:?} {now}"
            );
        }
        let ext: NaiveDate = "2026-07-20".parse().unwrap();
        assert_eq!(effective_deadline(deadline, Some(ext)), ext);
        assert_eq!(effective_deadline(ext, Some(deadline)), ext);
        assert_eq!(effective_deadline(deadline, None), deadline);
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn period_dates() {
        for (year, as_of, sub, rep, fields) in [
            (2026, "2026-06-30", "2026-07-10", "2026-07-31", vec![]),
            (
                2026,
                "2025-12-31",
                "2026-07-10",
                "2026-07-31",
                vec!["as_of"],
            ),
            (
                2026,
                "2026-06-30",
                "2026-06-01",
                "2026-07-31",
                vec!["submission_deadline"],
            ),
            (
                2026,
                "2026-06-30",
                "2026-07-10",
                "2026-07-01",
                vec!["report_deadline"],
            ),
            (2026, "2026-12-31", "2027-01-10", "2027-01-31", vec![]),
            (
                2026,
                "2026-12-31",
                "2028-01-10",
                "2028-01-31",
                vec!["submission_deadline", "report_deadline"],
            ),
        ] {
            let mut v = Violations::new();
            check_dates(&mut v, year, d(as_of), d(sub), d(rep));
            let got: Vec<String> = v.0.iter().map(|e| e.field.clone()).collect();
            assert_eq!(got, fields, "{as_of} {sub} {rep}");
        }
    }

    #[test]
    fn a_period_requires_overall_forms_special_funds_and_key_monitored_projects() {
        for (kind, key_monitored, required) in [
            (ItemKind::Overall, false, true),
            (ItemKind::Overall, true, true),
            (ItemKind::SpecialFund, false, true),
            (ItemKind::SpecialFund, true, true),
            (ItemKind::Project, false, false),
            (ItemKind::Project, true, true),
        ] {
            assert_eq!(
                requires_form(kind, key_monitored),
                required,
                "{kind} {key_monitored}"
            );
        }
    }

    #[test]
    fn an_extension_lies_after_the_submission_deadline_and_by_the_report_deadline() {
        let (sub, rep) = (d("2026-07-10"), d("2026-07-31"));
        for (until, codes) in [
            ("2026-07-09", vec!["not_later"]),
            ("2026-07-10", vec!["not_later"]),
            ("2026-07-11", vec![]),
            ("2026-07-31", vec![]),
            ("2026-08-01", vec!["after_report_deadline"]),
        ] {
            let mut v = Violations::new();
            check_extension(&mut v, d(until), sub, rep);
            let got: Vec<String> = v.0.iter().map(|e| e.code.clone()).collect();
            assert_eq!(got, codes, "{until}");
        }
    }

    #[test]
    fn only_a_draft_is_edited_and_extensions_end_with_publication() {
        for (status, editable, extends) in [
            (PeriodStatus::Draft, true, true),
            (PeriodStatus::Open, false, true),
            (PeriodStatus::Closed, false, true),
            (PeriodStatus::Published, false, false),
        ] {
            let p = Period {
                id: uuid::Uuid::nil(),
                year: 2026,
                kind: PeriodKind::H1,
                name: "p".into(),
                as_of: d("2026-06-30"),
                submission_deadline: d("2026-07-10"),
                report_deadline: d("2026-07-31"),
                status,
                thresholds: Default::default(),
                grade_values: Default::default(),
                version: 1,
                created_at: Utc::now(),
                updated_at: Utc::now(),
            };
            assert_eq!(p.is_editable(), editable, "{status}");
            assert_eq!(p.takes_extensions(), extends, "{status}");
        }
    }

    #[test]
    fn a_period_needs_a_name_of_1_to_200_characters() {
        let s = PeriodSettings {
            thresholds: Default::default(),
            grade_values: Default::default(),
        };
        for (name, ok) in [
            ("上半年", true),
            ("  ", false),
            (&*"字".repeat(200), true),
            (&*"字".repeat(201), false),
        ] {
            let mut v = Violations::new();
            check_settings(&mut v, name, &s);
            assert_eq!(v.is_empty(), ok, "{name}");
        }
    }

    #[test]
    fn by_july_10_means_before_july_11_midnight_in_beijing() {
        let cst = FixedOffset::east_opt(8 * 3600).unwrap();
        let deadline = d("2026-07-10");
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert!(!is_late(at("2026-07-10T23:59:59+08:00"), deadline, cst));
        assert!(is_late(at("2026-07-11T00:00:00+08:00"), deadline, cst));
        // 16:00 UTC on July 10 is already July 11 in Beijing.
        assert!(is_late(at("2026-07-10T16:00:00Z"), deadline, cst));
        assert!(!is_late(at("2026-07-10T15:59:59Z"), deadline, cst));
    }
}
