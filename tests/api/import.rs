//! Working in Excel: the form template, and its import as a dry run and for real.

use reqwest::{Method, Response};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::*;
use crate::workbook::{read_cell, Value as Cell, Workbook};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct Setup {
    roles: Roles,
    period: String,
    item: String,
    /// A numeric, prorated indicator and a qualitative one.
    counted: Uuid,
    graded: Uuid,
}

async fn json_of(r: Response, status: u16) -> Value {
    let s = r.status().as_u16();
    let body: Value = r.json().await.unwrap();
    assert_eq!(s, status, "{body}");
    body
}

/// An open 2026 H1 period and the reporter's overall item with two indicators.
async fn setup(app: &TestApp) -> Setup {
    let roles = app.roles().await;
    let p = app.post("/api/v1/periods", &roles.finance, json!({"year": 2026, "kind": "h1", "as_of": "2026-06-30", "submission_deadline": "2026-07-10", "report_deadline": "2026-07-31"})).await;
    let period = json_of(p, 201).await["id"].as_str().unwrap().to_string();
    let open = format!("/api/v1/periods/{period}/open");
    json_of(app.post(&open, &roles.finance, json!({})).await, 200).await;
    let i = app.post("/api/v1/items", &roles.reporter, json!({"year": 2026, "kind": "overall", "name": "组织部整体支出", "budget": {"fiscal": "100", "union": "300"}, "annual_goal": "全年培训1000人次"})).await;
    let item = json_of(i, 201).await["id"].as_str().unwrap().to_string();
    let mut ids = vec![];
    for body in [
        json!({"level1": "output", "level2": "quantity", "name": "培训人次", "measure_unit": "人次", "direction": "higher_better", "target": "1000", "prorate": true}),
        json!({"level1": "effect", "level2": "social_benefit", "name": "职工权益保障水平", "direction": "qualitative", "target": "明显提升"}),
    ] {
        let path = format!("/api/v1/items/{item}/indicators");
        let r = app.post(&path, &roles.reporter, body).await;
        ids.push(
            json_of(r, 201).await["id"]
                .as_str()
                .unwrap()
                .parse()
                .unwrap(),
        );
    }
    Setup {
        roles,
        period,
        item,
        counted: ids[0],
        graded: ids[1],
    }
}

async fn template(app: &TestApp, s: &Setup, token: &str) -> Response {
    let path = format!(
        "/api/v1/items/{}/form-template.xlsx?period_id={}",
        s.item, s.period
    );
    app.get(&path, token).await
}

async fn template_bytes(app: &TestApp, s: &Setup) -> Vec<u8> {
    let r = template(app, s, &s.roles.reporter).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], XLSX);
    r.bytes().await.unwrap().to_vec()
}

/// Uploads a workbook as multipart/form-data (or as the body when `raw`).
async fn import(
    app: &TestApp,
    token: &str,
    query: &str,
    file: Vec<u8>,
    headers: &[(&str, &str)],
) -> Response {
    let mut r = app.req(
        Method::POST,
        &format!("/api/v1/submissions/import{query}"),
        Some(token),
    );
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    let part = reqwest::multipart::Part::bytes(file)
        .file_name("form.xlsx")
        .mime_str(XLSX)
        .unwrap();
    app.send(r.multipart(reqwest::multipart::Form::new().part("file", part)))
        .await
}

async fn import_raw(
    app: &TestApp,
    token: &str,
    query: &str,
    body: Vec<u8>,
    content_type: &str,
) -> Response {
    let r = app.req(
        Method::POST,
        &format!("/api/v1/submissions/import{query}"),
        Some(token),
    );
    app.send(r.header("Content-Type", content_type).body(body))
        .await
}

/// Fills every kind of cell, as a clerk would.
fn fill(wb: &mut Workbook, s: &Setup) {
    let (c, g) = (Some(s.counted), Some(s.graded));
    wb.set("executed.fiscal", None, Cell::Number(10.5));
    wb.set("executed.union", None, Cell::Number(30.0));
    wb.set("expected_year_end.fiscal", None, Cell::Number(90.0));
    wb.set("expected_year_end.union", None, Cell::Number(280.25));
    wb.set("expected_carryover.fiscal", None, Cell::Number(10.0));
    wb.set("expected_carryover.union", None, Cell::Number(19.75));
    wb.set("goal_progress", None, Cell::Text("上半年培训640人次"));
    wb.set("indicator.actual", c, Cell::Number(640.0));
    wb.set("indicator.actual", g, Cell::Text("部分达成并具有一定效果"));
    wb.set("indicator.expected_year_end", c, Cell::Number(1250.0));
    wb.set("indicator.possibility", c, Cell::Text("确定能"));
    wb.set("indicator.possibility", g, Cell::Text("有可能"));
    wb.set("indicator.deviation_reasons.staffing", g, Cell::Text("是"));
    wb.set("indicator.deviation_reasons.funding", g, Cell::Text("否"));
    wb.set("indicator.note", g, Cell::Text("人员调整"));
    wb.set("outlook", None, Cell::Text("有可能"));
    wb.set("root_causes.policy_change", None, Cell::Text("是"));
    wb.set("compliance.over_budget.problem", None, Cell::Text("否"));
    wb.set(
        "compliance.misappropriation.problem",
        None,
        Cell::Text("是"),
    );
    wb.set(
        "compliance.misappropriation.note",
        None,
        Cell::Text("已整改 <2 项> & 通报"),
    );
    wb.set("deviation_analysis", None, Cell::Text("培训中心改造"));
    wb.set("corrective_measures", None, Cell::Text("下半年加开培训"));
    wb.set("signatures.unit_head", None, Cell::Text("李明"));
    wb.set("signatures.supervising_leader", None, Cell::Text("王强"));
    let date = chrono::NaiveDate::from_ymd_opt(2026, 7, 8).unwrap();
    wb.set("signatures.date", None, Cell::Date(date));
}

/// What `fill` means as the JSON API writes a form.
fn filled(s: &Setup) -> Value {
    json!({
        "executed": {"fiscal": "10.500000", "union": "30.000000"},
        "expected_year_end": {"fiscal": "90.000000", "union": "280.250000"},
        "expected_carryover": {"fiscal": "10.000000", "union": "19.750000"},
        "goal_progress": "上半年培训640人次",
        "indicator_values": [
            {"indicator_id": s.counted, "actual": "640", "expected_year_end": "1250", "possibility": "certain", "deviation_reasons": [], "note": null},
            {"indicator_id": s.graded, "actual": "partly_achieved", "expected_year_end": null, "possibility": "possible", "deviation_reasons": ["staffing"], "note": "人员调整"},
        ],
        "compliance": [
            {"check": "over_budget", "problem": false, "note": null},
            {"check": "misappropriation", "problem": true, "note": "已整改 <2 项> & 通报"},
        ],
        "outlook": "possible",
        "deviation_analysis": "培训中心改造",
        "root_causes": ["policy_change"],
        "corrective_measures": "下半年加开培训",
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"},
    })
}

/// The content fields of a form answer.
fn content_of(form: &Value) -> Value {
    let keys = [
        "executed",
        "expected_year_end",
        "expected_carryover",
        "goal_progress",
        "indicator_values",
        "compliance",
        "outlook",
        "deviation_analysis",
        "root_causes",
        "corrective_measures",
        "signatures",
    ];
    Value::Object(
        keys.iter()
            .map(|k| (k.to_string(), form[*k].clone()))
            .collect(),
    )
}

async fn forms_of(app: &TestApp, s: &Setup) -> u64 {
    let r = app
        .get(
            &format!("/api/v1/submissions?item_id={}", s.item),
            &s.roles.finance,
        )
        .await;
    json_of(r, 200).await["total"].as_u64().unwrap()
}

#[tokio::test]
async fn a_filled_template_imports_after_a_dry_run_that_writes_nothing() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let mut wb = Workbook::open(&template_bytes(&app, &s).await);
    fill(&mut wb, &s);
    let file = wb.bytes();
    let events = app
        .audit(&s.roles.admin, "resource_type=submission")
        .await
        .len();

    let dry = json_of(
        import(&app, &s.roles.reporter, "", file.clone(), &[]).await,
        200,
    )
    .await;
    assert_eq!(
        (
            dry["dry_run"].clone(),
            dry["action"].clone(),
            dry["valid"].clone()
        ),
        (json!(true), json!("create"), json!(true)),
        "{dry}"
    );
    assert_eq!(dry["problems"], json!([]));
    assert_eq!(
        (dry["item_id"].as_str(), dry["period_id"].as_str()),
        (Some(s.item.as_str()), Some(s.period.as_str()))
    );
    assert_eq!(dry["form"], filled(&s));
    assert_eq!(dry["figures"]["execution_rate"]["total"], "10.13");
    assert_eq!(forms_of(&app, &s).await, 0, "a dry run writes nothing");
    assert_eq!(
        app.audit(&s.roles.admin, "resource_type=submission")
            .await
            .len(),
        events
    );

    let r = import(&app, &s.roles.reporter, "?dry_run=false", file, &[]).await;
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let created = json_of(r, 201).await;
    assert_eq!(created["status"], "draft");
    let stored = json_of(app.get(&location, &s.roles.reporter).await, 200).await;
    assert_eq!(
        content_of(&stored),
        filled(&s),
        "the stored form is what was filled in"
    );
    let trail = app.audit(&s.roles.admin, "resource_type=submission").await;
    assert_eq!(trail.len(), events + 1);
    assert_eq!(trail[0]["action"], "submission.create");
}

#[tokio::test]
async fn an_existing_draft_is_prefilled_and_updated_with_if_match() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let body = json!({"period_id": s.period, "item_id": s.item, "executed": {"fiscal": "12.5", "union": "0"}, "goal_progress": "已开班", "indicator_values": [{"indicator_id": s.counted, "actual": "300"}]});
    let draft = json_of(
        app.post("/api/v1/submissions", &s.roles.reporter, body)
            .await,
        201,
    )
    .await;
    let id = draft["id"].as_str().unwrap();
    let bytes = template_bytes(&app, &s).await;
    let mut wb = Workbook::open(&bytes);
    let (sheet, cell) = wb.place("executed.fiscal", None);
    assert_eq!(
        read_cell(&bytes, &sheet, &cell),
        calamine::Data::Float(12.5),
        "the template shows the form's values"
    );
    let (sheet, cell) = wb.place("indicator.actual", Some(s.counted));
    assert_eq!(
        read_cell(&bytes, &sheet, &cell),
        calamine::Data::Float(300.0)
    );

    wb.set("executed.fiscal", None, Cell::Number(20.0));
    wb.set("indicator.actual", Some(s.graded), Cell::Text("达成"));
    let file = wb.bytes();
    let dry = json_of(
        import(&app, &s.roles.reporter, "", file.clone(), &[]).await,
        200,
    )
    .await;
    assert_eq!(
        (
            dry["action"].as_str(),
            dry["submission_id"].as_str(),
            dry["version"].as_i64()
        ),
        (Some("update"), Some(id), Some(1))
    );

    let q = "?dry_run=false";
    assert_problem(
        import(&app, &s.roles.reporter, q, file.clone(), &[]).await,
        428,
        "precondition_required",
    )
    .await;
    assert_problem(
        import(
            &app,
            &s.roles.reporter,
            q,
            file.clone(),
            &[("If-Match", "\"7\"")],
        )
        .await,
        412,
        "precondition_failed",
    )
    .await;
    let r = import(&app, &s.roles.reporter, q, file, &[("If-Match", "\"1\"")]).await;
    assert_eq!(r.headers()["etag"], "\"2\"");
    json_of(r, 200).await;
    let stored = json_of(
        app.get(&format!("/api/v1/submissions/{id}"), &s.roles.reporter)
            .await,
        200,
    )
    .await;
    assert_eq!(
        stored["executed"],
        json!({"fiscal": "20.000000", "union": "0.000000"})
    );
    assert_eq!(
        stored["goal_progress"], "已开班",
        "what the template carried stays"
    );
    let values: Vec<(&str, &str)> = stored["indicator_values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["indicator_id"].as_str().unwrap(),
                v["actual"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        values,
        vec![
            (s.counted.to_string().as_str(), "300"),
            (s.graded.to_string().as_str(), "achieved")
        ]
    );
    let updates = app
        .audit(
            &s.roles.admin,
            &format!("resource_id={id}&action=submission.update"),
        )
        .await;
    assert_eq!(updates.len(), 1, "one audit event");
}

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

#[tokio::test]
async fn only_a_reporter_of_the_items_unit_imports_and_others_are_refused() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let mut wb = Workbook::open(&template_bytes(&app, &s).await);
    fill(&mut wb, &s);
    let file = wb.bytes();
    let other = app.create_unit(&s.roles.admin, "OTHER").await;
    let (_, stranger) = app
        .create_user(&s.roles.admin, "stranger", "reporter", Some(other))
        .await;
    for q in ["", "?dry_run=false"] {
        assert_problem(
            import(&app, &stranger, q, file.clone(), &[]).await,
            404,
            "not_found",
        )
        .await;
        assert_problem(
            import(&app, &s.roles.viewer, q, file.clone(), &[]).await,
            403,
            "forbidden",
        )
        .await;
        assert_problem(
            import(&app, &s.roles.finance, q, file.clone(), &[]).await,
            403,
            "forbidden",
        )
        .await;
    }
    assert_problem(template(&app, &s, &stranger).await, 404, "not_found").await;
    assert_eq!(
        template(&app, &s, &s.roles.viewer).await.status(),
        200,
        "reading is for everyone who sees the item"
    );
    assert_eq!(forms_of(&app, &s).await, 0);
}

#[tokio::test]
async fn damaged_encrypted_oversized_and_foreign_files_are_refused_with_their_own_code() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let good = template_bytes(&app, &s).await;
    let r = &s.roles.reporter;
    let damaged = good[..good.len() / 2].to_vec();
    assert_problem(
        import(&app, r, "", damaged, &[]).await,
        400,
        "workbook_damaged",
    )
    .await;
    let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    encrypted.resize(1536, 0);
    encrypted.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    encrypted.resize(4096, 0);
    let p = assert_problem(
        import(&app, r, "?dry_run=false", encrypted, &[]).await,
        422,
        "workbook_encrypted",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("password"), "{p}");
    let big = vec![b'P'; 5 * 1024 * 1024 + 1];
    assert_problem(
        import_raw(&app, r, "?dry_run=false", big.clone(), XLSX).await,
        413,
        "payload_too_large",
    )
    .await;
    assert_problem(
        import(&app, r, "", big, &[]).await,
        413,
        "payload_too_large",
    )
    .await;
    let pdf = b"%PDF-1.7\n1 0 obj\n".to_vec();
    assert_problem(
        import(&app, r, "?dry_run=false", pdf.clone(), &[]).await,
        415,
        "not_xlsx",
    )
    .await;
    assert_problem(
        import_raw(&app, r, "", pdf, "text/plain").await,
        415,
        "unsupported_media_type",
    )
    .await;
    let mut other = rust_xlsxwriter::Workbook::new();
    other.add_worksheet().write(0, 0, "预算").unwrap();
    let foreign = other.save_to_buffer().unwrap();
    assert_problem(
        import_raw(&app, r, "?dry_run=false", foreign, XLSX).await,
        422,
        "not_a_form_template",
    )
    .await;
    let no_file = app
        .req(Method::POST, "/api/v1/submissions/import", Some(r))
        .multipart(reqwest::multipart::Form::new().text("note", "x"));
    assert_problem(app.send(no_file).await, 422, "validation_failed").await;
    assert_eq!(forms_of(&app, &s).await, 0);
    assert!(app
        .audit(&s.roles.admin, "resource_type=submission")
        .await
        .is_empty());
}

#[tokio::test]
async fn a_raw_upload_without_ids_is_matched_by_names_and_retries_are_idempotent() {
    let app = spawn_app().await;
    let s = setup(&app).await;
    let mut wb = Workbook::open(&template_bytes(&app, &s).await);
    fill(&mut wb, &s);
    // The hidden sheet's texts are shared strings.
    let ids = "xl/sharedStrings.xml";
    wb.replace(ids, &s.item, "");
    wb.replace(ids, &s.period, "");
    let dry = json_of(
        import_raw(&app, &s.roles.reporter, "", wb.bytes(), XLSX).await,
        200,
    )
    .await;
    assert_eq!(
        (dry["item_id"].as_str(), dry["valid"].as_bool()),
        (Some(s.item.as_str()), Some(true)),
        "{dry}"
    );
    // Without the hidden sheet at all, the fields are where a template puts them.
    wb.replace(ids, "budget-monitor form template", "");
    let file = wb.bytes();
    let dry = json_of(
        import_raw(&app, &s.roles.reporter, "", file.clone(), XLSX).await,
        200,
    )
    .await;
    assert_eq!(dry["form"], filled(&s), "{dry}");
    let key = [("Idempotency-Key", "import-1")];
    let first = json_of(
        import(
            &app,
            &s.roles.reporter,
            "?dry_run=false",
            file.clone(),
            &key,
        )
        .await,
        201,
    )
    .await;
    let again = import(&app, &s.roles.reporter, "?dry_run=false", file, &key).await;
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(json_of(again, 201).await["id"], first["id"]);
    assert_eq!(forms_of(&app, &s).await, 1);
}

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
