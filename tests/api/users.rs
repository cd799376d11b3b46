use serde_json::{json, Value};

use crate::helpers::*;

const USERS: &str = "/api/v1/users";

#[tokio::test]
async fn admin_manages_users_and_no_response_shows_a_password_hash() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let unit = app.unit("ZZB").await.id;
    let r = admin
        .post(USERS, json!({"username": "zzb.li", "password": PASSWORD, "role": "reporter", "unit_id": unit}))
        .await;
    assert_eq!(r.status(), 201);
    let text = r.text().await.unwrap();
    assert!(
        !text.contains("argon2") && !text.contains("password"),
        "{text}"
    );
    let created: Value = serde_json::from_str(&text).unwrap();
    let id = id_of(&created);
    assert_eq!(created["unit_id"], unit.to_string());

    let list = admin.get("/api/v1/users?role=reporter").await;
    let list = list.text().await.unwrap();
    assert!(!list.contains("argon2"));
    let list: Value = serde_json::from_str(&list).unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(admin.total(USERS).await, 2);

    // Change role and unit, then reset the password.
    let change = json!({"role": "viewer", "unit_id": null});
    let path = format!("{USERS}/{id}");
    let v = admin.patch_is(&path, Some("\"1\""), change, 200).await;
    assert_eq!(v["role"], "viewer");
    assert_eq!(v["unit_id"], Value::Null);
    let password = json!({"password": "brand-new-password"});
    admin
        .post_is(&format!("{path}/password"), password, 200)
        .await;
    assert_problem(
        app.try_login("zzb.li", PASSWORD).await,
        401,
        "invalid_credentials",
    )
    .await;
    let user = app.session("zzb.li", "brand-new-password").await;
    assert_eq!(user.read("/api/v1/me").await["role"], "viewer");
}

#[tokio::test]
async fn only_admin_may_touch_users() {
    let app = spawn_app().await;
    let roles = app.roles().await;
    let any_user = roles.admin.read("/api/v1/users?role=viewer").await;
    let id = any_user["items"][0]["id"].as_str().unwrap().to_string();
    let path = format!("{USERS}/{id}");
    for s in [&roles.finance, &roles.reporter, &roles.viewer] {
        s.get_is(USERS, FORBIDDEN).await;
        s.get_is(&path, FORBIDDEN).await;
        let sneaky = json!({"username": "sneaky", "password": PASSWORD, "role": "admin"});
        s.post_is(USERS, sneaky, FORBIDDEN).await;
        let admin = json!({"role": "admin"});
        s.patch_is(&path, Some("\"1\""), admin, FORBIDDEN).await;
        let password = json!({"password": "0123456789abc"});
        s.post_is(&format!("{path}/password"), password, FORBIDDEN)
            .await;
    }
    assert_eq!(roles.admin.total(USERS).await, 4, "no user was created");
    assert_eq!(app.try_login("sneaky", PASSWORD).await.status(), 401);
}

#[tokio::test]
async fn user_rules_are_enforced() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let cases = [
        (
            json!({"username": "no", "password": PASSWORD, "role": "viewer"}),
            "username",
        ),
        (
            json!({"username": "short.pw", "password": "short", "role": "viewer"}),
            "password",
        ),
        (
            json!({"username": "lonely", "password": PASSWORD, "role": "reporter"}),
            "unit_id",
        ),
        (
            json!({"username": "ghost", "password": PASSWORD, "role": "reporter", "unit_id": uuid::Uuid::new_v4()}),
            "unit_id",
        ),
        (
            json!({"username": "boss", "password": PASSWORD, "role": "root"}),
            "role",
        ),
    ];
    for (body, field) in cases {
        admin.post_is(USERS, body, invalid(field)).await;
    }
    app.new_user("taken", "viewer", None).await;
    let taken = json!({"username": "taken", "password": PASSWORD, "role": "viewer"});
    admin.post_is(USERS, taken, ALREADY_EXISTS).await;
    assert_eq!(admin.total(USERS).await, 2);
}

#[tokio::test]
async fn an_admin_cannot_lock_itself_out() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let me = admin.read("/api/v1/me").await;
    let path = format!("{USERS}/{}", id_of(&me));
    for change in [json!({"active": false}), json!({"role": "viewer"})] {
        admin
            .patch_is(&path, Some("\"1\""), change, VALIDATION_FAILED)
            .await;
    }
    admin.read(USERS).await;
}

#[tokio::test]
async fn updating_a_user_needs_the_current_etag() {
    let app = spawn_app().await;
    let admin = app.as_admin().await;
    let (id, _) = app.new_user("viewer.one", "viewer", None).await;
    let path = format!("{USERS}/{id}");
    let finance = || json!({"role": "finance"});
    let required = Expect::Problem(428, "precondition_required");
    admin.patch_is(&path, None, finance(), required).await;
    let stale = Some("\"9\"");
    admin
        .patch_is(&path, stale, finance(), PRECONDITION_FAILED)
        .await;
    let v = admin.read(&path).await;
    assert_eq!(v["role"], "viewer");
    assert_eq!(v["version"], 1);
}
