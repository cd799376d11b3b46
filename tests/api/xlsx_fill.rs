//! Filling in a form template as a clerk does in Excel, by writing its cells into the sheets'
//! XML inside the ZIP package (rust_xlsxwriter cannot edit a workbook). The cells are found
//! through the template's own hidden map, read with calamine.

use std::io::{Cursor, Read, Write};

use calamine::{Data, Reader, Xlsx};
use uuid::Uuid;

/// A value typed into a cell.
pub enum Value<'a> {
    Number(f64),
    Text(&'a str),
    Date(chrono::NaiveDate),
}

pub struct Workbook {
    files: Vec<(String, Vec<u8>)>,
    /// The hidden map: field, indicator, sheet, cell.
    pub map: Vec<(String, Option<Uuid>, String, String)>,
    sheets: Vec<String>,
}

impl Workbook {
    pub fn open(bytes: &[u8]) -> Self {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a ZIP package");
        let mut files = vec![];
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = vec![];
            f.read_to_end(&mut data).unwrap();
            files.push((name, data));
        }
        let mut xlsx = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an XLSX workbook");
        let sheets = xlsx.sheet_names().to_vec();
        let ids = xlsx.worksheet_range("_bm").expect("the hidden sheet");
        let first = (0..ids.height() as u32)
            .find(|r| ids.get_value((*r, 0)) == Some(&Data::String("field".into())))
            .expect("the map heading")
            + 1;
        let text = |r: u32, c: u32| match ids.get_value((r, c)) {
            Some(Data::String(s)) => s.clone(),
            _ => String::new(),
        };
        let map = (first..ids.height() as u32)
            .map(|r| (text(r, 0), text(r, 3).parse().ok(), text(r, 1), text(r, 2)))
            .collect();
        Workbook { files, map, sheets }
    }

    /// The sheet and cell of a field (of an indicator's field when `indicator` is given).
    pub fn place(&self, key: &str, indicator: Option<Uuid>) -> (String, String) {
        self.map
            .iter()
            .find(|(k, i, _, _)| k == key && (indicator.is_none() || *i == indicator))
            .map(|(_, _, s, c)| (s.clone(), c.clone()))
            .unwrap_or_else(|| panic!("no cell for {key} {indicator:?}"))
    }

    /// The path of a sheet's XML in the package.
    pub fn sheet_path(&self, sheet: &str) -> String {
        let i = self
            .sheets
            .iter()
            .position(|s| s == sheet)
            .expect("a sheet");
        format!("xl/worksheets/sheet{}.xml", i + 1)
    }

    pub fn xml(&self, path: &str) -> String {
        let (_, data) = self.files.iter().find(|(n, _)| n == path).expect(path);
        String::from_utf8(data.clone()).unwrap()
    }

    fn set_xml(&mut self, path: &str, xml: String) {
        let f = self.files.iter_mut().find(|(n, _)| n == path).unwrap();
        f.1 = xml.into_bytes();
    }

    /// Types `value` into the field's cell.
    pub fn set(&mut self, key: &str, indicator: Option<Uuid>, value: Value<'_>) {
        let (sheet, cell) = self.place(key, indicator);
        self.set_at(&sheet, &cell, value);
    }

    /// Types `value` into a cell, keeping its style.
    pub fn set_at(&mut self, sheet: &str, cell: &str, value: Value<'_>) {
        let path = self.sheet_path(sheet);
        let xml = self.xml(&path);
        let open = format!("<c r=\"{cell}\"");
        let start = xml
            .find(&open)
            .unwrap_or_else(|| panic!("{sheet}!{cell} is written"));
        let head_end = start + xml[start..].find('>').unwrap();
        let end = if xml.as_bytes()[head_end - 1] == b'/' {
            head_end + 1
        } else {
            head_end + xml[head_end..].find("</c>").unwrap() + 4
        };
        let head = &xml[start..head_end];
        let style = head
            .split("s=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(|s| format!(" s=\"{s}\""))
            .unwrap_or_default();
        let new = match value {
            Value::Number(x) => format!("{open}{style}><v>{x}</v></c>"),
            Value::Date(d) => {
                let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap();
                let serial = (d - epoch).num_days();
                format!("{open}{style}><v>{serial}</v></c>")
            }
            Value::Text(t) => {
                let t = t
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;");
                format!(
                    "{open}{style} t=\"inlineStr\"><is><t xml:space=\"preserve\">{t}</t></is></c>"
                )
            }
        };
        let xml = format!("{}{new}{}", &xml[..start], &xml[end..]);
        self.set_xml(&path, xml);
    }

    /// Replaces a text everywhere in one part of the package.
    pub fn replace(&mut self, path: &str, from: &str, to: &str) {
        let xml = self.xml(path).replace(from, to);
        self.set_xml(path, xml);
    }

    /// The workbook as saved.
    pub fn bytes(&self) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in &self.files {
            w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }
}

/// A cell's value as calamine reads it.
pub fn read_cell(bytes: &[u8], sheet: &str, cell: &str) -> Data {
    let mut xlsx = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let range = xlsx.worksheet_range(sheet).unwrap();
    let col = cell
        .bytes()
        .take_while(u8::is_ascii_uppercase)
        .fold(0u32, |n, b| n * 26 + (b - b'A' + 1) as u32)
        - 1;
    let row: u32 = cell
        .trim_start_matches(|c: char| c.is_ascii_uppercase())
        .parse()
        .unwrap();
    range
        .get_value((row - 1, col))
        .cloned()
        .unwrap_or(Data::Empty)
}
