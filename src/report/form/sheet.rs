//! The sheet a form is written on: its columns, fonts and cell formats, and the heights of its
//! rows as they are written (whether the form fits one page).

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use super::layout::{self, column_pt, row_height, FONT_PT};

/// Column widths (Excel characters): label, 一级指标, 二级指标, 三级指标, 预期指标值, 指标完成值,
/// 指标完成率 — about 186 mm, the printable width of A4 portrait within 10 mm margins.
pub(super) const COLUMNS: [f64; 7] = [13.0, 11.0, 16.0, 20.0, 15.0, 14.0, 11.0];
/// The font of the forms, as on the paper attachments.
pub(super) const FONT: &str = "宋体";
/// The font's character set: GB2312, so that office suites lacking the font fall back to a
/// Simplified Chinese one.
pub(super) const GB2312: u8 = 134;

/// The printed width of columns `first..=last`.
pub(super) fn span_pt(first: u16, last: u16) -> f64 {
    (first..=last).map(|c| column_pt(COLUMNS[c as usize])).sum()
}

/// One cell's text and the columns it spans.
pub(super) type Cell<'a> = (&'a str, u16, u16);

/// The height of a row from its cells.
pub(super) fn height(cells: &[Cell<'_>]) -> f64 {
    let sized: Vec<(&str, f64)> = cells
        .iter()
        .map(|(t, a, b)| (*t, span_pt(*a, *b)))
        .collect();
    row_height(&sized, FONT_PT)
}

/// Spreads `need` points over rows `first..first + n` when they are shorter together.
pub(super) fn stretch(heights: &mut [f64], first: usize, n: usize, need: f64) {
    let have: f64 = heights[first..first + n].iter().sum();
    if have < need {
        let extra = ((need - have) / n as f64).ceil();
        for h in &mut heights[first..first + n] {
            *h += extra;
        }
    }
}

/// A form's sheet while it is written: the worksheet, the formats, and the height of the rows
/// written so far.
pub(super) struct Sheet<'a> {
    pub ws: &'a mut Worksheet,
    pub f: Formats,
    pub total: f64,
}

impl<'a> Sheet<'a> {
    pub fn new(ws: &'a mut Worksheet) -> Self {
        Sheet {
            ws,
            f: Formats::new(),
            total: 15.0, // the 附件 line, at the default height
        }
    }

    /// Sets a row's height and counts it in the form's total.
    pub fn set_height(&mut self, row: u32, h: f64) -> Result<(), XlsxError> {
        self.total += h;
        self.ws.set_row_height(row, h)?;
        Ok(())
    }
}

/// The light fill that marks the cells a clerk fills in on a template.
pub const FILL_COLOR: u32 = 0xFFF2CC;

pub(super) struct Formats {
    pub plain: Format,
    pub cell: Format,
    pub left: Format,
    pub head: Format,
    pub money: Format,
    /// A template's cells to fill in: unlocked, on the light fill.
    pub fill_text: Format,
    pub fill_center: Format,
    pub fill_money: Format,
    pub fill_plain: Format,
    pub fill_date: Format,
}

impl Formats {
    /// Left-aligned text, piece `i` of `k` rows of one long text: ruled only around the whole.
    pub fn part(&self, i: u32, k: u32) -> Format {
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
    pub fn over(&self, base: &Format, span_pt: f64) -> Format {
        if layout::label_on_top(span_pt) {
            base.clone().set_align(FormatAlign::Top)
        } else {
            base.clone()
        }
    }

    pub fn new() -> Self {
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
