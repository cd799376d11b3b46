//! The monitoring report: totals from the database that equal their rows, formats, scope and
//! publication.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::monitoring::{open_cycle, Cycle};

pub(crate) async fn ok(r: reqwest::Response, status: u16) -> Value {
    let s = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(s, status, "{body}");
    body
}

fn dec(v: &Value) -> Decimal {
    v.as_str().unwrap().parse().unwrap()
}

/// Two units: the cycle's unit with a submitted red form and a missing special fund, and a
/// second unit with an accepted green form.
pub(crate) async fn scenario(app: &TestApp) -> (Cycle, String, String) {
    let c = open_cycle(app).await;
    let r = &c.roles;
    ok(app.post("/api/v1/items", &r.reporter, json!({"year": 2026, "kind": "special_fund", "name": "困难职工帮扶资金", "budget": {"fiscal": "0.000001", "union": "999.999999"}, "funding_source": "fiscal_allocation"})).await, 201).await;
    let red = ok(app.post("/api/v1/submissions", &r.reporter, json!({"period_id": c.period, "item_id": c.item,
        "executed": {"fiscal": "10.123456", "union": "20"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "compliance": [{"check": "over_budget", "problem": true, "note": "超预算采购"}],
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}})).await, 201).await;
    let red_id = red["id"].as_str().unwrap().to_string();
    ok(
        app.post(
            &format!("/api/v1/submissions/{red_id}/submit"),
            &r.reporter,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    ok(app.post("/api/v1/corrective-actions", &r.reporter, json!({"submission_id": red_id, "lens": "compliance", "cause": "超预算", "measure": "退回多付款", "owner": "张华", "due_date": "2026-08-15"})).await, 201).await;

    let unit2 = app.create_unit(&r.admin, "U2").await;
    let (_, rep2) = app
        .create_user(&r.admin, "reporter2", "reporter", Some(unit2))
        .await;
    let item2 = ok(app.post("/api/v1/items", &rep2, json!({"year": 2026, "kind": "overall", "name": "整体", "budget": {"fiscal": "200.5", "union": "0"}})).await, 201).await;
    let f2 = ok(app.post("/api/v1/submissions", &rep2, json!({"period_id": c.period, "item_id": item2["id"], "executed": {"fiscal": "150.250001", "union": "0"},
        "signatures": {"unit_head": "赵", "supervising_leader": "钱", "date": "2026-07-09"}})).await, 201).await;
    let f2id = f2["id"].as_str().unwrap();
    ok(
        app.post(
            &format!("/api/v1/submissions/{f2id}/submit"),
            &rep2,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    ok(
        app.post(
            &format!("/api/v1/submissions/{f2id}/accept"),
            &r.finance,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    ok(
        app.post(
            "/api/v1/measures",
            &r.finance,
            json!({"item_id": c.item, "kind": "suspend_payment", "reason": "合规问题"}),
        )
        .await,
        201,
    )
    .await;
    (c, rep2, unit2.to_string())
}

#[tokio::test]
async fn the_report_totals_equal_the_sums_of_its_rows_exactly() {
    let app = spawn_app().await;
    let (c, _, unit2) = scenario(&app).await;
    let rep = ok(
        app.get(
            &format!("/api/v1/periods/{}/report", c.period),
            &c.roles.finance,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(rep["time_progress"], "50.00");
    assert_eq!(
        rep["forms"],
        json!({"expected": 3, "draft": 0, "submitted": 1, "returned": 0, "accepted": 1, "missing": 1, "late": 3})
    );
    // Late: the two forms filed after July 10, and the one still missing past it.
    let missing = rep["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "missing")
        .unwrap();
    assert_eq!(missing["late"], true);
    assert_eq!(rep["warnings"]["no_form"], 1);
    assert_eq!(rep["warnings"]["red"], 1);
    assert_eq!(rep["items"].as_array().unwrap().len(), 3);
    assert_eq!(rep["units"].as_array().unwrap().len(), 2);
    // Each unit has an overall item: the totals are the overall items', once each, and equal
    // the sums of the unit rows.
    for fund in ["fiscal", "union", "total"] {
        for what in ["budget", "reported_budget", "executed", "not_reported"] {
            let total = dec(&rep[what][fund]);
            let by_units: Decimal = rep["units"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| dec(&u[what][fund]))
                .sum();
            let by_overall_items: Decimal = rep["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| i["kind"] == "overall")
                .map(|i| {
                    let status = i["status"].as_str().unwrap();
                    let reported = ["submitted", "returned", "accepted"].contains(&status);
                    match what {
                        "budget" => dec(&i["budget"][fund]),
                        "reported_budget" if reported => dec(&i["budget"][fund]),
                        "not_reported" if !reported => dec(&i["budget"][fund]),
                        "executed" if reported => dec(&i["executed"][fund]),
                        _ => Decimal::ZERO,
                    }
                })
                .sum();
            assert_eq!(total, by_units, "{what}.{fund} vs units");
            assert_eq!(total, by_overall_items, "{what}.{fund} vs overall items");
        }
    }
    // The special fund is part of its unit's overall budget: not added on top, shown as 其中.
    assert_eq!(rep["budget"]["total"], "600.500000");
    assert_eq!(
        rep["of_which"]["special_funds"]["budget"]["total"],
        "1000.000000"
    );
    // It was never filed: its budget is not reported, within the special funds' line.
    assert_eq!(
        rep["of_which"]["special_funds"]["not_reported"],
        json!({"fiscal": "0.000001", "union": "999.999999", "total": "1000.000000"})
    );
    assert_eq!(rep["not_reported"]["total"], "0.000000");
    assert_eq!(rep["of_which"]["projects"]["budget"]["total"], "0.000000");
    assert_eq!(rep["executed"]["fiscal"], "160.373457");
    assert_eq!(rep["executed"]["total"], "180.373457");
    // 180.373457 / 600.5 = 30.04 % at 50 % time progress
    assert_eq!(rep["execution_rate"]["total"], "30.04");
    assert_eq!(rep["budget_light"], "yellow");
    let mine: Vec<&Value> = rep["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["item_id"] == c.item.as_str())
        .collect();
    assert_eq!(mine[0]["warning"], "red");
    assert_eq!(mine[0]["status"], "submitted");
    assert_eq!(mine[0]["open_corrective_actions"], 1);
    assert_eq!(mine[0]["overdue_corrective_actions"], 1);
    assert_eq!(mine[0]["active_measures"], json!(["suspend_payment"]));
    assert_eq!(mine[0]["payment_status"], "suspended");
    assert_eq!(rep["compliance_problems"][0]["check"], "over_budget");
    assert_eq!(rep["compliance_problems"][0]["note"], "超预算采购");
    assert_eq!(
        rep["overdue_corrective_actions"].as_array().unwrap().len(),
        1
    );
    let u2 = rep["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == unit2.as_str())
        .unwrap()
        .clone();
    // 150.250001 / 200.5 = 74.94 % executed at 50 % time progress: green.
    assert_eq!(u2["worst_light"], "green");
    assert_eq!(u2["execution_rate"], "74.94");
    // Filters and sorting act on the item rows.
    let red = ok(
        app.get(
            &format!("/api/v1/periods/{}/report?warning=red", c.period),
            &c.roles.finance,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(red["items"].as_array().unwrap().len(), 1);
    let by_warning = ok(
        app.get(
            &format!(
                "/api/v1/periods/{}/report?sort=warning&kind=overall",
                c.period
            ),
            &c.roles.viewer,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(by_warning["items"][0]["warning"], "red");
    assert_eq!(by_warning["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn a_reporter_gets_its_own_units_part_and_only_finance_publishes() {
    let app = spawn_app().await;
    let (c, rep2, unit2) = scenario(&app).await;
    let r = &c.roles;
    let mine = ok(
        app.get(&format!("/api/v1/periods/{}/report", c.period), &rep2)
            .await,
        200,
    )
    .await;
    assert!(mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["unit_id"] == unit2.as_str()));
    assert_eq!(mine["units"].as_array().unwrap().len(), 1);
    assert_eq!(mine["budget"]["total"], "200.500000");
    assert_eq!(mine["compliance_problems"].as_array().unwrap().len(), 0);
    assert_eq!(mine["forms"]["expected"], 1);
    for t in [&r.admin, &r.reporter, &r.viewer] {
        assert_problem(
            app.post(&format!("/api/v1/periods/{}/close", c.period), t, json!({}))
                .await,
            403,
            "forbidden",
        )
        .await;
    }
    ok(
        app.post(
            &format!("/api/v1/periods/{}/close", c.period),
            &r.finance,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    for t in [&r.admin, &r.reporter, &r.viewer] {
        assert_problem(
            app.post(
                &format!("/api/v1/periods/{}/publish", c.period),
                t,
                json!({}),
            )
            .await,
            403,
            "forbidden",
        )
        .await;
    }
}

#[tokio::test]
async fn a_published_report_reads_back_byte_for_byte_the_same_whatever_changes_later() {
    let app = spawn_app().await;
    let (c, rep2, unit2) = scenario(&app).await;
    let r = &c.roles;
    let path = format!("/api/v1/periods/{}/report", c.period);
    ok(
        app.post(
            &format!("/api/v1/periods/{}/close", c.period),
            &r.finance,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    ok(
        app.post(
            &format!("/api/v1/periods/{}/publish", c.period),
            &r.finance,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(app.audit(&r.admin, "action=period.publish").await.len(), 1);
    let read = |fmt: &'static str| {
        let url = format!("{path}?format={fmt}");
        let t = r.viewer.clone();
        let app = &app;
        async move { app.get(&url, &t).await.bytes().await.unwrap() }
    };
    let (j1, c1, x1) = (read("json").await, read("csv").await, read("xlsx").await);
    let v: Value = serde_json::from_slice(&j1).unwrap();
    assert_eq!(v["published"], true);
    // Things change after publication ...
    ok(
        app.post(
            "/api/v1/measures",
            &r.finance,
            json!({"item_id": c.item, "kind": "stop_payment", "reason": "严重问题"}),
        )
        .await,
        201,
    )
    .await;
    ok(app.post("/api/v1/adjustment-requests", &rep2, json!({"item_id": v["items"].as_array().unwrap().iter().find(|i| i["unit_id"] == unit2.as_str()).unwrap()["item_id"], "cause": "other", "explanation": "x", "countermeasures": "y", "new_budget": {"fiscal": "1", "union": "1"}})).await, 201).await;
    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    // ... the report does not.
    assert_eq!(read("json").await, j1);
    assert_eq!(read("csv").await, c1);
    assert_eq!(read("xlsx").await, x1);
    // The period is read-only now.
    assert_problem(
        app.post(
            &format!("/api/v1/periods/{}/open", c.period),
            &r.finance,
            json!({}),
        )
        .await,
        409,
        "invalid_transition",
    )
    .await;
    assert_problem(
        app.post(
            &format!("/api/v1/periods/{}/extensions", c.period),
            &r.finance,
            json!({"unit_id": unit2, "until": "2026-07-20"}),
        )
        .await,
        409,
        "locked",
    )
    .await;
    // The reporter still sees only its own part of the frozen report.
    let mine = ok(app.get(&path, &rep2).await, 200).await;
    assert_eq!(mine["published"], true);
    assert_eq!(mine["units"].as_array().unwrap().len(), 1);
}

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
    let other = app.create_unit(&c.roles.admin, "ELSE").await;
    let (_, stranger) = app
        .create_user(&c.roles.admin, "else.reporter", "reporter", Some(other))
        .await;
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
async fn a_draft_and_a_form_never_filed_are_not_reported_until_submitted() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let url = format!("/api/v1/periods/{}/report", c.period);
    let never_filed = ok(app.get(&url, &r.finance).await, 200).await;
    assert_eq!(
        never_filed["not_reported"],
        json!({"fiscal": "100.000000", "union": "300.000000", "total": "400.000000"})
    );
    let draft = ok(app.post("/api/v1/submissions", &r.reporter, json!({"period_id": c.period, "item_id": c.item,
        "executed": {"fiscal": "50", "union": "100"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}})).await, 201).await;
    let as_draft = ok(app.get(&url, &r.finance).await, 200).await;
    assert_eq!(as_draft["not_reported"], never_filed["not_reported"]);
    assert_eq!(as_draft["units"][0]["not_reported"]["total"], "400.000000");
    let id = draft["id"].as_str().unwrap();
    ok(
        app.post(
            &format!("/api/v1/submissions/{id}/submit"),
            &r.reporter,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    let submitted = ok(app.get(&url, &r.finance).await, 200).await;
    assert_eq!(
        submitted["not_reported"],
        json!({"fiscal": "0.000000", "union": "0.000000", "total": "0.000000"})
    );
    assert_eq!(submitted["units"][0]["not_reported"]["total"], "0.000000");
}

async fn created(app: &TestApp, token: &str, body: Value) -> String {
    let item = ok(app.post("/api/v1/items", token, body).await, 201).await;
    item["id"].as_str().unwrap().to_string()
}

async fn filed(app: &TestApp, token: &str, body: Value, submit: bool) {
    let form = ok(app.post("/api/v1/submissions", token, body).await, 201).await;
    if submit {
        let id = form["id"].as_str().unwrap();
        let path = format!("/api/v1/submissions/{id}/submit");
        ok(app.post(&path, token, json!({})).await, 200).await;
    }
}

/// DESIGN §5: each yuan once (a fund within its unit's overall budget, an allocation within
/// its parent fund, a unit without an overall item with its funds and projects), executed
/// over reported forms only, drafts and missing forms as not reported.
#[tokio::test]
async fn the_totals_count_each_yuan_once_and_only_reported_execution() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let signatures =
        json!({"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"});
    // Unit A: its overall item (100 / 300) submitted, and a special fund within it.
    filed(&app, &r.reporter, json!({"period_id": c.period, "item_id": c.item, "executed": {"fiscal": "30", "union": "60"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "signatures": signatures}), true).await;
    let fund_a = created(
        &app,
        &r.reporter,
        json!({"year": 2026, "kind": "special_fund", "name": "帮扶资金",
        "budget": {"fiscal": "50", "union": "0"}, "funding_source": "fiscal_allocation"}),
    )
    .await;
    filed(
        &app,
        &r.reporter,
        json!({"period_id": c.period, "item_id": fund_a, "executed": {"fiscal": "20", "union": "0"},
        "signatures": signatures}),
        true,
    )
    .await;
    // Unit B: no overall item; a special fund submitted, a project in draft, and an
    // allocation from unit A's fund (never filed).
    let unit_b = app.create_unit(&r.admin, "B").await;
    let (_, rep_b) = app
        .create_user(&r.admin, "reporter.b", "reporter", Some(unit_b))
        .await;
    let fund_b = created(
        &app,
        &rep_b,
        json!({"year": 2026, "kind": "special_fund", "name": "会员服务资金",
        "budget": {"fiscal": "0", "union": "200"}, "funding_source": "own"}),
    )
    .await;
    filed(
        &app,
        &rep_b,
        json!({"period_id": c.period, "item_id": fund_b, "executed": {"fiscal": "0", "union": "50"},
        "signatures": signatures}),
        true,
    )
    .await;
    let project = created(
        &app,
        &rep_b,
        json!({"year": 2026, "kind": "project", "name": "阵地改造",
        "budget": {"fiscal": "40", "union": "0"}, "start_year": 2026, "end_year": 2026}),
    )
    .await;
    filed(&app, &rep_b, json!({"period_id": c.period, "item_id": project, "executed": {"fiscal": "10", "union": "0"}}), false).await;
    created(&app, &r.finance, json!({"unit_id": unit_b, "year": 2026, "kind": "special_fund", "name": "下拨帮扶资金",
        "budget": {"fiscal": "30", "union": "0"}, "funding_source": "fiscal_allocation", "parent_id": fund_a})).await;

    let rep = ok(
        app.get(&format!("/api/v1/periods/{}/report", c.period), &r.finance)
            .await,
        200,
    )
    .await;
    let money = |f: &str, u: &str, t: &str| json!({"fiscal": f, "union": u, "total": t});
    // A's overall 100/300, B's fund 0/200 and project 40/0; A's fund and the allocation are within.
    assert_eq!(
        rep["budget"],
        money("140.000000", "500.000000", "640.000000")
    );
    // The draft project is not reported; its 10 executed are not counted.
    assert_eq!(
        rep["not_reported"],
        money("40.000000", "0.000000", "40.000000")
    );
    assert_eq!(
        rep["reported_budget"],
        money("100.000000", "500.000000", "600.000000")
    );
    assert_eq!(
        rep["executed"],
        money("30.000000", "110.000000", "140.000000")
    );
    // 140 / 600
    assert_eq!(rep["execution_rate"]["total"], "23.33");
    let funds = &rep["of_which"]["special_funds"];
    assert_eq!(
        funds["budget"],
        money("50.000000", "200.000000", "250.000000")
    );
    assert_eq!(
        funds["executed"],
        money("20.000000", "50.000000", "70.000000")
    );
    let projects = &rep["of_which"]["projects"];
    assert_eq!(
        projects["budget"],
        money("40.000000", "0.000000", "40.000000")
    );
    assert_eq!(projects["not_reported"], projects["budget"]);
    assert_eq!(
        projects["executed"],
        money("0.000000", "0.000000", "0.000000")
    );
    // The unit rows add up to the totals.
    let b = rep["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == unit_b.to_string().as_str())
        .unwrap();
    assert_eq!(b["budget"], money("40.000000", "200.000000", "240.000000"));
    assert_eq!(
        b["not_reported"],
        money("40.000000", "0.000000", "40.000000")
    );
    // The allocation's form is missing, listed as an item row.
    assert_eq!(rep["forms"]["missing"], 1);
}

/// An accepted form keeps the figures it was accepted with; after the item's budget is adjusted
/// its report row still shows the budget, rate and warning of that one computation, while the
/// totals use the budget of today.
#[tokio::test]
async fn a_report_row_shows_its_rate_and_warning_against_the_budget_they_were_computed_on() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let form = ok(app.post("/api/v1/submissions", &r.reporter, json!({"period_id": c.period, "item_id": c.item,
        "executed": {"fiscal": "50", "union": "150"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}})).await, 201).await;
    let id = form["id"].as_str().unwrap();
    ok(
        app.post(
            &format!("/api/v1/submissions/{id}/submit"),
            &r.reporter,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    let accepted = ok(
        app.post(
            &format!("/api/v1/submissions/{id}/accept"),
            &r.finance,
            json!({}),
        )
        .await,
        200,
    )
    .await;
    ok(
        app.post(
            "/api/v1/measures",
            &r.finance,
            json!({"item_id": c.item, "kind": "adjust_budget", "reason": "预计难以完成",
        "new_budget": {"fiscal": "70", "union": "250"}}),
        )
        .await,
        201,
    )
    .await;

    let rep = ok(
        app.get(&format!("/api/v1/periods/{}/report", c.period), &r.finance)
            .await,
        200,
    )
    .await;
    let row = &rep["items"][0];
    assert_eq!(row["budget"]["total"], "400.000000", "{row}");
    // 200 / 400, the form's own figures.
    assert_eq!(row["execution_rate"], accepted["execution_rate"]);
    assert_eq!(row["execution_rate"]["total"], "50.00");
    assert_eq!(row["warning"], accepted["warning"]);
    // The period's totals count the budget of today.
    assert_eq!(rep["budget"]["total"], "320.000000");
    assert_eq!(rep["execution_rate"]["total"], "62.50");
}
