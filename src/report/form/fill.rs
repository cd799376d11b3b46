//! A form as a template to fill in offline: the cells a clerk fills in (unlocked, on a light
//! fill), each recorded with the field of the form's content it holds, and the parts of the
//! printed layout that a template splits into one cell per field.

use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Worksheet, XlsxError};
use uuid::Uuid;

use super::sections::merge_down;
use super::{height, labels, Formats, Sheet};
use crate::domain::indicator::Indicator;
use crate::domain::monitoring::{Direction, Grade};
use crate::domain::submission::SubmissionContent;
use crate::domain::Amount;

/// The fields a template's cells hold, as the hidden sheet names them. The indicator fields
/// (`indicator.…`) carry their indicator's id beside; `root_causes.<code>`,
/// `indicator.deviation_reasons.<code>` and `compliance.<check>.problem|note` are one cell per
/// value of their closed set.
pub mod keys {
    pub const EXECUTED_FISCAL: &str = "executed.fiscal";
    pub const EXECUTED_UNION: &str = "executed.union";
    pub const EXPECTED_FISCAL: &str = "expected_year_end.fiscal";
    pub const EXPECTED_UNION: &str = "expected_year_end.union";
    pub const CARRYOVER_FISCAL: &str = "expected_carryover.fiscal";
    pub const CARRYOVER_UNION: &str = "expected_carryover.union";
    pub const GOAL_PROGRESS: &str = "goal_progress";
    pub const DEVIATION_ANALYSIS: &str = "deviation_analysis";
    pub const CORRECTIVE_MEASURES: &str = "corrective_measures";
    pub const OUTLOOK: &str = "outlook";
    pub const UNIT_HEAD: &str = "signatures.unit_head";
    pub const SUPERVISING_LEADER: &str = "signatures.supervising_leader";
    pub const DATE: &str = "signatures.date";
    pub const ROOT_CAUSE: &str = "root_causes.";
    pub const COMPLIANCE: &str = "compliance.";
    pub const ACTUAL: &str = "indicator.actual";
    pub const INDICATOR_EXPECTED: &str = "indicator.expected_year_end";
    pub const POSSIBILITY: &str = "indicator.possibility";
    pub const NOTE: &str = "indicator.note";
    pub const DEVIATION_REASON: &str = "indicator.deviation_reasons.";
}

/// One cell a clerk fills in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FillCell {
    /// The field it holds (see [`keys`]).
    pub key: String,
    /// The indicator an `indicator.…` field belongs to.
    pub indicator: Option<Uuid>,
    pub sheet: String,
    pub row: u32,
    pub col: u16,
}

impl FillCell {
    /// Where it is, as a spreadsheet names it: `F14`.
    pub fn a1(&self) -> String {
        rust_xlsxwriter::utility::row_col_to_cell(self.row, self.col)
    }
}

/// The fill cells of a template, recorded as its sheets are written.
#[derive(Debug, Default)]
pub struct Fill {
    pub cells: Vec<FillCell>,
    /// Whether the form exists: its values are written; otherwise the cells stay blank.
    pub existing: bool,
    sheet: String,
}

impl Fill {
    pub fn new(existing: bool) -> Self {
        Fill {
            existing,
            ..Default::default()
        }
    }

    /// The sheet the next cells are on.
    pub fn on(&mut self, sheet: &str) {
        self.sheet = sheet.to_string();
    }

    pub fn at(&mut self, key: impl Into<String>, indicator: Option<Uuid>, row: u32, col: u16) {
        self.cells.push(FillCell {
            key: key.into(),
            indicator,
            sheet: self.sheet.clone(),
            row,
            col,
        });
    }
}

/// A template's amount cell: the amount as a number (as text beyond the 15 digits a number
/// holds exactly) when the form exists, else blank.
pub(super) fn fill_amount(
    ws: &mut Worksheet,
    f: &Formats,
    fill: &mut Fill,
    key: &str,
    row: u32,
    col: u16,
    amount: Amount,
) -> Result<(), XlsxError> {
    fill.at(key, None, row, col);
    if !fill.existing {
        ws.write_blank(row, col, &f.fill_money)?;
        return Ok(());
    }
    write_number_or_text(
        ws,
        row,
        col,
        &amount.value().normalize().to_string(),
        &f.fill_money,
    )
}

/// A number while a spreadsheet number holds it exactly (15 significant digits), else text.
pub(super) fn write_number_or_text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    let digits = text.trim_start_matches(['-', '0', '.']).chars();
    let exact = digits.filter(char::is_ascii_digit).count() <= 15;
    match text.parse::<f64>() {
        Ok(x) if exact && x.is_finite() => ws.write_number_with_format(row, col, x, format)?,
        _ if text.is_empty() => ws.write_blank(row, col, format)?,
        _ => ws.write_string_with_format(row, col, text, format)?,
    };
    Ok(())
}

/// A template's cell of an indicator's value: a qualitative indicator's grade in words, else
/// the number.
pub(super) fn write_indicator_value(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    direction: Direction,
    value: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    match (direction, value.parse::<Grade>()) {
        (Direction::Qualitative, Ok(g)) => {
            ws.write_string_with_format(row, col, labels::grade(g), format)?;
            Ok(())
        }
        (Direction::Qualitative, Err(_)) => {
            ws.write_string_with_format(row, col, value, format)?;
            Ok(())
        }
        _ => write_number_or_text(ws, row, col, value, format),
    }
}

/// A template's 指标完成值 cell: the number, or a qualitative indicator's grade in words.
pub(super) fn fill_actual(
    s: &mut Sheet<'_>,
    fill: &mut Fill,
    row: u32,
    ind: &Indicator,
    content: &SubmissionContent,
) -> Result<(), XlsxError> {
    fill.at(keys::ACTUAL, Some(ind.id), row, 5);
    let value = content
        .indicator_values
        .iter()
        .find(|v| v.indicator_id == ind.id)
        .and_then(|v| v.actual.clone())
        .unwrap_or_default();
    write_indicator_value(s.ws, row, 5, ind.direction, &value, &s.f.fill_center)
}

/// 绩效目标执行出现的偏差和采取的措施 as two cells to fill: 偏差和原因分析 and 下一步纠偏措施.
/// Returns the row after them.
pub(super) fn deviation_rows(
    s: &mut Sheet<'_>,
    row: u32,
    content: &SubmissionContent,
    fill: &mut Fill,
) -> Result<u32, XlsxError> {
    let parts = [
        (
            "偏差和原因分析",
            &content.deviation_analysis,
            keys::DEVIATION_ANALYSIS,
        ),
        (
            "下一步纠偏措施",
            &content.corrective_measures,
            keys::CORRECTIVE_MEASURES,
        ),
    ];
    let heights: Vec<f64> = parts
        .iter()
        .map(|(label, text, _)| height(&[(label, 1, 1), (text, 2, 6)]).max(60.0))
        .collect();
    let label = "绩效目标执行出现的偏差和采取的措施";
    let format = s.f.over(&s.f.head, heights.iter().sum());
    merge_down(s.ws, row, 2, 0, label, &format)?;
    for (i, ((sub, text, key), h)) in parts.iter().zip(&heights).enumerate() {
        let r = row + i as u32;
        s.ws.write_string_with_format(r, 1, *sub, &s.f.head)?;
        s.ws.merge_range(r, 2, r, 6, text, &s.f.fill_text)?;
        fill.at(*key, None, r, 2);
        s.set_height(r, *h)?;
    }
    Ok(row + 2)
}

/// The signature line with the names and the date in cells of their own: 部门负责人 | name |
/// 分管领导签字 | name | 日期 | date (over the last two columns, wide enough for a date).
pub(super) fn signature_row(
    s: &mut Sheet<'_>,
    row: u32,
    content: &SubmissionContent,
    fill: &mut Fill,
) -> Result<(), XlsxError> {
    let (sig, f) = (&content.signatures, &s.f);
    let label = f.plain.clone().set_align(FormatAlign::Right);
    let head = sig.unit_head.clone().unwrap_or_default();
    let leader = sig.supervising_leader.clone().unwrap_or_default();
    s.ws.write_string_with_format(row, 0, "部门负责人：", &label)?;
    s.ws.write_string_with_format(row, 1, &head, &f.fill_plain)?;
    fill.at(keys::UNIT_HEAD, None, row, 1);
    s.ws.write_string_with_format(row, 2, "分管领导签字：", &label)?;
    s.ws.write_string_with_format(row, 3, &leader, &f.fill_plain)?;
    fill.at(keys::SUPERVISING_LEADER, None, row, 3);
    s.ws.write_string_with_format(row, 4, "日期：", &label)?;
    s.ws.merge_range(row, 5, row, 6, "", &f.fill_date)?;
    if let Some(d) = sig.date {
        use chrono::Datelike;
        let when = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
        s.ws.write_datetime_with_format(row, 5, &when, &f.fill_date)?;
    }
    fill.at(keys::DATE, None, row, 5);
    let h = height(&[(&head, 1, 1), (&leader, 3, 3)]).max(30.0);
    s.set_height(row, h)
}
