//! The report workbook printed by LibreOffice: one page wide on landscape A4 with its charts.

use super::*;
use crate::helpers::*;
use crate::office::{office_available, print, seeded};
use budget_monitor::seed::DEMO_PASSWORD;
use serde_json::json;

/// `n` extra special funds of 办公室 without forms, so that the item table runs over pages.
async fn more_items(app: &TestApp, n: usize) {
    let reporter = app.login("bgs.reporter", DEMO_PASSWORD).await;
    for k in 0..n {
        let r = app.post("/api/v1/items", &reporter, json!({"year": 2026, "kind": "special_fund",
            "name": format!("基层工会服务阵地建设补助资金（第{k}批）"), "funding_source": "upper_union",
            "budget": {"fiscal": "123456.78", "union": "9876.5"}})).await;
        assert_eq!(r.status(), 201);
    }
}

#[tokio::test]
async fn the_report_workbook_prints_one_page_wide_on_landscape_a4_with_its_charts() {
    if !office_available("the_report_workbook_prints_one_page_wide") {
        return;
    }
    let app = spawn_app().await;
    let summary = seeded(&app).await;
    more_items(&app, 40).await;
    let finance = app.login("finance", DEMO_PASSWORD).await;
    let xlsx = download(&app, &finance, &summary, "xlsx").await;
    let printed = tokio::task::spawn_blocking(move || print(&[("report", xlsx.as_slice())]))
        .await
        .unwrap();
    let p = &printed[0];
    assert!(p.page_size.ends_with("(A4)"), "{}", p.page_size);
    assert!(p.page_box.0 > p.page_box.1, "landscape: {:?}", p.page_box);
    // Each page's text, without white space; its sheet by the title printed at its top.
    let pages: Vec<String> = (1..=p.pages)
        .map(|pg| {
            p.words
                .iter()
                .filter(|w| w.page == pg)
                .map(|w| w.text.as_str())
                .collect()
        })
        .collect();
    let of = |title: &str| {
        pages
            .iter()
            .filter(|t| t.contains(title))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        of("2026年上半年预算绩效运行监控报告").len(),
        1,
        "汇总 on one page"
    );
    // A table one page wide: every page of it has its first and last headings and 合计.
    for (title, first, last, at_least) in [
        ("各单位预算执行情况", "填报单位", "最严重", 1),
        ("项目（资金）绩效监控明细", "填报单位", "付款", 2),
        ("合规性检查发现的问题", "填报单位", "问题说明", 1),
        ("逾期未完成的纠偏措施", "填报单位", "来源", 1),
    ] {
        let on = of(title);
        assert!(on.len() >= at_least, "{title}: {} pages", on.len());
        for page in on {
            for heading in [first, last] {
                assert!(page.contains(heading), "{title}: {heading} not on {page}");
            }
            if title != "合规性检查发现的问题" && title != "逾期未完成的纠偏措施"
            {
                assert!(page.contains("合计"), "{title}: 合计 not on {page}");
            }
        }
    }
    // The charts draw, with their titles and the units on their axes.
    let charts = of("预算绩效监控图表");
    assert_eq!(charts.len(), 2, "the charts, then their figures");
    for t in [
        "各单位预算执行率与序时进度",
        "各单位预警项目数",
        "办公室",
        "序时进度",
    ] {
        assert!(charts[0].contains(t), "{t}");
    }
    // No code left on paper.
    for w in &p.words {
        let code = w.text.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        assert!(!(code && w.text.len() >= 3), "{w:?}");
    }
    assert_eq!(pages.len(), p.pages);
}
