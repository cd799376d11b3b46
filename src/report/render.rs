//! The report as CSV (the item rows, UTF-8 with a BOM so Excel reads the Chinese text) and as
//! XLSX (sheets: summary, units, items, compliance, overdue actions; money as numbers).

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{FundTotals, Report};
use crate::domain::Total;

const ITEM_HEADINGS: [&str; 25] = [
    "单位编码",
    "填报单位",
    "项目/资金名称",
    "类型",
    "表号",
    "重点监控",
    "预算数-财政资金",
    "预算数-工会经费",
    "预算数-合计",
    "执行数-财政资金",
    "执行数-工会经费",
    "执行数-合计",
    "执行率-财政资金(%)",
    "执行率-工会经费(%)",
    "执行率-合计(%)",
    "总体完成率(%)",
    "目标完成灯",
    "预警",
    "预警原因",
    "全年目标预期",
    "填报状态",
    "逾期报送",
    "未完成纠偏措施",
    "逾期纠偏措施",
    "付款状态",
];

fn kind_label(k: &crate::domain::item::ItemKind) -> &'static str {
    match k {
        crate::domain::item::ItemKind::Overall => "整体",
        crate::domain::item::ItemKind::SpecialFund => "专项资金",
        crate::domain::item::ItemKind::Project => "项目",
    }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn light(l: &Option<crate::domain::monitoring::Light>) -> String {
    l.map(|l| l.to_string()).unwrap_or_default()
}

/// The item rows as CSV.
pub fn csv(r: &Report) -> Result<Vec<u8>, csv::Error> {
    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(ITEM_HEADINGS)?;
        for i in &r.items {
            let reasons: Vec<String> = i.reasons.iter().map(|x| x.code.to_string()).collect();
            w.write_record([
                i.unit_code.clone(),
                i.unit_name.clone(),
                i.item_name.clone(),
                kind_label(&i.kind).to_string(),
                i.form.to_string(),
                if i.key_monitored { "是" } else { "否" }.to_string(),
                i.budget.fiscal.to_string(),
                i.budget.union.to_string(),
                i.budget.total.to_string(),
                i.executed.fiscal.to_string(),
                i.executed.union.to_string(),
                i.executed.total.to_string(),
                opt(&i.execution_rate.fiscal),
                opt(&i.execution_rate.union),
                opt(&i.execution_rate.total),
                opt(&i.overall_completion_rate),
                light(&i.goal_light),
                light(&i.warning),
                reasons.join(";"),
                i.outlook.map(|o| o.to_string()).unwrap_or_default(),
                i.status.clone(),
                if i.late { "是" } else { "否" }.to_string(),
                i.open_corrective_actions.to_string(),
                i.overdue_corrective_actions.to_string(),
                i.payment_status.clone(),
            ])?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// A money cell: a number where a spreadsheet number holds it exactly (up to 15 significant
/// digits, as Excel keeps), otherwise the exact decimal as text, so no cell shows a rounded
/// total. The JSON and CSV carry the exact text always.
fn write_money(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    a: Total,
    fmt: &Format,
) -> Result<(), XlsxError> {
    let v = a.value().normalize();
    let digits = v.mantissa().unsigned_abs().to_string().len();
    match v.to_string().parse::<f64>() {
        Ok(n) if digits <= 15 => ws.write_number_with_format(row, col, n, fmt)?,
        _ => {
            let right = fmt.clone().set_align(rust_xlsxwriter::FormatAlign::Right);
            ws.write_string_with_format(row, col, a.to_string(), &right)?
        }
    };
    Ok(())
}

fn rate(s: &Option<String>) -> Option<f64> {
    s.as_deref().and_then(|x| x.parse().ok())
}

fn write_funds(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    f: &FundTotals,
    fmt: &Format,
) -> Result<(), XlsxError> {
    write_money(ws, row, col, f.fiscal, fmt)?;
    write_money(ws, row, col + 1, f.union, fmt)?;
    write_money(ws, row, col + 2, f.total, fmt)?;
    Ok(())
}

fn headings(ws: &mut Worksheet, names: &[&str], bold: &Format) -> Result<(), XlsxError> {
    for (c, h) in names.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The report as an XLSX workbook.
pub fn xlsx(r: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let money_fmt = Format::new().set_num_format("#,##0.00####");
    let pct_fmt = Format::new().set_num_format("0.00");

    let ws = wb.add_worksheet().set_name("汇总")?;
    let mut row = 0;
    let mut put = |ws: &mut Worksheet, label: &str, value: &str| -> Result<(), XlsxError> {
        ws.write_string_with_format(row, 0, label, &bold)?;
        ws.write_string(row, 1, value)?;
        row += 1;
        Ok(())
    };
    put(ws, "监控期", &r.period.name)?;
    put(ws, "数据截止日", &r.period.as_of.to_string())?;
    put(ws, "序时进度(%)", &r.time_progress)?;
    put(ws, "应报表数", &r.forms.expected.to_string())?;
    put(ws, "已报送(待审)", &r.forms.submitted.to_string())?;
    put(ws, "已审核通过", &r.forms.accepted.to_string())?;
    put(ws, "已退回", &r.forms.returned.to_string())?;
    put(ws, "草稿", &r.forms.draft.to_string())?;
    put(ws, "未报送", &r.forms.missing.to_string())?;
    put(ws, "逾期报送", &r.forms.late.to_string())?;
    put(ws, "红灯", &r.warnings.red.to_string())?;
    put(ws, "黄灯", &r.warnings.yellow.to_string())?;
    put(ws, "绿灯", &r.warnings.green.to_string())?;
    put(ws, "预算执行灯", &light(&r.budget_light))?;
    let start = row + 1;
    ws.write_string_with_format(start, 0, "单位：万元", &bold)?;
    for (c, h) in ["", "财政资金", "工会经费", "合计"].iter().enumerate() {
        ws.write_string_with_format(start + 1, c as u16, *h, &bold)?;
    }
    ws.write_string(start + 2, 0, "预算数")?;
    write_funds(ws, start + 2, 1, &r.budget, &money_fmt)?;
    ws.write_string(start + 3, 0, "执行数")?;
    write_funds(ws, start + 3, 1, &r.executed, &money_fmt)?;
    ws.write_string(start + 4, 0, "执行率(%)")?;
    for (c, v) in [
        &r.execution_rate.fiscal,
        &r.execution_rate.union,
        &r.execution_rate.total,
    ]
    .iter()
    .enumerate()
    {
        if let Some(x) = rate(v) {
            ws.write_number_with_format(start + 4, c as u16 + 1, x, &pct_fmt)?;
        }
    }
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 40)?;

    let ws = wb.add_worksheet().set_name("单位")?;
    headings(
        ws,
        &[
            "单位编码",
            "填报单位",
            "项目数",
            "已填报",
            "未报送",
            "预算数-财政资金",
            "预算数-工会经费",
            "预算数-合计",
            "执行数-财政资金",
            "执行数-工会经费",
            "执行数-合计",
            "执行率(%)",
            "最严重预警",
        ],
        &bold,
    )?;
    for (n, u) in r.units.iter().enumerate() {
        let row = n as u32 + 1;
        ws.write_string(row, 0, &u.unit_code)?;
        ws.write_string(row, 1, &u.unit_name)?;
        ws.write_number(row, 2, u.items as f64)?;
        ws.write_number(row, 3, u.forms as f64)?;
        ws.write_number(row, 4, u.forms_missing as f64)?;
        write_funds(ws, row, 5, &u.budget, &money_fmt)?;
        write_funds(ws, row, 8, &u.executed, &money_fmt)?;
        if let Some(x) = rate(&u.execution_rate) {
            ws.write_number_with_format(row, 11, x, &pct_fmt)?;
        }
        ws.write_string(row, 12, light(&u.worst_light))?;
    }

    // One row per item: a province has 15,000. Written row by row with only the current row
    // and the shared strings in memory (the rest goes to a temporary file).
    let ws = wb.add_worksheet_with_low_memory()?.set_name("项目")?;
    headings(ws, &ITEM_HEADINGS, &bold)?;
    for (n, i) in r.items.iter().enumerate() {
        let row = n as u32 + 1;
        ws.write_string(row, 0, &i.unit_code)?;
        ws.write_string(row, 1, &i.unit_name)?;
        ws.write_string(row, 2, &i.item_name)?;
        ws.write_string(row, 3, kind_label(&i.kind))?;
        ws.write_number(row, 4, i.form as f64)?;
        ws.write_string(row, 5, if i.key_monitored { "是" } else { "否" })?;
        write_funds(ws, row, 6, &i.budget, &money_fmt)?;
        write_funds(ws, row, 9, &i.executed, &money_fmt)?;
        for (c, v) in [
            &i.execution_rate.fiscal,
            &i.execution_rate.union,
            &i.execution_rate.total,
            &i.overall_completion_rate,
        ]
        .iter()
        .enumerate()
        {
            if let Some(x) = rate(v) {
                ws.write_number_with_format(row, 12 + c as u16, x, &pct_fmt)?;
            }
        }
        ws.write_string(row, 16, light(&i.goal_light))?;
        ws.write_string(row, 17, light(&i.warning))?;
        let reasons: Vec<String> = i.reasons.iter().map(|x| x.code.to_string()).collect();
        ws.write_string(row, 18, reasons.join(";"))?;
        ws.write_string(
            row,
            19,
            i.outlook.map(|o| o.to_string()).unwrap_or_default(),
        )?;
        ws.write_string(row, 20, &i.status)?;
        ws.write_string(row, 21, if i.late { "是" } else { "否" })?;
        ws.write_number(row, 22, i.open_corrective_actions as f64)?;
        ws.write_number(row, 23, i.overdue_corrective_actions as f64)?;
        ws.write_string(row, 24, &i.payment_status)?;
    }

    let ws = wb.add_worksheet().set_name("合规性问题")?;
    headings(
        ws,
        &["单位编码", "项目/资金名称", "检查事项", "说明"],
        &bold,
    )?;
    for (n, c) in r.compliance_problems.iter().enumerate() {
        let row = n as u32 + 1;
        ws.write_string(row, 0, &c.unit_code)?;
        ws.write_string(row, 1, &c.item_name)?;
        ws.write_string(row, 2, &c.check)?;
        ws.write_string(row, 3, c.note.clone().unwrap_or_default())?;
    }

    let ws = wb.add_worksheet().set_name("逾期纠偏措施")?;
    headings(
        ws,
        &[
            "单位编码",
            "项目/资金名称",
            "纠偏措施",
            "责任人",
            "完成时限",
            "状态",
            "来源",
        ],
        &bold,
    )?;
    for (n, o) in r.overdue_corrective_actions.iter().enumerate() {
        let row = n as u32 + 1;
        ws.write_string(row, 0, &o.unit_code)?;
        ws.write_string(row, 1, &o.item_name)?;
        ws.write_string(row, 2, &o.measure)?;
        ws.write_string(row, 3, &o.owner)?;
        ws.write_string(row, 4, o.due_date.to_string())?;
        ws.write_string(row, 5, &o.status)?;
        ws.write_string(row, 6, &o.source)?;
    }
    wb.save_to_buffer()
}
