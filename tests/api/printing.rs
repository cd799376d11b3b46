//! Printing the forms: each form.xlsx of the demo data, and a long one, converted to PDF by
//! LibreOffice as finance staff do before signing. One A4 page up to 20 indicators, every
//! cell's text on the page whole, no text running into another's.
//!
//! The conversions go through [`crate::office`]: without LibreOffice and poppler-utils these
//! tests print a notice and pass, unless `BM_TEST_OFFICE=required`. Set `BM_TEST_PRINT_DIR`
//! to keep the XLSX and PDF files there.

use budget_monitor::seed::{DemoSummary, DEMO_PASSWORD};
use calamine::{Data, Reader, Xlsx};
use serde_json::{json, Value};

use crate::helpers::*;
use crate::office::{office_available, seeded, Printed};

async fn ok(r: reqwest::Response, status: u16) -> Value {
    let got = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(got, status, "{body}");
    body
}

/// One downloaded form.
#[derive(Clone)]
struct Form {
    name: String,
    xlsx: Vec<u8>,
    /// Whether it must print on one page; else on several, the indicator heading on each.
    one_page: bool,
}

/// Prints the forms (see [`crate::office::print`]).
fn print(forms: &[Form]) -> Vec<Printed> {
    let docs: Vec<(&str, &[u8])> = forms
        .iter()
        .map(|f| (f.name.as_str(), f.xlsx.as_slice()))
        .collect();
    crate::office::print(&docs)
}

/// The text cells of the sheet, without white space.
fn cell_texts(xlsx: &[u8]) -> Vec<String> {
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
fn check(form: &Form, p: &Printed) {
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
            one_page: inds.as_array().unwrap().len() <= 20,
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
        let forms = forms.clone();
        move || print(&forms)
    })
    .await
    .unwrap();
    for (f, p) in forms.iter().zip(&printed) {
        check(f, p);
    }
}

const LONG_GOAL: &str = "围绕职工群众急难愁盼问题，全年开展“职工之家”示范点建设和困难职工帮扶、职工疗休养、技能培训等服务项目，\
覆盖全市各县区基层工会，服务职工不少于5万人次，项目资金按进度拨付，资金使用规范、绩效目标如期保质保量完成。";
const LONG_PROGRESS: &str = "上半年已完成“职工之家”示范点建设18个、职工疗休养活动6批次共1200人，开展技能培训42期共3150人次；\
因部分县区配套资金未及时到位，示范点建设进度略低于序时进度，已约谈相关单位并督促落实配套资金，预计三季度末可追上进度。\
其余服务项目按计划推进，职工反映良好。";
const LONG_DEVIATION: &str = "一是示范点建设受配套资金到位时间影响，执行率低于序时进度约8个百分点；二是疗休养活动因天气原因推迟一批次；\
三是部分培训项目采购流程较长，合同签订晚于计划，导致资金支付滞后。经分析，主要原因在于项目前期论证不充分、\
与县区沟通协调机制不健全、采购计划编制不够精细。";
const LONG_MEASURES: &str = "（1）建立月调度机制，逐项目明确时间节点和责任人；（2）对配套资金未到位的县区发函督办，必要时调整资金分配；\
（3）提前启动下半年采购程序，压缩采购周期；（4）对预计年底无法完成的子项目按程序申请调整预算和绩效目标。";

/// `n` 三级指标 spread over every category; `long`: long names and a third of them qualitative
/// with a long expected description, else names and targets as short as the demo's.
fn indicators(n: usize, long: bool) -> Vec<Value> {
    let cats = [
        ("output", "quantity"),
        ("output", "quality"),
        ("output", "timeliness"),
        ("output", "cost"),
        ("effect", "social_benefit"),
        ("effect", "economic_benefit"),
        ("effect", "ecological_benefit"),
        ("effect", "sustainable_impact"),
        ("satisfaction", "satisfaction"),
    ];
    (0..n)
        .map(|k| {
            let (l1, l2) = cats[k * cats.len() / n];
            if !long {
                json!({"level1": l1, "level2": l2, "name": format!("第{k}项服务职工人次"), "measure_unit": "人次",
                    "direction": "higher_better", "target": format!("{}", 1200 + k)})
            } else if k % 3 == 2 {
                json!({"level1": l1, "level2": l2, "name": format!("第{k}项职工服务阵地标准化规范化建设成效及长效机制"),
                    "direction": "qualitative", "target": "服务功能布局更加合理，服务承载能力明显提升，职工获得感进一步增强"})
            } else {
                json!({"level1": l1, "level2": l2, "name": format!("第{k}项基层工会示范点建设数量"), "measure_unit": "元/平方米",
                    "direction": "higher_better", "target": format!("{}", 1950 + k), "prorate": k % 2 == 0})
            }
        })
        .collect()
}

/// A special fund of the demo's 办公室 with `n` indicators and long texts, filled in; its form id.
/// `texts` times the long texts (goal, progress, deviation, measures).
async fn filled_form(
    app: &TestApp,
    summary: &DemoSummary,
    n: usize,
    long: bool,
    texts: usize,
) -> String {
    let reporter = app.login("bgs.reporter", DEMO_PASSWORD).await;
    let item = ok(app.post("/api/v1/items", &reporter, json!({"year": 2026, "kind": "special_fund",
        "name": format!("基层工会“职工之家”示范点建设及困难职工帮扶、疗休养和技能培训综合服务专项资金（{n}项指标{}）", if long { "，长" } else { "" }),
        "budget": {"fiscal": "123456789.123456", "union": "98765.5"}, "funding_source": "upper_union", "annual_goal": LONG_GOAL.repeat(texts)})).await, 201).await;
    let item = item["id"].as_str().unwrap();
    let mut values = Vec::new();
    for (k, body) in indicators(n, long).into_iter().enumerate() {
        let qualitative = body["direction"] == "qualitative";
        let i = ok(
            app.post(&format!("/api/v1/items/{item}/indicators"), &reporter, body)
                .await,
            201,
        )
        .await;
        let actual = match (qualitative, k % 2) {
            (true, 0) => "partly_achieved".to_string(),
            (true, _) => "achieved".to_string(),
            (false, _) => format!("{}", 975 + k),
        };
        values.push(json!({"indicator_id": i["id"], "actual": actual}));
    }
    let form = ok(app.post("/api/v1/submissions", &reporter, json!({"period_id": summary.period_id, "item_id": item,
        "executed": {"fiscal": "61728394.561728", "union": "49382.75"},
        "goal_progress": LONG_PROGRESS.repeat(texts), "indicator_values": values,
        "deviation_analysis": LONG_DEVIATION.repeat(texts), "corrective_measures": LONG_MEASURES.repeat(texts),
        "signatures": {"unit_head": "欧阳建华", "supervising_leader": "司马志远", "date": "2026-07-08"}})).await, 201).await;
    form["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn long_forms_print_whole_one_page_when_typical_then_at_full_width_with_the_heading_repeated()
{
    if !office_available("long_forms_print_whole") {
        return;
    }
    let app = spawn_app().await;
    let summary = seeded(&app).await;
    let finance = app.login("finance", DEMO_PASSWORD).await;
    let mut forms = Vec::new();
    // Twenty indicators of one line each: one page. Thirty, or twenty that run to several lines
    // each so that one page would shrink them below 70 %: several pages at the full width.
    // Texts of thousands of characters carry over several rows, none taller than a spreadsheet
    // row can be (409 pt).
    for (n, long, texts, one_page) in [
        (20, false, 1, true),
        (20, true, 1, false),
        (30, true, 1, false),
        (8, false, 20, false),
    ] {
        let id = filled_form(&app, &summary, n, long, texts).await;
        let r = app
            .get(&format!("/api/v1/submissions/{id}/form.xlsx"), &finance)
            .await;
        assert_eq!(r.status(), 200);
        forms.push(Form {
            name: format!("filled-{n}{}-x{texts}", if long { "-long" } else { "" }),
            xlsx: r.bytes().await.unwrap().to_vec(),
            one_page,
        });
    }
    let printed = tokio::task::spawn_blocking({
        let forms = forms.clone();
        move || print(&forms)
    })
    .await
    .unwrap();
    for (f, p) in forms.iter().zip(&printed) {
        check(f, p);
    }
}

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
