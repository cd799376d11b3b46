//! The sections of a form below its title: budget execution, the indicator table and the
//! signature line.

use rust_xlsxwriter::{Format, Formula, Worksheet, XlsxError};

use crate::domain::indicator::Indicator;
use crate::domain::submission::{Figures, SubmissionContent};
use crate::domain::FundSplit;

use super::fill::{fill_actual, fill_amount, keys, Fill};
use super::layout;
use super::layout::IndicatorRow;
use super::{height, pct, stretch, Cell, Form, Sheet, COLUMNS};

fn grade_text(s: &str) -> String {
    match s {
        "achieved" => "达成".into(),
        "partly_achieved" => "部分达成并具有一定效果".into(),
        "not_achieved" => "未达成且效果较差".into(),
        other => other.into(),
    }
}

/// One line of 预算执行情况: its three labels, then the budget, the executed amount and the rate.
type BudgetLine = ([&'static str; 3], String, String, String);

/// 合计, 其中：财政资金 and 工会经费.
fn budget_lines(content: &SubmissionContent, figures: &Figures) -> [BudgetLine; 3] {
    let (budget, executed, rates) = (&figures.budget, &content.executed, &figures.execution_rate);
    [
        (
            ["预算数", "执行数", "执行率"],
            budget.total().to_string(),
            executed.total().to_string(),
            pct(rates.total.as_ref()),
        ),
        (
            ["其中：财政资金"; 3],
            budget.fiscal.to_string(),
            executed.fiscal.to_string(),
            pct(rates.fiscal.as_ref()),
        ),
        (
            ["工会经费"; 3],
            budget.union.to_string(),
            executed.union.to_string(),
            pct(rates.union.as_ref()),
        ),
    ]
}

/// 预算执行情况: three rows of label/value pairs.
pub(super) fn budget_rows(
    s: &mut Sheet<'_>,
    row: u32,
    content: &SubmissionContent,
    figures: &Figures,
    mut fill: Option<&mut Fill>,
) -> Result<(), XlsxError> {
    s.ws.merge_range(row, 0, row + 2, 0, "预算执行情况", &s.f.head)?;
    let lines = budget_lines(content, figures);
    for (k, (labels, b, e, rate)) in lines.into_iter().enumerate() {
        let r = row + k as u32;
        let (b, e) = (layout::amount_text(&b), layout::amount_text(&e));
        s.ws.write_string_with_format(r, 1, labels[0], &s.f.cell)?;
        write_amount(s, r, 2, &b)?;
        s.ws.write_string_with_format(r, 3, labels[1], &s.f.cell)?;
        s.ws.write_string_with_format(r, 5, labels[2], &s.f.cell)?;
        match fill.as_deref_mut() {
            None => {
                write_amount(s, r, 4, &e)?;
                s.ws.write_string_with_format(r, 6, &rate, &s.f.cell)?;
            }
            Some(fill) => executed_formulas(s, fill, row, k, &content.executed, &rate)?,
        }
        let h = height(&[
            (labels[0], 1, 1),
            (&b, 2, 2),
            (labels[1], 3, 3),
            (&e, 4, 4),
            (labels[2], 5, 5),
            (&rate, 6, 6),
        ]);
        s.set_height(r, h)?;
    }
    Ok(())
}

/// A template's 执行数 and 执行率 on line `k` of the budget rows from `row`: the fiscal and
/// union amounts are filled in; the total and the rates follow them as formulas.
fn executed_formulas(
    s: &mut Sheet<'_>,
    fill: &mut Fill,
    row: u32,
    k: usize,
    executed: &FundSplit,
    rate: &str,
) -> Result<(), XlsxError> {
    let r = row + k as u32;
    let (e1, e2, excel_row) = (row + 2, row + 3, r + 1);
    let executed_cell = match k {
        0 => {
            let sum =
                Formula::new(format!("=E{e1}+E{e2}")).set_result(executed.total().to_string());
            s.ws.write_formula_with_format(r, 4, sum, &s.f.money)?;
            None
        }
        1 => Some((keys::EXECUTED_FISCAL, executed.fiscal)),
        _ => Some((keys::EXECUTED_UNION, executed.union)),
    };
    if let Some((key, amount)) = executed_cell {
        fill_amount(s.ws, &s.f, fill, key, r, 4, amount)?;
    }
    let rate_formula = Formula::new(format!(
        "=IFERROR(TEXT(E{excel_row}/C{excel_row}*100,\"0.00\")&\"%\",\"—\")"
    ))
    .set_result(rate);
    s.ws.write_formula_with_format(r, 6, rate_formula, &s.f.cell)?;
    Ok(())
}

/// An amount: a number while it fits its column, else the same digits as text.
fn write_amount(s: &mut Sheet<'_>, row: u32, col: u16, text: &str) -> Result<(), XlsxError> {
    match text.replace(',', "").parse::<f64>() {
        Ok(x) if layout::amount_fits(text, COLUMNS[col as usize]) => {
            s.ws.write_number_with_format(row, col, x, &s.f.money)?
        }
        _ => s.ws.write_string_with_format(row, col, text, &s.f.cell)?,
    };
    Ok(())
}

/// The headings of the indicator table, columns 1 to 6.
const HEADS: [&str; 6] = [
    "一级指标",
    "二级指标",
    "三级指标",
    "预期指标值",
    "指标完成值",
    "指标完成率",
];

/// 绩效指标完成情况: the heading, then the attachment's categories with their indicators.
/// Returns the row after the table.
pub(super) fn indicator_table(
    s: &mut Sheet<'_>,
    row: u32,
    form: &Form<'_>,
    fill: Option<&mut Fill>,
) -> Result<u32, XlsxError> {
    let rows = layout::indicator_rows(form.indicators);
    let n = rows.len() as u32;
    for (c, h) in HEADS.iter().enumerate() {
        s.ws.write_string_with_format(row, c as u16 + 1, *h, &s.f.head)?;
    }
    let first = row + 1;
    let mut heights = indicator_lines(s, first, &rows, form, fill)?;
    categories(s, first, &rows, &mut heights)?;
    for (k, h) in heights.iter().enumerate() {
        s.set_height(first + k as u32, *h)?;
    }
    table_label(s, row, n, heights.iter().sum::<f64>())?;
    Ok(first + n)
}

/// The table's rows from `first`: each indicator's 三级指标, 预期指标值, 指标完成值 and 指标完成率
/// (in a template, 指标完成值 is a cell to fill). Returns the rows' heights.
fn indicator_lines(
    s: &mut Sheet<'_>,
    first: u32,
    rows: &[IndicatorRow<'_>],
    form: &Form<'_>,
    mut fill: Option<&mut Fill>,
) -> Result<Vec<f64>, XlsxError> {
    let mut heights = Vec::with_capacity(rows.len());
    for (k, r) in rows.iter().enumerate() {
        let at = first + k as u32;
        let [name, target, actual, rate] = match r.indicator {
            Some(ind) => cells_of(ind, form.content, form.figures),
            None => Default::default(),
        };
        s.ws.write_string_with_format(at, 3, &name, &s.f.left)?;
        s.ws.write_string_with_format(at, 4, &target, &s.f.cell)?;
        s.ws.write_string_with_format(at, 5, &actual, &s.f.cell)?;
        s.ws.write_string_with_format(at, 6, &rate, &s.f.cell)?;
        if let (Some(fill), Some(ind)) = (fill.as_deref_mut(), r.indicator) {
            fill_actual(s, fill, at, ind, form.content)?;
        }
        heights.push(height(&[
            (&name, 3, 3),
            (&target, 4, 4),
            (&actual, 5, 5),
            (&rate, 6, 6),
        ]));
    }
    Ok(heights)
}

/// The level-1 and level-2 categories merged down their rows (from `first`), the rows
/// stretched where a category's label needs more room than its indicators.
fn categories(
    s: &mut Sheet<'_>,
    first: u32,
    rows: &[IndicatorRow<'_>],
    heights: &mut [f64],
) -> Result<(), XlsxError> {
    let level1: Vec<(usize, usize, &'static str)> = layout::level1_runs(rows)
        .into_iter()
        .map(|(start, n, l)| (start, n, l.label()))
        .collect();
    let level2: Vec<(usize, usize, &'static str)> = layout::level2_runs(rows)
        .into_iter()
        .map(|(start, n, l)| (start, n, l.label()))
        .collect();
    let columns = [(1, &level1), (2, &level2)];
    for (col, list) in columns {
        for &(start, len, label) in list {
            stretch(heights, start, len, height(&[(label, col, col)]));
        }
    }
    for (col, list) in columns {
        for &(start, len, label) in list {
            let span: f64 = heights[start..start + len].iter().sum();
            let format = s.f.over(&s.f.cell, span);
            merge_down(s.ws, first + start as u32, len as u32, col, label, &format)?;
        }
    }
    Ok(())
}

/// 绩效指标完成情况 merged down the table's `n` rows beside the heading at `row`, and the
/// heading row's height; `span` is the height of the rows.
fn table_label(s: &mut Sheet<'_>, row: u32, n: u32, span: f64) -> Result<(), XlsxError> {
    let format = s.f.over(&s.f.head, span);
    let label = "绩效指标完成情况";
    s.ws.merge_range(row, 0, row + n, 0, label, &format)?;
    // A long table runs over pages that repeat its heading row, and the label at the top of the
    // merged cell prints in each repeated heading: make room for it there.
    let head_cells: Vec<Cell<'_>> = HEADS
        .iter()
        .enumerate()
        .map(|(c, h)| (*h, c as u16 + 1, c as u16 + 1))
        .collect();
    let mut heading = height(&head_cells);
    if layout::label_on_top(span) {
        heading = heading.max(height(&[(label, 0, 0)]));
    }
    s.set_height(row, heading)
}

/// Writes `text` into column `col` over `len` rows from `row`, merged when more than one.
pub(super) fn merge_down(
    ws: &mut Worksheet,
    row: u32,
    len: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if len > 1 {
        ws.merge_range(row, col, row + len - 1, col, text, format)?;
    } else {
        ws.write_string_with_format(row, col, text, format)?;
    }
    Ok(())
}

/// 三级指标, 预期指标值, 指标完成值 and 指标完成率 of one indicator.
fn cells_of(ind: &Indicator, content: &SubmissionContent, figures: &Figures) -> [String; 4] {
    let value = content
        .indicator_values
        .iter()
        .find(|v| v.indicator_id == ind.id);
    let fig = figures.indicators.iter().find(|f| f.indicator_id == ind.id);
    let unit_suffix = ind.measure_unit.as_str();
    let actual = value
        .and_then(|v| v.actual.clone())
        .map(|a| {
            let suffix = if a.parse::<f64>().is_ok() {
                unit_suffix
            } else {
                ""
            };
            format!("{}{suffix}", grade_text(&a))
        })
        .unwrap_or_default();
    [
        ind.name.clone(),
        format!("{}{unit_suffix}", ind.target),
        actual,
        fig.and_then(|f| f.completion_rate.clone())
            .map(|x| format!("{x}%"))
            .unwrap_or_default(),
    ]
}

/// 部门负责人 / 分管领导签字 / date, at the foot as on the attachments.
pub(super) fn signature_row(
    s: &mut Sheet<'_>,
    row: u32,
    content: &SubmissionContent,
) -> Result<(), XlsxError> {
    let sig = &content.signatures;
    let date = sig
        .date
        .map(|d| d.format("%Y 年 %-m 月 %-d 日").to_string())
        .unwrap_or_else(|| "年    月    日".into());
    let head = format!("部门负责人：{}", sig.unit_head.clone().unwrap_or_default());
    let leader = format!(
        "分管领导签字：{}",
        sig.supervising_leader.clone().unwrap_or_default()
    );
    s.ws.merge_range(row, 0, row, 2, &head, &s.f.plain)?;
    s.ws.merge_range(row, 3, row, 4, &leader, &s.f.plain)?;
    s.ws.merge_range(row, 5, row, 6, &date, &s.f.plain)?;
    let h = height(&[(&head, 0, 2), (&leader, 3, 4), (&date, 5, 6)]).max(30.0);
    s.set_height(row, h)
}
