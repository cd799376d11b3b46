//! Who may read and write the monitoring core: other units get 404, other roles 403.

use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn a_reporter_of_another_unit_gets_404_everywhere_and_a_viewer_cannot_write() {
    let (app, c) = spawn_cycle().await;
    let r = &c.roles;
    let stranger = app.stranger().await;
    let new_form = json!({"period_id": c.period, "item_id": c.item});
    let sid = c.draft_form(new_form.clone()).await.id;
    let item = &c.item;
    let ind = &c.indicators[0];
    for path in [
        format!("/api/v1/items/{item}"),
        format!("/api/v1/items/{item}/indicators"),
        format!("/api/v1/items/{item}/indicators/{ind}"),
        format!("/api/v1/submissions/{sid}"),
        format!("/api/v1/submissions/{sid}/versions"),
    ] {
        stranger.get_is(&path, NOT_FOUND).await;
        assert_eq!(r.viewer.get(&path).await.status(), 200, "{path}");
    }
    let (item_path, form_path) = (
        format!("/api/v1/items/{item}"),
        format!("/api/v1/submissions/{sid}"),
    );
    let rename = || json!({"name": "x"});
    let v1 = Some("\"1\"");
    stranger.patch_is(&item_path, v1, rename(), NOT_FOUND).await;
    stranger.post_is(&format!("{item_path}/indicators"), json!({"level1": "output", "level2": "quantity", "name": "x", "direction": "higher_better", "target": "1"}), NOT_FOUND).await;
    let forms = "/api/v1/submissions";
    stranger.post_is(forms, new_form.clone(), NOT_FOUND).await;
    stranger
        .step(&format!("{form_path}/submit"), NOT_FOUND)
        .await;
    stranger
        .put_is(&form_path, "\"1\"", &json!({}), NOT_FOUND)
        .await;
    // Lists never show it.
    for path in [
        "/api/v1/items",
        "/api/v1/submissions",
        &format!("/api/v1/items?unit_id={}", r.unit),
    ] {
        assert_eq!(stranger.total(path).await, 0, "{path}");
    }
    let period = format!("/api/v1/periods/{}", c.period);
    let completeness = stranger.read(&format!("{period}/completeness")).await;
    assert_eq!(completeness.as_array().unwrap().len(), 0);
    // A viewer reads but writes nothing.
    let v = &r.viewer;
    v.patch_is(&item_path, v1, rename(), FORBIDDEN).await;
    v.post_is("/api/v1/items", json!({"unit_id": r.unit, "year": 2026, "kind": "project", "name": "x", "budget": {"fiscal": "1", "union": "1"}}), FORBIDDEN).await;
    v.post_is(forms, new_form, FORBIDDEN).await;
    v.post_is("/api/v1/periods", json!({"year": 2027, "kind": "h1", "as_of": "2027-06-30", "submission_deadline": "2027-07-10", "report_deadline": "2027-07-31"}), FORBIDDEN).await;
    r.reporter.step(&format!("{period}/close"), FORBIDDEN).await;
    let key = json!({"key_monitored": true});
    let key_path = format!("{item_path}/key-monitoring");
    r.reporter.post_is(&key_path, key, FORBIDDEN).await;
}

#[tokio::test]
async fn finance_only_fields_are_refused_from_a_reporter() {
    let (_app, c) = spawn_cycle().await;
    let (rep, item) = (&c.roles.reporter, format!("/api/v1/items/{}", c.item));
    rep.post_is("/api/v1/items", json!({"year": 2026, "kind": "project", "name": "维修", "budget": {"fiscal": "1", "union": "1"}, "start_year": 2026, "end_year": 2026, "key_monitored": true}), invalid("key_monitored")).await;
    let payment = json!({"payment_status": "normal"});
    rep.patch_is(&item, Some("\"1\""), payment, VALIDATION_FAILED)
        .await;
    // Finance designates key monitoring.
    let key = json!({"key_monitored": true});
    let key_path = format!("{item}/key-monitoring");
    let v = c.roles.finance.post_is(&key_path, key, 200).await;
    assert_eq!(v["key_monitored"], true);
}

/// (method, path, body, the roles refused with 403)
type Refusals<'a> = Vec<(Method, String, Value, Vec<&'a Session>)>;

#[tokio::test]
async fn every_write_of_the_monitoring_core_is_refused_to_the_roles_that_may_not_do_it() {
    let (_app, c) = spawn_cycle().await;
    let r = &c.roles;
    let s = c
        .draft_form(json!({"period_id": c.period, "item_id": c.item}))
        .await;
    let (p, i, ind, sid) = (&c.period, &c.item, &c.indicators[0], s.id);
    let period_body = json!({"year": 2027, "kind": "h1", "as_of": "2027-06-30", "submission_deadline": "2027-07-10", "report_deadline": "2027-07-31"});
    let item_body = json!({"unit_id": r.unit, "year": 2026, "kind": "special_fund", "name": "x", "budget": {"fiscal": "1", "union": "1"}, "funding_source": "own"});
    let ind_body = json!({"level1": "output", "level2": "quantity", "name": "x", "direction": "higher_better", "target": "1"});
    let (finance_only, reporter_only, unit_writers) = (
        vec![&r.admin, &r.reporter, &r.viewer],
        vec![&r.admin, &r.finance, &r.viewer],
        vec![&r.admin, &r.viewer],
    );
    let cases: Refusals = vec![
        (
            Method::POST,
            "/api/v1/periods".into(),
            period_body,
            finance_only.clone(),
        ),
        (
            Method::PATCH,
            format!("/api/v1/periods/{p}"),
            json!({"name": "x"}),
            finance_only.clone(),
        ),
        (
            Method::POST,
            format!("/api/v1/periods/{p}/close"),
            json!({}),
            finance_only.clone(),
        ),
        (
            Method::POST,
            format!("/api/v1/periods/{p}/open"),
            json!({}),
            finance_only.clone(),
        ),
        (
            Method::POST,
            format!("/api/v1/periods/{p}/publish"),
            json!({}),
            finance_only.clone(),
        ),
        (
            Method::POST,
            format!("/api/v1/periods/{p}/extensions"),
            json!({"unit_id": r.unit, "until": "2026-07-20"}),
            finance_only.clone(),
        ),
        (
            Method::POST,
            "/api/v1/items".into(),
            item_body,
            unit_writers.clone(),
        ),
        (
            Method::PATCH,
            format!("/api/v1/items/{i}"),
            json!({"name": "x"}),
            unit_writers.clone(),
        ),
        (
            Method::POST,
            format!("/api/v1/items/{i}/key-monitoring"),
            json!({"key_monitored": true}),
            finance_only.clone(),
        ),
        (
            Method::POST,
            format!("/api/v1/items/{i}/indicators"),
            ind_body.clone(),
            unit_writers.clone(),
        ),
        (
            Method::PATCH,
            format!("/api/v1/items/{i}/indicators/{ind}"),
            ind_body,
            unit_writers.clone(),
        ),
        (
            Method::DELETE,
            format!("/api/v1/items/{i}/indicators/{ind}"),
            Value::Null,
            unit_writers,
        ),
        (
            Method::POST,
            "/api/v1/submissions".into(),
            json!({"period_id": p, "item_id": i}),
            reporter_only.clone(),
        ),
        (
            Method::PUT,
            format!("/api/v1/submissions/{sid}"),
            json!({}),
            reporter_only.clone(),
        ),
        (
            Method::POST,
            format!("/api/v1/submissions/{sid}/submit"),
            json!({}),
            reporter_only,
        ),
        (
            Method::POST,
            format!("/api/v1/submissions/{sid}/accept"),
            json!({}),
            finance_only.clone(),
        ),
        (
            Method::POST,
            format!("/api/v1/submissions/{sid}/return"),
            json!({"reason": "x"}),
            finance_only,
        ),
    ];
    for (method, path, body, refused) in &cases {
        for s in refused {
            let resp = s.call(method.clone(), path, Some("\"1\""), body).await;
            assert_eq!(resp.status(), 403, "{method} {path}");
        }
    }
    // Nothing changed: the period is still open, the form still a draft, no second period.
    let period = r.viewer.read(&format!("/api/v1/periods/{p}")).await;
    assert_eq!(period["status"], "open");
    let form = r.viewer.read(&format!("/api/v1/submissions/{sid}")).await;
    assert_eq!(form["status"], "draft");
    assert_eq!(form["version"], 1);
    assert_eq!(r.viewer.total("/api/v1/periods").await, 1);
    let inds = r
        .viewer
        .read(&format!("/api/v1/items/{i}/indicators"))
        .await;
    assert_eq!(inds.as_array().unwrap().len(), 2);
}
