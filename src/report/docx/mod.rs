//! The monitoring report as a Word document (绩效监控报告, Art. 11): a draft in Chinese that
//! finance edits and sends to the leadership, written from the same [`Report`] as the JSON.
//!
//! The same report always gives the same bytes, so that a published period's document is
//! frozen with its other renderings: the document's created and modified properties and the
//! archive's timestamps are the report's `generated_at`, and paragraph ids are counted per
//! document.

mod follow;
mod style;
mod summary;
pub mod words;

use std::io::{Cursor, Read, Write};

use chrono::{Datelike, Timelike};
use zip::result::ZipError;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::Report;
use style::Doc;

/// The report as a DOCX document.
pub fn docx(r: &Report) -> Result<Vec<u8>, ZipError> {
    let mut doc = Doc::new();
    summary::heading(&mut doc, r);
    summary::forms(&mut doc, r);
    summary::budget(&mut doc, r);
    summary::lights(&mut doc, r);
    follow::compliance(&mut doc, r);
    follow::corrective_actions(&mut doc, r);
    follow::measures(&mut doc, r);
    follow::units(&mut doc, r);
    follow::next_steps(&mut doc, r);
    let at = r.generated_at.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let parts = doc.finish(&at).ok_or_else(|| {
        ZipError::Io(std::io::Error::other(
            "the document body's place was not found in the package",
        ))
    })?;
    let mut stored = Cursor::new(Vec::new());
    parts
        .pack(&mut stored)
        .map_err(|e| ZipError::Io(std::io::Error::other(e.to_string())))?;
    compress(stored.into_inner(), zip_time(r))
}

/// The archive's timestamp: the report's `generated_at` (to the even second, as ZIP keeps it).
fn zip_time(r: &Report) -> DateTime {
    let t = r.generated_at;
    u16::try_from(t.year())
        .ok()
        .and_then(|y| {
            DateTime::from_date_and_time(
                y,
                t.month() as u8,
                t.day() as u8,
                t.hour() as u8,
                t.minute() as u8,
                t.second() as u8,
            )
            .ok()
        })
        .unwrap_or(DateTime::DEFAULT)
}

/// The library stores its parts uncompressed, with the archive's default timestamps: written
/// again deflated (a province's report shrinks several times) and stamped with `at`.
fn compress(stored: Vec<u8>, at: DateTime) -> Result<Vec<u8>, ZipError> {
    let mut from = ZipArchive::new(Cursor::new(stored))?;
    let mut to = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(at)
        .unix_permissions(0o644);
    let mut part = Vec::new();
    for n in 0..from.len() {
        let mut entry = from.by_index(n)?;
        let name = entry.name()?.to_string();
        if entry.is_dir() {
            to.add_directory(name, options.unix_permissions(0o755))?;
            continue;
        }
        part.clear();
        entry.read_to_end(&mut part)?;
        to.start_file(name, options)?;
        to.write_all(&part)?;
    }
    Ok(to.finish()?.into_inner())
}

#[cfg(test)]
mod tests;
