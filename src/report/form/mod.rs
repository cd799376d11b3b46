//! One form in the layout of attachments 1–3 of the rules, as XLSX for printing and signing:
//! the attachment's pre-printed indicator categories under merged level-1 cells, rows as tall
//! as their wrapped text, one A4 page for a typical form (see [`layout`]).

pub mod fill;
pub mod import;
pub mod labels;
pub mod layout;
pub mod read;
mod sections;
pub mod supplement;
pub mod template;

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::domain::indicator::Indicator;
use crate::domain::item::{Item, ItemKind};
use crate::domain::submission::{Figures, SubmissionContent};
use crate::domain::unit::Unit;

use fill::Fill;
use layout::{column_pt, row_height, FONT_PT, MIN_ROW_PT};
use sections::{budget_rows, indicator_table, merge_down, signature_row};

/// The title of a form.
pub fn title(form: i16) -> &'static str {
    match form {
        1 => "整体绩效监控情况表",
        2 => "专项资金绩效监控情况表",
        _ => "重点项目资金绩效监控情况表",
    }
}

/// Column widths (Excel characters): label, 一级指标, 二级指标, 三级指标, 预期指标值, 指标完成值,
/// 指标完成率 — about 186 mm, the printable width of A4 portrait within 10 mm margins.
const COLUMNS: [f64; 7] = [13.0, 11.0, 16.0, 20.0, 15.0, 14.0, 11.0];
/// The font of the forms, as on the paper attachments.
const FONT: &str = "宋体";
/// The font's character set: GB2312, so that office suites lacking the font fall back to a
/// Simplified Chinese one.
const GB2312: u8 = 134;

/// The printed width of columns `first..=last`.
fn span_pt(first: u16, last: u16) -> f64 {
    (first..=last).map(|c| column_pt(COLUMNS[c as usize])).sum()
}

/// One cell's text and the columns it spans.
type Cell<'a> = (&'a str, u16, u16);

/// The height of a row from its cells.
fn height(cells: &[Cell<'_>]) -> f64 {
    let sized: Vec<(&str, f64)> = cells
        .iter()
        .map(|(t, a, b)| (*t, span_pt(*a, *b)))
        .collect();
    row_height(&sized, FONT_PT)
}

/// Sets a row's height and counts it in the form's total.
fn set_height(ws: &mut Worksheet, total: &mut f64, row: u32, h: f64) -> Result<(), XlsxError> {
    *total += h;
    ws.set_row_height(row, h)?;
    Ok(())
}

/// Spreads `need` points over rows `first..first + n` when they are shorter together.
fn stretch(heights: &mut [f64], first: usize, n: usize, need: f64) {
    let have: f64 = heights[first..first + n].iter().sum();
    if have < need {
        let extra = ((need - have) / n as f64).ceil();
        for h in &mut heights[first..first + n] {
            *h += extra;
        }
    }
}

/// The light fill that marks the cells a clerk fills in on a template.
pub const FILL_COLOR: u32 = 0xFFF2CC;

struct Formats {
    plain: Format,
    cell: Format,
    left: Format,
    head: Format,
    money: Format,
    /// A template's cells to fill in: unlocked, on the light fill.
    fill_text: Format,
    fill_center: Format,
    fill_money: Format,
    fill_plain: Format,
    fill_date: Format,
}

impl Formats {
    /// Left-aligned text, piece `i` of `k` rows of one long text: ruled only around the whole.
    fn part(&self, i: u32, k: u32) -> Format {
        if k == 1 {
            return self.left.clone();
        }
        let mut f = self
            .plain
            .clone()
            .set_align(FormatAlign::Left)
            .set_border_left(FormatBorder::Thin)
            .set_border_right(FormatBorder::Thin);
        if i == 0 {
            f = f.set_border_top(FormatBorder::Thin);
        }
        if i + 1 == k {
            f = f.set_border_bottom(FormatBorder::Thin);
        }
        f
    }

    /// `base` for a label merged over rows `span_pt` tall: at the top when long.
    fn over(&self, base: &Format, span_pt: f64) -> Format {
        if layout::label_on_top(span_pt) {
            base.clone().set_align(FormatAlign::Top)
        } else {
            base.clone()
        }
    }

    fn new() -> Self {
        let plain = Format::new()
            .set_font_name(FONT)
            .set_font_charset(GB2312)
            .set_font_size(FONT_PT)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        let cell = plain
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center);
        let left = plain
            .clone()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Left);
        let fillable = |f: &Format| {
            f.clone()
                .set_unlocked()
                .set_background_color(Color::RGB(FILL_COLOR))
        };
        let money = cell.clone().set_num_format("#,##0.00####");
        Formats {
            head: cell.clone().set_bold(),
            fill_text: fillable(&left).set_align(FormatAlign::Top),
            fill_center: fillable(&cell),
            fill_money: fillable(&money),
            fill_plain: fillable(&plain).set_align(FormatAlign::Left),
            fill_date: fillable(&plain)
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Center),
            money,
            plain,
            cell,
            left,
        }
    }
}

/// Piece `i` of a text carried over several rows, or nothing.
fn piece(pieces: &[String], i: u32) -> &str {
    pieces.get(i as usize).map(String::as_str).unwrap_or("")
}

fn pct(x: Option<&String>) -> String {
    x.map(|x| format!("{x}%")).unwrap_or_else(|| "—".into())
}

/// The name of the sheet a form is on: `附件1`, `附件2` or `附件3`.
pub fn sheet_name(form: i16) -> String {
    format!("附件{form}")
}

/// Renders the form.
pub fn xlsx(
    unit: &Unit,
    item: &Item,
    indicators: &[Indicator],
    content: &SubmissionContent,
    figures: &Figures,
) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    write(ws, unit, item, indicators, content, figures, None)?;
    wb.save_to_buffer()
}

/// Writes the form on `ws`. With `fill`, as a template to fill in: each field the unit fills
/// in has a cell of its own (unlocked, on the light fill, recorded in `fill`), long texts stay
/// whole in their cell, and the executed total and rates are formulas.
fn write(
    ws: &mut Worksheet,
    unit: &Unit,
    item: &Item,
    indicators: &[Indicator],
    content: &SubmissionContent,
    figures: &Figures,
    mut fill: Option<&mut Fill>,
) -> Result<(), XlsxError> {
    let form = item.kind.form();
    let f = Formats::new();
    let total = &mut 15.0; // the 附件 line, at the default height
    ws.set_name(sheet_name(form))?;
    if let Some(fill) = fill.as_deref_mut() {
        fill.on(&sheet_name(form));
    }
    for (c, w) in COLUMNS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }

    ws.write_string_with_format(0, 0, format!("附件{form}"), &f.plain)?;
    let title_fmt = Format::new()
        .set_font_name(FONT)
        .set_font_charset(GB2312)
        .set_bold()
        .set_font_size(18)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    ws.merge_range(1, 0, 1, 6, title(form), &title_fmt)?;
    set_height(ws, total, 1, 36.0)?;
    let unit_label = if item.kind == ItemKind::Project {
        "填报部门："
    } else {
        "填报部门（单位）："
    };
    let unit_text = format!("{unit_label}{}", unit.name);
    ws.merge_range(2, 0, 2, 4, &unit_text, &f.plain)?;
    ws.merge_range(
        2,
        5,
        2,
        6,
        "单位：万元",
        &f.plain.clone().set_align(FormatAlign::Right),
    )?;
    set_height(ws, total, 2, height(&[(&unit_text, 0, 4)]))?;
    let mut row = 3;
    if form != 1 {
        let label = if form == 2 {
            "专项资金名称"
        } else {
            "项目资金名称"
        };
        ws.write_string_with_format(row, 0, label, &f.head)?;
        ws.merge_range(row, 1, row, 6, &item.name, &f.left)?;
        set_height(ws, total, row, height(&[(label, 0, 0), (&item.name, 1, 6)]))?;
        row += 1;
    }
    budget_rows(ws, total, &f, row, content, figures, fill.as_deref_mut())?;
    row += 3;
    // 目标完成情况: a long goal or progress carries over several rows (in a template, one
    // cell holds the whole text).
    let (goal, progress) = if fill.is_some() {
        let whole = |t: &str| vec![t.to_string()];
        (whole(&item.annual_goal), whole(&content.goal_progress))
    } else {
        (
            layout::pieces(&item.annual_goal, span_pt(1, 2), FONT_PT),
            layout::pieces(&content.goal_progress, span_pt(3, 5), FONT_PT),
        )
    };
    let k = goal.len().max(progress.len()) as u32;
    let heights: Vec<f64> = (0..k)
        .map(|i| {
            let h = height(&[(piece(&goal, i), 1, 2), (piece(&progress, i), 3, 5)]);
            // Room to write by hand, and for the label.
            if k == 1 {
                h.max(45.0)
            } else {
                h
            }
        })
        .collect();
    let label_format = f.over(&f.head, heights.iter().sum());
    merge_down(ws, row, k + 1, 0, "目标完成情况", &label_format)?;
    ws.merge_range(row, 1, row, 2, "年度预期目标", &f.head)?;
    ws.merge_range(row, 3, row, 5, "完成情况", &f.head)?;
    ws.write_string_with_format(row, 6, "总体完成率", &f.head)?;
    set_height(ws, total, row, MIN_ROW_PT)?;
    let overall = pct(figures.overall_completion_rate.as_ref());
    for i in 0..k {
        let (g, p) = (piece(&goal, i), piece(&progress, i));
        let part = f.part(i, k);
        ws.merge_range(row + 1 + i, 1, row + 1 + i, 2, g, &part)?;
        match fill.as_deref_mut() {
            Some(fill) => {
                ws.merge_range(row + 1 + i, 3, row + 1 + i, 5, p, &f.fill_text)?;
                fill.at(fill::keys::GOAL_PROGRESS, None, row + 1 + i, 3);
            }
            None => {
                ws.merge_range(row + 1 + i, 3, row + 1 + i, 5, p, &part)?;
            }
        }
        // The rate on the first row, where the texts begin.
        let rate = if i == 0 { overall.as_str() } else { "" };
        let rate_format = part.clone().set_align(FormatAlign::Center);
        ws.write_string_with_format(row + 1 + i, 6, rate, &rate_format)?;
        set_height(ws, total, row + 1 + i, heights[i as usize])?;
    }
    row += 1 + k;
    let heading = row;
    row = indicator_table(
        ws,
        total,
        &f,
        row,
        indicators,
        content,
        figures,
        fill.as_deref_mut(),
    )?;
    if let Some(fill) = fill {
        row = fill::deviation_rows(ws, total, &f, row, content, fill)?;
        set_height(ws, total, row, 12.0)?;
        fill::signature_row(ws, total, &f, row + 1, content, fill)?;
        return print_setup(ws, indicators.len(), *total, heading, row + 1);
    }
    // 偏差和措施, over several rows when long.
    let label = "绩效目标执行出现的偏差和采取的措施";
    let text = format!(
        "偏差和原因分析：{}\n下一步纠偏措施：{}",
        content.deviation_analysis, content.corrective_measures
    );
    let parts = layout::pieces(&text, span_pt(1, 6), FONT_PT);
    let k = parts.len() as u32;
    let heights: Vec<f64> = parts
        .iter()
        .map(|p| {
            let h = height(&[(p, 1, 6)]);
            if k == 1 {
                h.max(height(&[(label, 0, 0)])).max(90.0)
            } else {
                h
            }
        })
        .collect();
    merge_down(ws, row, k, 0, label, &f.over(&f.head, heights.iter().sum()))?;
    for (i, (p, h)) in parts.iter().zip(&heights).enumerate() {
        let i = i as u32;
        ws.merge_range(row + i, 1, row + i, 6, p, &f.part(i, k))?;
        set_height(ws, total, row + i, *h)?;
    }
    row += k;
    set_height(ws, total, row, 12.0)?;
    row += 1;
    signature_row(ws, total, &f, row, content)?;
    print_setup(ws, indicators.len(), *total, heading, row)
}

/// A4 portrait, centred; one page for a typical form, else as many pages as it takes at the
/// full width, the indicator heading repeated on each (see `layout::one_page`).
fn print_setup(
    ws: &mut Worksheet,
    indicators: usize,
    total: f64,
    heading: u32,
    last_row: u32,
) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_margins(0.4, 0.4, 0.6, 0.7, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_print_area(0, 0, last_row, 6)?;
    if layout::one_page(indicators, total) {
        ws.set_print_fit_to_pages(1, 1);
    } else {
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(heading, heading)?;
        ws.set_footer("&C第 &P 页，共 &N 页");
    }
    Ok(())
}
