//! The monitoring report as a Word document (绩效监控报告): who gets it, what it says, that a
//! published one is frozen, and how it prints.

use std::io::{Cursor, Read};

use reqwest::Method;
use sea_orm::ConnectionTrait;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::office::{office_available, print_as, seeded};
use crate::printing::money;
use crate::report::scenario;
use budget_monitor::seed::DEMO_PASSWORD;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

const HEADINGS: [&str; 8] = [
    "一、总体情况",
    "二、预算执行情况",
    "三、绩效监控预警情况",
    "四、合规性检查发现的问题",
    "五、纠偏措施落实情况",
    "六、已采取的措施",
    "七、各单位情况",
    "八、下一步工作建议",
];

/// One part of the document, as text.
fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).expect("a DOCX is a ZIP archive");
    let mut text = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The document's words without their markup.
fn words(xml: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

async fn download(s: &Session, path: &str) -> Vec<u8> {
    let r = s.get(path).await;
    assert_eq!(r.status(), 200, "{path}");
    assert_eq!(r.headers()["content-type"], DOCX, "{path}");
    assert_eq!(
        r.headers()["content-disposition"],
        "attachment; filename=\"report-2026-h1.docx\"",
        "{path}"
    );
    r.bytes().await.unwrap().to_vec()
}

/// The report asked for as a Word document by its `Accept` header.
async fn by_accept(s: &Session, path: &str) -> reqwest::Response {
    s.send(s.req(Method::GET, path).header("Accept", DOCX))
        .await
}

#[tokio::test]
async fn the_report_comes_as_a_word_document_for_finance_viewers_and_admins_and_not_reporters() {
    let app = spawn_app().await;
    let (c, rep2, _) = scenario(&app).await;
    let r = &c.roles;
    let path = format!("/api/v1/periods/{}/report", c.period);
    let by_path = download(&r.finance, &format!("{path}.docx")).await;
    assert_eq!(&by_path[..2], b"PK");
    // A live report carries the time it was built; the document itself is the same.
    let by_query = download(&r.finance, &format!("{path}?format=docx")).await;
    assert_eq!(
        part(&by_query, "word/document.xml"),
        part(&by_path, "word/document.xml"),
        "report?format=docx is report.docx"
    );
    let accepted = by_accept(&r.finance, &path).await;
    assert_eq!(accepted.status(), 200);
    assert_eq!(accepted.headers()["content-type"], DOCX);
    download(&r.viewer, &format!("{path}.docx")).await;
    download(&r.admin, &format!("{path}.docx")).await;
    for s in [&r.reporter, &rep2] {
        for url in [format!("{path}.docx"), format!("{path}?format=docx")] {
            s.get_is(&url, FORBIDDEN).await;
        }
        FORBIDDEN.check(by_accept(s, &path).await).await;
    }
    // A reporter still reads its own unit's part in the other formats.
    rep2.read(&path).await;
    // The document tells about the whole period: the item-row filters are for the other formats.
    for url in [
        format!("{path}.docx?warning=red"),
        format!("{path}?format=docx&warning=red"),
        format!("{path}?format=docx&sort=warning"),
    ] {
        let unknown = Expect::Problem(400, "invalid_query_parameter");
        r.finance.get_is(&url, unknown).await;
    }
}

#[tokio::test]
async fn the_word_document_has_the_headings_totals_red_items_with_their_reasons_and_units() {
    let app = spawn_app().await;
    let (c, _, _) = scenario(&app).await;
    let path = format!("/api/v1/periods/{}/report", c.period);
    let d = download(&c.roles.finance, &format!("{path}.docx")).await;
    let xml = part(&d, "word/document.xml");
    let text = words(&xml);
    for h in HEADINGS {
        assert!(text.contains(h), "{h} in {text}");
    }
    for expected in [
        "2026年上半年预算绩效运行监控报告",
        // The period and time progress.
        "本期监控数据截至2026年6月30日，序时进度为50.00%",
        // Forms: three expected, one missing.
        "本期应报送绩效监控情况表3份",
        "未填报1份",
        // Totals by fund (each yuan once: the special fund is within its unit's overall
        // budget), the rate against time progress and the fund's budget not reported.
        "纳入本期监控的预算600.50万元",
        "已执行180.373457万元",
        "预算执行率30.04%，为序时进度（50.00%）的60.08%，预算执行总体为黄灯",
        "专项资金和项目中，草稿和未填报的监控表所涉预算1,000.00万元",
        // The red item named, with its reasons as sentences with their figures.
        "1. 单位R-UNIT“整体支出”",
        "仅为序时进度（50.00%）的15.06%，低于60%的红灯标准",
        "一项绩效指标的完成进度为目标的20.00%，低于60%的红灯标准",
        "合规性检查发现“超预算开支”问题",
        "财务部已采取暂缓付款措施",
        // Compliance, the overdue corrective action and the measure.
        "超预算开支，超预算采购。",
        "退回多付款",
        "张华",
        "2026年8月15日",
        // The table per unit.
        "单位U2",
        "200.50",
        "74.94",
    ] {
        assert!(text.contains(expected), "{expected} not in {text}");
    }
    // Real Word headings and tables, not text boxes.
    assert_eq!(
        xml.matches(r#"<w:pStyle w:val="Heading1" />"#).count(),
        HEADINGS.len()
    );
    assert!(xml.matches("<w:tbl>").count() >= 4);
    assert!(!xml.contains("<w:txbxContent"));
    assert!(part(&d, "word/styles.xml").contains(r#"<w:name w:val="heading 1" />"#));
}

/// The scenario's period closed and published; the cycle and its report's document URL.
async fn published(app: &TestApp) -> (Cycle, String) {
    let (c, _, _) = scenario(app).await;
    for step in ["close", "publish"] {
        let path = format!("/api/v1/periods/{}/{step}", c.period);
        c.roles.finance.act(&path).await;
    }
    let url = format!("/api/v1/periods/{}/report.docx", c.period);
    (c, url)
}

/// A change after publication: finance stops the item's payments.
async fn stop_payment(c: &Cycle) {
    let body = json!({"item_id": c.item, "kind": "stop_payment", "reason": "严重问题"});
    c.roles.finance.created("/api/v1/measures", body).await;
}

#[tokio::test]
async fn a_published_reports_word_document_reads_back_byte_for_byte_the_same_after_later_changes() {
    let app = spawn_app().await;
    let (c, url) = published(&app).await;
    let r = &c.roles;
    let frozen = download(&r.viewer, &url).await;
    assert!(words(&part(&frozen, "word/document.xml")).contains("（监控结果已发布）"));
    // The document's dates are those of the report frozen with it.
    let report = r
        .viewer
        .read(&format!("/api/v1/periods/{}/report", c.period))
        .await;
    let generated = report["generated_at"].as_str().unwrap();
    let core = part(&frozen, "docProps/core.xml");
    let at = format!("{}Z", &generated[..19]);
    assert_eq!(
        core.matches(&at).count(),
        2,
        "created and modified {at}: {core}"
    );
    stop_payment(&c).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(download(&r.viewer, &url).await, frozen);
    assert_eq!(download(&r.finance, &url).await, frozen);
}

#[tokio::test]
async fn a_report_published_before_the_word_document_was_frozen_renders_it_from_its_frozen_json() {
    let app = spawn_app().await;
    let (c, url) = published(&app).await;
    let r = &c.roles;
    let frozen = download(&r.finance, &url).await;
    // As a publication stored before the column existed.
    let db = budget_monitor::persistence::connect(&app.settings.database_url)
        .await
        .unwrap();
    db.execute_unprepared("UPDATE published_reports SET docx = NULL")
        .await
        .unwrap();
    stop_payment(&c).await;
    assert_eq!(download(&r.finance, &url).await, frozen);
    assert_eq!(download(&r.viewer, &url).await, frozen);
}

#[tokio::test]
async fn the_demo_report_prints_from_word_with_its_headings_totals_and_red_items() {
    if !office_available("the_demo_report_prints_from_word_with_its_headings_totals_and_red_items")
    {
        return;
    }
    let app = spawn_app().await;
    let summary = seeded(&app).await;
    let finance = app.session("finance", DEMO_PASSWORD).await;
    let path = format!("/api/v1/periods/{}/report", summary.period_id);
    let report: Value = finance.read(&path).await;
    let docx = download(&finance, &format!("{path}.docx")).await;
    let printed = tokio::task::spawn_blocking(move || print_as("docx", &[("report", &docx)]))
        .await
        .unwrap();
    let p = &printed[0];
    assert!(p.page_size.ends_with("(A4)"), "{}", p.page_size);
    assert!(p.pages >= 2, "{} pages", p.pages);
    let text = &p.text;
    for h in HEADINGS {
        assert!(text.contains(h), "{h} is not printed");
    }
    let amount = |v: &Value| money(v.as_str().unwrap().parse().unwrap());
    for fund in ["fiscal", "union", "total"] {
        for what in ["budget", "executed", "not_reported"] {
            let printed = amount(&report[what][fund]);
            assert!(
                text.contains(&printed),
                "{what}.{fund} {printed} is not printed"
            );
        }
    }
    let rate = report["execution_rate"]["total"].as_str().unwrap();
    assert!(text.contains(&format!("预算执行率{rate}%")), "{text}");
    let red = rows_where(&report["items"], "warning", "red");
    assert!(!red.is_empty(), "the demo has red items");
    for i in red {
        let name = format!(
            "{}“{}”",
            i["unit_name"].as_str().unwrap(),
            i["item_name"].as_str().unwrap()
        );
        assert!(text.contains(&name), "the red item {name} is not printed");
    }
    let behind = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["reasons"].as_array().unwrap())
        .find(|r| r["code"] == "execution_behind_time" && r["light"] == "red")
        .expect("a red item behind time progress");
    let reason = format!(
        "仅为序时进度（{}%）的{}%，低于{}%的红灯标准",
        report["time_progress"].as_str().unwrap(),
        behind["value"].as_str().unwrap(),
        behind["threshold"].as_str().unwrap()
    );
    assert!(text.contains(&reason), "{reason} is not printed");
}
