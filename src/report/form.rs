//! One form in the layout of attachments 1–3 of the rules, as XLSX for printing and signing:
//! one A4 page per typical form.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};

use crate::domain::indicator::Indicator;
use crate::domain::item::{Item, ItemKind};
use crate::domain::submission::{Figures, SubmissionContent};
use crate::domain::unit::Unit;

/// The title of a form.
pub fn title(form: i16) -> &'static str {
    match form {
        1 => "整体绩效监控情况表",
        2 => "专项资金绩效监控情况表",
        _ => "重点项目资金绩效监控情况表",
    }
}

fn grade_text(s: &str) -> String {
    match s {
        "achieved" => "达成".into(),
        "partly_achieved" => "部分达成并具有一定效果".into(),
        "not_achieved" => "未达成且效果较差".into(),
        other => other.into(),
    }
}

/// Renders the form.
pub fn xlsx(
    unit: &Unit,
    item: &Item,
    indicators: &[Indicator],
    content: &SubmissionContent,
    figures: &Figures,
) -> Result<Vec<u8>, XlsxError> {
    let form = item.kind.form();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name(format!("附件{form}"))?;
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 1);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    for (c, w) in [14.0, 14.0, 14.0, 16.0, 13.0, 13.0, 13.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w)?;
    }
    let plain = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let left = Format::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter);
    let head = cell.clone().set_bold();
    let title_fmt = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let money = cell.clone().set_num_format("#,##0.00####");

    ws.write_string_with_format(0, 0, format!("附件{form}"), &plain)?;
    ws.merge_range(1, 0, 1, 6, title(form), &title_fmt)?;
    ws.set_row_height(1, 30)?;
    let unit_label = if item.kind == ItemKind::Project {
        "填报部门："
    } else {
        "填报部门（单位）："
    };
    ws.merge_range(2, 0, 2, 4, &format!("{unit_label}{}", unit.name), &plain)?;
    ws.merge_range(
        2,
        5,
        2,
        6,
        "单位：万元",
        &Format::new().set_align(FormatAlign::Right),
    )?;
    let mut row = 3;
    if form != 1 {
        let label = if form == 2 {
            "专项资金名称"
        } else {
            "项目资金名称"
        };
        ws.write_string_with_format(row, 0, label, &head)?;
        ws.merge_range(row, 1, row, 6, &item.name, &left)?;
        row += 1;
    }
    // 预算执行情况
    let num = |s: &str| s.parse::<f64>().unwrap_or_default();
    ws.merge_range(row, 0, row + 2, 0, "预算执行情况", &head)?;
    let budget = &figures.budget;
    let executed = &content.executed;
    let rows = [
        (
            "预算数",
            "执行数",
            "执行率",
            Some(budget.total().to_string()),
            Some(executed.total().to_string()),
            figures.execution_rate.total.clone(),
        ),
        (
            "其中：财政资金",
            "其中：财政资金",
            "其中：财政资金",
            Some(budget.fiscal.to_string()),
            Some(executed.fiscal.to_string()),
            figures.execution_rate.fiscal.clone(),
        ),
        (
            "工会经费",
            "工会经费",
            "工会经费",
            Some(budget.union.to_string()),
            Some(executed.union.to_string()),
            figures.execution_rate.union.clone(),
        ),
    ];
    for (k, (l1, l2, l3, b, e, rate)) in rows.iter().enumerate() {
        let r = row + k as u32;
        ws.write_string_with_format(r, 1, *l1, &cell)?;
        ws.write_number_with_format(r, 2, num(b.as_deref().unwrap_or("0")), &money)?;
        ws.write_string_with_format(r, 3, *l2, &cell)?;
        ws.write_number_with_format(r, 4, num(e.as_deref().unwrap_or("0")), &money)?;
        ws.write_string_with_format(r, 5, *l3, &cell)?;
        ws.write_string_with_format(
            r,
            6,
            rate.as_ref()
                .map(|x| format!("{x}%"))
                .unwrap_or_else(|| "—".into()),
            &cell,
        )?;
    }
    row += 3;
    // 目标完成情况
    ws.merge_range(row, 0, row + 1, 0, "目标完成情况", &head)?;
    ws.merge_range(row, 1, row, 2, "年度预期目标", &head)?;
    ws.merge_range(row, 3, row, 5, "完成情况", &head)?;
    ws.write_string_with_format(row, 6, "总体完成率", &head)?;
    ws.merge_range(row + 1, 1, row + 1, 2, &item.annual_goal, &left)?;
    ws.merge_range(row + 1, 3, row + 1, 5, &content.goal_progress, &left)?;
    ws.write_string_with_format(
        row + 1,
        6,
        figures
            .overall_completion_rate
            .as_ref()
            .map(|x| format!("{x}%"))
            .unwrap_or_else(|| "—".into()),
        &cell,
    )?;
    ws.set_row_height(row + 1, 45)?;
    row += 2;
    // 绩效指标完成情况
    let n = indicators.len().max(1) as u32;
    ws.merge_range(row, 0, row + n, 0, "绩效指标完成情况", &head)?;
    for (c, h) in [
        "一级指标",
        "二级指标",
        "三级指标",
        "预期指标值",
        "指标完成值",
        "指标完成率",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string_with_format(row, c as u16 + 1, *h, &head)?;
    }
    for (k, ind) in indicators.iter().enumerate() {
        let r = row + 1 + k as u32;
        let value = content
            .indicator_values
            .iter()
            .find(|v| v.indicator_id == ind.id);
        let fig = figures.indicators.iter().find(|f| f.indicator_id == ind.id);
        let unit_suffix = if ind.measure_unit.is_empty() {
            String::new()
        } else {
            ind.measure_unit.clone()
        };
        ws.write_string_with_format(r, 1, ind.level1.label(), &cell)?;
        ws.write_string_with_format(r, 2, ind.level2.label(), &cell)?;
        ws.write_string_with_format(r, 3, &ind.name, &left)?;
        ws.write_string_with_format(r, 4, format!("{}{}", ind.target, unit_suffix), &cell)?;
        let actual = value
            .and_then(|v| v.actual.clone())
            .map(|a| {
                format!(
                    "{}{}",
                    grade_text(&a),
                    if a.parse::<f64>().is_ok() {
                        unit_suffix.as_str()
                    } else {
                        ""
                    }
                )
            })
            .unwrap_or_default();
        ws.write_string_with_format(r, 5, actual, &cell)?;
        ws.write_string_with_format(
            r,
            6,
            fig.and_then(|f| f.completion_rate.clone())
                .map(|x| format!("{x}%"))
                .unwrap_or_default(),
            &cell,
        )?;
    }
    if indicators.is_empty() {
        for c in 1..=6 {
            ws.write_blank(row + 1, c, &cell)?;
        }
    }
    row += n + 1;
    // 偏差和措施
    ws.write_string_with_format(row, 0, "绩效目标执行出现的偏差和采取的措施", &head)?;
    let text = format!(
        "偏差和原因分析：{}\n下一步纠偏措施：{}",
        content.deviation_analysis, content.corrective_measures
    );
    ws.merge_range(row, 1, row, 6, &text, &left)?;
    ws.set_row_height(row, 90)?;
    row += 2;
    let s = &content.signatures;
    let date = s
        .date
        .map(|d| d.format("%Y 年 %-m 月 %-d 日").to_string())
        .unwrap_or_else(|| "年    月    日".into());
    ws.merge_range(
        row,
        0,
        row,
        1,
        &format!("部门负责人：{}", s.unit_head.clone().unwrap_or_default()),
        &plain,
    )?;
    ws.merge_range(
        row,
        2,
        row,
        4,
        &format!(
            "分管领导签字：{}",
            s.supervising_leader.clone().unwrap_or_default()
        ),
        &plain,
    )?;
    ws.merge_range(row, 5, row, 6, &date, &plain)?;
    wb.save_to_buffer()
}
