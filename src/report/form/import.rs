//! Opening an uploaded workbook (`POST /submissions/import`): what kind of file it is, and
//! what the hidden sheet of a form template says (ids and the place of every field). Reading
//! the fields is [`super::read`].

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};
use uuid::Uuid;

use super::fill::FillCell;
use super::supplement;
use super::template::{IDS_SHEET, MAP_HEADING, MARKER};

/// Why an upload cannot be read as a form template.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// Not an XLSX workbook at all (another file type, or an Excel 97–2003 `.xls`).
    #[error("{0}")]
    NotXlsx(String),
    /// A password-protected (encrypted) workbook: an OLE container, not a ZIP package.
    #[error("the workbook is protected with a password (encrypted); open it in Excel, remove the password (File → Info → Protect Workbook → Encrypt with Password, empty) and upload it again")]
    Encrypted,
    /// An XLSX package that cannot be read.
    #[error("the workbook is damaged and cannot be read ({0}); open it in Excel, save it again and upload it again")]
    Damaged(String),
    /// It would unpack to more than the service reads.
    #[error("the workbook unpacks to more than {} MiB; upload the form template as it was downloaded", MAX_UNPACKED / (1024 * 1024))]
    TooLarge,
    /// An XLSX workbook, but not a form template of this service.
    #[error("this workbook is not a form template of budget-monitor (it has neither the hidden sheet `{IDS_SHEET}` nor the sheets 附件N and 补充信息); download one from GET /api/v1/items/{{id}}/form-template.xlsx")]
    NotATemplate,
}

/// The most an upload may unpack to (a template of 30 indicators is well under 1 MiB).
pub const MAX_UNPACKED: u64 = 64 * 1024 * 1024;

/// The first bytes of an OLE compound file: an encrypted OOXML workbook or an old `.xls`.
const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// What the hidden sheet names, where it is whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ids {
    pub item_id: Option<Uuid>,
    pub period_id: Option<Uuid>,
    pub submission_id: Option<Uuid>,
}

/// The names on the 补充信息 sheet, to match a workbook without ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Names {
    pub period: Option<String>,
    pub unit_code: Option<String>,
    pub item: Option<String>,
}

/// An opened form template.
pub struct Workbook {
    sheets: HashMap<String, Range<Data>>,
    pub ids: Ids,
    pub names: Names,
    /// Where each field is, from the hidden sheet; `None` when the sheet is gone.
    pub map: Option<Vec<FillCell>>,
}

/// Whether the bytes are an encrypted OOXML package: an OLE file with the streams
/// `EncryptionInfo` and `EncryptedPackage` (names stored in UTF-16).
fn encrypted_ole(bytes: &[u8]) -> bool {
    let utf16: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.windows(utf16.len()).any(|w| w == utf16.as_slice())
}

/// Checks the ZIP directory: an XLSX package of a sane unpacked size.
fn check_package(bytes: &[u8]) -> Result<(), OpenError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| OpenError::Damaged(format!("its ZIP package is broken: {e}")))?;
    let mut total = 0u64;
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|e| OpenError::Damaged(format!("its ZIP package is broken: {e}")))?;
        total = total.saturating_add(f.size());
    }
    if total > MAX_UNPACKED {
        return Err(OpenError::TooLarge);
    }
    let has = |name: &str| zip.index_for_name(name).is_some();
    if !has("[Content_Types].xml") || !has("xl/workbook.xml") {
        return Err(OpenError::NotXlsx(
            "the file is a ZIP package but not an XLSX workbook (no xl/workbook.xml); save it from Excel as an .xlsx workbook".into(),
        ));
    }
    Ok(())
}

/// Opens an upload: an XLSX workbook that is a form template, with its sheets read.
pub fn open(bytes: Vec<u8>) -> Result<Workbook, OpenError> {
    if bytes.starts_with(&OLE) {
        return Err(if encrypted_ole(&bytes) {
            OpenError::Encrypted
        } else {
            OpenError::NotXlsx(
                "the file is an Excel 97–2003 workbook (.xls) or another OLE document, not an XLSX workbook; save it as .xlsx".into(),
            )
        });
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(OpenError::NotXlsx(
            "the file is not an XLSX workbook (an .xlsx file is a ZIP package starting with PK)"
                .into(),
        ));
    }
    check_package(&bytes)?;
    let mut xlsx = Xlsx::new(Cursor::new(bytes)).map_err(|e| OpenError::Damaged(e.to_string()))?;
    let names: Vec<String> = xlsx.sheet_names().to_vec();
    let mut sheets = HashMap::new();
    for name in names {
        let range = xlsx
            .worksheet_range(&name)
            .map_err(|e| OpenError::Damaged(format!("sheet {name}: {e}")))?;
        sheets.insert(name, range);
    }
    let mut wb = Workbook {
        sheets,
        ids: Ids::default(),
        names: Names::default(),
        map: None,
    };
    let form_sheet = (1..=3).any(|n| wb.sheets.contains_key(&super::sheet_name(n)));
    let has_ids = wb.text(IDS_SHEET, 0, 0).as_deref() == Some(MARKER);
    let template = has_ids || (form_sheet && wb.sheets.contains_key(supplement::SHEET));
    if !template {
        return Err(OpenError::NotATemplate);
    }
    if has_ids {
        wb.read_ids();
    }
    let s = supplement::SHEET;
    wb.names = Names {
        period: wb.text(s, supplement::PERIOD_ROW, 1),
        unit_code: wb.text(s, supplement::UNIT_CODE_ROW, 1),
        item: wb.text(s, supplement::ITEM_NAME_ROW, 1),
    };
    Ok(wb)
}

impl Workbook {
    /// A cell's value; `Empty` where the sheet or the cell is missing.
    pub fn cell(&self, sheet: &str, row: u32, col: u16) -> &Data {
        static EMPTY: Data = Data::Empty;
        self.sheets
            .get(sheet)
            .and_then(|r| r.get_value((row, col as u32)))
            .unwrap_or(&EMPTY)
    }

    /// A cell's text, trimmed; `None` when blank.
    pub fn text(&self, sheet: &str, row: u32, col: u16) -> Option<String> {
        let t = match self.cell(sheet, row, col) {
            Data::String(s) => s.trim().to_string(),
            Data::Empty => String::new(),
            other => other.to_string(),
        };
        (!t.is_empty()).then_some(t)
    }

    fn read_ids(&mut self) {
        let mut map = None;
        let rows = self.sheets.get(IDS_SHEET).map_or(0, |r| r.height() as u32);
        for row in 1..rows {
            let key = self.text(IDS_SHEET, row, 0).unwrap_or_default();
            let id = || self.text(IDS_SHEET, row, 1).and_then(|v| v.parse().ok());
            match key.as_str() {
                "item_id" => self.ids.item_id = id(),
                "period_id" => self.ids.period_id = id(),
                "submission_id" => self.ids.submission_id = id(),
                MAP_HEADING => {
                    map = Some(self.read_map(row + 1, rows));
                    break;
                }
                _ => {}
            }
        }
        self.map = map;
    }

    fn read_map(&self, first: u32, rows: u32) -> Vec<FillCell> {
        (first..rows)
            .filter_map(|row| {
                let key = self.text(IDS_SHEET, row, 0)?;
                let sheet = self.text(IDS_SHEET, row, 1)?;
                let (r, c) = parse_a1(&self.text(IDS_SHEET, row, 2)?)?;
                let indicator = self
                    .text(IDS_SHEET, row, 3)
                    .and_then(|v| v.parse::<Uuid>().ok());
                Some(FillCell {
                    key,
                    indicator,
                    sheet,
                    row: r,
                    col: c,
                })
            })
            .collect()
    }
}

/// `F14` → (13, 5), zero-based.
pub fn parse_a1(a1: &str) -> Option<(u32, u16)> {
    let split = a1.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = a1.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let col = letters
        .bytes()
        .fold(0u32, |n, b| n * 26 + (b - b'A' + 1) as u32);
    let row: u32 = digits.parse().ok()?;
    (row >= 1 && col <= 16_384).then(|| (row - 1, (col - 1) as u16))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_names_read_back() {
        for (a1, expected) in [
            ("A1", Some((0, 0))),
            ("F14", Some((13, 5))),
            ("AA3", Some((2, 26))),
            ("a1", None),
            ("A0", None),
            ("14", None),
            ("", None),
        ] {
            assert_eq!(parse_a1(a1), expected, "{a1}");
        }
        assert_eq!(
            rust_xlsxwriter::utility::row_col_to_cell(13, 5),
            "F14",
            "the writer names cells the same way"
        );
    }

    #[test]
    fn files_that_are_not_workbooks_are_told_apart() {
        let mut encrypted = OLE.to_vec();
        encrypted.extend(vec![0; 100]);
        encrypted.extend(
            "EncryptedPackage"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        assert_eq!(open(encrypted).err(), Some(OpenError::Encrypted));
        let mut xls = OLE.to_vec();
        xls.extend(vec![0; 600]);
        assert!(matches!(open(xls), Err(OpenError::NotXlsx(_))));
        assert!(matches!(
            open(b"%PDF-1.7".to_vec()),
            Err(OpenError::NotXlsx(_))
        ));
        assert!(matches!(
            open(b"PK\x03\x04 broken".to_vec()),
            Err(OpenError::Damaged(_))
        ));
    }
}
