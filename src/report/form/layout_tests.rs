use super::*;
use crate::domain::monitoring::Direction;

fn ind(level2: Level2, name: &str) -> Indicator {
    let now = chrono::Utc::now();
    Indicator {
        id: uuid::Uuid::new_v4(),
        item_id: uuid::Uuid::nil(),
        position: 0,
        level1: level2.level1(),
        level2,
        name: name.into(),
        measure_unit: String::new(),
        direction: Direction::Qualitative,
        target: String::new(),
        original_target: String::new(),
        prorate: false,
        weight: None,
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

#[test]
fn the_attachments_preprint_seven_categories_and_extras_only_when_present() {
    assert_eq!(
        categories(&[]),
        PREPRINTED.to_vec(),
        "an item without indicators still prints the attachment's rows"
    );
    assert_eq!(
        categories(&[Level2::EconomicBenefit, Level2::Quantity]),
        vec![
            Level2::Quantity,
            Level2::Quality,
            Level2::Timeliness,
            Level2::Cost,
            Level2::SocialBenefit,
            Level2::EconomicBenefit,
            Level2::SustainableImpact,
            Level2::Satisfaction,
        ]
    );
    assert!(categories(&[Level2::EcologicalBenefit]).contains(&Level2::EcologicalBenefit));
    assert!(!categories(&[Level2::EconomicBenefit]).contains(&Level2::EcologicalBenefit));
}

#[test]
fn indicators_sit_under_their_category_and_empty_categories_keep_a_row() {
    let inds = vec![
        ind(Level2::Satisfaction, "满意度"),
        ind(Level2::Quantity, "甲"),
        ind(Level2::Quantity, "乙"),
    ];
    let rows = indicator_rows(&inds);
    let shown: Vec<(Level2, Option<&str>)> = rows
        .iter()
        .map(|r| (r.level2, r.indicator.map(|i| i.name.as_str())))
        .collect();
    assert_eq!(
        shown,
        vec![
            (Level2::Quantity, Some("甲")),
            (Level2::Quantity, Some("乙")),
            (Level2::Quality, None),
            (Level2::Timeliness, None),
            (Level2::Cost, None),
            (Level2::SocialBenefit, None),
            (Level2::SustainableImpact, None),
            (Level2::Satisfaction, Some("满意度")),
        ]
    );
    assert_eq!(
        level1_runs(&rows),
        vec![
            (0, 5, Level1::Output),
            (5, 2, Level1::Effect),
            (7, 1, Level1::Satisfaction)
        ]
    );
    assert_eq!(level2_runs(&rows)[0], (0, 2, Level2::Quantity));
    assert_eq!(level2_runs(&rows).len(), 7);
}

#[test]
fn runs_group_equal_neighbours_only() {
    assert_eq!(runs(&[1, 1, 2, 1]), vec![(0, 2), (2, 1), (3, 1)]);
    assert_eq!(runs::<i32>(&[]), vec![]);
}

#[test]
fn wrapping_follows_display_width() {
    let w = column_pt(14.0); // 77.25 pt: 6.4 em at 11 pt
    assert_eq!(wrapped_lines("数量指标", w, 11.0), 1);
    assert_eq!(wrapped_lines("机关运转规范高效、保障有力", w, 11.0), 3);
    assert_eq!(wrapped_lines("部分达成并具有一定效果", w, 11.0), 2);
    // The number and its unit letters stay together; wide characters break anywhere.
    assert_eq!(wrapped_lines("1950元/平方米", column_pt(10.0), 11.0), 2);
    assert_eq!(wrapped_lines("", w, 11.0), 1);
    assert_eq!(wrapped_lines("甲\n乙\n丙", w, 11.0), 3);
    // A run longer than a line breaks by character.
    assert_eq!(wrapped_lines(&"8".repeat(30), w, 11.0), 3);
    // Quotation marks print wide in a Chinese font.
    assert_eq!(wrapped_lines("“职工之家”示范", w, 11.0), 2);
    // Narrow characters take about half the room of wide ones.
    assert!(wrapped_lines(&"8".repeat(20), w, 11.0) < wrapped_lines(&"八".repeat(20), w, 11.0));
}

#[test]
fn amounts_print_grouped_with_two_to_six_decimals_as_numbers_while_they_fit() {
    assert_eq!(amount_text("850.000000"), "850.00");
    assert_eq!(amount_text("1234567.125000"), "1,234,567.125");
    assert_eq!(amount_text("123555554.623456"), "123,555,554.623456");
    assert_eq!(amount_text("0.000001"), "0.000001");
    assert_eq!(amount_text("100"), "100.00");
    assert!(amount_fits("99,999.999999", 15.0));
    assert!(!amount_fits("123,555,554.623456", 15.0));
    assert!(
        !amount_fits("999,999,999,999.999999", 40.0),
        "not exact as a number"
    );
}

#[test]
fn a_typical_form_prints_on_one_page_a_long_one_over_several() {
    assert!(one_page(7, 500.0));
    assert!(
        one_page(20, 20.0 * MIN_ROW_PT + 400.0),
        "twenty one-line indicators"
    );
    assert!(!one_page(21, 600.0));
    assert!(!one_page(20, 1200.0), "too small to read on one page");
}

#[test]
fn a_long_text_is_cut_into_rows_of_whole_lines() {
    let w = column_pt(60.0);
    let short = "偏差和原因分析：无\n下一步纠偏措施：无";
    assert_eq!(pieces(short, w, 11.0), vec![short.to_string()]);
    let para = "一二三四五六七八九十".repeat(40);
    let long = format!("{para}\n{para}\n{para}");
    let parts = pieces(&long, w, 11.0);
    assert!(parts.len() >= 2, "{}", parts.len());
    assert_eq!(
        parts.concat().replace('\n', ""),
        long.replace('\n', ""),
        "nothing lost"
    );
    for p in &parts {
        assert!(row_height(&[(p, w)], 11.0) < MAX_ROW_PT, "{p}");
    }
    assert_eq!(row_height(&[(&long, w)], 11.0), MAX_ROW_PT);
}

#[test]
fn labels_of_long_sections_print_at_their_top() {
    assert!(!label_on_top(7.0 * MIN_ROW_PT));
    assert!(label_on_top(30.0 * MIN_ROW_PT));
}

#[test]
fn a_row_is_as_tall_as_its_tallest_cell() {
    let w = column_pt(14.0);
    assert_eq!(row_height(&[("甲", w)], 11.0), MIN_ROW_PT);
    let one = row_height(&[("机关运转规范高效", w * 2.0)], 11.0);
    let three = row_height(&[("甲", w), ("机关运转规范高效、保障有力", w)], 11.0);
    assert!(three >= 3.0 * 11.0 * 1.4, "{three}");
    assert!(three > one);
}
