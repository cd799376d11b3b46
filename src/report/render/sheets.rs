//! The table sheets of the workbook — units, items, compliance problems, overdue corrective
//! actions — as columns and one function from a report row to its cells. The item table is
//! also the CSV.

use rust_xlsxwriter::{Workbook, XlsxError};

use super::cells::Cell;
use super::table::{col, sub, table, Column, Table};
use crate::domain::follow_through::{ActionSource, ActionStatus};
use crate::domain::item::PaymentStatus;
use crate::domain::submission::ComplianceCheck;
use crate::report::labels::{self, Label};
use crate::report::{FundTotals, ItemRow, Report, UnitRow};

const BUDGET: &str = "预算数";
const EXECUTED: &str = "执行数";
const RATE: &str = "执行率";
const NOT_REPORTED: &str = "未报送预算";

const fn funds(group: &'static str) -> [Column; 3] {
    [
        sub(group, "财政资金"),
        sub(group, "工会经费"),
        sub(group, "合计"),
    ]
}

fn fund_cells(f: &FundTotals) -> [Cell<'static>; 3] {
    [
        Cell::Money(f.fiscal),
        Cell::Money(f.union),
        Cell::Money(f.total),
    ]
}

/// Concatenates column runs into one array.
macro_rules! columns {
    ($($part:expr),+ $(,)?) => {{
        let mut v: Vec<Column> = Vec::new();
        $(v.extend($part);)+
        v
    }};
}

/// The item table's columns; indexes 3 (类型) and 6–8 (预算数) are read by clients, keep them.
pub fn item_columns() -> Vec<Column> {
    columns![
        [
            col("单位\n编码", 10.0),
            col("填报单位", 12.0),
            col("项目/资金名称", 20.0),
            col("类型", 8.0),
            col("表号", 4.0),
            col("重点\n监控", 8.0),
        ],
        funds(BUDGET),
        funds(EXECUTED),
        funds(RATE),
        [
            col("总体\n完成率", 10.0),
            sub("预警灯", "目标\n完成"),
            sub("预警灯", "综合\n预警"),
            col("预警原因", 30.0),
            col("全年目标\n预期", 10.0),
            sub("填报", "状态"),
            sub("填报", "逾期"),
            sub("纠偏措施", "未完成"),
            sub("纠偏措施", "逾期"),
            col("监控\n措施", 10.0),
            col("付款\n状态", 8.0),
        ],
    ]
}

/// Which item columns hold rates (for the CSV heading's `(%)`).
pub fn item_rate_columns() -> std::ops::RangeInclusive<usize> {
    12..=15
}

/// An item row's cells; `sep` joins its warning reasons.
pub fn item_cells<'a>(i: &'a ItemRow, sep: &str) -> Vec<Cell<'a>> {
    let mut v = vec![
        Cell::text(&i.unit_code),
        Cell::text(&i.unit_name),
        Cell::text(&i.item_name),
        Cell::label(i.kind.label()),
        Cell::Count(i.form.into()),
        Cell::label(labels::yes_no(i.key_monitored)),
    ];
    v.extend(fund_cells(&i.budget));
    v.extend(fund_cells(&i.executed));
    v.extend([
        Cell::rate(&i.execution_rate.fiscal),
        Cell::rate(&i.execution_rate.union),
        Cell::rate(&i.execution_rate.total),
        Cell::rate(&i.overall_completion_rate),
        Cell::Light(i.goal_light),
        Cell::Light(i.warning),
        Cell::text(labels::reasons(&i.reasons, sep)),
        Cell::label(i.outlook.map(|o| o.label()).unwrap_or_default()),
        Cell::label(labels::form_status(&i.status)),
        Cell::label(labels::yes_no(i.late)),
        Cell::Count(i.open_corrective_actions),
        Cell::Count(i.overdue_corrective_actions),
        Cell::label(labels::measures(&i.active_measures)),
        Cell::label(labels::of::<PaymentStatus>(&i.payment_status)),
    ]);
    v
}

fn unit_columns() -> Vec<Column> {
    columns![
        [
            col("单位\n编码", 10.0),
            col("填报单位", 20.0),
            sub("填报情况", "监控\n项目"),
            sub("填报情况", "已填报"),
            sub("填报情况", "未报送"),
        ],
        funds(BUDGET),
        funds(EXECUTED),
        funds(NOT_REPORTED),
        [col("执行率", 8.0), col("最严重\n预警", 6.0)],
    ]
}

fn unit_cells(u: &UnitRow) -> Vec<Cell<'_>> {
    let mut v = vec![
        Cell::text(&u.unit_code),
        Cell::text(&u.unit_name),
        Cell::Count(u.items),
        Cell::Count(u.forms),
        Cell::Count(u.forms_missing),
    ];
    v.extend(fund_cells(&u.budget));
    v.extend(fund_cells(&u.executed));
    v.extend(fund_cells(&u.not_reported));
    v.extend([Cell::rate(&u.execution_rate), Cell::Light(u.worst_light)]);
    v
}

/// 单位: one row per unit and the report's totals.
pub fn units(wb: &mut Workbook, r: &Report) -> Result<(), XlsxError> {
    let cols = unit_columns();
    let sum = |f: fn(&UnitRow) -> i64| r.units.iter().map(f).sum::<i64>();
    let mut totals = vec![
        Cell::text(""),
        Cell::text("合计"),
        Cell::Count(sum(|u| u.items)),
        Cell::Count(sum(|u| u.forms)),
        Cell::Count(sum(|u| u.forms_missing)),
    ];
    totals.extend(fund_cells(&r.budget));
    totals.extend(fund_cells(&r.executed));
    totals.extend(fund_cells(&r.not_reported));
    totals.extend([
        Cell::rate(&r.execution_rate.total),
        Cell::Light(crate::domain::monitoring::worst(
            r.units.iter().map(|u| u.worst_light),
        )),
    ]);
    let t = Table {
        name: "单位",
        title: "各单位预算执行情况",
        cols: &cols,
        freeze_cols: 2,
        empty: "无",
    };
    table(
        wb,
        &t,
        &r.period.name,
        &r.units,
        unit_cells,
        Some(totals),
        false,
    )
}

/// 项目: one row per item, streamed (a province has 15,000).
pub fn items(wb: &mut Workbook, r: &Report) -> Result<(), XlsxError> {
    let cols = item_columns();
    let t = Table {
        name: "项目",
        title: "项目（资金）绩效监控明细",
        cols: &cols,
        freeze_cols: 3,
        empty: "无",
    };
    table(
        wb,
        &t,
        &r.period.name,
        &r.items,
        |i| item_cells(i, "\n"),
        None,
        true,
    )
}

fn unit_name(r: &Report, unit: uuid::Uuid) -> &str {
    r.units
        .iter()
        .find(|u| u.unit_id == unit)
        .map(|u| u.unit_name.as_str())
        .unwrap_or_default()
}

/// 合规性问题: each problem a form reported.
pub fn compliance<'a>(wb: &mut Workbook, r: &'a Report) -> Result<(), XlsxError> {
    let cols = [
        col("单位编码", 10.0),
        col("填报单位", 20.0),
        col("项目/资金名称", 30.0),
        sub("发现的问题", "检查事项"),
        Column {
            max: 60.0,
            ..sub("发现的问题", "问题说明")
        },
    ];
    let t = Table {
        name: "合规性问题",
        title: "合规性检查发现的问题",
        cols: &cols,
        freeze_cols: 0,
        empty: "本期未发现合规性问题",
    };
    let cells = |c: &'a crate::report::ComplianceRow| {
        vec![
            Cell::text(&c.unit_code),
            Cell::text(unit_name(r, c.unit_id)),
            Cell::text(&c.item_name),
            Cell::label(labels::of::<ComplianceCheck>(&c.check)),
            Cell::text(c.note.as_deref().unwrap_or_default()),
        ]
    };
    let rows = &r.compliance_problems;
    table(wb, &t, &r.period.name, rows, cells, None, false)
}

/// 逾期纠偏措施: corrective actions past their due date.
pub fn overdue<'a>(wb: &mut Workbook, r: &'a Report) -> Result<(), XlsxError> {
    let cols = [
        col("单位编码", 10.0),
        col("填报单位", 20.0),
        col("项目/资金名称", 26.0),
        Column {
            max: 40.0,
            ..sub("纠偏措施", "措施")
        },
        sub("纠偏措施", "责任人"),
        sub("纠偏措施", "完成时限"),
        sub("纠偏措施", "状态"),
        sub("纠偏措施", "来源"),
    ];
    let t = Table {
        name: "逾期纠偏措施",
        title: "逾期未完成的纠偏措施",
        cols: &cols,
        freeze_cols: 0,
        empty: "本期无逾期纠偏措施",
    };
    let cells = |o: &'a crate::report::OverdueRow| {
        vec![
            Cell::text(&o.unit_code),
            Cell::text(unit_name(r, o.unit_id)),
            Cell::text(&o.item_name),
            Cell::text(&o.measure),
            Cell::label(&o.owner),
            Cell::Date(o.due_date),
            Cell::label(labels::of::<ActionStatus>(&o.status)),
            Cell::label(labels::of::<ActionSource>(&o.source)),
        ]
    };
    let rows = &r.overdue_corrective_actions;
    table(wb, &t, &r.period.name, rows, cells, None, false)
}
