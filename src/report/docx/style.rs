//! The look of the Word report, close to a Chinese official document (GB/T 9704): A4, the body
//! in 3号 仿宋 at a fixed 28 pt line, first-level headings in 黑体 and second-level in 楷体, the
//! title in 2号 宋体, tables in 5号 宋体, the page number centred at the foot as — 1 —.
//!
//! Headings are Word's own `heading 1` and `heading 2` styles (so they appear in the navigation
//! pane and a table of contents), the body is a paragraph style, tables are real tables: finance
//! edits the draft in Word like any other document.
//!
//! Every paragraph gets its id from [`Doc`]'s counter, never from the library's thread-wide one,
//! so that the same report always gives the same bytes.
//!
//! The library keeps a whole document as a tree of elements, about 2.4 KB for each paragraph
//! before its text: a province's report, with thousands of red items and table rows, would
//! hold some 50 MB while it is written. So [`Doc`] writes each paragraph and table out as XML as
//! soon as it is made, and the library builds the package around one placeholder paragraph
//! that the body then takes the place of.

use docx_rs::{
    AlignmentType, BuildXML, Docx, Footer, LineSpacing, LineSpacingType, PageMargin, PageNum,
    Paragraph, Run, RunFonts, Shading, ShdType, SpecialIndentType, Style, StyleType, Table,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellMargins, TableLayoutType,
    TableRow, VAlignType, WidthType, XMLDocx,
};

/// A4 in twentieths of a point.
const PAGE: (u32, u32) = (11906, 16838);
/// Margins of GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm) in twentieths of a
/// point.
const MARGIN: (i32, i32, i32, i32) = (2098, 1984, 1587, 1474);
/// The width of the text between the margins.
pub const TEXT_WIDTH: usize = 11906 - 1587 - 1474;

const BODY_FONT: &str = "仿宋";
const HEADING1_FONT: &str = "黑体";
const HEADING2_FONT: &str = "楷体";
const TITLE_FONT: &str = "宋体";
const TABLE_FONT: &str = "宋体";
const LATIN_FONT: &str = "Times New Roman";

/// Two characters of 3号 (16 pt): the first-line indent of the body and the headings.
const FIRST_LINE: SpecialIndentType = SpecialIndentType::FirstLine(640);

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .east_asia(east_asia)
}

/// A fixed line of `pt` points.
fn exact(pt: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(pt * 20)
}

/// A paragraph style on Normal, in `font` at `size` half-points.
fn paragraph(id: &str, name: &str, font: &str, size: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .fonts(fonts(font))
        .size(size)
}

/// A centred paragraph style followed by body text: the title, the subtitle, a caption.
fn centred(id: &str, name: &str, font: &str, size: usize, line: LineSpacing) -> Style {
    paragraph(id, name, font, size)
        .next("Body")
        .align(AlignmentType::Center)
        .line_spacing(line)
}

/// A bold heading of outline `level` (0 for 一、, 1 for （一）) in 3号, indented as the body.
fn heading(id: &str, name: &str, font: &str, level: usize) -> Style {
    paragraph(id, name, font, 32)
        .next("Body")
        .bold()
        .outline_lvl(level)
        .indent(None, Some(FIRST_LINE), None, None)
        .line_spacing(exact(28))
}

/// The document's default font and its paragraph styles, as the module describes them.
fn styles(docx: Docx) -> Docx {
    let body = paragraph("Body", "Body Text", BODY_FONT, 32)
        .align(AlignmentType::Both)
        .indent(None, Some(FIRST_LINE), None, None)
        .line_spacing(exact(28));
    let single = LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(240);
    docx.default_fonts(fonts(BODY_FONT))
        .default_size(32)
        .add_style(centred("Title", "Title", TITLE_FONT, 44, exact(36).after(240)).bold())
        .add_style(centred(
            "Subtitle",
            "Subtitle",
            HEADING2_FONT,
            32,
            exact(28).after(240),
        ))
        .add_style(heading("Heading1", "heading 1", HEADING1_FONT, 0))
        .add_style(heading("Heading2", "heading 2", HEADING2_FONT, 1))
        .add_style(body)
        .add_style(paragraph("TableText", "Table Text", TABLE_FONT, 21).line_spacing(single))
        .add_style(centred(
            "Caption",
            "caption",
            HEADING1_FONT,
            24,
            exact(22).before(120).after(60),
        ))
}

/// One table cell's content.
pub enum Cell {
    /// Text, left-aligned.
    Text(String),
    /// A figure, right-aligned.
    Num(String),
    /// A count or a short word, centred.
    Mid(String),
    /// A warning that needs attention: centred, bold and red.
    Alarm(String),
}

/// A document under construction: the package without its body, the body written so far as
/// XML, and the next paragraph id.
pub struct Doc {
    docx: Docx,
    body: Vec<u8>,
    next_id: u32,
}

impl Doc {
    /// An empty A4 document with the report's styles and a page number at the foot.
    pub fn new() -> Self {
        let mut doc = Doc {
            docx: styles(Docx::new()).page_size(PAGE.0, PAGE.1).page_margin(
                PageMargin::new()
                    .top(MARGIN.0)
                    .bottom(MARGIN.1)
                    .left(MARGIN.2)
                    .right(MARGIN.3)
                    .header(851)
                    .footer(992),
            ),
            body: Vec::new(),
            next_id: 0,
        };
        let number = doc
            .p("Normal")
            .align(AlignmentType::Center)
            .add_run(Run::new().add_text("— ").size(28))
            .add_page_num(PageNum::new())
            .add_run(Run::new().add_text(" —").size(28));
        doc.docx = doc.docx.footer(Footer::new().add_paragraph(number));
        doc
    }

    /// A paragraph of a style, with the next id.
    pub fn p(&mut self, style: &str) -> Paragraph {
        self.next_id += 1;
        Paragraph::new()
            .id(format!("{:08X}", self.next_id))
            .style(style)
    }

    fn push(&mut self, p: Paragraph) {
        self.body.extend(p.build());
    }

    /// A paragraph of one run of text in a style.
    pub fn text(&mut self, style: &str, text: &str) {
        let p = self.p(style).add_run(Run::new().add_text(text));
        self.push(p);
    }

    pub fn title(&mut self, text: &str) {
        self.text("Title", text);
    }

    pub fn subtitle(&mut self, text: &str) {
        self.text("Subtitle", text);
    }

    /// A paragraph of one run of text in a style, kept with the paragraph that follows.
    fn kept(&mut self, style: &str, text: &str) {
        let p = self
            .p(style)
            .keep_next(true)
            .add_run(Run::new().add_text(text));
        self.push(p);
    }

    /// 一、… : kept with the paragraph that follows.
    pub fn heading1(&mut self, text: &str) {
        self.kept("Heading1", text);
    }

    /// （一）… : kept with the paragraph that follows.
    pub fn heading2(&mut self, text: &str) {
        self.kept("Heading2", text);
    }

    pub fn body(&mut self, text: &str) {
        self.text("Body", text);
    }

    /// A body paragraph whose first words are bold (a lead-in such as 1. 某单位“某项目”：).
    pub fn lead(&mut self, lead: &str, text: &str) {
        let p = self
            .p("Body")
            .add_run(Run::new().add_text(lead).bold())
            .add_run(Run::new().add_text(text));
        self.push(p);
    }

    /// A right-aligned line without indent (the signature and date).
    pub fn sign(&mut self, text: &str) {
        let p = self
            .p("Body")
            .align(AlignmentType::Right)
            .indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(0)),
                Some(640),
                None,
            )
            .add_run(Run::new().add_text(text));
        self.push(p);
    }

    /// A table with a caption above it: `widths` in twentieths of a point, adding up to the
    /// text width; a shaded heading row; the last row bold when `total_row`.
    pub fn table(
        &mut self,
        caption: &str,
        widths: &[usize],
        heading: &[&str],
        rows: Vec<Vec<Cell>>,
        total_row: bool,
    ) {
        self.kept("Caption", caption);
        let mut out = vec![self.heading_row(widths, heading)];
        let last = rows.len().saturating_sub(1);
        for (n, row) in rows.into_iter().enumerate() {
            let bold = total_row && n == last;
            let cells = row
                .into_iter()
                .zip(widths)
                .map(|(c, w)| self.body_cell(c, *w, bold))
                .collect();
            out.push(TableRow::new(cells).cant_split());
        }
        self.body.extend(ruled(out, widths).build());
        // A table is followed by a paragraph, or the next heading sticks to its last row.
        self.text("TableText", "");
    }

    /// The heading row: bold, centred, shaded.
    fn heading_row(&mut self, widths: &[usize], heading: &[&str]) -> TableRow {
        let head = heading
            .iter()
            .zip(widths)
            .map(|(h, w)| {
                let p = self
                    .p("TableText")
                    .align(AlignmentType::Center)
                    .add_run(Run::new().add_text(*h).bold());
                self.cell(p, *w)
                    .shading(Shading::new().shd_type(ShdType::Clear).fill("D9D9D9"))
            })
            .collect();
        TableRow::new(head).cant_split()
    }

    /// A cell of the table's body, bold in a total row.
    fn body_cell(&mut self, c: Cell, width: usize, bold: bool) -> TableCell {
        let (text, align, alarm) = match c {
            Cell::Text(t) => (t, AlignmentType::Left, false),
            Cell::Num(t) => (t, AlignmentType::Right, false),
            Cell::Mid(t) => (t, AlignmentType::Center, false),
            Cell::Alarm(t) => (t, AlignmentType::Center, true),
        };
        let mut run = Run::new().add_text(text);
        if bold || alarm {
            run = run.bold();
        }
        if alarm {
            run = run.color("C00000");
        }
        let p = self.p("TableText").align(align).add_run(run);
        self.cell(p, width)
    }

    fn cell(&self, p: Paragraph, width: usize) -> TableCell {
        TableCell::new()
            .width(width, WidthType::Dxa)
            .vertical_align(VAlignType::Center)
            .add_paragraph(p)
    }

    /// The finished package's parts, its created and modified properties set to `at` (W3CDTF);
    /// `None` if the body's place was not found.
    pub fn finish(mut self, at: &str) -> Option<XMLDocx> {
        // The id is beyond the counter's reach, so the placeholder cannot be mistaken.
        let placeholder = Paragraph::new().id("7FFFFFFF");
        let mark = placeholder.build();
        let mut parts = self
            .docx
            .add_paragraph(placeholder)
            .created_at(at)
            .updated_at(at)
            .build();
        let at = parts
            .document
            .windows(mark.len())
            .position(|w| w == mark.as_slice())?;
        self.body
            .extend_from_slice(&parts.document[at + mark.len()..]);
        parts.document.truncate(at);
        parts.document.append(&mut self.body);
        Some(parts)
    }
}

/// The rows as a table of fixed `widths` over the text width, every line ruled thin.
fn ruled(rows: Vec<TableRow>, widths: &[usize]) -> Table {
    let border = |p| TableBorder::new(p).size(4);
    Table::new(rows)
        .set_grid(widths.to_vec())
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(30, 60, 30, 60))
        .set_borders(
            TableBorders::new()
                .set(border(TableBorderPosition::Top))
                .set(border(TableBorderPosition::Bottom))
                .set(border(TableBorderPosition::Left))
                .set(border(TableBorderPosition::Right))
                .set(border(TableBorderPosition::InsideH))
                .set(border(TableBorderPosition::InsideV)),
        )
}
