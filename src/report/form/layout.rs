//! The layout rules of the printed forms, as pure functions: which indicator rows the
//! attachments pre-print, and how tall a row must be for its wrapped text.

use unicode_width::UnicodeWidthChar;

use crate::domain::indicator::{Indicator, Level1, Level2};
use crate::report::thousands;

/// The level-2 categories every attachment (1, 2 and 3 alike) pre-prints, in their order:
/// 产出 — 数量/质量/时效/成本; 效果 — 社会效益/可持续影响; 满意度.
pub const PREPRINTED: &[Level2] = &[
    Level2::Quantity,
    Level2::Quality,
    Level2::Timeliness,
    Level2::Cost,
    Level2::SocialBenefit,
    Level2::SustainableImpact,
    Level2::Satisfaction,
];

/// The categories a form shows: the pre-printed ones, and 经济效益/生态效益 only when the item
/// has an indicator in them; in the order of the indicator tree (extras between 社会效益 and
/// 可持续影响).
pub fn categories(present: &[Level2]) -> Vec<Level2> {
    Level2::ALL
        .iter()
        .copied()
        .filter(|c| PREPRINTED.contains(c) || present.contains(c))
        .collect()
}

/// One row of the indicator table: its category, and its indicator unless the category has
/// none (an empty row, as on paper).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndicatorRow<'a> {
    pub level2: Level2,
    pub indicator: Option<&'a Indicator>,
}

/// The indicator table: one row per indicator under its category, in the given order within a
/// category; one empty row for a shown category without indicators.
pub fn indicator_rows(indicators: &[Indicator]) -> Vec<IndicatorRow<'_>> {
    let present: Vec<Level2> = indicators.iter().map(|i| i.level2).collect();
    let mut rows = Vec::new();
    for level2 in categories(&present) {
        let before = rows.len();
        rows.extend(
            indicators
                .iter()
                .filter(|i| i.level2 == level2)
                .map(|i| IndicatorRow {
                    level2,
                    indicator: Some(i),
                }),
        );
        if rows.len() == before {
            rows.push(IndicatorRow {
                level2,
                indicator: None,
            });
        }
    }
    rows
}

/// Runs of equal keys as (first index, length): the cells to merge vertically.
pub fn runs<K: PartialEq>(keys: &[K]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        match out.last_mut() {
            Some((start, len)) if keys[*start] == *k => *len += 1,
            _ => out.push((i, 1)),
        }
    }
    out
}

/// The level-1 runs of the indicator table.
pub fn level1_runs(rows: &[IndicatorRow<'_>]) -> Vec<(usize, usize, Level1)> {
    let keys: Vec<Level1> = rows.iter().map(|r| r.level2.level1()).collect();
    runs(&keys)
        .into_iter()
        .map(|(s, n)| (s, n, keys[s]))
        .collect()
}

/// The level-2 runs of the indicator table.
pub fn level2_runs(rows: &[IndicatorRow<'_>]) -> Vec<(usize, usize, Level2)> {
    let keys: Vec<Level2> = rows.iter().map(|r| r.level2).collect();
    runs(&keys)
        .into_iter()
        .map(|(s, n)| (s, n, keys[s]))
        .collect()
}

/// Font size of the table, in points.
pub const FONT_PT: f64 = 11.0;
/// Line height as a share of the font size: CJK fonts (Noto CJK, 1.45 em) run taller than SimSun.
const LINE: f64 = 1.45;
/// Room above and below the text of a cell, in points.
const PAD_Y: f64 = 5.0;
/// Room left and right of the text of a cell, in points.
const PAD_X: f64 = 6.0;
/// The height of a row with one line of text.
pub const MIN_ROW_PT: f64 = 21.0;

/// The printed width in points of a column `width` characters wide (Excel's unit: 7-pixel
/// digits plus 5 pixels of padding, 0.75 pt per pixel).
pub fn column_pt(width: f64) -> f64 {
    (width * 7.0 + 5.0).trunc() * 0.75
}

/// How wide a character prints, in em: a wide (CJK, full-width) character one em; a narrow one
/// 0.62 em, which covers the widest Latin fallback fonts (DejaVu digits are 0.64 em). Widths are
/// taken in a CJK context, where the ambiguous ones (“”、…) print wide in a Chinese font.
fn char_em(c: char) -> f64 {
    match c.width_cjk().unwrap_or(0) {
        0 => 0.0,
        1 => 0.62,
        _ => 1.0,
    }
}

/// A narrow character that does not break a line: part of a word or number.
fn narrow(c: char) -> bool {
    c.width_cjk() == Some(1) && !c.is_whitespace()
}

/// The lines `text` wraps to in a cell `width_pt` wide at `font_pt`, each with whether a line
/// break of the text ends it: line breaks are kept, wide characters break anywhere, a run of
/// narrow non-space characters (a number with its unit letters, a word) moves whole to the next
/// line when it fits there.
pub fn wrap(text: &str, width_pt: f64, font_pt: f64) -> Vec<(String, bool)> {
    let room = (width_pt - PAD_X).max(font_pt) / font_pt; // in em
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut used = 0.0;
        let chars: Vec<char> = para.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            // A token: one wide character, or a run of narrow non-space ones.
            let mut j = i + 1;
            if narrow(chars[i]) {
                while j < chars.len() && narrow(chars[j]) {
                    j += 1;
                }
            }
            let w: f64 = chars[i..j].iter().map(|c| char_em(*c)).sum();
            if used + w > room && w <= room {
                lines.push((std::mem::take(&mut line), false));
                used = 0.0;
            }
            if used + w <= room {
                used += w;
                line.extend(&chars[i..j]);
            } else {
                // Longer than a line: broken by character.
                for c in &chars[i..j] {
                    let cw = char_em(*c);
                    if used + cw > room && !line.is_empty() {
                        lines.push((std::mem::take(&mut line), false));
                        used = 0.0;
                    }
                    used += cw;
                    line.push(*c);
                }
            }
            i = j;
        }
        lines.push((line, true));
    }
    lines
}

/// The number of lines `text` wraps to (see [`wrap`]).
pub fn wrapped_lines(text: &str, width_pt: f64, font_pt: f64) -> usize {
    wrap(text, width_pt, font_pt).len().max(1)
}

/// The tallest row a spreadsheet allows, in points.
pub const MAX_ROW_PT: f64 = 409.0;

/// `text` cut into pieces of whole lines, each short enough for one row (at most
/// [`MAX_ROW_PT`]), for a long text carried over several rows. The text's own line breaks stay;
/// a line that wrapped is joined again, to wrap the same way in its row.
pub fn pieces(text: &str, width_pt: f64, font_pt: f64) -> Vec<String> {
    let per_row = (((MAX_ROW_PT - PAD_Y) / (font_pt * LINE)).floor() as usize).max(1);
    wrap(text, width_pt, font_pt)
        .chunks(per_row)
        .map(|lines| {
            let mut piece = String::new();
            for (k, (line, hard)) in lines.iter().enumerate() {
                piece.push_str(line);
                if *hard && k + 1 < lines.len() {
                    piece.push('\n');
                }
            }
            piece
        })
        .collect()
}

/// The height in points a cell needs for `text` in `width_pt`.
pub fn cell_height(text: &str, width_pt: f64, font_pt: f64) -> f64 {
    wrapped_lines(text, width_pt, font_pt) as f64 * font_pt * LINE + PAD_Y
}

/// The height of a row: the tallest of its cells (text, width in points), at least one line.
pub fn row_height(cells: &[(&str, f64)], font_pt: f64) -> f64 {
    cells
        .iter()
        .map(|(t, w)| cell_height(t, *w, font_pt))
        .fold(MIN_ROW_PT, f64::max)
        .ceil()
        .min(MAX_ROW_PT)
}

/// An amount (a plain decimal such as `123456.500000`) as the forms print it, the Excel format
/// `#,##0.00####`: thousands grouped, two to six decimals.
pub fn amount_text(plain: &str) -> String {
    let (int, frac) = plain.split_once('.').unwrap_or((plain, ""));
    let frac = frac.trim_end_matches('0');
    format!("{}.{frac:0<2}", thousands(int))
}

/// Whether an amount prints as a number in a column `width` characters wide: numbers do not
/// wrap (office suites print `###` instead), and beyond 15 digits a spreadsheet number is no
/// longer exact. Otherwise the form shows it as text, which wraps.
pub fn amount_fits(text: &str, width: f64) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    digits <= 15 && text.chars().count() as f64 <= width - 2.0
}

/// Up to this many indicators a form prints on one page.
pub const ONE_PAGE_INDICATORS: usize = 20;
/// The printable height of A4 portrait within the forms' margins (0.6 in top, 0.7 in bottom).
pub const PAGE_PT: f64 = 842.0 - 0.6 * 72.0 - 0.7 * 72.0;
/// The smallest scale a one-page form is printed at, so that it stays readable.
pub const MIN_SCALE: f64 = 0.7;

/// Whether a form prints on one page (scaled to fit): up to [`ONE_PAGE_INDICATORS`]
/// indicators and rows of `total_pt` that fit at [`MIN_SCALE`] or more. Otherwise it prints at
/// the full page width over as many pages as it takes, the indicator heading repeated.
pub fn one_page(indicators: usize, total_pt: f64) -> bool {
    indicators <= ONE_PAGE_INDICATORS && total_pt * MIN_SCALE <= PAGE_PT
}

/// Whether a label merged over rows `span_pt` tall prints at the top of its cell rather than in
/// the middle: when the cell is taller than half a page, so that the label shows beside the
/// start of its rows, not somewhere on a later page.
pub fn label_on_top(span_pt: f64) -> bool {
    span_pt > PAGE_PT / 2.0
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
