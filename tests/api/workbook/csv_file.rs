//! The report's CSV: one Chinese heading row and Chinese labels.

use super::*;
use crate::helpers::*;
use crate::office::seeded;
use budget_monitor::seed::DEMO_PASSWORD;

#[tokio::test]
async fn the_csv_has_one_chinese_heading_row_and_chinese_labels() {
    let app = spawn_app().await;
    let summary = seeded(&app).await;
    let finance = app.login("finance", DEMO_PASSWORD).await;
    let csv = download(&app, &finance, &summary, "csv").await;
    assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF]);
    let mut reader = csv::Reader::from_reader(&csv[3..]);
    let heading: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    for h in [
        "单位编码",
        "预算数-合计",
        "执行数-财政资金",
        "执行率-合计(%)",
        "预警原因",
        "付款状态",
    ] {
        assert!(heading.iter().any(|x| x == h), "{h} in {heading:?}");
    }
    assert!(heading.iter().all(|h| !english(h)), "{heading:?}");
    let at = |name: &str| heading.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 14);
    for r in &rows {
        assert!(LIGHTS.contains(&&r[at("预警灯-综合预警")]));
        assert!(STATUSES.contains(&&r[at("填报-状态")]));
        assert!(["确定能", "有可能", "完全不可能", ""].contains(&&r[at("全年目标预期")]));
        for name in [
            "类型",
            "重点监控",
            "预警原因",
            "监控措施",
            "付款状态",
            "填报-逾期",
        ] {
            assert!(!english(&r[at(name)]), "{name}: {}", &r[at(name)]);
        }
        // Amounts stay exact text.
        assert!(
            r[at("预算数-合计")].ends_with(".000000"),
            "{}",
            &r[at("预算数-合计")]
        );
    }
    assert!(rows
        .iter()
        .any(|r| r[at("预警原因")].contains("；绩效指标完成滞后：")));
}
