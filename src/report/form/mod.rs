//! One form in the layout of attachments 1–3 of the rules, as XLSX for printing and signing:
//! the attachment's pre-printed indicator categories under merged level-1 cells, rows as tall
//! as their wrapped text, one A4 page for a typical form (see [`layout`]).

pub mod fill;
pub mod import;
pub mod labels;
pub mod layout;
pub mod read;
mod sections;
mod sheet;
pub mod supplement;
pub mod template;

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use crate::domain::indicator::Indicator;
use crate::domain::item::{Item, ItemKind};
use crate::domain::submission::{Figures, SubmissionContent};
use crate::domain::unit::Unit;

use fill::Fill;
use layout::{FONT_PT, MIN_ROW_PT};
use sections::{budget_rows, indicator_table, merge_down, signature_row};
pub use sheet::FILL_COLOR;
use sheet::{height, span_pt, stretch, Cell, Formats, Sheet, COLUMNS, FONT, GB2312};

/// The title of a form.
pub fn title(form: i16) -> &'static str {
    match form {
        1 => "整体绩效监控情况表",
        2 => "专项资金绩效监控情况表",
        _ => "重点项目资金绩效监控情况表",
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

/// What a form shows: the unit's item with its indicators, and the form's content and figures.
struct Form<'a> {
    unit: &'a Unit,
    item: &'a Item,
    indicators: &'a [Indicator],
    content: &'a SubmissionContent,
    figures: &'a Figures,
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
    let form = Form {
        unit,
        item,
        indicators,
        content,
        figures,
    };
    write(ws, &form, None)?;
    wb.save_to_buffer()
}

/// Writes the form on `ws`. With `fill`, as a template to fill in: each field the unit fills
/// in has a cell of its own (unlocked, on the light fill, recorded in `fill`), long texts stay
/// whole in their cell, and the executed total and rates are formulas.
fn write(
    ws: &mut Worksheet,
    form: &Form<'_>,
    mut fill: Option<&mut Fill>,
) -> Result<(), XlsxError> {
    let name = sheet_name(form.item.kind.form());
    ws.set_name(&name)?;
    if let Some(fill) = fill.as_deref_mut() {
        fill.on(&name);
    }
    for (c, w) in COLUMNS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let s = &mut Sheet::new(ws);
    let row = header(s, form.unit, form.item)?;
    budget_rows(s, row, form.content, form.figures, fill.as_deref_mut())?;
    let row = goal_rows(s, row + 3, form, fill.as_deref_mut())?;
    let heading = row;
    let row = indicator_table(s, row, form, fill.as_deref_mut())?;
    let row = match fill.as_deref_mut() {
        Some(fill) => fill::deviation_rows(s, row, form.content, fill)?,
        None => deviation_rows(s, row, form.content)?,
    };
    // A gap above the signatures.
    s.set_height(row, 12.0)?;
    match fill {
        Some(fill) => fill::signature_row(s, row + 1, form.content, fill)?,
        None => signature_row(s, row + 1, form.content)?,
    }
    print_setup(s.ws, form.indicators.len(), s.total, heading, row + 1)
}

/// The 附件 line, the title, the unit and, on forms 2 and 3, the fund's or the project's name.
/// Returns the row after them.
fn header(s: &mut Sheet<'_>, unit: &Unit, item: &Item) -> Result<u32, XlsxError> {
    let form = item.kind.form();
    s.ws.write_string_with_format(0, 0, sheet_name(form), &s.f.plain)?;
    let title_fmt = Format::new()
        .set_font_name(FONT)
        .set_font_charset(GB2312)
        .set_bold()
        .set_font_size(18)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    s.ws.merge_range(1, 0, 1, 6, title(form), &title_fmt)?;
    s.set_height(1, 36.0)?;
    let unit_label = if item.kind == ItemKind::Project {
        "填报部门："
    } else {
        "填报部门（单位）："
    };
    let unit_text = format!("{unit_label}{}", unit.name);
    s.ws.merge_range(2, 0, 2, 4, &unit_text, &s.f.plain)?;
    let right = s.f.plain.clone().set_align(FormatAlign::Right);
    s.ws.merge_range(2, 5, 2, 6, "单位：万元", &right)?;
    s.set_height(2, height(&[(&unit_text, 0, 4)]))?;
    if form == 1 {
        return Ok(3);
    }
    let label = if form == 2 {
        "专项资金名称"
    } else {
        "项目资金名称"
    };
    s.ws.write_string_with_format(3, 0, label, &s.f.head)?;
    s.ws.merge_range(3, 1, 3, 6, &item.name, &s.f.left)?;
    s.set_height(3, height(&[(label, 0, 0), (&item.name, 1, 6)]))?;
    Ok(4)
}

/// 目标完成情况: the annual goal, the progress and the overall completion rate. A long goal or
/// progress carries over several rows (in a template, one cell holds the whole text). Returns
/// the row after it.
fn goal_rows(
    s: &mut Sheet<'_>,
    row: u32,
    form: &Form<'_>,
    mut fill: Option<&mut Fill>,
) -> Result<u32, XlsxError> {
    let (goal, progress) = if fill.is_some() {
        let whole = |t: &str| vec![t.to_string()];
        (
            whole(&form.item.annual_goal),
            whole(&form.content.goal_progress),
        )
    } else {
        (
            layout::pieces(&form.item.annual_goal, span_pt(1, 2), FONT_PT),
            layout::pieces(&form.content.goal_progress, span_pt(3, 5), FONT_PT),
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
    let label_format = s.f.over(&s.f.head, heights.iter().sum());
    merge_down(s.ws, row, k + 1, 0, "目标完成情况", &label_format)?;
    s.ws.merge_range(row, 1, row, 2, "年度预期目标", &s.f.head)?;
    s.ws.merge_range(row, 3, row, 5, "完成情况", &s.f.head)?;
    s.ws.write_string_with_format(row, 6, "总体完成率", &s.f.head)?;
    s.set_height(row, MIN_ROW_PT)?;
    let overall = pct(form.figures.overall_completion_rate.as_ref());
    for i in 0..k {
        let r = row + 1 + i;
        let part = s.f.part(i, k);
        s.ws.merge_range(r, 1, r, 2, piece(&goal, i), &part)?;
        let progress_format = if fill.is_some() {
            &s.f.fill_text
        } else {
            &part
        };
        s.ws.merge_range(r, 3, r, 5, piece(&progress, i), progress_format)?;
        if let Some(fill) = fill.as_deref_mut() {
            fill.at(fill::keys::GOAL_PROGRESS, None, r, 3);
        }
        // The rate on the first row, where the texts begin.
        let rate = if i == 0 { overall.as_str() } else { "" };
        let rate_format = part.clone().set_align(FormatAlign::Center);
        s.ws.write_string_with_format(r, 6, rate, &rate_format)?;
        s.set_height(r, heights[i as usize])?;
    }
    Ok(row + 1 + k)
}

/// 绩效目标执行出现的偏差和采取的措施: the analysis and the measures in one text, over several
/// rows when long. Returns the row after it.
fn deviation_rows(
    s: &mut Sheet<'_>,
    row: u32,
    content: &SubmissionContent,
) -> Result<u32, XlsxError> {
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
    let label_format = s.f.over(&s.f.head, heights.iter().sum());
    merge_down(s.ws, row, k, 0, label, &label_format)?;
    for (i, (p, h)) in parts.iter().zip(&heights).enumerate() {
        let i = i as u32;
        s.ws.merge_range(row + i, 1, row + i, 6, p, &s.f.part(i, k))?;
        s.set_height(row + i, *h)?;
    }
    Ok(row + k)
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
