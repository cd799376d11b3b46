//! Printing the forms: each form.xlsx of the demo data, and a long one, converted to PDF by
//! LibreOffice as finance staff do before signing. One A4 page up to 20 indicators, every
//! cell's text on the page whole, no text running into another's.
//!
//! The conversions go through [`crate::office`]: without LibreOffice and poppler-utils these
//! tests print a notice and pass, unless `BM_TEST_OFFICE=required`. Set `BM_TEST_PRINT_DIR`
//! to keep the XLSX and PDF files there.

mod attachments;
mod demo;
mod long;

use crate::helpers::*;
use crate::office::Printed;
use calamine::{Data, Reader, Xlsx};

/// One downloaded form.
#[derive(Clone)]
pub(super) struct Form {
    name: String,
    xlsx: Vec<u8>,
    /// Whether it must print on one page; else on several, the indicator heading on each.
    one_page: bool,
}

/// Prints the forms (see [`crate::office::print`]).
pub(super) fn print(forms: &[Form]) -> Vec<Printed> {
    let docs: Vec<(&str, &[u8])> = forms
        .iter()
        .map(|f| (f.name.as_str(), f.xlsx.as_slice()))
        .collect();
    crate::office::print(&docs)
}

/// The text cells of the sheet, without white space.
pub(super) fn cell_texts(xlsx: &[u8]) -> Vec<String> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .cells()
        .filter_map(|(_, _, v)| match v {
            Data::String(s) => Some(s.chars().filter(|c| !c.is_whitespace()).collect()),
            Data::Float(x) => Some(money(*x)),
            _ => None,
        })
        .filter(|s: &String| !s.is_empty())
        .collect()
}

/// An amount as the forms print it (`#,##0.00####`).
pub(crate) fn money(x: f64) -> String {
    let fixed = format!("{x:.6}");
    let (int, frac) = fixed.split_once('.').unwrap();
    let frac = frac.trim_end_matches('0');
    let frac = format!("{frac:0<2}");
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{grouped}.{frac}")
}

/// Checks a printed form: its page count, every text cell whole on the pages, no word drawn
/// over another and none off the page.
pub(super) fn check(form: &Form, p: &Printed) {
    assert!(
        p.page_size.ends_with("(A4)"),
        "{}: {}",
        form.name,
        p.page_size
    );
    if form.one_page {
        assert_eq!(p.pages, 1, "{}: on one page", form.name);
    } else {
        assert!(p.pages >= 2, "{}", form.name);
        // The indicator heading is repeated on each page from the one it starts on.
        let heading: Vec<bool> = (1..=p.pages)
            .map(|pg| {
                p.words
                    .iter()
                    .any(|w| w.page == pg && w.text.contains("三级指标"))
            })
            .collect();
        let first = heading.iter().position(|h| *h).expect("a heading");
        assert!(
            heading[first..].iter().all(|h| *h),
            "{}: heading on pages {heading:?}",
            form.name
        );
    }
    for text in cell_texts(&form.xlsx) {
        assert!(
            p.text.contains(&text),
            "{}: the cell text {text:?} is not whole on the page",
            form.name
        );
    }
    for (i, a) in p.words.iter().enumerate() {
        assert!(
            a.x0 >= 0.0 && a.y0 >= 0.0 && a.x1 <= p.page_box.0 && a.y1 <= p.page_box.1,
            "{}: {a:?} is off the page",
            form.name
        );
        for b in &p.words[i + 1..] {
            if a.page != b.page {
                continue;
            }
            let dx = a.x1.min(b.x1) - a.x0.max(b.x0);
            let dy = a.y1.min(b.y1) - a.y0.max(b.y0);
            // Lines of one cell may touch by a point or two (their boxes include the font's
            // ascent and descent); text running into other text overlaps by more.
            let h = (a.y1 - a.y0).min(b.y1 - b.y0);
            assert!(
                dx <= 1.0 || dy <= 0.3 * h,
                "{}: {a:?} and {b:?} print over each other",
                form.name
            );
        }
    }
}

/// Every form of the period as finance downloads it.
pub(super) async fn download(app: &TestApp, token: &str, period: &str) -> Vec<Form> {
    let list = ok(
        app.get(
            &format!("/api/v1/submissions?period_id={period}&per_page=200"),
            token,
        )
        .await,
        200,
    )
    .await;
    let mut forms = Vec::new();
    for s in list["items"].as_array().unwrap() {
        let id = s["id"].as_str().unwrap();
        let inds = ok(
            app.get(
                &format!(
                    "/api/v1/items/{}/indicators",
                    s["item_id"].as_str().unwrap()
                ),
                token,
            )
            .await,
            200,
        )
        .await;
        let r = app
            .get(&format!("/api/v1/submissions/{id}/form.xlsx"), token)
            .await;
        assert_eq!(r.status(), 200);
        forms.push(Form {
            name: format!("form{}-{}", s["form"], &id[..8]),
            xlsx: r.bytes().await.unwrap().to_vec(),
            one_page: inds.as_array().unwrap().len() <= 20,
        });
    }
    forms
}
