//! The report workbook's sheets: two heading rows, Chinese labels, numbers as numbers, charts; a reporter's own unit only.

use super::*;
use crate::helpers::*;
use crate::office::seeded;
use budget_monitor::seed::DEMO_PASSWORD;
use calamine::{Data, Reader};

#[tokio::test]
async fn the_report_workbook_has_two_heading_rows_chinese_labels_numbers_and_charts() {
    let app = spawn_app().await;
    let summary = seeded(&app).await;
    let finance = app.login("finance", DEMO_PASSWORD).await;
    let xlsx = download(&app, &finance, &summary, "xlsx").await;
    let json: serde_json::Value =
        serde_json::from_slice(&download(&app, &finance, &summary, "json").await).unwrap();
    let num = |v: &serde_json::Value| Data::Float(v.as_str().unwrap().parse::<f64>().unwrap());
    let mut wb = book(&xlsx);
    assert_eq!(wb.sheet_names(), SHEETS);

    // 项目: 预算数 merged over 财政资金 / 工会经费 / 合计, the same columns as the CSV.
    let items = wb.worksheet_range("项目").unwrap();
    assert_eq!(text(&items[(0, 6)]), "预算数");
    assert_eq!(
        [7, 6, 8].map(|c| text(&items[(1, c)])),
        ["工会经费", "财政资金", "合计"]
    );
    let merged = wb.merge_cells_by_sheet_name("项目").unwrap();
    assert!(merged.iter().any(|d| d.start == (0, 6) && d.end == (0, 8)));
    assert!(merged.iter().any(|d| d.start == (0, 1) && d.end == (1, 1)));
    let cols = columns(&items);
    let csv = download(&app, &finance, &summary, "csv").await;
    let csv_text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let csv_heading = csv_text.lines().next().unwrap().replace("(%)", "");
    let mut by_position: Vec<(&usize, &String)> = cols.iter().map(|(k, v)| (v, k)).collect();
    by_position.sort();
    let xlsx_heading: Vec<&str> = by_position.iter().map(|(_, k)| k.as_str()).collect();
    assert_eq!(xlsx_heading.join(","), csv_heading);

    let rows = data(&items);
    assert_eq!(rows.len(), 14);
    let col = |name: &str| {
        *cols
            .get(name)
            .unwrap_or_else(|| panic!("{name} in {cols:?}"))
    };
    for (name, allowed) in [
        ("预警灯-目标完成", &LIGHTS[..]),
        ("预警灯-综合预警", &LIGHTS[..]),
        ("全年目标预期", &["确定能", "有可能", "完全不可能", ""][..]),
        ("填报-状态", &STATUSES[..]),
        ("填报-逾期", &["是", "否"][..]),
        ("重点监控", &["是", "否"][..]),
        ("类型", &["整体", "专项资金", "项目"][..]),
        ("付款状态", &["正常", "暂缓付款", "停止付款"][..]),
    ] {
        for row in &rows {
            let v = text(&row[col(name)]);
            assert!(allowed.contains(&v.as_str()), "{name}: {v:?}");
        }
    }
    for status in STATUSES {
        assert!(rows.iter().any(|r| text(&r[col("填报-状态")]) == status));
    }
    for name in ["预警原因", "监控措施"] {
        for row in &rows {
            assert!(
                !english(&text(&row[col(name)])),
                "{name}: {:?}",
                row[col(name)]
            );
        }
    }
    let reasons: Vec<String> = rows.iter().map(|r| text(&r[col("预警原因")])).collect();
    for sentence in [
        "预算执行进度滞后：执行率仅为序时进度的9.60%，低于60%",
        "绩效指标超额完成：完成值为应完成值的140.00%，达到120%以上",
        "预计年度绩效目标完全不可能实现",
        "合规性检查发现问题：采购、招投标",
        "逾期报送：晚于报送截止日期",
    ] {
        assert!(reasons.iter().any(|r| r.contains(sentence)), "{sentence}");
    }
    // Money, counts and the form number are numbers; a rate is a number or empty.
    for row in &rows {
        for group in ["预算数", "执行数"] {
            for fund in ["财政资金", "工会经费", "合计"] {
                let cell = &row[col(&format!("{group}-{fund}"))];
                assert!(matches!(cell, Data::Float(_)), "{group}-{fund}: {cell:?}");
            }
        }
        for name in ["表号", "纠偏措施-未完成", "纠偏措施-逾期"] {
            assert!(matches!(row[col(name)], Data::Float(_)), "{name}");
        }
        for name in ["执行率-合计", "总体完成率"] {
            assert!(
                matches!(row[col(name)], Data::Float(_) | Data::Empty),
                "{name}"
            );
        }
    }

    // 单位: one row per unit and the totals; its light in Chinese.
    let units = wb.worksheet_range("单位").unwrap();
    let ucols = columns(&units);
    assert_eq!(text(&units[(0, ucols["预算数-合计"] - 2)]), "预算数");
    for name in [
        "填报情况-监控项目",
        "未报送预算-合计",
        "执行率",
        "最严重预警",
    ] {
        assert!(ucols.contains_key(name), "{name} in {ucols:?}");
    }
    let urows = data(&units);
    assert_eq!(urows.len(), 8, "seven units and 合计");
    assert_eq!(text(&urows[7][1]), "合计");
    assert_eq!(
        urows[7][ucols["预算数-合计"]],
        num(&json["budget"]["total"])
    );
    for (k, row) in urows.iter().enumerate() {
        assert!(LIGHTS.contains(&text(&row[ucols["最严重预警"]]).as_str()));
        // A number, or empty for a unit none of whose forms was reported yet.
        let rate = if k < 7 {
            &json["units"][k]["execution_rate"]
        } else {
            &json["execution_rate"]["total"]
        };
        match rate.as_str() {
            Some(r) => assert_eq!(row[ucols["执行率"]], Data::Float(r.parse().unwrap())),
            None => assert_eq!(row[ucols["执行率"]], Data::Empty),
        }
    }

    // 汇总: exact totals, the budget light and the form counts, all in Chinese.
    let sum = wb.worksheet_range("汇总").unwrap();
    let row_of = |label: &str| {
        sum.rows()
            .find(|r| r.iter().any(|c| text(c) == label))
            .unwrap_or_else(|| panic!("{label}"))
            .to_vec()
    };
    // The same figures as the JSON report, each yuan once, with the of-which lines.
    for (label, key) in [
        ("预算数", &json["budget"]),
        ("执行数", &json["executed"]),
        ("未报送预算", &json["not_reported"]),
        ("已报送预算", &json["reported_budget"]),
        (
            "其中：专项资金预算",
            &json["of_which"]["special_funds"]["budget"],
        ),
        ("其中：项目预算", &json["of_which"]["projects"]["budget"]),
    ] {
        let want: Vec<Data> = ["fiscal", "union", "total"]
            .iter()
            .map(|f| num(&key[f]))
            .collect();
        assert_eq!(row_of(label)[1..4], want[..], "{label}");
    }
    assert_ne!(row_of("其中：专项资金预算")[3], Data::Float(0.0));
    assert!(LIGHTS.contains(&text(&row_of("预算执行灯")[1]).as_str()));
    assert!(sum
        .used_cells()
        .all(|(_, _, c)| !matches!(c, Data::String(s) if english(s))));

    // 合规性问题: the check's label.
    let comp = wb.worksheet_range("合规性问题").unwrap();
    assert_eq!(text(&comp[(0, 3)]), "发现的问题");
    assert_eq!(text(&comp[(2, 3)]), "采购、招投标");

    // Native charts: the rates as columns against the time-progress line, the lights stacked
    // by unit, the money stacked by fund.
    let xml = parts(&xlsx);
    let mut charts: Vec<&String> = xml
        .iter()
        .filter(|(k, _)| k.starts_with("xl/charts/chart") && k.ends_with(".xml"))
        .map(|(_, v)| v)
        .collect();
    charts.sort_by_key(|c| !c.contains("<c:lineChart>"));
    assert_eq!(charts.len(), 3);
    assert!(charts[0].contains(r#"<c:barDir val="col"/>"#));
    assert!(charts[0].contains("<c:lineChart>"));
    assert!(charts[0].contains("各单位预算执行率与序时进度"));
    assert!(charts[1..]
        .iter()
        .all(|c| c.contains(r#"<c:grouping val="stacked"/>"#)));
    assert!(charts.iter().any(|c| c.contains("汇总!$B$9:$B$11")));
    assert!(charts
        .iter()
        .any(|c| c.contains("FFC7CE") || c.contains("E06666")));
    // Frozen headings, autofilter on the second heading row, landscape A4 one page wide with
    // the headings repeated; the lights' fills.
    let sheet = &xml["xl/worksheets/sheet4.xml"];
    assert!(sheet.contains(r#"ySplit="2""#), "{sheet}");
    assert!(sheet.contains(r#"<autoFilter ref="A2:"#));
    for setup in [
        r#"paperSize="9""#,
        r#"orientation="landscape""#,
        r#"fitToHeight="0""#,
    ] {
        assert!(sheet.contains(setup), "{setup}");
    }
    assert!(sheet.contains(r#"<pageSetUpPr fitToPage="1"/>"#));
    assert!(xml["xl/workbook.xml"].contains("项目!$1:$2"));
    for fill in ["FFFFC7CE", "FFFFEB9C", "FFC6EFCE", "FFBDD7EE"] {
        assert!(xml["xl/styles.xml"].contains(fill), "{fill}");
    }
}

#[tokio::test]
async fn a_reporters_workbook_holds_its_own_unit_only() {
    let app = spawn_app().await;
    let summary = seeded(&app).await;
    let reporter = app.login("hgqzgh.reporter", DEMO_PASSWORD).await;
    let xlsx = download(&app, &reporter, &summary, "xlsx").await;
    let mut wb = book(&xlsx);
    let units = wb.worksheet_range("单位").unwrap();
    let names: Vec<String> = data(&units).iter().map(|r| text(&r[1])).collect();
    assert_eq!(names, ["海港区总工会", "合计"]);
    let items = wb.worksheet_range("项目").unwrap();
    assert!(data(&items).iter().all(|r| text(&r[0]) == "HGQZGH"));
    assert_eq!(data(&items).len(), 2);
    let charts = wb.worksheet_range("图表").unwrap();
    let charted: Vec<String> = charts
        .rows()
        .filter(|r| matches!(r.get(2), Some(Data::Float(_))))
        .map(|r| text(&r[0]))
        .collect();
    assert_eq!(charted, ["海港区总工会"]);
    let sum = wb.worksheet_range("汇总").unwrap();
    assert!(sum.used_cells().any(|(_, _, c)| text(c) == "海港区总工会"));
}
