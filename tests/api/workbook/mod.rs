//! The report workbook finance prints, on the demo data: Chinese headings in two rows, every
//! code as its Chinese label, numbers as numbers, native charts, print setup; the CSV in
//! Chinese; and the workbook printed by LibreOffice one page wide on landscape A4.

mod csv_file;
mod layout;
mod print;

use crate::helpers::*;
use budget_monitor::seed::DemoSummary;
use calamine::{Data, Range, Xlsx};
use std::collections::HashMap;
use std::io::Read;

const SHEETS: [&str; 6] = ["汇总", "图表", "单位", "项目", "合规性问题", "逾期纠偏措施"];
const LIGHTS: [&str; 5] = ["红", "黄", "绿", "蓝", ""];
const STATUSES: [&str; 5] = ["草稿", "已报送", "已退回", "已审核", "未报送"];

pub(super) async fn download(app: &TestApp, token: &str, s: &DemoSummary, format: &str) -> Vec<u8> {
    let r = app
        .get(
            &format!("/api/v1/periods/{}/report?format={format}", s.period_id),
            token,
        )
        .await;
    assert_eq!(r.status(), 200);
    r.bytes().await.unwrap().to_vec()
}

pub(super) fn book(xlsx: &[u8]) -> Xlsx<std::io::Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.to_vec())).unwrap()
}

pub(super) fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.replace('\n', ""),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// A table sheet's columns by their one-row heading (`预算数-合计`, `付款状态`), from the two
/// heading rows: a group heading over the columns to its right until the next one.
pub(super) fn columns(range: &Range<Data>) -> HashMap<String, usize> {
    let (mut group, mut out) = (String::new(), HashMap::new());
    for c in 0..range.width() {
        let (top, below) = (text(&range[(0, c)]), text(&range[(1, c)]));
        if !top.is_empty() {
            group = top.clone();
        }
        let name = if below.is_empty() {
            top
        } else {
            format!("{group}-{below}")
        };
        out.insert(name, c);
    }
    out
}

/// The data rows of a table sheet (below its two heading rows).
pub(super) fn data(range: &Range<Data>) -> Vec<&[Data]> {
    range.rows().skip(2).collect()
}

/// Whether a text holds an English word (two or more ASCII letters in a row), as a code would.
pub(super) fn english(s: &str) -> bool {
    s.split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() >= 2)
}

/// The XML parts of the workbook by name.
pub(super) fn parts(xlsx: &[u8]) -> HashMap<String, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut out = HashMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut s = String::new();
        if f.read_to_string(&mut s).is_ok() {
            out.insert(name, s);
        }
    }
    out
}
