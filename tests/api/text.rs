//! One rule for every text field on both databases: control characters other than tab, CR and
//! LF are refused with 422 naming the field, and nothing is stored.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

/// Replaces every `"BAD"` in a body with the control character.
fn with_bad(body: &Value, bad: &str) -> Value {
    match body {
        Value::String(s) if s == "BAD" => Value::String(format!("正文{bad}正文")),
        Value::Array(a) => Value::Array(a.iter().map(|v| with_bad(v, bad)).collect()),
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), with_bad(v, bad)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[tokio::test]
async fn control_characters_in_any_text_field_are_refused_naming_the_field_and_nothing_is_stored() {
    let (app, c) = spawn_cycle().await;
    let r = &c.roles;
    let form = r.reporter.form(json!({"period_id": c.period, "item_id": c.item,
        "executed": {"fiscal": "40", "union": "120"}, "signatures": {"unit_head": "李明", "supervising_leader": "王强", "date": "2026-07-08"}})).await;
    let (form, unit) = (form.id.to_string(), r.unit.to_string());
    let (item, ind) = (c.item.clone(), c.indicators[0].clone());
    let (fin, rep, adm) = (r.finance.as_str(), r.reporter.as_str(), r.admin.as_str());

    // (method, path, token, body with "BAD" where the text goes, the field named)
    let cases: Vec<(Method, String, &str, Value, &str)> = vec![
        (
            Method::POST,
            "/api/v1/units".into(),
            adm,
            json!({"code": "T1", "name": "BAD", "kind": "department"}),
            "name",
        ),
        (
            Method::POST,
            "/api/v1/units".into(),
            adm,
            json!({"code": "BAD", "name": "单位", "kind": "department"}),
            "code",
        ),
        (
            Method::PATCH,
            format!("/api/v1/units/{unit}"),
            adm,
            json!({"name": "BAD"}),
            "name",
        ),
        (
            Method::POST,
            "/api/v1/users".into(),
            adm,
            json!({"username": "BAD", "password": PASSWORD, "role": "viewer"}),
            "username",
        ),
        (
            Method::POST,
            "/api/v1/users".into(),
            adm,
            json!({"username": "new.user", "password": "BAD", "role": "viewer"}),
            "password",
        ),
        (
            Method::POST,
            "/api/v1/periods".into(),
            fin,
            json!({"year": 2027, "kind": "h1", "name": "BAD", "as_of": "2027-06-30", "submission_deadline": "2027-07-10", "report_deadline": "2027-07-31"}),
            "name",
        ),
        (
            Method::POST,
            "/api/v1/items".into(),
            rep,
            json!({"year": 2026, "kind": "special_fund", "name": "资金", "budget": {"fiscal": "1", "union": "0"}, "annual_goal": "BAD", "funding_source": "fiscal_allocation"}),
            "annual_goal",
        ),
        (
            Method::POST,
            "/api/v1/items".into(),
            rep,
            json!({"year": 2026, "kind": "special_fund", "name": "BAD", "budget": {"fiscal": "1", "union": "0"}, "funding_source": "fiscal_allocation"}),
            "name",
        ),
        (
            Method::POST,
            format!("/api/v1/items/{item}/indicators"),
            rep,
            json!({"level1": "output", "level2": "quality", "name": "合格率", "measure_unit": "BAD", "direction": "higher_better", "target": "95"}),
            "measure_unit",
        ),
        (
            Method::POST,
            format!("/api/v1/items/{item}/indicators"),
            rep,
            json!({"level1": "output", "level2": "quality", "name": "BAD", "measure_unit": "%", "direction": "higher_better", "target": "95"}),
            "name",
        ),
        (
            Method::POST,
            format!("/api/v1/items/{item}/indicators"),
            rep,
            json!({"level1": "effect", "level2": "social_benefit", "name": "职工权益", "measure_unit": "", "direction": "qualitative", "target": "BAD"}),
            "target",
        ),
        (
            Method::PUT,
            format!("/api/v1/submissions/{form}"),
            rep,
            json!({"executed": {"fiscal": "40", "union": "120"}, "goal_progress": "BAD"}),
            "goal_progress",
        ),
        (
            Method::PUT,
            format!("/api/v1/submissions/{form}"),
            rep,
            json!({"deviation_analysis": "BAD", "corrective_measures": "措施"}),
            "deviation_analysis",
        ),
        (
            Method::PUT,
            format!("/api/v1/submissions/{form}"),
            rep,
            json!({"indicator_values": [{"indicator_id": ind, "actual": "10", "note": "BAD"}]}),
            "indicator_values[0].note",
        ),
        (
            Method::PUT,
            format!("/api/v1/submissions/{form}"),
            rep,
            json!({"compliance": [{"check": "over_budget", "problem": true, "note": "BAD"}]}),
            "compliance[0].note",
        ),
        (
            Method::PUT,
            format!("/api/v1/submissions/{form}"),
            rep,
            json!({"signatures": {"unit_head": "BAD", "supervising_leader": "王强", "date": "2026-07-08"}}),
            "signatures.unit_head",
        ),
        (
            Method::POST,
            "/api/v1/corrective-actions".into(),
            rep,
            json!({"submission_id": form, "lens": "timeliness", "cause": "BAD", "measure": "加开培训", "owner": "张华", "due_date": "2026-09-30"}),
            "cause",
        ),
        (
            Method::POST,
            "/api/v1/corrective-actions".into(),
            rep,
            json!({"submission_id": form, "lens": "timeliness", "cause": "延误", "measure": "加开培训", "owner": "BAD", "due_date": "2026-09-30"}),
            "owner",
        ),
        (
            Method::POST,
            "/api/v1/adjustment-requests".into(),
            rep,
            json!({"item_id": item, "cause": "policy_change", "explanation": "BAD", "countermeasures": "压缩规模", "new_budget": {"fiscal": "80", "union": "300"}}),
            "explanation",
        ),
        (
            Method::POST,
            "/api/v1/measures".into(),
            fin,
            json!({"item_id": item, "kind": "budget_reference", "reason": "BAD", "period_id": c.period}),
            "reason",
        ),
        (
            Method::POST,
            "/api/v1/auth/token".into(),
            "",
            json!({"username": "BAD", "password": PASSWORD}),
            "username",
        ),
    ];
    let audit_total = || r.admin.total("/api/v1/audit-events?per_page=1");
    let before = audit_total().await;
    for bad in ["\u{0}", "\u{1b}", "\u{7f}", "\u{85}"] {
        for (method, path, token, body, field) in &cases {
            let mut req = app.req(method.clone(), path, (!token.is_empty()).then_some(*token));
            if matches!(*method, Method::PUT | Method::PATCH) {
                req = req.header("If-Match", "*");
            }
            let r = app.send(req.json(&with_bad(body, bad))).await;
            let p = assert_problem(r, 422, "validation_failed").await;
            let named: Vec<_> = p["errors"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
                .collect();
            assert_eq!(
                named,
                [(*field, "control_character")],
                "{method} {path} with {bad:?}: {p}"
            );
        }
    }
    assert_eq!(audit_total().await, before, "nothing was written");
    assert_eq!(r.admin.total("/api/v1/units").await, 1);
    let f = r
        .reporter
        .read(&format!("/api/v1/submissions/{form}"))
        .await;
    assert_eq!(f["version"], 1, "the form was not changed");
}

#[tokio::test]
async fn a_bad_sign_in_name_gets_the_same_answer_whether_or_not_the_user_exists() {
    let app = spawn_app().await;
    let answer = |username: &'static str| {
        let app = &app;
        async move {
            let r = app.try_login(username, ADMIN_PASSWORD).await;
            let mut p = assert_problem(r, 422, "validation_failed").await;
            p.as_object_mut().unwrap().remove("request_id");
            p["detail"] = Value::Null;
            p
        }
    };
    assert_eq!(answer("admin\u{0}").await, answer("nobody\u{0}").await);
    let events = app.audit(&app.as_admin().await, "").await;
    assert!(
        events.iter().all(|e| e["action"] != "auth.login_failed"),
        "a refused request is not a sign-in attempt"
    );
}

#[tokio::test]
async fn query_filters_follow_the_same_rule() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    for (query, field) in [
        ("action=unit.create%00", "action"),
        ("resource_type=unit%1B", "resource_type"),
        ("resource_id=%C2%85", "resource_id"),
    ] {
        let path = format!("/api/v1/audit-events?{query}");
        let p = admin.get_is(&path, invalid(field)).await;
        assert_eq!(p["errors"][0]["code"], "control_character");
    }
    let kind = "/api/v1/units?kind=department%00";
    admin.get_is(kind, VALIDATION_FAILED).await;
    // The report's filters too, before the period is looked up.
    let nil = uuid::Uuid::nil();
    for report in ["report", "report.csv", "report.xlsx"] {
        let path = format!("/api/v1/periods/{nil}/{report}?sort=warning%00");
        let p = admin.get_is(&path, VALIDATION_FAILED).await;
        assert_eq!(p["errors"][0]["field"], "sort", "{path}");
        assert_eq!(p["errors"][0]["code"], "control_character", "{path}");
    }
}

#[tokio::test]
async fn tab_cr_and_lf_are_text_and_read_back_unchanged() {
    let (_app, c) = spawn_cycle().await;
    let goal = "第一行\r\n第二行\t第三列";
    let rep = &c.roles.reporter;
    let item = rep.item(json!({"year": 2026, "kind": "special_fund", "name": "资金", "budget": {"fiscal": "1", "union": "0"}, "annual_goal": goal, "funding_source": "fiscal_allocation"})).await;
    let read = rep.read(&format!("/api/v1/items/{}", item.id)).await;
    assert_eq!(read["annual_goal"], goal);
}

#[tokio::test]
async fn usernames_are_letters_digits_and_dot_underscore_hyphen_only() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let user = |name: &str| json!({"username": name, "password": PASSWORD, "role": "viewer"});
    for bad in ["has space", "张三", "a/b", "semi;colon", "tab\tname"] {
        let p = admin.post_is("/api/v1/users", user(bad), VALIDATION_FAILED);
        assert_eq!(p.await["errors"][0]["field"], "username", "{bad}");
    }
    admin.created("/api/v1/users", user("li.wei_2-x")).await;
}
