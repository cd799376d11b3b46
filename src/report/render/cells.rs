//! A table cell's value — one definition for the CSV text and the XLSX cell — its printed
//! width and height, and the cell formats of the report.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};
use rust_decimal::RoundingStrategy;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};
use unicode_width::UnicodeWidthChar;

use crate::domain::monitoring::Light;
use crate::domain::Total;
use crate::report::form::layout;
use crate::report::labels::Label;
use crate::report::thousands;

const FONT: &str = "宋体";
const FONT_PT: f64 = 10.0;
/// Money in 万元 as finance prints it; the cell keeps the exact number.
pub const MONEY: &str = "#,##0.00";
/// A rate in percent, stored as the number of percent (48.83 prints 48.83%).
pub const RATE: &str = r#"0.00"%""#;

/// A line of text, in points (CJK fonts run taller than their size).
const LINE_PT: f64 = FONT_PT * 1.45;
/// The height of a row of one line, in points: the tables' default row height.
pub const ROW_PT: f64 = 18.0;

/// A cell's value, borrowing the report's text where it can (a province's table has 400,000
/// cells, each built twice: once to fit the widths, once to write).
#[derive(Debug, Clone)]
pub enum Cell<'a> {
    /// Free text, left-aligned, wrapping beyond its column's width.
    Text(Cow<'a, str>),
    /// A code's label or a short word, centred.
    Label(Cow<'a, str>),
    /// Money: a number where a spreadsheet number holds it exactly, else the exact text.
    Money(Total),
    /// A rate in percent as the report carries it (`48.83`), or none.
    Rate(Option<&'a str>),
    Count(i64),
    /// A light as its label, filled in its colour.
    Light(Option<Light>),
    Date(NaiveDate),
}

impl<'a> Cell<'a> {
    pub fn text(s: impl Into<Cow<'a, str>>) -> Self {
        Cell::Text(s.into())
    }

    pub fn label(s: impl Into<Cow<'a, str>>) -> Self {
        Cell::Label(s.into())
    }

    pub fn rate(r: &'a Option<String>) -> Self {
        Cell::Rate(r.as_deref())
    }
}

/// Whether a spreadsheet number (15 significant digits) holds the amount exactly.
fn as_number(a: Total) -> Option<f64> {
    let v = a.value().normalize();
    if v.mantissa().unsigned_abs().to_string().len() > 15 {
        return None;
    }
    v.to_string().parse().ok()
}

/// An amount as `#,##0.00` prints it.
fn money_shown(a: Total) -> String {
    let v = a
        .value()
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{v:.2}");
    let (int, frac) = text.split_once('.').unwrap_or((&text, "00"));
    format!("{}.{frac}", thousands(int))
}

/// The first characters by which a spreadsheet opening a CSV file takes a cell for a formula
/// (or, for tab and carriage return, may; OWASP's "CSV injection").
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Text as a CSV cell that a spreadsheet shows as text: one that would start a formula gets a
/// leading `'` (an item named `=HYPERLINK(…)` must not run when finance opens the file).
fn inert(s: &str) -> Cow<'_, str> {
    if s.starts_with(FORMULA_STARTS) {
        format!("'{s}").into()
    } else {
        Cow::Borrowed(s)
    }
}

impl Cell<'_> {
    /// The cell in a CSV file: exact amounts and rates, labels for codes; text that a
    /// spreadsheet would take for a formula starts with `'` ([`inert`]).
    pub fn csv(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) | Cell::Label(s) => inert(s),
            _ => self.shown(),
        }
    }

    /// The cell's value as text, as it prints.
    fn shown(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) | Cell::Label(s) => Cow::Borrowed(s),
            Cell::Money(a) => a.to_string().into(),
            Cell::Rate(r) => r.unwrap_or_default().into(),
            Cell::Count(n) => n.to_string().into(),
            Cell::Light(l) => l.map(|l| l.label()).unwrap_or_default().into(),
            Cell::Date(d) => d.to_string().into(),
        }
    }

    /// How wide the cell prints, in characters (see [`text_width`]).
    pub fn width(&self) -> f64 {
        let shown = match self {
            Cell::Money(a) if as_number(*a).is_some() => money_shown(*a).into(),
            // The `%` of the rate format.
            Cell::Rate(Some(r)) => return text_width(r) + 1.1,
            c => c.shown(),
        };
        shown.split('\n').map(text_width).fold(0.0, f64::max)
    }

    /// The text of a cell that wraps.
    fn wrapping(&self) -> Option<&str> {
        match self {
            Cell::Text(s) | Cell::Label(s) => Some(s),
            _ => None,
        }
    }
}

/// How wide a text prints in a column, in the column width's unit (the width of a digit of the
/// workbook's default font): a CJK (wide) character counts two, a digit a little over one (an
/// office suite's fallback fonts draw digits a little wider than Excel's), a letter more.
pub fn text_width(s: &str) -> f64 {
    s.chars()
        .map(|c| match c.width_cjk() {
            Some(2) => 2.0,
            Some(1) if c.is_ascii_digit() || ".,%-: ".contains(c) => 1.1,
            Some(1) => 1.3,
            _ => 0.0,
        })
        .sum()
}

/// Whether a text surely fits on one line of a cell `width_pt` wide, measured as
/// [`layout::wrap`] measures (a wide character one em, a narrow one 0.62 em, 6 pt of padding)
/// without wrapping it: most cells of a long table, checked cheaply.
fn one_line(text: &str, width_pt: f64) -> bool {
    let mut em = 0.0;
    for c in text.chars() {
        em += match c.width_cjk() {
            Some(2) => 1.0,
            Some(1) if c != '\n' => 0.62,
            _ => return false,
        };
    }
    em * FONT_PT <= width_pt - 6.0
}

/// The height of a row: its tallest wrapped text, at least one line.
pub fn row_height(cells: &[Cell], widths: &[f64]) -> f64 {
    cells
        .iter()
        .zip(widths)
        .filter_map(|(c, w)| {
            let text = c.wrapping()?;
            let width_pt = layout::column_pt(*w);
            let lines = if one_line(text, width_pt) {
                1
            } else {
                layout::wrapped_lines(text, width_pt, FONT_PT)
            };
            Some(lines as f64 * LINE_PT + 4.0)
        })
        .fold(ROW_PT, f64::max)
        .ceil()
        .min(layout::MAX_ROW_PT)
}

/// The cell formats of the report.
pub struct Styles {
    pub title: Format,
    /// A line above a table, naming it.
    pub caption: Format,
    pub head: Format,
    text: Format,
    pub label: Format,
    money: Format,
    money_text: Format,
    rate: Format,
    count: Format,
    date: Format,
    /// 红, 黄, 绿, 蓝: the light's (pale) colour with a darker text.
    lights: [Format; 4],
}

impl Styles {
    pub fn new() -> Self {
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_size(FONT_PT)
            .set_align(FormatAlign::VerticalCenter);
        let cell = base.clone().set_border(FormatBorder::Thin);
        let center = cell.clone().set_align(FormatAlign::Center);
        let light = |fill: u32, font: u32| {
            center
                .clone()
                .set_background_color(fill)
                .set_font_color(font)
                .set_bold()
        };
        Styles {
            caption: base.clone().set_bold().set_font_size(11),
            title: base
                .clone()
                .set_font_size(16)
                .set_bold()
                .set_align(FormatAlign::Center),
            head: center
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_background_color(0xD9E1F2),
            text: cell.clone().set_text_wrap(),
            label: center.clone().set_text_wrap(),
            money: cell.clone().set_num_format(MONEY),
            money_text: cell.clone().set_align(FormatAlign::Right),
            rate: cell.clone().set_num_format(RATE),
            count: center.clone().set_num_format("0"),
            date: center.clone().set_num_format("yyyy-mm-dd"),
            lights: [
                light(0xFFC7CE, 0x9C0006),
                light(0xFFEB9C, 0x9C5700),
                light(0xC6EFCE, 0x006100),
                light(0xBDD7EE, 0x1F4E78),
            ],
        }
    }

    /// The fill of a light.
    pub fn light(&self, l: Light) -> &Format {
        &self.lights[match l {
            Light::Red => 0,
            Light::Yellow => 1,
            Light::Green => 2,
            Light::Blue => 3,
        }]
    }
}

fn bolded(f: &Format, bold: bool) -> Cow<'_, Format> {
    if bold {
        Cow::Owned(f.clone().set_bold())
    } else {
        Cow::Borrowed(f)
    }
}

/// Writes a cell; `bold` for a totals row.
pub fn write(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    st: &Styles,
    bold: bool,
) -> Result<(), XlsxError> {
    // A totals row is bold; other rows use the shared formats as they are.
    let b = |f| bolded(f, bold);
    match cell {
        Cell::Text(s) => ws.write_string_with_format(row, col, s.as_ref(), &b(&st.text))?,
        Cell::Label(s) => ws.write_string_with_format(row, col, s.as_ref(), &b(&st.label))?,
        Cell::Money(a) => match as_number(*a) {
            Some(n) => ws.write_number_with_format(row, col, n, &b(&st.money))?,
            None => ws.write_string_with_format(row, col, a.to_string(), &b(&st.money_text))?,
        },
        Cell::Rate(r) => match r.and_then(|x| x.parse::<f64>().ok()) {
            Some(x) => ws.write_number_with_format(row, col, x, &b(&st.rate))?,
            None => ws.write_blank(row, col, &st.rate)?,
        },
        Cell::Count(n) => ws.write_number_with_format(row, col, *n as f64, &b(&st.count))?,
        Cell::Light(Some(l)) => ws.write_string_with_format(row, col, l.label(), st.light(*l))?,
        Cell::Light(None) => ws.write_blank(row, col, &st.label)?,
        Cell::Date(d) => {
            let date = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(row, col, date, &b(&st.date))?
        }
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_print_grouped_with_two_decimals_and_fit_their_column() {
        for (amount, shown) in [
            ("0", "0.00"),
            ("1234.5", "1,234.50"),
            ("999.995", "1,000.00"),
            ("123456789.123456", "123,456,789.12"),
        ] {
            assert_eq!(money_shown(amount.parse().unwrap()), shown);
        }
        let big: Total = "999999999999.999999".parse().unwrap();
        assert_eq!(as_number(big), None);
        // The exact text: 19 narrow characters.
        assert!((Cell::Money(big).width() - 19.0 * 1.1).abs() < 1e-9);
    }
}
