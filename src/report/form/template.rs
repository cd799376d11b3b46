//! The form template a unit fills in offline (`GET /items/{id}/form-template.xlsx`): the
//! printed form of its attachment with a cell of its own for each field the unit fills in,
//! the 补充信息 sheet for the rest, and a hidden sheet with the ids and the place of every field
//! that the import reads back. The cells to fill are unlocked on a light fill, everything else
//! is locked (sheet protection without a password), and every choice is a drop-down list.

use chrono::Datelike;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, ExcelDateTime, ProtectionOptions, Workbook, Worksheet,
    XlsxError,
};
use uuid::Uuid;

use super::fill::{keys, Fill, FillCell};
use super::{labels, supplement};
use crate::domain::indicator::Indicator;
use crate::domain::item::Item;
use crate::domain::monitoring::{Direction, Grade, Possibility};
use crate::domain::period::Period;
use crate::domain::submission::{Figures, SubmissionContent};
use crate::domain::unit::Unit;

/// The hidden sheet with the ids and the map of the fields.
pub const IDS_SHEET: &str = "_bm";
/// The first cell of the hidden sheet: what the workbook is.
pub const MARKER: &str = "budget-monitor form template";
/// The layout version of the hidden sheet.
pub const LAYOUT: &str = "1";
/// The heading row of the field map in the hidden sheet (column A).
pub const MAP_HEADING: &str = "field";

/// What a template is made of.
pub struct Template<'a> {
    pub unit: &'a Unit,
    pub item: &'a Item,
    pub indicators: &'a [Indicator],
    pub period: &'a Period,
    /// The form's current content (empty when it does not exist yet).
    pub content: &'a SubmissionContent,
    pub figures: &'a Figures,
    /// The form it fills in, if one exists: its id and version.
    pub existing: Option<(Uuid, i32)>,
}

/// The template as XLSX.
pub fn xlsx(t: &Template<'_>) -> Result<Vec<u8>, XlsxError> {
    build(t)?.0.save_to_buffer()
}

/// The cells to fill of the template for `t`: where a workbook that lost its hidden sheet has
/// its fields.
pub fn cells(t: &Template<'_>) -> Result<Vec<FillCell>, XlsxError> {
    Ok(build(t)?.1.cells)
}

fn build(t: &Template<'_>) -> Result<(Workbook, Fill), XlsxError> {
    let mut wb = Workbook::new();
    let mut fill = Fill::new(t.existing.is_some());
    let form = wb.add_worksheet();
    let printed = super::Form {
        unit: t.unit,
        item: t.item,
        indicators: t.indicators,
        content: t.content,
        figures: t.figures,
    };
    super::write(form, &printed, Some(&mut fill))?;
    protect(form);
    let more = wb.add_worksheet();
    supplement::write(more, t, &mut fill)?;
    protect(more);
    for cell in &fill.cells {
        if let Some(v) = validation(cell, t)? {
            let ws = wb.worksheet_from_name(&cell.sheet)?;
            ws.add_data_validation(cell.row, cell.col, cell.row, cell.col, &v)?;
        }
    }
    let ids = wb.add_worksheet();
    hidden_ids(ids, t, &fill.cells)?;
    wb.worksheet_from_index(0)?.set_active(true);
    Ok((wb, fill))
}

/// Locks every cell but the unlocked ones, without a password; rows and columns may still be
/// resized (a long text needs a taller row).
fn protect(ws: &mut Worksheet) {
    ws.protect_with_options(&ProtectionOptions {
        format_rows: true,
        format_columns: true,
        ..ProtectionOptions::new()
    });
}

/// The ids the import matches the workbook by, and where each field is.
fn hidden_ids(ws: &mut Worksheet, t: &Template<'_>, cells: &[FillCell]) -> Result<(), XlsxError> {
    ws.set_name(IDS_SHEET)?;
    let (submission, version) = match t.existing {
        Some((id, v)) => (id.to_string(), v.to_string()),
        None => (String::new(), String::new()),
    };
    let head = [
        (MARKER, LAYOUT.to_string()),
        ("item_id", t.item.id.to_string()),
        ("period_id", t.period.id.to_string()),
        ("submission_id", submission),
        ("version", version),
        ("form", t.item.kind.form().to_string()),
        ("unit_code", t.unit.code.clone()),
    ];
    for (row, (k, v)) in head.iter().enumerate() {
        ws.write_string(row as u32, 0, *k)?;
        ws.write_string(row as u32, 1, v)?;
    }
    let first = head.len() as u32;
    for (col, h) in [MAP_HEADING, "sheet", "cell", "indicator_id"]
        .iter()
        .enumerate()
    {
        ws.write_string(first, col as u16, *h)?;
    }
    for (i, c) in cells.iter().enumerate() {
        let row = first + 1 + i as u32;
        ws.write_string(row, 0, &c.key)?;
        ws.write_string(row, 1, &c.sheet)?;
        ws.write_string(row, 2, c.a1())?;
        if let Some(id) = c.indicator {
            ws.write_string(row, 3, id.to_string())?;
        }
    }
    ws.set_hidden(true);
    ws.protect();
    Ok(())
}

fn list(words: &[&str], what: &str) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_strings(words)?
        .set_error_title("请从列表中选择")?
        .set_error_message(format!("{what}：{}", words.join("、")))
}

fn amounts() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(0.0, 999_999_999_999.999_999))
        .set_error_title("金额")?
        .set_error_message("请填写不小于 0 的金额（万元），最多 6 位小数")
}

fn numbers() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(-1e15, 1e15))
        .set_error_title("指标值")?
        .set_error_message("请填写数值")
}

fn text(max: u32) -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_text_length(DataValidationRule::LessThanOrEqualTo(max))
        .set_error_title("文字过长")?
        .set_error_message(format!("最多 {max} 个字"))
}

/// The data validation of a cell to fill: a drop-down list for every choice, amounts,
/// numbers, a date in the period's year or the next, texts within their length.
fn validation(cell: &FillCell, t: &Template<'_>) -> Result<Option<DataValidation>, XlsxError> {
    let key = cell.key.as_str();
    let direction = cell
        .indicator
        .and_then(|id| t.indicators.iter().find(|i| i.id == id))
        .map(|i| i.direction);
    let possibilities = labels::all(Possibility::ALL, labels::possibility);
    let v = match key {
        keys::EXECUTED_FISCAL
        | keys::EXECUTED_UNION
        | keys::EXPECTED_FISCAL
        | keys::EXPECTED_UNION
        | keys::CARRYOVER_FISCAL
        | keys::CARRYOVER_UNION => amounts()?,
        keys::OUTLOOK => list(&possibilities, "年度绩效目标能否实现")?,
        keys::POSSIBILITY => list(&possibilities, "实现可能性")?,
        keys::ACTUAL | keys::INDICATOR_EXPECTED => match direction {
            Some(Direction::Qualitative) => {
                list(&labels::all(Grade::ALL, labels::grade), "定性指标")?
            }
            _ => numbers()?,
        },
        keys::GOAL_PROGRESS | keys::DEVIATION_ANALYSIS | keys::CORRECTIVE_MEASURES => text(4000)?,
        keys::NOTE => text(2000)?,
        keys::UNIT_HEAD | keys::SUPERVISING_LEADER => text(50)?,
        keys::DATE => {
            let y = t.period.year;
            let from = ExcelDateTime::from_ymd(y as u16, 1, 1)?;
            let to = ExcelDateTime::from_ymd((y + 1) as u16, 12, 31)?;
            DataValidation::new()
                .allow_date(DataValidationRule::Between(from, to))
                .set_error_title("日期")?
                .set_error_message(format!("请填写 {y} 年或 {} 年的日期", y + 1))?
        }
        k if k.ends_with(".problem")
            || k.starts_with(keys::ROOT_CAUSE)
            || k.starts_with(keys::DEVIATION_REASON) =>
        {
            list(&[labels::YES, labels::NO], "请选择")?
        }
        k if k.starts_with(keys::COMPLIANCE) => text(2000)?,
        _ => return Ok(None),
    };
    Ok(Some(v))
}

/// The date the signature cell holds, as the import reads a spreadsheet date back.
pub fn date_of_serial(serial: f64) -> Option<chrono::NaiveDate> {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = serial.floor();
    (days.is_finite() && (1.0..=2_958_465.0).contains(&days))
        .then(|| epoch + chrono::Duration::days(days as i64))
        .filter(|d| d.year() >= 1900)
}
