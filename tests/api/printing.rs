//! Printing the forms: each form.xlsx of the demo data, and a long one, converted to PDF by
//! LibreOffice as finance staff do before signing. One A4 page up to 20 indicators, every
//! cell's text on the page whole, no text running into another's.
//!
//! The conversions need `libreoffice`, `pdfinfo` and `pdftotext` (poppler-utils); without them
//! these tests print a notice and pass, unless `BM_TEST_OFFICE=required`. Set
//! `BM_TEST_PRINT_DIR` to keep the XLSX and PDF files there.

use std::path::{Path, PathBuf};
use std::process::Command;

use budget_monitor::seed::{seed_demo, DemoOptions, DemoSummary, DEMO_PASSWORD};
use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::helpers::*;

async fn ok(r: reqwest::Response, status: u16) -> Value {
    let got = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(got, status, "{body}");
    body
}

async fn seeded(app: &TestApp) -> DemoSummary {
    let db = budget_monitor::persistence::connect(&app.settings.database_url)
        .await
        .unwrap();
    seed_demo(&db, &DemoOptions::default())
        .await
        .expect("an empty database seeds")
}

/// Whether LibreOffice and poppler-utils are here; when not, a notice, or a failure under
/// `BM_TEST_OFFICE=required`.
fn office_available(test: &str) -> bool {
    let found = ["libreoffice", "pdfinfo", "pdftotext"].iter().all(|tool| {
        Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false)
    });
    if !found {
        assert_ne!(
            std::env::var("BM_TEST_OFFICE").as_deref(),
            Ok("required"),
            "BM_TEST_OFFICE=required but libreoffice, pdfinfo or pdftotext is missing"
        );
        eprintln!("NOTICE: {test} skipped: libreoffice/poppler-utils not installed");
    }
    found
}

/// One downloaded form.
struct Form {
    name: String,
    xlsx: Vec<u8>,
    indicators: usize,
}

/// A word on a printed page, with its box in points.
#[derive(Debug, Clone)]
struct Word {
    page: usize,
    text: String,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

/// A form as LibreOffice prints it.
struct Printed {
    pages: usize,
    page_size: String,
    /// The text in drawing order, without white space.
    text: String,
    words: Vec<Word>,
    page_box: (f64, f64),
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("the tool runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn attr(tag: &str, name: &str) -> f64 {
    let at = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    let end = at + tag[at..].find('"').unwrap();
    tag[at..end].parse().unwrap()
}

/// Converts the forms to PDF in one LibreOffice run with its own profile, then reads the pages
/// back with poppler.
fn print(forms: &[Form]) -> Vec<Printed> {
    let dir = match std::env::var("BM_TEST_PRINT_DIR") {
        Ok(d) if !d.is_empty() => PathBuf::from(d),
        _ => temp_dir(),
    };
    std::fs::create_dir_all(&dir).unwrap();
    let profile = temp_dir();
    let mut cmd = Command::new("libreoffice");
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        profile.display()
    ))
    .args(["--headless", "--convert-to", "pdf", "--outdir"])
    .arg(&dir);
    for f in forms {
        let path = dir.join(format!("{}.xlsx", f.name));
        std::fs::write(&path, &f.xlsx).unwrap();
        cmd.arg(&path);
    }
    let started = std::time::Instant::now();
    run(&mut cmd);
    eprintln!(
        "LibreOffice converted {} forms in {:.1} s",
        forms.len(),
        started.elapsed().as_secs_f64()
    );
    std::fs::remove_dir_all(&profile).ok();
    forms
        .iter()
        .map(|f| read_pdf(&dir.join(format!("{}.pdf", f.name))))
        .collect()
}

fn read_pdf(pdf: &Path) -> Printed {
    let info = run(Command::new("pdfinfo").arg(pdf));
    let field = |k: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(k))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let raw = run(Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-"));
    let bbox = run(Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-"));
    let mut words = Vec::new();
    let (mut page, mut page_box) = (0, (0.0, 0.0));
    for line in bbox.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
            page_box = (attr(line, "width"), attr(line, "height"));
        } else if let Some(rest) = line.strip_prefix("<word ") {
            let tag = format!(" {rest}");
            let text =
                rest[rest.find('>').unwrap() + 1..rest.rfind("</word>").unwrap()].to_string();
            words.push(Word {
                page,
                text,
                x0: attr(&tag, "xMin"),
                y0: attr(&tag, "yMin"),
                x1: attr(&tag, "xMax"),
                y1: attr(&tag, "yMax"),
            });
        }
    }
    Printed {
        pages: field("Pages:").parse().unwrap(),
        page_size: field("Page size:"),
        text: raw.chars().filter(|c| !c.is_whitespace()).collect(),
        words,
        page_box,
    }
}

/// The text cells of the sheet, without white space.
fn cell_texts(xlsx: &[u8]) -> Vec<String> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .cells()
        .filter_map(|(_, _, v)| match v {
            Data::String(s) => Some(s.chars().filter(|c| !c.is_whitespace()).collect()),
            _ => None,
        })
        .filter(|s: &String| !s.is_empty())
        .collect()
}

/// Checks a printed form: its page count, every text cell whole on the pages, no word drawn
/// over another and none off the page.
fn check(form: &Form, p: &Printed) {
    assert!(
        p.page_size.ends_with("(A4)"),
        "{}: {}",
        form.name,
        p.page_size
    );
    if form.indicators <= 20 {
        assert_eq!(
            p.pages, 1,
            "{}: {} indicators on one page",
            form.name, form.indicators
        );
    } else {
        assert!(p.pages >= 2, "{}", form.name);
        // The indicator heading is repeated on each page.
        let pages_with_heading = (1..=p.pages)
            .filter(|pg| {
                p.words
                    .iter()
                    .any(|w| w.page == *pg && w.text.contains("三级指标"))
            })
            .count();
        assert_eq!(pages_with_heading, p.pages, "{}", form.name);
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
            assert!(
                dx <= 1.0 || dy <= 1.0,
                "{}: {a:?} and {b:?} print over each other",
                form.name
            );
        }
    }
}

/// Every form of the period as finance downloads it.
async fn download(app: &TestApp, token: &str, period: &str) -> Vec<Form> {
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
            indicators: inds.as_array().unwrap().len(),
        });
    }
    forms
}

#[tokio::test]
async fn every_demo_form_prints_on_one_a4_page_with_all_its_text() {
    if !office_available("every_demo_form_prints_on_one_a4_page_with_all_its_text") {
        return;
    }
    let app = spawn_app().await;
    let summary = seeded(&app).await;
    let finance = app.login("finance", DEMO_PASSWORD).await;
    let forms = download(&app, &finance, &summary.period_id.to_string()).await;
    for form in [1, 2, 3] {
        assert!(forms
            .iter()
            .any(|f| f.name.starts_with(&format!("form{form}-"))));
    }
    let printed = tokio::task::spawn_blocking({
        let forms: Vec<Form> = forms
            .iter()
            .map(|f| Form {
                name: f.name.clone(),
                xlsx: f.xlsx.clone(),
                indicators: f.indicators,
            })
            .collect();
        move || print(&forms)
    })
    .await
    .unwrap();
    for (f, p) in forms.iter().zip(&printed) {
        check(f, p);
    }
}
