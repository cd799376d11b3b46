//! 汇总: the report's first sheet — the period, the money totals with the execution rate and
//! budget light, the forms by status and the items by warning.

use rust_xlsxwriter::{Workbook, Worksheet, XlsxError};

use super::cells::{write, Cell, Styles};
use super::table::{col, heading, print_setup, sub, Column, Widths};
use crate::report::labels::Label;
use crate::report::Report;

/// The rows of 预算数, 执行数 and 未报送预算 (fiscal, union and total in columns 1–3): the
/// money chart reads them.
pub const MONEY_ROWS: (u32, u32) = (8, 10);

const LAST_COL: u16 = 3;

fn money_columns() -> [Column; 4] {
    let g = "一、预算执行情况";
    [
        Column {
            group: Some(g),
            ..col("项目", 20.0)
        },
        sub(g, "财政资金"),
        sub(g, "工会经费"),
        sub(g, "合计"),
    ]
}

/// The period and the report's state, as (label, value) pairs two to a row.
fn info(r: &Report) -> Vec<[(&'static str, Cell<'_>); 2]> {
    let scope = match r.unit_id {
        Some(id) => r
            .units
            .iter()
            .find(|u| u.unit_id == id)
            .map(|u| u.unit_name.clone())
            .unwrap_or_default(),
        None => "全部单位".into(),
    };
    let state = if r.published {
        "已发布（已冻结）"
    } else {
        "未发布（实时数据）"
    };
    vec![
        [
            ("数据截止日", Cell::Date(r.period.as_of)),
            ("序时进度", Cell::Rate(Some(&r.time_progress))),
        ],
        [
            ("报送截止日", Cell::Date(r.period.submission_deadline)),
            ("报告截止日", Cell::Date(r.period.report_deadline)),
        ],
        [
            ("监控期状态", Cell::label(r.period.status.label())),
            ("报告状态", Cell::label(state)),
        ],
        [
            ("监控类型", Cell::label(r.period.kind.label())),
            ("范围", Cell::label(scope)),
        ],
    ]
}

/// The money rows: label, fiscal, union, total.
fn money_rows(r: &Report) -> Vec<[Cell<'_>; 4]> {
    let funds = |label: &'static str, f: &crate::report::FundTotals| {
        [
            Cell::text(label),
            Cell::Money(f.fiscal),
            Cell::Money(f.union),
            Cell::Money(f.total),
        ]
    };
    vec![
        funds("预算数", &r.budget),
        funds("执行数", &r.executed),
        funds("未报送预算", &r.not_reported),
        funds("已报送预算", &r.reported_budget),
        [
            Cell::text("执行率（执行数÷已报送预算）"),
            Cell::rate(&r.execution_rate.fiscal),
            Cell::rate(&r.execution_rate.union),
            Cell::rate(&r.execution_rate.total),
        ],
        funds("其中：专项资金预算", &r.of_which.special_funds.budget),
        funds("　　　专项资金执行数", &r.of_which.special_funds.executed),
        funds("其中：项目预算", &r.of_which.projects.budget),
        funds("　　　项目执行数", &r.of_which.projects.executed),
    ]
}

fn form_rows(r: &Report) -> Vec<(&'static str, i64)> {
    let f = &r.forms;
    vec![
        ("应报表数", f.expected),
        ("已报送（待审核）", f.submitted),
        ("已审核", f.accepted),
        ("已退回", f.returned),
        ("草稿", f.draft),
        ("未报送", f.missing),
        ("其中逾期报送", f.late),
    ]
}

fn warning_rows(r: &Report) -> Vec<(&'static str, Option<crate::domain::monitoring::Light>, i64)> {
    use crate::domain::monitoring::Light::*;
    let w = &r.warnings;
    vec![
        ("红灯", Some(Red), w.red),
        ("黄灯", Some(Yellow), w.yellow),
        ("绿灯", Some(Green), w.green),
        ("未填报", None, w.no_form),
        ("合规性问题", None, r.compliance_problems.len() as i64),
        (
            "逾期纠偏措施",
            None,
            r.overdue_corrective_actions.len() as i64,
        ),
    ]
}

/// 汇总.
pub fn summary(wb: &mut Workbook, r: &Report) -> Result<(), XlsxError> {
    let st = Styles::new();
    let cols = money_columns();
    let widths = widths(r, &cols);
    let ws = wb.add_worksheet().set_name("汇总")?;
    for (c, w) in widths.into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    let title = if r.period.name.ends_with("报告") {
        r.period.name.clone()
    } else {
        format!("{}报告", r.period.name)
    };
    ws.set_row_height(0, 32)?;
    ws.merge_range(0, 0, 0, LAST_COL, &title, &st.title)?;
    write_info(ws, r, &st)?;
    let light_row = write_money(ws, r, &cols, &st)?;
    write_counts(ws, r, light_row + 2, &st)?;
    print_setup(ws, "汇总", &r.period.name, None)
}

/// The columns' widths, from everything the sheet shows in them.
fn widths(r: &Report, cols: &[Column]) -> Vec<f64> {
    let mut widths = Widths::new(cols);
    for row in money_rows(r) {
        widths.add(&row);
    }
    for pair in info(r) {
        let [(a, x), (c, y)] = pair;
        widths.add(&[Cell::text(a), x, Cell::text(c), y]);
    }
    for (label, _) in form_rows(r) {
        widths.add(&[Cell::text(label)]);
    }
    for (label, _, _) in warning_rows(r) {
        widths.add(&[Cell::Count(0), Cell::Count(0), Cell::text(label)]);
    }
    widths.finish()
}

/// The period and the report's state below the title.
fn write_info(ws: &mut Worksheet, r: &Report, st: &Styles) -> Result<(), XlsxError> {
    for (k, pair) in info(r).into_iter().enumerate() {
        let row = 1 + k as u32;
        for (i, (label, value)) in pair.into_iter().enumerate() {
            let c = 2 * i as u16;
            ws.write_string_with_format(row, c, label, &st.head)?;
            write(ws, row, c + 1, &value, st, false)?;
        }
    }
    Ok(())
}

/// 一、预算执行情况: the money rows and the budget light below them. Returns the light's row.
fn write_money(
    ws: &mut Worksheet,
    r: &Report,
    cols: &[Column],
    st: &Styles,
) -> Result<u32, XlsxError> {
    heading(ws, MONEY_ROWS.0 - 2, 0, cols, st)?;
    let rows = money_rows(r);
    for (k, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            write(ws, MONEY_ROWS.0 + k as u32, c as u16, cell, st, false)?;
        }
    }
    let light_row = MONEY_ROWS.0 + rows.len() as u32 + 1;
    write(ws, light_row, 0, &Cell::text("预算执行灯"), st, false)?;
    match r.budget_light {
        Some(l) => ws.merge_range(light_row, 1, light_row, LAST_COL, l.label(), st.light(l))?,
        None => ws.merge_range(light_row, 1, light_row, LAST_COL, "—", &st.head)?,
    };
    Ok(light_row)
}

/// 二、填报情况 and 三、预警情况 side by side from row `top`.
fn write_counts(ws: &mut Worksheet, r: &Report, top: u32, st: &Styles) -> Result<(), XlsxError> {
    let forms = [col("事项", 20.0), col("表数", 8.0)].map(|c| Column {
        group: Some("二、填报情况"),
        ..c
    });
    let warnings = [col("事项", 20.0), col("项数", 8.0)].map(|c| Column {
        group: Some("三、预警情况"),
        ..c
    });
    heading(ws, top, 0, &forms, st)?;
    heading(ws, top, 2, &warnings, st)?;
    for (k, (label, n)) in form_rows(r).into_iter().enumerate() {
        let row = top + 2 + k as u32;
        write(ws, row, 0, &Cell::text(label), st, false)?;
        write(ws, row, 1, &Cell::Count(n), st, false)?;
    }
    for (k, (label, light, n)) in warning_rows(r).into_iter().enumerate() {
        let row = top + 2 + k as u32;
        match light {
            Some(l) => ws.write_string_with_format(row, 2, label, st.light(l))?,
            None => ws.write_string_with_format(row, 2, label, &st.head)?,
        };
        write(ws, row, 3, &Cell::Count(n), st, false)?;
    }
    Ok(())
}
