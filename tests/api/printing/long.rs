//! Long forms: whole on one page when typical, else at full width with the heading repeated.

use super::*;
use crate::helpers::*;
use crate::office::{office_available, seeded};
use budget_monitor::seed::{DemoSummary, DEMO_PASSWORD};
use serde_json::{json, Value};

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
    let reporter = app.session("bgs.reporter", DEMO_PASSWORD).await;
    let item = reporter.item(json!({"year": 2026, "kind": "special_fund",
        "name": format!("基层工会“职工之家”示范点建设及困难职工帮扶、疗休养和技能培训综合服务专项资金（{n}项指标{}）", if long { "，长" } else { "" }),
        "budget": {"fiscal": "123456789.123456", "union": "98765.5"}, "funding_source": "upper_union", "annual_goal": LONG_GOAL.repeat(texts)})).await.id;
    let mut values = Vec::new();
    for (k, body) in indicators(n, long).into_iter().enumerate() {
        let qualitative = body["direction"] == "qualitative";
        let i = reporter.indicator(item, body).await;
        let actual = match (qualitative, k % 2) {
            (true, 0) => "partly_achieved".to_string(),
            (true, _) => "achieved".to_string(),
            (false, _) => format!("{}", 975 + k),
        };
        values.push(json!({"indicator_id": i.id, "actual": actual}));
    }
    let form = reporter.form(json!({"period_id": summary.period_id, "item_id": item,
        "executed": {"fiscal": "61728394.561728", "union": "49382.75"},
        "goal_progress": LONG_PROGRESS.repeat(texts), "indicator_values": values,
        "deviation_analysis": LONG_DEVIATION.repeat(texts), "corrective_measures": LONG_MEASURES.repeat(texts),
        "signatures": {"unit_head": "欧阳建华", "supervising_leader": "司马志远", "date": "2026-07-08"}})).await;
    form.id.to_string()
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
