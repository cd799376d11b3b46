//! Printing through LibreOffice, shared by the tests of the printed forms and of the report
//! workbook: spreadsheets converted to PDF as finance staff do, read back with poppler.
//!
//! The conversions need `libreoffice`, `pdfinfo` and `pdftotext` (poppler-utils); without them
//! the tests that print call [`office_available`], print a notice and pass, unless
//! `BM_TEST_OFFICE=required`. Set `BM_TEST_PRINT_DIR` to keep the XLSX and PDF files there.

use std::path::{Path, PathBuf};
use std::process::Command;

use budget_monitor::seed::{seed_demo, DemoOptions, DemoSummary};

use crate::helpers::*;

/// Fills the app's fresh database with the demo data (`seed-demo`).
pub async fn seeded(app: &TestApp) -> DemoSummary {
    let db = budget_monitor::persistence::connect(&app.settings.database_url)
        .await
        .unwrap();
    seed_demo(&db, &DemoOptions::default())
        .await
        .expect("an empty database seeds")
}

/// Whether LibreOffice and poppler-utils are here; when not, a notice, or a failure under
/// `BM_TEST_OFFICE=required`.
pub fn office_available(test: &str) -> bool {
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

/// A word on a printed page, with its box in points.
#[derive(Debug, Clone)]
pub struct Word {
    pub page: usize,
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// A spreadsheet as LibreOffice prints it.
pub struct Printed {
    pub pages: usize,
    pub page_size: String,
    /// The text in drawing order, without white space.
    pub text: String,
    pub words: Vec<Word>,
    pub page_box: (f64, f64),
}

pub fn run(cmd: &mut Command) -> String {
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

/// Converts spreadsheets (name, XLSX bytes) to PDF in one LibreOffice run with its own
/// profile, then reads the pages back with poppler.
pub fn print(docs: &[(&str, &[u8])]) -> Vec<Printed> {
    print_as("xlsx", docs)
}

/// Converts documents of one type (`xlsx`, `docx`; name and bytes) to PDF in one LibreOffice
/// run with its own profile, then reads the pages back with poppler.
pub fn print_as(extension: &str, docs: &[(&str, &[u8])]) -> Vec<Printed> {
    let (dir, keep) = match std::env::var("BM_TEST_PRINT_DIR") {
        Ok(d) if !d.is_empty() => (PathBuf::from(d), true),
        _ => (temp_dir(), false),
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
    for (name, bytes) in docs {
        let path = dir.join(format!("{name}.{extension}"));
        std::fs::write(&path, bytes).unwrap();
        cmd.arg(&path);
    }
    let started = std::time::Instant::now();
    run(&mut cmd);
    eprintln!(
        "LibreOffice converted {} documents in {:.1} s",
        docs.len(),
        started.elapsed().as_secs_f64()
    );
    std::fs::remove_dir_all(&profile).ok();
    let printed = docs
        .iter()
        .map(|(name, _)| read_pdf(&dir.join(format!("{name}.pdf"))))
        .collect();
    if !keep {
        std::fs::remove_dir_all(&dir).ok();
    }
    printed
}

pub fn read_pdf(pdf: &Path) -> Printed {
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
