//! The report's totals: equal to the sums of their rows, each yuan once, only reported execution.

use super::*;
use crate::helpers::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

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
async fn a_draft_and_a_form_never_filed_are_not_reported_until_submitted() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let r = &c.roles;
    let url = format!("/api/v1/periods/{}/report", c.period);
    let never_filed = ok(r.finance.get(&url).await, 200).await;
    assert_eq!(
        never_filed["not_reported"],
        json!({"fiscal": "100.000000", "union": "300.000000", "total": "400.000000"})
    );
    let draft = ok(app.post("/api/v1/submissions", &r.reporter, json!({"period_id": c.period, "item_id": c.item,
        "executed": {"fiscal": "50", "union": "100"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}})).await, 201).await;
    let as_draft = ok(r.finance.get(&url).await, 200).await;
    assert_eq!(as_draft["not_reported"], never_filed["not_reported"]);
    assert_eq!(as_draft["units"][0]["not_reported"]["total"], "400.000000");
    let id = draft["id"].as_str().unwrap();
    r.reporter
        .act(&format!("/api/v1/submissions/{id}/submit"))
        .await;
    let submitted = ok(r.finance.get(&url).await, 200).await;
    assert_eq!(
        submitted["not_reported"],
        json!({"fiscal": "0.000000", "union": "0.000000", "total": "0.000000"})
    );
    assert_eq!(submitted["units"][0]["not_reported"]["total"], "0.000000");
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
    r.reporter.filed_form(json!({"period_id": c.period, "item_id": c.item, "executed": {"fiscal": "30", "union": "60"},
        "indicator_values": [{"indicator_id": c.indicators[0], "actual": "100"}, {"indicator_id": c.indicators[1], "actual": "90"}],
        "signatures": signatures})).await;
    let fund_a = r
        .reporter
        .item(
            json!({"year": 2026, "kind": "special_fund", "name": "帮扶资金",
        "budget": {"fiscal": "50", "union": "0"}, "funding_source": "fiscal_allocation"}),
        )
        .await
        .id;
    r.reporter.filed_form(json!({"period_id": c.period, "item_id": fund_a, "executed": {"fiscal": "20", "union": "0"},
        "signatures": signatures})).await;
    // Unit B: no overall item; a special fund submitted, a project in draft, and an
    // allocation from unit A's fund (never filed).
    let unit_b = app.unit("B").await.id;
    let rep_b = app.as_reporter(unit_b).await;
    let fund_b = rep_b
        .item(
            json!({"year": 2026, "kind": "special_fund", "name": "会员服务资金",
        "budget": {"fiscal": "0", "union": "200"}, "funding_source": "own"}),
        )
        .await
        .id;
    rep_b.filed_form(json!({"period_id": c.period, "item_id": fund_b, "executed": {"fiscal": "0", "union": "50"},
        "signatures": signatures})).await;
    let project = rep_b
        .item(json!({"year": 2026, "kind": "project", "name": "阵地改造",
        "budget": {"fiscal": "40", "union": "0"}, "start_year": 2026, "end_year": 2026}))
        .await
        .id;
    rep_b.form(json!({"period_id": c.period, "item_id": project, "executed": {"fiscal": "10", "union": "0"}})).await;
    r.finance.item(json!({"unit_id": unit_b, "year": 2026, "kind": "special_fund", "name": "下拨帮扶资金",
        "budget": {"fiscal": "30", "union": "0"}, "funding_source": "fiscal_allocation", "parent_id": fund_a})).await;

    let rep = ok(
        r.finance
            .get(&format!("/api/v1/periods/{}/report", c.period))
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
    r.reporter
        .act(&format!("/api/v1/submissions/{id}/submit"))
        .await;
    let accepted = r
        .finance
        .act(&format!("/api/v1/submissions/{id}/accept"))
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
        r.finance
            .get(&format!("/api/v1/periods/{}/report", c.period))
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
