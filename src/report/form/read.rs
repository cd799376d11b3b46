//! Reading the cells of a filled form template into a form's content. A cell that cannot be
//! read (a word that is none of the choices, a spreadsheet error, a date that is none) is a
//! problem located at its cell; everything else is left to the rules of the JSON API, whose
//! problems [`Places::locate`] puts back at their cells.

use calamine::Data;
use uuid::Uuid;

use super::fill::{keys, FillCell};
use super::import::Workbook;
use super::labels;
use super::template::date_of_serial;
use crate::domain::indicator::Indicator;
use crate::domain::monitoring::{Direction, Grade, Possibility};
use crate::domain::submission::{
    ComplianceCheck, ComplianceEntry, DeviationReason, IndicatorValue, RootCause, SubmissionContent,
};
use crate::domain::{text, Amount, FieldError, IsoDate};

/// A workbook's content, with what its cells get wrong.
pub struct Read {
    pub content: SubmissionContent,
    pub problems: Vec<FieldError>,
    pub places: Places,
}

/// Where each field of the content is: its JSON path, sheet, cell and the label a clerk knows.
#[derive(Debug, Default)]
pub struct Places(Vec<(String, String, String, String)>);

impl Places {
    fn add(&mut self, field: &str, cell: &FillCell, label: &str) {
        self.0
            .push((field.into(), cell.sheet.clone(), cell.a1(), label.into()));
    }

    /// The problem at the cell of its field, or of the nearest field that contains it
    /// (`indicator_values[0].indicator_id` is at that indicator's first cell); its message
    /// starts with the label of the cell.
    pub fn locate(&self, e: FieldError) -> FieldError {
        let mut path = e.field.as_str();
        loop {
            if let Some((_, sheet, cell, label)) = self.0.iter().find(|p| p.0 == path) {
                let message = format!("{label} {}", e.message);
                return FieldError { message, ..e }.at(sheet, cell);
            }
            match path.rfind(['.', '[']) {
                Some(i) if i > 0 => path = &path[..i],
                _ => return e,
            }
        }
    }
}

fn label(key: &str) -> String {
    let fixed = match key {
        keys::EXECUTED_FISCAL => "执行数（财政资金）",
        keys::EXECUTED_UNION => "执行数（工会经费）",
        keys::EXPECTED_FISCAL => "全年预计执行数（财政资金）",
        keys::EXPECTED_UNION => "全年预计执行数（工会经费）",
        keys::CARRYOVER_FISCAL => "预计结转结余（财政资金）",
        keys::CARRYOVER_UNION => "预计结转结余（工会经费）",
        keys::GOAL_PROGRESS => "完成情况",
        keys::DEVIATION_ANALYSIS => "偏差和原因分析",
        keys::CORRECTIVE_MEASURES => "下一步纠偏措施",
        keys::OUTLOOK => "年度绩效目标能否实现",
        keys::UNIT_HEAD => "部门负责人",
        keys::SUPERVISING_LEADER => "分管领导签字",
        keys::DATE => "日期",
        keys::ACTUAL => "指标完成值",
        keys::INDICATOR_EXPECTED => "全年预计完成值",
        keys::POSSIBILITY => "实现可能性",
        keys::NOTE => "说明",
        _ => "",
    };
    if !fixed.is_empty() {
        return fixed.into();
    }
    let word = |code: &str, f: fn(&str) -> Option<&'static str>| f(code).unwrap_or("").to_string();
    if let Some(c) = key.strip_prefix(keys::ROOT_CAUSE) {
        let w = word(c, |c| c.parse().ok().map(labels::root_cause));
        return format!("偏差主要原因「{w}」");
    }
    if let Some(r) = key.strip_prefix(keys::DEVIATION_REASON) {
        let w = word(r, |r| r.parse().ok().map(labels::deviation_reason));
        return format!("偏差原因「{w}」");
    }
    if let Some(rest) = key.strip_prefix(keys::COMPLIANCE) {
        let (check, part) = rest.split_once('.').unwrap_or((rest, ""));
        let w = word(check, |c| c.parse().ok().map(labels::compliance));
        let what = if part == "note" {
            "情况说明"
        } else {
            "是否发现问题"
        };
        return format!("「{w}」{what}");
    }
    key.into()
}

struct Reader<'a> {
    wb: &'a Workbook,
    problems: Vec<FieldError>,
    places: Places,
}

impl Reader<'_> {
    fn problem(&mut self, cell: &FillCell, field: &str, code: &str, message: String) {
        let e = FieldError::new(field, code, format!("{} {message}", label(&cell.key)));
        self.problems.push(e.at(&cell.sheet, &cell.a1()));
    }

    /// The cell's value as text (numbers as written, shortest exact form); `None` when blank
    /// or a spreadsheet error (a problem).
    fn raw(&mut self, cell: &FillCell, field: &str) -> Option<String> {
        self.places.add(field, cell, &label(&cell.key));
        let value = match self.wb.cell(&cell.sheet, cell.row, cell.col) {
            Data::Empty => return None,
            Data::Error(e) => {
                let m = format!("shows the spreadsheet error {e}; enter a value");
                self.problem(cell, field, "invalid", m);
                return None;
            }
            Data::String(s) => s.clone(),
            other => other.to_string(),
        };
        if let Err(e) = text::check(field, &value) {
            self.problem(cell, field, &e.code, e.message);
            return None;
        }
        (!value.trim().is_empty()).then_some(value)
    }

    fn amount(&mut self, cell: &FillCell, field: &str) -> Amount {
        let Some(v) = self.raw(cell, field) else {
            return Amount::ZERO;
        };
        match v.trim().replace(',', "").parse::<Amount>() {
            Ok(a) => a,
            Err(e) => {
                self.problem(cell, field, "invalid", e.to_string());
                Amount::ZERO
            }
        }
    }

    fn choice<T: Copy + std::str::FromStr>(
        &mut self,
        cell: &FillCell,
        field: &str,
        values: &[T],
        word: fn(T) -> &'static str,
    ) -> Option<T> {
        let v = self.raw(cell, field)?;
        let found = labels::parse(&v, values, word);
        if found.is_none() {
            let m = format!("must be one of: {}", labels::all(values, word).join("、"));
            self.problem(cell, field, "invalid", m);
        }
        found
    }

    fn yes(&mut self, cell: &FillCell, field: &str) -> Option<bool> {
        let v = self.raw(cell, field)?;
        let answer = labels::yes_no(&v);
        if answer.is_none() {
            self.problem(cell, field, "invalid", "must be 是 or 否".into());
        }
        answer
    }

    fn date(&mut self, cell: &FillCell, field: &str) -> Option<IsoDate> {
        let serial = match self.wb.cell(&cell.sheet, cell.row, cell.col) {
            Data::DateTime(d) => Some(d.as_f64()),
            Data::Float(f) => Some(*f),
            Data::Int(i) => Some(*i as f64),
            _ => None,
        };
        let v = self.raw(cell, field)?;
        let date = match serial {
            Some(s) => date_of_serial(s).map(IsoDate::from),
            None => v.trim().get(..10).and_then(|d| d.parse().ok()),
        };
        if date.is_none() {
            let m = "must be a date, e.g. 2026-07-08".to_string();
            self.problem(cell, field, "invalid", m);
        }
        date
    }

    /// An indicator's value: a number as written, a grade from its word.
    fn value(
        &mut self,
        cell: &FillCell,
        field: &str,
        direction: Option<Direction>,
    ) -> Option<String> {
        let v = self.raw(cell, field)?;
        Some(match direction {
            Some(Direction::Qualitative) => labels::parse(&v, Grade::ALL, labels::grade)
                .map(|g| g.as_str().to_string())
                .unwrap_or(v),
            _ => v.trim().to_string(),
        })
    }

    /// Whether all of `cells` are empty.
    fn blank(&self, cells: &[&FillCell]) -> bool {
        cells
            .iter()
            .all(|x| matches!(self.wb.cell(&x.sheet, x.row, x.col), Data::Empty))
    }

    /// A field of the form itself (not of an indicator or a compliance check) into `c`.
    fn field(&mut self, c: &mut SubmissionContent, cell: &FillCell) {
        let key = cell.key.as_str();
        match key {
            keys::EXECUTED_FISCAL => c.executed.fiscal = self.amount(cell, key),
            keys::EXECUTED_UNION => c.executed.union = self.amount(cell, key),
            keys::EXPECTED_FISCAL => c.expected_year_end.fiscal = self.amount(cell, key),
            keys::EXPECTED_UNION => c.expected_year_end.union = self.amount(cell, key),
            keys::CARRYOVER_FISCAL => c.expected_carryover.fiscal = self.amount(cell, key),
            keys::CARRYOVER_UNION => c.expected_carryover.union = self.amount(cell, key),
            keys::GOAL_PROGRESS => c.goal_progress = self.raw(cell, key).unwrap_or_default(),
            keys::DEVIATION_ANALYSIS => {
                c.deviation_analysis = self.raw(cell, key).unwrap_or_default()
            }
            keys::CORRECTIVE_MEASURES => {
                c.corrective_measures = self.raw(cell, key).unwrap_or_default()
            }
            keys::UNIT_HEAD => c.signatures.unit_head = self.raw(cell, key),
            keys::SUPERVISING_LEADER => c.signatures.supervising_leader = self.raw(cell, key),
            keys::DATE => c.signatures.date = self.date(cell, key),
            keys::OUTLOOK => {
                c.outlook = self.choice(cell, key, Possibility::ALL, labels::possibility)
            }
            k if k.starts_with(keys::ROOT_CAUSE) => {
                let cause = k[keys::ROOT_CAUSE.len()..].parse::<RootCause>();
                if let (Ok(cause), Some(true)) = (cause, self.yes(cell, "root_causes")) {
                    c.root_causes.push(cause);
                }
            }
            _ => {}
        }
    }

    /// An indicator's answer from its cells, `i`-th in the content's list.
    fn indicator_value(
        &mut self,
        i: usize,
        id: Uuid,
        direction: Option<Direction>,
        cells: &[&FillCell],
    ) -> IndicatorValue {
        let mut v = IndicatorValue {
            indicator_id: id,
            actual: None,
            expected_year_end: None,
            possibility: None,
            deviation_reasons: vec![],
            note: None,
        };
        self.places
            .add(&format!("indicator_values[{i}]"), cells[0], "");
        for cell in cells {
            let f = |name: &str| format!("indicator_values[{i}].{name}");
            match cell.key.as_str() {
                keys::ACTUAL => v.actual = self.value(cell, &f("actual"), direction),
                keys::INDICATOR_EXPECTED => {
                    v.expected_year_end = self.value(cell, &f("expected_year_end"), direction)
                }
                keys::POSSIBILITY => {
                    let w = labels::possibility;
                    v.possibility = self.choice(cell, &f("possibility"), Possibility::ALL, w)
                }
                keys::NOTE => v.note = self.raw(cell, &f("note")),
                k => {
                    let reason = k.strip_prefix(keys::DEVIATION_REASON).unwrap_or("");
                    let reason = reason.parse::<DeviationReason>();
                    let field = f("deviation_reasons");
                    if let (Ok(reason), Some(true)) = (reason, self.yes(cell, &field)) {
                        v.deviation_reasons.push(reason);
                    }
                }
            }
        }
        v
    }

    /// A compliance check's answer from its cells, `j`-th in the content's list: none without
    /// a 是/否 (a problem when it has a note).
    fn compliance_entry(
        &mut self,
        j: usize,
        check: ComplianceCheck,
        cells: &[&FillCell],
    ) -> Option<ComplianceEntry> {
        let (mut problem, mut note, mut answer_cell) = (None, None, None);
        for cell in cells {
            if cell.key.ends_with(".note") {
                note = self.raw(cell, &format!("compliance[{j}].note"));
            } else {
                answer_cell = Some(cell);
                problem = self.yes(cell, &format!("compliance[{j}].problem"));
            }
        }
        match (problem, answer_cell) {
            (Some(problem), _) => Some(ComplianceEntry {
                check,
                problem,
                note,
            }),
            (None, Some(cell)) if note.is_some() => {
                let m = "must be 是 or 否 when the check has a note".to_string();
                self.problem(cell, &format!("compliance[{j}].problem"), "required", m);
                None
            }
            _ => None,
        }
    }
}

/// Adds `cell` to the cells of `key`, in the order the keys are first met.
fn group<'c, K: PartialEq>(groups: &mut Vec<(K, Vec<&'c FillCell>)>, key: K, cell: &'c FillCell) {
    match groups.iter_mut().find(|(x, _)| *x == key) {
        Some((_, v)) => v.push(cell),
        None => groups.push((key, vec![cell])),
    }
}

/// Reads the fields at `cells` (the template's map) into a form's content.
pub fn read(wb: &Workbook, cells: &[FillCell], indicators: &[Indicator]) -> Read {
    let mut r = Reader {
        wb,
        problems: vec![],
        places: Places::default(),
    };
    let mut c = SubmissionContent::default();
    // An indicator's and a compliance check's cells are read together.
    let mut answers: Vec<(Uuid, Vec<&FillCell>)> = vec![];
    let mut checks: Vec<(ComplianceCheck, Vec<&FillCell>)> = vec![];
    for cell in cells {
        let key = cell.key.as_str();
        if let Some(rest) = key.strip_prefix(keys::COMPLIANCE) {
            let check = rest.split('.').next().unwrap_or("");
            if let Ok(check) = check.parse::<ComplianceCheck>() {
                group(&mut checks, check, cell);
            }
        } else if key.starts_with("indicator.") {
            if let Some(id) = cell.indicator {
                group(&mut answers, id, cell);
            }
        } else {
            r.field(&mut c, cell);
        }
    }
    for (id, cells) in answers {
        // An indicator without an answer has no value, as in the JSON API.
        if r.blank(&cells) {
            continue;
        }
        let direction = indicators.iter().find(|x| x.id == id).map(|x| x.direction);
        let v = r.indicator_value(c.indicator_values.len(), id, direction, &cells);
        c.indicator_values.push(v);
    }
    for (check, cells) in checks {
        if r.blank(&cells) {
            continue;
        }
        if let Some(entry) = r.compliance_entry(c.compliance.len(), check, &cells) {
            c.compliance.push(entry);
        }
    }
    Read {
        content: c,
        problems: r.problems,
        places: r.places,
    }
}
