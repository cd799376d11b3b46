//! The report as CSV (the item rows, UTF-8 with a BOM so Excel reads the Chinese text) and as
//! an XLSX workbook finance prints: 汇总, 图表, 单位, 项目, 合规性问题, 逾期纠偏措施. Codes
//! show as their Chinese labels (see [`crate::report::labels`]); money stays exact.

mod cells;
mod charts;
mod sheets;
mod summary;
mod table;

use rust_xlsxwriter::{Workbook, XlsxError};

use super::Report;

/// The item rows as CSV: one heading row (`预算数-合计`), labels for codes, exact amounts.
pub fn csv(r: &Report) -> Result<Vec<u8>, csv::Error> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let rates = sheets::item_rate_columns();
        let headings: Vec<String> = sheets::item_columns()
            .iter()
            .enumerate()
            .map(|(k, c)| table::flat_heading(c, rates.contains(&k)))
            .collect();
        w.write_record(&headings)?;
        for i in &r.items {
            let cells = sheets::item_cells(i, "；");
            let fields: Vec<_> = cells.iter().map(|c| c.csv()).collect();
            w.write_record(fields.iter().map(|f| f.as_bytes()))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// The report as an XLSX workbook.
pub fn xlsx(r: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // Compressing the sheets is most of the time a province's workbook takes; level 3 instead
    // of 6 takes a quarter less time for a file a fifth larger (1.5 MB for 15,000 items).
    wb.set_zip_compression_level(3);
    summary::summary(&mut wb, r)?;
    charts::charts(&mut wb, r)?;
    sheets::units(&mut wb, r)?;
    sheets::items(&mut wb, r)?;
    sheets::compliance(&mut wb, r)?;
    sheets::overdue(&mut wb, r)?;
    wb.save_to_buffer()
}
