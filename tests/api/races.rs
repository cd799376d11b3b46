//! Requests racing each other on the same objects (on PostgreSQL, where they run in parallel;
//! SQLite's one writer takes them in turn): a form's step and an edit of what it is judged
//! against, finance's decisions and the period's publication, copies of one retried create.

use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn a_budget_edit_racing_a_submission_is_refused_or_the_form_is_judged_against_it() {
    let (_app, c) = spawn_cycle().await;
    let rep = &c.roles.reporter;
    let item_path = format!("/api/v1/items/{}", c.item);
    let form = c.draft_form(c.form_body(["10", "20"], ["100", "90"])).await;
    let item = rep.get(&item_path).await;
    let tag = item.headers()["etag"].to_str().unwrap().to_string();
    let budget = json!({"budget": {"fiscal": "200", "union": "300"}});
    let submit = format!("/api/v1/submissions/{}/submit", form.id);
    let (s, p) = tokio::join!(
        rep.post(&submit, json!({})),
        rep.patch(&item_path, Some(&tag), budget)
    );
    assert_eq!(s.status(), 200);
    // The edit came first (200, and the form was judged against it) or found the form
    // submitted (409 locked).
    assert!([200, 409].contains(&p.status().as_u16()), "{}", p.status());
    let form = rep.read(&format!("/api/v1/submissions/{}", form.id)).await;
    let item = rep.read(&item_path).await;
    assert_eq!(form["budget"], item["budget"]);
}

#[tokio::test]
async fn forms_accepted_while_the_period_is_published_are_all_in_the_frozen_report() {
    let (app, c) = spawn_cycle().await;
    let r = &c.roles;
    // Eight units' forms, submitted.
    let mut forms = vec![];
    for u in 0..8 {
        let unit = app.unit(&format!("P{u}")).await.id;
        let rep = app
            .sign_up(&format!("rep{u}"), "reporter", Some(unit))
            .await;
        let item = rep.item(json!({"year": 2026, "kind": "overall", "name": "整体", "budget": {"fiscal": "100", "union": "0"}})).await;
        let f = rep.filed_form(json!({"period_id": c.period, "item_id": item.id, "executed": {"fiscal": "50", "union": "0"},
            "signatures": {"unit_head": "赵", "supervising_leader": "钱", "date": "2026-07-09"}})).await;
        forms.push(f.id);
    }
    let period = format!("/api/v1/periods/{}", c.period);
    r.finance.act(&format!("{period}/close")).await;
    let accepts = forms.iter().map(|id| {
        let path = format!("/api/v1/submissions/{id}/accept");
        async move { r.finance.post(&path, json!({})).await.status().as_u16() }
    });
    let publish_path = format!("{period}/publish");
    let publish = r.finance.post(&publish_path, json!({}));
    let (answers, published) = tokio::join!(futures_util::future::join_all(accepts), publish);
    assert_eq!(published.status(), 200);
    for a in &answers {
        assert!([200, 409].contains(a), "{answers:?}");
    }
    // Every acceptance answered 200 happened before the publication froze the report; the
    // others were refused as locked.
    let accepted = answers.iter().filter(|a| **a == 200).count() as i64;
    let report = r.finance.read(&format!("{period}/report")).await;
    let frozen: i64 = report["forms"]["accepted"].as_i64().unwrap();
    let list = r
        .finance
        .read(&format!(
            "/api/v1/submissions?period_id={}&status=accepted",
            c.period
        ))
        .await;
    assert_eq!(list["total"], json!(frozen), "{report}");
    assert_eq!(frozen, accepted, "{answers:?}");
}

#[tokio::test]
async fn copies_of_one_retried_create_sent_at_once_all_get_the_first_answer() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let body = json!({"code": "GHB", "name": "工会办", "kind": "department"});
    let sends = (0..8).map(|_| admin.post_keyed("/api/v1/units", "same-key", &body));
    let answers: Vec<_> = futures_util::future::join_all(sends).await;
    let mut ids = std::collections::BTreeSet::new();
    for a in answers {
        assert_eq!(a.status(), 201);
        let v: Value = a.json().await.unwrap();
        ids.insert(v["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 1);
    assert_eq!(admin.total("/api/v1/units").await, 1);
}

#[tokio::test]
async fn a_form_submitted_four_times_at_once_is_submitted_once_and_the_rest_are_409() {
    let (_app, c) = spawn_cycle().await;
    let form = c.draft_form(c.form_body(["10", "20"], ["100", "90"])).await;
    let path = format!("/api/v1/submissions/{}/submit", form.id);
    let sends = (0..4).map(|_| c.roles.reporter.post(&path, json!({})));
    let mut ok = 0;
    for r in futures_util::future::join_all(sends).await {
        if r.status() == 200 {
            ok += 1;
        } else {
            // Not 412: the step named no version; the form had moved on.
            assert_problem(r, 409, "invalid_transition").await;
        }
    }
    assert_eq!(ok, 1);
}
