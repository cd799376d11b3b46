//! The second half of the report: compliance problems, corrective actions open and overdue,
//! the measures finance has taken, the table per unit and the next steps.

use std::collections::HashMap;

use uuid::Uuid;

use super::style::{Cell, Doc};
use super::words::*;
use crate::domain::monitoring::Light;
use crate::report::{ItemRow, Report};

/// Unit names by id, from the unit and item rows (compliance and overdue rows carry the code
/// only).
fn unit_names(r: &Report) -> HashMap<Uuid, &str> {
    let mut names: HashMap<Uuid, &str> = r
        .items
        .iter()
        .map(|i| (i.unit_id, i.unit_name.as_str()))
        .collect();
    names.extend(r.units.iter().map(|u| (u.unit_id, u.unit_name.as_str())));
    names
}

fn unit_name<'a>(names: &HashMap<Uuid, &'a str>, id: Uuid, code: &'a str) -> &'a str {
    names.get(&id).copied().unwrap_or(code)
}

/// 四、合规性检查发现的问题.
pub fn compliance(doc: &mut Doc, r: &Report) {
    doc.heading1("四、合规性检查发现的问题");
    if r.compliance_problems.is_empty() {
        doc.body(
            "各单位报送的监控表未反映无预算开支、超预算开支、挤占挪用、超标准配置资产等合规性问题。",
        );
        return;
    }
    let names = unit_names(r);
    doc.body(&format!(
        "各单位报送的监控表反映合规性问题{}项，均已列为红灯，须督促整改落实：",
        r.compliance_problems.len()
    ));
    for (n, c) in r.compliance_problems.iter().enumerate() {
        let note = c
            .note
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| format!("，{}", s.trim().trim_end_matches('。')))
            .unwrap_or_default();
        doc.lead(
            &format!(
                "{}. {}“{}”",
                n + 1,
                unit_name(&names, c.unit_id, &c.unit_code),
                c.item_name
            ),
            &format!("：{}{note}。", docx_check(&c.check)),
        );
    }
}

/// 五、纠偏措施落实情况: open and overdue corrective actions, the overdue ones in a table.
pub fn corrective_actions(doc: &mut Doc, r: &Report) {
    doc.heading1("五、纠偏措施落实情况");
    let open: i64 = r.items.iter().map(|i| i.open_corrective_actions).sum();
    let overdue = &r.overdue_corrective_actions;
    if open == 0 && overdue.is_empty() {
        doc.body("本期无未完成的纠偏措施。");
        return;
    }
    doc.body(&format!(
        "针对监控发现的偏差，各单位和财务部提出的纠偏措施中尚未完成{open}项，\
         其中已超过完成时限{}项。",
        overdue.len()
    ));
    if overdue.is_empty() {
        return;
    }
    let names = unit_names(r);
    let rows = overdue
        .iter()
        .map(|o| {
            vec![
                Cell::Text(unit_name(&names, o.unit_id, &o.unit_code).to_string()),
                Cell::Text(o.item_name.clone()),
                Cell::Text(o.measure.clone()),
                Cell::Text(o.owner.clone()),
                Cell::Text(docx_date(o.due_date)),
                Cell::Text(format!(
                    "{}（{}）",
                    docx_action_status(&o.status),
                    docx_action_source(&o.source)
                )),
            ]
        })
        .collect();
    doc.table(
        "表3  逾期未完成的纠偏措施",
        &[1300, 1600, 2345, 900, 1300, 1400],
        &[
            "单位",
            "项目（资金）",
            "纠偏措施",
            "责任人",
            "完成时限",
            "状态",
        ],
        rows,
        false,
    );
}

/// 六、已采取的措施 (Art. 14): every item with an active measure.
pub fn measures(doc: &mut Doc, r: &Report) {
    doc.heading1("六、已采取的措施");
    let with: Vec<&ItemRow> = r
        .items
        .iter()
        .filter(|i| !i.active_measures.is_empty())
        .collect();
    if with.is_empty() {
        doc.body("本期未对项目（资金）采取暂缓或停止付款、调整预算、调整绩效目标指标等措施。");
        return;
    }
    doc.body(&format!(
        "根据监控结果，财务部按程序对{}个项目（资金）采取了措施：",
        with.len()
    ));
    for (n, i) in with.iter().enumerate() {
        let m: Vec<String> = i.active_measures.iter().map(|m| docx_measure(m)).collect();
        doc.lead(
            &format!("{}. {}“{}”", n + 1, i.unit_name, i.item_name),
            &format!("：{}。", m.join("、")),
        );
    }
}

/// 七、各单位情况: one row per unit and the total.
pub fn units(doc: &mut Doc, r: &Report) {
    doc.heading1("七、各单位情况");
    doc.body(&format!(
        "各单位预算执行和预警情况见表4。表中“预警”为该单位所有项目（资金）中最严重的预警灯，\
         “未填报”表示该单位尚无已填写的监控表。共{}个单位。",
        r.units.len()
    ));
    let mut rows: Vec<Vec<Cell>> = r
        .units
        .iter()
        .map(|u| {
            vec![
                Cell::Text(u.unit_name.clone()),
                Cell::Num(docx_money(u.budget.total)),
                Cell::Num(docx_money(u.executed.total)),
                Cell::Num(docx_rate(u.execution_rate.as_deref())),
                Cell::Num(docx_money(u.not_reported.total)),
                match u.worst_light {
                    Some(Light::Red) => Cell::Alarm(docx_light(u.worst_light).into()),
                    l => Cell::Mid(docx_light(l).into()),
                },
            ]
        })
        .collect();
    rows.push(vec![
        Cell::Text("合计".into()),
        Cell::Num(docx_money(r.budget.total)),
        Cell::Num(docx_money(r.executed.total)),
        Cell::Num(docx_rate(r.execution_rate.total.as_deref())),
        Cell::Num(docx_money(r.not_reported.total)),
        Cell::Text(String::new()),
    ]);
    doc.table(
        "表4  各单位预算执行情况（万元）",
        &[2445, 1500, 1500, 1100, 1500, 800],
        &[
            "单位",
            "预算数",
            "执行数",
            "执行率（%）",
            "未报送预算",
            "预警",
        ],
        rows,
        true,
    );
}

/// 八、下一步工作建议, from what the report found; finance completes it.
pub fn next_steps(doc: &mut Doc, r: &Report) {
    doc.heading1("八、下一步工作建议");
    let red = r.warnings.red;
    let overdue = r.overdue_corrective_actions.len();
    let mut steps: Vec<(&str, String)> = vec![];
    let mut rectify = vec![];
    if red > 0 {
        rectify.push(format!(
            "对{red}个红灯项目（资金），督促相关单位深入分析偏差原因，落实纠偏措施"
        ));
    }
    if overdue > 0 {
        rectify.push(format!(
            "对{overdue}项逾期未完成的纠偏措施，督促责任人限期完成并报财务部核验"
        ));
    }
    if !rectify.is_empty() {
        steps.push(("督促整改。", format!("{}。", rectify.join("；"))));
    }
    let unfiled = r.forms.missing + r.forms.draft + r.forms.returned;
    if unfiled > 0 {
        steps.push((
            "催报补报。",
            format!(
                "对尚未填报、仍在填写或退回修改的{unfiled}份监控表，督促相关单位尽快报送，\
                 及时纳入监控分析。"
            ),
        ));
    }
    let yellow = r.warnings.yellow;
    if yellow > 0 {
        steps.push((
            "跟踪督导。",
            format!("对{yellow}个黄灯项目（资金）加强跟踪，防止进一步滞后。"),
        ));
    }
    steps.push((
        "结果应用。",
        "将绩效监控结果作为以后年度预算安排的参考；对预算执行明显偏离绩效目标、大幅落后进度要求\
         或预计难以完成绩效目标的，按程序采取暂缓或停止付款、调整预算、调整绩效目标指标等措施。"
            .into(),
    ));
    const ORDINALS: [&str; 4] = ["（一）", "（二）", "（三）", "（四）"];
    for ((lead, text), n) in steps.iter().zip(ORDINALS) {
        doc.lead(&format!("{n}{lead}"), text);
    }
    doc.body("");
    doc.sign("财务部");
    doc.sign(&format!("{}年  月  日", r.period.year));
}
