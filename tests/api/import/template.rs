//! The template as a clerk opens it: what is locked, marked and listed.

use super::*;

#[tokio::test]
async fn the_template_unlocks_and_marks_the_cells_to_fill_and_lists_the_choices() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let wb = Workbook::open(&template_bytes(&app, &s).await);
    let styles = wb.xml("xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let xf: Vec<&str> = xfs.split("<xf ").skip(1).collect();
    let unlocked = |sheet: &str, cell: &str| {
        let xml = wb.xml(&wb.sheet_path(sheet));
        let at = xml
            .find(&format!("<c r=\"{cell}\""))
            .unwrap_or_else(|| panic!("{cell}"));
        let style: usize = xml[at..]
            .split("s=\"")
            .nth(1)
            .map_or(0, |s| s.split('"').next().unwrap().parse().unwrap());
        xf[style].contains("locked=\"0\"") && xf[style].contains("applyProtection")
    };
    assert!(wb.map.len() > 40, "{}", wb.map.len());
    for (key, _, sheet, cell) in &wb.map {
        assert!(unlocked(sheet, cell), "{key} at {sheet}!{cell} is unlocked");
    }
    assert!(!unlocked("附件1", "A2"), "the title is locked");
    assert!(
        styles.contains("FFFFF2CC"),
        "the cells to fill have a light fill"
    );
    for sheet in ["附件1", "补充信息", "_bm"] {
        let xml = wb.xml(&wb.sheet_path(sheet));
        assert!(
            xml.contains("<sheetProtection") && !xml.contains("password="),
            "{sheet} is protected without a password"
        );
    }
    let book = wb.xml("xl/workbook.xml");
    let hidden = &book[book.find("name=\"_bm\"").unwrap()..];
    assert!(
        hidden[..hidden.find("/>").unwrap()].contains("state=\"hidden\""),
        "{book}"
    );
    let more = wb.xml(&wb.sheet_path("补充信息"));
    for list in ["\"确定能,有可能,完全不可能\"", "\"是,否\""] {
        assert!(
            more.contains("type=\"list\"") && more.contains(list),
            "{list}"
        );
    }
    let form = wb.xml(&wb.sheet_path("附件1"));
    assert!(
        form.contains("\"达成,部分达成并具有一定效果,未达成且效果较差\""),
        "the qualitative indicator's grades"
    );
    assert!(form.contains("type=\"date\"") && form.contains("type=\"decimal\""));
    let ids = wb.xml("xl/sharedStrings.xml");
    for id in [
        &s.item,
        &s.period,
        &s.counted.to_string(),
        &s.graded.to_string(),
    ] {
        assert!(ids.contains(id.as_str()), "the hidden sheet names {id}");
    }
}
