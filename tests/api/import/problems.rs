//! What a clerk gets wrong, located by sheet and cell.

use super::*;

#[tokio::test]
async fn problems_are_located_by_sheet_and_cell_and_nothing_is_written() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let mut wb = Workbook::open(&template_bytes(&app, &s).await);
    wb.set("indicator.actual", Some(s.counted), Cell::Text("六百"));
    wb.set("outlook", None, Cell::Text("也许"));
    wb.set("executed.union", None, Cell::Number(-5.0));
    wb.set("signatures.date", None, Cell::Text("七月八日"));
    wb.set("signatures.unit_head", None, Cell::Text("李\u{1b}明"));
    wb.set("goal_progress", None, Cell::Text(&"进".repeat(4001)));
    let file = wb.bytes();
    let dry = json_of(
        import(&app, &s.roles.reporter, "", file.clone(), &[]).await,
        200,
    )
    .await;
    assert_eq!(dry["valid"], false);
    let problems = dry["problems"].as_array().unwrap();
    for (key, indicator, field) in [
        (
            "indicator.actual",
            Some(s.counted),
            "indicator_values[0].actual",
        ),
        ("outlook", None, "outlook"),
        ("executed.union", None, "executed.union"),
        ("signatures.date", None, "signatures.date"),
        ("signatures.unit_head", None, "signatures.unit_head"),
        ("goal_progress", None, "goal_progress"),
    ] {
        let (sheet, cell) = wb.place(key, indicator);
        assert!(
            problems.iter().any(|p| p["sheet"] == sheet.as_str()
                && p["cell"] == cell.as_str()
                && p["field"] == field),
            "{field} at {sheet}!{cell}: {dry}"
        );
    }
    let actual = problems
        .iter()
        .find(|p| p["field"] == "indicator_values[0].actual")
        .unwrap();
    assert!(
        actual["message"]
            .as_str()
            .unwrap()
            .starts_with("指标完成值 "),
        "{actual}"
    );
    let p = assert_problem(
        import(&app, &s.roles.reporter, "?dry_run=false", file, &[]).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(p["errors"].as_array().unwrap().len(), problems.len());
    assert!(
        p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["sheet"].is_string() && e["cell"].is_string()),
        "{p}"
    );
    assert_eq!(forms_of(&app, &s).await, 0);
}
