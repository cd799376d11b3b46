//! The attachment categories preprinted under merged level-1 cells.

use super::*;
use crate::helpers::*;
use crate::office::seeded;
use budget_monitor::seed::DEMO_PASSWORD;
use calamine::{Data, Reader, Xlsx};

/// A form's sheet: its cells' text by (row, column), and its merged ranges.
struct Sheet {
    cells: std::collections::HashMap<(u32, u32), String>,
    merged: Vec<calamine::Dimensions>,
}

impl Sheet {
    fn read(xlsx: &[u8]) -> Self {
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
        let name = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&name).unwrap();
        let (r0, c0) = range.start().unwrap();
        let cells = range
            .cells()
            .filter_map(|(r, c, v)| match v {
                Data::String(s) => Some(((r as u32 + r0, c as u32 + c0), s.clone())),
                _ => None,
            })
            .collect();
        let merged = book.merge_cells_by_sheet_name(&name).unwrap();
        Sheet { cells, merged }
    }

    fn at(&self, r: u32, c: u32) -> &str {
        self.cells.get(&(r, c)).map(String::as_str).unwrap_or("")
    }

    fn find(&self, text: &str) -> Option<(u32, u32)> {
        let mut hits: Vec<_> = self
            .cells
            .iter()
            .filter(|(_, v)| v.as_str() == text)
            .map(|(k, _)| *k)
            .collect();
        hits.sort();
        hits.first().copied()
    }

    /// How many rows the cell at (r, c) spans.
    fn rows_spanned(&self, r: u32, c: u32) -> u32 {
        self.merged
            .iter()
            .find(|d| d.start == (r, c))
            .map(|d| d.end.0 - d.start.0 + 1)
            .unwrap_or(1)
    }

    /// The indicator table: (一级指标 and its span, 二级指标 and its span, 三级指标) per row.
    fn indicator_rows(&self) -> Vec<(String, u32, String, u32, String)> {
        let (head, _) = self.find("一级指标").expect("the indicator heading");
        let mut out = Vec::new();
        let mut r = head + 1;
        while !self.at(r, 0).starts_with("绩效目标执行") {
            out.push((
                self.at(r, 1).to_string(),
                self.rows_spanned(r, 1),
                self.at(r, 2).to_string(),
                self.rows_spanned(r, 2),
                self.at(r, 3).to_string(),
            ));
            r += 1;
        }
        out
    }
}

#[tokio::test]
async fn forms_preprint_the_attachment_categories_under_merged_level1_cells() {
    let app = spawn_app().await;
    let summary = seeded(&app).await;
    let finance = app.login("finance", DEMO_PASSWORD).await;
    let forms = download(&app, &finance, &summary.period_id.to_string()).await;
    let sheets: Vec<Sheet> = forms.iter().map(|f| Sheet::read(&f.xlsx)).collect();
    let named = |name: &str| {
        sheets
            .iter()
            .find(|s| s.cells.values().any(|v| v.ends_with(name)))
            .unwrap_or_else(|| panic!("{name}"))
    };
    let s = |x: &str| x.to_string();

    // 创业就业扶持资金 (form 2): two quantity indicators under one merged 数量指标, the other
    // attachment categories as empty rows, and 经济效益指标 because it has one.
    let fund = named("创业就业扶持资金");
    assert_eq!(
        fund.indicator_rows(),
        vec![
            (s("产出指标"), 5, s("数量指标"), 2, s("扶持职工创业项目数")),
            (s(""), 1, s(""), 1, s("就业技能培训人次")),
            (s(""), 1, s("质量指标"), 1, s("培训后就业率")),
            (s(""), 1, s("时效指标"), 1, s("")),
            (s(""), 1, s("成本指标"), 1, s("")),
            (s("效果指标"), 3, s("社会效益指标"), 1, s("")),
            (s(""), 1, s("经济效益指标"), 1, s("带动就业人数")),
            (s(""), 1, s("可持续影响指标"), 1, s("")),
            (
                s("满意度指标"),
                1,
                s("满意度指标"),
                1,
                s("受扶持职工满意度")
            ),
        ]
    );
    // 办公室 (form 1): no 经济效益 or 生态效益 row without such an indicator; the empty
    // 社会效益指标 row kept.
    let overall = named("：办公室");
    let level2: Vec<String> = overall.indicator_rows().into_iter().map(|r| r.2).collect();
    assert_eq!(
        level2,
        [
            "数量指标",
            "质量指标",
            "时效指标",
            "成本指标",
            "社会效益指标",
            "可持续影响指标",
            "满意度指标"
        ]
    );
    // Every form: the attachment's heading, title and signature line.
    for (f, sheet) in forms.iter().zip(&sheets) {
        let form = &f.name[4..5];
        assert_eq!(sheet.at(0, 0), format!("附件{form}"));
        assert!(
            sheet.find("部门负责人：").is_some()
                || sheet.cells.values().any(|v| v.starts_with("部门负责人："))
        );
        assert!(sheet
            .cells
            .values()
            .any(|v| v.starts_with("分管领导签字：")));
        let rows = sheet.indicator_rows();
        assert!(rows.len() >= 7, "{}", f.name);
    }
}
