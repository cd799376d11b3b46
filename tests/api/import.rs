//! Working in Excel: the form template, and its import as a dry run and for real. The
//! helpers here fill in a template as a clerk does; [`problems`] holds what a clerk gets wrong,
//! [`refusals`] who and what is refused, [`template`] what the template locks, marks and lists,
//! [`office`] a template saved again by LibreOffice.

mod office;
mod problems;
mod refusals;
mod template;

use reqwest::{Method, Response};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::ok as json_of;
use crate::helpers::*;
use crate::xlsx_fill::{read_cell, Value as Cell, Workbook};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct Setup {
    roles: Roles,
    period: String,
    item: String,
    /// A numeric, prorated indicator and a qualitative one.
    counted: Uuid,
    graded: Uuid,
}

/// An open 2026 H1 period and the reporter's overall item with two indicators.
async fn setup(app: &TestApp) -> Setup {
    let roles = app.roles().await;
    let period = app.period(2026, "h1").await.id.to_string();
    let item = roles.reporter.item(json!({"year": 2026, "kind": "overall", "name": "组织部整体支出", "budget": {"fiscal": "100", "union": "300"}, "annual_goal": "全年培训1000人次"})).await.id;
    let mut ids = vec![];
    for body in [
        json!({"level1": "output", "level2": "quantity", "name": "培训人次", "measure_unit": "人次", "direction": "higher_better", "target": "1000", "prorate": true}),
        json!({"level1": "effect", "level2": "social_benefit", "name": "职工权益保障水平", "direction": "qualitative", "target": "明显提升"}),
    ] {
        ids.push(roles.reporter.indicator(item, body).await.id);
    }
    let item = item.to_string();
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

    // Once submitted, the form takes no import: the dry run says so, the import is 409.
    let id = created["id"].as_str().unwrap();
    let path = format!("/api/v1/submissions/{id}/submit");
    let submitted = json_of(app.post(&path, &s.roles.reporter, json!({})).await, 200).await;
    let file = wb.bytes();
    let dry = json_of(
        import(&app, &s.roles.reporter, "", file.clone(), &[]).await,
        200,
    )
    .await;
    assert_eq!(
        (dry["action"].as_str(), dry["valid"].as_bool()),
        (Some("update"), Some(false))
    );
    assert_eq!(dry["problems"][0]["field"], "status", "{dry}");
    assert_eq!(dry["problems"][0]["code"], "conflict");
    let etag = format!("\"{}\"", submitted["version"]);
    let headers = [("If-Match", etag.as_str())];
    let r = import(&app, &s.roles.reporter, "?dry_run=false", file, &headers).await;
    assert_problem(r, 409, "conflict").await;
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
