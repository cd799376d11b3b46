//! The first half of the report: the title, the forms, the budget against time progress and
//! the items by light with each red one named and its reasons written out.

use rust_decimal::Decimal;

use super::style::{Cell, Doc};
use super::words::*;
use crate::domain::monitoring::{self, Light};
use crate::report::{FundTotals, ItemRow, Report};

/// Yellow items are named one by one up to this many; beyond it the count stands alone.
const YELLOW_NAMED: usize = 30;

/// The report's title: 2026年上半年预算绩效运行监控报告.
fn title(r: &Report) -> String {
    format!(
        "{}年{}预算绩效运行监控报告",
        r.period.year,
        docx_period_kind(r.period.kind)
    )
}

pub fn heading(doc: &mut Doc, r: &Report) {
    doc.title(&title(r));
    if r.published {
        doc.subtitle("（监控结果已发布）");
    } else {
        doc.subtitle("（初稿）");
    }
    doc.body(&format!(
        "根据预算绩效运行监控管理实施细则第十一条，财务部对“{}”各部门及事业单位报送的绩效监控情况表\
         进行了汇总分析，现将预算执行和绩效目标实现情况报告如下。金额单位均为万元。",
        r.period.name
    ));
}

/// 一、总体情况: the period, time progress and where the forms stand.
pub fn forms(doc: &mut Doc, r: &Report) {
    let f = &r.forms;
    doc.heading1("一、总体情况");
    doc.body(&format!(
        "本期监控数据截至{}，序时进度为{}%。监控表报送截止日为{}，监控报告应于{}前形成。",
        docx_date(r.period.as_of),
        r.time_progress,
        docx_date(r.period.submission_deadline),
        docx_date(r.period.report_deadline),
    ));
    doc.body(&format!(
        "本期应报送绩效监控情况表{}份，其中已审核通过{}份，已报送待审核{}份，已退回修改{}份，\
         尚在填写（草稿）{}份，未填报{}份；逾期报送或逾期未报{}份。",
        f.expected, f.accepted, f.submitted, f.returned, f.draft, f.missing, f.late
    ));
    let n = |v: i64| Cell::Mid(v.to_string());
    doc.table(
        "表1  监控表报送情况（份）",
        &[1265, 1265, 1263, 1263, 1263, 1263, 1263],
        &[
            "应报送",
            "已审核通过",
            "待审核",
            "已退回",
            "草稿",
            "未填报",
            "逾期",
        ],
        vec![vec![
            n(f.expected),
            n(f.accepted),
            n(f.submitted),
            n(f.returned),
            n(f.draft),
            n(f.missing),
            n(f.late),
        ]],
        false,
    );
}

/// Execution ÷ time progress × 100, the figure the budget light is judged on.
fn against_time(rate: Option<&str>, time_progress: &str) -> Option<String> {
    let rate: Decimal = rate?.parse().ok()?;
    let tp: Decimal = time_progress.parse().ok()?;
    if tp.is_zero() {
        return None;
    }
    Some(format!(
        "{:.2}",
        monitoring::round2(rate * Decimal::ONE_HUNDRED / tp)
    ))
}

/// 二、预算执行情况: budget, executed and rate against time progress by fund, with the budgets
/// not reported beside them.
pub fn budget(doc: &mut Doc, r: &Report) {
    doc.heading1("二、预算执行情况");
    doc.body(&execution(r));
    doc.body(&format!(
        "预算数按各单位部门整体支出预算计算，专项资金和项目包含在内、不重复计算（未编报部门整体\
         支出的单位按其专项资金和项目计算）。其中：专项资金预算{}万元、已执行{}万元；项目预算{}万元、\
         已执行{}万元。执行率按已报送的监控表计算，涉及预算{}万元。",
        docx_money(r.of_which.special_funds.budget.total),
        docx_money(r.of_which.special_funds.executed.total),
        docx_money(r.of_which.projects.budget.total),
        docx_money(r.of_which.projects.executed.total),
        docx_money(r.reported_budget.total),
    ));
    not_reported(doc, r);
    budget_table(doc, r);
}

/// The budget and what was executed by fund, the rate and how it stands against time progress.
fn execution(r: &Report) -> String {
    let rate = r.execution_rate.total.as_deref();
    let mut text = format!(
        "纳入本期监控的预算{}万元，其中财政资金{}万元、工会经费{}万元。截至{}，已执行{}万元，\
         其中财政资金{}万元、工会经费{}万元；预算执行率{}%",
        docx_money(r.budget.total),
        docx_money(r.budget.fiscal),
        docx_money(r.budget.union),
        docx_date(r.period.as_of),
        docx_money(r.executed.total),
        docx_money(r.executed.fiscal),
        docx_money(r.executed.union),
        docx_rate(rate),
    );
    match against_time(rate, &r.time_progress) {
        Some(v) => text.push_str(&format!(
            "，为序时进度（{}%）的{v}%，预算执行总体为{}。",
            r.time_progress,
            docx_light(r.budget_light)
        )),
        None => text.push('。'),
    }
    text
}

/// The budgets of the drafts and of the forms never filed, in all and within the special funds
/// and projects.
fn not_reported(doc: &mut Doc, r: &Report) {
    if r.not_reported.total.value().is_zero() {
        doc.body("纳入预算数的监控表均已报送，无未报送预算。");
    } else {
        doc.body(&format!(
            "上述预算中，草稿和未填报的监控表所涉预算{}万元（财政资金{}万元、工会经费{}万元）列为\
             未报送预算，其执行情况尚未报送，待各单位报送后纳入分析。",
            docx_money(r.not_reported.total),
            docx_money(r.not_reported.fiscal),
            docx_money(r.not_reported.union),
        ));
    }
    let within =
        r.of_which.special_funds.not_reported.total + r.of_which.projects.not_reported.total;
    if !within.value().is_zero() {
        doc.body(&format!(
            "专项资金和项目中，草稿和未填报的监控表所涉预算{}万元（已含在上述预算内，不另计），\
             其执行情况尚未报送。",
            docx_money(within),
        ));
    }
}

/// 表2: budget, executed, rate, time progress and not reported, by fund and in all.
fn budget_table(doc: &mut Doc, r: &Report) {
    let rates = [
        &r.execution_rate.fiscal,
        &r.execution_rate.union,
        &r.execution_rate.total,
    ];
    let of = |f: &FundTotals, i: usize| Cell::Num(docx_money([f.fiscal, f.union, f.total][i]));
    let rows = ["财政资金", "工会经费", "合计"]
        .iter()
        .enumerate()
        .map(|(i, label)| {
            vec![
                Cell::Text(label.to_string()),
                of(&r.budget, i),
                of(&r.executed, i),
                Cell::Num(docx_rate(rates[i].as_deref())),
                Cell::Num(r.time_progress.clone()),
                of(&r.not_reported, i),
            ]
        })
        .collect();
    doc.table(
        "表2  预算执行情况（万元）",
        &[1445, 1700, 1700, 1200, 1100, 1700],
        &[
            "资金",
            "预算数",
            "执行数",
            "执行率（%）",
            "序时进度（%）",
            "未报送预算",
        ],
        rows,
        true,
    );
}

/// 1. 某单位“某项目”（专项资金）：预算…，执行…。预警原因：…。
fn red_item(doc: &mut Doc, n: usize, i: &ItemRow, time_progress: &str) {
    let lead = format!("{n}. {}“{}”", i.unit_name, i.item_name);
    let mut text = format!(
        "（{}{}）：预算{}万元，已执行{}万元，执行率{}%。",
        docx_item_kind(i.kind),
        if i.key_monitored {
            "，重点监控"
        } else {
            ""
        },
        docx_money(i.budget.total),
        docx_money(i.executed.total),
        docx_rate(i.execution_rate.total.as_deref()),
    );
    let reasons = docx_reasons(&i.reasons, i.execution_rate.total.as_deref(), time_progress);
    if !reasons.is_empty() {
        text.push_str(&format!("预警原因：{}。", reasons.join("；")));
    }
    if !i.active_measures.is_empty() {
        let m: Vec<String> = i.active_measures.iter().map(|m| docx_measure(m)).collect();
        text.push_str(&format!("财务部已采取{}措施。", m.join("、")));
    }
    if i.open_corrective_actions > 0 {
        text.push_str(&format!("未完成的纠偏措施{}项", i.open_corrective_actions));
        if i.overdue_corrective_actions > 0 {
            text.push_str(&format!("，其中逾期{}项", i.overdue_corrective_actions));
        }
        text.push('。');
    }
    doc.lead(&lead, &text);
}

/// 三、绩效监控预警情况: the items by light, each red one named with its reasons.
pub fn lights(doc: &mut Doc, r: &Report) {
    let w = &r.warnings;
    doc.heading1("三、绩效监控预警情况");
    doc.body(&format!(
        "纳入本期监控的项目（资金）{}个，其中红灯{}个、黄灯{}个、绿灯{}个，未填报{}个。\
         红灯表示预算执行或绩效目标完成严重滞后于序时进度、预计全年目标无法实现或存在合规性问题，\
         须重点督促整改；黄灯表示进度有所滞后，须加强跟踪。",
        r.forms.expected, w.red, w.yellow, w.green, w.no_form
    ));
    doc.heading2("（一）红灯项目");
    let red: Vec<&ItemRow> = r
        .items
        .iter()
        .filter(|i| i.warning == Some(Light::Red))
        .collect();
    if red.is_empty() {
        doc.body("本期无红灯项目。");
    }
    for (n, i) in red.iter().enumerate() {
        red_item(doc, n + 1, i, &r.time_progress);
    }
    doc.heading2("（二）黄灯项目");
    let yellow: Vec<String> = r
        .items
        .iter()
        .filter(|i| i.warning == Some(Light::Yellow))
        .map(|i| format!("{}“{}”", i.unit_name, i.item_name))
        .collect();
    if yellow.is_empty() {
        doc.body("本期无黄灯项目。");
    } else if yellow.len() <= YELLOW_NAMED {
        doc.body(&format!(
            "黄灯项目{}个：{}。",
            yellow.len(),
            yellow.join("、")
        ));
    } else {
        doc.body(&format!(
            "黄灯项目{}个，名单见监控数据明细表。",
            yellow.len()
        ));
    }
}
