//! The report as CSV and XLSX, and each form in its official layout.

use super::*;
use crate::helpers::*;

#[tokio::test]
async fn the_report_comes_as_csv_with_a_bom_and_as_xlsx() {
    let app = spawn_app().await;
    let (c, _, _) = scenario(&app).await;
    let path = format!("/api/v1/periods/{}/report", c.period);
    let csv = app
        .get(&format!("{path}?format=csv"), &c.roles.finance)
        .await;
    assert!(csv.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = csv.bytes().await.unwrap();
    assert_eq!(&body[..3], &[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8(body[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("单位编码,填报单位,项目/资金名称"));
    assert_eq!(lines.len(), 4, "heading and three item rows");
    assert!(text.contains("困难职工帮扶资金"));
    let by_accept = app
        .req(reqwest::Method::GET, &path, Some(&c.roles.finance))
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert!(by_accept.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let x = app
        .get(&format!("{path}?format=xlsx"), &c.roles.finance)
        .await;
    assert_eq!(
        x.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = x.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK");
    assert!(bytes.len() > 4000);
    assert_problem(
        app.get(&format!("{path}?format=pdf"), &c.roles.finance)
            .await,
        400,
        "invalid_query_parameter",
    )
    .await;
}

#[tokio::test]
async fn each_form_exports_in_its_official_layout() {
    let app = spawn_app().await;
    let (c, _, _) = scenario(&app).await;
    let forms = ok(
        app.get(
            &format!("/api/v1/submissions?period_id={}", c.period),
            &c.roles.finance,
        )
        .await,
        200,
    )
    .await;
    for f in forms["items"].as_array().unwrap() {
        let r = app
            .get(
                &format!(
                    "/api/v1/submissions/{}/form.xlsx",
                    f["id"].as_str().unwrap()
                ),
                &c.roles.viewer,
            )
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let bytes = r.bytes().await.unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
    let other = app.unit("ELSE").await.id;
    let stranger = app.sign_up("else.reporter", "reporter", Some(other)).await;
    let first = forms["items"][0]["id"].as_str().unwrap();
    assert_problem(
        app.get(&format!("/api/v1/submissions/{first}/form.xlsx"), &stranger)
            .await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn text_a_spreadsheet_would_run_as_a_formula_is_plain_text_in_the_csv() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let names = [
        "=HYPERLINK(\"http://x.example\",\"点击\")",
        "+1+2",
        "-3",
        "@SUM(A1:A2)",
        "职工-帮扶=资金",
    ];
    for name in names {
        c.roles
            .reporter
            .item(json!({"year": 2026, "kind": "special_fund", "name": name,
            "budget": {"fiscal": "1", "union": "0"}, "funding_source": "fiscal_allocation"}))
            .await;
    }
    let path = format!("/api/v1/periods/{}/report.csv", c.period);
    let csv = app.get(&path, &c.roles.finance).await;
    assert_eq!(csv.status(), 200);
    let body = csv.bytes().await.unwrap();
    let mut reader = csv::Reader::from_reader(&body[3..]);
    let name_at = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "项目/资金名称")
        .unwrap();
    let shown: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[name_at].to_string())
        .collect();
    for name in &names[..4] {
        assert!(shown.contains(&format!("'{name}")), "{name:?} in {shown:?}");
        assert!(!shown.contains(&name.to_string()), "{name:?} in {shown:?}");
    }
    // Only the first character counts; the overall item is unchanged.
    assert!(shown.contains(&names[4].to_string()), "{shown:?}");
    assert!(shown.contains(&"整体支出".to_string()), "{shown:?}");
    // The workbook keeps the names as they are: its cells are text, never formulas.
    let json = app
        .get(
            &format!("/api/v1/periods/{}/report", c.period),
            &c.roles.finance,
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let items: Vec<&str> = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["item_name"].as_str().unwrap())
        .collect();
    assert!(items.contains(&names[0]), "{items:?}");
}
