//! Strict parsing: one JSON value per body, dates only as `YYYY-MM-DD`, and only the query
//! parameters an operation documents.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

const UNKNOWN_PARAMETER: Expect = Expect::Problem(400, "invalid_query_parameter");

#[tokio::test]
async fn anything_after_the_json_body_is_malformed_and_nothing_is_created() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let unit = r#"{"code":"ZZB","name":"组织部","kind":"department"}"#;
    let post = |body: String| {
        let r = admin.req(Method::POST, "/api/v1/units");
        admin.send(r.header("Content-Type", "application/json").body(body))
    };
    for body in [
        format!("{unit} x"),
        format!("{unit}{unit}"),
        format!("{unit}\n{{}}"),
        format!("{unit},"),
    ] {
        assert_problem(post(body).await, 400, "malformed_json").await;
    }
    assert_eq!(admin.total("/api/v1/units").await, 0);
    // Whitespace after the value is not data.
    assert_eq!(post(format!("{unit} \r\n")).await.status(), 201);
}

#[tokio::test]
async fn dates_are_read_only_as_yyyy_mm_dd() {
    let (_app, c) = spawn_cycle().await;
    let r = &c.roles;
    let period = |as_of: &str| json!({"year": 2027, "kind": "h1", "as_of": as_of, "submission_deadline": "2027-07-10", "report_deadline": "2027-07-31"});
    let extensions = format!("/api/v1/periods/{}/extensions", c.period);
    for bad in [
        "2027-6-30",
        "+2027-06-30",
        "2027-06-30 ",
        " 2027-06-30",
        "2027-06-30T00:00:00",
        "2027-02-29",
        "20270630",
    ] {
        let refused = VALIDATION_FAILED;
        let p = r.finance.post_is("/api/v1/periods", period(bad), refused);
        assert_eq!(p.await["errors"][0]["field"], "as_of", "{bad}");
        let until = json!({"unit_id": r.unit, "until": bad});
        let p = r.finance.post_is(&extensions, until, refused).await;
        assert_eq!(p["errors"][0]["field"], "until", "{bad}");
        let mut signatures = signatures();
        signatures["date"] = json!(bad);
        let form = json!({"period_id": c.period, "item_id": c.item, "signatures": signatures});
        let p = r.reporter.post_is("/api/v1/submissions", form, refused);
        assert_eq!(p.await["errors"][0]["field"], "signatures.date", "{bad}");
    }
    let periods = r.finance.total("/api/v1/periods").await;
    assert_eq!(periods, 1, "nothing was created");
    let forms = r.finance.total("/api/v1/submissions").await;
    assert_eq!(forms, 0, "nothing was created");
    let v = r
        .finance
        .created("/api/v1/periods", period("2027-06-30"))
        .await;
    assert_eq!(v.body["as_of"], "2027-06-30");
}

/// Every operation of the document with its path parameters filled in.
fn operations() -> Vec<(Method, String)> {
    documented().into_iter().map(|(m, p, _)| (m, p)).collect()
}

/// Every operation of the document: its method, its path with the parameters filled in, and
/// its description in the document.
fn documented() -> Vec<(Method, String, Value)> {
    let spec: Value = serde_json::from_str(&budget_monitor::http::openapi_json()).unwrap();
    let mut out = vec![];
    for (path, item) in spec["paths"].as_object().unwrap() {
        let filled: String = path
            .split('/')
            .map(|s| {
                if s.starts_with('{') {
                    uuid::Uuid::nil().to_string()
                } else {
                    s.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("/");
        for (method, op) in item
            .as_object()
            .unwrap()
            .iter()
            .filter(|(m, _)| ["get", "post", "put", "patch", "delete"].contains(&m.as_str()))
        {
            let method = method.to_uppercase().parse().unwrap();
            out.push((method, filled.clone(), op.clone()));
        }
    }
    out
}

#[tokio::test]
async fn every_operation_refuses_query_parameters_it_does_not_document() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let ops = operations();
    assert!(ops.len() > 40);
    for (method, path) in ops {
        let query = format!("{path}?bogus=1&page=1&perpage=10");
        let r = admin.send(admin.req(method.clone(), &query)).await;
        let p = assert_problem(r, 400, "invalid_query_parameter").await;
        let named: Vec<_> = p["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        let lists_pages = named == ["bogus", "perpage"];
        assert!(
            lists_pages || named == ["bogus", "page", "perpage"],
            "{method} {path}: {p}"
        );
        assert!(p["detail"].as_str().unwrap().contains("bogus"), "{p}");
    }
}

#[tokio::test]
async fn lists_and_the_report_take_their_documented_parameters_and_nothing_else() {
    let (app, c) = spawn_cycle().await;
    let fin = &c.roles.finance;
    for path in [
        "/api/v1/units?page=1&per_page=5&kind=department",
        "/api/v1/items?year=2026&per_page=10",
        "/api/v1/periods?year=2026",
        "/api/v1/submissions?period_id=00000000-0000-0000-0000-000000000000",
        "/api/v1/corrective-actions?overdue=true",
        "/api/v1/adjustment-requests?page=1",
        "/api/v1/measures?year=2026",
        "/api/v1/audit-events?action=unit.create",
    ] {
        assert_eq!(fin.get(path).await.status(), 200, "{path}");
    }
    let report = format!("/api/v1/periods/{}/report", c.period);
    let csv = format!("{report}?format=csv&kind=overall&sort=warning");
    assert_eq!(fin.get(&csv).await.status(), 200);
    for (query, named) in [
        ("units?bogus=1", "bogus"),
        ("items?perpage=10", "perpage"),
        ("users?page=1&Page=2", "Page"),
    ] {
        let path = format!("/api/v1/{query}");
        let p = c.roles.admin.get_is(&path, UNKNOWN_PARAMETER).await;
        assert_eq!(p["errors"][0]["field"], named);
        assert_eq!(p["errors"][0]["code"], "unknown_parameter");
    }
    let p = fin
        .get_is(&format!("{report}?fromat=csv"), UNKNOWN_PARAMETER)
        .await;
    assert_eq!(p["errors"][0]["field"], "fromat");
    // Before the sign-in check too: a wrong query is wrong for everyone.
    let r = app
        .send(app.client.get(app.url("/api/v1/units?bogus=1")))
        .await;
    assert_problem(r, 400, "invalid_query_parameter").await;
}

#[test]
fn every_date_a_client_sends_is_documented_as_yyyy_mm_dd() {
    let spec: Value = serde_json::from_str(&budget_monitor::http::openapi_json()).unwrap();
    let schemas = &spec["components"]["schemas"];
    // The schemas reachable from request bodies and parameters.
    let mut todo: Vec<&Value> = vec![];
    for item in spec["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            todo.push(&op["requestBody"]);
            todo.push(&op["parameters"]);
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut dates = 0;
    while let Some(v) = todo.pop() {
        match v {
            Value::Object(o) => {
                if let Some(r) = o.get("$ref").and_then(|r| r.as_str()) {
                    let name = r.rsplit('/').next().unwrap();
                    if seen.insert(name.to_string()) {
                        todo.push(&schemas[name]);
                    }
                }
                if o.get("format").and_then(|f| f.as_str()) == Some("date") {
                    dates += 1;
                    assert_eq!(
                        o.get("pattern").and_then(|p| p.as_str()),
                        Some("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
                        "{v}"
                    );
                }
                todo.extend(o.values());
            }
            Value::Array(a) => todo.extend(a),
            _ => {}
        }
    }
    assert!(dates > 0 && seen.contains("IsoDate"));
}

/// The writes the document gives no request body (actions such as submit, deletes).
fn bodiless_writes() -> Vec<(Method, String)> {
    documented()
        .into_iter()
        .filter(|(method, _, op)| *method != Method::GET && op.get("requestBody").is_none())
        .map(|(m, p, _)| (m, p))
        .collect()
}

#[tokio::test]
async fn a_write_that_takes_no_body_refuses_one_with_fields_and_takes_none_or_an_empty_object() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let ops = bodiless_writes();
    assert!(ops.len() >= 11, "{ops:?}");
    let send = |method: &Method, path: &str, ct: &'static str, body: &'static str| {
        let r = admin.req(method.clone(), path).header("Content-Type", ct);
        admin.send(r.body(body))
    };
    for (method, path) in &ops {
        let p = assert_problem(
            send(method, path, "application/json", r#"{"reason": "x"}"#).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(p["errors"][0]["field"], "reason", "{method} {path}: {p}");
        assert_eq!(p["errors"][0]["code"], "unknown_field", "{method} {path}");
        let r = send(method, path, "text/plain", "reason").await;
        assert_problem(r, 415, "unsupported_media_type").await;
        let r = send(method, path, "application/json", "{").await;
        assert_problem(r, 400, "malformed_json").await;
        // Nothing, or an object without fields, is taken: on to the role (the admin's may
        // not) or the (missing) resource.
        for body in ["", "{}"] {
            let status = send(method, path, "application/json", body).await.status();
            assert!(
                [403, 404].contains(&status.as_u16()),
                "{method} {path} {body:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_field_sent_to_accept_is_refused_and_the_form_stays_submitted() {
    let (_app, c) = spawn_cycle().await;
    let form = c
        .submitted_form(c.form_body(["10", "20"], ["100", "90"]))
        .await;
    let accept = format!("/api/v1/submissions/{}/accept", form.id);
    let finance = &c.roles.finance;
    let r = finance.post(&accept, json!({"reason": "数据不实"})).await;
    let p = assert_problem(r, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "reason");
    let now = finance
        .get(&format!("/api/v1/submissions/{}", form.id))
        .await
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(now["status"], "submitted");
    assert_eq!(finance.post(&accept, json!({})).await.status(), 200);
}
