//! 图表: native charts over the report's figures — each unit's execution rate against the
//! time progress, each unit's items by warning light, and the period's budget, executed and
//! not-reported money — with the figures they draw below them.

use std::collections::HashMap;

use rust_xlsxwriter::{
    Chart, ChartDataLabel, ChartDataLabelPosition, ChartFont, ChartFormat, ChartLegendPosition,
    ChartLine, ChartLineDashType, ChartSolidFill, ChartType, Workbook, Worksheet, XlsxError,
};
use uuid::Uuid;

use super::cells::{row_height, write, Cell, Styles, RATE};
use super::summary::MONEY_ROWS;
use super::table::{col, heading, print_setup, sub, Column, Widths};
use crate::domain::monitoring::Light;
use crate::report::{Report, UnitRow};

const SHEET: &str = "图表";
/// The height of each row of charts, in pixels (a default row is 20 pixels).
const CHART_PX: u32 = 300;
/// The width of the page's printable area in pixels, which the charts fill.
const PAGE_PX: u32 = 1000;
/// Up to this many units the light chart and the money chart share a row.
const SIDE_BY_SIDE: usize = 12;
/// The most units a chart shows; a larger report charts those with the lowest execution rate.
const MAX_CHARTED: usize = 30;

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
fn rates_chart(first: u32, last: u32, time_progress: &str, scope: &str) -> Chart {
    let range = |c: u16| (SHEET, first, c, last, c);
    let mut chart = titled(ChartType::Column, &format!("{scope}预算执行率与序时进度"));
    let bars = chart
        .add_series()
        .set_name((SHEET, first - 1, 1))
        .set_categories(range(0))
        .set_values(range(1))
        .set_format(&mut fill(BLUE))
        .set_gap(80);
    // Each rate on its column, inside the top clear of the time-progress line, while the
    // columns are wide enough to hold it (the figures are in the table below anyway).
    if last - first < SIDE_BY_SIDE as u32 {
        bars.set_data_label(
            ChartDataLabel::new()
                .show_value()
                .set_num_format(RATE)
                .set_position(ChartDataLabelPosition::InsideEnd)
                .set_font(&font(8.0).set_color(0xFFFFFF).set_bold().clone()),
        );
    }
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

/// A series of stacked columns: column `c` of `sheet`'s rows `first..=last` (categories in
/// column A, the name in the row above), each segment labelled in `labels` — a number format
/// whose empty third part leaves zero segments without a label.
fn stacked(
    chart: &mut Chart,
    sheet: &str,
    (first, last): (u32, u32),
    c: u16,
    color: u32,
    labels: &str,
) {
    chart
        .add_series()
        .set_name((sheet, first - 1, c))
        .set_categories((sheet, first, 0, last, 0))
        .set_values((sheet, first, c, last, c))
        .set_format(&mut fill(color))
        .set_gap(60)
        .set_data_label(
            ChartDataLabel::new()
                .show_value()
                .set_num_format(labels)
                .set_font(&font(8.0)),
        );
}

/// Items per light per unit, stacked.
fn lights_chart(first: u32, last: u32, scope: &str) -> Chart {
    let mut chart = titled(ChartType::ColumnStacked, &format!("{scope}预警项目数"));
    for (k, color) in [RED, YELLOW, GREEN, GREY].into_iter().enumerate() {
        stacked(
            &mut chart,
            SHEET,
            (first, last),
            3 + k as u16,
            color,
            "0;-0;;@",
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
        let labels = "#,##0.00;-#,##0.00;;@";
        stacked(
            &mut chart,
            "汇总",
            (first, last),
            1 + k as u16,
            color,
            labels,
        );
    }
    chart.y_axis().set_num_format("#,##0").set_min(0);
    chart
}

/// The units in the order of the data table: by code, or, when there are more than the
/// charts can show, from the lowest execution rate up (those the charts then show).
fn charted_order(r: &Report) -> Vec<&UnitRow> {
    let mut units: Vec<&UnitRow> = r.units.iter().collect();
    if units.len() > MAX_CHARTED {
        let rate = |u: &UnitRow| {
            u.execution_rate
                .as_deref()
                .and_then(|x| x.parse::<rust_decimal::Decimal>().ok())
        };
        // No rate (a zero budget) last.
        units.sort_by_key(|u| (rate(u).is_none(), rate(u)));
    }
    units
}

/// Writes the figures the unit charts draw, from `row`; returns the first and last charted
/// data row.
fn data_table(ws: &mut Worksheet, r: &Report, row: u32) -> Result<(u32, u32), XlsxError> {
    let st = Styles::new();
    let cols = data_columns();
    let counts = light_counts(r);
    let units = charted_order(r);
    let rows: Vec<Vec<Cell>> = units
        .iter()
        .map(|u| {
            let [red, yellow, green, none] = counts.get(&u.unit_id).copied().unwrap_or_default();
            vec![
                Cell::text(&u.unit_name),
                Cell::rate(&u.execution_rate),
                Cell::Rate(Some(&r.time_progress)),
                Cell::Count(red),
                Cell::Count(yellow),
                Cell::Count(green),
                Cell::Count(none),
            ]
        })
        .collect();
    let mut widths = Widths::new(&cols);
    rows.iter().for_each(|cells| widths.add(cells));
    let widths = widths.finish();
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.write_string_with_format(row, 0, "附：图表数据", &st.caption)?;
    let row = row + 1;
    heading(ws, row, 0, &cols, &st)?;
    for (k, cells) in rows.iter().enumerate() {
        let at = row + 2 + k as u32;
        ws.set_row_height(at, row_height(cells, &widths))?;
        for (c, cell) in cells.iter().enumerate() {
            write(ws, at, c as u16, cell, &st, false)?;
        }
    }
    let charted = rows.len().min(MAX_CHARTED) as u32;
    Ok((row + 2, row + 1 + charted))
}

/// 图表: the charts on the first printed page (a page and a half when they are stacked), their
/// figures after them.
pub fn charts(wb: &mut Workbook, r: &Report) -> Result<(), XlsxError> {
    let n = r.units.len();
    let rows_per_chart = CHART_PX / 20 + 1;
    let stacked = n.min(MAX_CHARTED) > SIDE_BY_SIDE;
    let data_row = rows_per_chart * if stacked { 3 } else { 2 };

    let ws = wb.add_worksheet().set_name(SHEET)?;
    let (first, last) = data_table(ws, r, data_row)?;
    if stacked {
        ws.set_page_breaks(&[2 * rows_per_chart])?;
    } else {
        ws.set_page_breaks(&[data_row])?;
    }
    print_setup(ws, "预算绩效监控图表", &r.period.name, None)?;

    let mut money = money_chart();
    if n == 0 {
        money.set_width(PAGE_PX / 2).set_height(CHART_PX);
        ws.insert_chart(0, 0, &money)?;
        return Ok(());
    }
    let scope = if n > MAX_CHARTED {
        format!("执行率最低的{MAX_CHARTED}个单位")
    } else {
        "各单位".to_string()
    };
    let mut rates = rates_chart(first, last, &r.time_progress, &scope);
    rates.set_width(PAGE_PX).set_height(CHART_PX);
    ws.insert_chart(0, 0, &rates)?;
    let mut lights = lights_chart(first, last, &scope);
    if stacked {
        lights.set_width(PAGE_PX).set_height(CHART_PX);
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
