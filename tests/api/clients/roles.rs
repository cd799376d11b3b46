//! A client acts with its role and unit, like a user of that role, and the audit trail names
//! it as the actor.

use serde_json::json;

use super::*;

#[tokio::test]
async fn a_viewer_client_reads_everything_and_changes_nothing() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    let creds = viewer_client(&app, "province-platform").await;
    let bot = client_session(&app, &creds).await;
    let forms = ok(bot.get("/api/v1/submissions").await, 200).await;
    assert!(forms["total"].is_number());
    ok(bot.get(&format!("/api/v1/items/{}", c.item)).await, 200).await;
    ok(
        bot.get(&format!("/api/v1/periods/{}/report", c.period))
            .await,
        200,
    )
    .await;
    let r = bot
        .post(
            "/api/v1/units",
            json!({"code": "X1", "name": "单位X1", "kind": "department"}),
        )
        .await;
    assert_problem(r, 403, "forbidden").await;
    let r = bot
        .post(
            "/api/v1/submissions",
            json!({"period_id": c.period, "item_id": c.item}),
        )
        .await;
    assert_problem(r, 403, "forbidden").await;
}

#[tokio::test]
async fn a_reporter_client_files_its_units_forms_and_sees_no_other_unit() {
    let app = spawn_app().await;
    let c = open_cycle(&app).await;
    // Another unit with a form of its own.
    let other = app.unit("OTHER").await.id;
    let neighbour = app.as_reporter(other).await;
    let item = neighbour.item(json!({"year": 2026, "kind": "overall", "name": "整体支出", "budget": {"fiscal": "10", "union": "30"}, "annual_goal": "完成年度工作"})).await;
    let theirs = neighbour
        .form(json!({"period_id": c.period, "item_id": item.id}))
        .await;

    let creds = new_client(
        &app,
        json!({"name": "unit-scripts", "role": "reporter", "unit_id": c.roles.unit}),
    )
    .await;
    let bot = client_session(&app, &creds).await;
    let mine = bot
        .form(json!({"period_id": c.period, "item_id": c.item}))
        .await;
    let forms = ok(bot.get("/api/v1/submissions").await, 200).await;
    assert_eq!(forms["total"], 1, "{forms}");
    assert_eq!(forms["items"][0]["id"], mine.id.to_string());
    let r = bot.get(&format!("/api/v1/submissions/{}", theirs.id)).await;
    assert_problem(r, 404, "not_found").await;
    let r = bot
        .post(
            "/api/v1/submissions",
            json!({"period_id": c.period, "item_id": item.id}),
        )
        .await;
    assert!(matches!(r.status().as_u16(), 404 | 422), "{}", r.status());

    // The trail names the client as the actor of its token and of its form.
    let admin = &c.roles.admin;
    let created = ok(
        admin
            .get(&format!(
                "/api/v1/audit-events?action=submission.create&resource_id={}",
                mine.id
            ))
            .await,
        200,
    )
    .await;
    let e = &created["items"][0];
    assert_eq!(e["actor_username"], "client:unit-scripts");
    assert_eq!(e["actor_id"], creds.body["id"]);
    assert_eq!(e["actor_role"], "reporter");
    assert_eq!(e["actor_unit_id"], c.roles.unit.to_string());
    let tokens = ok(
        admin
            .get("/api/v1/audit-events?action=auth.client_token")
            .await,
        200,
    )
    .await;
    assert_eq!(tokens["total"], 1);
    assert_eq!(tokens["items"][0]["actor_username"], "client:unit-scripts");
    assert_eq!(tokens["items"][0]["resource_id"], creds.id);
}
