//! The document from a report built by hand: deterministic bytes and the expected text.

use std::io::{Cursor, Read};

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::docx;
use crate::domain::item::ItemKind;
use crate::domain::monitoring::{Light, ReasonCode};
use crate::domain::period::PeriodKind;
use crate::domain::submission::ReasonFigure;
use crate::domain::workflow::PeriodStatus;
use crate::report::*;

fn funds(fiscal: &str, union: &str) -> FundTotals {
    let (f, u): (crate::domain::Total, crate::domain::Total) =
        (fiscal.parse().unwrap(), union.parse().unwrap());
    FundTotals {
        fiscal: f,
        union: u,
        total: f + u,
    }
}

fn report() -> Report {
    let unit = Uuid::from_u128(1);
    let item = Uuid::from_u128(2);
    let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let red = ItemRow {
        unit_id: unit,
        unit_code: "ZZB".into(),
        unit_name: "组织部".into(),
        item_id: item,
        item_name: "职工技能培训项目".into(),
        kind: ItemKind::Project,
        form: 3,
        key_monitored: true,
        budget: funds("100", "20.5"),
        executed: funds("10", "4.96"),
        execution_rate: RateTotals {
            fiscal: Some("10.00".into()),
            union: Some("24.20".into()),
            total: Some("12.41".into()),
        },
        overall_completion_rate: Some("40.00".into()),
        goal_light: Some(Light::Red),
        warning: Some(Light::Red),
        reasons: vec![
            ReasonFigure {
                code: ReasonCode::ExecutionBehindTime,
                light: Light::Red,
                value: Some("24.83".into()),
                threshold: Some("60".into()),
                indicator_id: None,
                detail: None,
            },
            ReasonFigure {
                code: ReasonCode::ComplianceProblem,
                light: Light::Red,
                value: None,
                threshold: None,
                indicator_id: None,
                detail: Some("misappropriation".into()),
            },
        ],
        outlook: None,
        submission_id: Some(Uuid::from_u128(3)),
        status: "submitted".into(),
        late: false,
        open_corrective_actions: 2,
        overdue_corrective_actions: 1,
        active_measures: vec!["suspend_payment".into()],
        payment_status: "suspended".into(),
    };
    Report {
        period: ReportPeriod {
            id: Uuid::from_u128(9),
            year: 2026,
            kind: PeriodKind::H1,
            name: "2026年上半年预算绩效运行监控".into(),
            as_of: d(6, 30),
            submission_deadline: d(7, 10),
            report_deadline: d(7, 31),
            status: PeriodStatus::Open,
        },
        generated_at: "2026-07-20T02:03:04.123456Z"
            .parse::<DateTime<Utc>>()
            .unwrap(),
        published: false,
        unit_id: None,
        time_progress: "50.00".into(),
        forms: FormCounts {
            expected: 2,
            submitted: 1,
            missing: 1,
            ..Default::default()
        },
        budget: funds("100", "20.5"),
        reported_budget: funds("100", "20.5"),
        executed: funds("10", "4.96"),
        not_reported: funds("0", "0"),
        of_which: Default::default(),
        execution_rate: red.execution_rate.clone(),
        budget_light: Some(Light::Red),
        warnings: WarningCounts {
            red: 1,
            no_form: 1,
            ..Default::default()
        },
        units: vec![UnitRow {
            unit_id: unit,
            unit_code: "ZZB".into(),
            unit_name: "组织部".into(),
            items: 2,
            forms: 1,
            forms_missing: 1,
            budget: funds("100", "20.5"),
            reported_budget: funds("100", "20.5"),
            executed: funds("10", "4.96"),
            not_reported: funds("0", "0"),
            of_which: Default::default(),
            execution_rate: Some("12.41".into()),
            worst_light: Some(Light::Red),
        }],
        compliance_problems: vec![ComplianceRow {
            unit_id: unit,
            unit_code: "ZZB".into(),
            item_id: item,
            item_name: red.item_name.clone(),
            check: "misappropriation".into(),
            note: Some("培训经费用于购置办公设备".into()),
        }],
        overdue_corrective_actions: vec![OverdueRow {
            id: Uuid::from_u128(4),
            unit_id: unit,
            unit_code: "ZZB".into(),
            item_id: item,
            item_name: red.item_name.clone(),
            measure: "收回挪用资金".into(),
            owner: "张华".into(),
            due_date: d(7, 15),
            status: "in_progress".into(),
            source: "finance".into(),
        }],
        items: vec![red],
    }
}

fn part(docx: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// The document's text without its markup.
fn text(xml: &str) -> String {
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

#[test]
fn the_same_report_gives_the_same_bytes_on_any_thread_at_any_time() {
    let r = report();
    let first = docx(&r).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let r2 = r.clone();
    let other_thread = std::thread::spawn(move || docx(&r2).unwrap())
        .join()
        .unwrap();
    assert_eq!(first, docx(&r).unwrap());
    assert_eq!(first, other_thread);
    let core = part(&first, "docProps/core.xml");
    assert!(core.contains("2026-07-20T02:03:04Z"), "{core}");
    let mut zip = zip::ZipArchive::new(Cursor::new(&first)).unwrap();
    let entry = zip.by_name("word/document.xml").unwrap();
    assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
    let t = entry.last_modified().unwrap();
    assert_eq!((t.year(), t.month(), t.day(), t.hour()), (2026, 7, 20, 2));
}

#[test]
fn the_document_has_word_headings_tables_and_the_red_item_with_its_reasons() {
    let d = docx(&report()).unwrap();
    let xml = part(&d, "word/document.xml");
    let body = text(&xml);
    for expected in [
        "2026年上半年预算绩效运行监控报告",
        "一、总体情况",
        "二、预算执行情况",
        "三、绩效监控预警情况",
        "四、合规性检查发现的问题",
        "五、纠偏措施落实情况",
        "六、已采取的措施",
        "七、各单位情况",
        "120.50",
        "14.96",
        "12.41",
        "1. 组织部“职工技能培训项目”",
        "预算执行率12.41%，仅为序时进度（50.00%）的24.83%，低于60%的红灯标准",
        "合规性检查发现“挤占挪用”问题",
        "暂缓付款",
        "收回挪用资金",
        "培训经费用于购置办公设备",
    ] {
        assert!(body.contains(expected), "{expected} not in {body}");
    }
    assert!(xml.contains(r#"<w:pStyle w:val="Heading1" />"#));
    // The body took the placeholder's place, inside the body and before the section's layout.
    assert!(!xml.contains("7FFFFFFF"));
    let (body, section) = (
        xml.find("<w:body>").unwrap(),
        xml.find("<w:sectPr").unwrap(),
    );
    let title = xml.find("2026年上半年预算绩效运行监控报告").unwrap();
    let last = xml.rfind("财务部").unwrap();
    assert!(body < title && last < section && section < xml.find("</w:body>").unwrap());
    assert_eq!(xml.matches("<w:tbl>").count(), 4, "four tables");
    let styles = part(&d, "word/styles.xml");
    assert!(
        styles.contains(r#"<w:name w:val="heading 1" />"#),
        "{styles}"
    );
    // Paragraph ids are unique within the document.
    let ids: Vec<&str> = xml
        .split("w14:paraId=\"")
        .skip(1)
        .map(|s| &s[..8])
        .collect();
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len());
}
