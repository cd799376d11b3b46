//! Denied requests are audited with outcome `denied`: a refused token that was ours, a role
//! check, another unit's object; at most 5 events per caller and address per window.

use jsonwebtoken::{encode, EncodingKey, Header};
use reqwest::Method;
use serde_json::json;
use uuid::Uuid;

use crate::helpers::*;

const INVALID_TOKEN: Expect = Expect::Problem(401, "invalid_token");

/// An item of a unit the roles' reporter does not belong to.
async fn other_units_item(app: &TestApp) -> (Roles, Uuid) {
    let roles = app.roles().await;
    let other = app.unit("OTHER").await.id;
    let item = roles
        .finance
        .item(
            json!({"unit_id": other, "year": 2026, "kind": "overall", "name": "整体支出",
                   "budget": {"fiscal": "100", "union": "300"}, "annual_goal": "完成年度工作"}),
        )
        .await;
    (roles, item.id)
}

#[tokio::test]
async fn a_reporter_asking_for_another_units_item_gets_404_and_one_denied_event() {
    let app = spawn_app().await;
    let (roles, item) = other_units_item(&app).await;
    let path = format!("/api/v1/items/{item}");
    let body = roles.reporter.get_is(&path, NOT_FOUND).await;
    // Exactly the answer a missing item gets: nothing tells the reporter it exists.
    let missing = format!("/api/v1/items/{}", Uuid::new_v4());
    let body_missing = roles.reporter.get_is(&missing, NOT_FOUND).await;
    assert_eq!(body["detail"], body_missing["detail"]);
    assert_eq!(body["title"], body_missing["title"]);

    let events = app.audit(&roles.admin, "action=access.other_unit").await;
    assert_eq!(events.len(), 1, "{events:?}");
    let e = &events[0];
    assert_eq!(e["outcome"], "denied");
    assert_eq!(e["actor_username"], "reporter1");
    assert_eq!(e["actor_role"], "reporter");
    assert_eq!(e["resource_type"], "item");
    assert_eq!(e["resource_id"], item.to_string());
    assert_eq!(e["client_addr"], "127.0.0.1");
    assert_eq!(e["after"]["method"], "GET");
    assert_eq!(e["after"]["path"], path);
    // Finance sees the item; nothing denied there.
    roles.finance.read(&path).await;
    assert_eq!(
        app.audit(&roles.admin, "action=access.other_unit")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn twenty_denied_requests_write_at_most_five_events_and_all_still_get_404() {
    let app = spawn_app().await;
    let (roles, item) = other_units_item(&app).await;
    let path = format!("/api/v1/items/{item}");
    for _ in 0..20 {
        roles.reporter.get_is(&path, NOT_FOUND).await;
    }
    let events = app.audit(&roles.admin, "action=access.other_unit").await;
    assert_eq!(events.len(), 5);
    // Counted per caller: another reporter's first denial is still audited.
    let rep2 = app.sign_up("reporter2", "reporter", Some(roles.unit)).await;
    rep2.get_is(&path, NOT_FOUND).await;
    let events = app.audit(&roles.admin, "action=access.other_unit").await;
    assert_eq!(events.len(), 6);
    assert_eq!(events[0]["actor_username"], "reporter2");
}

#[tokio::test]
async fn a_viewer_trying_to_write_gets_403_and_a_denied_event() {
    let app = spawn_app().await;
    let roles = app.roles().await;
    let unit = json!({"code": "V1", "name": "单位V1", "kind": "department"});
    roles.viewer.post_is("/api/v1/units", unit, FORBIDDEN).await;
    let events = app.audit(&roles.admin, "action=access.forbidden").await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["outcome"], "denied");
    assert_eq!(events[0]["actor_username"], "viewer1");
    assert_eq!(events[0]["actor_role"], "viewer");
    assert_eq!(events[0]["after"]["method"], "POST");
    assert_eq!(events[0]["after"]["path"], "/api/v1/units");
    assert_eq!(events[0]["after"]["status"], 403);
    // Nothing was created.
    assert!(app.audit(&roles.admin, "action=unit.create").await.len() == 1);
}

#[tokio::test]
async fn refused_tokens_that_were_ours_are_audited_and_garbage_is_not() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let (id, leaving) = app.new_user("leaving", "viewer", None).await;
    let inactive = json!({"active": false});
    let path = format!("/api/v1/users/{id}");
    admin.patch_is(&path, Some("\"1\""), inactive, 200).await;
    leaving.get_is("/api/v1/me", INVALID_TOKEN).await;
    let events = app.audit(&admin, "action=auth.token_refused").await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["outcome"], "denied");
    assert_eq!(events[0]["actor_id"], id.to_string());
    assert_eq!(events[0]["actor_username"], "leaving");
    assert_eq!(events[0]["after"]["reason"], "deactivated");

    // Expired, but signed by us.
    let now = chrono::Utc::now().timestamp();
    let expired = encode(
        &Header::default(),
        &json!({"sub": id, "role": "viewer", "unit_id": null, "iat": now - 7200, "exp": now - 3600}),
        &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .unwrap();
    app.bearer(&expired)
        .get_is("/api/v1/me", INVALID_TOKEN)
        .await;
    let events = app.audit(&admin, "action=auth.token_refused").await;
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["after"]["reason"], "expired");

    // Garbage, and a token signed with another secret: nobody to name, no event.
    for bad in ["garbage", "a.b.c"] {
        app.bearer(bad).get_is("/api/v1/me", INVALID_TOKEN).await;
    }
    let forged = encode(
        &Header::default(),
        &json!({"sub": id, "role": "admin", "unit_id": null, "iat": now, "exp": now + 3600}),
        &EncodingKey::from_secret(b"not-our-secret-not-our-secret-not-ours"),
    )
    .unwrap();
    app.bearer(&forged)
        .get_is("/api/v1/me", INVALID_TOKEN)
        .await;
    let r = app.send(app.req(Method::GET, "/api/v1/me", None)).await;
    assert_problem(r, 401, "missing_token").await;
    assert_eq!(
        app.audit(&admin, "action=auth.token_refused").await.len(),
        2
    );
}

#[tokio::test]
async fn head_on_another_units_item_is_404_like_a_missing_one_and_shows_nothing() {
    let app = spawn_app().await;
    let (roles, item) = other_units_item(&app).await;
    let path = format!("/api/v1/items/{item}");
    let head = |p: String| {
        let r = roles.reporter.req(Method::HEAD, &p);
        roles.reporter.send(r)
    };
    let hidden = head(path.clone()).await;
    assert_eq!(hidden.status(), 404);
    let hidden_length = hidden.headers()["content-length"].clone();
    assert!(!hidden.headers().contains_key("etag"));
    assert!(hidden.bytes().await.unwrap().is_empty());
    let missing = head(format!("/api/v1/items/{}", Uuid::new_v4())).await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["content-length"], hidden_length);
    // Denied like the GET it stands for; finance's HEAD finds the item.
    let events = app.audit(&roles.admin, "action=access.other_unit").await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["after"]["path"], path);
    let r = roles
        .finance
        .send(roles.finance.req(Method::HEAD, &path))
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.headers().contains_key("etag"));
}
