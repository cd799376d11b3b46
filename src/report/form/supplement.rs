//! The template's second sheet, 补充信息: what a unit fills in beyond the printed attachment —
//! the year-end expectations, whether the annual goal will be met, the root causes, each
//! indicator's year-end value, possibility and reasons for deviating, and the compliance
//! checks (Art. 6(2), 6(3), 8) — below the names the import falls back on when a workbook has
//! lost its hidden ids (监控期, 单位代码, 项目名称).

use rust_xlsxwriter::{Worksheet, XlsxError};
use uuid::Uuid;

use super::fill::{fill_amount, keys, write_indicator_value, Fill};
use super::template::Template;
use super::{labels, layout, Formats};
use crate::domain::indicator::Indicator;
use crate::domain::submission::{ComplianceCheck, DeviationReason, RootCause, SubmissionContent};

pub const SHEET: &str = "补充信息";

/// Where the names of the period, the unit and the item stand (row, column B).
pub const PERIOD_ROW: u32 = 1;
pub const UNIT_CODE_ROW: u32 = 2;
pub const ITEM_NAME_ROW: u32 = 4;

const COLUMNS: [f64; 10] = [24.0, 14.0, 14.0, 12.0, 9.0, 9.0, 9.0, 12.0, 9.0, 30.0];

/// Writes the sheet and records its cells to fill.
pub(super) fn write(
    ws: &mut Worksheet,
    t: &Template<'_>,
    fill: &mut Fill,
) -> Result<(), XlsxError> {
    let f = Formats::new();
    fill.on(SHEET);
    ws.set_name(SHEET)?;
    for (c, w) in COLUMNS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    names(ws, &f, t)?;
    expectations(ws, &f, fill, t.content)?;
    let row = outlook(ws, &f, fill, t.content)?;
    let row = indicators(ws, &f, fill, row + 1, t)?;
    compliance(ws, &f, fill, row + 1, t)?;
    ws.set_print_fit_to_pages(1, 0);
    ws.set_landscape();
    ws.set_paper_size(9);
    Ok(())
}

/// The sheet's title, the names of the period, the unit and the item, and how to fill it in.
fn names(ws: &mut Worksheet, f: &Formats, t: &Template<'_>) -> Result<(), XlsxError> {
    let title = f.head.clone().set_font_size(14);
    ws.merge_range(0, 0, 0, 9, "补充信息（与附件一同填写、一同导入）", &title)?;
    ws.set_row_height(0, 28)?;
    let names = [
        (PERIOD_ROW, "监控期", t.period.name.as_str()),
        (UNIT_CODE_ROW, "单位代码", t.unit.code.as_str()),
        (3, "填报单位", t.unit.name.as_str()),
        (ITEM_NAME_ROW, "项目名称", t.item.name.as_str()),
    ];
    for (row, label, value) in names {
        ws.write_string_with_format(row, 0, label, &f.head)?;
        ws.merge_range(row, 1, row, 9, value, &f.left)?;
    }
    let note = "浅黄色单元格由填报单位填写，其余单元格已锁定；选择项请从下拉列表中选取。";
    ws.merge_range(5, 0, 5, 9, note, &f.plain)?;
    Ok(())
}

/// 预算执行预计: the year-end execution and carry-over each fund expects.
fn expectations(
    ws: &mut Worksheet,
    f: &Formats,
    fill: &mut Fill,
    c: &SubmissionContent,
) -> Result<(), XlsxError> {
    ws.merge_range(7, 0, 7, 2, "预算执行预计（万元）", &f.head)?;
    ws.write_string_with_format(8, 0, "", &f.head)?;
    ws.write_string_with_format(8, 1, "财政资金", &f.head)?;
    ws.write_string_with_format(8, 2, "工会经费", &f.head)?;
    let amounts = [
        (
            9,
            "全年预计执行数",
            [
                (keys::EXPECTED_FISCAL, c.expected_year_end.fiscal),
                (keys::EXPECTED_UNION, c.expected_year_end.union),
            ],
        ),
        (
            10,
            "预计结转结余",
            [
                (keys::CARRYOVER_FISCAL, c.expected_carryover.fiscal),
                (keys::CARRYOVER_UNION, c.expected_carryover.union),
            ],
        ),
    ];
    for (row, label, cells) in amounts {
        ws.write_string_with_format(row, 0, label, &f.head)?;
        for (i, (key, amount)) in cells.into_iter().enumerate() {
            fill_amount(ws, f, fill, key, row, 1 + i as u16, amount)?;
        }
    }
    Ok(())
}

/// 年度绩效目标能否实现, and 是/否 for each root cause of a deviation. Returns the row after
/// them.
fn outlook(
    ws: &mut Worksheet,
    f: &Formats,
    fill: &mut Fill,
    c: &SubmissionContent,
) -> Result<u32, XlsxError> {
    ws.write_string_with_format(12, 0, "年度绩效目标能否实现", &f.head)?;
    let outlook = c.outlook.map(labels::possibility).unwrap_or_default();
    ws.merge_range(12, 1, 12, 2, outlook, &f.fill_center)?;
    fill.at(keys::OUTLOOK, None, 12, 1);
    ws.merge_range(14, 0, 14, 2, "偏差主要原因（是/否）", &f.head)?;
    let mut row = 15;
    for cause in RootCause::ALL {
        ws.write_string_with_format(row, 0, labels::root_cause(*cause), &f.cell)?;
        let answer = fill.existing.then(|| c.root_causes.contains(cause));
        let key = format!("{}{cause}", keys::ROOT_CAUSE);
        yes_no(ws, f, fill, (row, 1), answer, key, None)?;
        row += 1;
    }
    Ok(row)
}

/// A 是/否 cell: blank without an answer.
fn yes_no(
    ws: &mut Worksheet,
    f: &Formats,
    fill: &mut Fill,
    (row, col): (u32, u16),
    answer: Option<bool>,
    key: String,
    indicator: Option<Uuid>,
) -> Result<(), XlsxError> {
    let text = match answer {
        None => "",
        Some(true) => labels::YES,
        Some(false) => labels::NO,
    };
    ws.write_string_with_format(row, col, text, &f.fill_center)?;
    fill.at(key, indicator, row, col);
    Ok(())
}

/// 绩效指标补充: one row per indicator, in the order of the attachment's table.
fn indicators(
    ws: &mut Worksheet,
    f: &Formats,
    fill: &mut Fill,
    row: u32,
    t: &Template<'_>,
) -> Result<u32, XlsxError> {
    ws.merge_range(row, 0, row, 9, "绩效指标补充", &f.head)?;
    let head = row + 1;
    for (col, label) in [
        (0, "三级指标"),
        (1, "预期指标值"),
        (2, "全年预计完成值"),
        (3, "实现可能性"),
        (9, "说明（完成值达到目标130%以上时必填）"),
    ] {
        ws.merge_range(head, col, head + 1, col, label, &f.head)?;
    }
    ws.merge_range(head, 4, head, 8, "偏差原因（是/否）", &f.head)?;
    for (i, r) in DeviationReason::ALL.iter().enumerate() {
        ws.write_string_with_format(
            head + 1,
            4 + i as u16,
            labels::deviation_reason(*r),
            &f.head,
        )?;
    }
    ws.set_row_height(head + 1, 30)?;
    let mut row = head + 2;
    for ind in layout::indicator_rows(t.indicators)
        .iter()
        .filter_map(|r| r.indicator)
    {
        indicator_row(ws, f, fill, row, ind, t)?;
        row += 1;
    }
    Ok(row)
}

fn indicator_row(
    ws: &mut Worksheet,
    f: &Formats,
    fill: &mut Fill,
    row: u32,
    ind: &Indicator,
    t: &Template<'_>,
) -> Result<(), XlsxError> {
    let value = t
        .content
        .indicator_values
        .iter()
        .find(|v| v.indicator_id == ind.id);
    let id = Some(ind.id);
    ws.write_string_with_format(row, 0, &ind.name, &f.left)?;
    let target = format!("{}{}", ind.target, ind.measure_unit);
    ws.write_string_with_format(row, 1, &target, &f.cell)?;
    let expected = value.and_then(|v| v.expected_year_end.clone());
    let expected = expected.unwrap_or_default();
    write_indicator_value(ws, row, 2, ind.direction, &expected, &f.fill_center)?;
    fill.at(keys::INDICATOR_EXPECTED, id, row, 2);
    let possibility = value.and_then(|v| v.possibility).map(labels::possibility);
    ws.write_string_with_format(row, 3, possibility.unwrap_or_default(), &f.fill_center)?;
    fill.at(keys::POSSIBILITY, id, row, 3);
    for (i, r) in DeviationReason::ALL.iter().enumerate() {
        // Blank where the indicator has no answer yet.
        let answer = value.map(|v| v.deviation_reasons.contains(r));
        let key = format!("{}{r}", keys::DEVIATION_REASON);
        yes_no(ws, f, fill, (row, 4 + i as u16), answer, key, id)?;
    }
    let note = value.and_then(|v| v.note.clone()).unwrap_or_default();
    ws.write_string_with_format(row, 9, &note, &f.fill_text)?;
    fill.at(keys::NOTE, id, row, 9);
    let h = layout::row_height(
        &[
            (&ind.name, layout::column_pt(COLUMNS[0])),
            (&target, layout::column_pt(COLUMNS[1])),
            (&note, layout::column_pt(COLUMNS[9])),
        ],
        layout::FONT_PT,
    );
    ws.set_row_height(row, h)?;
    Ok(())
}

/// 合规性检查: whether each check of Art. 6(3) and Art. 8 found a problem, with a note.
fn compliance(
    ws: &mut Worksheet,
    f: &Formats,
    fill: &mut Fill,
    row: u32,
    t: &Template<'_>,
) -> Result<(), XlsxError> {
    ws.merge_range(row, 0, row, 9, "合规性检查", &f.head)?;
    ws.write_string_with_format(row + 1, 0, "检查事项", &f.head)?;
    ws.write_string_with_format(row + 1, 1, "是否发现问题", &f.head)?;
    ws.merge_range(row + 1, 2, row + 1, 9, "情况说明", &f.head)?;
    for (r, check) in (row + 2..).zip(ComplianceCheck::ALL) {
        let entry = t.content.compliance.iter().find(|e| e.check == *check);
        ws.write_string_with_format(r, 0, labels::compliance(*check), &f.cell)?;
        let answer = match entry {
            None => "",
            Some(e) if e.problem => labels::YES,
            Some(_) => labels::NO,
        };
        ws.write_string_with_format(r, 1, answer, &f.fill_center)?;
        fill.at(format!("{}{check}.problem", keys::COMPLIANCE), None, r, 1);
        let note = entry.and_then(|e| e.note.clone()).unwrap_or_default();
        ws.merge_range(r, 2, r, 9, &note, &f.fill_text)?;
        fill.at(format!("{}{check}.note", keys::COMPLIANCE), None, r, 2);
    }
    Ok(())
}
