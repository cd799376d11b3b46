//! What every table of the report shares: its columns under two heading rows, column widths
//! fitted to the content, and the print setup.

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::cells::{row_height, text_width, write, Cell, Styles, ROW_PT};

/// The heights of the two heading rows, in points: a group heading on one line above, a
/// column heading on up to two lines below. Long headings break where their text has `\n`.
const HEADING_PT: [f64; 2] = [20.0, 32.0];
/// Room around the text of a column, in characters.
const PAD: f64 = 1.5;

/// The room a heading needs: its longest line (headings break where their text says).
fn heading_width(h: &str) -> f64 {
    h.split('\n').map(text_width).fold(0.0, f64::max)
}

/// One column: its heading, the group heading above it (merged over the run of columns that
/// share it), and the widest a text column grows before its text wraps.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub group: Option<&'static str>,
    pub head: &'static str,
    pub max: f64,
}

/// A column on its own: its heading spans both heading rows.
pub const fn col(head: &'static str, max: f64) -> Column {
    Column {
        group: None,
        head,
        max,
    }
}

/// A column under a group heading.
pub const fn sub(group: &'static str, head: &'static str) -> Column {
    Column {
        group: Some(group),
        head,
        max: 40.0,
    }
}

/// The heading of a column in a one-row heading (CSV): `预算数-合计`, rates marked `(%)`.
pub fn flat_heading(c: &Column, rate: bool) -> String {
    let head = c.head.replace('\n', "");
    let mut h = match c.group {
        Some(g) => format!("{g}-{head}"),
        None => head,
    };
    if rate && !h.contains('%') {
        h.push_str("(%)");
    }
    h
}

/// Column widths fitted to the headings and the content: a CJK character counts two, a text
/// column stops at its `max` (its text wraps), a number never wraps.
pub struct Widths<'a> {
    cols: &'a [Column],
    w: Vec<f64>,
}

impl<'a> Widths<'a> {
    pub fn new(cols: &'a [Column]) -> Self {
        let w = cols.iter().map(|c| heading_width(c.head)).collect();
        Widths { cols, w }
    }

    pub fn add(&mut self, cells: &[Cell]) {
        for ((w, c), cell) in self.w.iter_mut().zip(self.cols).zip(cells) {
            let need = match cell {
                Cell::Text(_) | Cell::Label(_) => cell.width().min(c.max),
                _ => cell.width(),
            };
            *w = w.max(need);
        }
    }

    /// The widths, each group at least as wide as its heading.
    pub fn finish(mut self) -> Vec<f64> {
        for w in &mut self.w {
            *w += PAD;
        }
        let mut start = 0;
        while start < self.cols.len() {
            let g = self.cols[start].group;
            let len = match g {
                None => 1,
                Some(_) => self.cols[start..]
                    .iter()
                    .take_while(|c| c.group == g)
                    .count(),
            };
            if let Some(g) = g {
                let need = text_width(g) + PAD;
                let span = &mut self.w[start..start + len];
                let have: f64 = span.iter().sum();
                if have < need {
                    let more = (need - have) / len as f64;
                    span.iter_mut().for_each(|w| *w += more);
                }
            }
            start += len;
        }
        self.w
    }
}

/// The two heading rows at `row` and `row + 1`: a group heading merged over its columns with
/// their headings below, a column on its own merged over both rows.
pub fn heading(
    ws: &mut Worksheet,
    row: u32,
    first: u16,
    cols: &[Column],
    st: &Styles,
) -> Result<(), XlsxError> {
    ws.set_row_height(row, HEADING_PT[0])?;
    ws.set_row_height(row + 1, HEADING_PT[1])?;
    let mut c = 0;
    while c < cols.len() {
        let at = first + c as u16;
        match cols[c].group {
            None => {
                ws.merge_range(row, at, row + 1, at, cols[c].head, &st.head)?;
                c += 1;
            }
            Some(g) => {
                let n = cols[c..].iter().take_while(|x| x.group == Some(g)).count();
                if n > 1 {
                    ws.merge_range(row, at, row, at + n as u16 - 1, g, &st.head)?;
                } else {
                    ws.write_string_with_format(row, at, g, &st.head)?;
                }
                c += n;
            }
        }
    }
    for (c, column) in cols.iter().enumerate() {
        if column.group.is_some() {
            ws.write_string_with_format(row + 1, first + c as u16, column.head, &st.head)?;
        }
    }
    Ok(())
}

/// `&` doubled: header and footer texts treat it as a control character.
fn escape(s: &str) -> String {
    s.chars().take(60).collect::<String>().replace('&', "&&")
}

/// A4 landscape, one page wide and as many tall as it takes, centred, `title` and the period
/// at the top of each page, page numbers at the bottom, and the heading rows (if any) repeated.
pub fn print_setup(
    ws: &mut Worksheet,
    title: &str,
    period: &str,
    heading_rows: Option<(u32, u32)>,
) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.4, 0.4, 0.75, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    ws.set_header(format!(
        // A space after the size: digits right after `&9` would be read as part of it.
        "&L&9 {}&C&12 &\"-,Bold\"{}&R&9 单位：万元",
        escape(period),
        escape(title)
    ));
    ws.set_footer("&C&9第 &P 页，共 &N 页");
    if let Some((first, last)) = heading_rows {
        ws.set_repeat_rows(first, last)?;
    }
    Ok(())
}

/// Sets a row's height when it is taller than the default: a spreadsheet writer keeps every row
/// it is told about in memory.
fn set_height(ws: &mut Worksheet, row: u32, height: f64) -> Result<(), XlsxError> {
    if height > ROW_PT {
        ws.set_row_height(row, height)?;
    }
    Ok(())
}

/// A sheet of one table.
pub struct Table<'a> {
    pub name: &'a str,
    /// The title printed at the top of each page.
    pub title: &'a str,
    pub cols: &'a [Column],
    /// Columns kept in view when scrolling right.
    pub freeze_cols: u16,
    /// What the table says when it has no rows.
    pub empty: &'a str,
}

/// Adds a sheet with the table: headings in rows 0–1 frozen, repeated on each printed page and
/// carrying the autofilter, one row per element of `rows`, then the optional totals row.
/// `streamed` writes the rows to a temporary file as they come (the province's 15,000 items),
/// only the shared strings staying in memory; `cells` is
/// then called twice per row, once to fit the widths and once to write.
pub fn table<'a, T>(
    wb: &mut Workbook,
    t: &Table<'_>,
    period: &str,
    rows: &'a [T],
    cells: impl Fn(&'a T) -> Vec<Cell<'a>>,
    totals: Option<Vec<Cell<'_>>>,
    streamed: bool,
) -> Result<(), XlsxError> {
    let st = Styles::new();
    let mut widths = Widths::new(t.cols);
    for r in rows {
        widths.add(&cells(r));
    }
    if let Some(tot) = &totals {
        widths.add(tot);
    }
    let ws = if streamed {
        wb.add_worksheet_with_low_memory()?
    } else {
        wb.add_worksheet()
    };
    ws.set_name(t.name)?;
    ws.set_default_row_height(ROW_PT);
    let widths = widths.finish();
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    heading(ws, 0, 0, t.cols, &st)?;
    let last_col = t.cols.len() as u16 - 1;
    let mut row = 2;
    for r in rows {
        let cells = cells(r);
        set_height(ws, row, row_height(&cells, &widths))?;
        for (c, cell) in cells.iter().enumerate() {
            write(ws, row, c as u16, cell, &st, false)?;
        }
        row += 1;
    }
    if rows.is_empty() {
        ws.merge_range(row, 0, row, last_col, t.empty, &st.label)?;
        row += 1;
    }
    ws.autofilter(1, 0, row - 1, last_col)?;
    if let Some(tot) = totals {
        set_height(ws, row, row_height(&tot, &widths))?;
        for (c, cell) in tot.iter().enumerate() {
            write(ws, row, c as u16, cell, &st, true)?;
        }
    }
    ws.set_freeze_panes(2, t.freeze_cols)?;
    print_setup(ws, t.title, period, Some((0, 1)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_double_and_groups_cover_their_heading() {
        let cols = [
            col("填报单位", 12.0),
            sub("预算数", "合计"),
            col("未完成\n纠偏措施", 10.0),
        ];
        let mut w = Widths::new(&cols);
        w.add(&[
            Cell::Text("海港区总工会海港区总工会".into()),
            Cell::Money("1234.5".parse().unwrap()),
            Cell::Count(3),
        ]);
        // 12 CJK characters (24) capped at 12; 1,234.50 (8 narrow); a heading on two lines
        // (8), each with room around it.
        let got: Vec<f64> = w
            .finish()
            .iter()
            .map(|x| (x * 10.0).round() / 10.0)
            .collect();
        assert_eq!(got, vec![13.5, 10.3, 9.5]);
        assert_eq!(flat_heading(&cols[1], false), "预算数-合计");
        assert_eq!(flat_heading(&sub("执行率", "合计"), true), "执行率-合计(%)");
    }
}
