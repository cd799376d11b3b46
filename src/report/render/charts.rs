//! 图表: native charts over the report's figures — each unit's execution rate against the
//! time progress, each unit's items by warning light, and the period's budget, executed and
//! not-reported money — with the figures they draw below them.

use std::collections::HashMap;

use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartDataLabelPosition, ChartFont, ChartFormat, ChartLegendPosition,
    ChartLine, ChartLineDashType, ChartSolidFill, ChartType, Workbook, Worksheet, XlsxError,
};
use uuid::Uuid;

use super::cells::{write, Cell, Styles, RATE};
use super::summary::MONEY_ROWS;
use super::table::{col, heading, print_setup, sub, Column, Widths};
use crate::domain::monitoring::Light;
use crate::report::Report;

const SHEET: &str = "图表";
/// The height of each row of charts, in pixels (a default row is 20 pixels).
const CHART_PX: u32 = 300;
/// The width of the page's printable area in pixels, which the charts fill.
const PAGE_PX: u32 = 1000;
/// Up to this many units the light chart and the money chart share a row.
const SIDE_BY_SIDE: usize = 12;

const RED: u32 = 0xE06666;
const YELLOW: u32 = 0xF6C342;
const GREEN: u32 = 0x6AA84F;
const GREY: u32 = 0xB7B7B7;
const BLUE: u32 = 0x4F81BD;

fn data_columns() -> [Column; 7] {
    [
        col("单位", 20.0),
        sub("预算执行", "执行率"),
        sub("预算执行", "序时进度"),
        sub("预警项目数", "红灯"),
        sub("预警项目数", "黄灯"),
        sub("预警项目数", "绿灯"),
        sub("预警项目数", "未填报"),
    ]
}

/// Each unit's items by warning: red, yellow, green (or blue), without a form.
fn light_counts(r: &Report) -> HashMap<Uuid, [i64; 4]> {
    let mut counts: HashMap<Uuid, [i64; 4]> = HashMap::new();
    for i in &r.items {
        let k = match i.warning {
            Some(Light::Red) => 0,
            Some(Light::Yellow) => 1,
            Some(_) => 2,
            None => 3,
        };
        counts.entry(i.unit_id).or_default()[k] += 1;
    }
    counts
}

fn fill(color: u32) -> ChartFormat {
    ChartFormat::new()
        .set_solid_fill(ChartSolidFill::new().set_color(color))
        .clone()
}

fn font(size: f64) -> ChartFont {
    ChartFont::new().set_size(size).clone()
}

fn titled(kind: ChartType, title: &str) -> Chart {
    let mut c = Chart::new(kind);
    c.title()
        .set_name(title)
        .set_font(&font(12.0).set_bold().clone());
    c.legend().set_position(ChartLegendPosition::Bottom);
    c.x_axis().set_font(&font(9.0));
    c.y_axis().set_font(&font(9.0));
    c
}

/// Execution rate per unit as columns, the time progress as a dashed line across them.
fn rates_chart(first: u32, last: u32, time_progress: &str) -> Chart {
    let range = |c: u16| (SHEET, first, c, last, c);
    let mut chart = titled(ChartType::Column, "各单位预算执行率与序时进度");
    chart
        .add_series()
        .set_name((SHEET, first - 1, 1))
        .set_categories(range(0))
        .set_values(range(1))
        .set_format(&mut fill(BLUE))
        .set_gap(80)
        .set_data_label(
            ChartDataLabel::new()
                .show_value()
                .set_num_format(RATE)
                // Inside the column's top, clear of the time-progress line.
                .set_position(ChartDataLabelPosition::InsideEnd)
                .set_font(&font(8.0).set_color(0xFFFFFF).set_bold().clone()),
        );
    chart.y_axis().set_num_format(r#"0"%""#).set_min(0);
    let mut line = Chart::new(ChartType::Line);
    line.add_series()
        .set_name(&format!("序时进度 {time_progress}%"))
        .set_categories(range(0))
        .set_values(range(2))
        .set_format(
            ChartFormat::new().set_line(
                ChartLine::new()
                    .set_color(0xC00000)
                    .set_width(2.0)
                    .set_dash_type(ChartLineDashType::Dash),
            ),
        );
    chart.combine(&line);
    chart
}

/// Items per light per unit, stacked.
fn lights_chart(first: u32, last: u32) -> Chart {
    let mut chart = titled(ChartType::ColumnStacked, "各单位预警项目数");
    for (k, color) in [RED, YELLOW, GREEN, GREY].into_iter().enumerate() {
        let c = 3 + k as u16;
        chart
            .add_series()
            .set_name((SHEET, first - 1, c))
            .set_categories((SHEET, first, 0, last, 0))
            .set_values((SHEET, first, c, last, c))
            .set_format(&mut fill(color))
            .set_gap(60)
            // Zero segments have no label.
            .set_data_label(
                ChartDataLabel::new()
                    .show_value()
                    .set_num_format("0;-0;;@")
                    .set_font(&font(8.0)),
            );
    }
    chart.y_axis().set_num_format("0").set_min(0);
    chart
}

/// The period's budget, executed and not-reported money, fiscal and union stacked.
fn money_chart() -> Chart {
    let (first, last) = MONEY_ROWS;
    let mut chart = titled(
        ChartType::ColumnStacked,
        "预算数、执行数与未报送预算（万元）",
    );
    for (k, color) in [BLUE, 0x9BBB59].into_iter().enumerate() {
        let c = 1 + k as u16;
        chart
            .add_series()
            .set_name(("汇总", first - 1, c))
            .set_categories(("汇总", first, 0, last, 0))
            .set_values(("汇总", first, c, last, c))
            .set_format(&mut fill(color))
            .set_gap(60)
            .set_data_label(
                ChartDataLabel::new()
                    .show_value()
                    .set_num_format("#,##0.00;-#,##0.00;;@")
                    .set_font(&font(8.0)),
            );
    }
    chart.y_axis().set_num_format("#,##0").set_min(0);
    chart
}

/// Writes the figures the unit charts draw, from `row`; returns the first and last data row.
fn data_table(ws: &mut Worksheet, r: &Report, row: u32) -> Result<(u32, u32), XlsxError> {
    let st = Styles::new();
    let cols = data_columns();
    let counts = light_counts(r);
    let rows: Vec<Vec<Cell>> = r
        .units
        .iter()
        .map(|u| {
            let [red, yellow, green, none] = counts.get(&u.unit_id).copied().unwrap_or_default();
            vec![
                Cell::Text(u.unit_name.clone()),
                Cell::Rate(Some(u.execution_rate.clone().unwrap_or_else(|| "0".into()))),
                Cell::Rate(Some(r.time_progress.clone())),
                Cell::Count(red),
                Cell::Count(yellow),
                Cell::Count(green),
                Cell::Count(none),
            ]
        })
        .collect();
    let mut widths = Widths::new(&cols);
    rows.iter().for_each(|cells| widths.add(cells));
    for (c, w) in widths.finish().into_iter().enumerate() {
        ws.set_column_width(c as u16, w)?;
    }
    ws.write_string_with_format(row, 0, "附：图表数据", &st.caption)?;
    let row = row + 1;
    heading(ws, row, 0, &cols, &st)?;
    for (k, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            write(ws, row + 2 + k as u32, c as u16, cell, &st, false)?;
        }
    }
    Ok((row + 2, row + 1 + rows.len() as u32))
}

/// 图表: the charts on the first printed page, their figures on the next.
pub fn charts(wb: &mut Workbook, r: &Report) -> Result<(), XlsxError> {
    let n = r.units.len();
    let wide = (60 * n as u32 + 160).max(PAGE_PX);
    let rows_per_chart = CHART_PX / 20 + 1;
    let chart_rows = if n > SIDE_BY_SIDE { 3 } else { 2 };
    let data_row = rows_per_chart * chart_rows;

    let ws = wb.add_worksheet().set_name(SHEET)?;
    let (first, last) = data_table(ws, r, data_row)?;
    ws.set_page_breaks(&[data_row])?;
    print_setup(ws, "预算绩效监控图表", &r.period.name, None)?;

    let mut money = money_chart();
    if n == 0 {
        money.set_width(PAGE_PX / 2).set_height(CHART_PX);
        ws.insert_chart(0, 0, &money)?;
        return Ok(());
    }
    let mut rates = rates_chart(first, last, &r.time_progress);
    rates.set_width(wide).set_height(CHART_PX);
    ws.insert_chart(0, 0, &rates)?;
    let mut lights = lights_chart(first, last);
    if n > SIDE_BY_SIDE {
        lights.set_width(wide).set_height(CHART_PX);
        ws.insert_chart(rows_per_chart, 0, &lights)?;
        money.set_width(PAGE_PX / 2).set_height(CHART_PX);
        ws.insert_chart(2 * rows_per_chart, 0, &money)?;
    } else {
        let left = PAGE_PX * 3 / 5;
        lights.set_width(left - 10).set_height(CHART_PX);
        ws.insert_chart(rows_per_chart, 0, &lights)?;
        money.set_width(PAGE_PX - left).set_height(CHART_PX);
        ws.insert_chart_with_offset(rows_per_chart, 0, &money, left, 0)?;
    }
    Ok(())
}
