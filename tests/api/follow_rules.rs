//! Follow-through rules across resources: what an approved adjustment or a budget measure
//! recomputes, read back through the API.

use serde_json::json;
use uuid::Uuid;

use crate::helpers::*;

/// Opens one more period of 2026 (an interim one) and files a complete draft form of the
/// item in it with 40 of its fiscal budget executed.
async fn draft_in_new_period(c: &Cycle, as_of: &str) -> Uuid {
    let f = &c.roles.finance;
    let body = json!({"year": 2026, "kind": "interim", "as_of": as_of,
        "submission_deadline": "2026-12-31", "report_deadline": "2027-01-31"});
    let p = f.created("/api/v1/periods", body).await;
    f.open_period(p.id).await;
    draft(c, &p.id.to_string()).await
}

async fn draft(c: &Cycle, period: &str) -> Uuid {
    let mut body = c.form_body(["40", "0"], ["400", "90"]);
    body["period_id"] = json!(period);
    let s = c.draft_form(body).await;
    assert_eq!(s.body["execution_rate"]["fiscal"], "40.00");
    s.id
}

async fn fiscal_rate(c: &Cycle, form: Uuid) -> (String, String) {
    let s = c
        .roles
        .finance
        .read(&format!("/api/v1/submissions/{form}"))
        .await;
    (
        s["execution_rate"]["fiscal"].as_str().unwrap().to_string(),
        s["budget"]["fiscal"].as_str().unwrap().to_string(),
    )
}

/// An item with forms in four periods: a draft, a submitted one, an accepted one, and
/// another draft; returns them in that order.
async fn forms_in_four_periods(c: &Cycle) -> Vec<Uuid> {
    let r = &c.roles;
    let first = draft(c, &c.period).await;
    let submitted = draft_in_new_period(c, "2026-08-31").await;
    r.reporter.stepped(submitted, "submit").await;
    let accepted = draft_in_new_period(c, "2026-09-30").await;
    r.reporter.stepped(accepted, "submit").await;
    r.finance.stepped(accepted, "accept").await;
    let last = draft_in_new_period(c, "2026-10-31").await;
    vec![first, submitted, accepted, last]
}

async fn assert_refreshed(c: &Cycle, forms: &[Uuid]) {
    for (n, form) in forms.iter().enumerate() {
        let (rate, budget) = fiscal_rate(c, *form).await;
        if n == 2 {
            assert_eq!(
                (rate.as_str(), budget.as_str()),
                ("40.00", "100.000000"),
                "the accepted form keeps the figures it was accepted with"
            );
        } else {
            assert_eq!(
                (rate.as_str(), budget.as_str()),
                ("50.00", "80.000000"),
                "form {n} is judged against the adjusted budget"
            );
        }
    }
}

#[tokio::test]
async fn an_approved_adjustment_recomputes_every_form_of_the_item_not_yet_accepted() {
    let (_app, c) = spawn_cycle().await;
    let r = &c.roles;
    let forms = forms_in_four_periods(&c).await;
    let req = json!({"item_id": c.item, "cause": "policy_change", "explanation": "上级调整政策",
        "countermeasures": "压缩规模", "new_budget": {"fiscal": "80", "union": "300"}});
    let a = r.reporter.created("/api/v1/adjustment-requests", req).await;
    let approve = format!("/api/v1/adjustment-requests/{}/approve", a.id);
    let approved = r.finance.act(&approve).await;
    assert_eq!(approved["status"], "approved");
    assert_refreshed(&c, &forms).await;
}

#[tokio::test]
async fn a_budget_measure_recomputes_every_form_of_the_item_not_yet_accepted() {
    let (_app, c) = spawn_cycle().await;
    let forms = forms_in_four_periods(&c).await;
    let body = json!({"item_id": c.item, "kind": "adjust_budget", "reason": "执行进度滞后",
        "new_budget": {"fiscal": "80", "union": "300"}});
    let m = c.roles.finance.created("/api/v1/measures", body).await;
    assert_eq!(m.body["new_budget"]["fiscal"], "80.000000");
    assert_refreshed(&c, &forms).await;
}

#[tokio::test]
async fn a_withdrawn_request_cannot_be_approved_and_says_why() {
    let (_app, c) = spawn_cycle().await;
    let r = &c.roles;
    let req = json!({"item_id": c.item, "cause": "emergency", "explanation": "突发事件",
        "countermeasures": "调整计划", "new_budget": {"fiscal": "80", "union": "300"}});
    let id = r
        .reporter
        .created("/api/v1/adjustment-requests", req)
        .await
        .id;
    r.reporter
        .act(&format!("/api/v1/adjustment-requests/{id}/withdraw"))
        .await;
    let approve = format!("/api/v1/adjustment-requests/{id}/approve");
    let p = r.finance.step(&approve, INVALID_TRANSITION).await;
    assert!(p["detail"].as_str().unwrap().contains("withdrawn"), "{p}");
    let item = r.finance.read(&format!("/api/v1/items/{}", c.item)).await;
    assert_eq!(item["budget"]["fiscal"], "100.000000", "nothing applied");
}

#[tokio::test]
async fn a_corrective_action_step_is_audited_as_the_statuses_it_moved_between_and_its_note() {
    let (app, c) = spawn_cycle().await;
    let r = &c.roles;
    let sid = crate::follow_through::form(&c, "5").await;
    let body = crate::follow_through::late_training(&c, sid, "每周加开两期培训");
    let a = r.reporter.created("/api/v1/corrective-actions", body).await;
    let progress = format!("/api/v1/corrective-actions/{}/progress", a.id);
    let note = json!({"note": "已加开两期"});
    r.reporter.post_is(&progress, note, 200).await;
    let steps = app
        .audit(&r.admin, "action=corrective_action.progress")
        .await;
    assert_eq!(steps.len(), 1);
    assert_eq!(steps[0]["before"], json!({"status": "open"}));
    assert_eq!(
        steps[0]["after"],
        json!({"status": "in_progress", "note": "已加开两期"})
    );
}
